//! Following a list across pages, as streams.
//!
//! APIs page lists in several ways; each list call's `pages()` and `items()` use the one
//! its answers show:
//! - a link to the next page (`paging.next`), an absolute or relative URL whose cursor sits in
//!   the query (`?page=…`) or the path (`/v3/{domain}/events/{token}`). The link is followed
//!   on the client's own base URL, never on another host, so the credentials go nowhere else;
//! - an offset: the `skip` parameter, advanced by the number of items each page holds;
//! - a cursor in the JSON body: the answer's `pagination.next` sent back as the body's
//!   `pagination.token` (logs), or the body's `pagination.skip` advanced (metrics, tags).
//!
//! A list ends at the first empty page (some APIs keep sending a `next` link on the last one),
//! at a page without a link or token, or at a link or cursor already followed. Every page is
//! one call, with the call's settings (headers, timeout, retries).

// Which ways of paging an API uses depends on its spec; an API with no paged list uses none.
#![allow(dead_code)]

use crate::http::Request;
use crate::tolerant::Tolerant;
use crate::{Client, Error};
use futures_util::stream::{self, BoxStream, StreamExt};
use std::collections::BTreeSet;
use std::future::Future;

/// A list followed across pages: a stream of pages (`pages()`) or of their items (`items()`).
///
/// Read it with [`next`](Self::next) or [`try_collect`](Self::try_collect); it is also a
/// `futures::Stream`, for the combinators of `futures` or `tokio-stream`. Each value is a
/// `Result`: a page that fails ends the stream after its error.
#[must_use = "a stream does nothing until it is read"]
pub struct Paginated<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> Paginated<T> {
    fn new(inner: BoxStream<'static, Result<T, Error>>) -> Paginated<T> {
        Paginated { inner }
    }

    /// The next page (or item); `None` at the end of the list.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.inner.next().await
    }

    /// Every page (or item) to the end of the list, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(value) = self.next().await {
            all.push(value?);
        }
        Ok(all)
    }
}

impl<T> std::fmt::Debug for Paginated<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Paginated")
    }
}

impl<T> futures_core::Stream for Paginated<T> {
    type Item = Result<T, Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// What the stream of linked pages does next.
enum Step {
    Send(Box<Request>),
    Fail(Error),
    End,
}

/// Pages that link the next one: `next` reads the link, `count` the number of items.
pub(crate) fn by_next_link<T>(
    client: Client,
    first: Result<Request, Error>,
    next: fn(&T) -> Option<&str>,
    count: fn(&T) -> usize,
) -> Paginated<T>
where
    T: Tolerant + Send + 'static,
{
    let step = match first {
        Ok(request) => Step::Send(Box::new(request)),
        Err(error) => Step::Fail(error),
    };
    // The links followed so far: none while the first page is read.
    let state = (step, BTreeSet::<String>::new());
    let pages = stream::unfold(state, move |(step, mut followed)| {
        let client = client.clone();
        async move {
            let request = match step {
                Step::End => return None,
                Step::Fail(error) => return Some((Err(error), (Step::End, followed))),
                Step::Send(request) => request,
            };
            // The settings of the call, for the pages after this one.
            let settings = request.follow(String::new());
            let page: T = match client.execute(*request).await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), (Step::End, followed))),
            };
            let items = count(&page);
            if items == 0 && !followed.is_empty() {
                return None;
            }
            let step = match next(&page)
                .filter(|_| items > 0)
                .map(|link| rebase(client.base_url(), &settings.hosts(&client), link))
            {
                Some(Ok(Some(target))) if followed.insert(target.clone()) => {
                    Step::Send(Box::new(settings.follow(target)))
                }
                Some(Err(error)) => Step::Fail(error),
                _ => Step::End,
            };
            Some((Ok(page), (step, followed)))
        }
    });
    Paginated::new(pages.boxed())
}

