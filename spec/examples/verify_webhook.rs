//! Checks a webhook Mailgun posted and reads its event: give it the body on standard input.
//!
//! ```sh
//! MAILGUN_WEBHOOK_SIGNING_KEY=… cargo run --example verify_webhook < webhook.json
//! ```
//! In a web server, do the same with the request body, and answer 406 (Mailgun stops
//! retrying) or 401 when the check fails. Use the HTTP webhook signing key from Mailgun's
//! control panel, not the API key.

use mailgun::{WebhookPayload, WebhookVerifier};
use std::io::Read;
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("MAILGUN_WEBHOOK_SIGNING_KEY").map_err(|_| "set MAILGUN_WEBHOOK_SIGNING_KEY")?;
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body)?;

    // Webhooks older than 5 minutes are refused unless told otherwise; keep this short, and
    // remember recent tokens to refuse a replay within it.
    let verifier = WebhookVerifier::new(key).max_age(Duration::from_secs(300));
    let webhook: WebhookPayload = verifier.parse(&body)?;
    let event = webhook.event_data;
    println!(
        "{} at {:?}: {}",
        event.event.as_ref().map_or("an event", |e| e.as_str()),
        event.timestamp,
        event.id.unwrap_or_default()
    );
    Ok(())
}
