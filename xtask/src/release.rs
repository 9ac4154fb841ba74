//! `cargo xtask release`: from a change of `spec/` to a new version of the generated crate.
//!
//! The last release is recorded in `spec/release/`: `release.yaml` (the crate's version, the
//! date, and the SHA-256 of the spec and overrides it was made from) and byte copies of those
//! two files. The copies are the baseline a change is compared with, whatever happened to git
//! history in between (a squash-merge keeps them; while they equal the shipped files, git
//! stores them once). Releasing compares the baseline with the shipped files, bumps the version
//! by the verdict, prepends the report to `generated/CHANGELOG.md`, moves the baseline, and
//! regenerates the crate, whose `Cargo.toml` and `spec` module carry the new version.
//!
//! `--check` is what `cargo xtask test` and the pull-request workflow run: the shipped files
//! are the released ones, the crate's version and changelog are the record's, and the version
//! moved at least as far as the verdict against the previous release asks.

use crate::project_root;
use crate::spec_diff::{self, git, SideFiles};
use generator::diff::surface::{Finding, Surface};
use generator::diff::{bump_suffices, next_version, Level};
use semver::Version;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const USAGE: &str = "usage: cargo xtask release [--version X.Y.Z] [--date YYYY-MM-DD] [--since REV]
       cargo xtask release --check [--since REV] [--out FILE]";

const SPEC: &str = "spec/mailgun-openapi.yaml";
const OVERRIDES: &str = "spec/overrides.yaml";
const RECORD_DIR: &str = "spec/release";
const RECORD: &str = "spec/release/release.yaml";
/// The public Rust API of the release, as the generator of its day made it: a later generator
/// that changes the API without a spec change is caught by comparing with it.
const API: &str = "spec/release/api.json";
const CHANGELOG: &str = "generated/CHANGELOG.md";

/// What `spec/release/release.yaml` says.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// The crate's version.
    pub version: String,
    /// The day it was released (`YYYY-MM-DD`).
    pub date: String,
    /// `generator::fingerprint` of the spec and overrides it was made from.
    pub sha256: String,
}

impl Record {
    fn parse(text: &str, from: &str) -> Result<Record, String> {
        let record: Record = serde_yaml::from_str(text).map_err(|e| format!("{from}: {e}"))?;
        Version::parse(&record.version).map_err(|e| format!("{from}: version `{}`: {e}", record.version))?;
        Ok(record)
    }

    /// The record in the working tree, if there is one.
    pub fn read() -> Result<Option<Record>, String> {
        let path = project_root().join(RECORD);
        match fs::read_to_string(&path) {
            Ok(text) => Record::parse(&text, RECORD).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    fn semver(&self) -> Version {
        Version::parse(&self.version).expect("checked when read")
    }

    fn text(&self) -> String {
        let yaml = serde_yaml::to_string(self).expect("a record serialises");
        format!(
            "# The last release of the generated crate: written by `cargo xtask release`, checked by\n\
             # `cargo xtask test`. The spec and overrides beside it are byte copies of what it was made from.\n{yaml}"
        )
    }
}

/// The version the shipped spec is generated with: the record's, or `None` (0.1.0) before the
/// first release.
pub fn crate_version() -> Result<Option<String>, String> {
    Ok(Record::read()?.map(|r| r.version))
}

/// The spec and overrides of the last release (the copies beside the record).
pub fn released_side() -> SideFiles {
    let dir = project_root().join(RECORD_DIR);
    SideFiles { spec: dir.join("mailgun-openapi.yaml"), overrides: Some(dir.join("overrides.yaml")) }
}

fn shipped() -> SideFiles {
    let root = project_root();
    SideFiles { spec: root.join(SPEC), overrides: Some(root.join(OVERRIDES)) }
}

/// The public Rust API the current generator makes of a side.
fn surface(side: &SideFiles) -> Result<Surface, String> {
    let api = generator::load_api(side.inputs()).map_err(|e| e.to_string())?;
    generator::diff::surface_of(&api).map_err(|e| e.to_string())
}

/// The API the last release recorded, if it recorded one.
fn released_surface() -> Result<Option<Surface>, String> {
    match fs::read_to_string(project_root().join(API)) {
        Ok(text) => Surface::from_json(&text).map(Some).map_err(|e| format!("{API}: {e}")),
        Err(_) => Ok(None),
    }
}

/// The changes of the Rust API that the generator made, not the spec: those between the
/// released API and today's that today's generator does not make of the released spec.
fn generator_changes(released: &Surface, old_now: &Surface, new_now: &Surface) -> Vec<Finding> {
    let by_spec: Vec<(String, String)> =
        Surface::compare(old_now, new_now).into_iter().map(|f| (f.key, f.text)).collect();
    Surface::compare(released, new_now)
        .into_iter()
        .filter(|f| !by_spec.iter().any(|(key, text)| *key == f.key && *text == f.text))
        .collect()
}

fn fingerprint(side: &SideFiles) -> Result<String, String> {
    generator::fingerprint(side.inputs()).map_err(|e| e.to_string())
}

#[derive(Debug, Default)]
struct Args {
    check: bool,
    version: Option<Version>,
    date: Option<String>,
    since: Option<String>,
    out: Option<PathBuf>,
}

impl Args {
    fn parse(args: &[String]) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| args.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--version" => {
                    let text = value("--version")?;
                    parsed.version = Some(Version::parse(&text).map_err(|e| format!("--version {text}: {e}"))?);
                }
                "--date" => parsed.date = Some(value("--date")?),
                "--since" => parsed.since = Some(value("--since")?),
                "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        if parsed.check && (parsed.version.is_some() || parsed.date.is_some()) {
            return Err(format!("--check takes only --since and --out\n{USAGE}"));
        }
        Ok(parsed)
    }
}

