//! The contract test: every operation, called through the generated client with example
//! values, against Stoplight Prism serving the spec. A call passes when Prism answers 2xx and
//! finds nothing wrong with the request (no `request` entry in its `sl-violations` header: on
//! an invalid request Prism still answers with the spec's own example, so the status alone
//! says little).
//!
//! Run by `cargo xtask test`, which installs Prism from npm and sets `PRISM_BIN`; ignored by a
//! plain `cargo test`.

use sdk_tests::answers::lost;
use sdk_tests::prism::Prism;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod calls {
    include!(concat!(env!("OUT_DIR"), "/contract_calls.rs"));
}

/// Calls no client can make valid, because the spec contradicts itself there. Each is still
/// sent, and listed with the answer it got; one that starts passing fails the test, so the list
/// never outlives its reason.
const UNSATISFIABLE: &[(&str, &str)] = &[(
    "GET-v1-bounce-classification-domains--domain--events",
    "the spec documents no success answer (only 403 and 410: the call is deprecated)",
)];

/// Calls in flight at once: enough to keep one Prism process busy on 2 cores.
const CONCURRENCY: usize = 8;
/// Where Prism writes what it says.
const LOG: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/prism.log");
/// Prism hangs on some malformed bodies instead of answering: no call waits longer than this.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Prism: run by `cargo xtask test`, which installs it and sets PRISM_BIN"]
async fn every_operation_is_a_valid_request_for_prism() {
    let prism_bin = std::env::var("PRISM_BIN").expect("PRISM_BIN: the path of the `prism` executable");
    let spec = concat!(env!("OUT_DIR"), "/prism-spec.json");
    let prism = Prism::start(&prism_bin, spec, &[], LOG).await;
    let client = mailgun::Client::builder("key-contract").base_url(&prism.base).build().expect("a local base URL");

    let started = Instant::now();
    let outcomes: Vec<(&str, Result<(), String>)> = run_all(calls::calls(&client, CALL_TIMEOUT))
        .await
        .into_iter()
        .map(|(operation, answer)| (operation, answer.map_or_else(|| Err("no answer in time".to_owned()), judge)))
        .collect();
    let elapsed = started.elapsed();

    let listed = |op: &str| UNSATISFIABLE.iter().find(|(id, _)| *id == op).map(|(_, why)| *why);
    let mut passed = 0;
    let mut unsatisfiable = Vec::new();
    let mut failed = Vec::new();
    for (operation, outcome) in &outcomes {
        match (outcome, listed(operation)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => failed.push(format!("{operation}: listed as unsatisfiable, but passes: unlist it")),
            (Err(why), Some(reason)) => unsatisfiable.push(format!("{operation}: {reason} (Prism: {why})")),
            (Err(why), None) => failed.push(format!("{operation}: {why}")),
        }
    }
    for line in &unsatisfiable {
        println!("unsatisfiable: {line}");
    }
    for line in &failed {
        println!("FAILED: {line}");
    }
    println!(
        "contract: {passed}/{} operations passed, {} listed as unsatisfiable, {} failed ({:.1} s of calls)",
        outcomes.len(),
        unsatisfiable.len(),
        failed.len(),
        elapsed.as_secs_f64()
    );
    let unknown: Vec<&str> =
        UNSATISFIABLE.iter().map(|(id, _)| *id).filter(|id| !outcomes.iter().any(|(op, _)| op == id)).collect();
    assert!(unknown.is_empty(), "listed as unsatisfiable but not an operation: {unknown:?}");
    assert!(failed.is_empty(), "{} operations failed the contract", failed.len());

    // Prism answers each call with the spec's own example: a strict client reads every one as
    // the spec, with the overrides' corrections, describes it.
    let strict = sdk_tests::answers::client(&prism.base, true);
    let mut misread = Vec::new();
    let mut read = 0;
    for (operation, answer) in run_all(answer_calls(&strict)).await {
        match answer {
            Some(Ok(_)) => read += 1,
            _ if listed(operation).is_some() => {}
            Some(Err(error)) => misread.push(format!("{operation}: {error}")),
            None => misread.push(format!("{operation}: no answer in time")),
        }
    }
    for line in &misread {
        println!("FAILED strict: {line}");
    }
    println!("contract: strict reading: {read} answers read as documented, {} not", misread.len());
    assert!(misread.is_empty(), "{} answers of the spec's own examples drift from it", misread.len());
    drop(prism);
}

/// Every operation's example call, read with everything its answer held.
fn answer_calls(client: &mailgun::Client) -> Vec<(&'static str, sdk_tests::calls::Answering)> {
    let call =
        |op: &&'static str| sdk_tests::calls::answer(client, op, "contract", CALL_TIMEOUT).map(|call| (*op, call));
    sdk_tests::calls::OPERATIONS.iter().filter_map(call).collect()
}

