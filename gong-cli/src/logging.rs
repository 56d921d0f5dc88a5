//! `-v`: debug or trace logs on stderr, for this binary and `gong_api` only.
//! Other crates (hyper, reqwest) stay quiet: their traces are noise here,
//! and nothing should get a chance to print a request header.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

pub fn init(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::new(format!(
        "{}={level},gong_api={level}",
        env!("CARGO_CRATE_NAME")
    ));
    // Fails only if a subscriber is already set; logs are optional anyway.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
