//! `cargo xtask bench`: how long codegen takes, phase by phase, how it scales with the size of
//! the document, how long the generated crate takes to check and build (default features, that
//! is every API area; all features; messages only), and what the generated client costs per
//! request next to the same work written by hand (`sdk-tests/benches/per_request.rs`,
//! criterion). With `--anchor`, the same run also measures openapi-generator on the same spec
//! (`xtask/bench/`, a copy of the team's anchor script) and prints the ratios; with `--cold`,
//! both crates' builds from nothing, dependencies included. Figures are medians, one per line
//! (`name: value unit`) so two commits' outputs compare line by line; nothing here asserts a
//! time.
//!
//! `cargo xtask bench` measures the build users run (the `xtask` profile); the release binary's
//! figures on GitHub's document are measured beside it.

use crate::project_root;
use serde_yaml::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: cargo xtask bench [--runs N] [--no-crate] [--no-requests] [--anchor] [--cold]";

/// The folders the timed runs generate into: each run a new one, none removed until the bench
/// ends. ext4 without a journal (this project's machine) passes over inodes freed in the last
/// minute or more before it hands one out: creating GitHub's 3,276 files soon after removing as
/// many took 0.3-0.9 s instead of 0.06 s, so a run timed after another run's folder was removed
/// timed the file system, not the command. (Files removed before the bench began, by an earlier
/// run or anything else, can still slow its first minutes.)
struct Scratch {
    folders: Vec<std::path::PathBuf>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch { folders: Vec::new() }
    }

    /// A folder that does not exist yet, removed (with its format cache) when the bench ends.
    fn folder(&mut self, name: &str) -> std::path::PathBuf {
        let folder = std::env::temp_dir().join(format!("bench-{name}-{}-{}", std::process::id(), self.folders.len()));
        let _ = std::fs::remove_dir_all(&folder);
        self.folders.push(folder.clone());
        folder
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for folder in &self.folders {
            let _ = std::fs::remove_file(crate::codegen::format_cache_file(folder));
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut runs = 10;
    let mut crate_times = true;
    let mut request_times = true;
    let mut anchor = false;
    let mut cold = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let n = args.next().ok_or(USAGE)?;
                runs = n.parse().map_err(|_| format!("--runs takes a number, not `{n}`"))?;
            }
            "--no-crate" => crate_times = false,
            "--no-requests" => request_times = false,
            "--anchor" => anchor = true,
            "--cold" => cold = true,
            _ => return Err(USAGE.to_owned()),
        }
    }
    let root = project_root();
    let mut scratch = Scratch::new();
    println!("# codegen: the generator built in the `{}` profile, median of {runs} runs", profile());
    let spec = root.join("spec/mailgun-openapi.yaml");
    let overrides = root.join("spec/overrides.yaml");
    let mailgun = phases(&spec, Some(&overrides), runs, &mut scratch)?;
    mailgun.print("codegen");
    let parallel = emit_and_render(&spec, &overrides, runs)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "codegen emit + render on {threads} threads (what `codegen` runs; the phases above are on one): {:.1} ms",
        parallel.as_secs_f64() * 1000.0
    );
    println!("codegen peak RSS (whole process so far): {:.0} MB", peak_rss_mb());

    // The same document ten times over: every path and component copied under new names.
    let larger = std::env::temp_dir().join(format!("bench-10x-{}.yaml", std::process::id()));
    let text = std::fs::read_to_string(&spec).map_err(|e| e.to_string())?;
    let doc: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let big = serde_yaml::to_string(&copies(&doc, 10)).map_err(|e| e.to_string())?;
    std::fs::write(&larger, &big).map_err(|e| e.to_string())?;
    let scaled = phases(&larger, None, runs.div_ceil(3), &mut scratch)?;
    let _ = std::fs::remove_file(&larger);
    let plain = phases(&spec, None, runs, &mut scratch)?;
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

    // At scale: GitHub's REST document (1,223 operations, 13 MB), phase by phase.
    let github = crate::public::fetch()?;
    let github_phases = phases(&github, None, runs.div_ceil(3), &mut scratch)?;
    github_phases.print("codegen GitHub");
    println!("codegen GitHub peak RSS (whole process so far): {:.0} MB", peak_rss_mb());

    let whole = whole_command(&root, runs.min(5), &mut scratch)?;
    println!(
        "codegen whole command, into a new directory (`xtask codegen --out`, median of {}): {:.2} s",
        runs.min(5),
        whole.as_secs_f64()
    );
    let in_place = in_place_command(&root, runs.min(5))?;
    println!(
        "codegen whole command, against an up-to-date generated/ (`xtask codegen --check`, median of {}): {:.2} s",
        runs.min(5),
        in_place.as_secs_f64()
    );

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // What a user runs: the README's command, through cargo, in the build its alias asks for.
    let user = user_command(&cargo, &root, &[], runs.min(5))?;
    println!(
        "codegen as users run it (`cargo xtask codegen`, generated/ up to date, median of {}): {:.2} s",
        runs.min(5),
        user.time.as_secs_f64()
    );
    let github_out = scratch.folder("github");
    let github_args = ["--spec".as_ref(), github.as_os_str(), "--out".as_ref(), github_out.as_os_str()];
    let first = user_command(&cargo, &root, &github_args, 0)?;
    let again = user_command(&cargo, &root, &github_args, 1)?;
    println!(
        "codegen GitHub as users run it (`cargo xtask codegen --spec … --out …`): {} into a new folder, {} again",
        first, again
    );
    let github_out = scratch.folder("github-release");
    let github_args = ["--spec".as_ref(), github.as_os_str(), "--out".as_ref(), github_out.as_os_str()];
    let [first, again] = release_binary(&cargo, &root, &github_args)?;
    println!("codegen GitHub, release binary (`target/release/xtask codegen --spec … --out …`): {first} into a new folder, {again} again");
    if cold {
        let target = std::env::temp_dir().join(format!("bench-cold-xtask-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&target);
        let start = Instant::now();
        let status = Command::new(&cargo)
            .args(["xtask", "codegen", "--check"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&root)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        let _ = std::fs::remove_dir_all(&target);
        if !status.success() {
            return Err("`cargo xtask codegen --check` from an empty target directory failed".to_owned());
        }
        println!(
            "codegen as users run it the first time (`cargo xtask codegen`, from an empty target directory, building the generator): {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    let mut ours = Figures { codegen: whole, codegen_in_place: in_place, ..Figures::default() };
    if crate_times {
        println!("# generated crate: after `cargo clean -p mailgun`, median of 3");
        // The defaults are every API area and webhook verification; `--all-features` adds the
        // test double (`mock`), `serialize-answers` and `middleware`, which users turn on for
        // their tests or by choice. Each with where its times go (messages only: the build's).
        let configurations: [(&str, &[&str], Option<&mut Duration>, &mut Duration); 3] = [
            ("default features (every API area)", &[], Some(&mut ours.check), &mut ours.build),
            ("all features", &["--all-features"], Some(&mut ours.check_all), &mut ours.build_all),
            ("messages only", &["--no-default-features", "--features", "messages"], None, &mut ours.messages_build),
        ];
        for (label, features, check, build) in configurations {
            let time = crate_time(&cargo, &root, "check", features)?;
            println!("crate check, {label}: {:.2} s", time.as_secs_f64());
            if let Some(check) = check {
                *check = time;
            }
            *build = crate_time(&cargo, &root, "build", features)?;
            println!("crate build, {label}: {:.2} s", build.as_secs_f64());
        }
    }
    if request_times {
        requests(&cargo, &root)?;
        allocations(&cargo, &root)?;
        instructions(&cargo, &root)?;
        load(&cargo, &root)?;
    }
    if cold {
        println!("# cold build: the crate and its dependencies, from an empty target directory");
        let target = std::env::temp_dir().join(format!("bench-cold-{}", std::process::id()));
        ours.cold = cold_build(&cargo, &root, &["build", "-q", "-p", "mailgun"], &target)?;
        println!("crate cold build, default features (rustls): {:.1} s", ours.cold.as_secs_f64());
    }
    if anchor {
        let theirs = openapi_generator(&cargo, &root, cold)?;
        ratios(&ours, &theirs);
        if crate_times {
            side_by_side(&cargo, &root, &anchor_work().join("out"))?;
        }
    }
    Ok(())
}

/// The figures that the openapi-generator anchor is compared on.
#[derive(Default)]
struct Figures {
    codegen: Duration,
    codegen_in_place: Duration,
    /// Default features (every API area); openapi-generator's crate has no features.
    check: Duration,
    build: Duration,
    check_all: Duration,
    build_all: Duration,
    messages_build: Duration,
    cold: Duration,
}

/// The whole `codegen` command, as a user runs it: this binary, in a new process, writing into
/// an empty directory (median of `runs`).
fn whole_command(root: &Path, runs: usize, scratch: &mut Scratch) -> Result<Duration, String> {
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let out = scratch.folder("whole");
        times.push(time_codegen(root, &["--no-cache".as_ref(), "--out".as_ref(), out.as_os_str()])?);
    }
    Ok(median(times))
}

/// `cargo xtask codegen ARGS` as a user types it (through cargo's alias, so cargo's own check of
/// the build is in it): after `warm_up` runs, the median of 3 (or the one run when `warm_up` is
/// 0: the first).
fn user_command(cargo: &str, root: &Path, args: &[&std::ffi::OsStr], warm_up: usize) -> Result<Run, String> {
    let mut command = Command::new(cargo);
    command.args(["xtask", "codegen"]).args(args).current_dir(root);
    for _ in 0..warm_up {
        measured(&mut command)?;
    }
    if warm_up == 0 {
        return measured(&mut command);
    }
    let mut runs = (0..3).map(|_| measured(&mut command)).collect::<Result<Vec<_>, _>>()?;
    runs.sort_by_key(|run| run.time);
    Ok(runs.swap_remove(1))
}

/// The release build of this binary (built first), generating into `args`' folder twice: into a
/// new folder with nothing cached, then again.
fn release_binary(cargo: &str, root: &Path, args: &[&std::ffi::OsStr]) -> Result<[Run; 2], String> {
    let built = Command::new(cargo).args(["build", "-q", "--release", "-p", "xtask"]).current_dir(root).status();
    if !built.is_ok_and(|s| s.success()) {
        return Err("`cargo build --release -p xtask` failed".to_owned());
    }
    let mut command = Command::new(crate::target_dir().join("release/xtask"));
    command.arg("codegen").args(args).current_dir(root);
    Ok([measured(&mut command)?, measured(&mut command)?])
}

/// One run of a command: its time and, where `/proc` says, its peak resident memory.
struct Run {
    time: Duration,
    peak_mb: Option<f64>,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2} s", self.time.as_secs_f64())?;
        match self.peak_mb {
            Some(peak) => write!(f, " ({peak:.0} MB peak)"),
            None => Ok(()),
        }
    }
}

/// Runs `command` to its end, reading its high-water mark of memory every few milliseconds (the
/// last reading is the peak but for what the last milliseconds added). `cargo run` replaces
/// itself with the program it runs, so through the alias the last reading is the generator's.
fn measured(command: &mut Command) -> Result<Run, String> {
    let start = Instant::now();
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_mb = None;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        peak_mb = std::fs::read_to_string(&status_file).ok().and_then(|s| high_water_mb(&s)).or(peak_mb);
        std::thread::sleep(Duration::from_millis(2));
    };
    match status.success() {
        true => Ok(Run { time: start.elapsed(), peak_mb }),
        false => Err(format!("{command:?} failed")),
    }
}

