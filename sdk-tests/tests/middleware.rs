//! Behaviour a user adds around every request (`ClientBuilder::middleware`, cargo feature
//! `middleware`), written as users of reqwest-middleware write it: a header on every request,
//! and a counter of requests. Middleware run inside the client's retries: they see every try.
//! The answers come from the test double (`mailgun::mock`).

use async_trait::async_trait;
use mailgun::apis::bounces::ListBounces;
use mailgun::mock::MockServer;
use mailgun::types::GetBouncesPaginationResponse;
use mailgun::{Error, RetryPolicy};
use reqwest_middleware::{Middleware, Next};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Adds a header to every request.
struct Header(&'static str, &'static str);

#[async_trait]
impl Middleware for Header {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        request.headers_mut().insert(self.0, reqwest::header::HeaderValue::from_static(self.1));
        next.run(request, extensions).await
    }
}

/// Counts the requests that go out, and the server errors that come back; the counts are
/// shared with the test, which keeps a clone.
#[derive(Clone, Default)]
struct Counter {
    sent: Arc<AtomicUsize>,
    server_errors: Arc<AtomicUsize>,
}

#[async_trait]
impl Middleware for Counter {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let answer = next.run(request, extensions).await?;
        if answer.status().is_server_error() {
            self.server_errors.fetch_add(1, Ordering::SeqCst);
        }
        Ok(answer)
    }
}

/// Refuses every request, as a middleware that cannot get a token would.
struct Refuse;

#[async_trait]
impl Middleware for Refuse {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut http::Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(std::io::Error::other("no token for this tenant")))
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy::default().initial_delay(Duration::from_millis(5))
}

#[tokio::test]
async fn a_header_added_by_a_middleware_is_on_every_request() {
    let server = MockServer::start().await;
    let client = server.client_builder().middleware(Header("x-tenant", "blue")).build().unwrap();
    client.list_bounces("example.com").send().await.unwrap();
    let requests = server.requests();
    let header = |name: &str| requests[0].headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert_eq!(header("x-tenant"), Some("blue"));
    // What the client sets is still there.
    assert_eq!(header("authorization"), Some("Basic YXBpOmtleS10ZXN0"));
    assert!(header("user-agent").is_some_and(|ua| ua.starts_with("mailgun-rust/")));
}

#[tokio::test]
async fn a_counting_middleware_sees_every_try() {
    let server = MockServer::start().await;
    server.on::<ListBounces>().answer(GetBouncesPaginationResponse::default());
    server.on::<ListBounces>().times(2).raw(503, "application/json", r#"{"message":"busy"}"#);
    let counter = Counter::default();
    let client = server
        .client_builder()
        .retry_policy(quick())
        .middleware(Header("x-tenant", "blue"))
        .middleware(counter.clone())
        .build()
        .unwrap();
    client.list_bounces("example.com").send().await.unwrap();
    assert_eq!(counter.sent.load(Ordering::SeqCst), 3, "two retries and the answer, each through the middleware");
    assert_eq!(counter.server_errors.load(Ordering::SeqCst), 2);
    assert_eq!(server.received::<ListBounces>().len(), 3);
}

#[tokio::test]
async fn a_middlewares_own_error_fails_the_call_naming_it_without_a_retry() {
    let counter = Counter::default();
    let client = mailgun::Client::builder("key-test")
        .base_url("http://127.0.0.1:9")
        .retry_policy(quick())
        .middleware(counter.clone())
        .middleware(Refuse)
        .build()
        .unwrap();
    let error = client.list_bounces("example.com").send().await.unwrap_err();
    assert!(matches!(&error, Error::Middleware { operation: "list_bounces", .. }), "{error:?}");
    assert!(error.to_string().contains("no token for this tenant"), "{error}");
    assert_eq!(counter.sent.load(Ordering::SeqCst), 1, "not tried again");
}
