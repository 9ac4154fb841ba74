//! Runs the generator (no overrides) on every `.json`/`.yaml` document under a folder and
//! reports what fails: `cargo run --release -p generator --example sweep -- DIR`.
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("a folder"));
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    let (mut ok, mut failed, mut panicked, mut skipped) = (0, 0, 0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if !text.contains("\"openapi\"") && !text.contains("openapi:") {
            skipped += 1;
            continue;
        }
        let inputs =
            generator::Inputs { spec: file, overrides: None, spec_label: "spec", crate_version: None, examples: None };
        match std::panic::catch_unwind(|| generator::generate(inputs)) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                failed += 1;
                println!("FAIL {}: {}", file.display(), e.to_string().lines().next().unwrap_or(""));
            }
            Err(_) => {
                panicked += 1;
                println!("PANIC {}", file.display());
            }
        }
    }
    println!("sweep: {ok} generated, {failed} failed, {panicked} panicked, {skipped} not OpenAPI 3");
}
