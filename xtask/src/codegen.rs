//! `cargo xtask codegen`: run the generator, then write (or check) the output directory.
//!
//! The generator returns every file in memory; nothing touches the disk unless the whole run
//! succeeded. Files are then written only where they differ (each through a temporary file and
//! a rename), and managed files (those carrying the `@generated` marker) that are no longer
//! produced are deleted.

use crate::project_root;
use generator::render::MARKER;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What to generate, and where.
#[derive(Debug)]
pub struct Options {
    pub check: bool,
    pub spec: PathBuf,
    pub overrides: Option<PathBuf>,
    /// Hand-written examples copied into the crate's `examples/`.
    pub examples: Option<PathBuf>,
    pub out: PathBuf,
    /// List every place the crate says less than the document, not only their counts.
    pub report_degraded: bool,
    /// Keep the formatted files in `target/codegen-cache/` and format only what changed since.
    pub cache: bool,
}

impl Options {
    /// Whether this run generates the shipped spec into `generated/`.
    fn is_shipped(&self) -> bool {
        let root = project_root();
        self.spec == root.join("spec/mailgun-openapi.yaml") && self.out == root.join("generated")
    }

    /// Any document into any folder, with no overrides or examples, written (not checked).
    pub fn for_document(spec: PathBuf, out: PathBuf) -> Options {
        Options { check: false, spec, overrides: None, examples: None, out, report_degraded: false, cache: false }
    }

    pub fn parse(args: &[String]) -> Result<Options, String> {
        let root = project_root();
        let mut check = false;
        let mut spec = None;
        let mut overrides = None;
        let mut examples = None;
        let mut out = None;
        let mut report_degraded = false;
        let mut cache = true;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| args.next().map(PathBuf::from).ok_or_else(|| format!("{flag} needs a value"));
            match arg.as_str() {
                "--check" => check = true,
                "--report-degraded" => report_degraded = true,
                "--no-cache" => cache = false,
                "--spec" => spec = Some(value("--spec")?),
                "--overrides" => overrides = Some(value("--overrides")?),
                "--examples" => examples = Some(value("--examples")?),
                "--out" => out = Some(value("--out")?),
                other => return Err(format!("unknown argument `{other}` (see `cargo xtask help`)")),
            }
        }
        // The shipped overrides belong to the shipped spec; another spec gets none unless asked.
        let overrides = match (&spec, overrides) {
            (_, Some(given)) => Some(given),
            (None, None) => Some(root.join("spec/overrides.yaml")),
            (Some(_), None) => None,
        };
        // So do the shipped examples, which call Mailgun's operations.
        let examples = match (&spec, examples) {
            (_, Some(given)) => Some(given),
            (None, None) => Some(root.join("spec/examples")),
            (Some(_), None) => None,
        };
        Ok(Options {
            check,
            spec: spec.unwrap_or_else(|| root.join("spec/mailgun-openapi.yaml")),
            overrides,
            examples,
            out: out.unwrap_or_else(|| root.join("generated")),
            report_degraded,
            cache,
        })
    }
}

/// Turns transparent huge pages off for this process (Linux; elsewhere nothing).
///
/// mimalloc asks for huge pages where the kernel allows them, and a huge page is zeroed whole,
/// 2 MiB at a time, when first touched. On GitHub's document that zeroing was 15% of the CPU
/// time in a `perf` profile; six runs each, with nothing cached: 0.14–0.57 s of system time
/// with them, 0.10–0.15 s without, and the peak 176–187 MB against 159–167 MB (README).
/// Only this command: the setting passes to child processes, and the others start compilers.
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `PR_SET_THP_DISABLE` takes plain integers and touches no memory of ours; a
    // kernel without it returns an error, which leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

