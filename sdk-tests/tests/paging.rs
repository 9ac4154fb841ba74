//! Lists followed across pages: by Mailgun's next-page links (query and path cursors, absolute
//! and relative), and by offset; the ends of a list; links that must not be followed.

use mailgun::{Error, RetryPolicy};
use sdk_tests::Recorded;
use std::sync::{Arc, Mutex};

/// A server answering `answer(target)` with a JSON body, recording every request.
async fn server(answer: impl Fn(&str) -> String + Send + Sync + 'static) -> (String, Arc<Mutex<Vec<Recorded>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let (base, _server) = sdk_tests::serve_all(move |request| {
        let body = answer(&request.target);
        log.lock().unwrap().push(Recorded {
            method: request.method.clone(),
            target: request.target.clone(),
            headers: request.headers.clone(),
            body: request.body.clone(),
        });
        (200, "application/json".to_owned(), body.into_bytes())
    })
    .await;
    (base, seen)
}

fn targets(seen: &Mutex<Vec<Recorded>>) -> Vec<String> {
    seen.lock().unwrap().iter().map(|r| r.target.clone()).collect()
}

fn bounces(addresses: &[&str], next: &str) -> String {
    let items: Vec<String> = addresses
        .iter()
        .map(|a| format!(r#"{{"address":"{a}","code":"550","error":"","created_at":"Thu, 13 Oct 2011 18:02:00 UTC"}}"#))
        .collect();
    format!(r#"{{"items":[{}],"paging":{{"next":"{next}","previous":"p","first":"f","last":"l"}}}}"#, items.join(","))
}

#[tokio::test]
async fn items_follow_the_next_links_to_the_first_empty_page() {
    let (base, seen) = server(|target| match target {
        "/v3/example.com/bounces?limit=2" => bounces(
            &["a@x.com", "b@x.com"],
            "https://api.mailgun.net/v3/example.com/bounces?page=next&address=b%40x.com&limit=2",
        ),
        "/v3/example.com/bounces?page=next&address=b%40x.com&limit=2" => {
            bounces(&["c@x.com"], "https://api.mailgun.net/v3/example.com/bounces?page=next&address=c%40x.com&limit=2")
        }
        // Mailgun links a next page from the last one too; it is empty.
        _ => bounces(&[], "https://api.mailgun.net/v3/example.com/bounces?page=next&address=c%40x.com&limit=2&x=1"),
    })
    .await;
    let client = sdk_tests::client(&base).on_behalf_of("sub-1");
    let addresses: Vec<String> = client
        .list_bounces("example.com")
        .limit(2)
        .items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|b| b.address)
        .collect();
    assert_eq!(addresses, ["a@x.com", "b@x.com", "c@x.com"]);
    assert_eq!(targets(&seen).len(), 3, "stops at the empty page: {:?}", targets(&seen));
    for request in seen.lock().unwrap().iter() {
        assert_eq!(request.header("x-mailgun-on-behalf-of"), Some("sub-1"), "every page for the same subaccount");
        assert!(request.header("authorization").is_some_and(|a| a.starts_with("Basic ")));
    }
}

#[tokio::test]
#[allow(deprecated)] // The Events API pages by a cursor in the path; it is deprecated, not gone.
async fn pages_follow_cursors_in_the_path_and_relative_links() {
    let (base, seen) = server(|target| {
        let (items, next) = match target {
            "/v3/example.com/events" => {
                (r#"[{"id":"1"}]"#, "https://api.eu.mailgun.net/v3/example.com/events/W3siYSI6MX0=")
            }
            "/v3/example.com/events/W3siYSI6MX0=" => (r#"[{"id":"2"}]"#, "/v3/example.com/events/W3siYSI6Mn0="),
            _ => ("[]", "/v3/example.com/events/W3siYSI6M30="),
        };
        format!(r#"{{"items":{items},"paging":{{"next":"{next}"}}}}"#)
    })
    .await;
    let mut pages = sdk_tests::client(&base).list_events("example.com").pages();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        ids.extend(page.unwrap().items.into_iter().filter_map(|e| e.id));
    }
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(
        targets(&seen),
        ["/v3/example.com/events", "/v3/example.com/events/W3siYSI6MX0=", "/v3/example.com/events/W3siYSI6Mn0="]
    );
}

#[tokio::test]
async fn a_link_to_another_host_is_an_error_and_is_not_followed() {
    let (base, seen) =
        server(|_| bounces(&["a@x.com"], "https://collector.example/v3/example.com/bounces?page=next")).await;
    let mut items = sdk_tests::client(&base).list_bounces("example.com").items();
    assert_eq!(items.next().await.unwrap().unwrap().address.as_deref(), Some("a@x.com"));
    match items.next().await {
        Some(Err(Error::InvalidRequest(why))) => assert!(why.contains("collector.example"), "{why}"),
        other => panic!("expected the foreign link refused, got {other:?}"),
    }
    assert!(items.next().await.is_none(), "the stream ends after its error");
    assert_eq!(targets(&seen).len(), 1);
}

#[tokio::test]
async fn a_link_already_followed_ends_the_list_instead_of_looping() {
    let (base, seen) = server(|_| bounces(&["a@x.com"], "/v3/example.com/bounces?page=next&address=a%40x.com")).await;
    let pages = sdk_tests::client(&base).list_bounces("example.com").pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2, "the first page, and the linked one once");
    assert_eq!(targets(&seen).len(), 2);
}

#[tokio::test]
#[allow(deprecated)] // The Events API: see above.
async fn a_page_without_a_link_or_with_an_empty_one_is_the_last() {
    for paging in [r#""paging":{}"#, r#""paging":{"next":""}"#, r#""paging":null"#, r#""other":1"#] {
        let body = format!(r#"{{"items":[{{"id":"1"}}],{paging}}}"#);
        let (base, seen) = server(move |_| body.clone()).await;
        let items = sdk_tests::client(&base).list_events("example.com").items().try_collect().await.unwrap();
        assert_eq!(items.len(), 1, "{paging}");
        assert_eq!(targets(&seen).len(), 1, "{paging}");
    }
}

#[tokio::test]
async fn an_empty_first_page_is_one_call_and_no_items() {
    let (base, seen) = server(|_| bounces(&[], "/v3/example.com/bounces?page=next")).await;
    let client = sdk_tests::client(&base);
    let pages = client.list_bounces("example.com").pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 1, "the first page is given even when empty");
    assert!(client.list_bounces("example.com").items().try_collect().await.unwrap().is_empty());
    assert_eq!(targets(&seen).len(), 2);
}

/// A server holding `total` domains, answering `skip`/`limit` queries.
fn domains(target: &str, total: usize) -> String {
    let query = |name: &str| -> Option<usize> {
        let (_, query) = target.split_once('?')?;
        query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}="))?.parse().ok())
    };
    let skip = query("skip").unwrap_or(0);
    let limit = query("limit").unwrap_or(100);
    let items: Vec<String> = (skip..total.min(skip + limit)).map(|i| format!(r#"{{"name":"d{i}.com"}}"#)).collect();
    format!(r#"{{"total_count":{total},"items":[{}]}}"#, items.join(","))
}

#[tokio::test]
async fn offset_lists_advance_skip_by_each_pages_count() {
    let (base, seen) = server(|target| domains(target, 5)).await;
    let names: Vec<String> = sdk_tests::client(&base)
        .list_domains()
        .limit(2)
        .items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|d| d.name)
        .collect();
    assert_eq!(names, ["d0.com", "d1.com", "d2.com", "d3.com", "d4.com"]);
    assert_eq!(
        targets(&seen),
        [
            "/v4/domains?limit=2",
            "/v4/domains?limit=2&skip=2",
            "/v4/domains?limit=2&skip=4",
            "/v4/domains?limit=2&skip=5"
        ]
    );
}

#[tokio::test]
async fn an_offset_list_starts_at_the_requests_own_skip() {
    let (base, seen) = server(|target| domains(target, 5)).await;
    let items = sdk_tests::client(&base).list_domains().skip(3).items().try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(targets(&seen), ["/v4/domains?skip=3", "/v4/domains?skip=5"]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_pages_before_it() {
    let (base, _server) = sdk_tests::serve_all(|request| match request.target.as_str() {
        "/v3/example.com/bounces" => {
            (200, "application/json".into(), bounces(&["a@x.com"], "/v3/example.com/bounces?page=2").into_bytes())
        }
        _ => (500, "application/json".into(), br#"{"message":"boom"}"#.to_vec()),
    })
    .await;
    let client =
        mailgun::Client::builder("key-test").base_url(&base).retry_policy(RetryPolicy::none()).build().unwrap();
    let mut pages = client.list_bounces("example.com").pages();
    assert!(pages.next().await.unwrap().is_ok());
    assert!(matches!(pages.next().await, Some(Err(Error::Api(e))) if e.status == 500));
    assert!(pages.next().await.is_none());
}

/// The JSON body of a recorded request.
fn body_of(request: &Recorded) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or(serde_json::Value::Null)
}

#[tokio::test]
async fn a_token_the_answer_gives_is_sent_back_in_the_body() {
    let seen = Arc::new(Mutex::new(Vec::<serde_json::Value>::new()));
    let log = Arc::clone(&seen);
    let (base, _server) = sdk_tests::serve_all(move |request| {
        let body = body_of(request);
        log.lock().unwrap().push(body.clone());
        let answer = match body.pointer("/pagination/token").and_then(|t| t.as_str()) {
            None => r#"{"items":[{"id":"a"}],"pagination":{"next":"t1","total":2}}"#,
            Some("t1") => r#"{"items":[{"id":"b"}],"pagination":{"next":"t2","total":2}}"#,
            Some(_) => r#"{"items":[],"pagination":{"next":"t3","total":2}}"#,
        };
        (200, "application/json".to_owned(), answer.as_bytes().to_vec())
    })
    .await;
    let events = sdk_tests::client(&base).create_analytics_logs().items().try_collect().await.unwrap();
    let ids: Vec<String> = events.into_iter().filter_map(|e| e.id).collect();
    assert_eq!(ids, ["a", "b"]);
    let tokens: Vec<Option<String>> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|b| b.pointer("/pagination/token").and_then(|t| t.as_str()).map(str::to_owned))
        .collect();
    assert_eq!(tokens, [None, Some("t1".to_owned()), Some("t2".to_owned())]);
}

#[tokio::test]
async fn an_offset_in_the_body_advances_and_keeps_the_rest_of_the_body() {
    let seen = Arc::new(Mutex::new(Vec::<serde_json::Value>::new()));
    let log = Arc::clone(&seen);
    let (base, _server) = sdk_tests::serve_all(move |request| {
        let body = body_of(request);
        log.lock().unwrap().push(body.clone());
        let skip = body.pointer("/pagination/skip").and_then(|s| s.as_u64()).unwrap_or(0);
        let limit = body.pointer("/pagination/limit").and_then(|s| s.as_u64()).unwrap_or(10);
        let items: Vec<String> = (skip..5.min(skip + limit)).map(|i| format!(r#"{{"tag":"t{i}"}}"#)).collect();
        let answer = format!(r#"{{"items":[{}],"pagination":{{"skip":{skip},"total":5}}}}"#, items.join(","));
        (200, "application/json".to_owned(), answer.into_bytes())
    })
    .await;
    let mut start = mailgun::types::TagsNewPagination::default();
    start.skip = Some(1);
    start.limit = Some(2);
    let tags = sdk_tests::client(&base)
        .create_analytics_tags()
        .pagination(start)
        .include_metrics(true)
        .items()
        .try_collect()
        .await
        .unwrap();
    let tags: Vec<String> = tags.into_iter().filter_map(|t| t.tag).collect();
    assert_eq!(tags, ["t1", "t2", "t3", "t4"]);
    let bodies = seen.lock().unwrap().clone();
    let skips: Vec<u64> = bodies.iter().filter_map(|b| b.pointer("/pagination/skip")?.as_u64()).collect();
    assert_eq!(skips, [1, 3, 5]);
    assert!(bodies.iter().all(|b| b["include_metrics"] == true && b["pagination"]["limit"] == 2), "{bodies:?}");
}
