//! Imports unsubscribed addresses as JSON, each with its tags and the time it unsubscribed,
//! then lists the domain's unsubscribes and lets one address receive mail again.
//!
//! ```sh
//! MAILGUN_API_KEY=key-… MAILGUN_DOMAIN=mg.example.com cargo run --example manage_unsubscribes
//! ```
//! `MAILGUN_BASE_URL` points it elsewhere, such as a local mock (`cargo xtask examples`).

// required-features: unsubscribe

use mailgun::Client;
use mailgun::types::Unsubscribe;
use std::time::{Duration, SystemTime};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder(var("MAILGUN_API_KEY")?);
    if let Ok(base) = std::env::var("MAILGUN_BASE_URL") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;
    let domain = var("MAILGUN_DOMAIN")?;

    // Up to 1000 records per call. An unsubscribe from every message has the tag `*`; a time
    // is any `Timestamp`: a `SystemTime`, a `time::OffsetDateTime`, or RFC 2822 text.
    let yesterday = SystemTime::now() - Duration::from_secs(24 * 3600);
    let records = vec![
        Unsubscribe::new("alice@example.com", vec!["*".to_owned()], yesterday),
        Unsubscribe::new("bob@example.com", vec!["newsletter".to_owned(), "offers".to_owned()], yesterday),
        Unsubscribe::new("carol@example.com", vec!["newsletter".to_owned()], "Thu, 13 Oct 2011 18:02:00 +0000"),
    ];
    let imported = client.create_unsubscribes(&domain, records).send().await?;
    println!("import: {}", imported.message.unwrap_or_default());

    let mut unsubscribes = client.list_unsubscribes(&domain).limit(100).items();
    while let Some(unsubscribe) = unsubscribes.next().await {
        let unsubscribe = unsubscribe?;
        let address = unsubscribe.address.as_deref().unwrap_or("(no address)");
        println!("{address} unsubscribed from {:?} at {:?}", unsubscribe.tags, unsubscribe.created_at);
    }

    // Bob asked to hear from us again.
    let removed = client.delete_unsubscribe(&domain, "bob@example.com").send().await?;
    println!("removed: {}", removed.message.unwrap_or_default());
    Ok(())
}
