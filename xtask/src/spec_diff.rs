//! `cargo xtask spec-diff`: what changed in the API between two versions of the spec, and what
//! that does to the generated crate's Rust API, as a Markdown report.

use crate::project_root;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

pub const USAGE: &str =
    "usage: cargo xtask spec-diff OLD NEW [--overrides FILE] [--old-overrides FILE] [--out FILE] [--semver-checks]
       cargo xtask spec-diff --base REV|release [--out FILE] [--semver-checks]";

/// One side of the comparison: a document and the overrides it is generated with.
#[derive(Debug)]
pub enum Side {
    Files {
        spec: PathBuf,
        overrides: Option<PathBuf>,
    },
    /// The shipped spec and overrides at a git revision.
    AtRevision(String),
}

/// A side's files on disk.
#[derive(Debug)]
pub struct SideFiles {
    pub spec: PathBuf,
    pub overrides: Option<PathBuf>,
}

impl SideFiles {
    /// The generator's inputs for these files, at no version in particular.
    pub fn inputs(&self) -> generator::Inputs<'_> {
        generator::Inputs {
            spec: &self.spec,
            overrides: self.overrides.as_deref(),
            spec_label: "",
            crate_version: None,
            examples: None,
        }
    }
}

impl Side {
    pub fn files(self) -> Result<SideFiles, String> {
        match self {
            Side::Files { spec, overrides } => Ok(SideFiles { spec, overrides }),
            // The last release's spec and overrides, as `spec/release/` keeps them.
            Side::AtRevision(rev) if rev == "release" => Ok(crate::release::released_side()),
            Side::AtRevision(rev) => side_at_revision(&rev),
        }
    }
}

/// The command line, read.
#[derive(Debug)]
pub struct Args {
    pub old: Side,
    pub new: Side,
    pub out: Option<PathBuf>,
    pub semver_checks: bool,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Args, String> {
        let mut positional = Vec::new();
        let (mut overrides, mut old_overrides, mut out, mut base) = (None, None, None, None);
        let mut semver_checks = false;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| args.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
            match arg.as_str() {
                "--overrides" => overrides = Some(PathBuf::from(value("--overrides")?)),
                "--old-overrides" => old_overrides = Some(PathBuf::from(value("--old-overrides")?)),
                "--out" => out = Some(PathBuf::from(value("--out")?)),
                "--base" => base = Some(value("--base")?),
                "--semver-checks" => semver_checks = true,
                flag if flag.starts_with("--") => return Err(format!("unknown argument `{flag}`\n{USAGE}")),
                path => positional.push(PathBuf::from(path)),
            }
        }
        let (old, new) = match (base, positional.as_slice()) {
            (Some(rev), []) if overrides.is_none() && old_overrides.is_none() => {
                (Side::AtRevision(rev), shipped_side())
            }
            (None, [old, new]) => (
                Side::Files { spec: old.clone(), overrides: old_overrides.or_else(|| overrides.clone()) },
                Side::Files { spec: new.clone(), overrides },
            ),
            _ => return Err(USAGE.to_owned()),
        };
        Ok(Args { old, new, out, semver_checks })
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let Args { old, new, out, semver_checks: run_semver_checks } = Args::parse(args)?;
    let (old, new) = (old.files()?, new.files()?);
    let report = compare(&old, &new)?;
    let markdown = report.markdown().map_err(|e| e.to_string())?;
    match out {
        Some(path) => {
            fs::write(&path, &markdown).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("{}\nreport written to {}", report.verdict_line(), path.display());
        }
        None => println!("{}", markdown.trim_end()),
    }
    if run_semver_checks {
        println!("report: {}\n{}", report.verdict_line(), semver_checks(&old, &new)?);
    }
    Ok(())
}

/// Loads both sides to the IR and compares them.
pub fn compare(old: &SideFiles, new: &SideFiles) -> Result<generator::diff::Report, String> {
    let load = |side: &SideFiles| {
        let label = side.spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let inputs = generator::Inputs {
            spec: &side.spec,
            overrides: side.overrides.as_deref(),
            spec_label: &label,
            crate_version: None,
            examples: None,
        };
        generator::load_api(inputs).map_err(|e| e.to_string())
    };
    let (old, new) = (load(old)?, load(new)?);
    generator::diff::compare(&old, &new).map_err(|e| e.to_string())
}

