//! Turns Gong's OpenAPI document into the Rust source of the `gong-api` client.
//!
//! The pipeline is [`Spec::load`] (read, with locations in syntax errors;
//! repair the known defects of Gong's published documents, see [`REPAIRS`];
//! parse), [`Spec::check`] (refuse what progenitor would choke on or silently
//! get wrong), then [`Spec::generate`] (progenitor with the settings of
//! [`settings`], formatted by prettyplease). The `gong-api-gen` binary writes
//! `gong-api`'s checked-in client with it (`generate <spec> --out <file>`) or
//! prints it, and [`Report`] (`gong-api-gen check`) lists every repair and
//! problem at once; [`run_build_script`] generates in a build script instead
//! (the full-spec test fixture does).

mod build_script;
mod check;
mod error;
mod generate;
mod load;
mod repair;
mod responses;
mod summary;
mod walk;

pub use build_script::run_build_script;
pub use error::{Finding, Repair, SpecError};
pub use generate::{HostCrate, settings, settings_for};
pub use load::{Report, Spec};
pub use repair::REPAIRS;
