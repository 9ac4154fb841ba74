//! Building and sending one request. Generated request builders fill in a [`Request`] and
//! hand it to [`Client::execute`] (or one of its siblings for text, bytes or the raw answer).

// This runtime serves every API the generator reads; which parts of it a given API uses (form
// bodies, cookies, text answers…) depends on its spec, and the rest is not worth a warning.
#![allow(dead_code)]

use crate::Client;
use crate::client::Auth;
use crate::error::{ApiError, Called, DecodeError, Error};
use crate::retry::{Outcome, RetryPolicy};
use crate::tolerant::Tolerant;
use crate::wire::{Fields, FormBody, FormPart, Name, ObjectStyle, Source, Value, WireValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;
use std::time::Duration;
use tracing::Instrument;

/// Everything but RFC 3986 unreserved characters is escaped in a path segment, so `+` in an
/// address is sent as `%2B` and `/` cannot change the path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The `User-Agent` of every request, whatever HTTP client sends it.
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

/// Percent-encodes a path parameter as one segment. The value is written as it would be as a
/// query parameter; a list is comma-separated (OpenAPI's default `simple` style).
pub(crate) fn path_segment(value: &(impl WireValue + ?Sized)) -> Cow<'_, str> {
    match value.as_text() {
        // Borrowed when nothing needs escaping, as most names and IDs.
        Some(text) => utf8_percent_encode(text, SEGMENT).into(),
        None => utf8_percent_encode(&joined(value, ","), SEGMENT).to_string().into(),
    }
}

/// A value's texts joined with `separator` (a file counts as its name).
fn joined(value: &(impl WireValue + ?Sized), separator: &str) -> String {
    let mut fields = Fields::default();
    value.append("".into(), &mut fields);
    let texts: Vec<&str> = fields
        .iter()
        .map(|(_, value)| match value {
            Value::Text(text) => text,
            Value::File(file) => file.name(),
        })
        .collect();
    texts.join(separator)
}

/// Settings for one call, on top of the client's. Every [`RequestBuilder`] holds one and sets it
/// with the methods all builders share.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    /// What a setter could not take (a value that does not serialise): the call fails with it
    /// when sent, rather than a setter panicking or sending something else.
    problems: Vec<String>,
}

impl CallOptions {
    /// A value for a JSON field. One that cannot be serialised is remembered as a problem.
    pub(crate) fn json_value(&mut self, field: &str, value: impl serde::Serialize) -> serde_json::Value {
        serde_json::to_value(value).unwrap_or_else(|e| {
            self.problems.push(format!("`{field}` cannot be serialised as JSON: {e}"));
            serde_json::Value::Null
        })
    }

    /// Fails when a setter was given a value it could not take.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match self.problems.first() {
            Some(problem) => Err(Error::InvalidRequest(problem.clone())),
            None => Ok(()),
        }
    }
}

/// A call to the API, made by a [`Client`] method (`client.get_bounce(…)`): set its optional
/// parameters and this call's own settings, then send it. Each call's builder
/// (`apis::bounces::GetBounce`) is a name for one of these, `Op` being the call's own
/// parameters.
///
/// One generic builder rather than a struct per call: the settings every call has (the
/// methods here) are then compiled once, not once per call.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<Op> {
    pub(crate) client: Client,
    pub(crate) options: CallOptions,
    pub(crate) op: Op,
}

/// What a call's parameters make: the HTTP request. Implemented by the generated code for the
/// parameters of each call.
pub(crate) trait Prepare: Sized {
    /// The request `call` describes, or why it cannot be sent.
    fn request(call: &RequestBuilder<Self>) -> Result<Request, Error>;
}

impl<Op> RequestBuilder<Op> {
    /// Adds a header to this call only (it replaces one of the same name).
    #[inline]
    pub fn extra_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter to this call only, for what the API accepts but the spec does
    /// not list.
    #[inline]
    pub fn extra_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.query.push((name.into(), value.into()));
        self
    }

    /// A timeout for this call (each try of it), instead of the client's.
    #[inline]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// When this call is tried again, instead of the client's policy.
    #[inline]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }
}

// `Prepare` is the crate's own: callers see a builder's methods, not how it is built.
#[allow(private_bounds)]
impl<Op: Prepare> RequestBuilder<Op> {
    /// Sends the request and returns the answer as it came (status, headers, bytes), whatever
    /// its status: for what the spec does not model.
    #[inline]
    pub fn send_raw(self) -> Sending<RawResponse> {
        let request = self.request();
        send_raw(self.client, request)
    }

    /// The request this builder describes.
    #[inline]
    pub(crate) fn request(&self) -> Result<Request, Error> {
        Op::request(self)
    }
}

