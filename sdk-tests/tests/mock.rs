//! The typed test double (`mailgun::mock`, the `mock` feature): every call of the spec read back
//! as it was sent, every kind of scripted answer, lists scripted as pages, and what it says
//! when a request is not what the API document describes.

use mailgun::apis::bounces::ListBounces;
use mailgun::apis::domains::GetDomain;
use mailgun::apis::logs::CreateAnalyticsLogs;
use mailgun::apis::messages::SendMessage;
use mailgun::apis::routes::ListRoutes;
use mailgun::mock::{Call, MockServer};
use mailgun::types::{Bounce, GenericResponse, GetBouncesPaginationResponse, SendMessageResponse};
use mailgun::{Error, File};
use std::time::Duration;

mod calls {
    include!(concat!(env!("OUT_DIR"), "/contract_calls.rs"));
}

fn sent(id: &str) -> SendMessageResponse {
    let mut answer = SendMessageResponse::default();
    answer.id = Some(id.to_owned());
    answer.message = Some("Queued. Thank you.".to_owned());
    answer
}

/// Every operation, called through the client with example values: the double tells which
/// call each request is, reads it back without a mismatch, and answers with the document's
/// example (read as documented by a strict client), or says that it has none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_of_the_spec_is_read_back_and_answered_from_its_example() {
    let server = MockServer::start().await;
    let client = server.client();
    let mut unanswered = Vec::new();
    let mut failures = Vec::new();
    let all = calls::calls(&client, Duration::from_secs(10));
    let count = all.len();
    for (operation, call) in all {
        match call.await {
            Ok(raw) if raw.status.is_success() => {}
            Ok(raw) if raw.status == 501 => {
                let text = String::from_utf8_lossy(&raw.body).into_owned();
                assert!(text.contains("gives no example") && text.contains("server.on::<"), "{operation}: {text}");
                unanswered.push(operation);
            }
            Ok(raw) => failures.push(format!("{operation}: {} {}", raw.status, String::from_utf8_lossy(&raw.body))),
            Err(error) => failures.push(format!("{operation}: {error}")),
        }
    }
    let received = server.requests();
    assert_eq!(received.len(), count, "one request per call");
    for request in &received {
        match (request.operation, &request.mismatch) {
            (Some(_), None) => {}
            (operation, mismatch) => failures.push(format!(
                "{} {}: call {:?}, mismatch {mismatch:?}",
                request.method,
                request.path_and_query,
                operation.map(|op| op.name())
            )),
        }
    }
    let told: std::collections::BTreeSet<&str> =
        received.iter().filter_map(|r| r.operation).map(|op| op.operation_id()).collect();
    assert_eq!(told.len(), count, "each request was told apart as its own call");
    assert!(failures.is_empty(), "{} calls failed:\n{}", failures.len(), failures.join("\n"));
    println!("mock: {count} calls read back; {} without an example answered 501: {unanswered:?}", unanswered.len());

    // What the double answers from the document's examples reads as documented.
    let strict = sdk_tests::answers::client(&server.uri(), true);
    let mut misread = Vec::new();
    for operation in sdk_tests::calls::OPERATIONS {
        if unanswered.contains(operation) {
            continue;
        }
        let Some(call) = sdk_tests::calls::answer(&strict, operation, "mock", Duration::from_secs(10)) else {
            continue;
        };
        if let Err(error) = call.await {
            misread.push(format!("{operation}: {error}"));
        }
    }
    assert!(misread.is_empty(), "examples not read as documented:\n{}", misread.join("\n"));
}

