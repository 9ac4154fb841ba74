//! Sending mail, as it goes on the wire: the fluent request, Mailgun's multipart conventions,
//! the open `h:`/`v:`/`o:` families, JSON text fields and files from memory, disk and readers.

use mailgun::types::{SendMessageBodyTestmode, SendMessageBodyTracking};
use mailgun::{Error, File, Timestamp};
use sdk_tests::{client, serve_once, Part, Recorded};
use std::time::{Duration, UNIX_EPOCH};

const JSON: &str = "application/json";
const QUEUED: &str = r#"{"id":"<1@example.com>","message":"Queued. Thank you."}"#;

/// The text parts of a multipart body, in order.
fn texts(request: &Recorded) -> Vec<(String, String)> {
    request.multipart().iter().filter(|p| p.filename.is_none()).map(|p| (p.name.clone(), p.text())).collect()
}

fn files(request: &Recorded) -> Vec<Part> {
    request.multipart().into_iter().filter(|p| p.filename.is_some()).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn a_templated_message_is_one_chain_of_calls() {
    let (base, server) = serve_once(200, JSON, QUEUED).await;
    let delivery = UNIX_EPOCH + Duration::from_secs(1_318_528_920);
    let sent = client(&base)
        .send_message("example.com", ["Alice <alice@example.org>", "bob+news@example.org"])
        .from("Shop <orders@example.com>")
        .template("order-shipped")
        .template_variables(serde_json::json!({ "order": 1234, "items": ["tea", "cups"] }))
        .tag("orders")
        .tag("shipping")
        .header("Reply-To", "support@example.com")
        .variable("customer", serde_json::json!({ "id": 42 }))
        .variable("plan", "gold")
        .deliverytime(delivery)
        .tracking(SendMessageBodyTracking::Htmlonly)
        .testmode(SendMessageBodyTestmode::Yes)
        .option("sandbox-feature", "on")
        .attachment(File::from_bytes("items.csv", "item,qty\ntea,2\n"))
        .attachment(File::from_bytes("logo.png", vec![0x89, b'P', b'N', b'G']))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.id.as_deref(), Some("<1@example.com>"));

    let request = server.await.unwrap();
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/v3/example.com/messages"));
    // Basic auth with user `api`: base64("api:key-test").
    assert_eq!(request.header("authorization"), Some("Basic YXBpOmtleS10ZXN0"));
    assert!(request.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
    assert_eq!(
        texts(&request),
        pairs(&[
            ("from", "Shop <orders@example.com>"),
            ("to", "Alice <alice@example.org>"),
            ("to", "bob+news@example.org"),
            ("template", "order-shipped"),
            ("t:variables", r#"{"items":["tea","cups"],"order":1234}"#),
            ("o:tag", "orders"),
            ("o:tag", "shipping"),
            ("o:deliverytime", "Thu, 13 Oct 2011 18:02:00 +0000"),
            ("o:testmode", "yes"),
            ("o:tracking", "htmlonly"),
            ("h:Reply-To", "support@example.com"),
            ("v:customer", r#"{"id":42}"#),
            ("v:plan", "gold"),
            ("o:sandbox-feature", "on"),
        ])
    );
    // Text parts go as plain form fields: no content type of their own, no file name.
    assert!(request.multipart().iter().filter(|p| p.filename.is_none()).all(|p| p.content_type.is_none()));
    let files = files(&request);
    let described: Vec<_> = files
        .iter()
        .map(|f| (f.name.as_str(), f.filename.as_deref().unwrap(), f.content_type.as_deref().unwrap()))
        .collect();
    assert_eq!(described, [("attachment", "items.csv", "text/csv"), ("attachment", "logo.png", "image/png")]);
    assert_eq!(files[0].data, b"item,qty\ntea,2\n");
    assert_eq!(files[1].data, [0x89, b'P', b'N', b'G']);
}

/// `from` and `subject` may come from a stored template: leaving them out sends no part at
/// all, not empty ones.
#[tokio::test]
async fn a_templated_send_needs_neither_from_nor_subject() {
    let (base, server) = serve_once(200, JSON, QUEUED).await;
    client(&base).send_message("example.com", ["a@example.org"]).template("welcome").send().await.unwrap();
    let request = server.await.unwrap();
    assert_eq!(texts(&request), pairs(&[("to", "a@example.org"), ("template", "welcome")]));
}

/// A call on its way is one named type (`Sending`), `Send` and `'static`: it can be kept in a
/// struct, spawned, and is sent only when awaited.
#[tokio::test]
async fn a_call_is_a_named_future_that_can_be_kept_and_spawned() {
    struct Pending {
        call: mailgun::Sending<mailgun::types::SendMessageResponse>,
    }
    let (base, server) = serve_once(200, JSON, QUEUED).await;
    let pending = Pending { call: client(&base).send_message("example.com", ["a@example.org"]).text("hi").send() };
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!server.is_finished(), "nothing is sent before the future is awaited");
    let answer = tokio::spawn(pending.call).await.unwrap().unwrap();
    assert_eq!(answer.message.as_deref(), Some("Queued. Thank you."));
    assert_eq!(texts(&server.await.unwrap()), pairs(&[("to", "a@example.org"), ("text", "hi")]));
}

#[derive(serde::Serialize)]
struct Recipient {
    name: &'static str,
    id: u32,
}

#[tokio::test]
async fn json_text_fields_take_any_serialisable_value() {
    let (base, server) = serve_once(200, JSON, QUEUED).await;
    let mut batch = std::collections::BTreeMap::new();
    batch.insert("alice@example.org", Recipient { name: "Alice", id: 1 });
    batch.insert("bob@example.org", Recipient { name: "Bob", id: 2 });
    client(&base)
        .send_message("example.com", ["alice@example.org", "bob@example.org"])
        .from("me@example.com")
        .subject("Hi %recipient.name%")
        .text("Hello")
        .recipient_variables(&batch)
        // A string is taken as JSON text already written.
        .template_variables(r#"{"already":"json"}"#)
        .send()
        .await
        .unwrap();
    let request = server.await.unwrap();
    let texts = texts(&request);
    let field = |name: &str| texts.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert_eq!(
        field("recipient-variables"),
        Some(r#"{"alice@example.org":{"id":1,"name":"Alice"},"bob@example.org":{"id":2,"name":"Bob"}}"#)
    );
    assert_eq!(field("t:variables"), Some(r#"{"already":"json"}"#));
}

/// A value that cannot be written as JSON fails the call with a clear error: no panic, nothing
/// sent.
#[tokio::test]
async fn a_value_that_does_not_serialise_is_an_error_not_a_panic() {
    let mut by_pair = std::collections::BTreeMap::new();
    by_pair.insert((1, 2), "a map with non-text keys has no JSON form");
    let error = client("http://127.0.0.1:9")
        .send_message("example.com", ["a@example.org"])
        .variable("pairs", by_pair)
        .send()
        .await
        .unwrap_err();
    let Error::InvalidRequest(message) = error else { panic!("expected an invalid request, got {error:?}") };
    assert!(message.contains("`v:<name>` cannot be serialised as JSON"), "{message}");
}

#[tokio::test]
async fn files_from_disk_stream_with_a_guessed_content_type() {
    let dir = std::env::temp_dir().join(format!("mailgun-sdk-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("invoice 7.pdf");
    let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &contents).unwrap();

    let (base, server) = serve_once(200, JSON, QUEUED).await;
    let (reader, mut writer) = tokio::io::duplex(64);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        writer.write_all(b"streamed, never held whole").await.unwrap();
    });
    client(&base)
        .send_message("example.com", ["a@example.org"])
        .attachment(File::from_path(&path))
        .inline(File::from_reader("notes.txt", reader))
        .attachment(File::from_bytes("data.bin", vec![1, 2, 3]).with_content_type("application/x-custom"))
        .send()
        .await
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let request = server.await.unwrap();
    let files = files(&request);
    let described: Vec<_> = files
        .iter()
        .map(|f| (f.name.as_str(), f.filename.as_deref().unwrap(), f.content_type.as_deref().unwrap()))
        .collect();
    assert_eq!(
        described,
        [
            ("attachment", "invoice 7.pdf", "application/pdf"),
            ("attachment", "data.bin", "application/x-custom"),
            ("inline", "notes.txt", "text/plain"),
        ]
    );
    assert_eq!(files[0].data, contents);
    assert_eq!(files[2].data, b"streamed, never held whole");
}

#[tokio::test]
async fn a_missing_file_is_an_error_naming_it() {
    let error = client("http://127.0.0.1:9")
        .send_message("example.com", ["a@example.org"])
        .attachment(File::from_path("/no/such/dir/report.pdf"))
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("/no/such/dir/report.pdf"), "{error}");
}

#[tokio::test]
async fn a_mime_message_is_a_file_part_named_message_with_repeated_recipients() {
    let (base, server) = serve_once(200, JSON, QUEUED).await;
    let mime = "From: me@example.com\r\nTo: a@example.org\r\nSubject: Hi\r\n\r\nHello\r\n";
    client(&base)
        .send_mime_message("example.com", ["a@example.org", "b@example.org"], File::from_bytes("message.mime", mime))
        .tag("mime")
        .send()
        .await
        .unwrap();
    let request = server.await.unwrap();
    assert_eq!(request.target, "/v3/example.com/messages.mime");
    assert_eq!(texts(&request), pairs(&[("to", "a@example.org"), ("to", "b@example.org"), ("o:tag", "mime")]));
    let files = files(&request);
    assert_eq!((files[0].name.as_str(), files[0].filename.as_deref()), ("message", Some("message.mime")));
    assert_eq!(files[0].data, mime.as_bytes());
}

#[test]
fn delivery_times_take_time_values_or_text() {
    let at = UNIX_EPOCH + Duration::from_secs(1_318_528_920);
    assert_eq!(Timestamp::from(at).as_str(), "Thu, 13 Oct 2011 18:02:00 +0000");
    assert_eq!(Timestamp::from("1318528920").to_system_time(), Some(at));
}