/// The shipped spec and overrides in the working tree.
pub fn shipped_side() -> Side {
    let root = project_root();
    Side::Files { spec: root.join("spec/mailgun-openapi.yaml"), overrides: Some(root.join("spec/overrides.yaml")) }
}

/// The shipped spec and overrides as they are at a git revision, copied under `target/`.
pub fn side_at_revision(rev: &str) -> Result<SideFiles, String> {
    files_at_revision(rev, "spec/mailgun-openapi.yaml", "spec/overrides.yaml", "spec-diff")
}

/// A spec and its overrides as they are at a git revision, copied under `target/<into>/<rev>/`.
/// A revision without the overrides file (from before it existed) gives none.
pub fn files_at_revision(rev: &str, spec: &str, overrides: &str, into: &str) -> Result<SideFiles, String> {
    let dir = project_root().join("target").join(into).join(rev.replace(['/', ':', '~', '^'], "_"));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |text: String, to: PathBuf| fs::write(&to, text).map(|()| to).map_err(|e| e.to_string());
    let spec = write(git(&["show", &format!("{rev}:{spec}")])?, dir.join("mailgun-openapi.yaml"))?;
    let overrides = match git(&["show", &format!("{rev}:{overrides}")]) {
        Ok(text) => Some(write(in_current_format(text)?, dir.join("overrides.yaml"))?),
        Err(_) => None,
    };
    Ok(SideFiles { spec, overrides })
}

/// A side whose overrides file may be older than the generator (a release's copies): the same
/// spec, with its overrides in today's format written under `target/<into>/`.
pub fn in_today_format(side: SideFiles, into: &str) -> Result<SideFiles, String> {
    let Some(overrides) = &side.overrides else { return Ok(side) };
    let text = fs::read_to_string(overrides).map_err(|e| format!("{}: {e}", overrides.display()))?;
    let dir = project_root().join("target").join(into);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let today = dir.join("overrides.yaml");
    fs::write(&today, in_current_format(text)?).map_err(|e| format!("{}: {e}", today.display()))?;
    Ok(SideFiles { spec: side.spec, overrides: Some(today) })
}

/// An overrides file of an earlier revision, in today's format, so an old revision generates
/// the crate it did then and a comparison with it compares like with like. What the generator
/// of its day applied to every crate, the file is given as it applied it:
/// - until release 0.3.3 the generator itself held what is Mailgun's: the crate's name, the
///   on-behalf-of header, the answers that mean another region and the webhook verifier (the
///   file said only which type webhooks post, as `webhook_event`);
/// - until release 0.5.2 every call went with HTTP Basic as user `api` (`client.basic_auth`),
///   and time values were written in RFC 2822 (`client.time_format`).
fn in_current_format(text: String) -> Result<String, String> {
    use serde_yaml::{Mapping, Value};
    let mut value: Value = serde_yaml::from_str(&text).map_err(|e| format!("an earlier overrides file: {e}"))?;
    let Some(map) = value.as_mapping_mut() else { return Ok(text) };
    let yaml = |text: &str| serde_yaml::from_str::<Value>(text).expect("a YAML literal");
    let before_0_3_3 = !(map.contains_key("crate") || map.contains_key("client") || map.contains_key("webhooks"));
    if before_0_3_3 {
        let reason = "What the generator did for every crate before release 0.3.3.";
        map.insert("crate".into(), yaml(&format!("{{name: mailgun, reason: '{reason}'}}")));
        map.insert(
            "client".into(),
            yaml(&format!(
                "{{on_behalf_of: {{header: X-Mailgun-On-Behalf-Of, reason: '{reason}'}}, wrong_region: [{{status: 401, \
                 reason: '{reason}'}}, {{status: 404, message: domain not found, reason: '{reason}'}}]}}"
            )),
        );
        if let Some(Value::Mapping(event)) = map.remove("webhook_event") {
            let mut webhooks = Mapping::new();
            webhooks.insert("signature".into(), "timestamp-token-hmac-sha256".into());
            webhooks.insert("event".into(), event.get("schema").cloned().unwrap_or(Value::Null));
            webhooks.insert("reason".into(), event.get("reason").cloned().unwrap_or_else(|| reason.into()));
            map.insert("webhooks".into(), Value::Mapping(webhooks));
        }
    }
    let Some(Value::Mapping(client)) = map.get_mut("client") else { return Err("`client` is not a mapping".into()) };
    let before_0_5_2 = !client.contains_key("basic_auth");
    if before_0_5_2 {
        let reason = "What the runtime did for every crate before release 0.5.2.";
        client.insert("basic_auth".into(), yaml(&format!("{{username: api, reason: '{reason}'}}")));
        client.insert("time_format".into(), yaml(&format!("{{format: rfc2822, reason: '{reason}'}}")));
    }
    if !before_0_3_3 && !before_0_5_2 {
        return Ok(text);
    }
    serde_yaml::to_string(&value).map_err(|e| e.to_string())
}

