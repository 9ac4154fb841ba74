//! A one-request HTTP server on loopback that records what the client sent and answers with a
//! canned response, plus a small multipart parser to read the recorded body; and the Prism
//! mock server ([`prism`]).

pub mod answers;
pub mod fault;
pub mod load;
pub mod prism;

/// Every operation's example call, read with `send_with_response`, and every response example
/// of the spec: made by the generator from the same IR as the crate (`build.rs`).
pub mod calls {
    include!(concat!(env!("OUT_DIR"), "/answer_calls.rs"));
}

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One request as received.
#[derive(Debug)]
pub struct Recorded {
    /// `POST`, `GET`, …
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The parts of a `multipart/form-data` body.
    pub fn multipart(&self) -> Vec<Part> {
        let content_type = self.header("content-type").expect("a content type");
        let boundary = content_type.split("boundary=").nth(1).expect("a boundary").trim_matches('"');
        let delimiter = format!("--{boundary}");
        let body = self.body.as_slice();
        let mut parts = Vec::new();
        for chunk in split(body, delimiter.as_bytes()).into_iter().skip(1) {
            if chunk.starts_with(b"--") {
                break;
            }
            let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
            let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
            let split_at = find(chunk, b"\r\n\r\n").expect("part headers");
            let head = String::from_utf8_lossy(&chunk[..split_at]).to_string();
            let data = chunk[split_at + 4..].to_vec();
            let mut part = Part { name: String::new(), filename: None, content_type: None, data };
            for line in head.lines() {
                let lower = line.to_ascii_lowercase();
                if lower.starts_with("content-disposition:") {
                    part.name = attribute(line, "name").unwrap_or_default();
                    part.filename = attribute(line, "filename");
                } else if let Some(value) = lower.strip_prefix("content-type:") {
                    part.content_type = Some(value.trim().to_owned());
                }
            }
            parts.push(part);
        }
        parts
    }
}

/// One multipart part.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The field name.
    pub name: String,
    /// The filename, for file parts.
    pub filename: Option<String>,
    /// The part's content type, if sent.
    pub content_type: Option<String>,
    /// The contents.
    pub data: Vec<u8>,
}

impl Part {
    /// The contents as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

fn attribute(line: &str, name: &str) -> Option<String> {
    let key = format!("; {name}=\"");
    let start = line.find(&key)? + key.len();
    let end = line[start..].find('"')? + start;
    Some(line[start..end].to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    while let Some(at) = find(haystack, needle) {
        out.push(&haystack[..at]);
        haystack = &haystack[at + needle.len()..];
    }
    out.push(haystack);
    out
}

/// Starts a server that accepts one request, answers `status` with `answer`, and returns what it
/// received. Returns the base URL to point a client at.
pub async fn serve_once(
    status: u16,
    content_type: &'static str,
    answer: &'static str,
) -> (String, JoinHandle<Recorded>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("one connection");
        let (read, mut write) = stream.into_split();
        let recorded = read_request(&mut BufReader::new(read)).await;
        write_answer(&mut write, status, content_type, answer.as_bytes()).await;
        recorded
    });
    (base, handle)
}

/// What a server answers: status, content type, body.
pub type Answer = (u16, String, Vec<u8>);

/// Starts a server that answers every request with what `answer` makes of it, until the
/// returned handle is aborted. Returns the base URL.
pub async fn serve_all(answer: impl Fn(&Recorded) -> Answer + Send + Sync + 'static) -> (String, JoinHandle<()>) {
    serve(move |request| {
        let (status, content_type, body) = answer(request);
        (status, vec![("content-type", content_type)], body)
    })
    .await
}

/// Like [`serve_all`], for JSON answers with headers of their own: `answer` gives the status,
/// the extra headers and the body.
pub async fn serve_all_with_headers(
    answer: impl Fn(&Recorded) -> (u16, Vec<(&'static str, String)>, &'static str) + Send + Sync + 'static,
) -> (String, JoinHandle<()>) {
    serve(move |request| {
        let (status, mut headers, body) = answer(request);
        headers.push(("content-type", "application/json".to_owned()));
        (status, headers, body.as_bytes().to_vec())
    })
    .await
}

/// A server whose `n`-th answer (from 0) is `answers(n)`; returns the base URL and the count.
pub async fn counting(
    answers: impl Fn(usize) -> (u16, Vec<(&'static str, String)>, &'static str) + Send + Sync + 'static,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&count);
    let (base, _server) = serve_all_with_headers(move |_| {
        let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        answers(n)
    })
    .await;
    (base, count)
}

type FullAnswer = (u16, Vec<(&'static str, String)>, Vec<u8>);

async fn serve(answer: impl Fn(&Recorded) -> FullAnswer + Send + Sync + 'static) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let answer = std::sync::Arc::new(answer);
    let handle = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let answer = std::sync::Arc::clone(&answer);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let recorded = read_request(&mut BufReader::new(read)).await;
                let (status, headers, body) = answer(&recorded);
                write_head_and_body(&mut write, status, &headers, &body).await;
            });
        }
    });
    (base, handle)
}

