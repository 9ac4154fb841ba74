//! `cargo xtask test`: everything CI checks, in one command.

use crate::project_root;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// One cargo invocation: a name for the log, its arguments, extra environment.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

pub fn run() -> Result<(), String> {
    let root = project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let steps = [
        // Hand-written code is rustfmt-formatted; generated/ is left alone by rustfmt (its
        // modules are `#[rustfmt::skip]` and the runtime copies are already formatted).
        Step { name: "format", args: &["fmt", "--all", "--check"], env: &[] },
        // Unit, golden, coverage and wire tests, the freshness test, and the generated crate's
        // doctests (its README example among them).
        Step { name: "tests", args: &["test", "--workspace", "--locked"], env: &[] },
        // The generated crate must be warning-free, and so must the hand-written code.
        Step {
            name: "clippy",
            args: &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"],
            env: &[],
        },
        Step {
            name: "docs",
            args: &["doc", "--package", "mailgun", "--no-deps", "--locked"],
            env: &[("RUSTDOCFLAGS", "-D warnings")],
        },
    ];
    let mut totals = Totals::default();
    for Step { name, args, env } in steps {
        println!("==> cargo xtask test: {name}: cargo {}", args.join(" "));
        let mut child = Command::new(&cargo)
            .args(args)
            .envs(env.iter().copied())
            .current_dir(&root)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        // Pass the output through, counting the test harness's result lines on the way.
        let stdout = child.stdout.take().expect("piped");
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| e.to_string())?;
            totals.add(&line);
            println!("{line}");
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("step `{name}` failed"));
        }
    }
    standalone(&cargo, &root)?;
    println!("==> cargo xtask test: semver-checks: cargo-semver-checks on every spec-diff case, when installed");
    crate::semver_checks::run(&cargo)?;
    println!("==> cargo xtask test: contract: every operation against Prism");
    crate::contract::run(&cargo)?;
    println!("==> cargo xtask test: examples: each journey of generated/examples against Prism");
    crate::examples::run(&cargo)?;
    println!("==> cargo xtask test: corpus: documents the generator was not tuned to, generated and compiled");
    crate::corpus::run(&cargo)?;
    println!("==> cargo xtask test: public document: GitHub's REST API, generated and compiled");
    crate::public::run(&cargo)?;
    println!("==> cargo xtask test: all steps passed");
    // One closing line for the whole run, whatever crate's tests happened to run last.
    println!("tests: {} passed, {} failed, {} skipped", totals.passed, totals.failed, totals.ignored);
    Ok(())
}

/// Sums of the libtest summary lines (`test result: ok. 36 passed; 0 failed; 1 ignored; …`).
#[derive(Default)]
struct Totals {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Totals {
    fn add(&mut self, line: &str) {
        let Some(counts) = line.strip_prefix("test result: ") else { return };
        for part in counts.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(kind), Some(number)) = (words.next(), words.next()) else { continue };
            let Ok(number) = number.parse::<u64>() else { continue };
            match kind {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.ignored += number,
                _ => {}
            }
        }
    }
}

/// The generated crate depends on nothing in this workspace: generate it into a folder outside
/// the workspace and build it there, with every feature set CI promises compiles warning-free:
/// the default, all, none, and each feature alone.
fn standalone(cargo: &str, root: &std::path::Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!("mailgun-standalone-{}", std::process::id()));
    println!(
        "==> cargo xtask test: standalone: codegen --out {} && cargo check there (default, all, none, each feature alone)",
        out.display()
    );
    let _ = std::fs::remove_dir_all(&out);
    let mut options = crate::codegen::Options::parse(&[])?;
    options.out = out.clone();
    crate::codegen::run(&options)?;
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let mut sets: Vec<Vec<String>> =
        vec![vec![], vec!["--all-features".to_owned()], vec!["--no-default-features".to_owned()]];
    for feature in features(&manifest).into_iter().filter(|f| f != "default") {
        sets.push(vec!["--no-default-features".to_owned(), "--features".to_owned(), feature]);
    }
    let mut failures = Vec::new();
    for set in &sets {
        let output = Command::new(cargo)
            .args(["check", "--quiet", "--message-format", "short", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .args(set)
            // Share the workspace's build cache: the dependencies are the same crates.
            .env("CARGO_TARGET_DIR", root.join("target"))
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Dependencies' lints are capped, so any warning is the generated crate's.
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning") || l.contains("error")).collect();
        if !output.status.success() || !warnings.is_empty() {
            failures.push(format!("  cargo check {}:\n    {}", set.join(" "), warnings.join("\n    ")));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    println!("standalone: {} feature sets checked, {} with errors or warnings", sets.len(), failures.len());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "step `standalone` failed: the generated crate does not build warning-free outside the workspace:\n{}",
            failures.join("\n")
        ))
    }
}

/// The feature names of a Cargo manifest's `[features]` table.
fn features(manifest: &str) -> Vec<String> {
    let table = manifest.lines().skip_while(|l| l.trim() != "[features]").skip(1);
    table
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter_map(|l| l.split_once('=').map(|(name, _)| name.trim().to_owned()))
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{features, Totals};

    #[test]
    fn features_are_read_from_the_manifest() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\n# all\ndefault = [\"a\"]\na = []\nb-c = [\"dep:d\"]\n\n[dependencies]\nd = \"1\"\n";
        assert_eq!(features(manifest), ["default", "a", "b-c"]);
    }

    #[test]
    fn result_lines_are_summed() {
        let mut totals = Totals::default();
        totals.add("test result: ok. 36 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s");
        totals.add("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
        totals.add("running 3 tests");
        assert_eq!((totals.passed, totals.failed, totals.ignored), (38, 1, 1));
    }
}
