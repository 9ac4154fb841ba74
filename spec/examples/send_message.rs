//! Sends a templated message with variables, tags, a custom header, a delivery time and two
//! attachments, in test mode (Mailgun accepts it and delivers nothing).
//!
//! ```sh
//! MAILGUN_API_KEY=key-… MAILGUN_DOMAIN=mg.example.com MAILGUN_TO=you@example.com \
//!     cargo run --example send_message
//! ```
//! `MAILGUN_BASE_URL` points it elsewhere, such as a local mock (`cargo xtask examples`).

// required-features: messages

use mailgun::types::SendMessageBodyTestmode;
use mailgun::{Client, File, Region};
use std::time::{Duration, SystemTime};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    // An EU account's domains are on the EU host: `MAILGUN_REGION=eu`.
    let region = if std::env::var("MAILGUN_REGION").is_ok_and(|r| r.eq_ignore_ascii_case("eu")) {
        Region::Eu
    } else {
        Region::Us
    };
    let mut builder = Client::builder(var("MAILGUN_API_KEY")?).region(region);
    if let Ok(base) = std::env::var("MAILGUN_BASE_URL") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;
    let domain = var("MAILGUN_DOMAIN")?;

    let sent = client
        .send_message(&domain, [var("MAILGUN_TO")?])
        .from(format!("Shop <orders@{domain}>"))
        .template("order-shipped")
        .template_variables(serde_json::json!({ "order": 1234, "items": ["tea", "cups"] }))
        .tag("orders")
        .tag("shipping")
        .header("Reply-To", format!("support@{domain}"))
        .variable("customer-id", 42)
        .deliverytime(SystemTime::now() + Duration::from_secs(3600))
        .testmode(SendMessageBodyTestmode::Yes)
        .attachment(File::from_bytes("items.csv", "item,qty\ntea,2\ncups,4\n"))
        // Streamed from disk when the request is sent, its content type guessed from the name.
        .attachment(File::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")))
        .send()
        .await?;
    println!("queued {}: {}", sent.id.unwrap_or_default(), sent.message.unwrap_or_default());
    Ok(())
}
