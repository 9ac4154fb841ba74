//! The client: credentials, base URL and the HTTP connection pool.

use crate::RetryPolicy;
use crate::drift::Seen;
use crate::error::Error;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A client of the API: built with [`Client::builder`] (the crate's docs begin with an example).
///
/// Cheap to clone: clones share one connection pool. Every API call is a method on this type
/// (see the crate's `apis` modules).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    servers: &'static Servers,
    credentials: Credentials,
    /// The header that carries the credentials, when the scheme sends them in one: made once,
    /// so that a call sends a copy of it (a count of references), not the key encoded again.
    credentials_header: Option<(HeaderName, HeaderValue)>,
    /// Headers sent on every call (a call's own replace them).
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
    /// Whether `http` sends the `User-Agent` and enforces `timeout` itself: the client this crate
    /// built does, when no middleware (which sees each request before reqwest adds them) is
    /// around it. Then a request sets them only to differ (a call's own timeout): setting them
    /// on each request costs allocations on every call.
    http_sets_defaults: bool,
    retry: RetryPolicy,
    /// Whether an answer that differs from the API document fails its call.
    strict: bool,
    /// The most bytes an answer's body may have.
    max_answer_bytes: usize,
    /// `http` with the user's middleware around it, when there is some.
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    /// The places where answers differ that this client has logged (shared by its clones).
    drift: Arc<Seen>,
}

/// What the generated crate tells its client about the API's servers and how a client proves
/// who it is: the runtime knows no API, so the crate's `region.rs` and `conventions.rs` fill
/// this in from the inputs.
#[derive(Debug)]
pub(crate) struct Servers {
    /// Each server's name (its `Region` variant) and base URL, in the document's order; the
    /// first is the default.
    pub(crate) named: &'static [(&'static str, &'static str)],
    /// The error answers that mean another region keeps the account's data: the status, and
    /// words the message holds (lowercase).
    pub(crate) wrong_region: &'static [(u16, Option<&'static str>)],
    /// How the client sends its credentials: the document's security scheme.
    pub(crate) auth: Auth,
    /// Whether every path begins with an API version (`/v3/...`), so that a base URL ending
    /// with one would send `/v3/v3/...`.
    pub(crate) versioned_paths: bool,
}

/// How a client sends its credentials on every call that needs them: the API document's
/// security scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // a crate makes only its own API's scheme
pub(crate) enum Auth {
    /// It sends none.
    None,
    /// HTTP Basic, the key as the password; the user name the inputs fix, else the user's.
    Basic {
        /// The user name every client sends.
        username: Option<&'static str>,
    },
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// The key in the header of this name.
    Header(&'static str),
    /// The key in the query parameter of this name.
    Query(&'static str),
    /// The key in the cookie of this name.
    Cookie(&'static str),
}

/// What a user proves who they are with: a key (a password or a token), and for HTTP Basic
/// whose user name the API does not fix, a user name. Never printed.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    /// The user name, for HTTP Basic.
    pub(crate) username: Option<String>,
    /// The API key, token or password.
    pub(crate) key: String,
}

/// How long a request may take, each try, unless the client or the call says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest answer a client reads unless told otherwise: above what an API sends in one
/// answer (a stored message of 25 MB with its attachments, base64 in JSON), far below what
/// exhausts memory.
const DEFAULT_MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;
/// How long connecting may take, for the client this crate builds.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl fmt::Debug for Client {
    // The credentials are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &"<redacted>")
            .field("headers", &header_names(&self.inner.headers))
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("strict", &self.inner.strict)
            .finish()
    }
}

