//! The API diff between two versions of a spec, as a reviewer needs it: what changed, keyed on
//! identities (never on text), and what each change does to the Rust API of the generated
//! crate, with one semver verdict.
//!
//! Two views are compared and joined:
//! - [`changes`]: the IR of each version, operation by operation and type by type. This is what
//!   the report lists, in the spec's terms.
//! - [`surface`]: the public Rust API each version's emitters produce. This decides the effect:
//!   a change is breaking when a Rust member it touches is removed or changes incompatibly,
//!   additive when it only adds members, and a patch when the Rust API stays the same (the
//!   client just sends or reads the new wire form).
//!
//! A change of the Rust API that no change of the spec explains (none so far) is still listed,
//! and still counts towards the verdict.

mod changes;
mod release;
pub mod surface;

pub use release::{bump_suffices, next_version};

use crate::ir::Api;
use crate::Error;
use askama::Template;
use std::collections::BTreeSet;
use surface::{Finding, Surface};

/// What a change means for a caller of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The Rust API is unchanged: the client sends or reads the new wire form.
    Patch,
    /// Something is added; every caller's code still compiles and works.
    Minor,
    /// A caller's code may stop compiling or behave differently.
    Major,
}

impl Level {
    /// `major`, `minor` or `patch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }

    /// How the report labels a change of this level.
    pub fn label(self) -> &'static str {
        match self {
            Level::Patch => "no Rust API change",
            Level::Minor => "additive",
            Level::Major => "breaking",
        }
    }
}

/// The part of the report a change belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Calls.
    Operations,
    /// Types.
    Types,
    /// Servers (`Region`).
    Servers,
    /// What every call does: the credentials a client sends (and the calls that go without),
    /// the form time values are written in.
    Client,
}

/// Whether the subject of a change is new, gone or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// The subject is new.
    Added,
    /// The subject is gone.
    Removed,
    /// The subject is still there, changed.
    Changed,
}

/// A Rust member a change touches, by its path in the [`Surface`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Exactly this member.
    Exact(String),
    /// This member and everything in it (a type's fields, a builder's setters).
    Under(String),
    /// Every member whose change mentions this type name: the fields, arguments and answers
    /// that hold a renamed type.
    Mentions(String),
}

impl Target {
    fn covers(&self, finding: &Finding) -> bool {
        let key = finding.key.as_str();
        match self {
            Target::Mentions(name) => mentions(&finding.text, name),
            Target::Exact(path) => key == path,
            Target::Under(path) => key
                .strip_prefix(path.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::") || rest.starts_with('.')),
        }
    }
}

/// Whether `text` has `name` as a whole identifier (`Thing` in `Vec<Thing>`, not in `ThingList`).
fn mentions(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// One change of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where in the report.
    pub section: Section,
    /// New, gone or changed.
    pub group: Group,
    /// The operationId, or the type's Rust name.
    pub subject: String,
    /// One sentence.
    pub text: String,
    /// What it means for a caller.
    pub level: Level,
    /// The Rust API changes that make it breaking, when cargo-semver-checks cannot see them.
    pub unseen_by_semver_checks: bool,
    /// When it breaks only the builds with some features alone, those features.
    pub only_with: Vec<String>,
    /// What a caller does about it when it is breaking, in one line.
    pub migration: Option<String>,
    targets: Vec<Target>,
}

impl Change {
    fn new(section: Section, group: Group, subject: String, text: String, targets: Vec<Target>) -> Change {
        Change {
            section,
            group,
            subject,
            text,
            level: Level::Patch,
            unseen_by_semver_checks: false,
            only_with: Vec::new(),
            migration: None,
            targets,
        }
    }

    fn migration(mut self, hint: String) -> Change {
        self.migration = Some(hint);
        self
    }

