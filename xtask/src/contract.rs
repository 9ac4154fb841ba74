//! The contract test's mock server: Stoplight Prism, installed from npm into `target/prism/`
//! (once; a fresh clone needs node, npm and the registry, as CI has), then the test itself
//! (`sdk-tests/tests/contract.rs`), which starts Prism and calls every operation.

use crate::project_root;
use std::path::PathBuf;
use std::process::Command;

const PACKAGE: &str = "@stoplight/prism-cli";
const VERSION: &str = "5.16.0";

/// The `prism` executable, installed if it is not there in the right version.
pub fn install() -> Result<PathBuf, String> {
    let dir = project_root().join("target/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let manifest = dir.join("node_modules/@stoplight/prism-cli/package.json");
    let installed = std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|package| package["version"] == VERSION);
    if installed && bin.exists() {
        return Ok(bin);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // A package.json of its own, so npm installs here and not in a parent project.
    std::fs::write(dir.join("package.json"), "{\"private\": true}\n").map_err(|e| e.to_string())?;
    let spec = format!("{PACKAGE}@{VERSION}");
    println!("contract: installing {spec} with npm into {}", dir.display());
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error", &spec])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cannot run npm (needed to install {spec}): {e}"))?;
    if !status.success() || !bin.exists() {
        return Err(format!("`npm install {spec}` failed"));
    }
    Ok(bin)
}

/// Installs Prism and runs the contract test against it.
pub fn run(cargo: &str) -> Result<(), String> {
    let prism = install()?;
    let status = Command::new(cargo)
        .args([
            "test",
            "--package",
            "sdk-tests",
            "--test",
            "contract",
            "--locked",
            "--",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("PRISM_BIN", &prism)
        .current_dir(project_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("the contract test failed".to_owned());
    }
    Ok(())
}
