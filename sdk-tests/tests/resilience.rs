//! Retries, rate limits and typed error answers, against the test double (scripted answers,
//! counted requests) or, for what the double does not do, a local server of its own.

use mailgun::apis::bounces::ListBounces;
use mailgun::apis::messages::SendMessage;
use mailgun::mock::MockServer;
use mailgun::types::{GenericResponse, GetBouncesPaginationResponse, SendMessageResponse};
use mailgun::{Error, ErrorBody, RetryPolicy};
use std::time::{Duration, Instant};

/// A client that retries quickly, so the tests do not wait.
fn quick_client(base: &str, policy: RetryPolicy) -> mailgun::Client {
    mailgun::Client::builder("key-test").base_url(base).retry_policy(policy).build().unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().initial_delay(Duration::from_millis(5)).max_delay(Duration::from_millis(50))
}

/// A client of the test double with `policy`.
fn double_client(server: &MockServer, policy: RetryPolicy) -> mailgun::Client {
    server.client_builder().retry_policy(policy).build().unwrap()
}

#[tokio::test]
async fn server_errors_are_retried_for_calls_that_can_repeat() {
    let server = MockServer::start().await;
    server.on::<ListBounces>().answer(GetBouncesPaginationResponse::default());
    server.on::<ListBounces>().times(2).raw(503, "application/json", r#"{"message":"busy"}"#);
    let page = double_client(&server, fast()).list_bounces("example.com").send().await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(server.requests().len(), 3, "two retries, then the answer");
}

/// A send may have been delivered when the server fails: it is not repeated unless asked.
#[tokio::test]
async fn a_send_is_not_repeated_after_a_server_error_unless_asked() {
    let server = MockServer::start().await;
    server.on::<SendMessage>().raw(500, "application/json", r#"{"message":"oops"}"#);
    let error = double_client(&server, fast()).send_message("example.com", ["a@example.org"]).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.received::<SendMessage>().len(), 1, "sent once");

    let opted_in = fast().max_retries(2).retry_non_idempotent(true);
    let _ = double_client(&server, opted_in)
        .send_message("example.com", ["a@example.org", "b@example.org"])
        .subject("Ünïcode, twice")
        .text("")
        .tag("one")
        .attachment(mailgun::File::from_bytes("a.txt", "the file"))
        .send()
        .await;
    let tries = server.received::<SendMessage>();
    assert_eq!(tries.len(), 1 + 3, "the caller opted in");
    // Every try sends the whole body again: the texts and the file, not what an earlier try
    // consumed.
    for body in tries[1..].iter().map(|sent| &sent.body) {
        assert_eq!(body.to, ["a@example.org", "b@example.org"]);
        assert_eq!(body.subject.as_deref(), Some("Ünïcode, twice"));
        assert_eq!(body.text.as_deref(), Some(""));
        assert_eq!(body.tag.as_deref(), Some(&["one".to_owned()][..]));
        let files = body.attachment.as_deref().unwrap_or_default();
        assert_eq!(
            files.iter().map(|f| (f.name(), f.bytes())).collect::<Vec<_>>(),
            [("a.txt", Some(&b"the file"[..]))]
        );
    }
}

#[tokio::test]
async fn rate_limits_are_retried_after_the_wait_mailgun_asks_for() {
    let server = MockServer::start().await;
    let mut queued = SendMessageResponse::default();
    queued.message = Some("Queued".to_owned());
    server.on::<SendMessage>().answer(queued);
    server.on::<SendMessage>().times(1).rate_limited(Duration::from_secs(1));
    let started = Instant::now();
    let policy = fast().max_delay(Duration::from_secs(5));
    let sent = double_client(&server, policy).send_message("example.com", ["a@example.org"]).send().await.unwrap();
    assert_eq!(sent.message.as_deref(), Some("Queued"));
    assert_eq!(server.requests().len(), 2);
    assert!(started.elapsed() >= Duration::from_secs(1), "waited as asked: {:?}", started.elapsed());
}

/// A wait longer than the policy's longest is not waited for: the error says how long.
#[tokio::test]
async fn a_rate_limit_that_asks_for_too_long_a_wait_is_an_error_saying_when() {
    let server = MockServer::start().await;
    server.on::<ListBounces>().rate_limited(Duration::from_secs(120));
    let error = double_client(&server, fast()).list_bounces("example.com").send().await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    let Error::RateLimited(api) = &error else { panic!("expected a rate-limit error, got {error:?}") };
    assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
    assert!(error.to_string().contains("retry after 120 s"), "{error}");

    server.on::<SendMessage>().raw(420, "application/json", r#"{"message":"recipient limit exceeded"}"#);
    let error = double_client(&server, RetryPolicy::none())
        .send_message("example.com", ["a@example.org"])
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::RateLimited(api) if api.status.as_u16() == 420), "{error:?}");
}

