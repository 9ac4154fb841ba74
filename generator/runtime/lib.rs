//! The runtime of every generated crate, compiled on its own.
//!
//! A generated crate carries a copy of each module here (not of this file: its own `lib.rs`
//! is generated) beside the modules made from its API document. This crate is how the runtime
//! gets compiler, lint and unit-test feedback without generating anything: it declares the
//! same modules and exports the same names as a generated crate's root does, and nothing more.
//!
//! The runtime knows no API. What a generated crate knows of its API it hands over as values:
//! its servers, wrong-region answers and security scheme (`client::Servers`, given to
//! `ClientBuilder::new` with the user's `client::Credentials`), how each call reads its error
//! bodies (a function returning an `error::Detail`), the calls the test double tells apart
//! (`MockServer::serving`). The constructors a user calls (`Client::builder`,
//! `MockServer::start`) and the typed accessors (`ApiError::detail`) are generated around those.

#![warn(missing_docs)]
// The runtime's crate-internal functions and macros are called by the generated code, which
// this crate does not have: unused here by construction. Its unit tests use what they test.
#![allow(dead_code, unused_macros)]

mod client;
pub mod drift;
mod error;
mod http;
#[cfg(feature = "mock")]
mod mock_server;
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
pub use http::{RawResponse, RequestBuilder, Response, Sending};
pub use paging::Paginated;
pub use retry::RetryPolicy;
pub use timestamp::Timestamp;
pub use unknown::UnknownValue;
pub use wire::File;

#[cfg(feature = "webhooks")]
pub use webhook::{WebhookError, WebhookPayload, WebhookSignature, WebhookVerifier};
