//! Answers no spec describes: every response example of the spec and every answer of the drift
//! corpus, mutated at random (values retyped, members dropped and added, values wrapped, lists
//! nested hundreds deep, bodies cut short, bytes flipped), each read through the client's own
//! path. Reading never panics; an answer that is JSON and reads loses nothing (written out
//! again, every value that came comes back); a strict client fails rather than reading an
//! answer that drifts.
//!
//! Bounded for `cargo xtask test` (about 20 s of cases); for a longer run, set
//! `HOSTILE_ANSWERS_SECONDS` (and a seed with `HOSTILE_ANSWERS_SEED`):
//! `HOSTILE_ANSWERS_SECONDS=600 cargo test --release -p sdk-tests --test hostile_answers`.

use fastrand::Rng;
use sdk_tests::answers::{client, lost, read_recordings};
use sdk_tests::calls;
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the cases run unless told otherwise, and at most how many there are.
const DEFAULT_SECONDS: u64 = 20;
const MAX_CASES: usize = 200_000;
/// Calls in flight at once.
const CONCURRENCY: usize = 8;

/// An answer to mutate: the operation it answers, its status and its body.
struct Seed {
    operation: &'static str,
    status: u16,
    body: Value,
}

fn seeds() -> Vec<Seed> {
    let mut seeds: Vec<Seed> = calls::EXAMPLES
        .iter()
        .filter_map(|e| {
            Some(Seed { operation: e.operation, status: e.status, body: serde_json::from_str(e.body).ok()? })
        })
        .collect();
    let corpus = read_recordings(include_str!("../drift/answers.jsonl")).expect("the corpus reads");
    for recording in corpus {
        let operation = calls::OPERATIONS.iter().find(|op| **op == recording.operation).expect("an operation");
        seeds.push(Seed { operation, status: recording.status, body: recording.body });
    }
    seeds
}

/// A random JSON value, at most `depth` deep.
fn any_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.u8(0..if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 10f64.powi(rng.i32(-10..20))),
        4 => Value::String(String::new()),
        5 => Value::String(
            (0..rng.usize(1..12))
                .map(|_| rng.choice(['a', 'é', '1', ' ', '"', '\\', '\u{1F600}', '\0']).unwrap())
                .collect(),
        ),
        6 => Value::Array((0..rng.usize(0..4)).map(|_| any_value(rng, depth - 1)).collect()),
        _ => Value::Object((0..rng.usize(0..4)).map(|i| (format!("k{i}"), any_value(rng, depth - 1))).collect()),
    }
}

/// Nesting `depth` deep: lists in lists, or objects in objects.
fn nested(rng: &mut Rng, depth: usize) -> Value {
    let mut value = any_value(rng, 0);
    let lists = rng.bool();
    for _ in 0..depth {
        value = if lists { json!([value]) } else { json!({"a": value}) };
    }
    value
}

