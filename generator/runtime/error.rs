//! The crate's one error type.

use std::fmt;

/// Everything a call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete: connection, TLS or timeout (see
    /// [`reqwest::Error::is_timeout`]).
    Transport(reqwest::Error),
    /// Mailgun answered with a non-success status. Boxed: it keeps the whole answer, and
    /// `Result<T, Error>` stays small.
    Api(Box<ApiError>),
    /// A success response whose body does not match the documented type.
    Decode {
        /// Where decoding failed.
        source: serde_json::Error,
        /// The body as received.
        body: String,
    },
    /// The request could not be built (for example a file in a URL-encoded form, or an
    /// invalid base URL).
    InvalidRequest(String),
}

impl Error {
    /// The HTTP status, when Mailgun answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Transport(e) => e.status(),
            Error::Decode { .. } | Error::InvalidRequest(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Api(api) => write!(f, "{api}"),
            Error::Decode { source, .. } => write!(f, "unexpected response body: {source}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode { source, .. } => Some(source),
            Error::Api(_) | Error::InvalidRequest(_) => None,
        }
    }
}

/// A non-success answer from Mailgun, with everything it sent.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The explanation Mailgun gave, read from the JSON `message`, `error`, `Reason` or
    /// `Description` field, or the plain-text body.
    pub message: Option<String>,
    /// The body as received.
    pub body: String,
    /// The response headers (rate-limit headers among them).
    pub headers: reqwest::header::HeaderMap,
}

impl ApiError {
    pub(crate) fn new(status: reqwest::StatusCode, headers: reqwest::header::HeaderMap, body: String) -> ApiError {
        ApiError { status, message: message_of(&body), body, headers }
    }
}

/// Mailgun's error bodies come in several shapes: `{"message": …}`, `{"error": …}`,
/// `{"Reason": …}`, `{"Description": …}`, `{"error": {"message": …}}`, a JSON string, or
/// plain text.
fn message_of(body: &str) -> Option<String> {
    let text = body.trim();
    if text.is_empty() {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => {
            ["message", "error", "Reason", "Description"].iter().find_map(|key| match map.get(*key)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(inner) => inner.get("message")?.as_str().map(str::to_owned),
                _ => None,
            })
        }
        Ok(serde_json::Value::String(s)) => Some(s),
        Ok(_) => None,
        Err(_) => Some(text.to_owned()),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mailgun answered {}", self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::message_of;

    #[test]
    fn messages_are_read_from_every_error_shape() {
        assert_eq!(message_of(r#"{"message":"a"}"#).as_deref(), Some("a"));
        assert_eq!(message_of(r#"{"error":"b"}"#).as_deref(), Some("b"));
        assert_eq!(message_of(r#"{"Reason":"c"}"#).as_deref(), Some("c"));
        assert_eq!(message_of(r#"{"error":{"name":"x","message":"d"}}"#).as_deref(), Some("d"));
        assert_eq!(message_of(r#""Forbidden""#).as_deref(), Some("Forbidden"));
        assert_eq!(message_of("Forbidden").as_deref(), Some("Forbidden"));
        assert_eq!(message_of(""), None);
    }
}