#[tokio::test]
async fn a_connection_that_cannot_be_made_is_a_transport_error_naming_the_call() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let error = quick_client(&base, fast().max_retries(1)).list_bounces("example.com").send().await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { operation: "list_bounces", operation_id: "GET-v3--domainID--bounces", .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn error_answers_are_read_as_their_documented_type() {
    let server = MockServer::start().await;
    let client = double_client(&server, RetryPolicy::none());
    let mut missing = GenericResponse::default();
    missing.message = Some("'to' parameter is missing".to_owned());
    server.on::<SendMessage>().error(400, missing);
    let error = client.send_message("example.com", ["a"]).send().await.unwrap_err();
    let Error::Api(api) = error else { panic!("expected an API error") };
    let Some(ErrorBody::GenericResponse(body)) = api.detail() else { panic!("expected a GenericResponse: {api:?}") };
    assert_eq!(body.message.as_deref(), Some("'to' parameter is missing"));

    // The send calls document their 401 as text.
    server.on::<SendMessage>().raw(401, "text/plain", "Forbidden");
    let error = client.send_message("example.com", ["a"]).send().await.unwrap_err();
    assert!(matches!(error.api().unwrap().detail(), Some(ErrorBody::Text(text)) if text == "Forbidden"), "{error:?}");
}

#[tokio::test]
async fn the_api_key_is_in_no_debug_output_or_message() {
    let secret = "key-SECRET-9f8e7d";
    let client = mailgun::Client::builder(secret).base_url("http://127.0.0.1:9").build().unwrap();
    let builder = mailgun::Client::builder(secret).timeout(Duration::from_secs(1));
    let mut texts = vec![format!("{client:?}"), format!("{builder:?}")];
    // Every request builder of the crate, with example values.
    texts.extend(calls::builders(&client).into_iter().map(|(_, debug)| debug));
    // Every error variant.
    let (base, _) = sdk_tests::counting(|n| match n % 3 {
        0 => (404, vec![], r#"{"message":"nope"}"#),
        1 => (429, vec![], r#"{"message":"slow"}"#),
        _ => (200, vec![], r#""not an object""#),
    })
    .await;
    let local = mailgun::Client::builder(secret).base_url(&base).retry_policy(RetryPolicy::none()).build().unwrap();
    let mut errors = Vec::new();
    for _ in 0..3 {
        errors.push(local.get_bounce("example.com", "a@example.org").send().await.unwrap_err());
    }
    errors.push(client.get_bounce("example.com", "a").retry_policy(RetryPolicy::none()).send().await.unwrap_err());
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_base = format!("http://{}", silent.local_addr().unwrap());
    let hold = tokio::spawn(async move {
        let _connection = silent.accept().await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let waiting = mailgun::Client::builder(secret).base_url(&silent_base).build().unwrap();
    let timeout = Duration::from_millis(100);
    let call = waiting.list_bounces("example.com").timeout(timeout).retry_policy(RetryPolicy::none());
    errors.push(call.send().await.unwrap_err());
    hold.abort();
    let mut unwritable = std::collections::BTreeMap::new();
    unwritable.insert((1, 2), "a map whose keys are not text has no JSON form");
    errors.push(client.send_message("example.com", ["a"]).variable("bad", unwritable).send().await.unwrap_err());
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Api(_) => "api",
            Error::RateLimited(_) => "rate limited",
            Error::Decode(_) => "decode",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::InvalidRequest(_) => "invalid request",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["api", "rate limited", "decode", "transport", "timeout", "invalid request"]);
    for error in &errors {
        texts.push(format!("{error:?}"));
        texts.push(error.to_string());
    }
    for text in &texts {
        assert!(!text.contains("SECRET"), "the key leaks: {text}");
    }
    assert!(texts.len() > 220, "every builder was checked: {}", texts.len());
}

mod calls {
    include!(concat!(env!("OUT_DIR"), "/builders.rs"));
}