/// Pages by offset: `send` sends the call with its offset set to the one given (`None`: the
/// call as made), `count` reads the number of items of a page; `start` is the call's own
/// offset.
pub(crate) fn by_offset<B, T, F, Fut>(builder: B, start: i64, send: F, count: fn(&T) -> usize) -> Paginated<T>
where
    B: Clone + Send + 'static,
    T: Send + 'static,
    F: Fn(B, Option<i64>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, Error>> + Send + 'static,
{
    let advance = move |page: &T, offset: Option<&i64>| Some(offset.copied().unwrap_or(start) + count(page) as i64);
    by_cursor(builder, send, count, advance)
}

/// Pages by a token the answer gives and the call sends back: `send` sends the call with the
/// token given (`None`: the call as made), `next` reads a page's token.
pub(crate) fn by_token<B, T, F, Fut>(
    builder: B,
    send: F,
    next: fn(&T) -> Option<&str>,
    count: fn(&T) -> usize,
) -> Paginated<T>
where
    B: Clone + Send + 'static,
    T: Send + 'static,
    F: Fn(B, Option<String>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, Error>> + Send + 'static,
{
    let advance =
        move |page: &T, _: Option<&String>| next(page).filter(|token| !token.trim().is_empty()).map(str::to_owned);
    by_cursor(builder, send, count, advance)
}

/// Pages by a cursor sent with the call: `advance` reads from a page (and the cursor it was
/// asked with) where the next page starts. A cursor already sent ends the list.
fn by_cursor<B, C, T, F, Fut, A>(builder: B, send: F, count: fn(&T) -> usize, advance: A) -> Paginated<T>
where
    B: Clone + Send + 'static,
    C: Clone + Ord + Send + Sync + 'static,
    T: Send + 'static,
    F: Fn(B, Option<C>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, Error>> + Send + 'static,
    A: Fn(&T, Option<&C>) -> Option<C> + Send + Sync + 'static,
{
    let advance = std::sync::Arc::new(advance);
    // The state: the cursor to send (`Some(None)` for the call as made), or `None` at the end,
    // and the cursors already sent.
    let start = (Some(None::<C>), BTreeSet::<C>::new());
    let pages = stream::unfold(start, move |(state, mut sent)| {
        let request = state.map(|cursor| (cursor.clone(), send(builder.clone(), cursor)));
        let advance = std::sync::Arc::clone(&advance);
        async move {
            let (cursor, request) = request?;
            let page = match request.await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), (None, sent))),
            };
            let items = count(&page);
            if items == 0 && cursor.is_some() {
                return None;
            }
            let next = (items > 0).then(|| advance(&page, cursor.as_ref())).flatten();
            let next = next.filter(|c| sent.insert(c.clone())).map(Some);
            Some((Ok(page), (next, sent)))
        }
    });
    Paginated::new(pages.boxed())
}

/// The items of every page, in order.
pub(crate) fn items<T, I>(pages: Paginated<T>, take: fn(T) -> Vec<I>) -> Paginated<I>
where
    T: Send + 'static,
    I: Send + 'static,
{
    let items = pages.inner.flat_map(move |page| {
        let items: Vec<Result<I, Error>> = match page {
            Ok(page) => take(page).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(items)
    });
    Paginated::new(items.boxed())
}

/// The path and query of a next-page link, to be sent to the client's base URL: a relative
/// link as it is; an absolute one when its host is the base URL's or that of one of `servers`,
/// the API's and the call's own (an API may write its public host into links, even to a client
/// behind a proxy or of another region). A link's path repeats the base URL's own path
/// (`/api/v2` of `https://example.com/api/v2`), which is taken off: the client adds it again.
/// `None` when the text is no link at all (`""`, or a placeholder); an error for another host.
pub(crate) fn rebase(base: &str, servers: &[&str], link: &str) -> Result<Option<String>, Error> {
    let link = link.trim();
    if link.starts_with('/') {
        return Ok(Some(below(link, path_of(base)).to_owned()));
    }
    let Some((_, rest)) = link.split_once("://").filter(|(scheme, _)| matches!(*scheme, "http" | "https")) else {
        return Ok(None);
    };
    let (host, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let host_of = |url: &str| url.split_once("://").map(|(_, r)| r.split('/').next().unwrap_or(r).to_owned());
    let name = host.rsplit_once('@').map_or(host, |(_, h)| h).split(':').next().unwrap_or(host).to_ascii_lowercase();
    let server_name = |url: &str| host_of(url).map(|h| h.split(':').next().unwrap_or_default().to_ascii_lowercase());
    if let Some(server) = servers.iter().find(|url| server_name(url).as_deref() == Some(&name)) {
        Ok(Some(below(path, path_of(server)).to_owned()))
    } else if host_of(base).as_deref() == Some(host) {
        Ok(Some(below(path, path_of(base)).to_owned()))
    } else {
        Err(Error::InvalidRequest(format!(
            "the next page is linked on `{host}`, which is neither a server of the API nor this client's \
             base URL: not followed, so the credentials go nowhere else"
        )))
    }
}

/// The path of a base URL, without its last `/`: `/api/v2` of `https://example.com/api/v2/`,
/// `` of a host alone.
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.find('/').map_or("", |at| rest[at..].trim_end_matches('/'))
}

/// A link's path and query below a base path: `/things?page=2` of `/api/v2/things?page=2`
/// under `/api/v2`; the link as it is when it is not below it.
fn below<'a>(link: &'a str, base_path: &str) -> &'a str {
    match link.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() && (rest.is_empty() || rest.starts_with(['/', '?'])) => rest,
        _ => link,
    }
}

