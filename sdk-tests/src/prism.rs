//! Stoplight Prism, the mock server the contract test and the examples run against.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to read the spec and listen.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);

/// A Prism mock server on a free loopback port, stopped when dropped.
pub struct Prism {
    child: Child,
    /// Its base URL, for `ClientBuilder::base_url`.
    pub base: String,
}

impl Prism {
    /// Starts `bin` serving `spec` (with extra `options`), its output into the file `log`, and
    /// waits until it listens.
    pub async fn start(bin: &str, spec: &str, options: &[&str], log: &str) -> Prism {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let log_file = std::fs::File::create(log).expect("a log file");
        let child = Command::new(bin)
            .args(["mock", spec, "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(options)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("a second handle"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism ({bin}): {e}"));
        let prism = Prism { child, base: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(started.elapsed() < STARTUP_TIMEOUT, "Prism did not listen within {STARTUP_TIMEOUT:?}; see {log}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        println!("Prism listening after {:.1} s", started.elapsed().as_secs_f64());
        prism
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
