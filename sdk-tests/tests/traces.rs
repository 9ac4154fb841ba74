//! What the client traces. Alone in its test binary: `tracing` caches, per callsite, whether
//! any subscriber wants it, and a test on another thread with no subscriber that reaches the
//! client's callsites first can leave that cache saying "nobody" while this test's subscriber
//! is being set (one failure in about fifty runs beside the resilience tests). Here every test
//! sets its subscriber before it calls.

use mailgun::{File, RetryPolicy};
use sdk_tests::fault::{answer, fault_server, Fault};
use std::time::Duration;

/// Each try is a `mailgun.request` span naming the operation, the method, the path as the spec
/// writes it (no address or domain from the call), the try and the status; no key, no body.
#[test]
fn every_try_is_traced_without_secrets_or_values() {
    let text = sdk_tests::traced(|| async {
        let (base, _) = sdk_tests::counting(|n| match n {
            0 => (503, vec![], r#"{"message":"busy"}"#),
            _ => (200, vec![], r#"{"items":[]}"#),
        })
        .await;
        let quick = RetryPolicy::default().initial_delay(Duration::from_millis(5)).max_delay(Duration::from_millis(50));
        let client = mailgun::Client::builder("key-SECRET-1").base_url(&base).retry_policy(quick).build().unwrap();
        client.list_bounces("private-domain.example").send().await.unwrap();
    });
    for expected in [
        "mailgun.request",
        "operation=\"GET-v3--domainID--bounces\"",
        "method=GET",
        "path=\"/v3/{domain_name}/bounces\"",
        "attempt=1",
        "status=503",
        "attempt=2",
        "status=200",
    ] {
        assert!(text.contains(expected), "no `{expected}` in the trace:\n{text}");
    }
    assert!(!text.contains("SECRET") && !text.contains("private-domain"), "the trace leaks:\n{text}");
}

/// With every log at its most verbose (the client's spans, and reqwest's and hyper's own logs
/// through `log`), the key appears nowhere: neither as given nor as the `Authorization` header
/// carries it (base64).
#[test]
fn the_most_verbose_log_holds_no_secret() {
    let _ = tracing_log::LogTracer::init_with_filter(log::LevelFilter::Trace);
    let text = sdk_tests::traced(|| async {
        let server = fault_server(|n, _| match n {
            0 => Fault::Reset,
            _ => answer("200 OK", "content-type: application/json\r\n", b"{\"items\": []}"),
        })
        .await;
        let quick = RetryPolicy::default().max_retries(2).initial_delay(Duration::from_millis(5));
        let client =
            mailgun::Client::builder("key-SECRET-4e5f").base_url(&server.base).retry_policy(quick).build().unwrap();
        client.list_bounces("example.com").send().await.unwrap();
        let attachment = File::from_bytes("a.txt", "attached");
        let sent =
            client.send_message("example.com", ["to@example.com"]).from("from@example.com").attachment(attachment);
        let _ = sent.send().await;
    });
    assert!(text.contains("mailgun.request"), "the log was captured:\n{text}");
    assert!(text.contains("reqwest::") || text.contains("hyper"), "the transport's own log was captured:\n{text}");
    let basic = "YXBpOmtleS1TRUNSRVQtNGU1Zg"; // base64 of `api:key-SECRET-4e5f`, unpadded prefix
    assert!(!text.contains("SECRET") && !text.contains(basic), "the log leaks the key:\n{text}");
}