impl Client {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A client that also sends `name: value` on every call (replacing a header of that name it
    /// sends already), sharing this client's connection pool.
    #[allow(dead_code)] // used by the API's conventions, when it has some (`conventions.rs`)
    pub(crate) fn with_header(&self, name: &str, value: impl Into<String>) -> Client {
        let mut headers = self.inner.headers.clone();
        set_header(&mut headers, name, value.into());
        Client {
            inner: Arc::new(Inner {
                http: self.inner.http.clone(),
                base_url: self.inner.base_url.clone(),
                servers: self.inner.servers,
                credentials: self.inner.credentials.clone(),
                credentials_header: self.inner.credentials_header.clone(),
                headers,
                timeout: self.inner.timeout,
                http_sets_defaults: self.inner.http_sets_defaults,
                retry: self.inner.retry.clone(),
                strict: self.inner.strict,
                max_answer_bytes: self.inner.max_answer_bytes,
                #[cfg(feature = "middleware")]
                middleware: self.inner.middleware.clone(),
                drift: Arc::clone(&self.inner.drift),
            }),
        }
    }

    pub(crate) fn servers(&self) -> &'static Servers {
        self.inner.servers
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The header that carries the credentials, for a scheme that sends them in one.
    pub(crate) fn credentials_header(&self) -> Option<&(HeaderName, HeaderValue)> {
        self.inner.credentials_header.as_ref()
    }

    pub(crate) fn headers(&self) -> &[(String, String)] {
        &self.inner.headers
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// Whether the HTTP client sends the `User-Agent` and enforces the timeout itself.
    pub(crate) fn http_sets_defaults(&self) -> bool {
        self.inner.http_sets_defaults
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn max_answer_bytes(&self) -> usize {
        self.inner.max_answer_bytes
    }

    #[cfg(feature = "middleware")]
    pub(crate) fn middleware(&self) -> Option<&reqwest_middleware::ClientWithMiddleware> {
        self.inner.middleware.as_ref()
    }

    pub(crate) fn is_strict(&self) -> bool {
        self.inner.strict
    }

    pub(crate) fn drift_seen(&self) -> &Seen {
        &self.inner.drift
    }

    /// An API that keeps an account's data in one region may answer a call to another
    /// region's base URL with an error the inputs name ([`Servers::wrong_region`]): say so
    /// when the client uses a region's URL.
    pub(crate) fn region_hint(&self, api: &crate::ApiError) -> Option<String> {
        let servers = self.inner.servers;
        let message = api.message.as_deref().unwrap_or("").to_lowercase();
        let wrong_region = servers
            .wrong_region
            .iter()
            .any(|(status, words)| api.status.as_u16() == *status && words.is_none_or(|words| message.contains(words)));
        if !wrong_region {
            return None;
        }
        let (current, url) = servers.named.iter().find(|(_, url)| *url == self.base_url())?;
        let others: Vec<String> = servers
            .named
            .iter()
            .filter(|(name, _)| name != current)
            .map(|(name, _)| format!("`Region::{name}`"))
            .collect();
        if others.is_empty() {
            return None;
        }
        Some(format!(
            "this client calls `Region::{current}` ({url}); an account or its data kept in another region ({}) is answered so",
            others.join(", ")
        ))
    }
}

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    servers: &'static Servers,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    headers: Vec<(String, String)>,
    retry: RetryPolicy,
    strict: bool,
    max_answer_bytes: usize,
    insecure_http: bool,
    #[cfg(feature = "middleware")]
    middleware: Vec<std::sync::Arc<dyn reqwest_middleware::Middleware>>,
}

impl fmt::Debug for ClientBuilder {
    // The credentials are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &"<redacted>")
            .field("custom_http_client", &self.http.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("headers", &header_names(&self.headers))
            .field("retry", &self.retry)
            .field("strict", &self.strict)
            .field("max_answer_bytes", &self.max_answer_bytes)
            .field("insecure_http", &self.insecure_http)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder for a client of the API with these servers, sending to the first (the
    /// generated `Client::builder` calls this).
    pub(crate) fn new(credentials: Credentials, servers: &'static Servers) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: servers.named.first().map_or("", |(_, url)| url).to_owned(),
            servers,
            http: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            headers: Vec::new(),
            retry: RetryPolicy::default(),
            strict: false,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            insecure_http: false,
            #[cfg(feature = "middleware")]
            middleware: Vec::new(),
        }
    }

    /// Sends requests to any base URL, such as a proxy or a local mock server: each call's path
    /// (`/things/{id}` as the API document writes it) goes after it.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Uses your own `reqwest::Client` (proxies, TLS settings, connection limits). The
    /// `User-Agent`, the credentials and the [`timeout`](Self::timeout) still apply (each
    /// request carries them); the [`connect_timeout`](Self::connect_timeout) does not (set it
    /// on your client).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The longest a request may take, each try (60 s unless set; a call's own `timeout`
    /// replaces it).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No timeout for the whole request (connecting still has one).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// The longest connecting may take (10 s unless set). Not for a client given with
    /// [`http_client`](Self::http_client), which has its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When failed calls are tried again (see [`RetryPolicy`] for the default).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends `name: value` on every call (replacing a header of that name set before; a
    /// header the call declares, or one given for the call, replaces it). Values are never
    /// printed by `Debug`, so a header may carry a secret.
    pub fn default_header(mut self, name: &str, value: impl Into<String>) -> Self {
        set_header(&mut self.headers, name, value.into());
        self
    }

    /// Whether an answer that differs from the API document fails its call (off unless set).
    ///
    /// By default such an answer is read anyway and nothing is lost: what its types cannot hold
    /// is kept in each object's `undocumented()`, and each place is logged once (see
    /// [`crate::drift`]). Strict, the call fails with [`Error::Decode`] naming the first place
    /// instead: for tests that should notice when the API and its document part ways.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The most bytes an answer's body may have (64 MiB unless set). A larger answer fails its
    /// call with [`Error::AnswerTooLarge`] as soon as the excess is seen, rather than filling
    /// memory: before reading, when the answer announces its length.
    pub fn max_answer_bytes(mut self, limit: usize) -> Self {
        self.max_answer_bytes = limit;
        self
    }

    /// Adds behaviour around every request the client sends (cargo feature `middleware`): any
    /// [`reqwest_middleware::Middleware`], such as one that adds a header, counts requests,
    /// signs them or records them. Middleware run in the order added, on every try: the
    /// client's retries, timeouts and `<crate>.request` span are around them, so a middleware
    /// sees each try as it goes out and each answer as it comes back. An error a middleware
    /// returns fails the call with [`Error::Middleware`], without a retry.
    #[cfg(feature = "middleware")]
    pub fn middleware(mut self, middleware: impl reqwest_middleware::Middleware) -> Self {
        self.middleware.push(std::sync::Arc::new(middleware));
        self
    }

    /// Allows a plain `http://` base URL on a host other than this machine, which would send
    /// the API key in clear text over the network (off unless set: such a base URL fails
    /// [`build`](Self::build)). For a proxy on a network you trust; `http://127.0.0.1` and
    /// `http://localhost` need no permission.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.insecure_http = allow;
        self
    }

    /// Builds the client. Fails when the base URL is not an `http(s)://` URL, is `http://` on
    /// another machine without [`allow_insecure_http`](Self::allow_insecure_http), ends
    /// with an API version such as `/v3` when each of the API's paths already begins with one,
    /// or when the key cannot be sent in the header the API takes it in (a line break in it).
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if base_url.is_empty() {
            return Err(Error::InvalidRequest(
                "the API document names no server: give the client a base URL with `base_url`".to_owned(),
            ));
        }
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(Error::InvalidRequest(format!("base URL `{base_url}` must start with https:// or http://")));
        }
        let clear_host = base_url.strip_prefix("http://").map(host_of);
        if let Some(host) = clear_host.filter(|host| !self.insecure_http && !is_loopback(host)) {
            return Err(Error::InvalidRequest(format!(
                "base URL `{base_url}` would send the API key unencrypted to `{host}`: use https://, \
                 or `allow_insecure_http(true)` for a network you trust"
            )));
        }
        let last = base_url.rsplit('/').next().unwrap_or("");
        let version = last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
        if version && self.servers.versioned_paths {
            return Err(Error::InvalidRequest(format!(
                "base URL `{base_url}` ends with an API version; give the host only (each call adds its own version)"
            )));
        }
        let credentials_header = credentials_header(self.servers.auth, &self.credentials)?;
        // A client given with `http_client` gets the `User-Agent` and the timeout on each
        // request; the one built here carries them.
        let http_sets_defaults = self.http.is_none();
        let http = match self.http {
            Some(http) => http,
            None => {
                let builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .user_agent(crate::http::USER_AGENT);
                let builder = match self.timeout {
                    Some(timeout) => builder.timeout(timeout),
                    None => builder,
                };
                builder.build().map_err(|e| Error::InvalidRequest(format!("the HTTP client cannot be built: {e}")))?
            }
        };
        #[cfg(feature = "middleware")]
        let middleware = (!self.middleware.is_empty()).then(|| {
            let builder = reqwest_middleware::ClientBuilder::new(http.clone());
            self.middleware.iter().fold(builder, |builder, m| builder.with_arc(Arc::clone(m))).build()
        });
        #[cfg(feature = "middleware")]
        let http_sets_defaults = http_sets_defaults && middleware.is_none();
        let inner = Inner {
            http,
            base_url,
            servers: self.servers,
            credentials: self.credentials,
            credentials_header,
            headers: self.headers,
            timeout: self.timeout,
            http_sets_defaults,
            retry: self.retry,
            strict: self.strict,
            max_answer_bytes: self.max_answer_bytes,
            #[cfg(feature = "middleware")]
            middleware,
            drift: Arc::default(),
        };
        Ok(Client { inner: Arc::new(inner) })
    }
}

