//! Checks for what progenitor 0.15 would reject with a panic, or accept and
//! get silently wrong. They read the raw document (after the repairs), so
//! they run even when typed parsing fails, and return every finding rather
//! than stopping at the first: a spec can be fixed in one pass.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use heck::ToSnakeCase;
use serde_json::{Map, Value};

use crate::error::{Finding, SpecError, pointer_token};
use crate::load::Spec;
use crate::responses::{self, Body, Responses};
use crate::walk::{self, OperationAt};

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

/// Every problem of the (repaired) document that would stop or mislead
/// generation, apart from its version and the shape of its values.
pub(crate) fn findings(document: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    let objects = walk::objects(document);
    references(document, &objects, &mut findings);
    schema_types(document, &objects, &mut findings);
    property_names(document, &objects, &mut findings);
    let mut methods: BTreeMap<String, (String, String)> = BTreeMap::new();
    for operation in walk::operations(document) {
        operation_id(&operation, &mut methods, &mut findings);
        path_parameters(document, &operation, &mut findings);
        request_body(document, &operation, &mut findings);
        let listed = responses::responses(document, &operation);
        response_bodies(&listed, &mut findings);
        response_groups(&operation, &listed, &mut findings);
    }
    // A shared response or parameter is reported once, not once per user.
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert((f.pointer.clone(), f.problem.clone())));
    findings
}

impl Spec {
    /// Every problem this spec has that would stop or mislead generation
    /// (repairs already applied; see [`Spec::repairs`]).
    pub fn findings(&self) -> Vec<Finding> {
        self.findings.clone()
    }

    /// Fails with every finding at once, or passes.
    pub fn check(&self) -> Result<(), SpecError> {
        if self.findings.is_empty() {
            Ok(())
        } else {
            Err(SpecError::Invalid {
                path: self.path.clone(),
                findings: self.findings.clone(),
            })
        }
    }
}

/// Components a `$ref` may name, and how a message calls each.
const COMPONENTS: [(&str, &str); 9] = [
    ("schemas", "a schema"),
    ("responses", "a response"),
    ("parameters", "a parameter"),
    ("requestBodies", "a request body"),
    ("headers", "a header"),
    ("examples", "an example"),
    ("securitySchemes", "a security scheme"),
    ("links", "a link"),
    ("callbacks", "a callback"),
];