/// Whether the shipped spec and overrides are those of the last release; `None` without a
/// record or when they cannot be read.
pub fn is_released() -> Option<bool> {
    let record = Record::read().ok()??;
    Some(fingerprint(&shipped()).ok()? == record.sha256)
}

/// Whether the arguments are ones `run` takes.
#[cfg(test)]
pub fn parse_args(args: &[String]) -> Result<(), String> {
    Args::parse(args).map(drop)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = Args::parse(args)?;
    if args.check {
        let outcome = check(args.since.as_deref())?;
        if let Some(path) = &args.out {
            fs::write(path, &outcome.report).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        println!("{}", outcome.summary);
        return Ok(());
    }
    release(&args)
}

fn release(args: &Args) -> Result<(), String> {
    let root = project_root();
    let record = Record::read()?;
    let shipped = shipped();
    let sha256 = fingerprint(&shipped)?;
    let new_surface = surface(&shipped)?;
    let released_api = released_surface()?;
    let same_api = released_api.as_ref().is_some_and(|api| *api == new_surface);
    // A record from before the API was recorded gets it, with no new release.
    if let (Some(record), None, None) = (&record, &released_api, &args.version) {
        if record.sha256 == sha256 {
            write(&root.join(API), &new_surface.to_json())?;
            println!("recorded the Rust API of release {} in {API}", record.version);
            return Ok(());
        }
    }
    if record.as_ref().is_some_and(|r| r.sha256 == sha256) && same_api && args.version.is_none() {
        println!(
            "nothing to release: {SPEC}, {OVERRIDES} and the crate's API are those of release {}",
            record.unwrap().version
        );
        return Ok(());
    }
    // The baseline: the last release's copies, or before the first release the shipped files at
    // a git revision (`--since`), or nothing to compare with.
    let baseline = match (&record, &args.since) {
        (_, Some(rev)) => Some(spec_diff::side_at_revision(rev)?),
        (Some(_), None) => Some(spec_diff::in_today_format(released_side(), "release-baseline")?),
        (None, None) => None,
    };
    let mut report = match &baseline {
        Some(old) => Some(spec_diff::compare(old, &shipped)?),
        None => None,
    };
    // What the generator changed since the release counts as much as what the spec did.
    if let (Some(report), Some(old), Some(released_api)) = (&mut report, &baseline, &released_api) {
        report.unexplained.extend(generator_changes(released_api, &surface(old)?, &new_surface));
    }
    let level = report.as_ref().map_or(Level::Patch, |r| r.verdict());
    let version = match (&record, &args.version) {
        (Some(record), Some(asked)) if !bump_suffices(&record.semver(), asked, level) => {
            return Err(format!(
                "version {asked} is not enough after {}: the change is `{}`, which needs at least {}",
                record.version,
                level.as_str(),
                next_version(&record.semver(), level)
            ));
        }
        (_, Some(asked)) => asked.clone(),
        (Some(record), None) => next_version(&record.semver(), level),
        (None, None) => Version::new(0, 1, 0),
    };
    let date = match &args.date {
        Some(date) => date.clone(),
        None => today()?,
    };
    let entry = match &report {
        Some(report) => report.changelog_entry(&version.to_string(), &date, &sha256).map_err(|e| e.to_string())?,
        None => format!("## [{version}] - {date}\n\nThe first recorded release.\n\n"),
    };
    let changelog_path = root.join(CHANGELOG);
    let changelog = fs::read_to_string(&changelog_path).unwrap_or_default();
    let changelog = prepend_entry(&changelog, &entry);
    // Everything is decided: now write, the generated crate last (from the new record).
    let dir = root.join(RECORD_DIR);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let released = released_side();
    copy(&shipped.spec, &released.spec)?;
    copy(shipped.overrides.as_deref().expect("shipped"), released.overrides.as_deref().expect("copies"))?;
    let new_record = Record { version: version.to_string(), date, sha256 };
    write(&root.join(RECORD), &new_record.text())?;
    write(&root.join(API), &new_surface.to_json())?;
    write(&changelog_path, &changelog)?;
    crate::codegen::run(&crate::codegen::Options::parse(&[])?)?;
    // The crate is a member of the workspace: its new version goes in `Cargo.lock` too, or
    // every `--locked` build refuses the tree.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let updated = Command::new(&cargo).args(["update", "--workspace", "--offline"]).current_dir(&root).status();
    if !updated.is_ok_and(|s| s.success()) {
        return Err("cannot record the new version in Cargo.lock: run `cargo update --workspace`".to_owned());
    }
    let verdict = report.as_ref().map(|r| r.verdict_line()).unwrap_or_else(|| "the first release".to_owned());
    let from = record.map(|r| r.version).unwrap_or_else(|| "nothing".to_owned());
    println!(
        "released {version} (from {from}; {verdict})\n\
         Review generated/CHANGELOG.md, commit spec/ and generated/, then tag it: git tag mailgun-v{version}"
    );
    Ok(())
}

/// The changelog with `entry` as its newest: before the first `## [` heading, under the title
/// and introduction (written when the file is new).
fn prepend_entry(changelog: &str, entry: &str) -> String {
    let entry = format!("{}\n\n", entry.trim_end());
    const HEAD: &str = "# Changelog\n\n\
        Every release of this crate, newest first, in the sections of [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n\
        The version follows the Rust API, as `cargo xtask spec-diff` judges it: before 1.0 a breaking\n\
        change raises the minor version and anything else the patch; from 1.0 on, semver's three levels.\n\
        Each breaking change says what to do about it. Made by `cargo xtask release`.\n\n";
    if changelog.trim().is_empty() {
        return format!("{HEAD}{entry}");
    }
    match changelog.find("\n## [") {
        Some(at) => format!("{}{entry}{}", &changelog[..at + 1], &changelog[at + 1..]),
        None => format!("{}\n{entry}", changelog.trim_end()),
    }
}

/// The version of the newest entry of a changelog.
fn newest_entry(changelog: &str) -> Option<&str> {
    let line = changelog.lines().find(|l| l.starts_with("## ["))?;
    line.strip_prefix("## [")?.split(']').next()
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to).map(drop).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn today() -> Result<String, String> {
    let now = time::OffsetDateTime::now_utc().date();
    Ok(format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day()))
}

