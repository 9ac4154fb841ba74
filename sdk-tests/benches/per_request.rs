//! What the generated client costs per request, next to the same work written by hand with
//! reqwest and serde: sending a message with attachments (a multipart body) and reading a large
//! list answer, each against a local keep-alive server, and decoding that answer alone.
//!
//! Run by `cargo xtask bench`, which prints each pair's ratio; alone, `cargo bench -p sdk-tests
//! --bench per_request`. The hand-written side does what a careful user would: the same fields
//! and parts, the same content types, basic auth, a timeout, and its own `#[derive(Deserialize)]`
//! types. The generated client does more per call (retry policy, a `tracing` span, tolerant
//! reading); this measures what that costs.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use serde::Deserialize;
use std::time::Duration;

/// The size of each of the message's two attachments.
const ATTACHMENT_BYTES: usize = 32 * 1024;
/// The number of items of the list answer.
const LIST_ITEMS: usize = 1000;
const KEY: &str = "key-bench";

fn attachment(seed: u8) -> Vec<u8> {
    (0..ATTACHMENT_BYTES).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

fn list_answer() -> Vec<u8> {
    let items: Vec<serde_json::Value> = (0..LIST_ITEMS)
        .map(|i| {
            serde_json::json!({
                "address": format!("user{i}@example.com"),
                "code": "550",
                "error": "No such mailbox: the address does not exist at the receiving server",
                "created_at": "Thu, 13 Oct 2011 18:02:00 +0000",
            })
        })
        .collect();
    let link = "https://api.mailgun.net/v3/example.com/bounces?page=next&address=user999%40example.com";
    serde_json::to_vec(&serde_json::json!({
        "items": items,
        "paging": {"first": link, "last": link, "next": link, "previous": link},
    }))
    .expect("JSON")
}

/// The list answer, as a user would type it by hand.
#[derive(Deserialize)]
#[allow(dead_code)]
struct HandBounces {
    items: Vec<HandBounce>,
    paging: HandPaging,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandBounce {
    address: String,
    code: String,
    error: String,
    created_at: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandPaging {
    first: String,
    last: String,
    next: String,
    previous: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandSent {
    id: String,
    message: String,
}

fn per_request(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let list = list_answer();
    let answer = list.clone();
    let (base, _server) = runtime.block_on(sdk_tests::serve_keep_alive(move |request| {
        let body = match request.target.contains("/messages") {
            true => br#"{"id":"<20111114174239.25659.5817@example.com>","message":"Queued. Thank you."}"#.to_vec(),
            false => answer.clone(),
        };
        (200, "application/json".to_owned(), body)
    }));
    let generated = mailgun::Client::builder(KEY).base_url(&base).build().expect("client");
    // With the timeout the generated client has by default (60 s), as a careful user sets one.
    let hand = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
    let (first, second) = (attachment(1), attachment(2));

    let mut group = c.benchmark_group("send_message, 2 attachments of 32 KiB");
    group.bench_function(BenchmarkId::new("generated", "round trip"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let sent = generated
                    .send_message("example.com", ["Bob <bob@example.com>", "carol@example.com"])
                    .from("Alice <alice@example.com>")
                    .subject("The report")
                    .text("The report is attached.")
                    .html("<p>The report is attached.</p>")
                    .tag("reports")
                    .tag("weekly")
                    .attachment(mailgun::File::from_bytes("report.pdf", first.clone()))
                    .attachment(mailgun::File::from_bytes("data.csv", second.clone()))
                    .send()
                    .await
                    .expect("sent");
                assert!(sent.id.is_some());
            })
        })
    });
    group.bench_function(BenchmarkId::new("hand-written", "round trip"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let part = |name: &str, bytes: &Vec<u8>| {
                    let mime = mime_of(name);
                    reqwest::multipart::Part::bytes(bytes.clone())
                        .file_name(name.to_owned())
                        .mime_str(mime)
                        .expect("mime")
                };
                let form = reqwest::multipart::Form::new()
                    .text("to", "Bob <bob@example.com>")
                    .text("to", "carol@example.com")
                    .text("from", "Alice <alice@example.com>")
                    .text("subject", "The report")
                    .text("text", "The report is attached.")
                    .text("html", "<p>The report is attached.</p>")
                    .text("o:tag", "reports")
                    .text("o:tag", "weekly")
                    .part("attachment", part("report.pdf", &first))
                    .part("attachment", part("data.csv", &second));
                let response = hand
                    .post(format!("{base}/v3/example.com/messages"))
                    .basic_auth("api", Some(KEY))
                    .multipart(form)
                    .send()
                    .await
                    .expect("sent");
                let bytes = response.error_for_status().expect("success").bytes().await.expect("body");
                let sent: HandSent = serde_json::from_slice(&bytes).expect("decoded");
                assert!(!sent.id.is_empty());
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group(format!("list_bounces, {LIST_ITEMS} items"));
    group.bench_function(BenchmarkId::new("generated", "round trip"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let page = generated.list_bounces("example.com").limit(LIST_ITEMS as i64).send().await.expect("listed");
                assert_eq!(page.items.len(), LIST_ITEMS);
            })
        })
    });
    group.bench_function(BenchmarkId::new("hand-written", "round trip"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = hand
                    .get(format!("{base}/v3/example.com/bounces"))
                    .query(&[("limit", LIST_ITEMS.to_string())])
                    .basic_auth("api", Some(KEY))
                    .send()
                    .await
                    .expect("listed");
                let bytes = response.error_for_status().expect("success").bytes().await.expect("body");
                let page: HandBounces = serde_json::from_slice(&bytes).expect("decoded");
                assert_eq!(page.items.len(), LIST_ITEMS);
            })
        })
    });
    group.bench_function(BenchmarkId::new("generated", "decode only"), |b| {
        b.iter(|| {
            let page: mailgun::types::GetBouncesPaginationResponse = serde_json::from_slice(&list).expect("decoded");
            assert_eq!(page.items.len(), LIST_ITEMS);
        })
    });
    group.bench_function(BenchmarkId::new("hand-written", "decode only"), |b| {
        b.iter(|| {
            let page: HandBounces = serde_json::from_slice(&list).expect("decoded");
            assert_eq!(page.items.len(), LIST_ITEMS);
        })
    });
    group.finish();
}

/// The content type a hand-written client would give each file (the generated one guesses it
/// from the name).
fn mime_of(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("pdf") => "application/pdf",
        Some("csv") => "text/csv",
        _ => "application/octet-stream",
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(40).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    targets = per_request
}
criterion_main!(benches);