pub fn run(options: &Options) -> Result<(), String> {
    let root = project_root();
    let label = spec_label(&root, &options.spec);
    // The shipped spec is generated at the version of its last release.
    let version =
        if options.spec == root.join("spec/mailgun-openapi.yaml") { crate::release::crate_version()? } else { None };
    let examples = options.examples.as_ref().map(|dir| (dir.clone(), spec_label(&root, dir)));
    let inputs = generator::Inputs {
        spec: &options.spec,
        overrides: options.overrides.as_deref(),
        spec_label: &label,
        crate_version: version.as_deref(),
        examples: examples.as_ref().map(|(dir, label)| (dir.as_path(), label.as_str())),
    };
    let cache_file = options.cache.then(|| format_cache_file(&options.out));
    let (files, degraded) = match &cache_file {
        Some(file) => {
            let keep = |next: &generator::render::FormatCache| {
                if !next.unchanged() {
                    write_format_cache(file, next);
                }
            };
            generator::generate_cached(inputs, || read_format_cache(file), keep).map_err(|e| e.to_string())?
        }
        None => generator::generate_reporting(inputs).map_err(|e| e.to_string())?,
    };
    print_degraded(&degraded, options.report_degraded);
    if options.check {
        return check(&options.out, &files);
    }
    write(&options.out, &files)?;
    if options.is_shipped() {
        print_api_change();
    }
    Ok(())
}

/// Where the formatted files of the last run into `out` are kept: in the target directory, one
/// file per output folder.
pub fn format_cache_file(out: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let out = out.canonicalize().unwrap_or_else(|_| out.to_owned());
    let mut hasher = std::hash::DefaultHasher::new();
    out.hash(&mut hasher);
    crate::target_dir().join("codegen-cache").join(format!("{:016x}", hasher.finish()))
}

/// This build of the generator: a cache made by another may hold text another formatter wrote.
fn generator_build() -> String {
    let exe = std::env::current_exe().and_then(std::fs::metadata);
    let stamp = exe.ok().and_then(|m| Some((m.len(), m.modified().ok()?)));
    match stamp.and_then(|(len, time)| Some((len, time.duration_since(std::time::UNIX_EPOCH).ok()?))) {
        Some((len, since)) => format!("{len}-{}", since.as_nanos()),
        None => String::new(),
    }
}

/// The cache of the last run, if this build of the generator made it (else an empty one: every
/// file is formatted). The file's first line says which build made it, so that a cache of
/// another build (28 MB for GitHub's crate) is not read at all.
fn read_format_cache(file: &Path) -> generator::render::FormatCache {
    use std::io::BufRead;
    let read = || -> Option<generator::render::FormatCache> {
        let mut reader = std::io::BufReader::new(fs::File::open(file).ok()?);
        let mut made_by = String::new();
        reader.read_line(&mut made_by).ok()?;
        let build = generator_build();
        if build.is_empty() || made_by.trim_end() != build {
            return None;
        }
        generator::render::FormatCache::read_from(&mut reader).ok()
    };
    read().unwrap_or_default()
}

/// Keeps this run's cache for the next. A cache that cannot be written only makes the next run
/// slower, so that is not an error.
fn write_format_cache(file: &Path, cache: &generator::render::FormatCache) {
    use std::io::Write;
    // Streamed to the file: GitHub's crate is 28 MB of text, not to be copied twice more first.
    let written = file.parent().map(fs::create_dir_all).transpose().ok().and_then(|_| {
        let temporary = file.with_extension("new");
        let mut out = std::io::BufWriter::new(fs::File::create(&temporary).ok()?);
        writeln!(out, "{}", generator_build()).ok()?;
        cache.write_to(&mut out).ok()?;
        out.flush().ok()?;
        drop(out);
        fs::rename(&temporary, file).ok()
    });
    if written.is_none() {
        eprintln!("(the format cache {} could not be written: the next run formats every file)", file.display());
    }
}

/// One line that counts what the crate says less than the document, by kind; every place with
/// `--report-degraded`.
fn print_degraded(degraded: &[generator::report::Degraded], all: bool) {
    let mut counts: Vec<(generator::report::DegradedKind, usize)> = Vec::new();
    for entry in degraded {
        match counts.last_mut() {
            Some((kind, n)) if *kind == entry.kind => *n += 1,
            _ => counts.push((entry.kind, 1)),
        }
    }
    let counts: Vec<String> = counts.iter().map(|(kind, n)| kind.counted(*n)).collect();
    if counts.is_empty() {
        println!("degraded: nothing: every schema is typed, every construct generated");
        return;
    }
    let hint = if all { "" } else { " (--report-degraded lists them)" };
    println!("degraded: {}{hint}", counts.join(", "));
    if all {
        for entry in degraded {
            println!("  {entry}");
        }
    }
}

