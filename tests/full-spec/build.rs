//! Generates a client from Gong's whole published document, repairs applied,
//! with nothing asked of this crate (`HostCrate::standalone`).

use std::path::Path;
use std::process::ExitCode;

use gong_api_gen::{HostCrate, Spec};

/// Gong's document exactly as published (a copy, kept as a test fixture).
const SPEC: &str = "gong-openapi-v2.json";

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed={SPEC}");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let generated = Spec::load(SPEC).and_then(|spec| spec.generate_for(&HostCrate::standalone()));
    match generated {
        Ok(source) => match std::fs::write(Path::new(&out_dir).join("gong_full.rs"), source) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write the generated client to OUT_DIR: {err}");
                ExitCode::FAILURE
            }
        },
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
