//! The `gong` command from start to exit against its embedded mock:
//! `gong --mock permission-profile users --profile-id 3843152912968920037`
//! (release build, output to /dev/null), next to a hello-world Rust binary
//! and to `true`, each spawned and waited for.
//!
//! The release `gong` is built first (`cargo build --release -p gong-cli`),
//! unless `GONG_BIN` names a binary to use instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gong_benches::{PROFILE_ID, results};

fn gong_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("GONG_BIN") {
        return PathBuf::from(path);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "gong-cli",
            "--bin",
            "gong",
        ])
        .status()
        .expect("run cargo build for the gong binary");
    assert!(status.success(), "cargo build --release -p gong-cli failed");
    results::target_dir().join("release").join("gong")
}

fn run(program: &Path, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn the program");
    assert!(status.success(), "{} failed: {status}", program.display());
}

fn cli(c: &mut Criterion) {
    // Build nothing when a filter leaves these out (`cargo bench -- decode`).
    if !["cli/gong --mock", "cli/hello-world", "cli/true"]
        .iter()
        .any(|id| gong_benches::selected(id))
    {
        return;
    }
    let gong = gong_binary();
    let gong_args = [
        "--mock",
        "permission-profile",
        "users",
        "--profile-id",
        PROFILE_ID,
    ];
    // It must answer like the README says before it is timed.
    let output = Command::new(&gong)
        .args(gong_args)
        .output()
        .expect("run gong");
    assert!(output.status.success(), "gong --mock failed: {output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Maya Okafor"));

    let hello = PathBuf::from(env!("CARGO_BIN_EXE_hello-baseline"));
    let true_bin = PathBuf::from("true");
    let mut group = c.benchmark_group("cli");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("gong --mock", |b| b.iter(|| run(&gong, &gong_args)));
    group.bench_function("hello-world", |b| b.iter(|| run(&hello, &[])));
    group.bench_function("true", |b| b.iter(|| run(&true_bin, &[])));
    group.finish();
}

criterion_group!(benches, cli);
criterion_main!(benches);
