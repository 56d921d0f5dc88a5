//! The command line: what may be typed, checked before anything is sent.

use std::time::Duration;

use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Printed after `--help`: where secrets come from, and what exit codes mean.
const ENVIRONMENT_HELP: &str = "\
Credentials come from the environment only, never from flags (flags show up
in `ps` and in shell history):
  GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET  an access key and its secret, from Gong's API page
  GONG_ACCESS_TOKEN                        an OAuth access token (wins over the access key)
GONG_BASE_URL, GONG_TIMEOUT and GONG_MAX_RETRIES set the options of the same name.

Exit status: 0 success; 2 usage or configuration error (nothing was sent);
3 Gong answered with an error; 4 no usable answer from Gong; 1 anything else.

Try it without an account, against fictional data:
  gong --mock permission-profile users --profile-id 3843152912968920037";

#[derive(Debug, Parser)]
#[command(
    name = "gong",
    version,
    about = "Gong's API from a terminal",
    after_help = ENVIRONMENT_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line and the environment; on a usage error, exits
    /// with status 2 and clap's message, before anything is sent.
    pub fn parse_checked() -> Self {
        let matches = Self::command().get_matches();
        let mut cli = Self::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
        let base_url_source = matches.value_source("base_url");
        if cli.global.mock && base_url_source == Some(ValueSource::CommandLine) {
            Self::command()
                .error(
                    ErrorKind::ArgumentConflict,
                    "--base-url cannot be used with --mock: the mock has its own URL",
                )
                .exit();
        }
        // GONG_BASE_URL names the real Gong, which --mock leaves aside; set
        // but empty, it counts as unset, as in `gong_api`.
        if base_url_source == Some(ValueSource::EnvVariable)
            && (cli.global.mock || cli.global.base_url.as_deref().is_some_and(str::is_empty))
        {
            cli.global.base_url = None;
        }
        cli
    }
}

/// Options every command accepts; `mock serve` ignores the client ones.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Your account's API URL, e.g. https://us-49467.api.gong.io
    /// [default: https://api.gong.io]
    #[arg(
        long,
        env = "GONG_BASE_URL",
        global = true,
        value_name = "URL",
        hide_env_values = true
    )]
    pub base_url: Option<String>,

    /// Longest wait for one attempt, from sending to the last byte of the
    /// answer, in seconds (fractions allowed) [default: 60]
    #[arg(
        long,
        env = "GONG_TIMEOUT",
        global = true,
        value_name = "SECONDS",
        hide_env_values = true,
        // So that `--timeout -1` gets the timeout's message, not "unexpected argument".
        allow_negative_numbers = true,
        value_parser = parse_timeout
    )]
    pub timeout: Option<Duration>,

    /// Retries of transient failures (429, 502, 503, 504, failed
    /// connections); 0 sends once [default: 3]
    #[arg(
        long,
        env = "GONG_MAX_RETRIES",
        global = true,
        value_name = "N",
        hide_env_values = true
    )]
    pub max_retries: Option<u32>,

    /// Log to stderr: -v debug, -vv trace (secrets are never logged)
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Talk to an embedded mock Gong server with fictional data: no network,
    /// no credentials
    #[arg(long, global = true)]
    pub mock: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Permission profiles and the users attached to them
    #[command(subcommand)]
    PermissionProfile(PermissionProfileCommand),

    /// The mock Gong server, for trying the CLI and for tests
    #[command(subcommand)]
    Mock(MockCommand),
}

#[derive(Debug, Subcommand)]
pub enum PermissionProfileCommand {
    /// List the users attached to a permission profile
    #[command(after_help = ENVIRONMENT_HELP)]
    Users {
        /// The permission profile's id, as Gong shows it
        #[arg(long, value_name = "ID", value_parser = parse_profile_id)]
        profile_id: String,

        /// How to print the users
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum MockCommand {
    /// Run the mock Gong server on 127.0.0.1 until Ctrl-C; prints its base
    /// URL on stdout
    Serve {
        /// Port to listen on; 0 picks a free one
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// A JSON array of users, with Gong's field names
    Json,
    /// RFC 4180 CSV with a header row
    Csv,
}

/// Seconds as a positive, finite number; refused here so that no request
/// goes out with a timeout the client would reject or misread.
fn parse_timeout(raw: &str) -> Result<Duration, String> {
    let seconds: f64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("expected a number of seconds, e.g. 30 or 2.5, not {raw:?}"))?;
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err("the timeout must be a positive number of seconds".into());
    }
    match Duration::try_from_secs_f64(seconds) {
        Ok(timeout) if !timeout.is_zero() => Ok(timeout),
        Ok(_) => Err("the timeout is too short: it rounds to zero".into()),
        Err(_) => Err("the timeout is too long".into()),
    }
}

/// Gong answers an empty id with a bare 400; say what is wrong instead, and
/// send nothing.
fn parse_profile_id(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        Err("the profile id must not be empty or only white space".into())
    } else {
        Ok(raw.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeouts_are_positive_and_finite() {
        assert_eq!(parse_timeout("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_timeout("30"), Ok(Duration::from_secs(30)));
        for bad in ["0", "-1", "abc", "", "inf", "NaN", "1e-12", "1e30"] {
            assert!(parse_timeout(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn profile_ids_must_not_be_blank() {
        assert_eq!(parse_profile_id("42").as_deref(), Ok("42"));
        assert!(parse_profile_id("").is_err());
        assert!(parse_profile_id(" \t").is_err());
    }
}
