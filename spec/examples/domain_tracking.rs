//! Turns on open and click tracking for a domain, sets its unsubscribe footer, and asks
//! Mailgun for an HTTPS certificate for the tracking host, then reads how that request stands.
//!
//! ```sh
//! MAILGUN_API_KEY=key-… MAILGUN_DOMAIN=mg.example.com cargo run --example domain_tracking
//! ```
//! `MAILGUN_BASE_URL` points it elsewhere, such as a local mock (`cargo xtask examples`).

// required-features: domain-tracking

use mailgun::Client;
use mailgun::types::ClickTrackingMode;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder(var("MAILGUN_API_KEY")?);
    if let Ok(base) = std::env::var("MAILGUN_BASE_URL") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;
    let domain = var("MAILGUN_DOMAIN")?;

    let open = client.update_domain_tracking_open(&domain).active(true).place_at_the_top(true).send().await?;
    println!("open tracking: {}", open.message.unwrap_or_default());
    // `true`, `false`, or `htmlonly` (links of HTML parts only); answers hold the same three.
    let click = client.update_domain_tracking_click(&domain).active(ClickTrackingMode::Htmlonly).send().await?;
    println!("click tracking: {:?}", click.click.and_then(|settings| settings.active));
    let unsubscribe = client
        .update_domain_tracking_unsubscribe(&domain)
        .active(true)
        .html_footer("<p><a href=\"%unsubscribe_url%\">Unsubscribe</a></p>")
        .text_footer("Unsubscribe: %unsubscribe_url%")
        .send()
        .await?;
    println!("unsubscribe footer: {}", unsubscribe.message.unwrap_or_default());

    let tracking = client.get_domain_tracking(&domain).send().await?;
    println!("tracking now: {:?}", tracking.tracking);

    // Mailgun asks Let's Encrypt for a certificate for the domain's tracking host (the CNAME
    // must already point at Mailgun), then serves tracking links over HTTPS.
    let requested = client.create_x509(&domain).send().await?;
    println!("certificate: {}", requested.message.unwrap_or_default());
    let status = client.get_x509_status(&domain).send().await?;
    println!("certificate status: {:?} {}", status.status, status.error.unwrap_or_default());
    Ok(())
}
