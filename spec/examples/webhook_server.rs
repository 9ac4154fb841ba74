//! A web server that takes Mailgun's webhooks: an axum handler checks each one's signature
//! and reads its event.
//!
//! ```sh
//! MAILGUN_WEBHOOK_SIGNING_KEY=… cargo run --example webhook_server
//! ```
//! It listens on `127.0.0.1:3000` (`PORT` to change). With `-- --once` it posts itself one
//! webhook signed as Mailgun would, prints what its handler answered, and stops. Use the HTTP
//! webhook signing key from Mailgun's control panel, not the API key.

// required-features: webhooks

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use mailgun::{WebhookError, WebhookPayload, WebhookSignature, WebhookVerifier};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Mailgun retries a webhook answered with an error, except 406, which tells it to stop: the
/// answer for a webhook that will never be accepted.
async fn webhook(State(verifier): State<Arc<WebhookVerifier>>, body: Bytes) -> StatusCode {
    match verifier.parse::<mailgun::WebhookEvent>(&body) {
        Ok(WebhookPayload { event_data: event, .. }) => {
            let what = event.event.as_ref().map_or("an event", |e| e.as_str());
            println!("{what} ({}) at {:?}", event.id.unwrap_or_default(), event.timestamp);
            StatusCode::OK
        }
        Err(error @ (WebhookError::Mismatch | WebhookError::Expired { .. })) => {
            eprintln!("refused: {error}");
            StatusCode::NOT_ACCEPTABLE
        }
        Err(error) => {
            eprintln!("not a webhook: {error}");
            StatusCode::BAD_REQUEST
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("MAILGUN_WEBHOOK_SIGNING_KEY").map_err(|_| "set MAILGUN_WEBHOOK_SIGNING_KEY")?;
    let once = std::env::args().any(|arg| arg == "--once");
    // Older than 5 minutes is refused; to refuse a replay within them, also remember the
    // tokens seen in the last 5 minutes.
    let verifier = Arc::new(WebhookVerifier::new(&key).max_age(Duration::from_secs(300)));
    let app = Router::new().route("/webhooks/mailgun", post(webhook)).with_state(verifier);

    let port = if once { "0".to_owned() } else { std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned()) };
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    let address = listener.local_addr()?;
    if !once {
        println!("listening on http://{address}/webhooks/mailgun");
        axum::serve(listener, app).await?;
        return Ok(());
    }
    tokio::spawn(async move { axum::serve(listener, app).await });

    // One webhook, signed the way Mailgun signs them.
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let signature = WebhookSignature::sign(&key, now.to_string(), "a-random-token-from-mailgun");
    let body = serde_json::json!({
        "signature": signature,
        "event-data": { "event": "delivered", "recipient": "alice@example.com", "timestamp": now as f64, "id": "a1b2c3" },
    });
    let url = format!("http://{address}/webhooks/mailgun");
    let answer = reqwest::Client::new()
        .post(&url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&body)?)
        .send()
        .await?;
    println!("the handler answered {}", answer.status());
    if !answer.status().is_success() {
        return Err(format!("the signed webhook was refused ({})", answer.status()).into());
    }
    Ok(())
}
