//! `cargo xtask test`: everything CI checks, in one command.

use crate::project_root;
use std::process::Command;

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
    for Step { name, args, env } in steps {
        println!("==> cargo xtask test: {name}: cargo {}", args.join(" "));
        let status = Command::new(&cargo)
            .args(args)
            .envs(env.iter().copied())
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("step `{name}` failed"));
        }
    }
    println!("==> cargo xtask test: all steps passed");
    Ok(())
}