/// An answer as it came: status, headers and body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

/// An answer as it came, its body as the HTTP client gave it: an answer that came in one piece
/// is not copied, and none is turned into a `Vec` unless the caller asked for the body.
struct Answer {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
}

impl From<Answer> for RawResponse {
    fn from(Answer { status, headers, body }: Answer) -> RawResponse {
        RawResponse { status, headers, body: body.into() }
    }
}

/// A success answer read as its documented type, with everything else it held: its status,
/// headers and body as they came, and where it differs from the API document (see
/// [`crate::drift`]). What `send_with_response()` returns.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The answer, read as its documented type.
    pub value: T,
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body as it came.
    pub body: Vec<u8>,
    /// Where the answer differs from the API document: members it does not list, values of
    /// another type, required members left out. Empty when the answer is as documented.
    pub drift: Vec<crate::Drift>,
    /// What the answer held outside any object that `value` cannot (an item of a list answer
    /// of another type, say), by its JSON pointer from the answer's root. Each object keeps its
    /// own in its `undocumented()`.
    pub undocumented: crate::Undocumented,
}

impl<T> Response<T> {
    /// The answer, read as its documented type.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The answer written out again as JSON: the value, each object with what it kept, and what
    /// only this response kept put back in its place. It is the answer that came, every value
    /// in it (numbers may be written in another form: `5.0` for `5`).
    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error>
    where
        T: serde::Serialize,
    {
        let mut json = serde_json::to_value(&self.value)?;
        self.undocumented.put_back(&mut json);
        Ok(json)
    }
}

/// A request's body. What each try sends is shared with the request, not copied into the try:
/// bytes are `Bytes`, and a multipart body's text parts are views of one `Bytes`.
pub(crate) enum Body {
    None,
    Json(bytes::Bytes),
    Form(Fields),
    Multipart(Vec<(Name, FormPart)>),
    Raw { bytes: bytes::Bytes, content_type: &'static str },
}

/// An error answer's body as a documented type, when it reads as one.
pub(crate) fn read_error_body<T: Tolerant>(body: &[u8]) -> Option<T> {
    crate::tolerant::from_slice(body, &mut crate::tolerant::Log::default()).ok()?.ok()
}

/// An error answer's body as text: a JSON string's content, or the body as it came.
pub(crate) fn error_text(body: &[u8]) -> String {
    serde_json::from_slice::<String>(body).unwrap_or_else(|_| String::from_utf8_lossy(body).into_owned())
}

/// Reads an error answer's body as the type the spec documents for its status.
pub(crate) type ErrorBodyReader = fn(u16, &[u8]) -> Option<crate::error::Detail>;

/// One request, before it is sent.
pub(crate) struct Request {
    method: reqwest::Method,
    path: String,
    /// The call it makes, for errors and traces.
    called: Called,
    /// The path as the spec writes it (`/v3/{domain}/bounces`), for traces: the filled-in
    /// path may hold addresses.
    template: &'static str,
    query: Fields,
    headers: Fields,
    cookies: Fields,
    body: Body,
    options: CallOptions,
    error_body: Option<ErrorBodyReader>,
    /// Sent without the client's credentials: the API document says the call needs none.
    anonymous: bool,
    /// The call's own servers, which the document sends it to instead of the API's.
    servers: &'static [&'static str],
    /// Why the request cannot be sent (a body that does not serialise), given by
    /// [`finish`](Request::finish) instead of the request. Held rather than returned where it
    /// is found, so that a generated body has no `?`: each is an obligation the compiler proves.
    problem: Option<String>,
}

impl Request {
    pub(crate) fn new(
        method: reqwest::Method,
        path: String,
        call: &'static str,
        operation_id: &'static str,
        template: &'static str,
    ) -> Request {
        Request {
            method,
            path,
            called: Called { method: call, id: operation_id },
            template,
            query: Fields::default(),
            headers: Fields::default(),
            cookies: Fields::default(),
            body: Body::None,
            options: CallOptions::default(),
            error_body: None,
            anonymous: false,
            servers: &[],
            problem: None,
        }
    }

    /// The request for another page of the same call: the given path and query (from the
    /// answer's link) in place of the call's own, its headers and settings kept.
    pub(crate) fn follow(&self, path_and_query: String) -> Request {
        Request {
            method: self.method.clone(),
            path: path_and_query,
            called: self.called,
            template: self.template,
            query: Fields::default(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: Body::None,
            options: self.options.clone(),
            error_body: self.error_body,
            anonymous: self.anonymous,
            servers: self.servers,
            problem: None,
        }
    }

    /// How the call's error answers are read.
    pub(crate) fn error_body(mut self, reader: ErrorBodyReader) -> Request {
        self.error_body = Some(reader);
        self
    }

    /// Sends the call to its own server (the first of `servers`) while the client uses one of
    /// the API's: a client pointed elsewhere (a proxy, a test double) gets every call.
    pub(crate) fn servers(mut self, servers: &'static [&'static str]) -> Request {
        self.servers = servers;
        self
    }