/// Like [`serve_all`], keeping each connection open for the next request (HTTP/1.1 keep-alive),
/// as a server in production does: for measuring a client rather than connection set-up.
pub async fn serve_keep_alive(
    answer: impl Fn(&Recorded) -> Answer + Send + Sync + 'static,
) -> (String, JoinHandle<()>) {
    let (base, _, handle) = serve_keep_alive_counted(answer).await;
    (base, handle)
}

/// [`serve_keep_alive`], also counting the connections opened to it.
pub async fn serve_keep_alive_counted(
    answer: impl Fn(&Recorded) -> Answer + Send + Sync + 'static,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let answer = std::sync::Arc::new(answer);
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let opened = std::sync::Arc::clone(&connections);
    let handle = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            opened.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            // Each answer goes out at once, not held back for an acknowledgement (Nagle).
            let _ = stream.set_nodelay(true);
            let answer = std::sync::Arc::clone(&answer);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                loop {
                    let recorded = read_request(&mut reader).await;
                    // An empty request line: the client closed the connection.
                    if recorded.method.is_empty() {
                        return;
                    }
                    let (status, content_type, body) = answer(&recorded);
                    let mut message = format!(
                        "HTTP/1.1 {status} Status\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    message.extend_from_slice(&body);
                    if write.write_all(&message).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, connections, handle)
}

/// Reads one request (head, and a body by `content-length` or in chunks) from a connection.
pub async fn read_request(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Recorded {
    let mut line = String::new();
    reader.read_line(&mut line).await.unwrap();
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let target = words.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':').expect("a header line");
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if let Some(length) = header("content-length") {
        body.resize(length.parse().unwrap(), 0);
        reader.read_exact(&mut body).await.unwrap();
    } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            line.clear();
            reader.read_line(&mut line).await.unwrap();
            let size = usize::from_str_radix(line.trim(), 16).unwrap();
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).await.unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    Recorded { method, target, headers, body }
}

async fn write_answer(write: &mut tokio::net::tcp::OwnedWriteHalf, status: u16, content_type: &str, body: &[u8]) {
    write_head_and_body(write, status, &[("content-type", content_type.to_owned())], body).await;
}

async fn write_head_and_body(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    status: u16,
    headers: &[(&str, String)],
    body: &[u8],
) {
    let mut head = format!("HTTP/1.1 {status} Status\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", body.len()));
    write.write_all(head.as_bytes()).await.unwrap();
    write.write_all(body).await.unwrap();
    write.shutdown().await.ok();
}

/// A client pointed at a local server.
pub fn client(base: &str) -> mailgun::Client {
    mailgun::Client::builder("key-test").base_url(base).build().expect("valid base URL")
}

/// Prints a line of a test's summary where the test runner shows it: `cargo test` captures what
/// `println!` prints in a test that passes, not what is written to stdout directly.
pub fn summary(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Runs `call` on a current-thread runtime with every `tracing` event and span (closed) at
/// TRACE written to a [`CapturedLog`], and returns the log's text.
///
/// Only for a test binary in which every test sets its subscriber before it calls (as
/// `tests/traces.rs`): `tracing` caches, per callsite, whether any subscriber listens, and a test
/// with none, on another thread, that reaches the client's callsites while this subscriber is
/// being set can leave that cache saying "nobody" (a missing span, one run in about fifty).
pub fn traced<F: std::future::Future>(call: impl FnOnce() -> F) -> String {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    tracing::subscriber::with_default(subscriber, || runtime.block_on(call()));
    log.text()
}

/// A `tracing` writer that keeps what is written, for tests that read the log.
#[derive(Clone, Default)]
pub struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLog {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