/// Every `$ref` of the document, wherever it is (responses, parameters,
/// request bodies, schema properties, items, ...), must name a component of
/// this document.
fn references(document: &Value, objects: &[String], findings: &mut Vec<Finding>) {
    for at in objects {
        let Some(reference) = document
            .pointer(at)
            .and_then(|o| o.get("$ref"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let at = format!("{at}/$ref");
        let Some(target) = walk::ref_pointer(reference) else {
            findings.push(Finding::new(
                at,
                format!("`{reference}` refers to another file; the generator reads one document"),
                "copy the definition into this document's `components` and refer to it as `#/components/<section>/<Name>`",
            ));
            continue;
        };
        let tokens: Vec<&str> = target.split('/').skip(1).collect();
        let component = match tokens.as_slice() {
            ["components", section, _name] => COMPONENTS.iter().find(|(s, _)| s == section),
            _ => None,
        };
        let Some((section, kind)) = component else {
            findings.push(Finding::new(
                at,
                format!("`{reference}` does not name a component: the generator follows references to `#/components/<section>/<Name>` only"),
                "move what it points to under `components` and refer to it there",
            ));
            continue;
        };
        if document.pointer(&target).is_none() {
            findings.push(Finding::new(
                at,
                format!("`{reference}` does not name {kind} of this document"),
                format!("define {kind} under `components/{section}`, or correct the name"),
            ));
        }
    }
}

/// The client method is named after the operationId, snake-cased.
fn operation_id(
    operation: &OperationAt<'_>,
    methods: &mut BTreeMap<String, (String, String)>,
    findings: &mut Vec<Finding>,
) {
    let at = &operation.at;
    let Some(id) = operation
        .operation
        .get("operationId")
        .and_then(Value::as_str)
    else {
        findings.push(Finding::new(
            at,
            "operation has no operationId; the client method is named after it",
            "add a unique `operationId` in lowerCamelCase, e.g. `listPermissionProfileUsers`",
        ));
        return;
    };
    let method = method_name(id);
    match methods.get(&method) {
        Some((first_id, first_at)) if first_id == id => findings.push(Finding::new(
            format!("{at}/operationId"),
            format!("operationId `{id}` is already used at {first_at}"),
            "give each operation its own operationId",
        )),
        Some((first_id, first_at)) => findings.push(Finding::new(
            format!("{at}/operationId"),
            format!(
                "operationId `{id}` becomes the client method `{method}`, as does `{first_id}` at {first_at}"
            ),
            "give each operation an operationId that differs in more than case and punctuation",
        )),
        None => {
            methods.insert(method, (id.to_string(), at.clone()));
        }
    }
}

/// The types OpenAPI 3.0 defines. Typed parsing takes any text as a type,
/// and progenitor then panics on the unknown one (`not yet implemented:
/// invalid type`).
const SCHEMA_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Every schema's `type` is one of [`SCHEMA_TYPES`]. Security schemes also
/// have a `type` (`http`, `apiKey`, ...): they are not schemas.
fn schema_types(document: &Value, objects: &[String], findings: &mut Vec<Finding>) {
    for at in objects {
        if at.starts_with("/components/securitySchemes/") {
            continue;
        }
        let Some(kind) = document.pointer(at).and_then(|o| o.get("type")) else {
            continue;
        };
        if kind
            .as_str()
            .is_some_and(|kind| SCHEMA_TYPES.contains(&kind))
        {
            continue;
        }
        findings.push(Finding::new(
            format!("{at}/type"),
            format!("{kind} is not a type OpenAPI 3.0 defines"),
            format!("use one of {}", SCHEMA_TYPES.join(", ")),
        ));
    }
}

/// No two properties of one schema become the same Rust field (`fullName`
/// and `full_name` are both `full_name`): the generated client would not
/// compile.
fn property_names(document: &Value, objects: &[String], findings: &mut Vec<Finding>) {
    for at in objects {
        let Some(properties) = document
            .pointer(at)
            .and_then(|o| o.get("properties"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let mut fields: BTreeMap<String, &str> = BTreeMap::new();
        for name in properties.keys() {
            let field = method_name(name);
            if let Some(first) = fields.get(&field) {
                findings.push(Finding::new(
                    format!("{at}/properties/{}", pointer_token(name)),
                    format!(
                        "properties `{first}` and `{name}` become the same Rust field `{field}`"
                    ),
                    "rename one of them, or remove the one that repeats the other",
                ));
            } else {
                fields.insert(field, name);
            }
        }
    }
}

/// Close to progenitor's and typify's `sanitize(name, Case::Snake)`: enough
/// to tell when two operationIds become one method, or two properties one
/// field.
fn method_name(id: &str) -> String {
    id.replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
        .to_snake_case()
}

/// A parameter after following its `$ref`, with where it is declared.
struct Parameter<'a> {
    name: &'a str,
    location: Option<&'a str>,
    object: &'a Map<String, Value>,
    at: String,
}

fn parameters<'a>(document: &'a Value, list: Option<&'a Value>, at: &str) -> Vec<Parameter<'a>> {
    let Some(list) = list.and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(index, parameter)| {
            let (object, _) = walk::follow(document, parameter)?;
            let object = object.as_object()?;
            Some(Parameter {
                name: object.get("name")?.as_str()?,
                location: object.get("in").and_then(Value::as_str),
                object,
                at: format!("{at}/parameters/{index}"),
            })
        })
        .collect()
}

/// The names between braces in a path template.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Every `{name}` of the path has a declared path parameter, every path
/// parameter is in the path, and each is required (OpenAPI demands it;
/// progenitor asserts it).
fn path_parameters(document: &Value, operation: &OperationAt<'_>, findings: &mut Vec<Finding>) {
    let names = template_names(operation.path);
    // Operation parameters override the path item's of the same name.
    let own = parameters(
        document,
        operation.operation.get("parameters"),
        &operation.at,
    );
    let shared = parameters(document, operation.path_parameters, &operation.path_item_at);
    let mut declared: Vec<&Parameter<'_>> = own.iter().collect();
    declared.extend(
        shared
            .iter()
            .filter(|p| !own.iter().any(|o| o.name == p.name)),
    );
    for name in &names {
        let is_declared = declared
            .iter()
            .any(|p| p.name == *name && p.location == Some("path"));
        if !is_declared {
            findings.push(Finding::new(
                &operation.at,
                format!(
                    "the path `{}` uses `{{{name}}}`, but no path parameter `{name}` is declared",
                    operation.path
                ),
                format!(
                    "add `{{ name: {name}, in: path, required: true, schema: {{ type: string }} }}` to the operation's `parameters`"
                ),
            ));
        }
    }
    for parameter in declared.iter().filter(|p| p.location == Some("path")) {
        if !names.contains(&parameter.name) {
            findings.push(Finding::new(
                &parameter.at,
                format!(
                    "path parameter `{}` does not appear in the path `{}`",
                    parameter.name, operation.path
                ),
                format!(
                    "write `{{{}}}` into the path, rename the parameter to one of the path's `{{…}}` names, or declare it `in: query`",
                    parameter.name
                ),
            ));
        } else if parameter.object.get("required") != Some(&Value::Bool(true)) {
            findings.push(Finding::new(
                &parameter.at,
                format!(
                    "path parameter `{}` is not `required: true`, which OpenAPI requires of every path parameter",
                    parameter.name
                ),
                "add `required: true`",
            ));
        }
    }
}

/// Request body media types progenitor can send.
const SENDABLE: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// One media type with a schema, of a kind progenitor can send.
fn request_body(document: &Value, operation: &OperationAt<'_>, findings: &mut Vec<Finding>) {
    let Some(body) = operation.operation.get("requestBody") else {
        return;
    };
    let Some((body, via)) = walk::follow(document, body) else {
        return; // an unknown `$ref`, reported with the others
    };
    let at = via
        .and_then(walk::ref_pointer)
        .unwrap_or_else(|| format!("{}/requestBody", operation.at));
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return;
    };
    if content.len() > 1 {
        let types: Vec<&str> = content.keys().map(String::as_str).collect();
        findings.push(Finding::new(
            format!("{at}/content"),
            format!(
                "the request body has {} media types ({}); the generated client sends one",
                types.len(),
                types.join(", ")
            ),
            "keep only the media type the client should send, usually `application/json`",
        ));
        return;
    }
    for (media_type, media) in content {
        let media_at = format!("{at}/content/{}", pointer_token(media_type));
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        if !SENDABLE.contains(&essence) {
            findings.push(Finding::new(
                &media_at,
                format!(
                    "request body media type `{media_type}` is not one the generated client can send ({})",
                    SENDABLE.join(", ")
                ),
                "declare the body as `application/json` if it is JSON",
            ));
        } else if media.get("schema").is_none() {
            findings.push(Finding::new(
                &media_at,
                "request body without a schema: the client method would not know what to send",
                "add `schema: { $ref: \"#/components/schemas/<Name>\" }`",
            ));
        } else if media.get("encoding").is_some() {
            findings.push(encoding_finding(&media_at));
        }
    }
}

fn encoding_finding(media_at: &str) -> Finding {
    Finding::new(
        format!("{media_at}/encoding"),
        "`encoding` on a JSON or form body is not supported by the generator",
        "remove `encoding`",
    )
}

/// Each documented response body is JSON with a `$ref` schema.
fn response_bodies(listed: &Responses<'_>, findings: &mut Vec<Finding>) {
    for status in &listed.statuses {
        let Some(content) = status
            .response
            .and_then(|r| r.get("content"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (media_type, media) in content {
            let media_at = format!("{}/content/{}", status.location, pointer_token(media_type));
            if !responses::is_json(media_type) {
                findings.push(Finding::new(
                    &media_at,
                    format!(
                        "status {} is documented as `{media_type}`: the generated client decodes JSON answers only, and hands any other body back as raw bytes (beside JSON statuses, generation fails)",
                        status.status
                    ),
                    "declare it as `application/json` if Gong answers with JSON; otherwise remove this media type and leave the body undocumented",
                ));
                continue;
            }
            if media.get("encoding").is_some() {
                findings.push(encoding_finding(&media_at));
            }
            match media.get("schema") {
                None => findings.push(Finding::new(
                    &media_at,
                    format!(
                        "status {} is JSON without a schema: progenitor needs one to type the answer",
                        status.status
                    ),
                    "add `schema: { $ref: \"#/components/schemas/<Name>\" }`, or remove `content` if the answer has no body",
                )),
                Some(schema) if schema.get("$ref").is_none() => findings.push(Finding::new(
                    format!("{media_at}/schema"),
                    "inline response schema: progenitor names every inline response type after the operation and may reuse the wrong one",
                    "move the schema to `components/schemas/<Name>` and refer to it with `$ref: \"#/components/schemas/<Name>\"`",
                )),
                Some(_) => {}
            }
        }
    }
}

/// progenitor needs one body for all success statuses and one for all error
/// statuses of an operation (else it asserts `response_types.len() <= 1`).
fn response_groups(
    operation: &OperationAt<'_>,
    listed: &Responses<'_>,
    findings: &mut Vec<Finding>,
) {
    for (kind, group) in [("success", &listed.success), ("error", &listed.error)] {
        let mut bodies: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        let mut only_schemas = true;
        let mut with_default = false;
        for status in group.iter().map(|&i| &listed.statuses[i]) {
            if status.body.reported_alone() {
                continue;
            }
            only_schemas &= matches!(status.body, Body::Schema(_));
            with_default |= status.code == responses::StatusKey::Default;
            bodies
                .entry(status.body.describe())
                .or_default()
                .push(status.status);
        }
        if bodies.len() < 2 {
            continue;
        }
        let problem = if only_schemas {
            let names: Vec<&str> = bodies.keys().map(String::as_str).collect();
            format!(
                "{kind} statuses use {} different schemas ({})",
                names.len(),
                names.join(", ")
            )
        } else {
            let described: BTreeSet<String> = bodies
                .iter()
                .map(|(body, statuses)| format!("{}: {body}", statuses.join(", ")))
                .collect();
            format!(
                "{kind} statuses have {} different bodies ({})",
                bodies.len(),
                described.into_iter().collect::<Vec<_>>().join("; ")
            )
        };
        let default_note = if with_default {
            " (progenitor counts `default` as both a success and an error status)"
        } else {
            ""
        };
        let fix = if with_default {
            "document the error statuses one by one (`400`, `401`, `4XX`, `5XX`, ...) instead of `default`".to_string()
        } else {
            format!(
                "make every {kind} status of this operation refer to the same schema (the `same-shape-responses` repair does it only when one schema accepts every body of the others)"
            )
        };
        findings.push(Finding::new(
            format!("{}/responses", operation.at),
            format!(
                "{problem}; the generated client has one {kind} type per operation{default_note}"
            ),
            fix,
        ));
    }
}