    /// The base URLs a next-page link of this call may be on: the API's servers, and the
    /// call's own.
    pub(crate) fn hosts(&self, client: &Client) -> Vec<&'static str> {
        client.servers().named.iter().map(|(_, url)| *url).chain(self.servers.iter().copied()).collect()
    }

    /// Sends the call without the client's credentials.
    pub(crate) fn anonymous(mut self) -> Request {
        self.anonymous = true;
        self
    }

    /// A query parameter; a list is one `name=value` per item.
    pub(crate) fn query(&mut self, name: &'static str, value: &(impl WireValue + ?Sized)) {
        self.query.add(name, value);
    }

    /// An object query parameter, as its `style` says.
    pub(crate) fn query_object(&mut self, name: &'static str, value: &impl serde::Serialize, style: ObjectStyle) {
        self.query.object(name, value, style);
    }

    /// A query parameter whose list goes as one comma-separated value (`explode: false`).
    pub(crate) fn query_joined(&mut self, name: &'static str, value: &(impl WireValue + ?Sized)) {
        let mut fields = Fields::default();
        value.append(name.into(), &mut fields);
        if !fields.is_empty() {
            self.query.text(name, &joined(value, ","));
        }
    }

    pub(crate) fn header(&mut self, name: &'static str, value: &(impl WireValue + ?Sized)) {
        self.headers.add(name, value);
    }

    pub(crate) fn cookie(&mut self, name: &'static str, value: &(impl WireValue + ?Sized)) {
        self.cookies.add(name, value);
    }

    pub(crate) fn json(&mut self, body: &impl serde::Serialize) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Json(bytes.into()),
            Err(e) => {
                let problem = format!("the body of `{}` cannot be serialised: {e}", self.called.method);
                self.problem.get_or_insert(problem);
            }
        }
    }

    pub(crate) fn form(&mut self, body: &impl FormBody) {
        self.body = Body::Form(Fields::of(body));
    }

    pub(crate) fn multipart(&mut self, body: &impl FormBody) {
        self.body = Body::Multipart(Fields::of(body).into_parts());
    }

    /// A body of another media type, sent as the bytes given.
    pub(crate) fn raw(&mut self, bytes: &[u8], content_type: &'static str) {
        self.body = Body::Raw { bytes: bytes::Bytes::copy_from_slice(bytes), content_type };
    }

    /// The request with the call's own settings, or why it cannot be sent (a setter given a
    /// value it could not take, a body that does not serialise): its last step.
    pub(crate) fn finish(mut self, options: &CallOptions) -> Result<Request, Error> {
        options.check()?;
        match self.problem.take() {
            Some(problem) => Err(Error::InvalidRequest(problem)),
            None => {
                self.options = options.clone();
                Ok(self)
            }
        }
    }
}

/// A call on its way: what a request builder's `send`, `send_with_response` and `send_raw`
/// return. Nothing is sent until it is awaited; it is `Send` and `'static`, so it can be
/// spawned, stored or raced as it is.
///
/// One named type for every call, rather than an `impl Future` per builder: each of those is
/// an opaque type the compiler checks on its own, and together they were 4% of the
/// crate's check. The price is one allocation per call.
#[must_use = "a request is sent only when the future is awaited"]
pub struct Sending<T> {
    future: std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, Error>> + Send>>,
}

impl<T> Sending<T> {
    fn new(future: impl std::future::Future<Output = Result<T, Error>> + Send + 'static) -> Sending<T> {
        Sending { future: Box::pin(future) }
    }
}

impl<T> std::future::Future for Sending<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        self.future.as_mut().poll(cx)
    }
}

impl<T> std::fmt::Debug for Sending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sending").finish_non_exhaustive()
    }
}

/// Sends a builder's request and reads its JSON answer.
pub(crate) fn send<T: Tolerant + Send + 'static>(client: Client, request: Result<Request, Error>) -> Sending<T> {
    Sending::new(async move { client.execute(request?).await })
}

/// Sends a builder's request and returns its answer as text.
pub(crate) fn send_text(client: Client, request: Result<Request, Error>) -> Sending<String> {
    Sending::new(async move { client.execute_text(request?).await })
}

/// Sends a builder's request and returns its answer's bytes.
pub(crate) fn send_bytes(client: Client, request: Result<Request, Error>) -> Sending<Vec<u8>> {
    Sending::new(async move { client.execute_bytes(request?).await })
}

