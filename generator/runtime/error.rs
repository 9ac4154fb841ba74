//! The crate's one error type.
//!
//! No variant holds or prints the client's credentials: they only ever go into a request, and
//! a transport error of a client that sends its key in the query does not name the URL.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Everything a call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete: the connection, TLS or the transfer failed.
    Transport {
        /// The method that was called (`get_bounce`).
        operation: &'static str,
        /// Its operation in the API document (the operationId).
        operation_id: &'static str,
        /// What failed.
        source: reqwest::Error,
    },
    /// No answer came within the timeout (the call's, or the client's).
    Timeout {
        /// The method that was called (`get_bounce`).
        operation: &'static str,
        /// Its operation in the API document (the operationId).
        operation_id: &'static str,
        /// The timeout as reqwest reports it.
        source: reqwest::Error,
    },
    /// The API answered with a non-success status. Boxed: it keeps the whole answer, and
    /// `Result<T, Error>` stays small.
    Api(Box<ApiError>),
    /// The API refused the call for now (429 Too Many Requests, or 420, which some APIs send
    /// when a limit is reached): [`ApiError::retry_after`] says when to try again, if the API said.
    RateLimited(Box<ApiError>),
    /// A success answer whose body could not be read as the documented type.
    Decode(Box<DecodeError>),
    /// The request could not be built (for example a file in a URL-encoded form, a value
    /// that cannot be written as JSON, or an invalid base URL).
    InvalidRequest(String),
    /// A middleware given to the client
    /// ([`ClientBuilder::middleware`](crate::ClientBuilder), cargo feature `middleware`) failed
    /// the call with an error of its own. Not retried.
    Middleware {
        /// The method that was called (`get_bounce`).
        operation: &'static str,
        /// Its operation in the API document (the operationId).
        operation_id: &'static str,
        /// The middleware's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The answer's body is larger than the client reads
    /// ([`ClientBuilder::max_answer_bytes`](crate::ClientBuilder::max_answer_bytes)); it was not
    /// read further.
    AnswerTooLarge {
        /// The method that was called (`get_bounce`).
        operation: &'static str,
        /// Its operation in the API document (the operationId).
        operation_id: &'static str,
        /// The answer's status.
        status: reqwest::StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
}

impl Error {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(api) | Error::RateLimited(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::Transport { source, .. } | Error::Timeout { source, .. } => source.status(),
            Error::AnswerTooLarge { status, .. } => Some(*status),
            Error::InvalidRequest(_) | Error::Middleware { .. } => None,
        }
    }

    /// The method whose call failed (`get_bounce`), when the request was made.
    pub fn operation(&self) -> Option<&'static str> {
        self.called().map(|called| called.method)
    }

    /// The API document's operationId of the call that failed, when the request was made.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.called().map(|called| called.id)
    }

    fn called(&self) -> Option<Called> {
        match self {
            Error::Api(api) | Error::RateLimited(api) => Some(Called { method: api.operation, id: api.operation_id }),
            Error::Decode(decode) => Some(Called { method: decode.operation, id: decode.operation_id }),
            Error::Transport { operation, operation_id, .. }
            | Error::Timeout { operation, operation_id, .. }
            | Error::AnswerTooLarge { operation, operation_id, .. }
            | Error::Middleware { operation, operation_id, .. } => Some(Called { method: operation, id: operation_id }),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The API's answer, for [`Api`](Error::Api) and [`RateLimited`](Error::RateLimited).
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) | Error::RateLimited(api) => Some(api),
            _ => None,
        }
    }

    pub(crate) fn transport(called: Called, source: reqwest::Error) -> Error {
        let Called { method: operation, id: operation_id } = called;
        if source.is_timeout() {
            Error::Timeout { operation, operation_id, source }
        } else {
            Error::Transport { operation, operation_id, source }
        }
    }
}

/// Which call a request makes: the method a user called and the document's operationId.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Called {
    /// The `Client` method (`get_bounce`).
    pub(crate) method: &'static str,
    /// The operationId, or the operation's identity when the document gives none.
    pub(crate) id: &'static str,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { operation, source, .. } => write!(f, "`{operation}`: the request failed: {source}"),
            Error::Timeout { operation, .. } => write!(f, "`{operation}`: no answer within the timeout"),
            Error::Api(api) => write!(f, "{api}"),
            Error::RateLimited(api) => {
                write!(f, "{api}")?;
                match api.retry_after {
                    Some(wait) => write!(f, " (rate limited; retry after {} s)", wait.as_secs()),
                    None => write!(f, " (rate limited)"),
                }
            }
            Error::Decode(decode) => write!(f, "{decode}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Middleware { operation, source, .. } => write!(f, "`{operation}`: a middleware failed: {source}"),
            Error::AnswerTooLarge { operation, status, limit, .. } => {
                write!(f, "`{operation}`: the answer ({status}) is larger than the {limit} bytes this client reads")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => Some(source),
            Error::Decode(decode) => Some(&decode.source),
            Error::Middleware { source, .. } => Some(source.as_ref()),
            Error::Api(_) | Error::RateLimited(_) | Error::InvalidRequest(_) | Error::AnswerTooLarge { .. } => None,
        }
    }
}