#[cfg(test)]
mod tests {
    use super::rebase;
    use crate::client::{Auth, Servers};

    static SERVERS: Servers = Servers {
        named: &[("Us", "https://api.example.com"), ("Eu", "https://api.eu.example.com/")],
        wrong_region: &[],
        auth: Auth::None,
        versioned_paths: true,
    };

    /// The API's servers' base URLs.
    fn hosts(servers: &'static Servers) -> Vec<&'static str> {
        servers.named.iter().map(|(_, url)| *url).collect()
    }

    #[test]
    fn links_are_followed_on_the_clients_own_base() {
        let base = "http://127.0.0.1:4010";
        let path = |link: &str| rebase(base, &hosts(&SERVERS), link).unwrap();
        assert_eq!(path("/v3/x.com/bounces?page=next&address=a"), Some("/v3/x.com/bounces?page=next&address=a".into()));
        for &(_, url) in SERVERS.named {
            // The document's servers, as an API writes its public host into links.
            let host =
                url.find("://").map_or(url, |at| url[at + 3..].find('/').map_or(url, |end| &url[..at + 3 + end]));
            assert_eq!(path(&format!("{host}/v3/x.com/events/W3siYSI6")), Some("/v3/x.com/events/W3siYSI6".into()));
            assert!(rebase(base, &hosts(&SERVERS), &format!("{host}.evil.example/v3")).is_err());
        }
        assert_eq!(path("http://127.0.0.1:4010/v1/keys?page=2"), Some("/v1/keys?page=2".into()));
        assert_eq!(path(""), None);
        assert_eq!(path("<next page url>"), None);
        assert!(rebase(base, &hosts(&SERVERS), "https://evil.example/v3/x.com/bounces").is_err());
        assert!(rebase(base, &hosts(&SERVERS), "https://user@evil.example/v3").is_err());
    }

    #[test]
    fn a_base_urls_own_path_is_not_repeated() {
        static VERSIONED: Servers = Servers {
            named: &[("Server1", "https://api.example.com/api/v2")],
            wrong_region: &[],
            auth: Auth::None,
            versioned_paths: false,
        };
        let path = |base: &str, link: &str| rebase(base, &hosts(&VERSIONED), link).unwrap().unwrap();
        let base = "https://api.example.com/api/v2";
        assert_eq!(path(base, "https://api.example.com/api/v2/things?page=2"), "/things?page=2");
        assert_eq!(path(base, "/api/v2/things?page=2"), "/things?page=2");
        assert_eq!(path(base, "/api/v20/things"), "/api/v20/things", "only a whole segment is the base's");
        // Behind a proxy with a path of its own: the server's path comes off a link on the
        // server's host, the proxy's off one on the proxy's.
        let proxy = "http://127.0.0.1:4010/proxy";
        assert_eq!(path(proxy, "https://api.example.com/api/v2/things?page=2"), "/things?page=2");
        assert_eq!(path(proxy, "http://127.0.0.1:4010/proxy/things?page=2"), "/things?page=2");
    }
}
