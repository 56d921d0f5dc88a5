use std::fmt;
use std::path::PathBuf;

/// Why a spec could not be turned into a client. Every variant names the file;
/// each finding names the place in it and what to change.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}\n  fix: correct the {format} syntax at that line", path.display())]
    Syntax {
        path: PathBuf,
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{} cannot be used as it is ({} problem{}):{}", path.display(), findings.len(), if findings.len() == 1 { "" } else { "s" }, FindingList(findings))]
    Invalid {
        path: PathBuf,
        findings: Vec<Finding>,
    },
    #[error("{}: progenitor could not generate a client: {message}\n  fix: this spec hits a case the checks do not cover; simplify the construct the message names", path.display())]
    Generate { path: PathBuf, message: String },
}

/// One problem in a spec: where (a JSON pointer), what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// RFC 6901 pointer into the document, e.g. `/paths/~1v2~1users/get`.
    pub pointer: String,
    pub problem: String,
    pub fix: String,
}

impl Finding {
    pub(crate) fn new(
        pointer: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            pointer: pointer.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        write!(f, "at {at}: {}\n    fix: {}", self.problem, self.fix)
    }
}

struct FindingList<'a>(&'a [Finding]);

impl fmt::Display for FindingList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .iter()
            .try_for_each(|finding| write!(f, "\n  - {finding}"))
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901 §3).
pub(crate) fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins tokens into a JSON pointer, escaping each.
pub(crate) fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .map(|t| format!("/{}", pointer_token(t)))
        .collect()
}
