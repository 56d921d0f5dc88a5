use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::generated::types::ErrorResponse;
use crate::policy::retry_after;
use crate::response::{BufferedBody, DecodeFailure, Oversized, Unread};

/// Gong's answer header that repeats the body's `requestId`.
const TRACE_ID: &str = "x-traceid";

/// A header's value, when it is text.
fn header_text(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Longest part of an unexpected body kept in an error, in characters.
const SNIPPET_CHARS: usize = 200;

/// Every way a call can fail. Nothing in it holds a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be set up (base URL, credentials, settings). No
    /// request was sent.
    #[error("configuration error: {0}")]
    Config(String),

    /// An argument was refused before anything was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// Gong answered with an error status and an error body it documents
    /// (or one close enough to read `requestId` and `errors` from).
    #[error("Gong answered {status}{}: {}{}", RequestIdSuffix(request_id.as_deref()), Messages(errors), hint(*status))]
    Api {
        status: StatusCode,
        /// Gong's reference for this request, from the body or `x-traceid`.
        request_id: Option<String>,
        errors: Vec<String>,
    },

    /// Gong kept answering 429 (too many requests) after the allowed retries,
    /// or asked for a longer wait than [`RetryPolicy::max_wait`](crate::RetryPolicy::max_wait).
    #[error("Gong answered {} (rate limit exceeded){}: {}", StatusCode::TOO_MANY_REQUESTS, RequestIdSuffix(request_id.as_deref()), RetryAfter(*retry_after))]
    RateLimited {
        /// How long Gong asked to wait, when it said.
        retry_after: Option<Duration>,
        request_id: Option<String>,
    },

    /// An answer arrived, but its body is not the JSON the spec documents
    /// (an HTML error page from a gateway, an empty or cut-off body, a
    /// changed shape).
    #[error("Gong answered {} with a body that is not the documented JSON ({reason}){}; the body starts: {snippet:?}",
        status.map_or_else(|| "a success status".to_string(), |s| s.to_string()),
        RequestIdSuffix(request_id.as_deref()))]
    InvalidBody {
        /// `None` only when progenitor decoded a success status and did not
        /// keep it.
        status: Option<StatusCode>,
        request_id: Option<String>,
        content_type: Option<String>,
        /// What was wrong with the body.
        reason: String,
        /// The body's first characters, white space folded.
        snippet: String,
    },

    /// No usable answer: the connection failed, timed out, or the answer
    /// broke off. The message ends with the innermost cause (e.g.
    /// "Connection refused"), which reqwest's own message leaves out.
    #[error("no answer from Gong ({kind}): {source}{}", RootCause(source))]
    Transport {
        kind: TransportKind,
        #[source]
        source: reqwest::Error,
    },
}

/// Why no answer arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be opened (refused, DNS, TLS, connect timeout).
    Connect,
    /// The request or the body took longer than the configured timeout.
    Timeout,
    /// An answer started but broke off, or its encoding (gzip, chunks) was
    /// corrupt.
    BrokenAnswer,
    /// Anything else: a reset, a malformed HTTP answer, a redirect loop.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect",
            Self::Timeout => "timed out",
            Self::BrokenAnswer => "the answer broke off or could not be decoded",
            Self::Other => "connection failed",
        })
    }
}

impl Error {
    /// The HTTP status of Gong's answer, if one arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::InvalidBody { status, .. } => *status,
            Self::Transport { source, .. } => source.status(),
            Self::Config(_) | Self::InvalidRequest(_) => None,
        }
    }

    /// Gong's `requestId` for the failed request, to quote to Gong support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. }
            | Self::RateLimited { request_id, .. }
            | Self::InvalidBody { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn transport(source: reqwest::Error) -> Self {
        let kind = if source.is_builder() {
            // Nothing was sent: the request could not even be built (e.g. a
            // URL too long to parse). The URL itself may be huge: leave it out.
            return Self::InvalidRequest(format!(
                "the request could not be built: {}",
                source.without_url()
            ));
        } else if source.is_timeout() {
            TransportKind::Timeout
        } else if source.is_connect() {
            TransportKind::Connect
        } else if source.is_body() || source.is_decode() {
            TransportKind::BrokenAnswer
        } else {
            TransportKind::Other
        };
        Self::Transport { kind, source }
    }

    /// Classifies an answer that did not decode into its documented type,
    /// or whose status the spec does not list.
    fn from_answer(response: &reqwest::Response) -> Self {
        let (status, headers) = (response.status(), response.headers());
        let body = response
            .extensions()
            .get::<BufferedBody>()
            .map(|b| b.0.clone())
            .unwrap_or_default();
        let content_type = header_text(headers, reqwest::header::CONTENT_TYPE.as_str());
        if let Some(Oversized(limit)) = response.extensions().get::<Oversized>() {
            return Self::InvalidBody {
                status: Some(status),
                request_id: header_text(headers, TRACE_ID),
                content_type,
                reason: format!(
                    "larger than the {limit}-byte limit; raise it with `ClientBuilder::max_body_size`"
                ),
                snippet: snippet(&body),
            };
        }
        let lenient = LenientErrorBody::parse(&body);
        let request_id = lenient
            .as_ref()
            .and_then(|b| b.request_id.clone())
            .or_else(|| header_text(headers, TRACE_ID));
        match lenient {
            _ if status == StatusCode::TOO_MANY_REQUESTS => Self::RateLimited {
                retry_after: retry_after(headers),
                request_id,
            },
            Some(error) if !status.is_success() => Self::Api {
                status,
                request_id,
                errors: error.errors,
            },
            _ => {
                let decode_failure = response
                    .extensions()
                    .get::<DecodeFailure>()
                    .map(|f| f.0.as_str());
                let reason = if status.is_success() && decode_failure.is_none() {
                    // The generated method decodes every status the spec
                    // lists: one that did not fail decoding is not listed.
                    let unread = response.extensions().get::<Unread>().is_some();
                    format!(
                        "{status} is not a status the spec lists for this operation{}",
                        if unread { "; body not read" } else { "" }
                    )
                } else {
                    describe_body(content_type.as_deref(), &body, decode_failure)
                };
                Self::InvalidBody {
                    status: Some(status),
                    request_id,
                    reason,
                    content_type,
                    snippet: snippet(&body),
                }
            }
        }
    }
}