/// When the shipped spec or overrides differ from git's HEAD, tells the person updating them
/// what that does to the API before they commit. Outside a git checkout it says nothing.
fn print_api_change() {
    if crate::spec_diff::shipped_spec_changed_since("HEAD") != Some(true) {
        return;
    }
    let Ok(old) = crate::spec_diff::side_at_revision("HEAD") else { return };
    let Ok(new) = crate::spec_diff::shipped_side().files() else { return };
    match crate::spec_diff::compare(&old, &new) {
        Ok(report) => {
            println!(
                "API change against HEAD's spec:\n{}\nWhole report: cargo xtask spec-diff --base HEAD",
                report.summary(15)
            );
            if crate::release::is_released() == Some(false) {
                println!("Not released yet: `cargo xtask release` raises the version and writes the changelog entry.");
            }
        }
        Err(message) => println!("(no API change report against HEAD's spec: {message})"),
    }
}

/// How the spec is named in generated headers: its path relative to the workspace, or only its
/// file name when it lies outside, so no output names a directory of the machine it ran on.
pub fn spec_label(root: &Path, spec: &Path) -> String {
    let absolute = if spec.is_absolute() {
        spec.to_owned()
    } else {
        std::env::current_dir().map(|dir| dir.join(spec)).unwrap_or_else(|_| spec.to_owned())
    };
    match absolute.strip_prefix(root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "spec".to_owned()),
    }
}

/// Managed files under `dir`: the ones that start with the generator's marker.
/// Whether a file's first line says codegen wrote it. `@generated` alone is not enough: Cargo
/// writes it atop a `Cargo.lock`, which a crate generated outside the workspace has beside it.
fn is_managed(first_line: &str) -> bool {
    first_line.contains(&format!("{MARKER} by `cargo xtask codegen`"))
}

fn managed_files(dir: &Path) -> Result<BTreeSet<String>, String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        let Ok(entries) = fs::read_dir(&at) else { continue };
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if first_line(&path).is_some_and(|first| is_managed(&first)) {
                let relative = path.strip_prefix(dir).expect("walked from dir");
                found.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(found)
}

/// A file's first line, read alone (the marker is there; GitHub's crate is 28 MB of Rust).
fn first_line(path: &Path) -> Option<String> {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::with_capacity(256, fs::File::open(path).ok()?).read_line(&mut line).ok()?;
    Some(line)
}

fn check(out: &Path, files: &generator::Files) -> Result<(), String> {
    let mut stale = Vec::new();
    for (path, contents) in files {
        match fs::read_to_string(out.join(path)) {
            Ok(existing) if existing.replace("\r\n", "\n") == *contents => {}
            Ok(_) => stale.push(format!("  {path} differs")),
            Err(_) => stale.push(format!("  {path} is missing")),
        }
    }
    for path in managed_files(out)? {
        if !files.contains_key(&path) {
            stale.push(format!("  {path} is no longer generated"));
        }
    }
    if stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} is stale against the spec:\n{}\nRun `cargo xtask codegen` and commit the result.",
        out.display(),
        stale.join("\n")
    ))
}

