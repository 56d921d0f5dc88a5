//! `gong`: Gong's API from a terminal, on top of the `gong-api` client.
//!
//! One module per concern: `args` (what may be typed), `backend` (which
//! server and client a command talks to), `commands` (what each command
//! does), `output` (how answers are printed), `failure` (messages and exit
//! codes), `logging` (`-v`).

mod args;
mod backend;
mod commands;
mod failure;
mod logging;
mod output;

use std::process::ExitCode;

// One thread is plenty: a command sends one request at a time, and the
// embedded mock server runs on the same runtime.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // Usage errors end here with clap's message and exit status 2.
    let cli = args::Cli::parse_checked();
    logging::init(cli.global.verbose);
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
