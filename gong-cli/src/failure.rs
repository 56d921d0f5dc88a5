//! Why a command failed: the message for stderr, a next step, and the exit
//! status that scripts branch on.

use std::io::{self, Write as _};
use std::process::ExitCode;

use gong_api::TransportKind;

/// Anything else: the mock could not start, stdout could not be written.
pub const OTHER: u8 = 1;
/// Usage or configuration error; nothing was sent.
pub const USAGE: u8 = 2;
/// Gong answered with an error status.
pub const GONG_ERROR: u8 = 3;
/// No usable answer: no connection, a timeout, or a body that is not the
/// documented JSON.
pub const NO_ANSWER: u8 = 4;

/// The exit status for a client error. The one place that decides it.
pub fn exit_code(err: &gong_api::Error) -> u8 {
    use gong_api::Error as E;
    match err {
        E::Config(_) | E::InvalidRequest(_) => USAGE,
        E::Api { .. } | E::RateLimited { .. } => GONG_ERROR,
        E::Transport { .. } | E::InvalidBody { .. } => NO_ANSWER,
        // `gong_api::Error` may grow; a kind this version does not know.
        _ => OTHER,
    }
}

/// A failed command, ready to report. Messages never hold a secret:
/// `gong_api` errors leave them out, and nothing else here sees one.
#[derive(Debug)]
pub struct Failure {
    message: String,
    hint: Option<String>,
    code: u8,
}

impl Failure {
    pub fn io(context: &str, err: io::Error) -> Self {
        Self {
            message: format!("{context}: {err}"),
            hint: None,
            code: OTHER,
        }
    }

    /// A next step for the reader, printed under the message.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prints `error: …` (and `hint: …`) on stderr and returns the status.
    pub fn report(self) -> ExitCode {
        let mut stderr = io::stderr().lock();
        // Nowhere left to complain if stderr is gone.
        let _ = writeln!(stderr, "error: {}", escape_controls(&self.message));
        if let Some(hint) = &self.hint {
            let _ = writeln!(stderr, "hint: {}", escape_controls(hint));
        }
        ExitCode::from(self.code)
    }
}

impl From<gong_api::Error> for Failure {
    fn from(err: gong_api::Error) -> Self {
        let hint = match &err {
            gong_api::Error::Transport {
                kind: TransportKind::Timeout,
                ..
            } => Some("Gong may be slow right now: try again, or allow more time with --timeout"),
            gong_api::Error::Transport { .. } => {
                Some("check the network, and the base URL (--base-url or GONG_BASE_URL)")
            }
            gong_api::Error::InvalidBody { .. } => Some(
                "something other than Gong's API may have answered (a proxy, a gateway, a wrong base URL); try again later",
            ),
            _ => None,
        };
        Self {
            message: with_causes(&err),
            hint: hint.map(str::to_string),
            code: exit_code(&err),
        }
    }
}

/// The error and its causes on one line, skipping causes that its own text
/// already quotes (a transport error shows reqwest's message, but not why
/// the connection failed).
fn with_causes(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut cause = err.source();
    while let Some(current) = cause {
        let text = current.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = current.source();
    }
    message
}

/// Messages quote what a server sent (request ids, error texts): control
/// characters are shown escaped, so that they cannot drive the terminal.
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A short note for the reader on stderr, outside the command's output.
pub fn note(message: &str) {
    let _ = writeln!(io::stderr().lock(), "{message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_error_kind() {
        let api = gong_api::Error::Api {
            status: gong_api::StatusCode::BAD_REQUEST,
            request_id: Some("r".into()),
            errors: vec!["Bad request".into()],
        };
        let limited = gong_api::Error::RateLimited {
            retry_after: None,
            request_id: None,
        };
        let body = gong_api::Error::InvalidBody {
            status: None,
            request_id: None,
            content_type: Some("text/html".into()),
            reason: "not JSON".into(),
            snippet: "<html>".into(),
        };
        assert_eq!(exit_code(&gong_api::Error::Config("x".into())), USAGE);
        assert_eq!(
            exit_code(&gong_api::Error::InvalidRequest("x".into())),
            USAGE
        );
        assert_eq!(exit_code(&api), GONG_ERROR);
        assert_eq!(exit_code(&limited), GONG_ERROR);
        assert_eq!(exit_code(&body), NO_ANSWER);
    }

    #[test]
    fn control_characters_from_a_server_are_escaped() {
        assert_eq!(
            escape_controls("id \u{1b}[31mRED\u{7}\nnext"),
            "id \\u{1b}[31mRED\\u{7}\\nnext"
        );
        assert_eq!(
            escape_controls("Jönsson: Bad request"),
            "Jönsson: Bad request"
        );
    }
}
