//! Instructions per call on both sides of the per-request benchmark, counted by valgrind's
//! cachegrind: a count, so unlike the times of `per_request.rs` it does not move with the
//! machine's load, and a difference of a few percent between the two sides can be told apart.
//!
//! This binary runs itself under valgrind twice per call kind, making `FEW` and then `MANY`
//! calls; the difference of the two counts over `MANY - FEW` is what one call costs, with
//! starting the runtime and the server taken out. The count is the whole process's (the local
//! server's work too, the same on both sides). Without valgrind it says so and measures
//! nothing. Run by `cargo xtask bench`; alone, `cargo bench -p sdk-tests --bench instructions`.

mod common;

use common::Fixture;
use std::process::Command;

const FEW: u64 = 10;
const MANY: u64 = 30;

/// What is measured: a label, and the argument that makes this binary run the generated and
/// the hand-written side of it.
const CALLS: &[(&str, &str, &str)] = &[
    ("send_message, 2 attachments of 32 KiB, round trip", "send-generated", "send-hand"),
    ("list_bounces, 1000 items, round trip", "list-generated", "list-hand"),
    ("list_bounces, 1000 items, decode only", "decode-generated", "decode-hand"),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Run under valgrind by `main` below: make the calls and stop.
    if let [flag, kind, count] = args.as_slice() {
        if flag == "--calls" {
            return calls(kind, count.parse().expect("a count of calls"));
        }
    }
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("instructions per call: skipped, valgrind is not installed");
        return;
    }
    for (label, generated, hand) in CALLS {
        let (generated, hand) = (per_call(generated), per_call(hand));
        let ratio = generated as f64 / hand as f64;
        println!("instructions per call, {label}: generated {generated}, hand-written {hand} ({ratio:.3})");
    }
}

fn calls(kind: &str, count: u64) {
    let fixture = Fixture::new();
    for _ in 0..count {
        match kind {
            "send-generated" => fixture.runtime.block_on(fixture.send_generated()),
            "send-hand" => fixture.runtime.block_on(fixture.send_hand()),
            "list-generated" => fixture.runtime.block_on(fixture.list_generated()),
            "list-hand" => fixture.runtime.block_on(fixture.list_hand()),
            "decode-generated" => fixture.decode_generated(),
            "decode-hand" => fixture.decode_hand(),
            other => panic!("no such call kind: {other}"),
        }
    }
}

/// Instructions of one call of `kind`: the count of `MANY` calls less that of `FEW`.
fn per_call(kind: &str) -> u64 {
    let (few, many) = (instructions(kind, FEW), instructions(kind, MANY));
    many.saturating_sub(few) / (MANY - FEW)
}

/// The instructions valgrind counted in a run of `count` calls of `kind`.
fn instructions(kind: &str, count: u64) -> u64 {
    let exe = std::env::current_exe().expect("this binary's path");
    let output = Command::new("valgrind")
        .args(["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"])
        .arg(exe)
        .args(["--calls", kind, &count.to_string()])
        .output()
        .expect("valgrind runs");
    assert!(output.status.success(), "valgrind failed: {}", String::from_utf8_lossy(&output.stderr));
    // Its summary line: `==123== I   refs:      64,277,758`.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().find(|l| l.contains("I   refs:")).expect("valgrind's count of instructions");
    let digits: String = line.rsplit(':').next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    digits.parse().expect("a count")
}
