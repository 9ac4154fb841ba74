#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// On docs.rs (nightly rustdoc), every feature-gated item says which feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
// With every API area compiled there are no crate-wide lint allows: the generator puts
// `#[allow]` on exactly the items that need one (a call or constructor whose spec requires more
// than seven values; an untagged union, whose variants hold whatever decoded and would be
// clumsier to match if boxed). With only some areas, parts of the runtime serve none of them
// (paging for a crate without a paged list, multipart without a file upload): unused by
// choice, not by mistake, so that is not warned about.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_macros))]

#[rustfmt::skip]
pub mod apis;
#[rustfmt::skip]
pub mod types;
#[rustfmt::skip]
mod region;
#[rustfmt::skip]
pub mod spec;
#[rustfmt::skip]
mod error_body;
#[cfg(feature = "webhooks")]
#[rustfmt::skip]
mod webhook_event;

mod client;
pub mod drift;
mod error;
mod http;
#[cfg(feature = "mock")]
pub mod mock;
mod paging;
mod retry;
mod timestamp;
mod tolerant;
mod unknown;
#[cfg(feature = "webhooks")]
mod webhook;
mod wire;

pub use client::{Client, ClientBuilder};
pub use drift::{Drift, DriftKind, Undocumented};
pub use error::{ApiError, DecodeError, Error};
pub use error_body::ErrorBody;
pub use http::{RawResponse, Response};
pub use paging::Paginated;
pub use region::Region;
pub use retry::RetryPolicy;
pub use timestamp::Timestamp;
pub use unknown::UnknownValue;
#[cfg(feature = "webhooks")]
pub use webhook::{WebhookError, WebhookPayload, WebhookSignature, WebhookVerifier};
#[cfg(feature = "webhooks")]
pub use webhook_event::WebhookEvent;
pub use wire::File;
