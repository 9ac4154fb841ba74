//! Parameters as Mailgun expects them: repeated keys, joined lists, JSON text, files in
//! imports, and the headers every request carries or a call adds.

use mailgun::types::{CreateListMembersJsonMembers, ListMemberRequest, StatsEvent, WebhookEventType};
use sdk_tests::{client, serve_once, Recorded};
use std::time::Duration;

const JSON: &str = "application/json";

fn body_text(request: &Recorded) -> String {
    String::from_utf8(request.body.clone()).unwrap()
}

#[tokio::test]
#[allow(deprecated)] // The v3 stats calls are deprecated in the API, and still served.
async fn documented_repeatable_query_values_are_repeated_keys() {
    let (base, server) = serve_once(200, JSON, "{}").await;
    let _ = client(&base)
        .get_stats_total([StatsEvent::Accepted, StatsEvent::Delivered])
        .duration("1m")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(server.await.unwrap().target, "/v3/stats/total?duration=1m&event=accepted&event=delivered");

    let (base, server) = serve_once(200, JSON, "{}").await;
    let _ = client(&base).list_dynamic_pools_domains().account(["acc-1", "acc-2"]).pool(["p"]).send_raw().await;
    assert_eq!(server.await.unwrap().target, "/v1/dynamic_pools/domains?account=acc-1&account=acc-2&pool=p");
}

#[tokio::test]
async fn comma_separated_lists_are_joined_and_encoded() {
    let (base, server) = serve_once(200, JSON, "{}").await;
    let _ = client(&base)
        .delete_domain_webhooks("example.com", ["https://a.example/h?x=1", "https://b.example/h"])
        .send_raw()
        .await
        .unwrap();
    assert_eq!(
        server.await.unwrap().target,
        "/v4/domains/example.com/webhooks?url=https%3A%2F%2Fa.example%2Fh%3Fx%3D1%2Chttps%3A%2F%2Fb.example%2Fh"
    );
}

#[tokio::test]
async fn webhook_event_types_and_urls_are_repeated_fields() {
    let (base, server) = serve_once(200, JSON, "{}").await;
    let _ = client(&base)
        .create_domain_webhook("example.com", "https://hooks.example/mg", [WebhookEventType::Delivered])
        .event_type("opened")
        .send_raw()
        .await
        .unwrap();
    let request = server.await.unwrap();
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(body_text(&request), "url=https%3A%2F%2Fhooks.example%2Fmg&event_types=delivered&event_types=opened");

    let (base, server) = serve_once(200, JSON, "{}").await;
    let _ = client(&base)
        .create_domain_webhook_v3("example.com", "delivered", ["https://a.example/1", "https://b.example/2"])
        .send_raw()
        .await
        .unwrap();
    let parts: Vec<(String, String)> =
        server.await.unwrap().multipart().iter().map(|p| (p.name.clone(), p.text())).collect();
    let expected = [("id", "delivered"), ("url", "https://a.example/1"), ("url", "https://b.example/2")];
    assert_eq!(parts, expected.map(|(n, v)| (n.to_owned(), v.to_owned())));
}

/// The members of the JSON upload go in the form body (up to 1,000 would break URL length
/// limits in the query), as one JSON text, as Mailgun's own SDKs send them.
#[tokio::test]
async fn json_form_values_are_one_json_text() {
    let (base, server) = serve_once(200, JSON, "{}").await;
    // A union argument takes the value of any of its variants.
    let members = vec!["a+1@example.org".to_owned(), "b@example.org".to_owned()];
    let _ = client(&base).create_list_members_json("devs@example.com", members).upsert(true).send_raw().await;
    let request = server.await.unwrap();
    assert_eq!(request.target, "/v3/lists/devs%40example.com/members.json");
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(body_text(&request), "members=%5B%22a%2B1%40example.org%22%2C%22b%40example.org%22%5D&upsert=true");

    let (base, server) = serve_once(200, JSON, "{}").await;
    let mut member = ListMemberRequest::default();
    member.address = Some("c@example.org".into());
    member.vars = Some(serde_json::json!({"age": 3}));
    let members = CreateListMembersJsonMembers::ListMemberRequestList(vec![member]);
    let _ = client(&base).create_list_members_json("devs@example.com", members).send_raw().await;
    let body = body_text(&server.await.unwrap());
    assert_eq!(body, "members=%5B%7B%22address%22%3A%22c%40example.org%22%2C%22vars%22%3A%7B%22age%22%3A3%7D%7D%5D");
}