    /// The migration hint, or one made from the subject when no rule wrote one.
    pub fn migration_hint(&self) -> String {
        self.migration.clone().unwrap_or_else(|| match self.group {
            Group::Removed => format!("remove what uses `{}`", self.subject),
            _ => format!("update the code that uses `{}` to what it is now", self.subject),
        })
    }
}

/// The whole comparison.
#[derive(Debug, Clone)]
pub struct Report {
    /// `info.title` and `info.version` of the old document.
    pub old: (String, String),
    /// The same of the new one.
    pub new: (String, String),
    /// Every change, in report order.
    pub changes: Vec<Change>,
    /// Rust API changes that no change of the spec explains.
    pub unexplained: Vec<Finding>,
}

/// The public Rust API of the crate made of an IR: what the emitters make of it, and the
/// runtime copied beside it (a change of the runtime's API moves the crate's version too).
pub fn surface_of(api: &Api) -> Result<Surface, Error> {
    let mut files = crate::emit::emit(api)?;
    for (path, text) in crate::render::RUNTIME {
        let tokens = text
            .parse()
            .map_err(|e: proc_macro2::LexError| Error::Emit { file: (*path).to_owned(), message: e.to_string() })?;
        files.insert((*path).to_owned(), tokens);
    }
    Surface::of(&files)
}

/// Compares two IRs, each fully named.
pub fn compare(old: &Api, new: &Api) -> Result<Report, Error> {
    let (old_surface, new_surface) = (surface_of(old)?, surface_of(new)?);
    let findings = Surface::compare(&old_surface, &new_surface);
    let mut changes = changes::changes(old, new);
    let mut explained = vec![false; findings.len()];
    for change in &mut changes {
        let mut worst: Option<&Finding> = None;
        let mut major_seen = false;
        // Whether every breaking finding breaks only some features' builds, and which.
        let mut only_with: Option<BTreeSet<String>> = None;
        for (i, finding) in findings.iter().enumerate() {
            if !change.targets.iter().any(|t| t.covers(finding)) {
                continue;
            }
            explained[i] = true;
            major_seen |= finding.level == Level::Major && !finding.unseen_by_semver_checks;
            if finding.level == Level::Major {
                let features = only_with.get_or_insert_with(BTreeSet::new);
                if finding.only_with.is_empty() {
                    features.insert(String::new());
                }
                features.extend(finding.only_with.iter().cloned());
            }
            if worst.is_none_or(|w| finding.level > w.level) {
                worst = Some(finding);
            }
        }
        if let Some(worst) = worst {
            change.level = worst.level;
            change.unseen_by_semver_checks = worst.level == Level::Major && !major_seen;
        }
        // An empty name stands for a finding that breaks every build.
        if let Some(features) = only_with.filter(|f| !f.contains("")) {
            change.only_with = features.into_iter().collect();
        }
    }
    let order = |c: &Change| (c.section, c.group, c.subject.clone(), std::cmp::Reverse(c.level), c.text.clone());
    changes.sort_by_key(order);
    changes.dedup();
    let unexplained = findings.into_iter().zip(explained).filter(|(_, e)| !e).map(|(f, _)| f).collect();
    Ok(Report {
        old: (old.title.clone(), old.version.clone()),
        new: (new.title.clone(), new.version.clone()),
        changes,
        unexplained,
    })
}

impl Report {
    /// Each change's effect, and whether cargo-semver-checks cannot see it: the spec's changes,
    /// then the Rust API changes none of them explains.
    fn effects(&self) -> impl Iterator<Item = (Level, bool)> + '_ {
        let changes = self.changes.iter().map(|c| (c.level, c.unseen_by_semver_checks));
        changes.chain(self.unexplained.iter().map(|f| (f.level, f.unseen_by_semver_checks)))
    }

    /// The semver bump the Rust crate needs: the worst effect of any change.
    pub fn verdict(&self) -> Level {
        self.effects().map(|(level, _)| level).max().unwrap_or(Level::Patch)
    }

    /// The verdict without the breaking changes cargo-semver-checks cannot see: it says
    /// `major` exactly when this does.
    pub fn semver_checks_verdict(&self) -> Level {
        let seen = |(level, unseen): (Level, bool)| if level == Level::Major && unseen { Level::Patch } else { level };
        self.effects().map(seen).max().unwrap_or(Level::Patch)
    }

