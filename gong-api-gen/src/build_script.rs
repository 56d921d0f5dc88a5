use std::path::Path;
use std::process::ExitCode;

use crate::{HostCrate, Spec};

/// The whole body of a build script that generates a client: re-run when
/// the spec changes (a generator change rebuilds the script, which re-runs
/// it too), generate for `host`, write `OUT_DIR/<file_name>`, and report a
/// failure as a readable error instead of a panic.
pub fn run_build_script(spec: &str, host: &HostCrate, file_name: &str) -> ExitCode {
    println!("cargo::rerun-if-changed={spec}");
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        eprintln!("error: OUT_DIR is not set: run this from a cargo build script");
        return ExitCode::FAILURE;
    };
    let written = Spec::load(spec)
        .and_then(|spec| spec.generate_for(host))
        .map_err(|err| err.to_string())
        .and_then(|source| {
            std::fs::write(Path::new(&out_dir).join(file_name), source)
                .map_err(|err| format!("cannot write the generated client to OUT_DIR: {err}"))
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
