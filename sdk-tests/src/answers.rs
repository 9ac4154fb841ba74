//! Answers as they came, served again, and what reading them kept: the round trip of the answer
//! tests (the spec's examples, the drift corpus, Prism's random answers) and of
//! `cargo xtask drift`.

use serde_json::Value;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// One recorded answer: the call (its operationId), the status, and the body as it came.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub operation: String,
    pub status: u16,
    pub body: Value,
}

/// Reads recordings, one JSON object per line: `{"operationId": …, "status": …, "body": …}`
/// (`body` is the answer's JSON; `status` is 200 when left out). Blank lines and lines that
/// start with `#` or `//` are skipped.
pub fn read_recordings(text: &str) -> Result<Vec<Recording>, String> {
    let mut out = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let at = |what: String| format!("line {}: {what}", number + 1);
        let record: Value = serde_json::from_str(line).map_err(|e| at(format!("not JSON: {e}")))?;
        let operation = record
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| at("no `operationId` (text)".to_owned()))?
            .to_owned();
        let status = match record.get("status") {
            None => 200,
            Some(status) => status
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .ok_or_else(|| at("`status` is not an HTTP status".to_owned()))?,
        };
        let body = record.get("body").cloned().ok_or_else(|| at("no `body`".to_owned()))?;
        out.push(Recording { operation, status, body });
    }
    Ok(out)
}

/// Starts a server that answers each request with the answer its `x-example` header numbers
/// (status and JSON body); a request without one gets a 400. Returns the base URL.
pub async fn serve_answers(answers: Arc<Vec<(u16, Vec<u8>)>>) -> (String, JoinHandle<()>) {
    crate::serve_all(move |request| {
        let answer = request.header("x-example").and_then(|i| i.parse::<usize>().ok()).and_then(|i| answers.get(i));
        match answer {
            Some((status, body)) => (*status, "application/json".to_owned(), body.clone()),
            None => (400, "text/plain".to_owned(), b"no x-example header".to_vec()),
        }
    })
    .await
}

/// A client for answers served as they came: no retries, so that each answer is read once.
pub fn client(base: &str, strict: bool) -> mailgun::Client {
    mailgun::Client::builder("key-test")
        .base_url(base)
        .retry_policy(mailgun::RetryPolicy::none())
        .strict(strict)
        .build()
        .expect("a local base URL")
}

/// The places where `written` (an answer read and written out again) lost or changed a value
/// of `sent` (the answer as it came): every member that came with a value must come back with
/// that value. Members `written` has beyond `sent` are not counted (an absent list reads as an
/// empty one); numbers compare by value (`5` and `5.0`); nothing else is lenient.
pub fn lost(sent: &Value, written: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(sent, Some(written), "", &mut out);
    out
}

fn compare(sent: &Value, written: Option<&Value>, at: &str, out: &mut Vec<String>) {
    let place = if at.is_empty() { "/" } else { at };
    match (sent, written) {
        (Value::Null, _) => {}
        (_, None) => out.push(format!("{place} ({} is gone)", short(sent))),
        (Value::Object(sent), Some(Value::Object(written))) => {
            for (key, value) in sent {
                compare(value, written.get(key), &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        (Value::Array(sent), Some(Value::Array(written))) if sent.len() == written.len() => {
            for (i, (a, b)) in sent.iter().zip(written).enumerate() {
                compare(a, Some(b), &format!("{at}/{i}"), out);
            }
        }
        (Value::Number(a), Some(Value::Number(b))) if a.as_f64() == b.as_f64() => {}
        (a, Some(b)) if a == b => {}
        (a, Some(b)) => out.push(format!("{place} ({} came back as {})", short(a), short(b))),
    }
}

/// A value as a report shows it: short.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_came_must_come_back() {
        assert!(lost(&json!({"a": 1, "b": null, "c": [1, 2]}), &json!({"a": 1.0, "c": [1, 2], "d": []})).is_empty());
        assert_eq!(lost(&json!({"a": "550"}), &json!({"a": 550})), ["/a (\"550\" came back as 550)"]);
        assert_eq!(lost(&json!({"a": {"b": 1}}), &json!({"a": {}})), ["/a/b (1 is gone)"]);
        assert_eq!(lost(&json!({"a": [1, 2]}), &json!({"a": [1]})), ["/a ([1,2] came back as [1])"]);
        assert_eq!(lost(&json!({"a/b": 1}), &json!({})), ["/a~1b (1 is gone)"]);
    }

    #[test]
    fn recordings_are_read_line_by_line() {
        let text = "# a comment\n{\"operationId\":\"x\",\"body\":{\"a\":1}}\n\n{\"operationId\":\"y\",\"status\":404,\"body\":\"no\"}\n";
        let read = read_recordings(text).unwrap();
        assert_eq!(read[0], Recording { operation: "x".into(), status: 200, body: json!({"a": 1}) });
        assert_eq!((read[1].status, &read[1].body), (404, &json!("no")));
        assert_eq!(read_recordings("{\"body\":1}").unwrap_err(), "line 1: no `operationId` (text)");
    }
}