/// The spec declares a `Content-Type` header on the imports; the encoder sets it (with the
/// multipart boundary), and the CSV goes as a file part even though the spec forgot
/// `format: binary`.
#[tokio::test]
async fn csv_imports_are_file_parts_with_the_encoders_content_type() {
    let (base, server) = serve_once(200, JSON, r#"{"message":"file uploaded successfully"}"#).await;
    let csv = "address,code\na@example.org,550\n";
    client(&base).import_bounces("example.com", mailgun::File::from_bytes("bounces.csv", csv)).send().await.unwrap();
    let request = server.await.unwrap();
    let content_types: Vec<&str> =
        request.headers.iter().filter(|(n, _)| n == "content-type").map(|(_, v)| v.as_str()).collect();
    assert_eq!(content_types.len(), 1);
    assert!(content_types[0].starts_with("multipart/form-data; boundary="));
    let parts = request.multipart();
    assert_eq!((parts[0].name.as_str(), parts[0].filename.as_deref()), ("file", Some("bounces.csv")));
    assert_eq!(parts[0].content_type.as_deref(), Some("text/csv"));
    assert_eq!(parts[0].data, csv.as_bytes());
}

/// A header the client sets and the operation also declares is sent once: the call's value
/// wins over the client's, and a per-call `on_behalf_of` over both.
#[tokio::test]
async fn on_behalf_of_is_sent_once_and_the_call_wins() {
    let (base, server) = serve_once(200, JSON, "{}").await;
    let scoped = client(&base).on_behalf_of("client-wide");
    let _ = scoped.delete_accounts_subaccounts("declared").send_raw().await.unwrap();
    let request = server.await.unwrap();
    let sent: Vec<&str> =
        request.headers.iter().filter(|(n, _)| n == "x-mailgun-on-behalf-of").map(|(_, v)| v.as_str()).collect();
    assert_eq!(sent, ["declared"]);

    let (base, server) = serve_once(200, JSON, "{}").await;
    let scoped = client(&base).on_behalf_of("client-wide");
    let _ = scoped.delete_accounts_subaccounts("declared").on_behalf_of("per-call").send_raw().await.unwrap();
    let request = server.await.unwrap();
    let sent: Vec<&str> =
        request.headers.iter().filter(|(n, _)| n == "x-mailgun-on-behalf-of").map(|(_, v)| v.as_str()).collect();
    assert_eq!(sent, ["per-call"]);

    let (base, server) = serve_once(200, JSON, r#"{"items":[],"paging":{}}"#).await;
    let _ = client(&base).list_bounces("example.com").on_behalf_of("sub-9").send_raw().await.unwrap();
    assert_eq!(server.await.unwrap().header("x-mailgun-on-behalf-of"), Some("sub-9"));
}

#[tokio::test]
async fn the_user_agent_is_sent_with_a_custom_http_client_too() {
    let expected = format!("mailgun-rust/{}", mailgun::spec::CRATE_VERSION);
    for custom in [false, true] {
        let (base, server) = serve_once(200, JSON, "{}").await;
        let mut builder = mailgun::Client::builder("key-test").base_url(&base);
        if custom {
            builder = builder.http_client(reqwest::Client::new());
        }
        let _ = builder.build().unwrap().list_bounces("example.com").send_raw().await.unwrap();
        let request = server.await.unwrap();
        assert_eq!(request.header("user-agent"), Some(expected.as_str()), "custom client: {custom}");
        assert_eq!(request.header("authorization"), Some("Basic YXBpOmtleS10ZXN0"));
    }
}

#[tokio::test]
async fn a_call_can_add_headers_and_query_values_and_read_the_raw_answer() {
    let (base, server) = serve_once(418, "text/plain", "short and stout").await;
    let raw = client(&base)
        .list_bounces("example.com")
        .limit(5)
        .extra_query("x-beta", "1")
        .extra_header("X-Trace", "abc")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status.as_u16(), 418);
    assert_eq!(raw.body, b"short and stout");
    let request = server.await.unwrap();
    assert_eq!(request.target, "/v3/example.com/bounces?limit=5&x-beta=1");
    assert_eq!(request.header("x-trace"), Some("abc"));
}

#[tokio::test]
async fn a_call_timeout_overrides_the_clients() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Accepts the connection and never answers.
    let silent = tokio::spawn(async move {
        let (_stream, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let error = client(&base)
        .list_bounces("example.com")
        .timeout(Duration::from_millis(200))
        .retry_policy(mailgun::RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    silent.abort();
    assert!(matches!(error, mailgun::Error::Timeout { operation: "list_bounces", .. }), "{error:?}");
}