/// A non-success answer from the API, with everything it sent.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The method that was called (`get_bounce`).
    pub operation: &'static str,
    /// Its operation in the API document (the operationId).
    pub operation_id: &'static str,
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The explanation the API gave, read from the JSON `message`, `error_description` (OAuth),
    /// `error`, `detail` (RFC 9457), `title`, `Reason` or `Description` field, or the first of
    /// an `errors` list, or the plain-text body.
    pub message: Option<String>,
    /// The body decoded as the spec documents it: read with the generated `detail()`.
    detail: Option<Detail>,
    /// The body as received.
    pub body: String,
    /// The response headers (rate-limit headers among them).
    pub headers: reqwest::header::HeaderMap,
    /// When to try again: from `Retry-After` (seconds or an HTTP date) or
    /// `X-RateLimit-Reset` (Unix seconds).
    pub retry_after: Option<Duration>,
    /// A likely cause the answer does not say, such as calling the wrong region.
    pub hint: Option<String>,
}

impl ApiError {
    pub(crate) fn new(
        called: Called,
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: String,
        detail: Option<Detail>,
    ) -> ApiError {
        let retry_after = retry_after(&headers);
        let message = message_of(&body);
        let (operation, operation_id) = (called.method, called.id);
        ApiError { operation, operation_id, status, message, detail, body, headers, retry_after, hint: None }
    }

    /// The decoded body, if it is a `T` (the generated `ApiError::detail` asks for the crate's
    /// `ErrorBody`).
    pub(crate) fn detail_as<T: Any>(&self) -> Option<&T> {
        // Through the `Arc` to the value: the `Arc` is itself `Any`.
        let value: &dyn DetailValue = &*self.detail.as_ref()?.0;
        value.as_any().downcast_ref()
    }

    /// Whether this answer says "try later": 429 Too Many Requests, or 420.
    pub fn is_rate_limit(&self) -> bool {
        matches!(self.status.as_u16(), 420 | 429)
    }
}

/// An error answer's body decoded as the type the document gives it: the generated crate's
/// `ErrorBody`, kept without its type, since the runtime knows no API.
#[derive(Clone)]
pub(crate) struct Detail(Arc<dyn DetailValue>);

impl Detail {
    /// The decoded body, if there is one (a call's error reader ends with this).
    #[allow(dead_code)] // a crate whose document gives no error answer a type has no reader
    pub(crate) fn of<T: Any + fmt::Debug + Send + Sync>(body: Option<T>) -> Option<Detail> {
        Some(Detail(Arc::new(body?)))
    }
}

impl fmt::Debug for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a [`Detail`] holds: any value that prints, crosses threads, and can be asked its type.
trait DetailValue: fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> DetailValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// How long the API asks to wait: `Retry-After` in seconds or as an HTTP date, else
/// `X-RateLimit-Reset` in Unix seconds.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    // Names, not text: a name given as text is parsed at every lookup, and this runs for every
    // answer.
    const RESET: reqwest::header::HeaderName = reqwest::header::HeaderName::from_static("x-ratelimit-reset");
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let until = |time: std::time::SystemTime| time.duration_since(std::time::SystemTime::now()).unwrap_or_default();
    if let Some(value) = header(&reqwest::header::RETRY_AFTER) {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Some(time) = crate::Timestamp::from(value).to_system_time() {
            return Some(until(time));
        }
    }
    let reset = header(&RESET)?.parse::<u64>().ok()?;
    Some(until(std::time::UNIX_EPOCH + Duration::from_secs(reset)))
}

/// Error bodies come in several shapes: `{"message": …}`, `{"error": …}`, a problem document
/// (`{"title": …, "detail": …}`), OAuth's `{"error_description": …}`, `{"Reason": …}`,
/// `{"Description": …}`, `{"error": {"message": …}}`, `{"errors": [{"message": …}]}`, a JSON
/// string, or plain text.
fn message_of(body: &str) -> Option<String> {
    let text = body.trim();
    if text.is_empty() {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => message_in(&map),
        Ok(serde_json::Value::String(s)) => Some(s),
        Ok(_) => None,
        Err(_) => Some(text.to_owned()),
    }
}