/// The header the scheme sends the credentials in, marked sensitive (HTTP/2 does not index it,
/// `Debug` does not print it); `None` for a scheme that sends them elsewhere or sends none.
fn credentials_header(auth: Auth, credentials: &Credentials) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
    use base64::Engine;
    let Credentials { username, key } = credentials;
    let (name, value) = match auth {
        Auth::Basic { username: fixed } => {
            let username = fixed.or(username.as_deref()).unwrap_or("");
            let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{key}"));
            (AUTHORIZATION, format!("Basic {encoded}"))
        }
        Auth::Bearer => (AUTHORIZATION, format!("Bearer {key}")),
        Auth::Header(name) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(format!("the API's key header `{name}` is not a valid header name"))
            })?;
            (name, key.clone())
        }
        Auth::None | Auth::Query(_) | Auth::Cookie(_) => return Ok(None),
    };
    let mut value = HeaderValue::try_from(value)
        .map_err(|_| Error::InvalidRequest(format!("the API key is not a valid value of the `{name}` header")))?;
    value.set_sensitive(true);
    Ok(Some((name, value)))
}

/// Sets a header in a list, replacing one of the same name (names compare without case).
fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: String) {
    headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    headers.push((name.to_owned(), value));
}

/// The names of headers, for `Debug`: their values may be secrets.
fn header_names(headers: &[(String, String)]) -> Vec<&str> {
    headers.iter().map(|(name, _)| name.as_str()).collect()
}

