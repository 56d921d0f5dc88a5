//! Generates a client from Gong's whole published document, repairs applied,
//! with nothing asked of this crate (`HostCrate::standalone`).

use std::process::ExitCode;

/// Gong's document exactly as published (a copy, kept as a test fixture).
const SPEC: &str = "gong-openapi-v2.json";

fn main() -> ExitCode {
    gong_api_gen::run_build_script(SPEC, &gong_api_gen::HostCrate::standalone(), "gong_full.rs")
}