/// A multipart send is read back whole: recipients, tags, variables, headers and attachments.
#[tokio::test]
async fn a_send_is_read_back_typed_with_its_attachments() {
    let server = MockServer::start().await;
    server.on::<SendMessage>().answer(sent("<1@example.com>"));
    let client = server.client();
    let answer = client
        .send_message("example.com", ["alice@example.com", "Bob <bob@example.com>"])
        .from("shop@example.com")
        .subject("Welcome")
        .text("Hello")
        .tag("welcome")
        .tag("onboarding")
        .variable("user-id", 42)
        .header("X-Campaign", "spring")
        .attachment(File::from_bytes("terms.pdf", b"%PDF-1.4".to_vec()))
        .attachment(File::from_bytes("notes.txt", "plain").with_content_type("text/markdown"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.id.as_deref(), Some("<1@example.com>"));

    let requests = server.received::<SendMessage>();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.domain_name, "example.com");
    let body = &request.body;
    assert_eq!(body.to, ["alice@example.com", "Bob <bob@example.com>"]);
    assert_eq!(body.from.as_deref(), Some("shop@example.com"));
    assert_eq!(body.subject.as_deref(), Some("Welcome"));
    assert_eq!(body.tag.as_deref(), Some(&["welcome".to_owned(), "onboarding".to_owned()][..]));
    assert_eq!(body.variables, [("user-id".to_owned(), serde_json::json!(42))]);
    assert_eq!(body.headers, [("X-Campaign".to_owned(), "spring".to_owned())]);
    let attachments = body.attachment.as_deref().unwrap_or_default();
    let names: Vec<&str> = attachments.iter().map(File::name).collect();
    assert_eq!(names, ["terms.pdf", "notes.txt"]);
    assert_eq!(attachments[0].bytes(), Some(&b"%PDF-1.4"[..]));
    assert_eq!(attachments[0].content_type(), "application/pdf");
    assert_eq!(attachments[1].content_type(), "text/markdown");
    assert!(body.html.is_none() && body.cc.is_none(), "what was not sent is not made up");
}

/// Each kind of answer: a typed success, a documented error, a rate limit, a raw body, a delay;
/// scripts for some requests only, and for some times only.
#[tokio::test]
async fn each_kind_of_answer_is_scripted() {
    let server = MockServer::start().await;
    let client = server.client();
    server.on::<SendMessage>().answer(sent("<any@example.com>"));
    server.on::<SendMessage>().when(|request| request.body.to.iter().any(|to| to.ends_with("@blocked.example"))).error(
        400,
        {
            let mut error = GenericResponse::default();
            error.message = Some("to parameter is not a valid address".to_owned());
            error
        },
    );
    server
        .on::<SendMessage>()
        .when(|request| request.body.subject.as_deref() == Some("flood"))
        .times(1)
        .rate_limited(Duration::from_secs(7));

    let ok = client.send_message("example.com", ["a@example.com"]).send().await.unwrap();
    assert_eq!(ok.id.as_deref(), Some("<any@example.com>"));

    let refused = client.send_message("example.com", ["x@blocked.example"]).send().await.unwrap_err();
    let Error::Api(api) = &refused else { panic!("an API error: {refused:?}") };
    assert_eq!(api.status, 400);
    let documented = matches!(api.detail(), Some(mailgun::ErrorBody::GenericResponse(body))
        if body.message.as_deref() == Some("to parameter is not a valid address"));
    assert!(documented, "{api:?}");

    let limited = client.send_message("example.com", ["a@example.com"]).subject("flood").send().await.unwrap_err();
    let Error::RateLimited(api) = &limited else { panic!("a rate limit: {limited:?}") };
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
    // Once only: the next one is the general answer again.
    client.send_message("example.com", ["a@example.com"]).subject("flood").send().await.unwrap();

    server.on::<GetDomain>().raw(503, "text/plain", "down for maintenance");
    let down = client.get_domain("example.com").send().await.unwrap_err();
    let Error::Api(api) = &down else { panic!("an API error: {down:?}") };
    assert_eq!(api.status, 503);
    assert_eq!(api.body, "down for maintenance");

    server.on::<GetDomain>().delay(Duration::from_secs(5)).raw(200, "application/json", "{}");
    let slow = client.get_domain("example.com").timeout(Duration::from_millis(200)).send().await.unwrap_err();
    assert!(matches!(slow, Error::Timeout { .. }), "{slow:?}");

    let requests = server.received::<SendMessage>();
    let recipients: Vec<&str> = requests.iter().map(|r| r.body.to[0].as_str()).collect();
    assert_eq!(recipients, ["a@example.com", "x@blocked.example", "a@example.com", "a@example.com"]);
}

#[test]
#[should_panic(expected = "lists no 418 answer for `send_message`")]
fn an_undocumented_error_status_is_refused_where_it_is_scripted() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    server.on::<SendMessage>().error(418, serde_json::json!({"message": "teapot"}));
}

fn bounce(address: &str) -> Bounce {
    let mut bounce = Bounce::default();
    bounce.address = Some(address.to_owned());
    bounce
}