/// The host of what follows `scheme://`: `[::1]` of `[::1]:8080/x`, `example.com` of
/// `user@example.com:80`.
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if host_port.starts_with('[') {
        return host_port.split_inclusive(']').next().unwrap_or(host_port);
    }
    host_port.split(':').next().unwrap_or(host_port)
}

/// Whether a host is this machine: `localhost`, `127.0.0.0/8`, `::1`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> crate::ApiError {
        let status = reqwest::StatusCode::from_u16(status).unwrap();
        crate::ApiError::new(
            crate::error::Called { method: "op", id: "op-id" },
            status,
            reqwest::header::HeaderMap::new(),
            body.to_owned(),
            None,
        )
    }

    /// An API with two regions, one of whose wrong-region answers needs words in its message.
    static TWO_REGIONS: Servers = Servers {
        named: &[("Us", "https://api.example.com"), ("Eu", "https://api.eu.example.com")],
        wrong_region: &[(401, None), (404, Some("domain not found"))],
        auth: Auth::Bearer,
        versioned_paths: true,
    };

    /// An API whose document names no server.
    static NO_SERVERS: Servers = Servers { named: &[], wrong_region: &[], auth: Auth::None, versioned_paths: false };

    fn key(key: &str) -> Credentials {
        Credentials { username: None, key: key.to_owned() }
    }

    fn builder(secret: &str) -> ClientBuilder {
        ClientBuilder::new(key(secret), &TWO_REGIONS)
    }

    #[test]
    fn a_wrong_region_is_hinted_at_on_the_answers_the_conventions_name() {
        let client = builder("k").build().unwrap();
        assert_eq!(client.base_url(), "https://api.example.com", "the first server is the default");
        for (status, words) in TWO_REGIONS.wrong_region {
            let said = format!(r#"{{"message":"{} (x.com)"}}"#, words.unwrap_or("Forbidden").to_uppercase());
            let hint = client.region_hint(&answer(*status, &said)).expect("a hint");
            assert!(hint.contains("`Region::Us` (https://api.example.com)") && hint.contains("`Region::Eu`"), "{hint}");
            if words.is_some() {
                assert!(client.region_hint(&answer(*status, r#"{"message":"Something else"}"#)).is_none());
            }
            let local = builder("k").base_url("http://127.0.0.1:1").build().unwrap();
            assert!(local.region_hint(&answer(*status, &said)).is_none(), "no hint for a custom base URL");
        }
        assert!(client.region_hint(&answer(500, r#"{"message":"oops"}"#)).is_none());
    }

    #[test]
    fn a_base_url_ending_with_a_version_is_refused_only_where_paths_carry_one() {
        let refused = builder("k").base_url("https://api.example.com/v3/").build().unwrap_err().to_string();
        assert!(refused.contains("ends with an API version"), "{refused}");
        static UNVERSIONED: Servers = Servers {
            named: &[("Server1", "https://api.example.com/v1")],
            wrong_region: &[],
            auth: Auth::None,
            versioned_paths: false,
        };
        let client = ClientBuilder::new(key("k"), &UNVERSIONED).build().unwrap();
        assert_eq!(client.base_url(), "https://api.example.com/v1", "the document's own server");
    }

    #[test]
    fn a_document_without_servers_needs_a_base_url() {
        let refused = ClientBuilder::new(key("k"), &NO_SERVERS).build().unwrap_err().to_string();
        assert!(refused.contains("names no server") && refused.contains("base_url"), "{refused}");
        ClientBuilder::new(key("k"), &NO_SERVERS).base_url("https://api.example.com").build().unwrap();
    }

    #[test]
    fn plain_http_is_refused_off_this_machine() {
        for clear in
            ["http://api.example.com", "http://10.0.0.2:8080", "http://user@example.com", "http://[2001:db8::1]"]
        {
            let refused = builder("k").base_url(clear).build().unwrap_err().to_string();
            assert!(refused.contains("unencrypted") && refused.contains("allow_insecure_http"), "{refused}");
            builder("k").base_url(clear).allow_insecure_http(true).build().unwrap();
        }
        for loopback in ["http://localhost:8080", "http://127.0.0.5", "http://[::1]:9"] {
            builder("k").base_url(loopback).build().unwrap();
        }
    }

    #[test]
    fn the_builder_never_prints_the_key_or_header_values() {
        let builder = builder("key-SECRET").default_header("X-Token", "ALSO-SECRET");
        assert!(!format!("{builder:?}").contains("SECRET"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("SECRET"));
        assert!(format!("{client:?}").contains("X-Token"));
        let again = client.with_header("x-token", "other");
        assert_eq!(again.headers(), [("x-token".to_owned(), "other".to_owned())], "replaced, not repeated");
    }
}
