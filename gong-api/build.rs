//! Generates the client from the checked-in spec on every build that needs it.

use std::process::ExitCode;

/// Relative to this crate, so the generated header and errors stay the same
/// on every machine.
const SPEC: &str = "../spec/gong.yaml";

fn main() -> ExitCode {
    gong_api_gen::run_build_script(SPEC, &gong_api_gen::HostCrate::gong_api(), "gong.rs")
}