/// Sends a builder's request and returns the answer as it came.
pub(crate) fn send_raw(client: Client, request: Result<Request, Error>) -> Sending<RawResponse> {
    Sending::new(async move { Ok(client.execute_raw(request?).await?.into()) })
}

/// A success answer's body read as `T`: the value, where it differs from the API document,
/// and what it held outside any object that the value cannot.
pub(crate) struct Reading<T> {
    pub(crate) value: T,
    pub(crate) drift: Vec<crate::Drift>,
    pub(crate) kept: crate::Undocumented,
}

impl<T> Reading<T> {
    fn exactly(value: T) -> Reading<T> {
        Reading { value, drift: Vec::new(), kept: crate::Undocumented::default() }
    }
}

/// Reads a success answer's body.
pub(crate) type ReadAnswer<T> = fn(&Client, Called, reqwest::StatusCode, &[u8]) -> Result<Reading<T>, Error>;

/// Reads a JSON answer as `T` (see [`Client::read_answer`]).
pub(crate) fn json<T: Tolerant>(
    client: &Client,
    called: Called,
    status: reqwest::StatusCode,
    body: &[u8],
) -> Result<Reading<T>, Error> {
    client.read_answer(called, status, body)
}

/// Reads an answer as text.
pub(crate) fn text(_: &Client, _: Called, _: reqwest::StatusCode, body: &[u8]) -> Result<Reading<String>, Error> {
    Ok(Reading::exactly(String::from_utf8_lossy(body).into_owned()))
}

/// Reads an answer as bytes.
pub(crate) fn bytes(_: &Client, _: Called, _: reqwest::StatusCode, body: &[u8]) -> Result<Reading<Vec<u8>>, Error> {
    Ok(Reading::exactly(body.to_vec()))
}

/// Sends a builder's request and returns its answer read by `read`, with everything it held.
pub(crate) fn send_with_response<T: Send + 'static>(
    client: Client,
    request: Result<Request, Error>,
    read: ReadAnswer<T>,
) -> Sending<Response<T>> {
    Sending::new(async move {
        let request = request?;
        let called = request.called;
        let raw = client.execute_success(request).await?;
        let Reading { value, drift, kept } = read(&client, called, raw.status, &raw.body)?;
        Ok(Response {
            value,
            status: raw.status,
            headers: raw.headers,
            body: raw.body.into(),
            drift,
            undocumented: kept,
        })
    })
}

impl Client {
    /// Sends a request and decodes a JSON answer, tolerantly and losslessly (see
    /// [`crate::tolerant`]). An empty success body reads as JSON `null`, which is what `()` and
    /// `Option` expect.
    pub(crate) async fn execute<T: Tolerant>(&self, request: Request) -> Result<T, Error> {
        let called = request.called;
        let raw = self.execute_success(request).await?;
        Ok(self.read_answer(called, raw.status, &raw.body)?.value)
    }

    /// Sends a request and returns the answer as text.
    pub(crate) async fn execute_text(&self, request: Request) -> Result<String, Error> {
        let raw = self.execute_success(request).await?;
        Ok(String::from_utf8_lossy(&raw.body).into_owned())
    }

    /// Sends a request and returns the answer's bytes.
    pub(crate) async fn execute_bytes(&self, request: Request) -> Result<Vec<u8>, Error> {
        Ok(self.execute_success(request).await?.body.into())
    }

    /// Reads a success answer's body as `T`, and says where it differs from the API document:
    /// once per place in the log, and as an error when the client is strict. Where the body
    /// cannot be read as `T` at all, says where and why.
    pub(crate) fn read_answer<T: Tolerant>(
        &self,
        called: Called,
        status: reqwest::StatusCode,
        body: &[u8],
    ) -> Result<Reading<T>, Error> {
        let text = if body.iter().all(u8::is_ascii_whitespace) { &b"null"[..] } else { body };
        let decode_error = |path: String, source: serde_json::Error| {
            let body = String::from_utf8_lossy(body).into_owned();
            let (operation, operation_id) = (called.method, called.id);
            Error::Decode(Box::new(DecodeError { operation, operation_id, status, path, source, body }))
        };
        let mut log = crate::tolerant::Log::default();
        match crate::tolerant::from_slice::<T>(text, &mut log) {
            Ok(Ok(value)) => {
                // What no object of the answer kept: outside any (in a list answer, say).
                let kept = log.keep(0);
                let drift = log.into_drift();
                self.drift_seen().report(called.id, &drift);
                match drift.first().filter(|_| self.is_strict()) {
                    Some(first) => Err(decode_error(first.path.clone(), serde::de::Error::custom(first))),
                    None => Ok(Reading { value, drift, kept }),
                }
            }
            Ok(Err(_)) => {
                // A whole answer of another shape: an error, and in the log like any drift.
                let failure = log.failure();
                self.drift_seen().report(called.id, &log.into_drift());
                Err(decode_error(".".to_owned(), serde::de::Error::custom(failure)))
            }
            // Not JSON: read again, this time tracking the path, to say where.
            Err(first) => {
                let mut deserializer = serde_json::Deserializer::from_slice(text);
                Err(match serde_path_to_error::deserialize::<_, serde_json::Value>(&mut deserializer) {
                    Err(error) => decode_error(error.path().to_string(), error.into_inner()),
                    Ok(_) => decode_error(".".to_owned(), first),
                })
            }
        }
    }

