//! `cargo xtask bench`: how long codegen takes, phase by phase, how it scales with the size of
//! the document, and how long the generated crate takes to check and build, with every API
//! area and with messages only. Figures are medians, one per line (`name: value unit`) so two
//! commits' outputs compare line by line; nothing here asserts a time.
//!
//! Run it as `cargo run --release -p xtask -- bench` for release figures.

use crate::project_root;
use serde_yaml::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: cargo xtask bench [--runs N] [--no-crate]";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut runs = 10;
    let mut crate_times = true;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let n = args.next().ok_or(USAGE)?;
                runs = n.parse().map_err(|_| format!("--runs takes a number, not `{n}`"))?;
            }
            "--no-crate" => crate_times = false,
            _ => return Err(USAGE.to_owned()),
        }
    }
    let root = project_root();
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("# codegen: {profile} build of the generator, median of {runs} runs");
    let spec = root.join("spec/mailgun-openapi.yaml");
    let overrides = root.join("spec/overrides.yaml");
    let mailgun = phases(&spec, Some(&overrides), runs)?;
    mailgun.print("codegen");
    println!("codegen peak RSS (whole process so far): {:.0} MB", peak_rss_mb());

    // The same document ten times over: every path and component copied under new names.
    let larger = std::env::temp_dir().join(format!("bench-10x-{}.yaml", std::process::id()));
    let text = std::fs::read_to_string(&spec).map_err(|e| e.to_string())?;
    let doc: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let big = serde_yaml::to_string(&copies(&doc, 10)).map_err(|e| e.to_string())?;
    std::fs::write(&larger, &big).map_err(|e| e.to_string())?;
    let scaled = phases(&larger, None, runs.div_ceil(3))?;
    let _ = std::fs::remove_file(&larger);
    let plain = phases(&spec, None, runs)?;
    scaled.print("codegen 10x");
    println!(
        "codegen 10x document size: {:.1} MB ({:.1} times)",
        big.len() as f64 / 1e6,
        big.len() as f64 / text.len() as f64
    );
    println!(
        "codegen 10x time ratio (same settings, no overrides): {:.1}",
        scaled.total.as_secs_f64() / plain.total.as_secs_f64()
    );
    println!("codegen peak RSS (whole process, after 10x): {:.0} MB", peak_rss_mb());
    println!(
        "codegen output: {} files, {} lines of Rust, {} operations",
        mailgun.files, mailgun.rust_lines, mailgun.operations
    );

    if crate_times {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        println!("# generated crate: after `cargo clean -p mailgun`, median of 3");
        for (label, features) in
            [("all features", &[][..]), ("messages only", &["--no-default-features", "--features", "messages"][..])]
        {
            for command in ["check", "build"] {
                let time = crate_time(&cargo, &root, command, features)?;
                println!("crate {command}, {label}: {:.2} s", time.as_secs_f64());
            }
        }
    }
    Ok(())
}

/// Medians of the pipeline's phases over `runs` runs.
struct Phases {
    load: Duration,
    normalise: Duration,
    emit: Duration,
    render: Duration,
    write: Duration,
    total: Duration,
    files: usize,
    rust_lines: usize,
    operations: usize,
}

impl Phases {
    fn print(&self, prefix: &str) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!("{prefix} load + patch + refs + downlevel + parse: {:.1} ms", ms(self.load));
        println!("{prefix} normalise + naming: {:.1} ms", ms(self.normalise));
        println!("{prefix} emit: {:.1} ms", ms(self.emit));
        println!("{prefix} render (format): {:.1} ms", ms(self.render));
        println!("{prefix} write: {:.1} ms", ms(self.write));
        println!("{prefix} total: {:.1} ms", ms(self.total));
    }
}