fn write(out: &Path, files: &generator::Files) -> Result<(), String> {
    let io = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    // Stage every changed file next to its destination first, so an I/O failure part-way
    // leaves the existing files untouched. Reading, comparing and staging thousands of files
    // (GitHub's document) is I/O the machine's cores share.
    let mut staged = Vec::new();
    let mut stage = || -> Result<(), String> {
        let dirs: BTreeSet<&Path> = files.keys().filter_map(|path| Path::new(path).parent()).collect();
        for dir in dirs {
            let dir = out.join(dir);
            fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        let entries: Vec<(&String, &String)> = files.iter().collect();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = entries.len().div_ceil(threads).max(1);
        let results: Vec<Result<Staged, (Staged, String)>> = std::thread::scope(|scope| {
            let workers: Vec<_> =
                entries.chunks(chunk).map(|part| scope.spawn(move || stage_files(out, part))).collect();
            workers.into_iter().map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        });
        let mut failure = None;
        for result in results {
            match result {
                Ok(done) => staged.extend(done),
                Err((done, e)) => {
                    staged.extend(done);
                    failure.get_or_insert(e);
                }
            }
        }
        failure.map_or(Ok(()), Err)
    };
    if let Err(e) = stage() {
        for written in &staged {
            let _ = fs::remove_file(written.staged());
        }
        return Err(e);
    }
    let changed = staged.len();
    for written in staged {
        if let Written::Replacing { temp, target } = written {
            fs::rename(&temp, &target).map_err(|e| io(&target, e))?;
        }
    }
    let mut removed = 0;
    for path in managed_files(out)? {
        if !files.contains_key(&path) {
            let target = out.join(&path);
            fs::remove_file(&target).map_err(|e| io(&target, e))?;
            removed += 1;
        }
    }
    println!("{}: {} files, {changed} written, {removed} removed", out.display(), files.len());
    Ok(())
}

/// A file written by this run, before the run is known to have succeeded.
enum Written {
    /// A file that did not exist, written in place: removing it undoes it.
    New(PathBuf),
    /// A file that differs, written beside its destination, which it replaces once every file
    /// is written.
    Replacing { temp: PathBuf, target: PathBuf },
}

impl Written {
    /// What was written (and what to remove if the run fails).
    fn staged(&self) -> &Path {
        match self {
            Written::New(path) => path,
            Written::Replacing { temp, .. } => temp,
        }
    }
}

type Staged = Vec<Written>;

/// Writes each file whose contents differ: a new one in place, a changed one beside its
/// destination (`.codegen-tmp`). Returns what it wrote, and with an error what it wrote before.
/// (A new folder of thousands of files costs half the file-system work of writing each beside
/// itself and renaming it.)
fn stage_files(out: &Path, files: &[(&String, &String)]) -> Result<Staged, (Staged, String)> {
    let mut staged = Vec::new();
    for (path, contents) in files {
        let target = out.join(path);
        let written = match fs::read(&target) {
            Ok(existing) if existing == contents.as_bytes() => continue,
            Ok(_) => Written::Replacing { temp: target.with_extension("codegen-tmp"), target },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Written::New(target),
            Err(e) => return Err((staged, format!("{}: {e}", target.display()))),
        };
        if let Err(e) = fs::write(written.staged(), contents) {
            let _ = fs::remove_file(written.staged());
            return Err((staged, format!("{}: {e}", written.staged().display())));
        }
        staged.push(written);
    }
    Ok(staged)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `generated/` must be what the generator makes of `spec/`; this is how a stale crate
    /// fails the test command.
    #[test]
    fn generated_crate_is_fresh() {
        let options = Options::parse(&["--check".to_owned()]).unwrap();
        if let Err(message) = run(&options) {
            panic!("{message}");
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn write_then_check_round_trips_and_removes_stale_managed_files() {
        let dir = temp_dir("write");
        fs::write(dir.join("old.rs"), format!("// {MARKER} by `cargo xtask codegen` from api.yaml\n")).unwrap();
        fs::write(dir.join("mine.rs"), "// hand-written\n").unwrap();
        fs::write(dir.join("Cargo.lock"), "# This file is automatically @generated by Cargo.\n").unwrap();
        let files = generator::Files::from([("src/a.rs".to_owned(), format!("// {MARKER}\nfn a() {{}}\n"))]);
        assert!(check(&dir, &files).unwrap_err().contains("src/a.rs is missing"));
        write(&dir, &files).unwrap();
        check(&dir, &files).unwrap();
        assert!(!dir.join("old.rs").exists(), "stale managed file is removed");
        assert!(dir.join("mine.rs").exists(), "unmanaged file is kept");
        assert!(dir.join("Cargo.lock").exists(), "Cargo's own generated file is kept");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn headers_never_name_a_directory_outside_the_workspace() {
        let root = project_root();
        assert_eq!(spec_label(&root, &root.join("spec/mailgun-openapi.yaml")), "spec/mailgun-openapi.yaml");
        assert_eq!(spec_label(&root, Path::new("/somewhere/else/api.json")), "api.json");
    }

    #[test]
    fn bad_input_fails_without_touching_the_output() {
        let dir = temp_dir("bad");
        let spec = dir.join("bad.yaml");
        let broken = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: getA\n      responses: {}\n";
        fs::write(&spec, broken).unwrap();
        let out = dir.join("out");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("kept.rs"), format!("// {MARKER}\n")).unwrap();
        let options = Options::for_document(spec.clone(), out.clone());
        let message = run(&options).unwrap_err();
        assert!(message.contains("bad.yaml#/paths/~1a~1{id}/get"), "{message}");
        assert!(message.contains("operationId `getA`") && message.contains("`{id}` is not declared"), "{message}");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
        assert!(out.join("kept.rs").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
