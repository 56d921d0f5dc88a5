//! Generates the client from the checked-in spec on every build that needs it.

use std::path::Path;
use std::process::ExitCode;

/// Relative to this crate, so the generated header and errors stay the same
/// on every machine.
const SPEC: &str = "../spec/gong.yaml";

fn main() -> ExitCode {
    // Re-run when the spec changes; a change to the generator rebuilds this
    // script (it is a build-dependency), which re-runs it too.
    println!("cargo::rerun-if-changed={SPEC}");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let generated = gong_api_gen::Spec::load(SPEC).and_then(|spec| spec.generate());
    match generated {
        Ok(source) => match std::fs::write(Path::new(&out_dir).join("gong.rs"), source) {
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
