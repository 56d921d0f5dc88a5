//! A typed client for Gong's API, generated with progenitor from Gong's
//! OpenAPI document (`spec/gong.yaml` in the repository).
//!
//! ```no_run
//! # async fn run() -> Result<(), gong_api::Error> {
//! let client = gong_api::Client::from_env()?;
//! let answer = client
//!     .list_permission_profile_users()
//!     .profile_id("3843152912968920037")
//!     .send()
//!     .await?;
//! for user in &answer.users {
//!     println!("{:?} {:?}", user.id, user.email_address);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Everything under [`types`] and every method of [`Client`] that sends a
//! request is generated; this crate adds credentials ([`Credentials`]),
//! configuration ([`ClientBuilder`]), one error type ([`Error`]), and the
//! pacing and retries every request goes through ([`RetryPolicy`],
//! [`RateLimit`]).

mod auth;
mod config;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod policy;
mod response;

/// The client progenitor generates from `spec/gong.yaml`, checked in so that
/// users do not compile the generator; a test fails while it differs from
/// what the spec generates. `include!`, not `mod`, keeps rustfmt off it.
#[allow(clippy::all, clippy::pedantic, missing_docs)]
mod generated {
    include!("generated.rs");
}

pub use auth::Credentials;
pub use config::{ClientBuilder, DEFAULT_BASE_URL};
pub use error::{Error, TransportKind};
/// What generated methods return on failure; `?` turns it into [`Error`].
pub use generated::Error as GeneratedError;
pub use generated::{Client, ClientInfo, ResponseValue, builder, prelude, types};
pub use policy::{RateLimit, RequestPolicy, RetryPolicy};
/// The status type in [`Error`], so callers need not depend on `http`.
pub use reqwest::StatusCode;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The README's Rust examples, compiled by `cargo test` so they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;
