//! The form and multipart encoders and the webhook verifier, given arbitrary values (any
//! script, control characters, the delimiters of each encoding, long and empty values): none
//! panics, and what the recording server receives parses back to the values given. Seeded, so
//! every run tries the same cases (`FUZZ_ENCODERS_SEED` for others, `FUZZ_ENCODERS_CASES` for
//! more).

use mailgun::{File, WebhookPayload, WebhookSignature, WebhookVerifier};
use sdk_tests::{client, serve_once};
use std::time::Duration;

fn cases() -> usize {
    std::env::var("FUZZ_ENCODERS_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(60)
}

fn rng() -> fastrand::Rng {
    fastrand::Rng::with_seed(std::env::var("FUZZ_ENCODERS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(17))
}

/// Text made of the characters that break encoders: each encoding's delimiters, controls,
/// other scripts, astral characters.
fn text(rng: &mut fastrand::Rng) -> String {
    const PIECES: &[&str] = &[
        "&", "=", "+", "%", "%20", "?", "#", "\"", "'", "\\", "\r\n", "\n", "\r", "\t", "\0", "--", "boundary", ";",
        ":", " ", "é", "名前", "🙂", "\u{202e}", "\u{feff}", "a", "Z", "0", "[]", "{}", "v:", "h:",
    ];
    let len = if rng.usize(0..10) == 0 { rng.usize(200..2000) } else { rng.usize(0..12) };
    (0..len).map(|_| PIECES[rng.usize(0..PIECES.len())]).collect()
}

#[tokio::test]
async fn url_encoded_forms_carry_any_text_back_unchanged() {
    let mut rng = rng();
    for _ in 0..cases() {
        let (expression, actions) = (text(&mut rng), (0..rng.usize(1..4)).map(|_| text(&mut rng)).collect::<Vec<_>>());
        let (base, server) = serve_once(200, "application/json", r#"{"message":"Route has been created"}"#).await;
        let mut call = client(&base).create_route(expression.clone());
        for action in &actions {
            call = call.action(action.clone());
        }
        call.send().await.unwrap();
        let request = server.await.unwrap();
        let body = String::from_utf8(request.body).expect("an encoded form is ASCII");
        let url = reqwest::Url::parse(&format!("http://x/?{body}")).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let got = |name: &str| pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
        assert_eq!(got("expression"), [expression], "{body}");
        assert_eq!(got("action"), actions, "{body}");
    }
}

#[tokio::test]
async fn multipart_sends_carry_any_text_and_bytes_back_unchanged() {
    let mut rng = rng();
    for _ in 0..cases() {
        let (subject, body_text) = (text(&mut rng), text(&mut rng));
        let tags: Vec<String> = (0..rng.usize(0..3)).map(|_| text(&mut rng)).collect();
        let bytes: Vec<u8> = (0..rng.usize(0..3000)).map(|_| rng.u8(..)).collect();
        // A file's name travels in a header; it is made of any text but line breaks and quotes.
        let name: String = text(&mut rng).chars().filter(|c| !matches!(c, '\r' | '\n' | '"' | '\0')).collect();
        let name = format!("{name}.bin");
        let (base, server) = serve_once(200, "application/json", r#"{"id":"<1@x>","message":"Queued"}"#).await;
        let mut call = client(&base)
            .send_message("example.com", ["to@example.com"])
            .from("from@example.com")
            .subject(subject.clone())
            .text(body_text.clone())
            .attachment(File::from_bytes(name.clone(), bytes.clone()));
        for tag in &tags {
            call = call.tag(tag.clone());
        }
        call.send().await.unwrap();
        let parts = server.await.unwrap().multipart();
        let texts = |field: &str| parts.iter().filter(|p| p.name == field).map(|p| p.text()).collect::<Vec<_>>();
        assert_eq!(texts("subject"), [subject]);
        assert_eq!(texts("text"), [body_text]);
        assert_eq!(texts("o:tag"), tags);
        let file = parts.iter().find(|p| p.name == "attachment").expect("the attachment");
        assert_eq!(file.data, bytes, "the attachment's bytes");
        assert!(file.filename.is_some(), "the attachment's name");
    }
}

#[test]
fn the_webhook_verifier_never_panics_and_accepts_only_what_was_signed() {
    let mut rng = rng();
    let verifier = WebhookVerifier::new("key-1").max_age(Duration::MAX);
    for _ in 0..cases() * 5 {
        // Arbitrary bytes, and arbitrary text in the places of a webhook's members.
        let bytes: Vec<u8> = (0..rng.usize(0..200)).map(|_| rng.u8(..)).collect();
        let _ = verifier.parse::<serde_json::Value>(&bytes);
        // A timestamp that is no number of seconds is refused, signed or not.
        let odd = format!("{}x", text(&mut rng));
        assert!(verifier.verify(&WebhookSignature::sign("key-1", &odd, "t")).is_err());
        let (timestamp, token) = (rng.u64(..).to_string(), text(&mut rng));
        let signed = WebhookSignature::sign("key-1", &timestamp, &token);
        let body = serde_json::json!({
            "signature": {"timestamp": timestamp, "token": token, "signature": signed.signature},
            "event-data": {"event": text(&mut rng), "recipient": text(&mut rng), "id": text(&mut rng)},
        });
        let body = serde_json::to_vec(&body).unwrap();
        let payload: WebhookPayload<mailgun::WebhookEvent> =
            verifier.parse(&body).expect("a body signed with the key verifies");
        assert_eq!(payload.signature, signed);
        // Any one byte changed in the signature is refused.
        let mut forged = signed.clone();
        let mut chars: Vec<char> = forged.signature.chars().collect();
        let at = rng.usize(0..chars.len());
        chars[at] = if chars[at] == '0' { '1' } else { '0' };
        forged.signature = chars.into_iter().collect();
        assert!(verifier.verify(&forged).is_err());
    }
}
