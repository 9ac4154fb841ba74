//! What the generated client puts on the wire, byte for byte where it matters, and how it reads
//! answers. Each test runs one real HTTP exchange with a server on 127.0.0.1.

use mailgun::types::{Bounce, Kind, SendMessageBodyTracking};
use mailgun::Error;
use sdk_tests::{client, serve_once};

const JSON: &str = "application/json";

#[tokio::test]
async fn json_bodies_are_sent_as_json() {
    let (base, server) = serve_once(200, JSON, r#"{"message":"2 addresses have been added"}"#).await;
    let bounce = Bounce::new("a+b@example.org", "550", "No such user", "Thu, 13 Oct 2011 18:02:00 UTC");
    let answer = client(&base).create_bounces("example.com", vec![bounce]).send().await.unwrap();
    assert_eq!(answer.message.as_deref(), Some("2 addresses have been added"));
    let request = server.await.unwrap();
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body[0]["address"], "a+b@example.org");
    assert_eq!(body[0]["created_at"], "Thu, 13 Oct 2011 18:02:00 UTC");
}

#[tokio::test]
async fn form_bodies_are_url_encoded_with_repeated_keys() {
    let (base, server) = serve_once(200, JSON, r#"{"message":"Route has been created"}"#).await;
    client(&base)
        .create_route("match_recipient(\".*@example.com\")")
        .priority(1)
        .action("forward(\"a@x.org\")")
        .action("stop()")
        .send()
        .await
        .unwrap();
    let request = server.await.unwrap();
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "priority=1&expression=match_recipient%28%22.*%40example.com%22%29&action=forward%28%22a%40x.org%22%29&action=stop%28%29"
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_and_query_parameters_sent() {
    let (base, server) =
        serve_once(200, JSON, r#"{"items":[],"paging":{"first":"","last":"","next":"","previous":""}}"#).await;
    let _ = client(&base).get_bounce("example.com", "foo+bar@example.org").send().await;
    assert_eq!(server.await.unwrap().target, "/v3/example.com/bounces/foo%2Bbar%40example.org");

    let (base, server) =
        serve_once(200, JSON, r#"{"items":[],"paging":{"first":"","last":"","next":"","previous":""}}"#).await;
    let _ = client(&base).list_bounces("example.com").limit(10).term("a b").send().await;
    assert_eq!(server.await.unwrap().target, "/v3/example.com/bounces?limit=10&term=a+b");
}

#[tokio::test]
async fn api_errors_keep_status_message_and_body() {
    let (base, server) = serve_once(404, JSON, r#"{"message":"Address not found in bounces table"}"#).await;
    let error = client(&base).get_bounce("example.com", "x@example.org").send().await.unwrap_err();
    server.await.unwrap();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let Error::Api(api) = error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.message.as_deref(), Some("Address not found in bounces table"));
    assert!(api.body.contains("bounces table"));
    assert_eq!(api.headers.get("content-type").unwrap(), JSON);
}

#[tokio::test]
async fn plain_text_errors_are_read_too() {
    let (base, server) = serve_once(401, "text/plain", "Forbidden").await;
    let error = client(&base).get_bounce("example.com", "x@example.org").send().await.unwrap_err();
    server.await.unwrap();
    assert_eq!(error.to_string(), "`get_bounce`: the API answered 401 Unauthorized: Forbidden");
}

/// Answers are read tolerantly (a missing field is `None`), but a body of another shape
/// altogether is a decode error that says where, with the status and the body.
#[tokio::test]
async fn a_body_of_another_shape_is_a_decode_error_with_path_status_and_body() {
    let (base, server) = serve_once(200, JSON, r#"{"items":{"address":"x"},"paging":7}"#).await;
    let page = client(&base).list_bounces("example.com").send().await.unwrap();
    server.await.unwrap();
    // A lone object where a list belongs is a list of one; a number is no paging object.
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].address.as_deref(), Some("x"));
    assert!(page.paging.is_none(), "{page:?}");

    let (base, server) = serve_once(200, JSON, r#"["not", "an", "object"]"#).await;
    let error = client(&base).get_bounce("example.com", "x@example.org").send().await.unwrap_err();
    server.await.unwrap();
    let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!((decode.operation, decode.operation_id), ("get_bounce", "GET-v3--domainID--bounces--address-"));
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.path, ".");
    assert_eq!(decode.body, r#"["not", "an", "object"]"#);
}

#[tokio::test]
async fn subaccount_scope_adds_the_on_behalf_of_header() {
    let (base, server) =
        serve_once(200, JSON, r#"{"items":[],"paging":{"first":"","last":"","next":"","previous":""}}"#).await;
    let _ = client(&base).on_behalf_of("sub-1").list_bounces("example.com").send().await;
    assert_eq!(server.await.unwrap().header("x-mailgun-on-behalf-of"), Some("sub-1"));
}

#[test]
fn the_api_key_is_never_printed() {
    let client = mailgun::Client::new("key-secret-123");
    assert!(!format!("{client:?}").contains("secret"));
}

#[test]
fn base_urls_are_checked() {
    assert!(mailgun::Client::builder("k").base_url("api.mailgun.net").build().is_err());
    assert!(mailgun::Client::builder("k").base_url("https://api.mailgun.net/v3").build().is_err());
    let eu = mailgun::Client::builder("k").region(mailgun::Region::Eu).build().unwrap();
    assert_eq!(eu.base_url(), "https://api.eu.mailgun.net");
}

#[test]
fn enums_accept_values_the_spec_does_not_list() {
    let known: Kind = serde_json::from_str(r#""user""#).unwrap();
    assert_eq!(known, Kind::User);
    let new: Kind = serde_json::from_str(r#""robot""#).unwrap();
    assert_eq!(new.as_str(), "robot");
    assert_eq!(serde_json::to_string(&new).unwrap(), r#""robot""#);
    assert!(matches!(new, Kind::Unknown(ref value) if value.as_str() == "robot"));
}

/// An unknown value cannot be made by hand: reading a value the spec lists always gives its
/// variant, so two values that read the same compare equal.
#[test]
fn a_known_value_never_reads_as_unknown() {
    let read: SendMessageBodyTracking = "yes".parse().unwrap();
    assert_eq!(read, SendMessageBodyTracking::Yes);
    assert_eq!(SendMessageBodyTracking::from("htmlonly"), SendMessageBodyTracking::Htmlonly);
}
