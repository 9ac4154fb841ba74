//! `cargo xtask drift FILE`: reads recorded answers (JSON lines of operationId, status and
//! body; see `sdk_tests::answers::read_recordings`) through the generated client, and prints,
//! per operation, where they differ from the API document: the members it does not list, the
//! values of another type, the required members left out, the enum values it does not name.
//! The input for corrections of the spec (`spec/overrides.yaml`), or for a report upstream.
//!
//! Each answer is served by a local server to its operation's example call, and read by the
//! call's `send_with_response()`, as a user's call reads it. It also checks that reading lost
//! nothing: written out again, every value that came comes back.

use mailgun::{Drift, DriftKind};
use sdk_tests::answers::{client, lost, read_recordings, serve_answers};
use sdk_tests::calls;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// What one operation's answers showed.
#[derive(Default)]
struct Seen {
    answers: usize,
    with_drift: usize,
    /// (pattern of the path, kind) → (expected, found, answers, unlisted values).
    places: BTreeMap<(String, DriftKind), Place>,
    /// Answers that could not be read, and values reading lost (which would be a bug).
    problems: Vec<String>,
}

#[derive(Default)]
struct Place {
    expected: &'static str,
    found: Vec<&'static str>,
    count: usize,
    values: Vec<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file] = args.as_slice() else {
        eprintln!("usage: cargo xtask drift FILE (JSON lines: {{\"operationId\": …, \"status\": 200, \"body\": …}})");
        return ExitCode::FAILURE;
    };
    let recordings = match std::fs::read_to_string(file).map_err(|e| e.to_string()).and_then(|t| read_recordings(&t)) {
        Ok(recordings) => recordings,
        Err(error) => {
            eprintln!("error: {file}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let answers = recordings.iter().map(|r| (r.status, serde_json::to_vec(&r.body).expect("JSON"))).collect();
    let (base, server) = serve_answers(Arc::new(answers)).await;
    let client = client(&base, false);
    let mut seen: BTreeMap<&str, Seen> = BTreeMap::new();
    let mut unknown = BTreeMap::<&str, usize>::new();
    for (index, recording) in recordings.iter().enumerate() {
        let Some(call) = calls::answer(&client, &recording.operation, &index.to_string(), Duration::from_secs(10))
        else {
            *unknown.entry(&recording.operation).or_default() += 1;
            continue;
        };
        let entry = seen.entry(&recording.operation).or_default();
        entry.answers += 1;
        match call.await {
            Ok(answered) => {
                if !answered.drift.is_empty() {
                    entry.with_drift += 1;
                }
                note(entry, &answered.drift);
                for gone in lost(&recording.body, &answered.value) {
                    entry.problems.push(format!("answer {}: lost {gone}", index + 1));
                }
            }
            // An error status is an error answer, read as such: not a success's drift.
            Err(mailgun::Error::Api(_) | mailgun::Error::RateLimited(_)) if recording.status >= 300 => {}
            Err(error) => entry.problems.push(format!("answer {}: {error}", index + 1)),
        }
    }
    server.abort();
    print(&seen, &unknown);
    let problems: usize = seen.values().map(|s| s.problems.len()).sum();
    if problems > 0 || !unknown.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn note(seen: &mut Seen, drift: &[Drift]) {
    // Each place once per answer, however many items of a list show it.
    let mut this_answer = std::collections::BTreeSet::new();
    for place in drift {
        let key = (place.place(), place.kind);
        let entry = seen.places.entry(key.clone()).or_default();
        entry.expected = place.expected;
        if !entry.found.contains(&place.found) {
            entry.found.push(place.found);
        }
        if let Some(value) = place.value.as_ref().filter(|v| !entry.values.contains(v)) {
            entry.values.push(value.clone());
        }
        if this_answer.insert(key) {
            entry.count += 1;
        }
    }
}

fn print(seen: &BTreeMap<&str, Seen>, unknown: &BTreeMap<&str, usize>) {
    let answers: usize = seen.values().map(|s| s.answers).sum();
    let drifting: usize = seen.values().map(|s| s.with_drift).sum();
    println!("# Drift: answers against the API document");
    println!();
    println!("{answers} answers of {} operations read; {drifting} differ from the document.", seen.len());
    for (operation, count) in unknown {
        println!("- `{operation}`: not an operation of the document ({count} answers skipped)");
    }
    for (operation, s) in seen.iter().filter(|(_, s)| !s.places.is_empty() || !s.problems.is_empty()) {
        println!();
        println!("## `{operation}`: {} of {} answers differ", s.with_drift, s.answers);
        for ((path, kind), place) in &s.places {
            let values = match place.values.is_empty() {
                true => String::new(),
                false => format!(
                    "; values: {}",
                    place.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            println!(
                "- `{path}`: {} (expected {}, found {}) in {} answers{values}",
                kind.as_str(),
                place.expected,
                place.found.join(" or "),
                place.count,
            );
        }
        for problem in &s.problems {
            println!("- **not read as it came**: {problem}");
        }
    }
}
