//! `cargo xtask drift FILE`: where recorded answers differ from the API document, per
//! operation. The work is done by `sdk-tests`' `drift` binary, which reads the answers through
//! the generated client (this binary does not depend on the crate it generates).

use crate::project_root;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let [file] = args else { return Err("usage: cargo xtask drift FILE".to_owned()) };
    // The file is read by a program run in the workspace root: give it the path as the user
    // meant it, from where they are.
    let file = std::env::current_dir().map_err(|e| e.to_string())?.join(file);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--package", "sdk-tests", "--bin", "drift", "--"])
        .arg(&file)
        .current_dir(project_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("drift: {} holds answers that are not all read as they came (see above)", file.display())),
    }
}
