//! Checks for what progenitor 0.15 would reject with a panic, or accept and
//! get silently wrong. Each returns findings rather than stopping at the
//! first, so a spec can be fixed in one pass.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Operation, ReferenceOr, Response, StatusCode};
use serde_json::Value;

use crate::error::{Finding, SpecError, pointer};
use crate::load::Spec;

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const RESPONSE_PREFIX: &str = "#/components/responses/";

/// progenitor reads OpenAPI 3.0.x only; 3.1 changed `nullable`, `example`
/// and more, so it is refused rather than half understood.
pub(crate) fn openapi_version(document: &Value) -> Option<Finding> {
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => None,
        Some(version) => Some(Finding::new(
            "/openapi",
            format!(
                "OpenAPI {version} is not supported: the generator (progenitor) reads OpenAPI 3.0.x only"
            ),
            "declare `openapi: 3.0.3` and write the document in 3.0 terms (e.g. `nullable: true` instead of a `null` type)",
        )),
        None => Some(Finding::new(
            "/openapi",
            "missing or not a string: this does not look like an OpenAPI document",
            "start the document with `openapi: 3.0.3`",
        )),
    }
}

impl Spec {
    /// Every problem this spec has that would stop or mislead generation.
    pub fn findings(&self) -> Vec<Finding> {
        let doc = &self.document;
        let mut findings = Vec::new();
        let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();
        for (path, method, operation) in doc.operations() {
            let at = pointer(["paths", path, method]);
            match operation.operation_id.as_deref() {
                None => findings.push(Finding::new(
                    &at,
                    "operation has no operationId; the client method is named after it",
                    "add a unique `operationId` in lowerCamelCase, e.g. `listPermissionProfileUsers`",
                )),
                Some(id) => {
                    if let Some(first) = operation_ids.insert(id, at.clone()) {
                        findings.push(Finding::new(
                            format!("{at}/operationId"),
                            format!("operationId `{id}` is already used at {first}"),
                            "give each operation its own operationId",
                        ));
                    }
                }
            }
            check_responses(doc, &at, operation, &mut findings);
        }
        findings
    }

    /// Fails with every finding at once, or passes.
    pub fn check(&self) -> Result<(), SpecError> {
        let findings = self.findings();
        if findings.is_empty() {
            Ok(())
        } else {
            Err(SpecError::Invalid {
                path: self.path.clone(),
                findings,
            })
        }
    }
}

/// progenitor needs one schema for all success statuses and one for all
/// error statuses of an operation (else it asserts), and names inline
/// schemas `{OperationId}Response`, which can silently collide: so every
/// response body must be a `$ref` to a schema that exists.
fn check_responses(doc: &OpenAPI, at: &str, operation: &Operation, findings: &mut Vec<Finding>) {
    let mut success_schemas = BTreeSet::new();
    let mut error_schemas = BTreeSet::new();
    let statuses = operation
        .responses
        .responses
        .iter()
        .map(|(status, response)| (status.to_string(), Some(status), response))
        .chain(
            operation
                .responses
                .default
                .iter()
                .map(|r| ("default".to_string(), None, r)),
        );
    for (status, code, response) in statuses {
        let response_at = format!("{at}{}", pointer(["responses", &status]));
        let Some(response) = resolve_response(doc, response, &response_at, findings) else {
            continue;
        };
        for (media_type, content) in &response.content {
            let schema_at = format!(
                "{response_at}{}",
                pointer(["content", media_type, "schema"])
            );
            match &content.schema {
                None => {}
                Some(ReferenceOr::Item(_)) => findings.push(Finding::new(
                    &schema_at,
                    "inline response schema: progenitor names every inline response type after the operation and may reuse the wrong one",
                    "move the schema to `components/schemas/<Name>` and refer to it with `$ref: \"#/components/schemas/<Name>\"`",
                )),
                Some(ReferenceOr::Reference { reference }) => {
                    if schema_exists(doc, reference) {
                        let is_success = code.is_some_and(is_success);
                        let set = if is_success { &mut success_schemas } else { &mut error_schemas };
                        set.insert(reference.clone());
                    } else {
                        findings.push(Finding::new(
                            format!("{schema_at}/$ref"),
                            format!("`{reference}` does not name a schema of this document"),
                            "define the schema under `components/schemas`, or correct the name",
                        ));
                    }
                }
            }
        }
    }
    for (kind, schemas) in [("success", success_schemas), ("error", error_schemas)] {
        if schemas.len() > 1 {
            let names = schemas
                .iter()
                .map(|s| s.trim_start_matches(SCHEMA_PREFIX))
                .collect::<Vec<_>>();
            findings.push(Finding::new(
                format!("{at}/responses"),
                format!("{kind} statuses use {} different schemas ({}); the generated client has one {kind} type per operation", names.len(), names.join(", ")),
                format!("make every {kind} status of this operation refer to the same schema"),
            ));
        }
    }
}

fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

fn resolve_response<'a>(
    doc: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
    at: &str,
    findings: &mut Vec<Finding>,
) -> Option<&'a Response> {
    match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix(RESPONSE_PREFIX)
                .and_then(|name| doc.components.as_ref()?.responses.get(name))
                .and_then(|r| r.as_item());
            if found.is_none() {
                findings.push(Finding::new(
                    format!("{at}/$ref"),
                    format!("`{reference}` does not name a response of this document"),
                    "define the response under `components/responses`, or write it in place",
                ));
            }
            found
        }
    }
}

fn schema_exists(doc: &OpenAPI, reference: &str) -> bool {
    reference.strip_prefix(SCHEMA_PREFIX).is_some_and(|name| {
        doc.components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(name))
    })
}
