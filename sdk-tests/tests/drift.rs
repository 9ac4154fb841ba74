//! Answers as Mailgun really sends them, which differ from its spec: the drift corpus
//! (`drift/answers.jsonl`, one answer per kind of drift). Every answer is read through the
//! client's own path and loses nothing; each kind is read as the corrected spec types it, or
//! kept where the user can reach it; a strict client fails on each kind, naming the place; and
//! a client says where answers drift in its log, once per place.

use mailgun::{Client, DriftKind, Error};
use sdk_tests::answers::{client, lost, read_recordings, serve_answers, Recording};
use sdk_tests::calls;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

const CORPUS: &str = include_str!("../drift/answers.jsonl");

/// The corpus's answers, by the `name` each line gives.
fn corpus() -> Vec<(String, Recording)> {
    let recordings = read_recordings(CORPUS).expect("the corpus reads");
    let names = CORPUS.lines().filter(|l| l.trim_start().starts_with('{')).map(|line| {
        let value: Value = serde_json::from_str(line).expect("JSON");
        value["name"].as_str().expect("every line has a name").to_owned()
    });
    names.zip(recordings).collect()
}

/// The corpus answer called `name`.
fn answer(name: &str) -> Recording {
    let found = corpus().into_iter().find(|(n, _)| n == name).map(|(_, r)| r);
    found.unwrap_or_else(|| panic!("no answer `{name}` in the corpus"))
}

/// A client whose every call is answered with `body` (status 200, JSON).
async fn answering(body: &Value) -> Client {
    let body = serde_json::to_vec(body).expect("JSON");
    let (base, _server) = sdk_tests::serve_all(move |_| (200, "application/json".to_owned(), body.clone())).await;
    sdk_tests::client(&base)
}

