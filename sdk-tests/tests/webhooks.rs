//! Webhooks as Mailgun posts them: signed JSON bodies read into typed events. The signatures
//! below were computed outside this project (`hmac.new(key, timestamp + token, sha256)` in
//! Python), so a wrong algorithm cannot agree with itself.

use mailgun::{WebhookError, WebhookPayload, WebhookVerifier};
use std::time::Duration;

/// HMAC-SHA256 of `1700000000token-1` with the key `key-1`.
const SIGNED_WITH_KEY_1: &str = "a1fbdae9ab1094ece66e7c2878760c74144b870e3d1fda39a0b6ee4a6a17350c";
/// Of `1700000000token-p`, with `parent-key` and with `sub-key`.
const SIGNED_WITH_PARENT_KEY: &str = "ae3b24e3f3aa38cca6ec315085da7afc215e409f0b60ea3502a76f3ef9fc842d";
const SIGNED_WITH_SUB_KEY: &str = "3b85693802bc4b017bb24375048750389bebb2d5b5a91ab3f52e924a8dd32762";

/// Mailgun's documented `delivered` webhook, with the timestamp as a number as it is sent.
fn delivered(signature: &str) -> String {
    format!(
        r#"{{
  "signature": {signature},
  "event-data": {{
    "id": "CPgfbmQMTCKtHW6uIWtuVe",
    "timestamp": 1521472262.908181,
    "log-level": "info",
    "event": "delivered",
    "delivery-status": {{
      "tls": true, "mx-host": "smtp-in.example.com", "code": 250, "description": "",
      "session-seconds": 0.4331989288330078, "utf8": true, "attempt-no": 1,
      "message": "OK", "certificate-verified": true
    }},
    "flags": {{ "is-routed": false, "is-authenticated": true, "is-system-test": false, "is-test-mode": false }},
    "envelope": {{ "transport": "smtp", "sender": "bob@example.com", "sending-ip": "209.61.154.250", "targets": "alice@example.com" }},
    "message": {{
      "headers": {{ "to": "Alice <alice@example.com>", "message-id": "20130503182626.18666.16540@example.com", "from": "Bob <bob@example.com>", "subject": "Test delivered webhook" }},
      "attachments": [], "size": 111
    }},
    "recipient": "alice@example.com",
    "recipient-domain": "example.com",
    "storage": {{ "url": "https://se.api.mailgun.net/v3/domains/example.com/messages/message_key", "key": "message_key" }},
    "campaigns": [],
    "tags": ["my_tag_1", "my_tag_2"],
    "user-variables": {{ "my_var_1": "Mailgun Variable #1", "my-var-2": "awesome" }}
  }}
}}"#
    )
}

/// A verifier whose clock does not matter: these bodies were signed long ago.
fn verifier(key: &str) -> WebhookVerifier {
    WebhookVerifier::new(key).max_age(Duration::MAX)
}

#[test]
fn a_signed_webhook_reads_as_a_typed_event() {
    let body =
        delivered(&format!(r#"{{ "timestamp": 1700000000, "token": "token-1", "signature": "{SIGNED_WITH_KEY_1}" }}"#));
    let webhook: WebhookPayload<mailgun::WebhookEvent> = verifier("key-1").parse(body.as_bytes()).unwrap();
    let event = webhook.event_data;
    assert_eq!(event.id.as_deref(), Some("CPgfbmQMTCKtHW6uIWtuVe"));
    assert_eq!(event.event.map(|e| e.as_str().to_owned()).as_deref(), Some("delivered"));
    assert_eq!(event.delivery_status.and_then(|d| d.code), Some(250));
    assert_eq!(event.tags, ["my_tag_1", "my_tag_2"]);
    assert!(event.timestamp.is_some(), "a float of seconds is a time");
    assert_eq!(webhook.signature.timestamp, "1700000000", "the number is kept as the text that was signed");
}

#[test]
fn a_webhook_signed_with_another_key_or_changed_is_refused() {
    let body = delivered(&format!(
        r#"{{ "timestamp": "1700000000", "token": "token-1", "signature": "{SIGNED_WITH_KEY_1}" }}"#
    ));
    let refused = verifier("the-api-key").parse::<serde_json::Value>(body.as_bytes()).unwrap_err();
    assert_eq!(refused, WebhookError::Mismatch);
    let replayed = body.replace(r#""token": "token-1""#, r#""token": "token-2""#);
    assert_eq!(verifier("key-1").parse::<serde_json::Value>(replayed.as_bytes()).unwrap_err(), WebhookError::Mismatch);
}

#[test]
fn a_webhook_signed_long_ago_is_refused_by_default() {
    let body = delivered(&format!(
        r#"{{ "timestamp": "1700000000", "token": "token-1", "signature": "{SIGNED_WITH_KEY_1}" }}"#
    ));
    let refused = WebhookVerifier::new("key-1").parse::<serde_json::Value>(body.as_bytes()).unwrap_err();
    assert!(matches!(refused, WebhookError::Expired { max_age, .. } if max_age == Duration::from_secs(300)));
    assert!(refused.to_string().contains("300 s allowed"), "{refused}");
}

#[test]
fn a_subaccounts_webhook_verifies_with_either_account_key() {
    let body = delivered(&format!(
        r#"{{ "timestamp": "1700000000", "token": "token-p", "signature": "{SIGNED_WITH_SUB_KEY}" }},
        "parent-signature": {{ "timestamp": "1700000000", "token": "token-p", "signature": "{SIGNED_WITH_PARENT_KEY}" }}"#
    ));
    assert!(verifier("sub-key").parse::<serde_json::Value>(body.as_bytes()).is_ok());
    assert!(verifier("parent-key").parse::<serde_json::Value>(body.as_bytes()).is_ok());
    assert_eq!(verifier("other-key").parse::<serde_json::Value>(body.as_bytes()).unwrap_err(), WebhookError::Mismatch);
}

#[test]
fn bodies_that_are_not_webhooks_are_refused_without_panicking() {
    let verifier = verifier("key-1");
    for body in [
        "",
        "{}",
        "[]",
        r#"{"signature": {}}"#,
        r#"{"signature": {"timestamp": 1, "token": "t", "signature": "zz"}, "event-data": {}}"#,
    ] {
        let refused = verifier.parse::<serde_json::Value>(body.as_bytes()).unwrap_err();
        assert!(matches!(refused, WebhookError::Malformed(_)), "{body}: {refused:?}");
    }
}

/// `WebhookSignature::sign` makes the signature Mailgun makes (the one computed outside this
/// project), so a handler can be tested with webhooks of one's own.
#[test]
fn signing_gives_mailguns_signature() {
    let signed = mailgun::WebhookSignature::sign("key-1", "1700000000", "token-1");
    assert_eq!(signed.signature, SIGNED_WITH_KEY_1);
    assert_eq!((signed.timestamp.as_str(), signed.token.as_str()), ("1700000000", "token-1"));
    assert_eq!(verifier("key-1").verify(&signed), Ok(()));
    assert_eq!(verifier("key-2").verify(&signed), Err(WebhookError::Mismatch));
}
