//! Guanai's edge: a Cloudflare Worker that serves the JSON API, the embeddable bundle and the
//! example pages.
//!
//! Request handling is plain Rust ([`routes::handle`]) over small request/response types
//! ([`http`]) and traits for storage ([`store::Kv`]) and rate limits ([`limits::RateLimiter`]), so every route is tested natively with
//! an in-memory store. Only `worker_glue` (compiled for wasm32 only) knows the `worker` crate:
//! it converts a `worker::Request` in, calls the router, and converts the answer out.

pub mod admin;
pub mod applications;
pub mod catalog;
pub mod catalog_pages;
pub mod config;
pub mod context;
pub mod cors;
pub mod crypto;
pub mod error;
#[cfg(test)]
mod form_tests;
pub mod forms;
#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod hsds_tests;
pub mod http;
pub mod kv_json;
pub mod limits;
pub mod me;
pub mod me_page;
#[cfg(test)]
mod me_tests;
#[cfg(test)]
mod openapi_tests;
pub mod origins;
#[cfg(test)]
mod property_tests;
pub mod routes;
pub mod scale;
#[cfg(test)]
mod scale_tests;
pub mod scan;
pub mod secrets;
pub mod signups;
#[cfg(test)]
mod sites_tests;
pub mod snapshot_cache;
pub mod store;
#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
mod worker_glue;
