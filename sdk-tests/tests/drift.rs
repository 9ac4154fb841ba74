//! Answers as Mailgun really sends them, which differ from its spec: one body per kind of
//! drift, for the calls users make most. Each must decode through the client's own path, and
//! keep every value that has a reading in the documented type.

use mailgun::Client;

/// A client whose every call is answered with `body` (status 200, JSON).
async fn answering(body: &'static str) -> Client {
    let (base, _server) =
        sdk_tests::serve_all(move |_| (200, "application/json".to_owned(), body.as_bytes().to_vec())).await;
    sdk_tests::client(&base)
}

fn unix(timestamp: &Option<mailgun::Timestamp>) -> Option<i64> {
    timestamp.as_ref()?.to_offset_date_time().map(|t| t.unix_timestamp())
}

#[tokio::test]
async fn required_fields_that_are_absent() {
    // A v4 domain with only its name: the spec requires a dozen more fields.
    let client = answering(r#"{"domain":{"name":"example.com"}}"#).await;
    let answer = client.get_domain("example.com").send().await.unwrap();
    let domain = answer.domain.unwrap();
    assert_eq!(domain.name.as_deref(), Some("example.com"));
    assert!(domain.state.is_none() && answer.sending_dns_records.is_empty());

    // A bounce with only its address: the type is also sent (imports), so its fields are not
    // `Option`s; an answer without them still reads, with empty values.
    let client = answering(r#"{"items":[{"address":"a@example.com"}],"paging":{}}"#).await;
    let bounces = client.list_bounces("example.com").send().await.unwrap();
    assert_eq!(bounces.items[0].address, "a@example.com");

    // PUT and DELETE answers that are only a message, where a richer body is documented.
    let client = answering(r#"{"message":"Domain tracking settings have been updated"}"#).await;
    let answer = client.update_domain_tracking_click("example.com").send().await.unwrap();
    assert_eq!(answer.message.as_deref(), Some("Domain tracking settings have been updated"));
    let client = answering(r#"{"message":"Domain will be deleted in the background"}"#).await;
    assert!(client.delete_domain("example.com").send().await.unwrap().message.is_some());

    // A DKIM key without its DNS record; an address validation without most of its fields.
    let client = answering(r#"{"items":[{"signing_domain":"example.com","selector":"s1"}],"paging":{}}"#).await;
    let keys = client.list_dkim_keys("", 10).send().await.unwrap();
    assert_eq!(keys.items[0].as_ref().and_then(|k| k.selector.as_deref()), Some("s1"));
    let client = answering(r#"{"address":"a@example.com","result":"deliverable"}"#).await;
    let validation = client.validate_address("a@example.com").send().await.unwrap();
    assert_eq!(validation.result.as_deref(), Some("deliverable"));
    assert!(validation.reason.is_empty());
}

#[tokio::test]
async fn null_where_a_list_a_boolean_or_a_text_is_documented() {
    let client = answering(r#"{"items":null,"paging":null}"#).await;
    assert!(client.list_bounces("example.com").send().await.unwrap().items.is_empty());
    let client = answering(
        r#"{"items":[{"id":"e1","event":"delivered","tags":null,"ip":null,"flags":{"is-routed":null}}],"paging":{"next":null}}"#,
    )
    .await;
    let events = client.list_events("example.com").send().await.unwrap();
    assert_eq!(events.items[0].id.as_deref(), Some("e1"));
    assert!(events.items[0].tags.is_empty() && events.items[0].ip.is_none());
}

#[tokio::test]
async fn scalars_in_another_spelling() {
    // `"yes"` for a boolean; `""` for an object.
    let client = answering(r#"{"tracking":{"click":{"active":"yes"},"open":{"active":false},"unsubscribe":""}}"#).await;
    let tracking = client.get_domain_tracking("example.com").send().await.unwrap().tracking.unwrap();
    assert_eq!(tracking.click.and_then(|c| c.active), Some(true));
    assert_eq!(tracking.open.and_then(|o| o.active), Some(false));
    assert!(tracking.unsubscribe.is_none());

    // `550` for a text; `0.05`-style and `"42"` numbers for integers; `[]` for an object.
    let client = answering(
        r#"{"items":[{"address":"a@example.com","code":550,"error":"No such user","created_at":"Thu, 13 Oct 2011 18:02:00 UTC"}],"paging":[]}"#,
    )
    .await;
    let bounces = client.list_bounces("example.com").send().await.unwrap();
    assert_eq!(bounces.items[0].code, "550");
    assert!(bounces.paging.is_none());
    let client = answering(r#"{"address":"a@example.com","last_seen":"42","engagement":[]}"#).await;
    let validation = client.validate_address("a@example.com").send().await.unwrap();
    assert_eq!(validation.last_seen, Some(42));
    assert!(validation.engagement.is_none());
}

#[tokio::test]
async fn times_in_rfc_2822_rfc_3339_and_unix_seconds() {
    let client = answering(
        r#"{"items":[
            {"id":"a","timestamp":1521472262.908181},
            {"id":"b","timestamp":"Wed, 19 Nov 2014 18:32:57 GMT"},
            {"id":"c","timestamp":"2014-11-19T18:32:57Z"},
            {"id":"d","timestamp":1416422377}
        ],"paging":{}}"#,
    )
    .await;
    let events = client.list_events("example.com").send().await.unwrap();
    let times: Vec<Option<i64>> = events.items.iter().map(|e| unix(&e.timestamp)).collect();
    assert_eq!(times, [Some(1521472262), Some(1416421977), Some(1416421977), Some(1416422377)]);
}

#[tokio::test]
async fn enum_values_this_version_does_not_know() {
    let client = answering(r#"{"items":[{"id":"e1","event":"accepted-later","log-level":"debug"}],"paging":{}}"#).await;
    let events = client.list_events("example.com").send().await.unwrap();
    let event = events.items[0].event.as_ref().unwrap();
    assert_eq!(event.as_str(), "accepted-later");
}

#[tokio::test]
async fn ip_answers_are_the_objects_their_examples_show() {
    let client = answering(
        r#"{"items":["192.161.0.1"],"details":[{"ip":"192.161.0.1","is_on_warmup":false}],"assignable_to_pools":[],"total_count":1}"#,
    )
    .await;
    let ips = client.list_ips().send().await.unwrap();
    assert_eq!(ips.items, ["192.161.0.1"]);
    assert_eq!(ips.details[0].ip.as_deref(), Some("192.161.0.1"));
    assert_eq!(ips.total_count, Some(1));
}
