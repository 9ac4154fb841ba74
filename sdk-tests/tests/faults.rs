//! Transport faults, limits and secrets on the wire, against a local fault server (loopback,
//! one behaviour per test, stopping with the test): every fault ends in its `Error` variant
//! within its timeout, only calls that are safe to repeat are tried again, nothing panics or
//! hangs, and the API key never travels where it does not belong.

use mailgun::{Error, File, RetryPolicy};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the fault server does once it has read a request.
#[derive(Clone)]
enum Fault {
    /// Closes the connection with a reset (RST), answering nothing.
    Reset,
    /// Sends the status line, headers announcing 100 bytes, and 10 of them; then resets.
    ResetMidBody,
    /// The same, then closes normally: the body is cut short.
    Truncated,
    /// Never answers.
    Stall,
    /// Writes these bytes and closes.
    Raw(Vec<u8>),
}

/// Serves `fault(n)` to the `n`-th connection; returns the base URL, the connection count and
/// the headers of every request received (lower-case names).
async fn fault_server(fault: impl Fn(usize, &str) -> Fault + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (count, seen) = (Arc::clone(&connections), Arc::clone(&requests));
    let fault = Arc::new(fault);
    let own_base = base.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let n = count.fetch_add(1, Ordering::SeqCst);
            let (fault, seen, base) = (Arc::clone(&fault), Arc::clone(&seen), own_base.clone());
            tokio::spawn(async move {
                let (read, write) = stream.into_split();
                let mut reader = BufReader::new(read);
                let request = sdk_tests::read_request(&mut reader).await;
                seen.lock().unwrap().push(request.headers);
                let mut stream = reader.into_inner().reunite(write).expect("the halves of one stream");
                match fault(n, &base) {
                    Fault::Reset => reset(stream),
                    Fault::ResetMidBody | Fault::Truncated => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
                        let _ = stream.write_all(format!("{head}{{\"items\":[").as_bytes()).await;
                        let _ = stream.flush().await;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        if matches!(fault(n, &base), Fault::ResetMidBody) {
                            reset(stream);
                        } else {
                            let _ = stream.shutdown().await;
                        }
                    }
                    Fault::Stall => tokio::time::sleep(Duration::from_secs(30)).await,
                    Fault::Raw(bytes) => {
                        let _ = stream.write_all(&bytes).await;
                        let _ = stream.shutdown().await;
                    }
                }
            });
        }
    });
    Server { base, connections, requests, task }
}

/// The headers of one request, names in lower case.
type Headers = Vec<(String, String)>;

struct Server {
    base: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<std::sync::Mutex<Vec<Headers>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

fn answer(status: &str, headers: &str, body: &[u8]) -> Fault {
    let mut bytes = format!("HTTP/1.1 {status}\r\n{headers}content-length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body);
    Fault::Raw(bytes)
}

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
        list(&client(&server.base)).await.unwrap();
        let _ = send(&client(&server.base)).await;
    });
    assert!(text.contains("mailgun.request"), "the log was captured:\n{text}");
    assert!(text.contains("reqwest::") || text.contains("hyper"), "the transport's own log was captured:\n{text}");
    let basic = "YXBpOmtleS1TRUNSRVQtNGU1Zg"; // base64 of `api:key-SECRET-4e5f`, unpadded prefix
    assert!(!text.contains("SECRET") && !text.contains(basic), "the log leaks the key:\n{text}");
}
