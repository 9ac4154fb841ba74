//! The client: credentials, base URL and the HTTP connection pool.

use crate::error::Error;
use crate::region::DEFAULT_BASE_URL;
use crate::Region;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A Mailgun API client.
///
/// Cheap to clone: clones share one connection pool. Every API call is a method on this type
/// (see the [`apis`](crate::apis) modules).
///
/// ```no_run
/// # async fn run() -> Result<(), mailgun::Error> {
/// let client = mailgun::Client::builder("key-…").region(mailgun::Region::Eu).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
    on_behalf_of: Option<String>,
    timeout: Option<Duration>,
}

impl fmt::Debug for Client {
    // The API key is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"<redacted>")
            .field("on_behalf_of", &self.inner.on_behalf_of)
            .finish()
    }
}

impl Client {
    /// A client for the default region with the given API key.
    ///
    /// # Panics
    ///
    /// When the TLS backend cannot be initialised, as `reqwest::Client::new` does, or when the
    /// API document names no server to default to; use [`Client::builder`] to get those as
    /// errors instead.
    pub fn new(api_key: impl Into<String>) -> Client {
        Client::builder(api_key).build().expect("the default configuration is valid")
    }

    /// Starts configuring a client.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            http: None,
            timeout: None,
            on_behalf_of: None,
        }
    }

    /// The base URL requests go to, such as `https://api.mailgun.net`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A client that makes every call on behalf of a subaccount
    /// (the `X-Mailgun-On-Behalf-Of` header). It shares this client's connection pool.
    pub fn on_behalf_of(&self, subaccount_id: impl Into<String>) -> Client {
        Client {
            inner: Arc::new(Inner {
                http: self.inner.http.clone(),
                base_url: self.inner.base_url.clone(),
                api_key: self.inner.api_key.clone(),
                on_behalf_of: Some(subaccount_id.into()),
                timeout: self.inner.timeout,
            }),
        }
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn api_key(&self) -> &str {
        &self.inner.api_key
    }

    pub(crate) fn subaccount(&self) -> Option<&str> {
        self.inner.on_behalf_of.as_deref()
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    api_key: String,
    base_url: String,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    on_behalf_of: Option<String>,
}

impl ClientBuilder {
    /// Sends requests to a Mailgun region.
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = region.base_url().to_owned();
        self
    }

    /// Sends requests to any base URL, such as a proxy or a local mock server. The URL is the
    /// host only: every path already carries its API version (`/v3/...`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Uses your own `reqwest::Client` (proxies, TLS settings, connection limits).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// A timeout for each whole request. It applies to a client given with
    /// [`http_client`](Self::http_client) too; a call's own
    /// [`timeout`](crate::apis) replaces it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Makes every call on behalf of a subaccount.
    pub fn on_behalf_of(mut self, subaccount_id: impl Into<String>) -> Self {
        self.on_behalf_of = Some(subaccount_id.into());
        self
    }

    /// Builds the client. Fails when the base URL is not an `http(s)://` URL or ends with an
    /// API version such as `/v3`, which each path already carries.
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
        let last = base_url.rsplit('/').next().unwrap_or("");
        if last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::InvalidRequest(format!(
                "base URL `{base_url}` ends with an API version; give the host only (each call adds its own version)"
            )));
        }
        // The `User-Agent` and the timeout are set on each request, so a client given with
        // `http_client` gets them too.
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder().build().map_err(Error::Transport)?,
        };
        let inner =
            Inner { http, base_url, api_key: self.api_key, on_behalf_of: self.on_behalf_of, timeout: self.timeout };
        Ok(Client { inner: Arc::new(inner) })
    }
}
