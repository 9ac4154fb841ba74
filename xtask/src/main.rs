//! The project's commands, run as `cargo xtask <command>` (the cargo-xtask convention: an
//! ordinary binary behind an alias in `.cargo/config.toml`, no argument-parsing crate).
//!
//! - `cargo xtask codegen [--check] [--report-degraded] [--no-cache] [--spec FILE] [--overrides FILE] [--examples DIR] [--out DIR]`
//! - `cargo xtask test`
//! - `cargo xtask corpus`
//! - `cargo xtask contract`
//! - `cargo xtask examples`
//! - `cargo xtask bench [--runs N] [--no-crate] [--no-requests] [--anchor] [--cold]`
//! - `cargo xtask spec-diff OLD NEW [--overrides FILE] [--old-overrides FILE] [--out FILE]`
//! - `cargo xtask spec-diff --base REV [--out FILE]`
//! - `cargo xtask drift FILE`
//! - `cargo xtask release [--version X.Y.Z] [--date YYYY-MM-DD] [--since REV]`
//! - `cargo xtask release --check [--since REV] [--out FILE]`
//! - `cargo xtask semver-checks`

mod bench;
mod codegen;
mod contract;
mod corpus;
mod drift;
mod examples;
mod public;
mod release;
mod semver_checks;
mod spec_diff;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Parsing and formatting thousands of files allocates and frees millions of small values
// from two threads: glibc's allocator was a third of the run, mimalloc is far less (GitHub's
// document: 5.4 s of CPU become 3.7 s).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--report-degraded] [--no-cache] [--spec FILE] [--overrides FILE] [--examples DIR] [--out DIR]
      Regenerate the client crate. With no arguments: spec/mailgun-openapi.yaml with
      spec/overrides.yaml into generated/, and spec/examples/*.rs copied into its examples/.
      With --spec FILE alone, no overrides file or examples are used (the shipped ones belong
      to the shipped spec); add --overrides FILE or --examples DIR for them.
      Any valid OpenAPI 3.0.x or 3.1.x document (YAML or JSON) generates a crate without one.
      With --check, write nothing and fail if any file is stale.
      Formatting is most of a run: the formatted files are kept in target/codegen-cache/ (one
      file per output folder, made by this build of the generator) and only the files whose
      tokens changed are formatted again; --no-cache formats every file and keeps nothing.
      It counts, on one line, where the crate says less than the document (values held as
      untyped JSON, constructs ignored or read leniently, invented names, parts left out);
      --report-degraded lists each with its JSON pointer and reason.
      When the shipped spec or overrides differ from git's HEAD, it also prints what that
      changes in the API (the verdict and the main changes; the whole report is
      `cargo xtask spec-diff --base HEAD`).
  cargo xtask test
      Run every test, lint and doc check (what CI runs).
  cargo xtask corpus
      Only the corpus step of `test`: generate every corpus document (generator/tests/corpus,
      variants of the Mailgun spec, deep nesting) with no overrides and compile each crate,
      then GitHub's REST API document (fetched from npm into target/public-specs).
  cargo xtask contract
      Only the contract step of `test`: install Prism from npm (into target/prism) and call
      every operation through the generated client against it.
  cargo xtask examples
      Only the examples step of `test`: build generated/examples and run each one against
      Prism (installed from npm into target/prism), as `cargo run --example NAME` would with
      MAILGUN_BASE_URL pointing at the mock.
  cargo xtask bench [--runs N] [--no-crate] [--no-requests] [--anchor] [--cold]
      Time the codegen phases and the whole command, the generated crate's `cargo check` and
      `cargo build` (default features, all features, messages only), and the per-request
      benchmark against hand-written reqwest + serde. --anchor runs openapi-generator on the
      same spec in the same run (Java 17 and PyPI needed) and prints the ratios; --cold adds
      builds from an empty target directory, dependencies included.
  cargo xtask spec-diff OLD NEW [--overrides FILE] [--old-overrides FILE] [--out FILE]
  cargo xtask spec-diff --base REV|release [--out FILE]
      Report, in Markdown, what changed in the API from OLD to NEW (both through the generator
      up to its IR; --overrides applies to both, --old-overrides to OLD alone), what each change
      does to the generated crate's Rust API, and the semver verdict. With --base, OLD is the
      shipped spec and overrides at git revision REV (or, for `release`, those of the last
      release, kept in spec/release/) and NEW the working tree's.
  cargo xtask drift FILE
      Read recorded answers (JSON lines: {\"operationId\": …, \"status\": 200, \"body\": …})
      through the generated client and print, per operation, where they differ from the API
      document: members it does not list, values of another type, required members absent,
      enum values it does not name. Fails if an answer could not be read as it came.
  cargo xtask release [--version X.Y.Z] [--date YYYY-MM-DD] [--since REV]
      Release the shipped spec: compare it with the last release (the copies in spec/release/),
      raise the crate's version by the verdict (before 1.0: breaking → minor, else patch; or
      --version, if that is at least as far), prepend the report to generated/CHANGELOG.md,
      record the release in spec/release/ and regenerate. --since REV compares with the
      shipped spec at a git revision instead (the first release has no copies).
  cargo xtask release --check [--since REV] [--out FILE]
      Fail unless spec/ is released, generated/ carries the release's version and changelog
      entry, and the version moved at least as far as the change from the previous release
      (the record at REV, or else the last other version in git history) asks. --out writes
      that change's report (Markdown).
  cargo xtask semver-checks
      Only the semver-checks step of `test`: run cargo-semver-checks (when installed) on every
      case the generator's spec_diff tests kept under target/spec-diff-cases, and fail where
      its verdict is stricter than ours, or where our report misjudges what it sees.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => {
            codegen::without_huge_pages();
            codegen::Options::parse(&args[1..]).and_then(|options| codegen::run(&options))
        }
        Some("test") if args.len() == 1 => test::run(),
        Some("corpus") if args.len() == 1 => {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
            corpus::run(&cargo).and_then(|()| public::run(&cargo))
        }
        Some("contract") if args.len() == 1 => {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
            contract::run(&cargo)
        }
        Some("examples") if args.len() == 1 => {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
            examples::run(&cargo)
        }
        Some("bench") => bench::run(&args[1..]),
        Some("spec-diff") => spec_diff::run(&args[1..]),
        Some("drift") => drift::run(&args[1..]),
        Some("release") => release::run(&args[1..]),
        Some("semver-checks") if args.len() == 1 => {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
            semver_checks::run(&cargo)
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_owned()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` (relative to the workspace) or `target/`.
pub fn target_dir() -> PathBuf {
    let root = project_root();
    let target: PathBuf = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    if target.is_absolute() {
        target
    } else {
        root.join(target)
    }
}
