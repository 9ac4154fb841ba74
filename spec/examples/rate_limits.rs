//! Sends a batch of messages and deals with Mailgun's rate limits and error answers.
//!
//! The client already retries a rate-limited call (429, or 420) after the wait Mailgun asks
//! for, up to its retry policy's limit; what reaches the caller is a limit that lasts longer.
//! This waits that out once more, and reports other errors with what Mailgun said.
//!
//! ```sh
//! MAILGUN_API_KEY=key-… MAILGUN_DOMAIN=mg.example.com MAILGUN_TO=you@example.com \
//!     cargo run --example rate_limits
//! ```
//! `MAILGUN_BASE_URL` points it elsewhere, such as a local mock (`cargo xtask examples`).

// required-features: messages

use mailgun::types::SendMessageBodyTestmode;
use mailgun::{Client, Error, RetryPolicy};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder(var("MAILGUN_API_KEY")?)
        .retry_policy(RetryPolicy::default().max_retries(5).max_delay(Duration::from_secs(60)));
    if let Ok(base) = std::env::var("MAILGUN_BASE_URL") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;
    let domain = var("MAILGUN_DOMAIN")?;
    let to = var("MAILGUN_TO")?;

    for n in 1..=20 {
        let send = client
            .send_message(&domain, [to.as_str()])
            .from(format!("Batch <batch@{domain}>"))
            .subject(format!("Message {n}"))
            .text("Hello")
            .testmode(SendMessageBodyTestmode::Yes);
        match send.clone().send().await {
            Ok(sent) => println!("{n}: queued {}", sent.id.unwrap_or_default()),
            Err(Error::RateLimited(limit)) => {
                let wait = limit.retry_after.unwrap_or(Duration::from_secs(60));
                eprintln!("{n}: rate limited ({}); waiting {wait:?}", limit.message.as_deref().unwrap_or("no message"));
                tokio::time::sleep(wait).await;
                send.send().await?;
            }
            Err(Error::Api(error)) => {
                // The status, Mailgun's message, and a hint where the cause is known (such as
                // an EU domain called on the US host).
                eprintln!("{n}: {} {}", error.status, error.message.as_deref().unwrap_or(""));
                if let Some(hint) = &error.hint {
                    eprintln!("   {hint}");
                }
                return Err(Error::Api(error).into());
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}