    /// How many changes have each effect: breaking, additive, neither.
    pub fn counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for (level, _) in self.effects() {
            let slot = match level {
                Level::Major => 0,
                Level::Minor => 1,
                Level::Patch => 2,
            };
            counts[slot] += 1;
        }
        counts
    }

    /// The one-line verdict: ``semver: minor (0 breaking, 11 additive, 0 without Rust API change)``.
    pub fn verdict_line(&self) -> String {
        let [breaking, additive, patch] = self.counts();
        format!(
            "semver: {} ({breaking} breaking, {additive} additive, {patch} without a Rust API change)",
            self.verdict().as_str()
        )
    }

    /// A short plain-text account for a terminal: the verdict line, then up to `max` changes,
    /// breaking first.
    pub fn summary(&self, max: usize) -> String {
        let mut lines = vec![self.verdict_line()];
        let mut changes: Vec<&Change> = self.changes.iter().collect();
        changes.sort_by_key(|c| std::cmp::Reverse(c.level));
        for change in changes.iter().take(max) {
            let verb = match change.group {
                Group::Added => "added: ",
                Group::Removed => "removed: ",
                Group::Changed => "",
            };
            lines.push(format!(
                "  {:<18} {:?} `{}` {verb}{}",
                change.level.label(),
                change.section,
                change.subject,
                change.text
            ));
        }
        if changes.len() > max {
            lines.push(format!("  … and {} more", changes.len() - max));
        }
        for finding in &self.unexplained {
            lines.push(format!("  {:<18} {}", finding.level.label(), finding.text));
        }
        lines.join("\n")
    }

    /// The report as Markdown.
    pub fn markdown(&self) -> Result<String, Error> {
        let page = Page::of(self);
        page.render().map_err(|e| Error::Template { file: "spec_diff.md".to_owned(), message: e.to_string() })
    }
}

/// The report, laid out for its template.
#[derive(Template)]
#[template(path = "spec_diff.md", escape = "none")]
struct Page {
    old: String,
    new: String,
    verdict_line: String,
    semver_checks_note: Option<String>,
    sections: Vec<PageSection>,
    unexplained: Vec<String>,
    nothing: bool,
}

struct PageSection {
    title: &'static str,
    groups: Vec<PageGroup>,
}

struct PageGroup {
    title: String,
    entries: Vec<PageEntry>,
}

/// One subject with its lines: `- **additive** `opId`: text`, or a heading line for a changed
/// subject with one line per change under it.
struct PageEntry {
    head: String,
    lines: Vec<String>,
}

impl Page {
    fn of(report: &Report) -> Page {
        let side = |(title, version): &(String, String)| format!("{title} {version}");
        let mut sections = Vec::new();
        for (section, title) in [
            (Section::Operations, "Operations"),
            (Section::Types, "Types"),
            (Section::Servers, "Servers"),
            (Section::Client, "Client"),
        ] {
            let mut groups = Vec::new();
            for (group, name) in [(Group::Removed, "Removed"), (Group::Added, "Added"), (Group::Changed, "Changed")] {
                let of_group: Vec<&Change> =
                    report.changes.iter().filter(|c| c.section == section && c.group == group).collect();
                if of_group.is_empty() {
                    continue;
                }
                let mut entries: Vec<PageEntry> = Vec::new();
                for change in &of_group {
                    let mark = mark(change.level, change.unseen_by_semver_checks);
                    if group == Group::Changed {
                        let head = format!("`{}`", change.subject);
                        let line = format!("{mark} {}", change.text);
                        match entries.last_mut() {
                            Some(last) if last.head == head => last.lines.push(line),
                            _ => entries.push(PageEntry { head, lines: vec![line] }),
                        }
                    } else {
                        entries.push(PageEntry {
                            head: format!("{mark} `{}`: {}", change.subject, change.text),
                            lines: Vec::new(),
                        });
                    }
                }
                let subjects = entries.len();
                groups.push(PageGroup { title: format!("{name} ({subjects})"), entries });
            }
            if !groups.is_empty() {
                sections.push(PageSection { title, groups });
            }
        }
        let unexplained = report
            .unexplained
            .iter()
            .map(|f| format!("{} {}", mark(f.level, f.unseen_by_semver_checks), f.text))
            .collect();
        let ours = report.verdict();
        let theirs = report.semver_checks_verdict();
        let semver_checks_note = (ours != theirs).then(|| {
            format!(
                "cargo-semver-checks does not compare types, so it will not report the breaking changes marked †; without them this would be `{}`.",
                theirs.as_str()
            )
        });
        Page {
            old: side(&report.old),
            new: side(&report.new),
            verdict_line: report.verdict_line(),
            semver_checks_note,
            nothing: report.changes.is_empty() && report.unexplained.is_empty(),
            sections,
            unexplained,
        }
    }
}

fn mark(level: Level, unseen: bool) -> String {
    let dagger = if unseen { "†" } else { "" };
    format!("**{}**{dagger}", level.label())
}