/// Whether the shipped spec or overrides differ from git revision `rev`; `None` outside a git
/// checkout or for an unknown revision.
pub fn shipped_spec_changed_since(rev: &str) -> Option<bool> {
    let status = Command::new("git")
        .args(["diff", "--quiet", rev, "--", "spec/mailgun-openapi.yaml", "spec/overrides.yaml"])
        .current_dir(project_root())
        .status()
        .ok()?;
    match status.code() {
        Some(0) => Some(false),
        Some(1) => Some(true),
        _ => None,
    }
}

/// Runs git in the workspace and returns what it printed; a failure is an error with git's
/// message.
pub fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(project_root())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("git {}: {e}", args.join(" ")))
}

/// Generates both sides into temporary crates and runs cargo-semver-checks on them, so its
/// verdict can be read next to the report's. Needs `cargo install cargo-semver-checks`.
pub fn semver_checks(old: &SideFiles, new: &SideFiles) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("spec-diff-semver-{}", std::process::id()));
    let (old_crate, new_crate) = (dir.join("old"), dir.join("new"));
    crate::semver_checks::generate(&old.spec, old.overrides.as_deref(), "0.1.0", &old_crate)?;
    crate::semver_checks::generate(&new.spec, new.overrides.as_deref(), "0.1.0", &new_crate)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let judged = crate::semver_checks::judge(&cargo, &old_crate, &new_crate);
    let _ = fs::remove_dir_all(&dir);
    let (level, text) = judged?;
    Ok(format!("cargo-semver-checks: {level}\n{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The workflow shipped for the project's users cannot run here; this reads it as GitHub
    /// would (YAML), and checks that every `cargo xtask` command it runs exists and accepts its
    /// arguments.
    #[test]
    fn the_pull_request_workflow_runs_commands_that_exist() {
        let path = project_root().join(".github/workflows/spec-review.yml");
        let text = fs::read_to_string(&path).unwrap();
        let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        assert!(workflow["on"]["pull_request"].is_null() || workflow["on"]["pull_request"].is_mapping());
        let steps = workflow["jobs"]["spec-review"]["steps"].as_sequence().expect("a job with steps");
        let mut commands = Vec::new();
        for step in steps {
            let Some(script) = step["run"].as_str() else { continue };
            for line in script.lines() {
                let Some(rest) = line.trim().strip_prefix("cargo xtask ") else { continue };
                // The shell expands `$BASE`; any branch name stands for it here.
                let words: Vec<String> =
                    rest.replace("\"origin/$BASE\"", "origin/main").split_whitespace().map(str::to_owned).collect();
                commands.push(words);
            }
        }
        let names: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
        assert_eq!(
            names,
            ["codegen", "spec-diff", "release"],
            "the workflow checks freshness, reports, then the release"
        );
        for words in &commands {
            match words[0].as_str() {
                "codegen" => {
                    let options = crate::codegen::Options::parse(&words[1..]).unwrap();
                    assert!(options.check, "the workflow only checks");
                }
                "spec-diff" => {
                    let args = Args::parse(&words[1..]).unwrap();
                    assert!(matches!(args.old, Side::AtRevision(ref rev) if rev == "origin/main"));
                    assert!(args.out.is_some());
                }
                "release" => {
                    assert_eq!(words[1..], ["--check", "--since", "origin/main"], "the workflow only checks");
                    crate::release::parse_args(&words[1..]).unwrap();
                }
                other => panic!("`cargo xtask {other}` is not a command"),
            }
        }
        let run_of = |needle: &str| {
            steps
                .iter()
                .find(|s| s["run"].as_str().is_some_and(|r| r.contains(needle)))
                .unwrap_or_else(|| panic!("no step runs {needle}"))
        };
        // Every step after the freshness check runs only when spec/ changed.
        for needle in ["spec-diff", "gh pr comment", "release --check", "semver-checks check-release"] {
            assert_eq!(run_of(needle)["if"].as_str(), Some("steps.spec.outputs.changed == 'true'"), "{needle}");
        }
        assert!(run_of("spec-diff")["run"].as_str().unwrap().contains("$GITHUB_STEP_SUMMARY"));
        // A fork's token cannot comment: that must not fail the review.
        assert_eq!(run_of("gh pr comment")["continue-on-error"].as_bool(), Some(true));
        let semver = run_of("semver-checks check-release")["run"].as_str().unwrap();
        assert!(
            semver.contains("cargo install cargo-semver-checks") && semver.contains("--baseline-rev \"origin/$BASE\"")
        );
    }

    /// `--base REV` reads the shipped spec out of git: against HEAD, on a checkout whose spec is
    /// committed, nothing changed.
    #[test]
    fn base_revision_reads_the_spec_from_git() {
        if shipped_spec_changed_since("HEAD") != Some(false) {
            eprintln!("spec/ differs from HEAD (or this is not a git checkout): nothing to compare against");
            return;
        }
        let old = side_at_revision("HEAD").unwrap();
        let report = compare(&old, &shipped_side().files().unwrap()).unwrap();
        assert!(report.changes.is_empty(), "{}", report.summary(10));
        assert!(side_at_revision("no-such-revision")
            .unwrap_err()
            .contains("git show no-such-revision:spec/mailgun-openapi.yaml"));
    }

    /// The last revision whose overrides file did not say what is Mailgun's (release 0.3.2's
    /// tree, ed9ff78) generates the crate today's file does: the same API, nothing changed.
    #[test]
    fn an_overrides_file_from_before_it_named_the_crate_is_read_as_then() {
        let Ok(old) = side_at_revision("ed9ff78") else {
            eprintln!("no git history here: nothing to compare against");
            return;
        };
        let text = fs::read_to_string(old.overrides.as_ref().unwrap()).unwrap();
        assert!(text.contains("X-Mailgun-On-Behalf-Of") && text.contains("timestamp-token-hmac-sha256"), "{text}");
        let report = compare(&old, &shipped_side().files().unwrap()).unwrap();
        assert!(report.changes.is_empty(), "{}", report.summary(10));
        let today = fs::read_to_string(project_root().join("spec/overrides.yaml")).unwrap();
        assert_eq!(in_current_format(today.clone()).unwrap(), today, "a file in today's format is kept as it is");
    }

    /// The last revision before the overrides said how Mailgun authenticates (release 0.5.1's
    /// inputs) generates the crate today's file does.
    #[test]
    fn an_overrides_file_from_before_it_named_the_basic_user_is_read_as_then() {
        let Ok(old) = side_at_revision("4f432f5") else {
            eprintln!("no git history here: nothing to compare against");
            return;
        };
        let text = fs::read_to_string(old.overrides.as_ref().unwrap()).unwrap();
        assert!(text.contains("basic_auth") && text.contains("username: api") && text.contains("rfc2822"), "{text}");
        let report = compare(&old, &shipped_side().files().unwrap()).unwrap();
        assert!(report.changes.is_empty(), "{}", report.summary(10));
    }

    #[test]
    fn arguments_are_checked() {
        let args = |list: &[&str]| Args::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert!(args(&["a.yaml"]).is_err());
        assert!(args(&["--base", "HEAD", "a.yaml"]).is_err());
        assert!(args(&["a.yaml", "b.yaml", "--frobnicate"]).unwrap_err().contains("unknown argument `--frobnicate`"));
        let both = args(&["a.yaml", "b.yaml", "--overrides", "o.yaml"]).unwrap();
        assert!(matches!(both.old, Side::Files { overrides: Some(ref o), .. } if o == Path::new("o.yaml")));
    }
}
