//! From a report to a release: the version the verdict leads to, and the report as an entry of
//! the crate's changelog (the sections of Keep a Changelog, breaking changes first, each with
//! what a caller does about it).

use super::{Change, Group, Level, Report};
use crate::Error;
use askama::Template;

/// The version a crate at `current` moves to for a change of `level`. Before 1.0 the minor
/// version is the breaking one (Cargo treats `0.3` and `0.4` as incompatible): a breaking change
/// raises the minor version, anything else the patch. From 1.0 on, semver's three levels.
pub fn next_version(current: &semver::Version, level: Level) -> semver::Version {
    let mut next = semver::Version::new(current.major, current.minor, current.patch);
    match (current.major, level) {
        (0, Level::Major) | (1.., Level::Minor) => {
            next.minor += 1;
            next.patch = 0;
        }
        (1.., Level::Major) => {
            next.major += 1;
            next.minor = 0;
            next.patch = 0;
        }
        _ => next.patch += 1,
    }
    next
}

/// Whether moving from `from` to `to` is at least the bump `level` needs (and moves forward).
pub fn bump_suffices(from: &semver::Version, to: &semver::Version, level: Level) -> bool {
    to > from && *to >= next_version(from, level)
}

impl Report {
    /// The report as one entry of a changelog: `## [version] - date`, then its sections.
    /// `fingerprint` is the SHA-256 the release records of its spec and overrides.
    pub fn changelog_entry(&self, version: &str, date: &str, fingerprint: &str) -> Result<String, Error> {
        let mut sections: Vec<EntrySection> = ["Added", "Changed", "Deprecated", "Removed"]
            .into_iter()
            .map(|title| EntrySection { title, lines: Vec::new() })
            .collect();
        let mut documentation = 0;
        let mut changes: Vec<&Change> = self.changes.iter().collect();
        changes.sort_by_key(|c| std::cmp::Reverse(c.level));
        for change in changes {
            if change.level == Level::Patch && change.text == "documentation changes" {
                documentation += 1;
                continue;
            }
            let slot = match change.group {
                Group::Added => 0,
                Group::Removed => 3,
                Group::Changed if change.text.ends_with("is deprecated") => 2,
                Group::Changed => 1,
            };
            sections[slot].lines.push(line(change));
        }
        for finding in &self.unexplained {
            // No change of the spec explains it: the generator's own output changed.
            let mut text =
                format!("{} (the generated code) {}", mark(finding.level), finding.text).trim_start().to_owned();
            if finding.level == Level::Major {
                text.push_str(". Migration: update the code that uses it to what it is now.");
            }
            let slot = if finding.text.contains(" is added") {
                0
            } else if finding.text.ends_with(" is removed") {
                3
            } else {
                1
            };
            sections[slot].lines.push(text);
        }
        if documentation > 0 {
            let plural = if documentation == 1 { "" } else { "s" };
            sections[1]
                .lines
                .push(format!("The documentation of {documentation} call{plural} and type{plural} changes."));
        }
        sections.retain(|s| !s.lines.is_empty());
        let entry = Entry {
            version,
            date,
            api: format!("{} {}", self.new.0, self.new.1),
            fingerprint: fingerprint.get(..16).unwrap_or(fingerprint),
            verdict_line: self.verdict_line(),
            nothing: sections.is_empty(),
            sections,
        };
        entry.render().map_err(|e| Error::Template { file: "changelog_entry.md".to_owned(), message: e.to_string() })
    }
}

fn mark(level: Level) -> &'static str {
    match level {
        Level::Major => "**Breaking:**",
        Level::Minor | Level::Patch => "",
    }
}

/// `- **Breaking:** `listRoutes`: new required query parameter `owner` … Migration: …`.
fn line(change: &Change) -> String {
    let mut text = format!("`{}`: {}", change.subject, change.text);
    if change.level == Level::Major {
        text = format!("{} {text}", mark(Level::Major));
        if !change.only_with.is_empty() {
            let features: Vec<String> = change.only_with.iter().map(|f| format!("`{f}`")).collect();
            text.push_str(&format!(" (breaks only builds with {} alone)", features.join(", ")));
        }
        text.push_str(&format!(". Migration: {}.", change.migration_hint()));
    }
    text
}

#[derive(Template)]
#[template(path = "changelog_entry.md", escape = "none")]
struct Entry<'a> {
    version: &'a str,
    date: &'a str,
    api: String,
    fingerprint: &'a str,
    verdict_line: String,
    nothing: bool,
    sections: Vec<EntrySection>,
}

struct EntrySection {
    title: &'static str,
    lines: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> semver::Version {
        semver::Version::parse(text).unwrap()
    }

    #[test]
    fn before_1_0_breaking_raises_the_minor_version_and_the_rest_the_patch() {
        assert_eq!(next_version(&v("0.4.2"), Level::Major), v("0.5.0"));
        assert_eq!(next_version(&v("0.4.2"), Level::Minor), v("0.4.3"));
        assert_eq!(next_version(&v("0.4.2"), Level::Patch), v("0.4.3"));
        assert_eq!(next_version(&v("1.4.2"), Level::Major), v("2.0.0"));
        assert_eq!(next_version(&v("1.4.2"), Level::Minor), v("1.5.0"));
        assert_eq!(next_version(&v("1.4.2"), Level::Patch), v("1.4.3"));
        // A pre-release or build suffix is not carried into the next release.
        assert_eq!(next_version(&v("0.4.2-rc.1"), Level::Patch), v("0.4.3"));
    }

    #[test]
    fn a_bump_suffices_when_it_is_at_least_the_one_the_verdict_needs() {
        assert!(bump_suffices(&v("0.4.2"), &v("0.5.0"), Level::Major));
        assert!(bump_suffices(&v("0.4.2"), &v("1.0.0"), Level::Major));
        assert!(!bump_suffices(&v("0.4.2"), &v("0.4.3"), Level::Major));
        assert!(bump_suffices(&v("0.4.2"), &v("0.5.0"), Level::Patch));
        assert!(!bump_suffices(&v("0.4.2"), &v("0.4.2"), Level::Patch));
    }
}
