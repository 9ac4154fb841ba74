//! The journeys of `generated/examples/`, each run against Prism serving the spec, as a user
//! would run them against Mailgun: `cargo xtask examples` builds them, installs Prism, and runs
//! this test with `PRISM_BIN` and `MAILGUN_EXAMPLES_DIR` (where the example programs are) set.
//! Ignored by a plain `cargo test`.

use sdk_tests::prism::Prism;
use std::path::Path;
use std::process::Command;

/// Where Prism writes what it says.
const LOG: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/prism-examples.log");

/// The examples, and the arguments each is run with.
const EXAMPLES: &[(&str, &[&str])] = &[
    ("domain_tracking", &[]),
    ("manage_unsubscribes", &[]),
    ("rate_limits", &[]),
    ("send_message", &[]),
    ("stream_bounces", &[]),
    ("webhook_server", &["--once"]),
    ("weekly_metrics", &[]),
    ("welcome_mail", &[]),
];

#[tokio::test]
#[ignore = "needs Prism and the built examples: run by `cargo xtask examples` (and `cargo xtask test`)"]
async fn every_example_runs_against_the_mock() {
    let prism_bin = std::env::var("PRISM_BIN").expect("PRISM_BIN: the path of the `prism` executable");
    let dir = std::env::var("MAILGUN_EXAMPLES_DIR").expect("MAILGUN_EXAMPLES_DIR: where the example programs are");
    let spec = concat!(env!("OUT_DIR"), "/prism-spec.json");
    let prism = Prism::start(&prism_bin, spec, &[], LOG).await;

    let on_disk = examples_in(Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/examples").as_path());
    let listed: Vec<&str> = EXAMPLES.iter().map(|(name, _)| *name).collect();
    assert_eq!(on_disk, listed, "every example in generated/examples is run here, and nothing else");

    let mut failed = Vec::new();
    for (name, args) in EXAMPLES {
        println!("==> MAILGUN_BASE_URL={} cargo run --example {name} -- {}", prism.base, args.join(" "));
        let output = Command::new(Path::new(&dir).join(name))
            .args(*args)
            .env("MAILGUN_BASE_URL", &prism.base)
            .env("MAILGUN_API_KEY", "key-example")
            .env("MAILGUN_DOMAIN", "example.com")
            .env("MAILGUN_TO", "alice@example.com")
            .env("MAILGUN_WEBHOOK_SIGNING_KEY", "webhook-signing-key")
            .output()
            .unwrap_or_else(|e| panic!("cannot run the example `{name}` in {dir}: {e}"));
        print!("{}", String::from_utf8_lossy(&output.stdout));
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        if !output.status.success() {
            failed.push(*name);
        }
    }
    assert!(failed.is_empty(), "examples that failed against the mock: {failed:?}");
}

/// The example names (file stems) in a folder, sorted.
fn examples_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stem = path.file_stem()?.to_string_lossy().into_owned();
            (path.extension()? == "rs").then_some(stem)
        })
        .collect();
    names.sort();
    names
}