/// The `VmHWM` of a `/proc/…/status` text, in MB.
fn high_water_mb(status: &str) -> Option<f64> {
    let kb = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok().map(|kb| kb / 1024.0)
}

/// The cargo profile this binary was built in: the name of the folder it is in.
fn profile() -> String {
    let exe = std::env::current_exe().ok();
    let dir = exe.as_deref().and_then(Path::parent).and_then(Path::file_name);
    dir.map_or_else(|| "unknown".to_owned(), |d| d.to_string_lossy().replace("debug", "dev"))
}

/// The whole command as a checkout runs it when nothing changed: everything but writing files.
fn in_place_command(root: &Path, runs: usize) -> Result<Duration, String> {
    let times: Result<Vec<_>, _> = (0..runs.max(1)).map(|_| time_codegen(root, &["--check".as_ref()])).collect();
    Ok(median(times?))
}

/// One run of this binary's `codegen` with `args`, in a new process.
fn time_codegen(root: &Path, args: &[&std::ffi::OsStr]) -> Result<Duration, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let status = Command::new(&exe)
        .arg("codegen")
        .args(args)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    match status.success() {
        true => Ok(start.elapsed()),
        false => Err(format!("xtask codegen {} failed", args.join(std::ffi::OsStr::new(" ")).to_string_lossy())),
    }
}

