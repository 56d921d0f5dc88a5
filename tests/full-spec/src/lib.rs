//! Gong's whole published OpenAPI document (`gong-openapi-v2.json`, copied
//! as Gong publishes it), put through gong-api-gen's repairs and generator
//! into a client that must compile. A test fixture: nothing depends on it and
//! it is not published; `gong-api` keeps its own, small spec.
//!
//! `tests/operations.rs` checks that every operation of the document is a
//! method of this client.

// The generated client is about 39,000 lines, and type-checking them is
// nearly all of this crate's cost (about 20 s on 2 cores). `cargo build` and
// `cargo test` compile it once, and `deny(warnings)` makes a rustc warning in
// it (one `gong-api` would meet under `clippy -D warnings`) fail right there.
// It is left out where it would only be checked again: in test mode (which
// `cargo check/clippy --all-targets` compile even with `test = false`) and
// under clippy (whose own lints `gong-api` allows on generated code anyway).
#[cfg(not(any(test, clippy)))]
#[deny(warnings)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/gong_full.rs"));
}

#[cfg(not(any(test, clippy)))]
pub use generated::*;
