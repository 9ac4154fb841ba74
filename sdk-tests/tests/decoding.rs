//! Every response example of the spec, read through the client's own path: a local server
//! answers each example's call with the example, and the call's `send_with_response()` reads
//! it. A success example must be read as the operation's type and lose nothing: written out
//! again, every member that came with a value comes back with that value, in its field or kept
//! as it came. An error example must come back as `Error::Api` (or `Error::RateLimited`) with
//! the body kept and, where the spec documents a type for it, read as that type. The client is
//! strict: an example that differs from its schema (a member it does not list, a required one
//! left out) fails, so the spec and its examples agree once the overrides have corrected it.

use sdk_tests::answers::{client, lost, serve_answers};
use sdk_tests::calls;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_example_reads_and_loses_nothing() {
    let answers = calls::EXAMPLES.iter().map(|e| (e.status, e.body.as_bytes().to_vec())).collect();
    let (base, server) = serve_answers(Arc::new(answers)).await;
    // Strict: the spec's own examples must read exactly as the spec (with the overrides'
    // corrections) describes them.
    let client = client(&base, true);

    let mut failures = Vec::new();
    let (mut lossy, mut values_lost, mut typed) = (Vec::new(), 0, 0);
    let total = calls::EXAMPLES.len();
    for (index, example) in calls::EXAMPLES.iter().enumerate() {
        let what = format!("{} {} `{}`", example.operation, example.status, example.name);
        let call = calls::answer(&client, example.operation, &index.to_string(), Duration::from_secs(10));
        let outcome = call.expect("every example's operation has a call").await;
        let success = (200..300).contains(&example.status);
        match (success, outcome) {
            (true, Ok(answered)) => {
                let sent: Value = serde_json::from_str(example.body).unwrap();
                let gone = lost(&sent, &answered.value);
                if !gone.is_empty() {
                    values_lost += gone.len();
                    lossy.push(format!("{what}: {}", gone.join(", ")));
                }
            }
            (false, Err(mailgun::Error::Api(api) | mailgun::Error::RateLimited(api))) => {
                assert_eq!(api.body, example.body, "{what}: body kept");
                if example.typed {
                    typed += 1;
                    if api.detail().is_none() {
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
        println!("not read: {failure}");
    }
    for line in &lossy {
        println!("values not kept: {line}");
    }
    sdk_tests::summary(&format!(
        "examples: {}/{total} decoded, {values_lost} values not kept ({typed} error answers read as their documented type)",
        total - failures.len(),
    ));
    assert!(failures.is_empty(), "{} examples were not read", failures.len());
    assert!(lossy.is_empty(), "{} examples lost {values_lost} values", lossy.len());
}