    /// Sends a request; a non-success answer is an error, read as the spec documents it.
    async fn execute_success(&self, request: Request) -> Result<Answer, Error> {
        let (called, error_body) = (request.called, request.error_body);
        let raw = self.execute_raw(request).await?;
        if raw.status.is_success() {
            return Ok(raw);
        }
        let detail = error_body.and_then(|read| read(raw.status.as_u16(), &raw.body));
        let body = String::from_utf8_lossy(&raw.body).into_owned();
        let mut api = ApiError::new(called, raw.status, raw.headers, body, detail);
        api.hint = self.region_hint(&api);
        Err(if api.is_rate_limit() { Error::RateLimited(Box::new(api)) } else { Error::Api(Box::new(api)) })
    }

    /// Sends a request, trying it again as the retry policy says, and returns the last answer
    /// as it came, whatever its status.
    async fn execute_raw(&self, request: Request) -> Result<Answer, Error> {
        let policy = request.options.retry.as_ref().unwrap_or(self.retry_policy());
        let mut delays = policy.delays();
        let mut attempt = 1;
        loop {
            let span = tracing::info_span!(
                concat!(env!("CARGO_PKG_NAME"), ".request"),
                operation = request.called.id,
                method = %request.method,
                path = request.template,
                attempt,
                status = tracing::field::Empty,
            );
            let result = self.send_once(&request).instrument(span.clone()).await;
            let outcome = match &result {
                Ok(raw) => {
                    span.record("status", raw.status.as_u16());
                    let retry_after = crate::error::retry_after(&raw.headers);
                    Outcome::Answered { status: raw.status.as_u16(), retry_after }
                }
                Err(Error::Transport { source, .. }) if source.is_connect() => Outcome::NotSent,
                Err(Error::Transport { .. } | Error::Timeout { .. }) => Outcome::NoAnswer,
                Err(_) => return result,
            };
            let wait = policy.retry(&request.method, outcome).filter(|_| request.replayable());
            let (Some(wait), Some(backoff)) = (wait, delays.next()) else { return result };
            let delay = wait.max(backoff);
            tracing::debug!(parent: &span, ?outcome, ?delay, "trying the call again");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One try: the request as it is now, and the whole answer.
    async fn send_once(&self, request: &Request) -> Result<Answer, Error> {
        let called = request.called;
        let request = self.build(request).await?;
        let mut response = self.dispatch(called, request).await?;
        let status = response.status();
        // Taken, not copied: neither the headers nor the body are needed twice.
        let headers = std::mem::take(response.headers_mut());
        let body = self.read_body(called, response).await?;
        Ok(Answer { status, headers, body })
    }

    /// The request as it goes on the wire, with the client's credentials unless the call is
    /// anonymous.
    async fn build(&self, request: &Request) -> Result<reqwest::Request, Error> {
        let on_an_api_server = self.servers().named.iter().any(|(_, url)| url.trim_end_matches('/') == self.base_url());
        let base = match request.servers.first() {
            Some(own) if on_an_api_server => own.trim_end_matches('/'),
            _ => self.base_url(),
        };
        let url = format!("{base}{}", request.path);
        let mut builder = self.http().request(request.method.clone(), url);
        let mut query: Vec<(&str, &str)> = request.query.texts()?;
        let mut cookies: Vec<String> =
            request.cookies.texts()?.into_iter().map(|(name, value)| format!("{name}={value}")).collect();
        if !request.anonymous {
            if let Some((name, value)) = self.credentials_header() {
                builder = builder.header(name.clone(), value.clone());
            }
            match self.servers().auth {
                Auth::Query(name) => query.push((name, &self.credentials().key)),
                Auth::Cookie(name) => cookies.push(format!("{name}={}", self.credentials().key)),
                Auth::None | Auth::Basic { .. } | Auth::Bearer | Auth::Header(_) => {}
            }
        }
        for (name, value) in headers(self, &request.headers, &request.options)? {
            builder = builder.header(name, value);
        }
        query.extend(request.options.query.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        if !cookies.is_empty() {
            builder = builder.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        // An HTTP client that enforces the client's timeout needs only a call's own, different one.
        let timeout = if self.http_sets_defaults() {
            request.options.timeout.filter(|own| Some(*own) != self.timeout())
        } else {
            request.options.timeout.or(self.timeout())
        };
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        builder = match &request.body {
            Body::None => builder,
            Body::Json(bytes) => builder.header(reqwest::header::CONTENT_TYPE, "application/json").body(bytes.clone()),
            Body::Form(fields) => builder.form(&fields.texts()?),
            Body::Multipart(parts) => builder.multipart(multipart(parts).await?),
            Body::Raw { bytes, content_type } => {
                builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(bytes.clone())
            }
        };
        builder.build().map_err(|e| self.transport(request.called, e))
    }

    /// A transport error, without the URL when the key is in its query.
    fn transport(&self, called: Called, error: reqwest::Error) -> Error {
        let error = if matches!(self.servers().auth, Auth::Query(_)) { error.without_url() } else { error };
        Error::transport(called, error)
    }

    /// Sends one built request: through the user's middleware when there is some (they see
    /// every try, inside the retries and the `<crate>.request` span), else straight.
    async fn dispatch(&self, called: Called, request: reqwest::Request) -> Result<reqwest::Response, Error> {
        #[cfg(feature = "middleware")]
        if let Some(middleware) = self.middleware() {
            return middleware.execute(request).await.map_err(|e| match e {
                reqwest_middleware::Error::Reqwest(e) => self.transport(called, e),
                reqwest_middleware::Error::Middleware(e) => {
                    Error::Middleware { operation: called.method, operation_id: called.id, source: e.into() }
                }
            });
        }
        self.http().execute(request).await.map_err(|e| self.transport(called, e))
    }

    /// The answer's body, up to the client's limit: an answer that announces more is refused
    /// unread, and one that sends more is not read past the limit. A body that came in one
    /// chunk is that chunk, not a copy of it.
    async fn read_body(&self, called: Called, mut response: reqwest::Response) -> Result<bytes::Bytes, Error> {
        let limit = self.max_answer_bytes();
        let too_large =
            |status| Error::AnswerTooLarge { operation: called.method, operation_id: called.id, status, limit };
        let status = response.status();
        let announced = response.content_length().unwrap_or(0);
        if announced > limit as u64 {
            return Err(too_large(status));
        }
        // What came so far is `joined` then `first`, and one of them is empty: the first chunk
        // is kept as it came until a second one comes.
        let (mut first, mut joined, mut length) = (None::<bytes::Bytes>, Vec::new(), 0);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(called, e))? {
            length += chunk.len();
            if length > limit {
                return Err(too_large(status));
            }
            match first.take() {
                None if joined.is_empty() => first = Some(chunk),
                Some(earlier) => {
                    joined.reserve_exact((announced as usize).max(length));
                    joined.extend_from_slice(&earlier);
                    joined.extend_from_slice(&chunk);
                }
                None => joined.extend_from_slice(&chunk),
            }
        }
        Ok(first.unwrap_or_else(|| joined.into()))
    }
}

impl Request {
    /// Whether the request can be sent again: a file streamed from a reader is sent once.
    fn replayable(&self) -> bool {
        match &self.body {
            Body::Multipart(parts) => !parts
                .iter()
                .any(|(_, part)| matches!(part, FormPart::File(f) if matches!(f.source(), Source::Reader(_)))),
            _ => true,
        }
    }
}

/// The headers of a request, each name once: the client's (`User-Agent` unless the HTTP client
/// sends it, its default headers), then those the operation declares, then the call's own; a
/// later one replaces an earlier one of the same name, so a header given for the call wins over
/// the client's.
fn headers(client: &Client, declared: &Fields, options: &CallOptions) -> Result<Vec<(String, String)>, Error> {
    // Where the HTTP client sends the `User-Agent` itself, a header of the same name set for
    // the client or the call still replaces it.
    let mut out: Vec<(String, String)> =
        if client.http_sets_defaults() { Vec::new() } else { vec![("User-Agent".to_owned(), USER_AGENT.to_owned())] };
    let mut set = |name: &str, values: Vec<String>| {
        out.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        out.extend(values.into_iter().map(|v| (name.to_owned(), v)));
    };
    for (name, value) in client.headers() {
        set(name, vec![value.clone()]);
    }
    // A header the operation declares may repeat (a list); its values replace the client's.
    let mut names: Vec<&str> = Vec::new();
    let texts = declared.texts()?;
    for (name, _) in &texts {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name);
        }
    }
    for name in names {
        let values = texts.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| (*v).to_owned()).collect();
        set(name, values);
    }
    for (name, value) in &options.headers {
        set(name, vec![value.clone()]);
    }
    Ok(out)
}