/// The load run and the long list (`sdk-tests/src/load.rs`), release build: 10,000 calls at 100
/// at a time from one client, and 100,000 items through `items()`.
fn load(cargo: &str, root: &Path) -> Result<(), String> {
    println!("# load: one client on a multi-thread runtime against a local keep-alive server");
    let args = ["run", "-q", "--release", "-p", "sdk-tests", "--bin", "load", "--", "10000", "100", "100000"];
    print!("{}", cargo_stdout(cargo, root, &args)?);
    Ok(())
}

/// What `cargo args` printed on stdout. Its stderr (criterion's progress lines, the build's
/// warnings) is kept out of the bench's report, and shown only if the command fails.
fn cargo_stdout(cargo: &str, root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new(cargo).args(args).current_dir(root).output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("`cargo {}` failed:\n{}", args.join(" "), String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs the per-request benchmark and prints each figure (criterion's median) and, for each
/// pair, the generated client's time over the hand-written one's.
fn requests(cargo: &str, root: &Path) -> Result<(), String> {
    println!(
        "# per request: generated client against the same work written with reqwest and serde (criterion medians; the median of {REQUEST_RUNS} runs)"
    );
    // Each run measures the generated side before the hand-written one; loopback round trips
    // drift by more than the 5% compared, so one run's ratio says little and the median of
    // several says more.
    let mut runs: Vec<Medians> = Vec::new();
    for _ in 0..REQUEST_RUNS {
        runs.push(criterion_run(cargo, root)?);
    }
    for key in runs[0].keys() {
        let (group, value, function) = key;
        let times: Vec<f64> = runs.iter().filter_map(|run| run.get(key)).copied().collect();
        println!("request {group}, {value}, {function}: {:.1} µs", median(times) / 1000.0);
    }
    for (group, value, function) in runs[0].keys() {
        if function != "generated" {
            continue;
        }
        let ratio = |run: &Medians| {
            let hand = run.get(&(group.clone(), value.clone(), "hand-written".to_owned()))?;
            Some(run.get(&(group.clone(), value.clone(), function.clone()))? / hand)
        };
        let ratios: Vec<f64> = runs.iter().filter_map(ratio).collect();
        if ratios.is_empty() {
            continue;
        }
        let (median, each) = ratio_spread(ratios);
        println!("request {group}, {value}: generated / hand-written = {median:.2} (runs: {each})");
    }
    Ok(())
}

/// Heap allocations per call on both sides of the per-request benchmark
/// (`sdk-tests/benches/allocations.rs`): a count, so unlike the times it does not drift with
/// the machine's load.
fn allocations(cargo: &str, root: &Path) -> Result<(), String> {
    println!("# allocations per call: generated client against hand-written reqwest and serde (whole process)");
    print!("{}", cargo_stdout(cargo, root, &["bench", "-q", "-p", "sdk-tests", "--bench", "allocations"])?);
    Ok(())
}

/// Instructions per call on both sides of the per-request benchmark
/// (`sdk-tests/benches/instructions.rs`, valgrind's cachegrind where valgrind is installed): a
/// count, which a difference of a few percent can be read from where the times cannot.
fn instructions(cargo: &str, root: &Path) -> Result<(), String> {
    println!(
        "# instructions per call: generated client against hand-written reqwest and serde (whole process, cachegrind)"
    );
    print!("{}", cargo_stdout(cargo, root, &["bench", "-q", "-p", "sdk-tests", "--bench", "instructions"])?);
    Ok(())
}

/// How many times the per-request benchmark runs.
const REQUEST_RUNS: usize = 3;

/// `(group, value, function)` → criterion's median in nanoseconds.
type Medians = std::collections::BTreeMap<(String, String, String), f64>;

/// One run of the per-request benchmark, read from criterion's own records.
fn criterion_run(cargo: &str, root: &Path) -> Result<Medians, String> {
    let results = crate::target_dir().join("criterion");
    let _ = std::fs::remove_dir_all(&results);
    // Its figures are read from criterion's records below, not from what it prints.
    cargo_stdout(cargo, root, &["bench", "-q", "-p", "sdk-tests", "--bench", "per_request"])?;
    let mut medians = Medians::new();
    for benchmark in files_named(&results, "benchmark.json") {
        if !benchmark.parent().is_some_and(|dir| dir.ends_with("new")) {
            continue;
        }
        let read = |path: &Path| -> Result<serde_json::Value, String> {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        };
        let id = read(&benchmark)?;
        let estimates = read(&benchmark.with_file_name("estimates.json"))?;
        let (Some(group), Some(function), Some(value), Some(median)) = (
            id["group_id"].as_str(),
            id["function_id"].as_str(),
            id["value_str"].as_str(),
            estimates["median"]["point_estimate"].as_f64(),
        ) else {
            return Err(format!("{}: not a criterion record this reads", benchmark.display()));
        };
        medians.insert((group.to_owned(), value.to_owned(), function.to_owned()), median);
    }
    if medians.is_empty() {
        return Err(format!("{}: criterion left no records", results.display()));
    }
    Ok(medians)
}

/// Every file called `name` under `dir`, sorted.
fn files_named(dir: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|n| n == name) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// One build from an empty target directory (removed afterwards).
fn cold_build(cargo: &str, dir: &Path, args: &[&str], target: &Path) -> Result<Duration, String> {
    let _ = std::fs::remove_dir_all(target);
    let start = Instant::now();
    let status = Command::new(cargo)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .current_dir(dir)
        .status()
        .map_err(|e| e.to_string())?;
    let time = start.elapsed();
    let _ = std::fs::remove_dir_all(target);
    if !status.success() {
        return Err(format!("cargo {} failed in {}", args.join(" "), dir.display()));
    }
    Ok(time)
}

/// Where the anchor script installs openapi-generator and writes its crate (`out/`).
fn anchor_work() -> std::path::PathBuf {
    std::env::temp_dir().join("oag-anchor")
}

/// Runs the anchor script on the same spec and reads its figures; with `cold`, also builds its
/// output from nothing (without TLS, as the script builds it).
fn openapi_generator(cargo: &str, root: &Path, cold: bool) -> Result<Figures, String> {
    println!("# openapi-generator 7.26.0 on the same spec, same run (xtask/bench/openapi-generator-anchor.sh)");
    let work = anchor_work();
    let output = Command::new("bash")
        .arg(root.join("xtask/bench/openapi-generator-anchor.sh"))
        .arg(root.join("spec/mailgun-openapi.yaml"))
        .arg(&work)
        .current_dir(root)
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&output.stdout);
    for line in text.lines() {
        println!("anchor {line}");
    }
    if !output.status.success() {
        return Err(format!("the anchor script failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let figure = |prefix: &str| -> Result<Duration, String> {
        text.lines()
            .find_map(|l| {
                l.strip_prefix(prefix)?.trim().strip_prefix("median ")?.split(' ').next()?.parse::<f64>().ok()
            })
            .map(Duration::from_secs_f64)
            .ok_or_else(|| format!("the anchor script printed no `{prefix}` figure"))
    };
    let mut theirs = Figures {
        codegen: figure("openapi-generator codegen:")?,
        check: figure("openapi-generator crate check after clean -p:")?,
        build: figure("openapi-generator crate build after clean -p:")?,
        ..Figures::default()
    };
    if cold {
        let target = std::env::temp_dir().join(format!("bench-cold-oag-{}", std::process::id()));
        let args = ["build", "-q", "--no-default-features"];
        theirs.cold = cold_build(cargo, &work.join("out"), &args, &target)?;
        println!("anchor crate cold build, without TLS: {:.1} s", theirs.cold.as_secs_f64());
    }
    Ok(theirs)
}

/// Issue 8's targets, as ratios of this run's figures.
fn ratios(ours: &Figures, theirs: &Figures) {
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("# ratios, this run");
    println!(
        "ratio codegen, openapi-generator / ours (whole command, new directory): {:.0}x",
        ratio(theirs.codegen, ours.codegen)
    );
    println!(
        "ratio codegen, openapi-generator / ours (whole command, up-to-date generated/): {:.0}x",
        ratio(theirs.codegen, ours.codegen_in_place)
    );
    if !ours.check.is_zero() {
        // openapi-generator's crate has no features: each of ours is set against its one figure.
        let crates = [
            ("check", "default features", ours.check, theirs.check),
            ("build", "default features", ours.build, theirs.build),
            ("check", "all features", ours.check_all, theirs.check),
            ("build", "all features", ours.build_all, theirs.build),
        ];
        for (command, features, ours, theirs) in crates {
            println!("ratio crate {command}, {features}, ours / openapi-generator: {:.2}", ratio(ours, theirs));
        }
        println!(
            "ratio crate build messages only, ours / openapi-generator's full build: {:.2}",
            ratio(ours.messages_build, theirs.build)
        );
    }
    if !ours.cold.is_zero() && !theirs.cold.is_zero() {
        println!("ratio cold build, ours (rustls) / openapi-generator (no TLS): {:.2}", ratio(ours.cold, theirs.cold));
    }
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

fn phases(spec: &Path, overrides: Option<&Path>, runs: usize, scratch: &mut Scratch) -> Result<Phases, String> {
    let inputs = generator::Inputs {
        spec,
        overrides,
        spec_label: "spec/mailgun-openapi.yaml",
        crate_version: None,
        examples: None,
    };
    let mut times: [Vec<Duration>; 6] = Default::default();
    let mut last = (0, 0, 0);
    for _ in 0..runs.max(1) {
        let out = scratch.folder("phases");
        let start = Instant::now();
        let overrides = generator::read_overrides(inputs).map_err(|e| e.to_string())?;
        let doc = generator::read_document(inputs, &overrides).map_err(|e| e.to_string())?;
        let loaded = Instant::now();
        let unnamed = generator::normalise::normalise(&doc, &overrides).map_err(|i| i.in_file(spec).to_string())?;
        let api = generator::naming::assign(unnamed, &overrides).map_err(|i| i.in_file(spec).to_string())?;
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
    let [load, normalise, emit, render, write, total] = times.map(median);
    Ok(Phases { load, normalise, emit, render, write, total, files: last.0, rust_lines: last.1, operations: last.2 })
}

/// Median of `runs` runs of the emit and render steps as `codegen` runs them, in parallel.
fn emit_and_render(spec: &Path, overrides: &Path, runs: usize) -> Result<Duration, String> {
    let inputs = generator::Inputs {
        spec,
        overrides: Some(overrides),
        spec_label: "spec/mailgun-openapi.yaml",
        crate_version: None,
        examples: None,
    };
    let api = generator::load_api(inputs).map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        generator::render::emit_and_render(&api, inputs.spec_label).map_err(|e| e.to_string())?;
        times.push(start.elapsed());
    }
    Ok(median(times))
}

/// The middle value (the upper one of an even count).
fn median<T: PartialOrd + Copy>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

/// The median of some ratios, and each of them in the order taken (`1.13, 1.02, 1.21`).
fn ratio_spread(ratios: Vec<f64>) -> (f64, String) {
    let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
    (median(ratios), each.join(", "))
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
    high_water_mb(&std::fs::read_to_string("/proc/self/status").unwrap_or_default()).unwrap_or(0.0)
}

/// Median of 3: `cargo clean -p mailgun`, then `cargo <command> -p mailgun <features>`.
fn crate_time(cargo: &str, root: &Path, command: &str, features: &[&str]) -> Result<Duration, String> {
    // Dependencies are built once first, so that only the crate itself is timed.
    let warm =
        Command::new(cargo).args([command, "--quiet", "-p", "mailgun"]).args(features).current_dir(root).status();
    if !warm.is_ok_and(|s| s.success()) {
        return Err(format!("cargo {command} -p mailgun failed"));
    }
    let times: Result<Vec<Duration>, String> =
        (0..3).map(|_| after_clean(cargo, root, "mailgun", command, features)).collect();
    Ok(median(times?))
}

/// One `cargo <command> -p <package> <args>` in `dir`, timed, after `cargo clean -p <package>`.
fn after_clean(cargo: &str, dir: &Path, package: &str, command: &str, args: &[&str]) -> Result<Duration, String> {
    clean_package(cargo, dir, package)?;
    let start = Instant::now();
    let status = Command::new(cargo).args([command, "--quiet", "-p", package]).args(args).current_dir(dir).status();
    if !status.is_ok_and(|s| s.success()) {
        return Err(format!("cargo {command} -p {package} failed in {}", dir.display()));
    }
    Ok(start.elapsed())
}

/// `cargo clean -p <package>` in `dir`: what was built of the package alone is gone.
fn clean_package(cargo: &str, dir: &Path, package: &str) -> Result<(), String> {
    let clean = Command::new(cargo).args(["clean", "--quiet", "-p", package]).current_dir(dir).status();
    match clean {
        Ok(status) if status.success() => Ok(()),
        _ => Err(format!("cargo clean -p {package} failed")),
    }
}

/// Our crate's check and openapi-generator's, one after the other, three times, and the ratio
/// of each pair. The machine's speed drifts by 20-30% within a run, and the medians above are
/// taken many minutes apart; a pair's two checks are taken within a minute.
fn side_by_side(cargo: &str, root: &Path, theirs: &Path) -> Result<(), String> {
    let configurations: [(&str, &[&str]); 2] = [("default features", &[]), ("all features", &["--all-features"])];
    for (label, features) in configurations {
        let mut ratios = Vec::new();
        for _ in 0..3 {
            let ours = after_clean(cargo, root, "mailgun", "check", features)?;
            let anchor = after_clean(cargo, theirs, "mailgun_oag", "check", &["--no-default-features"])?;
            ratios.push(ours.as_secs_f64() / anchor.as_secs_f64());
        }
        let (median, pairs) = ratio_spread(ratios);
        println!("ratio crate check, {label}, ours / openapi-generator, side by side: {median:.2} (median of 3 pairs: {pairs})");
    }
    // The same comparison as a count, which repeats from run to run where seconds do not.
    let Some(anchor) = check_instructions(cargo, theirs, "mailgun_oag", &["--no-default-features"])? else {
        println!("ratio crate check in rustc's instructions: skipped, valgrind is not installed");
        return Ok(());
    };
    for (label, features) in configurations {
        let ours = check_instructions(cargo, root, "mailgun", features)?.unwrap_or_default();
        println!(
            "ratio crate check, {label}, ours / openapi-generator, in rustc's instructions: {:.2} ({:.2} G / {:.2} G)",
            ours as f64 / anchor as f64,
            ours as f64 / 1e9,
            anchor as f64 / 1e9
        );
    }
    Ok(())
}

/// Runs `rustc` as it is given, except for the crate named `$BENCH_COUNT_CRATE`, whose
/// compilation runs under valgrind's cachegrind (its summary in `$BENCH_COUNT_LOG`).
const COUNTING_WRAPPER: &str = r#"#!/bin/sh
rustc="$1"; shift
case " $* " in
  *" --crate-name $BENCH_COUNT_CRATE "*)
    exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --log-file="$BENCH_COUNT_LOG" "$rustc" "$@" ;;
esac
exec "$rustc" "$@"
"#;

/// The instructions rustc takes to check `package` in `dir` (its dependencies already checked),
/// counted by valgrind; `None` where valgrind is not installed.
fn check_instructions(cargo: &str, dir: &Path, package: &str, args: &[&str]) -> Result<Option<u64>, String> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        return Ok(None);
    }
    let wrapper = std::env::temp_dir().join(format!("bench-count-rustc-{}.sh", std::process::id()));
    let log = wrapper.with_extension("log");
    std::fs::write(&wrapper, COUNTING_WRAPPER).map_err(|e| e.to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
    }
    clean_package(cargo, dir, package)?;
    let status = Command::new(cargo)
        .args(["check", "--quiet", "-p", package])
        .args(args)
        .env("RUSTC_WRAPPER", &wrapper)
        .env("BENCH_COUNT_CRATE", package.replace('-', "_"))
        .env("BENCH_COUNT_LOG", &log)
        .current_dir(dir)
        .status();
    let summary = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = (std::fs::remove_file(&wrapper), std::fs::remove_file(&log));
    if !status.is_ok_and(|s| s.success()) {
        return Err(format!("cargo check -p {package} under valgrind failed in {}", dir.display()));
    }
    // Its summary line: `==123== I   refs:      13,160,147,036`.
    let line = summary.lines().find(|l| l.contains("I   refs:")).ok_or("valgrind printed no count of instructions")?;
    let digits: String = line.rsplit(':').next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    digits.parse().map(Some).map_err(|e| format!("valgrind's count `{line}`: {e}"))
}