/// `Ok` for a 2xx answer Prism found nothing wrong with; otherwise what was wrong.
fn judge(answer: Result<mailgun::RawResponse, mailgun::Error>) -> Result<(), String> {
    let raw = answer.map_err(|e| format!("no answer: {e}"))?;
    let violations: Vec<String> = raw
        .headers
        .get("sl-violations")
        .and_then(|v| v.to_str().ok())
        .and_then(|text| serde_json::from_str::<Vec<serde_json::Value>>(text).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|v| v["location"][0] == "request")
        .map(|v| {
            let place: Vec<&str> = v["location"].as_array().into_iter().flatten().filter_map(|p| p.as_str()).collect();
            format!("{}: {}", place.join("."), v["message"].as_str().unwrap_or("?"))
        })
        .collect();
    if !violations.is_empty() {
        return Err(format!("{} ({})", raw.status, violations.join("; ")));
    }
    if !raw.status.is_success() {
        return Err(format!("{}: {}", raw.status, String::from_utf8_lossy(&raw.body)));
    }
    Ok(())
}

/// Seeds of Prism's dynamic mode: each gives other random answers, the same on every run.
const SEEDS: &[&str] = &["1", "2", "3"];

/// Prism's dynamic mode answers every call with a random body valid for the spec, with extra
/// properties: every answer must decode, and lose nothing (every extra property kept, where the
/// user reaches it). Only a call listed as unsatisfiable may go without a success answer (it has
/// nothing to decode); any other error fails the test too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Prism: run by `cargo xtask test`, which installs it and sets PRISM_BIN"]
async fn random_answers_valid_for_the_spec_all_decode() {
    let prism_bin = std::env::var("PRISM_BIN").expect("PRISM_BIN: the path of the `prism` executable");
    let spec = concat!(env!("OUT_DIR"), "/prism-spec.json");
    let mut failures = Vec::new();
    for seed in SEEDS {
        let options = ["--dynamic", "--seed", seed, "--json-schema-faker-fillProperties", "true"];
        let prism = Prism::start(&prism_bin, spec, &options, LOG).await;
        let client = mailgun::Client::builder("key-contract")
            .base_url(&prism.base)
            .retry_policy(mailgun::RetryPolicy::none())
            .build()
            .expect("a local base URL");
        let (mut decoded, mut refused, mut kept) = (0, 0, 0);
        for (operation, answer) in run_all(answer_calls(&client)).await {
            let listed = UNSATISFIABLE.iter().any(|(id, _)| *id == operation);
            match answer {
                Some(Ok(answered)) => {
                    decoded += 1;
                    // Every property Prism adds is one the spec does not list: each must be
                    // reachable (kept, and written back out) rather than dropped.
                    kept += answered.drift.iter().filter(|d| d.kind == mailgun::DriftKind::UnlistedMember).count();
                    if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&answered.body) {
                        let gone = lost(&body, &answered.value);
                        if !gone.is_empty() {
                            failures.push(format!("seed {seed}: {operation}: not kept: {}", gone.join(", ")));
                        }
                    }
                }
                Some(Err(mailgun::Error::Decode(error))) => {
                    failures.push(format!("seed {seed}: {operation}: {error} in {}", error.body))
                }
                // Only a call the contract lists may go without a success answer.
                _ if listed => refused += 1,
                Some(Err(error)) => failures.push(format!("seed {seed}: {operation}: {error}")),
                None => failures.push(format!("seed {seed}: {operation}: no answer in time")),
            }
        }
        println!(
            "dynamic: seed {seed}: {decoded} answers decoded, {kept} properties the spec does not list kept, {refused} listed calls without a success answer"
        );
        drop(prism);
    }
    for failure in &failures {
        println!("FAILED: {failure}");
    }
    println!("dynamic: {} seeds, {} decode failures", SEEDS.len(), failures.len());
    assert!(failures.is_empty(), "{} answers did not decode", failures.len());
}

/// Runs every call, at most `CONCURRENCY` at once; `None` for one that did not end in time.
/// Sorted by operation.
async fn run_all<T, F>(calls: Vec<(&'static str, F)>) -> Vec<(&'static str, Option<T>)>
where
    T: Send + 'static,
    F: std::future::Future<Output = T> + Send + 'static,
{
    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut running = tokio::task::JoinSet::new();
    for (operation, call) in calls {
        let limit = Arc::clone(&limit);
        running.spawn(async move {
            let _permit = limit.acquire_owned().await.expect("the semaphore stays open");
            (operation, tokio::time::timeout(CALL_TIMEOUT + Duration::from_secs(5), call).await.ok())
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = running.join_next().await {
        outcomes.push(done.expect("a call task does not panic"));
    }
    outcomes.sort_by_key(|(operation, _)| *operation);
    outcomes
}
