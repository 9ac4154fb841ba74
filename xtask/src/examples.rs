//! `cargo xtask examples`: the journeys of `generated/examples/`, built and each run against
//! Prism serving the spec (`sdk-tests/tests/examples.rs`).

use crate::project_root;
use std::process::Command;

pub fn run(cargo: &str) -> Result<(), String> {
    let prism = crate::contract::install()?;
    let root = project_root();
    // Built as `cargo test --workspace` builds them (it builds the examples too): with the
    // same features, so after the test step nothing is built again. `cargo build` leaves
    // out the dev-dependencies' features, and rebuilds the TLS stack and all above it.
    let build = |args: &[&str], failure: &str| -> Result<(), String> {
        let status =
            Command::new(cargo).args(args).current_dir(&root).status().map_err(|e| format!("cannot run cargo: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(failure.to_owned())
        }
    };
    build(&["test", "--workspace", "--no-run", "--locked"], "the examples do not build")?;
    // An example with tests of its own (`test = true`) is built by `cargo test` as its test
    // harness only; its program is built here, with the same features (nothing else rebuilds).
    build(&["build", "--workspace", "--examples", "--locked"], "the example programs do not build")?;
    let target = crate::target_dir();
    let status = Command::new(cargo)
        .args(["test", "--package", "sdk-tests", "--test", "examples", "--locked", "--", "--ignored", "--nocapture"])
        .env("PRISM_BIN", &prism)
        .env("MAILGUN_EXAMPLES_DIR", target.join("debug/examples"))
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("an example failed against the mock".to_owned());
    }
    Ok(())
}
