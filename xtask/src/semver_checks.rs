//! cargo-semver-checks as the oracle of the spec diff's verdicts, run on every case of
//! `generator/tests/spec_diff.rs` (each kept under `target/spec-diff-cases/` by that test):
//! both documents are generated into crates, and cargo-semver-checks says which release the
//! change needs. Ours must be at least as strict on every case, and must know exactly where it
//! is stricter: a case it judges `major` is one whose report says cargo-semver-checks sees a
//! breaking change (the report marks the others †: types changed, features lost).
//!
//! cargo-semver-checks is not a dependency: when `cargo semver-checks` is not installed
//! (`cargo install cargo-semver-checks --locked`), the step says it was skipped.

use crate::project_root;
use std::fs;
use std::path::Path;
use std::process::Command;

pub fn run(cargo: &str) -> Result<(), String> {
    let installed = Command::new(cargo).args(["semver-checks", "--version"]).output();
    let version = match installed {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        _ => {
            println!("semver-checks: skipped: cargo-semver-checks is not installed (cargo install cargo-semver-checks --locked)");
            return Ok(());
        }
    };
    let cases_dir = project_root().join("target/spec-diff-cases");
    let mut cases: Vec<_> = fs::read_dir(&cases_dir)
        .map_err(|e| format!("{}: {e} (the generator's spec_diff tests write the cases)", cases_dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("verdict.json").exists())
        .collect();
    cases.sort();
    let work = std::env::temp_dir().join(format!("semver-checks-cases-{}", std::process::id()));
    let mut rows = Vec::new();
    let mut wrong = Vec::new();
    for case in &cases {
        let name = case.file_name().expect("a directory").to_string_lossy().into_owned();
        let ours: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(case.join("verdict.json")).map_err(|e| e.to_string())?)
                .map_err(|e| format!("{name}: {e}"))?;
        let (verdict, seen) =
            (ours["verdict"].as_str().unwrap_or(""), ours["semver_checks_verdict"].as_str().unwrap_or(""));
        let old = work.join(&name).join("old");
        let new = work.join(&name).join("new");
        generate(&case.join("old.json"), None, "0.4.2", &old)?;
        let overrides = case.join("new-overrides.yaml");
        let version = ours["version"].as_str().unwrap_or("0.4.3");
        generate(&case.join("new.json"), overrides.exists().then_some(overrides.as_path()), version, &new)?;
        let (theirs, _) = judge(cargo, &old, &new)?;
        let rank = |level: &str| ["patch", "minor", "major"].iter().position(|l| *l == level).unwrap_or(3);
        let note = if rank(&theirs) > rank(verdict) {
            wrong.push(format!("{name}: cargo-semver-checks needs {theirs}, our verdict is {verdict}"));
            "OURS IS LESS STRICT"
        } else if (theirs == "major") != (seen == "major") {
            wrong.push(format!("{name}: cargo-semver-checks says {theirs}; our report expects it to say {seen}"));
            "THE REPORT MISJUDGES IT"
        } else if theirs == verdict {
            "same"
        } else if verdict == "major" {
            "ours is stricter: the report marks it † (a type changed, or a feature lost)"
        } else {
            "ours is stricter: an addition is a minor release (cargo-semver-checks asks for none)"
        };
        rows.push(format!("  {name:<28} ours {verdict:<5} cargo-semver-checks {theirs:<5} {note}"));
    }
    let _ = fs::remove_dir_all(&work);
    println!("semver-checks ({version}) on {} spec-diff cases:\n{}", cases.len(), rows.join("\n"));
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("cargo-semver-checks disagrees with the spec diff:\n  {}", wrong.join("\n  ")))
    }
}

/// Generates a crate at `version` into `out` (replacing what is there).
pub fn generate(spec: &Path, overrides: Option<&Path>, version: &str, out: &Path) -> Result<(), String> {
    let inputs =
        generator::Inputs { spec, overrides, spec_label: "spec.json", crate_version: Some(version), examples: None };
    let files = generator::generate(inputs).map_err(|e| e.to_string())?;
    let _ = fs::remove_dir_all(out);
    for (path, text) in &files {
        let path = out.join(path);
        fs::create_dir_all(path.parent().expect("a file")).map_err(|e| e.to_string())?;
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The release cargo-semver-checks asks for, from the crate in `old` to the one in `new`
/// (`major`, `minor` or `patch`, whatever their versions say), and what it printed.
pub fn judge(cargo: &str, old: &Path, new: &Path) -> Result<(String, String), String> {
    let output = Command::new(cargo)
        .args(["semver-checks", "check-release", "--release-type", "patch", "--manifest-path"])
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(old)
        // Every feature but the test double's, whose API follows the calls' one for one and
        // whose dependencies would double each case's build (cargo-semver-checks' own choice of
        // features takes every feature not named like an unstable one).
        .args(["--default-features", "--features", "serialize-answers,middleware"])
        // One build cache for every case: the crates depend on the same crates.
        .env("CARGO_TARGET_DIR", project_root().join("target/semver-checks"))
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if let Some(level) = ["major", "minor"].into_iter().find(|l| text.contains(&format!("requires new {l} version"))) {
        return Ok((level.to_owned(), text));
    }
    if output.status.success() {
        return Ok(("patch".to_owned(), text));
    }
    Err(format!("cargo semver-checks failed on {}:\n{text}", new.display()))
}
