//! Many calls at once from one client, against a local keep-alive server: every call answered
//! or failed with its reason, the connections it opened, and the process's memory along the
//! way; and a long list read through `items()`. The short version runs in the tests (it checks
//! correctness only); `cargo xtask bench` runs the long one and prints the figures.

use crate::{serve_keep_alive_counted, Recorded};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a load run saw.
#[derive(Debug)]
pub struct LoadReport {
    pub calls: usize,
    pub answered: usize,
    /// Failed calls, by their error's text.
    pub failures: BTreeMap<String, usize>,
    /// Connections the server accepted.
    pub connections: usize,
    pub elapsed: Duration,
    /// Resident memory (MB) after a tenth of the calls, and at the end.
    pub rss_early_mb: f64,
    pub rss_end_mb: f64,
    /// The process's peak resident memory (MB).
    pub peak_mb: f64,
}

/// One answer per kind of call: a send's receipt, or a page of ten bounces with no next page.
fn answer(request: &Recorded) -> crate::Answer {
    let body = if request.method == "POST" {
        r#"{"id":"<20261203.1@example.com>","message":"Queued. Thank you."}"#.to_owned()
    } else {
        let item = r#"{"address":"a@example.com","code":"550","error":"No such mailbox","created_at":"Thu, 13 Oct 2011 18:02:00 UTC"}"#;
        format!(r#"{{"items":[{}],"paging":{{}}}}"#, [item; 10].join(","))
    };
    (200, "application/json".to_owned(), body.into_bytes())
}

/// `calls` calls, `concurrency` at a time, from one client: one in four a send with a 2 KB
/// attachment, the others a list call.
pub async fn run(calls: usize, concurrency: usize) -> LoadReport {
    let (base, connections, server) = serve_keep_alive_counted(answer).await;
    let client = crate::client(&base);
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let attachment = vec![b'x'; 2048];
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let mut rss_early_mb = 0.0;
    let (mut answered, mut failures) = (0, BTreeMap::new());
    let mut tally = |done: Result<Result<(), String>, tokio::task::JoinError>| match done.expect("no call panics") {
        Ok(()) => answered += 1,
        Err(reason) => *failures.entry(reason).or_insert(0) += 1,
    };
    for i in 0..calls {
        // Finished calls are counted as they finish, so the run holds only the calls in flight.
        while let Some(done) = tasks.try_join_next() {
            tally(done);
        }
        let permit = Arc::clone(&permits).acquire_owned().await.expect("never closed");
        let (client, attachment) = (client.clone(), attachment.clone());
        tasks.spawn(async move {
            let result = if i % 4 == 0 {
                client
                    .send_message("example.com", ["to@example.com"])
                    .from("from@example.com")
                    .text("hello")
                    .attachment(mailgun::File::from_bytes("report.csv", attachment))
                    .send()
                    .await
                    .map(drop)
            } else {
                client.list_bounces("example.com").send().await.map(drop)
            };
            drop(permit);
            result.map_err(|e| e.to_string())
        });
        if i == calls / 10 {
            rss_early_mb = rss_mb("VmRSS:");
        }
    }
    while let Some(done) = tasks.join_next().await {
        tally(done);
    }
    let elapsed = started.elapsed();
    server.abort();
    LoadReport {
        calls,
        answered,
        failures,
        connections: connections.load(Ordering::Relaxed),
        elapsed,
        rss_early_mb,
        rss_end_mb: rss_mb("VmRSS:"),
        peak_mb: rss_mb("VmHWM:"),
    }
}

/// Lists `items` bounces through `items()`, in pages of `page`; returns how many came and the
/// growth of the process's peak memory (MB) while they did.
pub async fn list(items: usize, page: usize) -> (usize, f64) {
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    let (base, _, server) = serve_keep_alive_counted(move |request| {
        let from = request.target.split("from=").nth(1).and_then(|v| v.split('&').next()?.parse().ok()).unwrap_or(0usize);
        let count = page.min(items.saturating_sub(from));
        counter.fetch_add(count, Ordering::Relaxed);
        let list: Vec<String> = (from..from + count)
            .map(|i| format!(r#"{{"address":"user{i}@example.com","code":"550","error":"No such mailbox","created_at":"Thu, 13 Oct 2011 18:02:00 UTC"}}"#))
            .collect();
        let next = format!("https://api.mailgun.net/v3/example.com/bounces?page=next&from={}", from + count);
        let body = format!(r#"{{"items":[{}],"paging":{{"next":"{next}"}}}}"#, list.join(","));
        (200, "application/json".to_owned(), body.into_bytes())
    })
    .await;
    let before = rss_mb("VmHWM:");
    let mut stream = crate::client(&base).list_bounces("example.com").limit(page as i64).items();
    let mut seen = 0;
    while let Some(item) = stream.next().await {
        item.expect("every page reads");
        seen += 1;
    }
    server.abort();
    (seen, rss_mb("VmHWM:") - before)
}

/// A line of `/proc/self/status` in MB (0 where there is none).
pub fn rss_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}
