//! Transport faults, limits and secrets on the wire, against a local fault server (loopback,
//! one behaviour per test, stopping with the test): every fault ends in its `Error` variant
//! within its timeout, only calls that are safe to repeat are tried again, nothing panics or
//! hangs, and the API key never travels where it does not belong.

use mailgun::{Error, File, RetryPolicy};
use sdk_tests::fault::{answer, fault_server, Fault, Server};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

const SECRET: &str = "key-SECRET-4e5f";

fn client(base: &str) -> mailgun::Client {
    let quick = RetryPolicy::default().max_retries(2).initial_delay(Duration::from_millis(5));
    mailgun::Client::builder(SECRET)
        .base_url(base)
        .retry_policy(quick)
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap()
}

/// A list call (GET, safe to repeat) and a send with an attachment (POST, not).
async fn list(client: &mailgun::Client) -> Result<(), Error> {
    client.list_bounces("example.com").send().await.map(drop)
}

async fn send(client: &mailgun::Client) -> Result<(), Error> {
    client
        .send_message("example.com", ["to@example.com"])
        .from("from@example.com")
        .text("hello")
        .attachment(File::from_bytes("a.txt", "attached"))
        .send()
        .await
        .map(drop)
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_tried_again_for_every_call() {
    // A port nobody listens on: bound, then closed.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let started = Instant::now();
    for (result, operation) in [(list(&client).await, "bounces"), (send(&client).await, "messages")] {
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert!(error.operation_id().is_some_and(|op| op.contains(operation)), "{error:?}");
        assert!(
            error.operation().is_some_and(|method| ["list_bounces", "send_message"].contains(&method)),
            "{error:?}"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(5), "no hang: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_reset_before_the_answer_is_tried_again_only_for_a_call_safe_to_repeat() {
    let server = fault_server(|_, _| Fault::Reset).await;
    let client = client(&server.base);
    let error = list(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.connections(), 3, "a GET is tried three times");
    let error = send(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.connections(), 4, "a POST that may have arrived is not sent again");
}

#[tokio::test]
async fn a_reset_or_a_cut_during_the_answer_is_a_transport_error() {
    for fault in [Fault::ResetMidBody, Fault::Truncated] {
        let server = fault_server(move |_, _| fault.clone()).await;
        let client = client(&server.base);
        let error = list(&client).await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert_eq!(server.connections(), 3);
        send(&client).await.unwrap_err();
        assert_eq!(server.connections(), 4);
    }
}

#[tokio::test]
async fn a_stalled_answer_ends_at_the_timeout() {
    let server = fault_server(|_, _| Fault::Stall).await;
    let client = client(&server.base);
    let started = Instant::now();
    let error = send(&client).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(server.connections(), 1, "a POST is not sent again");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(3), "{elapsed:?}");
    let error = list(&client).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(server.connections(), 4, "a GET is tried three times, each within the timeout");
}

#[tokio::test]
async fn answers_that_are_not_what_they_claim_fail_to_decode_naming_the_call() {
    let invalid_utf8 = answer("200 OK", "content-type: application/json\r\n", b"{\"items\": [\"\xff\xfe\"]}");
    let html = answer("200 OK", "content-type: text/html\r\n", b"<html><body>Bad gateway</body></html>");
    // Says 5 bytes, sends 40: the client reads 5.
    let short_length = Fault::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n{\"items\": [], \"paging\": {}}, \"x\": 1}   ".to_vec(),
    );
    for fault in [invalid_utf8, html, short_length] {
        let server = fault_server(move |_, _| fault.clone()).await;
        let error = list(&client(&server.base)).await.unwrap_err();
        match &error {
            Error::Decode(decode) => assert_eq!(decode.operation_id, "GET-v3--domainID--bounces"),
            other => panic!("{other:?}"),
        }
        assert_eq!(server.connections(), 1, "an answer is not asked for again");
    }
}

#[tokio::test]
async fn a_redirect_loop_ends_in_an_error() {
    let server =
        fault_server(|_, base| answer("302 Found", &format!("location: {base}/v3/example.com/bounces\r\n"), b"")).await;
    let error = list(&client(&server.base)).await.unwrap_err();
    assert!(matches!(&error, Error::Transport { source, .. } if source.is_redirect()), "{error:?}");
    assert!(server.connections() <= 3 * 11, "bounded: {}", server.connections());
}

/// A redirect to another host (another port of this machine is another origin) reaches it
/// without the credentials; the first host got them.
#[tokio::test]
async fn a_redirect_to_another_host_never_carries_the_api_key() {
    let other = fault_server(|_, _| answer("200 OK", "content-type: application/json\r\n", b"{\"items\": []}")).await;
    let target = format!("{}/v3/example.com/bounces", other.base);
    let first =
        fault_server(move |_, _| answer("307 Temporary Redirect", &format!("location: {target}\r\n"), b"")).await;
    list(&client(&first.base)).await.unwrap();
    let has_auth = |server: &Server| {
        server.requests.lock().unwrap().iter().map(|h| h.iter().any(|(n, _)| n == "authorization")).collect::<Vec<_>>()
    };
    assert_eq!(has_auth(&first), [true]);
    assert_eq!(has_auth(&other), [false], "the key went to another host");
}

#[tokio::test]
async fn an_answer_larger_than_the_limit_is_refused_unread() {
    let big = vec![b' '; 4096];
    let announced = answer("200 OK", "content-type: application/json\r\n", &big);
    let mut chunked =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..8 {
        chunked.extend_from_slice(b"400\r\n");
        chunked.extend_from_slice(&[b' '; 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    for fault in [announced, Fault::Raw(chunked)] {
        let server = fault_server(move |_, _| fault.clone()).await;
        let client =
            mailgun::Client::builder("key-test").base_url(&server.base).max_answer_bytes(1000).build().unwrap();
        let error = list(&client).await.unwrap_err();
        assert!(matches!(error, Error::AnswerTooLarge { limit: 1000, .. }), "{error:?}");
        assert!(error.to_string().contains("larger than the 1000 bytes"), "{error}");
        assert_eq!(server.connections(), 1, "not asked for again");
    }
}

#[tokio::test]
async fn an_answer_in_several_chunks_is_read_whole() {
    let body = br#"{"items": [{"address": "a@example.com", "code": "550"}, {"address": "b@example.com"}]}"#;
    let mut chunked =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    // Cut inside a member name and inside a text, so that no piece is JSON on its own.
    for piece in [&body[..5], &body[5..30], &body[30..31], &body[31..]] {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    for fault in [Fault::Raw(chunked), answer("200 OK", "content-type: application/json\r\n", body)] {
        let server = fault_server(move |_, _| fault.clone()).await;
        let answer = client(&server.base).list_bounces("example.com").send_with_response().await.unwrap();
        assert_eq!(answer.body, body, "the body as it came");
        let addresses: Vec<_> = answer.value.items.iter().map(|b| b.address.as_deref()).collect();
        assert_eq!(addresses, [Some("a@example.com"), Some("b@example.com")]);
    }
}