/// Every value of a tree, as a path of steps from the root.
fn paths(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(i.to_string());
                paths(item, at, out);
                at.pop();
            }
        }
        Value::Object(members) => {
            for (key, member) in members {
                at.push(key.clone());
                paths(member, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(value: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match v {
        Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
        Value::Object(members) => members.get_mut(step).unwrap(),
        _ => unreachable!("paths lead through lists and objects"),
    })
}

/// One random change somewhere in `value`.
fn mutate(value: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    paths(value, &mut Vec::new(), &mut all);
    let path = rng.choice(&all).unwrap().clone();
    let target = at(value, &path);
    match rng.u8(0..9) {
        0..=2 => *target = any_value(rng, 2),
        3 => *target = json!([target.take()]),
        4 => *target = Value::Object(Map::from_iter([("value".to_owned(), target.take())])),
        5 => {
            let depth = rng.usize(1..400);
            *target = nested(rng, depth);
        }
        6 => match target {
            Value::Object(members) if !members.is_empty() => {
                let key = rng.choice(members.keys()).unwrap().clone();
                members.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => drop(items.remove(rng.usize(0..items.len()))),
            other => *other = Value::Null,
        },
        _ => match target {
            Value::Object(members) => drop(members.insert(format!("x-{}", rng.u32(..)), any_value(rng, 3))),
            Value::Array(items) => items.insert(rng.usize(0..=items.len()), any_value(rng, 3)),
            other => *other = any_value(rng, 1),
        },
    }
}

/// A body: the mutated answer's JSON, or, now and then, bytes that are no JSON.
fn body(value: &Value, rng: &mut Rng) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("JSON");
    match rng.u8(0..10) {
        0 if !bytes.is_empty() => bytes.truncate(rng.usize(0..bytes.len())),
        1 if !bytes.is_empty() => {
            let i = rng.usize(0..bytes.len());
            bytes[i] = rng.choice([0xff, 0x00, b'"', b'{', b']', 0xc3]).unwrap();
        }
        _ => {}
    }
    bytes
}

#[derive(Default)]
struct Tally {
    cases: usize,
    read: usize,
    refused: usize,
    failures: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_answer_panics_the_reader_or_loses_what_came() {
    let seconds = std::env::var("HOSTILE_ANSWERS_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SECONDS);
    let seed = std::env::var("HOSTILE_ANSWERS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(16);
    let seeds = seeds();
    // The answers served, by the index each call is tagged with: status and body.
    type Served = Arc<Mutex<Vec<(u16, Vec<u8>)>>>;
    let answers: Served = Arc::default();
    let served = Arc::clone(&answers);
    let (base, server) = sdk_tests::serve_all(move |request| {
        let index: usize = request.header("x-example").and_then(|i| i.parse().ok()).expect("a tagged call");
        let (status, body) = served.lock().unwrap()[index].clone();
        (status, "application/json".to_owned(), body)
    })
    .await;
    let (lenient, strict) = (client(&base, false), client(&base, true));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut running = tokio::task::JoinSet::new();
    let mut rng = Rng::with_seed(seed);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    while Instant::now() < deadline && tally.lock().unwrap().cases < MAX_CASES {
        let from = rng.choice(&seeds).unwrap();
        let mut value = from.body.clone();
        for _ in 0..rng.usize(1..4) {
            mutate(&mut value, &mut rng);
        }
        let bytes = body(&value, &mut rng);
        let index = {
            let mut answers = answers.lock().unwrap();
            answers.push((from.status, bytes.clone()));
            answers.len() - 1
        };
        let (operation, status) = (from.operation, from.status);
        let (lenient, strict, tally) = (lenient.clone(), strict.clone(), Arc::clone(&tally));
        let permit = Arc::clone(&limit).acquire_owned().await.expect("open");
        running.spawn(async move {
            let _permit = permit;
            let tag = index.to_string();
            let timeout = Duration::from_secs(10);
            let read = calls::answer(&lenient, operation, &tag, timeout).expect("an operation").await;
            let strictly = calls::answer(&strict, operation, &tag, timeout).expect("an operation").await;
            let mut tally = tally.lock().unwrap();
            tally.cases += 1;
            let json = serde_json::from_slice::<Value>(&bytes).ok();
            match (&read, json) {
                (Ok(answered), Some(sent)) => {
                    tally.read += 1;
                    let gone = lost(&sent, &answered.value);
                    if !gone.is_empty() {
                        tally.failures.push(format!("{operation} {status}: lost {}: {sent}", gone.join(", ")));
                    }
                    if strictly.is_ok() != answered.drift.is_empty() {
                        tally.failures.push(format!("{operation} {status}: strict and drift disagree: {sent}"));
                    }
                }
                (Ok(_), None) if (200..300).contains(&status) => {
                    // A body that is no JSON reads only where no JSON is documented (text).
                    tally.read += 1;
                }
                _ => tally.refused += 1,
            }
        });
    }
    while let Some(done) = running.join_next().await {
        done.expect("reading an answer never panics");
    }
    server.abort();
    let tally = tally.lock().unwrap();
    sdk_tests::summary(&format!(
        "hostile answers: {} cases in {:.0} s (seed {seed}), {} read, {} refused with an error, {} values lost, 0 panics",
        tally.cases,
        started.elapsed().as_secs_f64(),
        tally.read,
        tally.refused,
        tally.failures.len(),
    ));
    for failure in tally.failures.iter().take(20) {
        println!("FAILED: {failure}");
    }
    assert!(tally.failures.is_empty(), "{} answers were not read as they came", tally.failures.len());
    assert!(tally.cases > 100, "too few cases ran: {}", tally.cases);
}
