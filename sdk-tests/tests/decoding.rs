//! Every response example of the spec, decoded through the client's own path: a local server
//! answers each example's call with the example, and the call's `send()` decodes it. A success
//! example must decode into the operation's type; an error example must come back as
//! `Error::Api` (or `Error::RateLimited`) with the body kept and, where the spec documents a
//! type for it, read as that type.
//!
//! Decoding is tolerant, so "decoded" alone could hide values read as missing. The decoded
//! value is written back as JSON and compared with the example: every value of the example
//! must be there again, except properties the type does not model at all.

use serde_json::Value;
use std::sync::{Arc, RwLock};

mod calls {
    include!(concat!(env!("OUT_DIR"), "/example_calls.rs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_example_decodes() {
    let answers: Arc<RwLock<Vec<(u16, &'static str)>>> = Arc::default();
    let served = Arc::clone(&answers);
    let (base, server) = sdk_tests::serve_all(move |request| {
        let index: usize = request.header("x-example").and_then(|i| i.parse().ok()).expect("a tagged call");
        let (status, body) = served.read().unwrap()[index];
        (status, "application/json".to_owned(), body.as_bytes().to_vec())
    })
    .await;
    // Every answer is taken as it is: no retry of the rate-limit examples.
    let client = mailgun::Client::builder("key-test")
        .base_url(&base)
        .retry_policy(mailgun::RetryPolicy::none())
        .build()
        .unwrap();
    let examples = calls::examples(&client);
    *answers.write().unwrap() = examples.iter().map(|e| (e.status, e.body)).collect();

    let mut failures = Vec::new();
    let mut lossy = Vec::new();
    let mut typed = 0;
    let total = examples.len();
    for example in examples {
        let what = format!("{} {} `{}`", example.operation, example.status, example.name);
        let outcome = example.call.await;
        let success = (200..300).contains(&example.status);
        match (success, outcome) {
            (true, Ok(decoded)) => {
                let sent: Value = serde_json::from_str(example.body).unwrap();
                let mut lost = Vec::new();
                changed(&sent, &decoded, "", &mut lost);
                if !lost.is_empty() {
                    lossy.push(format!("{what}: {}", lost.join(", ")));
                }
            }
            (false, Err(mailgun::Error::Api(api) | mailgun::Error::RateLimited(api))) => {
                assert_eq!(api.body, example.body, "{what}: body kept");
                if example.typed {
                    typed += 1;
                    if api.detail.is_none() {
                        failures.push(format!("{what}: not read as its documented type"));
                    }
                }
            }
            (_, Ok(_)) => failures.push(format!("{what}: an error status read as a success")),
            (_, Err(error)) => failures.push(format!("{what}: {error}")),
        }
    }
    server.abort();
    for failure in &failures {
        println!("not decoded: {failure}");
    }
    for line in &lossy {
        println!("values not kept: {line}");
    }
    println!(
        "examples: {}/{total} decoded ({typed} error answers read as their documented type), {} of the successes with a value not kept",
        total - failures.len(),
        lossy.len()
    );
    assert!(failures.is_empty(), "{} examples did not decode", failures.len());
}

/// The places where `decoded` lost or changed a value of `sent`. A property `decoded` does not
/// have at all is one the type does not model, and not counted; `null` and empty values may be
/// left out; numbers compare by value (`0` and `0.0`), other scalars by their text (`550` and
/// `"550"` are the same value).
fn changed(sent: &Value, decoded: &Value, at: &str, out: &mut Vec<String>) {
    match (sent, decoded) {
        (Value::Null, _) => {}
        (Value::Object(sent), Value::Object(decoded)) => {
            for (key, value) in sent {
                if let Some(kept) = decoded.get(key) {
                    changed(value, kept, &format!("{at}/{key}"), out);
                }
            }
        }
        (Value::Array(sent), Value::Array(decoded)) if sent.len() == decoded.len() => {
            for (i, (a, b)) in sent.iter().zip(decoded).enumerate() {
                changed(a, b, &format!("{at}/{i}"), out);
            }
        }
        (Value::Array(items), Value::Null) if items.is_empty() => {}
        (Value::Object(members), Value::Null) if members.is_empty() => {}
        (Value::String(text), Value::Null) if text.is_empty() => {}
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if text(a) == text(b) && text(a).is_some() => {}
        (a, b) => out.push(format!("{at} ({a} read as {b})")),
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
