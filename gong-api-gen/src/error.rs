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
    #[error("{}:{line}:{column}: {message}\n  fix: correct the {format} syntax there or just before it (an unclosed bracket or quote is reported where reading stopped)", path.display())]
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

/// One change the normalization step made to a document before checking and
/// generating from it: which repair, where (a JSON pointer into the document
/// as written), and what it changed. Repairs fix known defects of Gong's
/// published documents without changing what the API means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The repair's name, e.g. `example-set-flag` (see [`crate::REPAIRS`]).
    pub name: &'static str,
    /// RFC 6901 pointer to what was changed, in the document as the earlier
    /// repairs left it (for all of Gong's defects, the document as written).
    pub pointer: String,
    /// What was there and what is there now.
    pub what: String,
}

impl Repair {
    pub(crate) fn new(
        name: &'static str,
        pointer: impl Into<String>,
        what: impl Into<String>,
    ) -> Self {
        Self {
            name,
            pointer: pointer.into(),
            what: what.into(),
        }
    }
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        write!(f, "[{}] at {at}: {}", self.name, self.what)
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
