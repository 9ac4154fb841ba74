//! Checking that a webhook came from the API.
//!
//! The scheme (`timestamp-token-hmac-sha256` in the overrides): the API signs each webhook it
//! posts: `signature` is the hex HMAC-SHA256 of `timestamp`
//! followed by `token` (the texts as sent, with no separator), keyed with the account's
//! webhook signing key (not the API key). A sub-account's events may also carry a
//! `parent-signature`, made with its parent account's key. The check here compares in
//! constant time, refuses signatures that are not 64 hex digits without panicking, and refuses
//! webhooks older (or further in the future) than a maximum age, 5 minutes unless set, so a
//! captured webhook cannot be replayed later. To refuse replays within that window too, keep
//! the tokens of the last few minutes and refuse one seen before.

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Checks webhook signatures with a webhook signing key (the crate's docs show it in use).
#[derive(Clone)]
pub struct WebhookVerifier {
    key: Vec<u8>,
    max_age: Duration,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier").field("key", &"<redacted>").field("max_age", &self.max_age).finish()
    }
}

impl WebhookVerifier {
    /// A verifier for the account's webhook signing key (the API key is another key and does
    /// not verify webhooks).
    pub fn new(signing_key: impl AsRef<[u8]>) -> WebhookVerifier {
        WebhookVerifier { key: signing_key.as_ref().to_vec(), max_age: Duration::from_secs(300) }
    }

    /// How far a webhook's `timestamp` may be from now (5 minutes unless set).
    pub fn max_age(mut self, max_age: Duration) -> WebhookVerifier {
        self.max_age = max_age;
        self
    }

    /// Checks a signature against the key and the clock.
    pub fn verify(&self, signature: &WebhookSignature) -> Result<(), WebhookError> {
        self.verify_at(signature, SystemTime::now())
    }

    /// Checks a signature against the key, as if now were `now`.
    pub fn verify_at(&self, signature: &WebhookSignature, now: SystemTime) -> Result<(), WebhookError> {
        let given = hex::decode(signature.signature.trim())
            .ok()
            .filter(|bytes| bytes.len() == 32)
            .ok_or(WebhookError::Malformed("the signature is not 64 hex digits"))?;
        mac(&self.key, &signature.timestamp, &signature.token)
            .verify_slice(&given)
            .map_err(|_| WebhookError::Mismatch)?;
        let sent: u64 = signature
            .timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::Malformed("the timestamp is not a number of seconds"))?;
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let age = Duration::from_secs(now.abs_diff(sent));
        if age > self.max_age {
            return Err(WebhookError::Expired { age, max_age: self.max_age });
        }
        Ok(())
    }

    /// Reads a webhook's JSON body and checks it: its `signature`, or else its
    /// `parent-signature` (a subaccount's event, checked with the primary account's key).
    /// `E` is what its `event-data` decodes into.
    pub fn parse<E: DeserializeOwned>(&self, body: &[u8]) -> Result<WebhookPayload<E>, WebhookError> {
        let payload: WebhookPayload<E> =
            serde_json::from_slice(body).map_err(|_| WebhookError::Malformed("the body is not a webhook's JSON"))?;
        let own = self.verify(&payload.signature);
        match (&own, &payload.parent_signature) {
            (Err(WebhookError::Mismatch), Some(parent)) => self.verify(parent)?,
            _ => own?,
        }
        Ok(payload)
    }
}

/// The three values the API signs a webhook with: the `signature` object of its JSON body (or
/// the form fields of the same names that older webhooks and forwarded routes post).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSignature {
    /// Unix seconds, as the text the API signed (a number is read as its text).
    #[serde(deserialize_with = "text_or_number")]
    pub timestamp: String,
    /// A random text, unique to the webhook.
    pub token: String,
    /// The hex HMAC-SHA256 of `timestamp` then `token`.
    pub signature: String,
}

impl WebhookSignature {
    /// The signature the API makes with `signing_key` for `timestamp` (Unix seconds) and
    /// `token`: for testing a webhook handler with webhooks of your own.
    pub fn sign(
        signing_key: impl AsRef<[u8]>,
        timestamp: impl Into<String>,
        token: impl Into<String>,
    ) -> WebhookSignature {
        let (timestamp, token) = (timestamp.into(), token.into());
        let signature = hex::encode(mac(signing_key.as_ref(), &timestamp, &token).finalize().into_bytes());
        WebhookSignature { timestamp, token, signature }
    }
}