fn phases(spec: &Path, overrides: Option<&Path>, runs: usize) -> Result<Phases, String> {
    let inputs = generator::Inputs { spec, overrides, spec_label: "spec/mailgun-openapi.yaml" };
    let out = std::env::temp_dir().join(format!("bench-out-{}", std::process::id()));
    let mut times: [Vec<Duration>; 6] = Default::default();
    let mut last = (0, 0, 0);
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_dir_all(&out);
        let start = Instant::now();
        let overrides = generator::read_overrides(inputs).map_err(|e| e.to_string())?;
        let doc = generator::read_document(inputs, &overrides).map_err(|e| e.to_string())?;
        let loaded = Instant::now();
        let mut api = generator::normalise::normalise(&doc, &overrides).map_err(|i| i.in_file(spec).to_string())?;
        generator::naming::assign(&mut api, &overrides).map_err(|i| i.in_file(spec).to_string())?;
        let normalised = Instant::now();
        let files = generator::emit::emit(&api).map_err(|e| e.to_string())?;
        let emitted = Instant::now();
        let output = generator::render::render(&api, files, inputs.spec_label).map_err(|e| e.to_string())?;
        let rendered = Instant::now();
        for (path, text) in &output {
            let target = out.join(path);
            std::fs::create_dir_all(target.parent().expect("a file")).map_err(|e| e.to_string())?;
            std::fs::write(&target, text).map_err(|e| e.to_string())?;
        }
        let written = Instant::now();
        let steps = [
            (start, loaded),
            (loaded, normalised),
            (normalised, emitted),
            (emitted, rendered),
            (rendered, written),
            (start, written),
        ];
        for (i, (from, to)) in steps.into_iter().enumerate() {
            times[i].push(to - from);
        }
        let rust: Vec<&String> = output.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t).collect();
        last = (output.len(), rust.iter().map(|t| t.lines().count()).sum(), api.operations.len());
    }
    let _ = std::fs::remove_dir_all(&out);
    let [load, normalise, emit, render, write, total] = times.map(median);
    Ok(Phases { load, normalise, emit, render, write, total, files: last.0, rust_lines: last.1, operations: last.2 })
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// `count` copies of every path and component, each copy's names and references suffixed, so
/// that nothing is shared between copies (the de-duplication still merges identical types,
/// as it would in a real document).
fn copies(doc: &Value, count: usize) -> Value {
    let mut out = doc.clone();
    let (Some(paths), Some(components)) = (doc["paths"].as_mapping(), doc["components"].as_mapping()) else {
        return out;
    };
    let mut all_paths = serde_yaml::Mapping::new();
    let mut all_components = serde_yaml::Mapping::new();
    for copy in 0..count {
        let rename = |value: &Value| renamed(value, copy);
        for (path, item) in paths {
            let path =
                if copy == 0 { path.clone() } else { format!("/copy{copy}{}", path.as_str().unwrap_or("")).into() };
            all_paths.insert(path, rename(item));
        }
        for (section, entries) in components {
            let target = all_components.entry(section.clone()).or_insert_with(|| Value::Mapping(Default::default()));
            for (name, entry) in entries.as_mapping().into_iter().flatten() {
                let name = format!("{}{}", name.as_str().unwrap_or(""), suffix(copy));
                target.as_mapping_mut().expect("a section is a map").insert(name.into(), rename(entry));
            }
        }
    }
    out["paths"] = Value::Mapping(all_paths);
    out["components"] = Value::Mapping(all_components);
    out
}

fn suffix(copy: usize) -> String {
    if copy == 0 {
        String::new()
    } else {
        format!("-copy{copy}")
    }
}

/// A value with its component references and operationIds given a copy's suffix.
fn renamed(value: &Value, copy: usize) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .map(|(key, v)| {
                    let v = match (key.as_str(), v.as_str()) {
                        (Some("$ref"), Some(reference)) if reference.starts_with("#/components/") => {
                            format!("{reference}{}", suffix(copy)).into()
                        }
                        (Some("operationId"), Some(id)) => format!("{id}{}", suffix(copy)).into(),
                        _ => renamed(v, copy),
                    };
                    (key.clone(), v)
                })
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.iter().map(|v| renamed(v, copy)).collect()),
        other => other.clone(),
    }
}

/// The process's peak resident memory, from `/proc` (0 where there is none).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Median of 3: `cargo clean -p mailgun`, then `cargo <command> -p mailgun <features>`.
fn crate_time(cargo: &str, root: &Path, command: &str, features: &[&str]) -> Result<Duration, String> {
    // Dependencies are built once first, so that only the crate itself is timed.
    let warm =
        Command::new(cargo).args([command, "--quiet", "-p", "mailgun"]).args(features).current_dir(root).status();
    if !warm.is_ok_and(|s| s.success()) {
        return Err(format!("cargo {command} -p mailgun failed"));
    }
    let mut times = Vec::new();
    for _ in 0..3 {
        let clean = Command::new(cargo).args(["clean", "--quiet", "-p", "mailgun"]).current_dir(root).status();
        if !clean.is_ok_and(|s| s.success()) {
            return Err("cargo clean -p mailgun failed".to_owned());
        }
        let start = Instant::now();
        let status =
            Command::new(cargo).args([command, "--quiet", "-p", "mailgun"]).args(features).current_dir(root).status();
        if !status.is_ok_and(|s| s.success()) {
            return Err(format!("cargo {command} -p mailgun failed"));
        }
        times.push(start.elapsed());
    }
    Ok(median(times))
}
