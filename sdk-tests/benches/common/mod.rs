//! The calls both benchmarks make, each written twice: through the generated client, and as a
//! careful user would write it by hand with reqwest and serde (the same fields and parts, the
//! same content types, basic auth, a timeout, and its own `#[derive(Deserialize)]` types).

use serde::Deserialize;
use std::time::Duration;

/// The size of each of the message's two attachments.
const ATTACHMENT_BYTES: usize = 32 * 1024;
/// The number of items of the list answer.
pub const LIST_ITEMS: usize = 1000;
const KEY: &str = "key-bench";

/// A local keep-alive server that answers both calls, and a client of each kind for it.
pub struct Fixture {
    pub runtime: tokio::runtime::Runtime,
    generated: mailgun::Client,
    hand: reqwest::Client,
    base: String,
    list: Vec<u8>,
    first: Vec<u8>,
    second: Vec<u8>,
}

impl Fixture {
    pub fn new() -> Fixture {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
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
        Fixture { runtime, generated, hand, base, list, first: attachment(1), second: attachment(2) }
    }

    /// Sends a message with two attachments through the generated client.
    pub async fn send_generated(&self) {
        let sent = self
            .generated
            .send_message("example.com", ["Bob <bob@example.com>", "carol@example.com"])
            .from("Alice <alice@example.com>")
            .subject("The report")
            .text("The report is attached.")
            .html("<p>The report is attached.</p>")
            .tag("reports")
            .tag("weekly")
            .attachment(mailgun::File::from_bytes("report.pdf", self.first.clone()))
            .attachment(mailgun::File::from_bytes("data.csv", self.second.clone()))
            .send()
            .await
            .expect("sent");
        assert!(sent.id.is_some());
    }

    /// The same message, by hand.
    pub async fn send_hand(&self) {
        let part = |name: &str, bytes: &Vec<u8>| {
            reqwest::multipart::Part::bytes(bytes.clone())
                .file_name(name.to_owned())
                .mime_str(mime_of(name))
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
            .part("attachment", part("report.pdf", &self.first))
            .part("attachment", part("data.csv", &self.second));
        let response = self
            .hand
            .post(format!("{}/v3/example.com/messages", self.base))
            .basic_auth("api", Some(KEY))
            .multipart(form)
            .send()
            .await
            .expect("sent");
        let bytes = response.error_for_status().expect("success").bytes().await.expect("body");
        let sent: HandSent = serde_json::from_slice(&bytes).expect("decoded");
        assert!(!sent.id.is_empty());
    }

    /// Lists 1,000 bounces through the generated client.
    pub async fn list_generated(&self) {
        let page = self.generated.list_bounces("example.com").limit(LIST_ITEMS as i64).send().await.expect("listed");
        assert_eq!(page.items.len(), LIST_ITEMS);
    }

    /// The same list, by hand.
    pub async fn list_hand(&self) {
        let response = self
            .hand
            .get(format!("{}/v3/example.com/bounces", self.base))
            .query(&[("limit", LIST_ITEMS.to_string())])
            .basic_auth("api", Some(KEY))
            .send()
            .await
            .expect("listed");
        let bytes = response.error_for_status().expect("success").bytes().await.expect("body");
        let page: HandBounces = serde_json::from_slice(&bytes).expect("decoded");
        assert_eq!(page.items.len(), LIST_ITEMS);
    }

    /// Decodes the list answer as the generated crate's type.
    pub fn decode_generated(&self) {
        let page: mailgun::types::GetBouncesPaginationResponse = serde_json::from_slice(&self.list).expect("decoded");
        assert_eq!(page.items.len(), LIST_ITEMS);
    }

    /// Decodes the list answer as a user's own type.
    pub fn decode_hand(&self) {
        let page: HandBounces = serde_json::from_slice(&self.list).expect("decoded");
        assert_eq!(page.items.len(), LIST_ITEMS);
    }
}

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

/// The content type a hand-written client would give each file (the generated one guesses it
/// from the name).
fn mime_of(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("pdf") => "application/pdf",
        Some("csv") => "text/csv",
        _ => "application/octet-stream",
    }
}