/// The multipart form of a body: text parts as they are, files with their name and content
/// type, read from memory, streamed from disk or from a reader.
async fn multipart(parts: &[(Name, FormPart)]) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for (name, part) in parts {
        let name = name.clone();
        form = match part {
            // As `Form::text` sends it (no content type, its length known), without a copy.
            FormPart::Text(text) => form.part(name, reqwest::multipart::Part::stream(text.clone())),
            FormPart::File(file) => {
                let content = match file.source() {
                    Source::Bytes(bytes) => {
                        let length = bytes.len() as u64;
                        reqwest::multipart::Part::stream_with_length(reqwest::Body::from(bytes.clone()), length)
                    }
                    Source::Path(path) => {
                        let opened = tokio::fs::File::open(path).await;
                        let file_error =
                            |e: std::io::Error| Error::InvalidRequest(format!("cannot read `{}`: {e}", path.display()));
                        let opened = opened.map_err(file_error)?;
                        let length = opened.metadata().await.map_err(file_error)?.len();
                        reqwest::multipart::Part::stream_with_length(reqwest::Body::from(opened), length)
                    }
                    Source::Reader(reader) => {
                        let reader = reader.lock().map(|mut r| r.take()).unwrap_or(None).ok_or_else(|| {
                            Error::InvalidRequest(format!(
                                "`{}` was read from a stream that is already sent",
                                file.name()
                            ))
                        })?;
                        let stream = tokio_util::io::ReaderStream::new(reader);
                        reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(stream))
                    }
                };
                let content_type = file.media_type();
                let content = content.file_name(file.name().to_owned()).mime_str(content_type).map_err(|e| {
                    Error::InvalidRequest(format!(
                        "`{}` has an invalid content type `{content_type}`: {e}",
                        file.name()
                    ))
                })?;
                form.part(name, content)
            }
        };
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::{Request, path_segment};
    use crate::client::{Auth, ClientBuilder, Credentials, Servers};

    /// The servers of an API without any, whose credentials go as `$auth` says.
    macro_rules! servers {
        ($auth:expr) => {{
            static SERVERS: Servers = Servers { named: &[], wrong_region: &[], auth: $auth, versioned_paths: false };
            &SERVERS
        }};
    }

    fn sent(servers: &'static Servers, request: Request) -> reqwest::Request {
        let credentials = Credentials { username: Some("user".to_owned()), key: "s3cret".to_owned() };
        let client = ClientBuilder::new(credentials, servers).base_url("https://api.example.com").build().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(client.build(&request)).unwrap()
    }

    fn call() -> Request {
        let mut request =
            Request::new(reqwest::Method::GET, "/things".to_owned(), "list_things", "listThings", "/things");
        request.query("limit", &10);
        request.cookie("theme", "dark");
        request
    }

    #[test]
    fn a_call_with_its_own_server_goes_there_unless_the_client_is_pointed_elsewhere() {
        static SERVERS: Servers = Servers {
            named: &[("Server1", "https://api.example.com")],
            wrong_region: &[],
            auth: Auth::None,
            versioned_paths: false,
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let url = |base: &str, request: Request| {
            let client = ClientBuilder::new(Credentials::default(), &SERVERS).base_url(base).build().unwrap();
            runtime.block_on(client.build(&request)).unwrap().url().to_string()
        };
        let upload = || call().servers(&["https://uploads.example.com/"]);
        assert_eq!(url("https://api.example.com", upload()), "https://uploads.example.com/things?limit=10");
        assert_eq!(url("https://api.example.com", call()), "https://api.example.com/things?limit=10");
        assert_eq!(url("http://127.0.0.1:9", upload()), "http://127.0.0.1:9/things?limit=10", "a test double");
    }

    #[test]
    fn credentials_go_where_the_scheme_says_and_not_on_anonymous_calls() {
        let header = |request: &reqwest::Request, name: &str| {
            request.headers().get(name).map(|value| value.to_str().unwrap().to_owned())
        };
        let fixed = sent(servers!(Auth::Basic { username: Some("api") }), call());
        assert_eq!(header(&fixed, "authorization").as_deref(), Some("Basic YXBpOnMzY3JldA=="), "api:s3cret");
        let own = sent(servers!(Auth::Basic { username: None }), call());
        assert_eq!(header(&own, "authorization").as_deref(), Some("Basic dXNlcjpzM2NyZXQ="), "user:s3cret");
        let bearer = sent(servers!(Auth::Bearer), call());
        assert_eq!(header(&bearer, "authorization").as_deref(), Some("Bearer s3cret"));
        let in_header = sent(servers!(Auth::Header("X-Api-Key")), call());
        assert_eq!(header(&in_header, "x-api-key").as_deref(), Some("s3cret"));
        assert!(in_header.headers()["x-api-key"].is_sensitive());
        let in_query = sent(servers!(Auth::Query("api_key")), call());
        assert_eq!(in_query.url().query(), Some("limit=10&api_key=s3cret"));
        let in_cookie = sent(servers!(Auth::Cookie("session")), call());
        assert_eq!(header(&in_cookie, "cookie").as_deref(), Some("theme=dark; session=s3cret"));
        for request in [sent(servers!(Auth::None), call()), sent(servers!(Auth::Bearer), call().anonymous())] {
            assert_eq!(header(&request, "authorization"), None);
            assert_eq!(request.url().query(), Some("limit=10"));
            assert_eq!(header(&request, "cookie").as_deref(), Some("theme=dark"));
        }
        let anonymous = sent(servers!(Auth::Query("api_key")), call().anonymous());
        assert_eq!(anonymous.url().query(), Some("limit=10"));
        for request in [&fixed, &bearer] {
            assert!(request.headers()["authorization"].is_sensitive());
        }
        // Every call carries the header made once: a second call sends the same.
        let client = ClientBuilder::new(Credentials { username: None, key: "k".to_owned() }, servers!(Auth::Bearer))
            .base_url("https://api.example.com")
            .build()
            .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        for _ in 0..2 {
            let request = runtime.block_on(client.build(&call())).unwrap();
            assert_eq!(header(&request, "authorization").as_deref(), Some("Bearer k"));
        }
    }

    #[test]
    fn a_key_that_cannot_be_sent_in_its_header_fails_the_client_not_each_call() {
        let build = |servers: &'static Servers, key: &str| {
            let credentials = Credentials { username: None, key: key.to_owned() };
            ClientBuilder::new(credentials, servers).base_url("https://api.example.com").build()
        };
        for servers in [servers!(Auth::Bearer), servers!(Auth::Header("X-Api-Key"))] {
            let Err(crate::Error::InvalidRequest(problem)) = build(servers, "line\nbreak") else {
                panic!("a key with a line break makes a client");
            };
            assert!(problem.starts_with("the API key is not a valid value of the `"), "{problem}");
            assert!(!problem.contains("break"), "the key is not in the message: {problem}");
        }
        let Err(crate::Error::InvalidRequest(problem)) = build(servers!(Auth::Header("X Key")), "k") else {
            panic!("a header name with a space makes a client");
        };
        assert!(problem.contains("`X Key` is not a valid header name"), "{problem}");
        // HTTP Basic encodes whatever it is given.
        assert!(build(servers!(Auth::Basic { username: None }), "line\nbreak").is_ok());
        assert!(build(servers!(Auth::Query("key")), "line\nbreak").is_ok());
    }

    #[test]
    fn a_body_that_does_not_serialise_fails_the_request_when_it_is_finished() {
        use super::CallOptions;
        let mut request = call();
        // serde_json writes no map whose keys are not text.
        request.json(&std::collections::BTreeMap::from([(vec![1u8], 1u8)]));
        request.json(&std::collections::BTreeMap::from([(vec![2u8], 2u8)]));
        let Err(crate::Error::InvalidRequest(problem)) = request.finish(&CallOptions::default()) else {
            panic!("a body that does not serialise is sent");
        };
        assert!(problem.starts_with("the body of `list_things` cannot be serialised"), "{problem}");

        // A setter's problem was found first, so it is the one given.
        let mut options = CallOptions::default();
        options.json_value("when", std::collections::BTreeMap::from([(vec![3u8], 3u8)]));
        let mut request = call();
        request.json(&std::collections::BTreeMap::from([(vec![1u8], 1u8)]));
        let Err(crate::Error::InvalidRequest(problem)) = request.finish(&options) else {
            panic!("a setter's value that does not serialise is sent");
        };
        assert!(problem.starts_with("`when` cannot be serialised"), "{problem}");

        assert!(call().finish(&CallOptions::default()).is_ok());
    }

    #[test]
    fn path_segments_escape_plus_and_slash() {
        assert_eq!(path_segment("foo+bar@example.com"), "foo%2Bbar%40example.com");
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(path_segment(&42), "42");
        assert_eq!(path_segment(&vec![1, 2]), "1%2C2");
        assert_eq!(path_segment(&serde_json::json!("x")), "x");
    }
}
