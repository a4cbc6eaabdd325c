//! Guanai's edge: a Cloudflare Worker that serves the JSON API, the embeddable bundle and the
//! example pages.
//!
//! Request handling is plain Rust ([`routes::handle`]) over small request/response types
//! ([`http`]) and a key-value trait ([`store::KvRead`]), so every route is tested natively with
//! an in-memory store. Only `worker_glue` (compiled for wasm32 only) knows the `worker` crate:
//! it converts a `worker::Request` in, calls the router, and converts the answer out.

pub mod catalog;
pub mod config;
pub mod cors;
pub mod error;
pub mod http;
pub mod routes;
pub mod store;

#[cfg(target_arch = "wasm32")]
mod worker_glue;
