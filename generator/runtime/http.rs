//! Building and sending one request. Generated request builders fill in a [`Request`] and
//! hand it to [`Client::execute`].

// This runtime serves every API the generator reads; which parts of it a given API uses (form
// bodies, cookies, text answers…) depends on its spec, and the rest is not worth a warning.
#![allow(dead_code)]

use crate::error::{ApiError, Error};
use crate::wire::{Fields, FormBody, Part, WireValue};
use crate::Client;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

/// Everything but RFC 3986 unreserved characters is escaped in a path segment, so `+` in an
/// address is sent as `%2B` and `/` cannot change the path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a path parameter as one segment. The value is written as it would be as a
/// query parameter; a list is comma-separated (OpenAPI's default `simple` style).
pub(crate) fn path_segment(value: &(impl WireValue + ?Sized)) -> String {
    let mut fields = Fields::default();
    value.append("", &mut fields);
    let texts: Vec<&str> = fields
        .entries
        .iter()
        .map(|(_, part)| match part {
            Part::Text(text) => text.as_str(),
            Part::File(file) => file.name(),
        })
        .collect();
    utf8_percent_encode(&texts.join(","), SEGMENT).to_string()
}

pub(crate) enum Body {
    None,
    Json(Vec<u8>),
    Form(Fields),
    Multipart(Fields),
    Raw { bytes: Vec<u8>, content_type: &'static str },
}

/// One request, before it is sent.
pub(crate) struct Request {
    method: reqwest::Method,
    path: String,
    query: Fields,
    headers: Fields,
    cookies: Fields,
    body: Body,
}

impl Request {
    pub(crate) fn new(method: reqwest::Method, path: String) -> Request {
        Request {
            method,
            path,
            query: Fields::default(),
            headers: Fields::default(),
            cookies: Fields::default(),
            body: Body::None,
        }
    }

    pub(crate) fn query(&mut self, name: &str, value: &(impl WireValue + ?Sized)) {
        self.query.add(name, value);
    }

    pub(crate) fn header(&mut self, name: &str, value: &(impl WireValue + ?Sized)) {
        self.headers.add(name, value);
    }

    pub(crate) fn cookie(&mut self, name: &str, value: &(impl WireValue + ?Sized)) {
        self.cookies.add(name, value);
    }

    pub(crate) fn json(&mut self, body: &impl serde::Serialize) -> Result<(), Error> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(format!("body cannot be serialised: {e}")))?;
        self.body = Body::Json(bytes);
        Ok(())
    }

    pub(crate) fn form(&mut self, body: &impl FormBody) {
        let mut fields = Fields::default();
        body.fields(&mut fields);
        self.body = Body::Form(fields);
    }

    pub(crate) fn multipart(&mut self, body: &impl FormBody) {
        let mut fields = Fields::default();
        body.fields(&mut fields);
        self.body = Body::Multipart(fields);
    }

    /// A body of another media type, sent as the bytes given.
    pub(crate) fn raw(&mut self, bytes: &[u8], content_type: &'static str) {
        self.body = Body::Raw { bytes: bytes.to_vec(), content_type };
    }
}

impl Client {
    /// Sends a request and decodes a JSON answer. An empty success body decodes as JSON `null`,
    /// which is what `()` and `Option` expect.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let body = self.execute_bytes(request).await?;
        let text = if body.iter().all(u8::is_ascii_whitespace) { &b"null"[..] } else { &body[..] };
        serde_json::from_slice(text)
            .map_err(|source| Error::Decode { source, body: String::from_utf8_lossy(&body).into_owned() })
    }

    /// Sends a request and returns the answer as text.
    pub(crate) async fn execute_text(&self, request: Request) -> Result<String, Error> {
        let body = self.execute_bytes(request).await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends a request and returns the answer's bytes; a non-success status is an error.
    pub(crate) async fn execute_bytes(&self, request: Request) -> Result<Vec<u8>, Error> {
        let url = format!("{}{}", self.base_url(), request.path);
        let mut builder = self.http().request(request.method, url).basic_auth("api", Some(self.api_key()));
        if let Some(subaccount) = self.subaccount() {
            builder = builder.header("X-Mailgun-On-Behalf-Of", subaccount);
        }
        let query = request.query.texts()?;
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        for (name, value) in request.headers.texts()? {
            builder = builder.header(name, value);
        }
        let cookies: Vec<String> =
            request.cookies.texts()?.into_iter().map(|(name, value)| format!("{name}={value}")).collect();
        if !cookies.is_empty() {
            builder = builder.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        builder = match request.body {
            Body::None => builder,
            Body::Json(bytes) => builder.header(reqwest::header::CONTENT_TYPE, "application/json").body(bytes),
            Body::Form(fields) => builder.form(&fields.texts()?),
            Body::Multipart(fields) => builder.multipart(multipart(fields)?),
            Body::Raw { bytes, content_type } => {
                builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes)
            }
        };
        let response = builder.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        if !status.is_success() {
            let body = String::from_utf8_lossy(&body).into_owned();
            return Err(Error::Api(Box::new(ApiError::new(status, headers, body))));
        }
        Ok(body.to_vec())
    }
}

fn multipart(fields: Fields) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for (name, part) in fields.entries {
        form = match part {
            Part::Text(text) => form.text(name, text),
            Part::File(file) => {
                let mut part = reqwest::multipart::Part::bytes(file.bytes().to_vec()).file_name(file.name().to_owned());
                if let Some(content_type) = file.content_type() {
                    part = part.mime_str(content_type).map_err(|e| {
                        Error::InvalidRequest(format!("`{}` has an invalid content type: {e}", file.name()))
                    })?;
                }
                form.part(name, part)
            }
        };
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn path_segments_escape_plus_and_slash() {
        assert_eq!(path_segment("foo+bar@example.com"), "foo%2Bbar%40example.com");
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(path_segment(&42), "42");
        assert_eq!(path_segment(&vec![1, 2]), "1%2C2");
        assert_eq!(path_segment(&serde_json::json!("x")), "x");
    }
}