/// A client answering with the corpus answer `name`.
async fn answering_with(name: &str) -> Client {
    answering(&answer(name).body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_of_the_corpus_reads_and_loses_nothing() {
    let corpus = corpus();
    let answers = corpus.iter().map(|(_, r)| (r.status, serde_json::to_vec(&r.body).expect("JSON"))).collect();
    let (base, server) = serve_answers(Arc::new(answers)).await;
    let client = client(&base, false);
    let (mut failures, mut values_lost) = (Vec::new(), 0);
    for (index, (name, recording)) in corpus.iter().enumerate() {
        let call = calls::answer(&client, &recording.operation, &index.to_string(), Duration::from_secs(10));
        match call.expect("the corpus names operations of the spec").await {
            Ok(answered) => {
                let gone = lost(&recording.body, &answered.value);
                values_lost += gone.len();
                if !gone.is_empty() {
                    failures.push(format!("`{name}`: {}", gone.join(", ")));
                }
            }
            Err(error) => failures.push(format!("`{name}`: {error}")),
        }
    }
    server.abort();
    sdk_tests::summary(&format!(
        "drift corpus: {}/{} decoded, {values_lost} values not kept",
        corpus.len() - failures.len(),
        corpus.len()
    ));
    assert!(failures.is_empty(), "answers not read as they came:\n{}", failures.join("\n"));
}

#[tokio::test]
#[allow(deprecated)]
async fn members_the_spec_lacked_are_typed_now() {
    let client = answering_with("event as the Events API lists it").await;
    let page = client.list_events("example.com").send().await.unwrap();
    let event = &page.items[0];
    assert_eq!(event.recipient.as_deref(), Some("alice@example.com"));
    assert_eq!(event.message.as_ref().unwrap().recipients, ["alice@example.com"]);
    assert_eq!(event.primary_dkim.as_deref(), Some("smtp._domainkey.example.com"));
    assert_eq!(event.domain.as_ref().and_then(|d| d.name.as_deref()), Some("example.com"));
    let status = event.delivery_status.as_ref().unwrap();
    assert_eq!((status.mx_host.as_deref(), status.description.as_deref()), (Some("mx.example.com"), None));
    assert_eq!(event.flags.as_ref().unwrap().is_big, Some(false));
    assert_eq!(event.storage.as_ref().unwrap().env.as_deref(), Some("production"));
    assert!(event.undocumented().is_empty(), "{:?}", event.undocumented());
    assert_eq!(page.paging.as_ref().unwrap().first.as_deref(), Some("https://api.mailgun.net/v3/example.com/events/f"));

    let client = answering_with("address validation verdict").await;
    let verdict = client.validate_address("alice@example.com").send().await.unwrap();
    assert_eq!((verdict.is_valid, verdict.mailbox_verification.as_deref()), (Some(true), Some("true")));
    assert_eq!(verdict.parts.as_ref().unwrap().local_part.as_deref(), Some("alice"));
    assert_eq!(verdict.did_you_mean, None);

    let client = answering_with("bounce created, address echoed").await;
    let created = client.create_bounces("example.com", Vec::new()).send().await.unwrap();
    assert_eq!(created.address.as_deref(), Some("alice@example.com"));
    let client = answering_with("complaint created, address echoed").await;
    let created = client.create_complaints("example.com", Vec::new()).send().await.unwrap();
    assert_eq!(created.address.as_deref(), Some("alice@example.com"));

    let client = answering_with("list created with a message").await;
    let created = client.create_list("team@example.com").send().await.unwrap();
    assert_eq!(created.message.as_deref(), Some("Mailing list has been created"));

    let client = answering_with("domain webhooks under legacy names, one url each").await;
    let hooks = client.list_domain_webhooks("example.com").send().await.unwrap().webhooks.unwrap();
    assert_eq!(hooks.additional_properties["open"].url.as_deref(), Some("https://hooks.example.com/open"));
    assert_eq!(hooks.delivered.as_ref().unwrap().urls.len(), 2);
}

#[tokio::test]
async fn answers_shaped_otherwise_read_as_they_come() {
    let client = answering_with("list member wrapped").await;
    let member = client.get_list_member("team@example.com", "alice@example.com").send().await.unwrap();
    assert_eq!(member.member.unwrap().name.as_deref(), Some("Alice"));

    let client = answering_with("route update answered flat").await;
    let route = client.update_route("route-1").send().await.unwrap();
    assert_eq!((route.id.as_deref(), route.message.as_deref()), (Some("route-1"), Some("Route has been updated")));
    assert_eq!(route.priority, Some(10));
}

#[tokio::test]
async fn values_of_another_type_are_typed_or_kept() {
    let client = answering_with("bounce classification rates are fractions").await;
    let page = client.create_bounce_classification_metrics().send().await.unwrap();
    let metrics = page.items[0].as_ref().unwrap().metrics.as_ref().unwrap();
    assert_eq!((metrics.critical_bounce_rate, metrics.non_critical_bounce_rate), (Some(0.05), Some(1.25)));
    assert_eq!(metrics.critical_delay_rate, None);

    let client = answering_with("click tracking htmlonly").await;
    let tracking = client.get_domain_tracking("example.com").send().await.unwrap().tracking.unwrap();
    let click = tracking.click.unwrap().active.unwrap();
    assert_eq!(
        click,
        mailgun::types::ClickTrackingActive::ClickTrackingMode(mailgun::types::ClickTrackingMode::Htmlonly)
    );
    assert_eq!(tracking.open.unwrap().active, Some(true));

    // Text where an integer is documented: no reading, so `None`, and the text is kept.
    let client = answering_with("integer that is no integer").await;
    let lists = client.list_lists().send().await.unwrap();
    assert_eq!(lists.total_count, None);
    assert_eq!(lists.undocumented().get("total_count"), Some(&json!("lots")));

    // A list item that is no object is left out of the list, and kept at its place.
    let client = answering_with("list item that is not an object").await;
    let bounces = client.list_bounces("example.com").send().await.unwrap();
    assert_eq!(bounces.items.len(), 2);
    assert_eq!(bounces.undocumented().pointer("/items/1"), Some(&json!("not-a-bounce")));
}

#[tokio::test]
async fn no_field_holds_a_value_that_was_not_sent() {
    // `{"address": 5, "code": 550}`: the numbers read as their text (and are kept as they
    // came); `error` and `created_at` did not come, so they are `None`, never `""`.
    let client = answering_with("bounce with values of other types and members left out").await;
    let bounce = client.get_bounce("example.com", "x@example.com").send().await.unwrap();
    assert_eq!((bounce.address.as_deref(), bounce.code.as_deref()), (Some("5"), Some("550")));
    assert_eq!((bounce.error.as_deref(), bounce.created_at.as_ref()), (None, None));
    assert_eq!(bounce.undocumented().get("address"), Some(&json!(5)));
    assert_eq!(serde_json::to_value(&bounce).unwrap(), json!({"address": 5, "code": 550}));

    // `null` and `""` where a name, a count and a time are documented: `None` (kept as they
    // came, for writing the answer out again).
    let client = answering_with("null and empty text where values are documented").await;
    let lists = client.list_lists().send().await.unwrap();
    let list = &lists.items[0];
    assert_eq!((list.name.as_deref(), list.members_count, list.created_at.as_ref()), (None, None, None));
    assert_eq!(list.undocumented().get("created_at"), Some(&json!("")));

    let client = answering_with("v4 domain with only its name").await;
    let domain = client.get_domain("example.com").send().await.unwrap().domain.unwrap();
    assert_eq!(
        (domain.name.as_deref(), domain.state.as_ref(), domain.created_at.as_ref()),
        (Some("example.com"), None, None)
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn what_no_type_describes_is_reachable() {
    let client = answering_with("engagement event with members no version of the spec lists").await;
    let response = client.list_events("example.com").send_with_response().await.unwrap();
    let event = &response.value.items[0];
    assert_eq!(event.undocumented().get("content"), Some(&json!({"kind": "html", "links": 3})));
    assert_eq!(event.undocumented().get("x-experimental-score"), Some(&json!(0.73)));
    assert_eq!(event.undocumented().get("storage"), Some(&json!([])), "`[]` where an object is documented");
    assert_eq!(event.url.as_deref(), Some("https://example.com/offer"));
    // The call's answer says where it drifts, with the status, headers and body beside it.
    assert_eq!(response.status, 200);
    assert!(response.body.starts_with(b"{"));
    let places: Vec<(&str, DriftKind)> = response.drift.iter().map(|d| (d.path.as_str(), d.kind)).collect();
    assert!(places.contains(&("items[0].content", DriftKind::UnlistedMember)), "{places:?}");
    assert!(places.contains(&("items[0].storage", DriftKind::OtherType)), "{places:?}");

    let client = answering_with("unknown enum value").await;
    let response = client.list_events("example.com").send_with_response().await.unwrap();
    assert_eq!(response.value.items[0].event.as_ref().unwrap().as_str(), "accepted-later");
    let unlisted = response.drift.iter().find(|d| d.kind == DriftKind::UnlistedValue).unwrap();
    assert_eq!((unlisted.path.as_str(), unlisted.value.as_deref()), ("items[0].event", Some("accepted-later")));
}

#[tokio::test]
#[allow(deprecated)]
async fn times_in_rfc_2822_rfc_3339_and_unix_seconds() {
    let client = answering_with("times as text and as numbers").await;
    let events = client.list_events("example.com").send().await.unwrap();
    let unix = |t: &Option<mailgun::Timestamp>| t.as_ref()?.to_offset_date_time().map(|t| t.unix_timestamp());
    let times: Vec<Option<i64>> = events.items.iter().map(|e| unix(&e.timestamp)).collect();
    assert_eq!(times, [Some(1521472262), Some(1416421977), Some(1416421977), Some(1416422377)]);
    // A time that came as a number goes out as one.
    let written = serde_json::to_value(&events.items[0]).unwrap();
    assert_eq!(written["timestamp"], json!(1521472262.908181));
}

/// Each kind of drift, sent to a strict client: the call fails with `Error::Decode` naming the
/// place.
#[tokio::test]
async fn a_strict_client_fails_on_each_kind_of_drift_naming_the_place() {
    let bounce = |extra: Value| {
        let mut bounce = json!({"address": "a@example.com", "code": "550", "error": "No such user", "created_at": "Thu, 13 Oct 2011 18:02:00 UTC"});
        for (name, value) in extra.as_object().unwrap() {
            match value {
                Value::Null if name.starts_with('-') => drop(bounce.as_object_mut().unwrap().remove(&name[1..])),
                value => drop(bounce.as_object_mut().unwrap().insert(name.clone(), value.clone())),
            }
        }
        bounce
    };
    let cases: [(&str, Value, &str); 5] = [
        ("a member the spec does not list", bounce(json!({"reason": "x"})), "reason"),
        ("a value of another type", bounce(json!({"code": {"smtp": 550}})), "code"),
        ("a value in another spelling", bounce(json!({"code": 550})), "code"),
        ("an absent required member", bounce(json!({"-created_at": null})), "created_at"),
        ("null where none is allowed", bounce(json!({"error": null})), "error"),
    ];
    for (kind, body, path) in cases {
        let strict = strict_client(&body).await;
        match strict.get_bounce("example.com", "a@example.com").send().await {
            Err(Error::Decode(error)) => assert_eq!(error.path, path, "{kind}: {error}"),
            other => panic!("{kind}: expected a decode error at `{path}`, got {other:?}"),
        }
        // Not strict, the same answer reads.
        assert!(answering(&body).await.get_bounce("example.com", "a@example.com").send().await.is_ok(), "{kind}");
    }
    let strict = strict_client(&json!({"items": [7]})).await;
    let error = strict.list_bounces("example.com").send().await.unwrap_err();
    assert!(matches!(&error, Error::Decode(d) if d.path == "items[0]"), "an item of another type: {error}");
    let strict = strict_client(&json!({"tracking": {"click": {"active": "sometimes"}}})).await;
    let error = strict.get_domain_tracking("example.com").send().await.unwrap_err();
    assert!(matches!(&error, Error::Decode(d) if d.path == "tracking.click.active"), "{error}");
    // A whole answer of another shape fails either way.
    let error = answering(&json!(["not", "an", "object"])).await.list_lists().send().await.unwrap_err();
    assert!(matches!(&error, Error::Decode(d) if d.path == "."), "{error}");
    let strict = strict_client(&bounce(json!({}))).await;
    assert!(strict.get_bounce("example.com", "a@example.com").send().await.is_ok(), "an answer as documented reads");
}

async fn strict_client(body: &Value) -> Client {
    let body = serde_json::to_vec(body).expect("JSON");
    let (base, _server) = sdk_tests::serve_all(move |_| (200, "application/json".to_owned(), body.clone())).await;
    client(&base, true)
}

/// The log of this test binary. A subscriber for the whole process, not one for the test's
/// thread: the other tests of the binary meet the same `tracing` call sites at the same time,
/// and a thread-local subscriber can find them already cached as of no interest.
fn captured_log() -> &'static sdk_tests::CapturedLog {
    static LOG: std::sync::OnceLock<sdk_tests::CapturedLog> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = sdk_tests::CapturedLog::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");
        log
    })
}

#[tokio::test]
async fn drift_is_logged_once_per_call_and_place_without_the_value() {
    let log = captured_log();
    let body = json!({"items": [{"address": "secret-person@example.com", "colour": "secret-blue"}], "total_count": 1});
    let place = |text: &str| text.lines().filter(|l| l.contains("items[0].colour")).count();
    let client = answering(&body).await;
    for _ in 0..3 {
        client.list_lists().send().await.unwrap();
    }
    let text = log.text();
    assert_eq!(place(&text), 1, "once per place, not per answer:\n{text}");
    let line = text.lines().find(|l| l.contains("items[0].colour")).unwrap();
    assert!(line.contains("mailgun::drift") && line.contains("get-v3-lists"), "target and call: {line}");
    assert!(line.contains("a member the spec does not list") && line.contains("found=\"text\""), "{line}");
    assert!(!text.contains("secret"), "no value of the answer is logged:\n{text}");
    // Another client logs it again: once per client.
    answering(&body).await.list_lists().send().await.unwrap();
    assert_eq!(place(&log.text()), 2);
    // A whole answer of another shape is an error, and logged as drift too.
    let client = answering(&json!(["secret-item"])).await;
    assert!(client.get_list("team@example.com").send().await.is_err());
    let text = log.text();
    let shape = text.lines().find(|l| l.contains("get-v3-lists-address")).expect("the shape is logged");
    assert!(shape.contains("path=.") && shape.contains("found=\"a list\""), "{shape}");
    assert!(!text.contains("secret"), "{text}");
}
