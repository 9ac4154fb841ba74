//! Testing your own code without sending mail: `send_welcome` is the code under test, and its
//! tests (at the bottom) run it against `mailgun::mock::MockServer`, the crate's typed test
//! double, with the `mock` feature (put it in your `[dev-dependencies]`).
//!
//! ```sh
//! cargo test --example welcome_mail --features mock      # the tests: nothing is sent
//! MAILGUN_API_KEY=key-… MAILGUN_DOMAIN=mg.example.com MAILGUN_TO=you@example.com \
//!     cargo run --example welcome_mail                   # the real thing
//! ```
//! `MAILGUN_BASE_URL` points it elsewhere, such as a local mock (`cargo xtask examples`).

// required-features: messages

use mailgun::{Client, Error, File};

/// Sends a new user their welcome mail, with the terms attached, tagged for the statistics.
/// Returns the message id Mailgun gives it.
pub async fn send_welcome(client: &Client, domain: &str, user: &str) -> Result<String, Error> {
    let sent = client
        .send_message(domain, [user])
        .from(format!("Welcome <hello@{domain}>"))
        .subject("Welcome aboard")
        .text("Glad to have you. The terms are attached.")
        .tag("welcome")
        .variable("user", user)
        .attachment(File::from_bytes("terms.txt", "Be nice."))
        .send()
        .await?;
    Ok(sent.id.unwrap_or_default())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder(var("MAILGUN_API_KEY")?);
    if let Ok(base) = std::env::var("MAILGUN_BASE_URL") {
        builder = builder.base_url(base);
    }
    let id = send_welcome(&builder.build()?, &var("MAILGUN_DOMAIN")?, &var("MAILGUN_TO")?).await?;
    println!("sent: {id}");
    Ok(())
}

#[cfg(all(test, feature = "mock"))]
mod tests {
    use super::*;
    use mailgun::apis::messages::SendMessage;
    use mailgun::mock::MockServer;
    use mailgun::types::SendMessageResponse;

    #[tokio::test]
    async fn the_welcome_mail_goes_to_the_user_with_the_terms() {
        let server = MockServer::start().await;
        let mut queued = SendMessageResponse::default();
        queued.id = Some("<welcome-1@mg.example.com>".to_owned());
        server.on::<SendMessage>().answer(queued);

        let id = send_welcome(&server.client(), "mg.example.com", "ada@example.com").await.unwrap();

        assert_eq!(id, "<welcome-1@mg.example.com>");
        let sent = server.received::<SendMessage>();
        assert_eq!(sent.len(), 1);
        let mail = &sent[0].body;
        assert_eq!(mail.to, ["ada@example.com"]);
        assert_eq!(mail.tag.as_deref(), Some(&["welcome".to_owned()][..]));
        assert_eq!(mail.variables, [("user".to_owned(), serde_json::json!("ada@example.com"))]);
        let attached: Vec<&str> = mail.attachment.iter().flatten().map(File::name).collect();
        assert_eq!(attached, ["terms.txt"]);
    }

    #[tokio::test]
    async fn a_refused_address_is_an_error_for_the_caller() {
        let server = MockServer::start().await;
        let mut refused = mailgun::types::GenericResponse::default();
        refused.message = Some("'to' parameter is not a valid address".to_owned());
        server
            .on::<SendMessage>()
            .when(|request| request.body.to.iter().any(|to| !to.contains('@')))
            .error(400, refused);

        let error = send_welcome(&server.client(), "mg.example.com", "not-an-address").await.unwrap_err();

        assert!(matches!(&error, Error::Api(api) if api.status == 400), "{error:?}");
    }
}
