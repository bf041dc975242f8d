//! Clients of the services a linked wallet is reported to: Dynamic (SDK API for the signed-in user,
//! admin API for a backend) and Snag Solutions.
//!
//! The clients are generic over a [`Transport`] (HTTP, sleep, clock, randomness) and a
//! [`JsonCodec`], both supplied by the platform: the WebAssembly layer uses `fetch` and the
//! engine's `JSON` (responses reach JavaScript as parsed, checked only for the members the models
//! require), tests use a scripted transport and `serde_json` (with the typed models through
//! [`ModelCodec`]). Failures are coded [`crate::Error`]s:
//! `HTTP_ERROR` (with `status`, `api_code`, `body`), `INVALID_RESPONSE`, `TIMEOUT`, `NETWORK`,
//! `ABORTED`, `BROWSER_SECRET`, `INVALID_ARGUMENT`. The retry policy is in [`retry`].

pub mod client;
pub mod dynamic;
pub mod host;
pub mod json;
pub mod json_rpc;
pub mod link_server;
pub mod retry;
pub mod snag;
pub mod transport;
pub mod types;

pub use client::{
    Call, ClientOptions, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, Reply, SecretPlacement, execute,
};
pub use dynamic::{DEFAULT_DYNAMIC_BASE_URL, DynamicAdminClient, DynamicClient, DynamicOperation};
pub use json::{JsonCodec, JsonKind, ModelCodec, Value};
pub use json_rpc::JsonRpcClient;
pub use link_server::LinkServerClient;
pub use retry::{DEFAULT_MAX_RETRIES, Idempotency, RetryPolicy};
pub use snag::{DEFAULT_SNAG_BASE_URL, SnagClient};
pub use transport::{Credentials, HttpRequest, HttpResponse, Method, Transport, TransportError};
pub use types::*;