/// The message of a JSON error object (see [`message_of`]).
fn message_in(map: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    // OAuth's `error` is a code: its description says more.
    const KEYS: [&str; 8] =
        ["message", "error_description", "error", "detail", "title", "Reason", "Description", "errors"];
    KEYS.iter().find_map(|key| match map.get(*key)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Object(inner) => inner.get("message")?.as_str().map(str::to_owned),
        serde_json::Value::Array(items) => match items.first()? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(inner) => message_in(inner),
            _ => None,
        },
        _ => None,
    })
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: the API answered {}", self.operation, self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// A success answer that could not be read as the documented type.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The method that was called (`get_bounce`).
    pub operation: &'static str,
    /// Its operation in the API document (the operationId).
    pub operation_id: &'static str,
    /// The HTTP status of the answer.
    pub status: reqwest::StatusCode,
    /// Where in the body reading failed, as a path such as `items[0].created_at` (`.` for
    /// the whole body).
    pub path: String,
    /// Why, as serde_json says it.
    pub source: serde_json::Error,
    /// The body as received.
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: the {} answer does not read as its documented type at `{}`: {}",
            self.operation, self.status, self.path, self.source
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiError, Called, Detail, message_of, retry_after};
    use std::time::Duration;

    #[test]
    fn the_detail_is_read_back_as_its_own_type_only() {
        #[derive(Debug, PartialEq)]
        struct Body(u8);
        let answer = |detail| {
            let (called, status) = (Called { method: "op", id: "op-id" }, reqwest::StatusCode::BAD_REQUEST);
            ApiError::new(called, status, reqwest::header::HeaderMap::new(), "{}".to_owned(), detail)
        };
        let read = answer(Detail::of(Some(Body(7))));
        assert_eq!(read.detail_as::<Body>(), Some(&Body(7)));
        assert_eq!(read.detail_as::<String>(), None, "another type is not there");
        assert!(format!("{read:?}").contains("Body(7)"), "Debug shows the value: {read:?}");
        assert_eq!(read.clone().detail_as::<Body>(), Some(&Body(7)), "a clone keeps it");
        assert_eq!(answer(Detail::of(None::<Body>)).detail_as::<Body>(), None);
    }

    #[test]
    fn messages_are_read_from_every_error_shape() {
        assert_eq!(message_of(r#"{"message":"a"}"#).as_deref(), Some("a"));
        assert_eq!(message_of(r#"{"error":"b"}"#).as_deref(), Some("b"));
        assert_eq!(message_of(r#"{"Reason":"c"}"#).as_deref(), Some("c"));
        assert_eq!(message_of(r#"{"error":{"name":"x","message":"d"}}"#).as_deref(), Some("d"));
        let problem = r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no pet 7"}"#;
        assert_eq!(message_of(problem).as_deref(), Some("no pet 7"));
        assert_eq!(message_of(r#"{"title":"Forbidden"}"#).as_deref(), Some("Forbidden"));
        let oauth = r#"{"error":"invalid_token","error_description":"token expired"}"#;
        assert_eq!(message_of(oauth).as_deref(), Some("token expired"));
        assert_eq!(message_of(r#"{"errors":[{"code":"x","message":"e"}]}"#).as_deref(), Some("e"));
        assert_eq!(message_of(r#"{"errors":["f","g"]}"#).as_deref(), Some("f"));
        assert_eq!(message_of(r#""Forbidden""#).as_deref(), Some("Forbidden"));
        assert_eq!(message_of("Forbidden").as_deref(), Some("Forbidden"));
        assert_eq!(message_of(""), None);
    }

    #[test]
    fn retry_after_reads_seconds_dates_and_reset_times() {
        let headers = |name: &'static str, value: String| {
            let mut map = reqwest::header::HeaderMap::new();
            map.insert(name, value.parse().unwrap());
            map
        };
        assert_eq!(retry_after(&headers("retry-after", "120".into())), Some(Duration::from_secs(120)));
        let later = std::time::SystemTime::now() + Duration::from_secs(60);
        let later_time = time::OffsetDateTime::from(later);
        let date = crate::Timestamp::from_time(later_time, crate::timestamp::TimeFormat::Rfc2822).as_str().to_owned();
        let wait = retry_after(&headers("retry-after", date)).unwrap();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        let reset = later.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let wait = retry_after(&headers("x-ratelimit-reset", reset.to_string())).unwrap();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        assert_eq!(retry_after(&reqwest::header::HeaderMap::new()), None);
    }
}