/// Lists scripted as pages, for each way the API pages: a link to the next page (bounces), an
/// offset (routes), a token in the body (logs). `items()` reads every item, then stops.
#[tokio::test]
async fn paged_lists_are_scripted_as_pages() {
    let server = MockServer::start().await;
    let client = server.client();
    let page = |addresses: &[&str]| {
        let mut page = GetBouncesPaginationResponse::default();
        page.items = addresses.iter().map(|a| bounce(a)).collect();
        page
    };
    server.on::<ListBounces>().pages([page(&["a@x.com", "b@x.com"]), page(&["c@x.com"])]);
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
    assert_eq!(server.received::<ListBounces>().len(), 2, "the last page ends the list");
    assert!(server.received::<ListBounces>().iter().all(|r| r.limit == Some(2)));

    let routes = |ids: &[&str]| {
        let mut page = mailgun::types::ListRoutesResponse::default();
        page.items = ids
            .iter()
            .map(|id| {
                let mut route = mailgun::types::RouteResponse::default();
                route.id = Some((*id).to_owned());
                route
            })
            .collect();
        page
    };
    server.on::<ListRoutes>().pages([routes(&["r1", "r2"]), routes(&["r3"])]);
    let ids: Vec<String> =
        client.list_routes().items().try_collect().await.unwrap().into_iter().filter_map(|r| r.id).collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    let skips: Vec<Option<String>> = server.received::<ListRoutes>().into_iter().map(|r| r.skip).collect();
    assert_eq!(skips, [None, Some("2".to_owned()), Some("3".to_owned())], "an empty page after the last");

    let logs = |count: usize| {
        let mut page = mailgun::types::LogsResponse::default();
        page.items = vec![mailgun::types::LogEvent::default(); count];
        page
    };
    server.on::<CreateAnalyticsLogs>().pages([logs(2), logs(2), logs(1)]);
    let events = client.create_analytics_logs().items().try_collect().await.unwrap();
    assert_eq!(events.len(), 5);
    let tokens: Vec<Option<String>> =
        server.received::<CreateAnalyticsLogs>().into_iter().map(|r| r.body.pagination.and_then(|p| p.token)).collect();
    assert_eq!(tokens, [None, Some("mock-page-2".to_owned()), Some("mock-page-3".to_owned())]);
}

/// A request that is no call of the document is answered 404, saying so. (A call without an
/// example says how to script it: the whole-spec test above checks each of those.)
#[tokio::test]
async fn what_the_double_cannot_answer_it_names() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();
    let unknown = http.get(format!("{}/v9/nothing", server.uri())).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("knows no call `GET /v9/nothing`"));
}

/// A request that is not what the document describes is refused, naming the call and the place,
/// and `received` will not pretend it was: the test fails there.
#[tokio::test]
async fn a_request_the_document_does_not_describe_is_refused_naming_the_call() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();
    let form = [("to", "a@example.com"), ("o:tag", "x"), ("surprise", "1")];
    let answer = http.post(format!("{}/v3/example.com/messages", server.uri())).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), 400);
    let text = answer.text().await.unwrap();
    assert!(text.contains("`send_message` request (POST /v3/{domain_name}/messages)"), "{text}");
    assert!(text.contains("body field surprise"), "{text}");
    let received = server.requests();
    assert_eq!(received[0].operation.map(|op| op.name()), Some("send_message"));
    let panic =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.received::<SendMessage>())).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("body field surprise: not a field of the body the API documents"), "{message}");
    assert_eq!(SendMessage::OPERATION.route(), "POST /v3/{domain_name}/messages");
}

/// A scripted answer that is not what the document describes fails a strict client, naming
/// the call; a lenient one reads what it can and keeps the rest.
#[tokio::test]
async fn a_strict_client_refuses_an_answer_that_drifts_naming_the_call() {
    let server = MockServer::start().await;
    server.on::<SendMessage>().raw(200, "application/json", r#"{"id": {"n": 17}, "message": "Queued"}"#);
    let strict = server.client_builder().strict(true).build().unwrap();
    let error = strict.send_message("example.com", ["a@example.com"]).send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("a decode error: {error:?}") };
    assert!(error.to_string().starts_with("`send_message`: "), "{error}");
    assert_eq!(error.operation_id(), Some("POST-v3--domain-name--messages"));
    assert!(decode.to_string().contains("id"), "{decode}");
    let lenient = server.client().send_message("example.com", ["a@example.com"]).send().await.unwrap();
    assert_eq!(lenient.id, None);
    assert_eq!(lenient.undocumented().get("id"), Some(&serde_json::json!({"n": 17})));
}