/// What a check found: a line for the terminal, and the report for reviewers.
pub struct Checked {
    pub summary: String,
    pub report: String,
}

/// The shipped spec is released, the crate says so, and the release's version moved at least
/// as far as its change from the previous release asks. The previous release is the record at
/// `since` (a pull request's base), or else the last other version in git history; without
/// either (no history, the first release) that part is skipped, and the summary says so.
pub fn check(since: Option<&str>) -> Result<Checked, String> {
    let root = project_root();
    let record =
        Record::read()?.ok_or_else(|| format!("{RECORD} is missing: run `cargo xtask release --version X.Y.Z`"))?;
    let shipped_sha = fingerprint(&shipped())?;
    if shipped_sha != record.sha256 {
        let released = spec_diff::in_today_format(released_side(), "release-baseline")?;
        let report = spec_diff::compare(&released, &shipped())?;
        let next = next_version(&record.semver(), report.verdict());
        return Err(format!(
            "{SPEC} or {OVERRIDES} changed since release {} ({}): run `cargo xtask release` to make it {next}",
            record.version,
            report.verdict_line()
        ));
    }
    if let Some(released_api) = released_surface()? {
        let findings = Surface::compare(&released_api, &surface(&shipped())?);
        if !findings.is_empty() {
            let list: Vec<String> =
                findings.iter().take(5).map(|f| format!("  {} {}", f.level.label(), f.text)).collect();
            return Err(format!(
                "the crate's public Rust API is not release {}'s, though spec/ is: the generator changed it \
                 ({} changes). Run `cargo xtask release` to release it:\n{}",
                record.version,
                findings.len(),
                list.join("\n")
            ));
        }
    }
    if fingerprint(&released_side())? != record.sha256 {
        return Err(format!(
            "the copies in {RECORD_DIR}/ are not what {RECORD} says was released: run `cargo xtask release`"
        ));
    }
    let manifest = fs::read_to_string(root.join("generated/Cargo.toml")).map_err(|e| e.to_string())?;
    let crate_version = manifest.lines().find_map(|l| l.strip_prefix("version = \"")).map(|v| v.trim_end_matches('"'));
    if crate_version != Some(record.version.as_str()) {
        return Err(format!(
            "generated/Cargo.toml says version {}, {RECORD} {}: run `cargo xtask codegen`",
            crate_version.unwrap_or("none"),
            record.version
        ));
    }
    let changelog = fs::read_to_string(root.join(CHANGELOG)).unwrap_or_default();
    if newest_entry(&changelog) != Some(record.version.as_str()) {
        return Err(format!(
            "the newest entry of {CHANGELOG} is {}, not release {}: `cargo xtask release` writes it",
            newest_entry(&changelog).unwrap_or("missing"),
            record.version
        ));
    }
    // A base from before the first release has no record: nothing to check the version against.
    let previous = match since {
        Some(rev) => record_at(rev).ok().map(|record| (rev.to_owned(), record)),
        None => previous_release(&record.version),
    };
    let Some((rev, previous)) = previous else {
        return Ok(Checked {
            summary: format!(
                "release {} checked (no earlier release in git history to check its version against)",
                record.version
            ),
            report: String::new(),
        });
    };
    if previous.sha256 == record.sha256 {
        let summary = format!("release {}: spec/ is unchanged since {rev}", record.version);
        return Ok(Checked { summary, report: String::new() });
    }
    let before = release_side_at(&rev)?;
    let mut report = spec_diff::compare(&before, &released_side())?;
    // The API changes of the generator between the two releases, when both recorded theirs.
    let api_then = git(&["show", &format!("{rev}:{API}")]).ok().and_then(|text| Surface::from_json(&text).ok());
    if let (Some(then), Some(now)) = (api_then, released_surface()?) {
        report.unexplained.extend(generator_changes(&then, &surface(&before)?, &now));
    }
    let (from, to) = (previous.semver(), record.semver());
    let markdown = report.markdown().map_err(|e| e.to_string())?;
    if !bump_suffices(&from, &to, report.verdict()) {
        return Err(format!(
            "release {to} after {from} ({rev}) is not enough: {}, which needs at least {}",
            report.verdict_line(),
            next_version(&from, report.verdict())
        ));
    }
    Ok(Checked {
        summary: format!("release {to} after {from} ({rev}) matches the change: {}", report.verdict_line()),
        report: markdown,
    })
}

