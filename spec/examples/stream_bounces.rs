//! Reads every bounce of a domain, page after page, and removes the ones that were only
//! temporary (a 4xx SMTP code), so those addresses are mailed again.
//!
//! ```sh
//! MAILGUN_API_KEY=key-… MAILGUN_DOMAIN=mg.example.com cargo run --example stream_bounces
//! ```
//! `MAILGUN_BASE_URL` points it elsewhere, such as a local mock (`http://127.0.0.1:4010`).

// required-features: bounces

use mailgun::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder(var("MAILGUN_API_KEY")?);
    if let Ok(base) = std::env::var("MAILGUN_BASE_URL") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;
    let domain = var("MAILGUN_DOMAIN")?;

    // One call per page of 100; the stream follows Mailgun's `paging.next` links and stops at
    // the first empty page.
    let mut bounces = client.list_bounces(&domain).limit(100).items();
    let (mut seen, mut removed) = (0, 0);
    while let Some(bounce) = bounces.next().await {
        let bounce = bounce?;
        seen += 1;
        // A field holds only what Mailgun sent: a bounce without a code or address is left.
        let (Some(code), Some(address)) = (&bounce.code, &bounce.address) else { continue };
        if code.starts_with('4') {
            client.delete_bounce(&domain, address).send().await?;
            removed += 1;
        }
    }
    println!("{seen} bounces, {removed} temporary ones removed");
    Ok(())
}
