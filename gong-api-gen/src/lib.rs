//! Turns Gong's OpenAPI document into the Rust source of the `gong-api` client.
//!
//! The pipeline is [`Spec::load`] (read and parse, with locations in errors),
//! [`Spec::check`] (refuse what progenitor would choke on or silently get
//! wrong), then [`Spec::generate`] (progenitor with the settings of
//! [`settings`], formatted by prettyplease). `gong-api`'s build script runs it
//! on every build; the `gong-api-gen` binary prints its output for reading.

mod check;
mod error;
mod generate;
mod load;
mod summary;

pub use error::{Finding, SpecError};
pub use generate::settings;
pub use load::Spec;