/// The record at a git revision.
fn record_at(rev: &str) -> Result<Record, String> {
    let text = git(&["show", &format!("{rev}:{RECORD}")])?;
    Record::parse(&text, &format!("{rev}:{RECORD}"))
}

/// The release before `version` in git history: the newest commit whose record has another
/// version. `None` outside a git checkout, in a shallow one that lacks it, or before it.
fn previous_release(version: &str) -> Option<(String, Record)> {
    let commits = git(&["log", "--format=%H", "--", RECORD]).ok()?;
    commits.lines().find_map(|commit| {
        let record = record_at(commit).ok()?;
        (record.version != version).then(|| (commit.to_owned(), record))
    })
}

/// The released spec and overrides at a git revision, copied under `target/`.
fn release_side_at(rev: &str) -> Result<SideFiles, String> {
    let spec = format!("{RECORD_DIR}/mailgun-openapi.yaml");
    let overrides = format!("{RECORD_DIR}/overrides.yaml");
    spec_diff::files_at_revision(rev, &spec, &overrides, "release-check")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What CI checks on every commit: spec/ is released, and the crate says which release.
    #[test]
    fn the_shipped_spec_is_released_with_a_version_that_matches_its_change() {
        match check(None) {
            Ok(checked) => println!("{}", checked.summary),
            Err(message) => panic!("{message}"),
        }
    }

    /// A change of the Rust API that the spec does not explain is the generator's, and counts.
    #[test]
    fn the_generators_own_api_changes_are_told_apart_from_the_specs() {
        let api = |fields: &[(&str, &str)]| {
            let entries: Vec<String> = fields
                .iter()
                .map(|(name, ty)| format!("\"types::T.{name}\": {{\"field\": {{\"ty\": \"{ty}\"}}}}"))
                .collect();
            let ty = "\"types::T\": {\"type\": {\"kind\": \"struct\", \"non_exhaustive\": true, \"derives\": [], \"deprecated\": false, \"target\": null, \"all_fields_public\": false}}";
            Surface::from_json(&format!("{{\"entries\": {{{ty}, {}}}, \"features\": {{}}}}", entries.join(", ")))
                .unwrap()
        };
        // Released by the old generator; today's generator reads `a` as an `Option`, and the
        // new spec adds `b`.
        let released = api(&[("a", "String")]);
        let old_now = api(&[("a", "Option<String>")]);
        let new_now = api(&[("a", "Option<String>"), ("b", "Option<i64>")]);
        let found = generator_changes(&released, &old_now, &new_now);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].key, "types::T.a");
        assert_eq!(found[0].level, Level::Major);
        assert!(generator_changes(&new_now, &new_now, &new_now).is_empty());
    }

    #[test]
    fn entries_go_newest_first_under_the_introduction() {
        let first = prepend_entry("", "## [0.2.0] - 2026-12-03\n\nFirst.\n\n");
        assert!(first.starts_with("# Changelog\n\nEvery release"));
        assert_eq!(newest_entry(&first), Some("0.2.0"));
        let second = prepend_entry(&first, "## [0.3.0] - 2026-12-04\n\nSecond.\n");
        assert!(second.contains("Second.\n\n## [0.2.0]"), "entries are apart:\n{second}");
        assert_eq!(newest_entry(&second), Some("0.3.0"));
        let (at_3, at_2) = (second.find("## [0.3.0]").unwrap(), second.find("## [0.2.0]").unwrap());
        assert!(at_3 < at_2 && second[..at_3].contains("Every release"));
    }

    #[test]
    fn a_record_reads_back_and_a_bad_version_is_named() {
        let record = Record { version: "0.4.2".to_owned(), date: "2026-12-03".to_owned(), sha256: "ab".to_owned() };
        assert_eq!(Record::parse(&record.text(), "r").unwrap(), record);
        let bad = Record::parse("version: four\ndate: x\nsha256: y\n", "spec/release/release.yaml").unwrap_err();
        assert!(bad.contains("spec/release/release.yaml: version `four`"), "{bad}");
    }

    #[test]
    fn arguments_are_checked() {
        let args = |list: &[&str]| Args::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert!(args(&["--check", "--version", "1.0.0"]).is_err());
        assert!(args(&["--version", "one"]).unwrap_err().contains("--version one"));
        assert!(args(&["--frobnicate"]).unwrap_err().contains("unknown argument `--frobnicate`"));
        assert_eq!(args(&["--check", "--since", "origin/main"]).unwrap().since.as_deref(), Some("origin/main"));
    }
}
