//! A local server that misbehaves on purpose, one behaviour per connection: for the transport
//! fault tests and the log tests, which run in binaries of their own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the fault server does once it has read a request.
#[derive(Clone)]
pub enum Fault {
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
pub async fn fault_server(fault: impl Fn(usize, &str) -> Fault + Send + Sync + 'static) -> Server {
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
                let request = crate::read_request(&mut reader).await;
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
pub type Headers = Vec<(String, String)>;

pub struct Server {
    pub base: String,
    connections: Arc<AtomicUsize>,
    pub requests: Arc<std::sync::Mutex<Vec<Headers>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// How many connections it has accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// An answer written as it goes on the wire: the status line, `headers`, the length and `body`.
pub fn answer(status: &str, headers: &str, body: &[u8]) -> Fault {
    let mut bytes = format!("HTTP/1.1 {status}\r\n{headers}content-length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body);
    Fault::Raw(bytes)
}
