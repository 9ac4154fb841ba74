//! A large public OpenAPI document of another API, generated with no overrides and compiled:
//! GitHub's REST API as GitHub publishes it on npm (`@octokit/openapi`), 1,223 operations.
//!
//! The package is fetched once with `npm pack` into `target/public-specs/` (so a fresh clone
//! needs npm and the registry, as CI has) and its integrity is checked by npm.

use crate::project_root;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const PACKAGE: &str = "@octokit/openapi@23.0.2";
const TARBALL: &str = "octokit-openapi-23.0.2.tgz";
const DOCUMENT: &str = "package/generated/api.github.com.json";

/// The document, fetched and unpacked if it is not there yet.
pub fn fetch() -> Result<PathBuf, String> {
    let dir = project_root().join("target/public-specs");
    let document = dir.join(DOCUMENT);
    if document.exists() {
        return Ok(document);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let npm = Command::new("npm")
        .args(["pack", PACKAGE, "--silent"])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cannot run npm (needed to fetch {PACKAGE}): {e}"))?;
    if !npm.success() {
        return Err(format!("`npm pack {PACKAGE}` failed"));
    }
    let tar = Command::new("tar")
        .args(["xzf", TARBALL, DOCUMENT])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !tar.success() || !document.exists() {
        return Err(format!("{TARBALL} has no {DOCUMENT}"));
    }
    Ok(document)
}

/// Fetches, generates (no overrides file) and compiles the public document.
pub fn run(cargo: &str) -> Result<(), String> {
    let spec = fetch()?;
    let out = std::env::temp_dir().join("mailgun-generator-public").join("github");
    let _ = std::fs::remove_dir_all(&out);
    let start = Instant::now();
    let options = crate::codegen::Options::for_document(spec.clone(), out.clone());
    crate::codegen::run(&options).map_err(|e| format!("GitHub's document: {e}"))?;
    let generated = start.elapsed();
    let inputs = generator::Inputs {
        spec: &spec,
        overrides: None,
        spec_label: "api.github.com.json",
        crate_version: None,
        examples: None,
    };
    let api = generator::load_api(inputs).map_err(|e| e.to_string())?;
    let start = Instant::now();
    crate::corpus::check_crate(cargo, &out).map_err(|e| format!("GitHub's document: {e}"))?;
    println!(
        "public document: GitHub REST API ({PACKAGE}): {} operations, {} types, generated in {:.1} s, compiled warning-free in {:.0} s",
        api.operations.len(),
        api.types.len(),
        generated.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}
