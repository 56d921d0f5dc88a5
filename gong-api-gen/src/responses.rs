//! An operation's responses as progenitor 0.15 groups them: the success
//! statuses share one Rust type, the error statuses another, and it asserts
//! (`response_types.len() <= 1`) when a group holds two.

use serde_json::{Map, Value};

use crate::error::pointer_token;
use crate::walk::{self, OperationAt};

/// A status key as progenitor orders and groups it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusKey {
    Code(u16),
    Range(u16),
    Default,
}

impl StatusKey {
    fn parse(status: &str) -> Option<Self> {
        if status == "default" {
            return Some(Self::Default);
        }
        let bytes = status.as_bytes();
        if bytes.len() != 3 || !bytes[0].is_ascii_digit() {
            return None;
        }
        if status[1..].eq_ignore_ascii_case("xx") {
            return Some(Self::Range(u16::from(bytes[0] - b'0')));
        }
        status.parse().ok().map(Self::Code)
    }

    fn order(self) -> u16 {
        match self {
            Self::Code(code) => code,
            Self::Range(range) => range * 100,
            Self::Default => 1000,
        }
    }

    fn is_success(self) -> bool {
        matches!(
            self,
            Self::Default | Self::Code(101 | 200..=299) | Self::Range(2)
        )
    }

    fn is_error(self) -> bool {
        matches!(
            self,
            Self::Default | Self::Code(400..=599) | Self::Range(4 | 5)
        )
    }
}

/// What progenitor makes of one response's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body<'a> {
    /// JSON whose schema is this `$ref`.
    Schema(&'a str),
    /// JSON with a schema written in place.
    Inline,
    /// JSON with no schema at all (progenitor stops with `todo!`).
    JsonWithoutSchema,
    /// Only non-JSON media types: handed over as raw bytes.
    Raw,
    /// No content.
    Empty,
    /// `101 Switching Protocols` without JSON.
    Upgrade,
    /// The response is a `$ref` that names nothing.
    Unresolved,
}

impl Body<'_> {
    /// How a message names this body.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Schema(reference) => schema_name(reference).to_string(),
            Self::Inline => "an inline schema".into(),
            Self::JsonWithoutSchema => "JSON without a schema".into(),
            Self::Raw => "a body that is not JSON".into(),
            Self::Empty => "no body".into(),
            Self::Upgrade => "a protocol upgrade".into(),
            Self::Unresolved => "an unknown response".into(),
        }
    }

    /// Bodies whose problem is reported on its own (an inline schema, a
    /// non-JSON type, a broken reference): a group is judged without them,
    /// so that one fix does not show up as two problems.
    pub(crate) fn reported_alone(&self) -> bool {
        matches!(
            self,
            Self::Inline | Self::JsonWithoutSchema | Self::Raw | Self::Unresolved
        )
    }
}

/// `#/components/schemas/Things` reads as `Things`.
pub(crate) fn schema_name(reference: &str) -> &str {
    reference
        .strip_prefix("#/components/schemas/")
        .unwrap_or(reference)
}

/// One documented status of an operation.
#[derive(Debug)]
pub(crate) struct Status<'a> {
    /// The key as written: `200`, `2XX`, `default`.
    pub(crate) status: &'a str,
    pub(crate) code: StatusKey,
    /// Pointer to the response in the operation.
    pub(crate) at: String,
    /// Pointer to where the response object is written: `at`, or the
    /// shared response a `$ref` there names.
    pub(crate) location: String,
    /// The response object, after following a `$ref`.
    pub(crate) response: Option<&'a Map<String, Value>>,
    /// Whether the response is a `$ref` to a shared response.
    pub(crate) shared: bool,
    /// The JSON media type's key in `content`, if there is one.
    pub(crate) json_media_type: Option<&'a str>,
    pub(crate) body: Body<'a>,
}

/// An operation's statuses, and the two groups progenitor makes of them.
pub(crate) struct Responses<'a> {
    pub(crate) statuses: Vec<Status<'a>>,
    /// Indices into `statuses`, in progenitor's order.
    pub(crate) success: Vec<usize>,
    pub(crate) error: Vec<usize>,
}

pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

pub(crate) fn responses<'a>(document: &'a Value, operation: &OperationAt<'a>) -> Responses<'a> {
    let mut statuses = Vec::new();
    let listed = operation
        .operation
        .get("responses")
        .and_then(Value::as_object);
    for (status, response) in listed.into_iter().flatten() {
        let Some(code) = StatusKey::parse(status) else {
            continue;
        };
        let at = format!("{}/responses/{}", operation.at, pointer_token(status));
        let followed = walk::follow(document, response);
        let via = followed.and_then(|(_, via)| via);
        let shared = response.get("$ref").is_some();
        let location = via
            .and_then(walk::ref_pointer)
            .unwrap_or_else(|| at.clone());
        let resolved = followed.and_then(|(response, _)| response.as_object());
        let content = resolved
            .and_then(|r| r.get("content"))
            .and_then(Value::as_object);
        let json = content.and_then(|c| c.iter().find(|(media_type, _)| is_json(media_type)));
        let body = match (resolved, json) {
            (None, _) => Body::Unresolved,
            (Some(_), Some((_, media))) => match media.get("schema") {
                None => Body::JsonWithoutSchema,
                Some(schema) => match schema.get("$ref").and_then(Value::as_str) {
                    Some(reference) => Body::Schema(reference),
                    None => Body::Inline,
                },
            },
            (Some(_), None) if code == StatusKey::Code(101) => Body::Upgrade,
            (Some(_), None) if content.is_some_and(|c| !c.is_empty()) => Body::Raw,
            (Some(_), None) => Body::Empty,
        };
        statuses.push(Status {
            status,
            code,
            at,
            location,
            response: resolved,
            shared,
            json_media_type: json.map(|(media_type, _)| media_type.as_str()),
            body,
        });
    }
    let group = |keep: fn(StatusKey) -> bool| {
        let mut indices: Vec<usize> = (0..statuses.len())
            .filter(|&i| keep(statuses[i].code))
            .collect();
        indices.sort_by_key(|&i| statuses[i].code.order());
        indices
    };
    let mut success = group(StatusKey::is_success);
    // A `2XX` range makes `default` unreachable as a success.
    if let [.., range, default] = success[..]
        && statuses[range].code == StatusKey::Range(2)
        && statuses[default].code == StatusKey::Default
    {
        success.pop();
    }
    let error = group(StatusKey::is_error);
    Responses {
        statuses,
        success,
        error,
    }
}