/// The HMAC-SHA256 of `timestamp` then `token`, keyed with `key`, before it is finished.
fn mac(key: &[u8], timestamp: &str, token: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(timestamp.as_bytes());
    mac.update(token.as_bytes());
    mac
}

/// The JSON body of a webhook: its signature and its event, an `E` (the crate's
/// `WebhookEvent`, the type the inputs give the API's webhook events, or a type of your own).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookPayload<E> {
    /// What the API signed it with.
    pub signature: WebhookSignature,
    /// For a subaccount's event: the signature made with the primary account's key.
    #[serde(rename = "parent-signature", default, skip_serializing_if = "Option::is_none")]
    pub parent_signature: Option<WebhookSignature>,
    /// The event.
    #[serde(rename = "event-data")]
    pub event_data: E,
    /// Members of the body this type does not list, as they came (the event keeps its own in
    /// its `undocumented()`).
    #[serde(flatten)]
    pub undocumented: std::collections::BTreeMap<String, serde_json::Value>,
}

/// Why a webhook was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// It is not a webhook's body, or a value in it is not in its format.
    Malformed(&'static str),
    /// The signature is not the one this key makes: not from the API, or another key.
    Mismatch,
    /// Signed, but further from now than the maximum age.
    Expired {
        /// How far its timestamp is from now.
        age: Duration,
        /// The most allowed.
        max_age: Duration,
    },
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::Malformed(what) => write!(f, "not a valid webhook: {what}"),
            WebhookError::Mismatch => f.write_str("the webhook's signature does not match the signing key"),
            WebhookError::Expired { age, max_age } => write!(
                f,
                "the webhook was signed {} s from now, more than the {} s allowed",
                age.as_secs(),
                max_age.as_secs()
            ),
        }
    }
}

impl std::error::Error for WebhookError {}

fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match TextOrNumber::deserialize(deserializer)? {
        TextOrNumber::Text(text) => text,
        TextOrNumber::Number(number) => number.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed independently: `printf '%s%s' 1700000000 token-1 | openssl dgst -sha256 -hmac key-1`.
    const VECTOR: &str = "a1fbdae9ab1094ece66e7c2878760c74144b870e3d1fda39a0b6ee4a6a17350c";

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn signed(timestamp: &str, token: &str, signature: &str) -> WebhookSignature {
        WebhookSignature { timestamp: timestamp.into(), token: token.into(), signature: signature.into() }
    }

    #[test]
    fn a_known_vector_passes_and_every_change_fails() {
        let verifier = WebhookVerifier::new("key-1");
        let good = signed("1700000000", "token-1", VECTOR);
        assert_eq!(verifier.verify_at(&good, at(1_700_000_100)), Ok(()));
        assert_eq!(
            verifier.verify_at(&signed("1700000000", "token-1", &VECTOR.to_uppercase()), at(1_700_000_000)),
            Ok(())
        );
        assert_eq!(WebhookVerifier::new("key-2").verify_at(&good, at(1_700_000_000)), Err(WebhookError::Mismatch));
        assert_eq!(
            verifier.verify_at(&signed("1700000001", "token-1", VECTOR), at(1_700_000_000)),
            Err(WebhookError::Mismatch)
        );
        assert_eq!(
            verifier.verify_at(&signed("1700000000", "token-2", VECTOR), at(1_700_000_000)),
            Err(WebhookError::Mismatch)
        );
    }

    #[test]
    fn old_and_future_webhooks_are_refused() {
        let verifier = WebhookVerifier::new("key-1");
        let good = signed("1700000000", "token-1", VECTOR);
        let expired =
            |age| Err(WebhookError::Expired { age: Duration::from_secs(age), max_age: Duration::from_secs(300) });
        assert_eq!(verifier.verify_at(&good, at(1_700_000_301)), expired(301));
        assert_eq!(verifier.verify_at(&good, at(1_699_999_000)), expired(1000));
        assert_eq!(verifier.clone().max_age(Duration::from_secs(3600)).verify_at(&good, at(1_700_000_301)), Ok(()));
    }

    #[test]
    fn signatures_that_are_not_64_hex_digits_are_refused_without_panicking() {
        let verifier = WebhookVerifier::new("key-1");
        for bad in ["", "zz", &VECTOR[..62], &format!("{VECTOR}00"), &VECTOR.replace(&VECTOR[..2], "g0"), "é"] {
            let result = verifier.verify_at(&signed("1700000000", "token-1", bad), at(1_700_000_000));
            assert!(matches!(result, Err(WebhookError::Malformed(_))), "{bad:?}: {result:?}");
        }
    }
}
