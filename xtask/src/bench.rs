//! `cargo xtask bench`: how long codegen takes, phase by phase, and how long the generated
//! crate takes to check. Figures are medians; nothing here asserts a time.
//!
//! Run it as `cargo run --release -p xtask -- bench` for release figures.

use crate::project_root;
use std::process::Command;
use std::time::{Duration, Instant};

pub fn run(args: &[String]) -> Result<(), String> {
    let runs: usize = match args {
        [] => 10,
        [flag, n] if flag == "--runs" => n.parse().map_err(|_| format!("--runs takes a number, not `{n}`"))?,
        _ => return Err("usage: cargo xtask bench [--runs N]".to_owned()),
    };
    let root = project_root();
    let spec = root.join("spec/mailgun-openapi.yaml");
    let overrides = root.join("spec/overrides.yaml");
    let inputs =
        generator::Inputs { spec: &spec, overrides: Some(&overrides), spec_label: "spec/mailgun-openapi.yaml" };
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("codegen phases ({profile} build of the generator, median of {runs} runs):");

    let mut phases: [(&str, Vec<Duration>); 5] = [
        ("load + patch + downlevel + parse", vec![]),
        ("normalise + naming", vec![]),
        ("emit", vec![]),
        ("render", vec![]),
        ("total", vec![]),
    ];
    let mut output = generator::Files::new();
    for _ in 0..runs {
        let start = Instant::now();
        let overrides = generator::read_overrides(inputs).map_err(|e| e.to_string())?;
        let doc = generator::read_document(inputs, &overrides).map_err(|e| e.to_string())?;
        let loaded = Instant::now();
        let mut api = generator::normalise::normalise(&doc, &overrides).map_err(|i| i.in_file(&spec).to_string())?;
        generator::naming::assign(&mut api, &overrides).map_err(|i| i.in_file(&spec).to_string())?;
        let normalised = Instant::now();
        let files = generator::emit::emit(&api).map_err(|e| e.to_string())?;
        let emitted = Instant::now();
        output = generator::render::render(&api, files, inputs.spec_label).map_err(|e| e.to_string())?;
        let rendered = Instant::now();
        for (i, (from, to)) in
            [(start, loaded), (loaded, normalised), (normalised, emitted), (emitted, rendered), (start, rendered)]
                .into_iter()
                .enumerate()
        {
            phases[i].1.push(to - from);
        }
    }
    for (name, mut times) in phases {
        times.sort();
        println!("  {name:<34} {:>8.1} ms", times[times.len() / 2].as_secs_f64() * 1000.0);
    }
    let rust: Vec<&String> = output.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t).collect();
    let lines: usize = rust.iter().map(|t| t.lines().count()).sum();
    println!("output: {} files, {} Rust files, {lines} lines of Rust", output.len(), rust.len());

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut checks = Vec::new();
    for _ in 0..3 {
        let clean = Command::new(&cargo).args(["clean", "--quiet", "-p", "mailgun"]).current_dir(&root).status();
        if !clean.is_ok_and(|s| s.success()) {
            return Err("cargo clean -p mailgun failed".to_owned());
        }
        let start = Instant::now();
        let check = Command::new(&cargo).args(["check", "--quiet", "-p", "mailgun"]).current_dir(&root).status();
        if !check.is_ok_and(|s| s.success()) {
            return Err("cargo check -p mailgun failed".to_owned());
        }
        checks.push(start.elapsed());
    }
    checks.sort();
    println!(
        "generated crate: cargo check after cargo clean -p mailgun: {:.1} s (median of 3)",
        checks[1].as_secs_f64()
    );
    Ok(())
}