impl From<crate::GeneratedError<ErrorResponse>> for Error {
    fn from(err: crate::GeneratedError<ErrorResponse>) -> Self {
        use crate::GeneratedError as E;
        match err {
            E::InvalidRequest(message) | E::Custom(message) => Self::InvalidRequest(message),
            E::CommunicationError(source)
            | E::ResponseBodyError(source)
            | E::InvalidUpgrade(source) => Self::transport(source),
            E::ErrorResponse(answer) => {
                let status = answer.status();
                let request_id = answer
                    .request_id
                    .clone()
                    .or_else(|| header_text(answer.headers(), TRACE_ID));
                let errors = answer.into_inner().errors;
                if status == StatusCode::TOO_MANY_REQUESTS {
                    Self::RateLimited {
                        retry_after: None,
                        request_id,
                    }
                } else {
                    Self::Api {
                        status,
                        request_id,
                        errors,
                    }
                }
            }
            E::InvalidResponsePayload(body, source) => Self::InvalidBody {
                status: None,
                request_id: None,
                content_type: None,
                reason: format!("it does not match the documented schema: {source}"),
                snippet: snippet(&body),
            },
            // The request policy reads every error body, and `decode` every
            // success body that did not fit, and keep a copy where this
            // synchronous conversion can read it.
            E::UnexpectedResponse(response) => Self::from_answer(&response),
        }
    }
}

/// Gong's error body, read leniently: `errors` may be missing, or hold
/// objects instead of strings.
#[derive(serde::Deserialize)]
struct LenientErrorBody {
    #[serde(rename = "requestId")]
    request_id: Option<String>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
}

struct LenientError {
    request_id: Option<String>,
    errors: Vec<String>,
}

impl LenientErrorBody {
    /// Only a JSON object counts: serde's derive also reads a struct from a
    /// JSON array, by position, which made `["Bad request"]` an error whose
    /// requestId was "Bad request".
    fn parse(body: &[u8]) -> Option<LenientError> {
        let object @ serde_json::Value::Object(_) = serde_json::from_slice(body).ok()? else {
            return None;
        };
        let parsed: Self = serde_json::from_value(object).ok()?;
        let errors = match parsed.errors {
            Some(serde_json::Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect(),
            Some(serde_json::Value::String(s)) => vec![s],
            Some(serde_json::Value::Null) | None => Vec::new(),
            Some(other) => vec![other.to_string()],
        };
        Some(LenientError {
            request_id: parsed.request_id,
            errors,
        })
    }
}

fn describe_body(content_type: Option<&str>, body: &[u8], decode_failure: Option<&str>) -> String {
    let length = body.len();
    let kind = content_type.unwrap_or("no content-type");
    if body.iter().all(u8::is_ascii_whitespace) {
        return format!("empty body, {kind}");
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Ok(_) => match decode_failure {
            Some(failure) => format!("JSON of another shape: {failure}; {kind}, {length} bytes"),
            None => format!("JSON of another shape, {kind}, {length} bytes"),
        },
        Err(err) => format!("not JSON ({err}), {kind}, {length} bytes"),
    }
}

/// The start of a body as text, white space folded, at most
/// [`SNIPPET_CHARS`] characters.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_CHARS * 4)]);
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = folded.chars();
    let mut out: String = chars.by_ref().take(SNIPPET_CHARS).collect();
    if chars.next().is_some() || body.len() > SNIPPET_CHARS * 4 {
        out.push('…');
    }
    out
}

/// `: <innermost cause>` when the error has causes.
struct RootCause<'a>(&'a reqwest::Error);

impl fmt::Display for RootCause<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(self.0);
        let mut innermost = None;
        while let Some(current) = cause {
            innermost = Some(current);
            cause = current.source();
        }
        match innermost {
            Some(root) => write!(f, ": {root}"),
            None => Ok(()),
        }
    }
}

struct RequestIdSuffix<'a>(Option<&'a str>);

impl fmt::Display for RequestIdSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " (requestId {id})"),
            None => Ok(()),
        }
    }
}

struct Messages<'a>(&'a [String]);

impl fmt::Display for Messages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("no error message")
        } else {
            f.write_str(&self.0.join("; "))
        }
    }
}

struct RetryAfter(Option<Duration>);

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(
                f,
                "retry in {} s or later (Gong allows 3 calls per second and 10,000 per day)",
                wait.as_secs().max(1)
            ),
            None => f.write_str("retry later (Gong allows 3 calls per second and 10,000 per day)"),
        }
    }
}

/// What a person can do about a status.
fn hint(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => " (check the arguments: Gong also answers 400 for an id it does not know)",
        401 => " (check the credentials, and that the base URL is your account's API URL)",
        403 => " (the credentials lack the permission; an OAuth token needs the endpoint's scope)",
        404 => " (check the base URL: it should be your account's API URL, without a path)",
        500..=599 => " (a problem on Gong's side; try again later)",
        _ => "",
    }
}
