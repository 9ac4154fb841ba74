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
    println!("==> cargo xtask test: contract: every operation against Prism");
    crate::contract::run(&cargo)?;
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
/// the workspace and build it there.
fn standalone(cargo: &str, root: &std::path::Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!("mailgun-standalone-{}", std::process::id()));
    println!(
        "==> cargo xtask test: standalone: codegen --out {} && cargo check there (default and no features)",
        out.display()
    );
    let _ = std::fs::remove_dir_all(&out);
    let mut options = crate::codegen::Options::parse(&[])?;
    options.out = out.clone();
    crate::codegen::run(&options)?;
    // With the default features, and with none (the optional parts must not be load-bearing).
    let mut built = true;
    for features in [None, Some("--no-default-features")] {
        let status = Command::new(cargo)
            .args(["check", "--quiet", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .args(features)
            // Share the workspace's build cache: the dependencies are the same crates.
            .env("CARGO_TARGET_DIR", root.join("target"))
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        built &= status.success();
    }
    let _ = std::fs::remove_dir_all(&out);
    if built {
        Ok(())
    } else {
        Err("step `standalone` failed: the generated crate does not build outside the workspace".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::Totals;

    #[test]
    fn result_lines_are_summed() {
        let mut totals = Totals::default();
        totals.add("test result: ok. 36 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s");
        totals.add("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
        totals.add("running 3 tests");
        assert_eq!((totals.passed, totals.failed, totals.ignored), (38, 1, 1));
    }
}
