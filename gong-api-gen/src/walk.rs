//! Finding one's way in a raw OpenAPI document (a `serde_json::Value`), for
//! the repairs and checks that run before, or instead of, typed parsing.

use serde_json::{Map, Value};

use crate::error::{pointer, pointer_token};

/// The HTTP methods an OpenAPI 3.0 path item may hold an operation under.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keys whose value maps names (property names, status codes, media types,
/// component names, ...) to OpenAPI objects: a key inside such a map is a
/// name, never a keyword, even when it reads `example` or `$ref`.
const NAME_MAPS: [&str; 14] = [
    "paths",
    "properties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "examples",
    "content",
    "encoding",
    "variables",
];

/// Keywords whose value is data (an example payload, a default or enum
/// value), not OpenAPI structure: nothing inside is a keyword.
pub(crate) const DATA: [&str; 4] = ["example", "default", "enum", "value"];

/// The JSON pointer of every OpenAPI object of `document` (the document, a
/// path item, an operation, a schema, a response, ...), parents first. Data
/// (see [`DATA`]) and `x-` extensions are not entered.
pub(crate) fn objects(document: &Value) -> Vec<String> {
    let mut out = Vec::new();
    visit(document, String::new(), &mut out);
    out
}

fn visit(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            out.push(at.clone());
            for (key, child) in object {
                if DATA.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                let child_at = format!("{at}/{}", pointer_token(key));
                if NAME_MAPS.contains(&key.as_str()) {
                    visit_names(child, child_at, key == "properties", out);
                } else {
                    visit(child, child_at, out);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                visit(item, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn visit_names(value: &Value, at: String, all_names: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(names) => {
            for (name, child) in names {
                // Extensions may sit beside the names of every such map except
                // `properties`, where `x-foo` is a property like any other.
                if !all_names && name.starts_with("x-") {
                    continue;
                }
                visit(child, format!("{at}/{}", pointer_token(name)), out);
            }
        }
        // `parameters` is a list in path items and operations.
        other => visit(other, at, out),
    }
}

/// One operation of the document: its path template and pointer.
pub(crate) struct OperationAt<'a> {
    pub(crate) path: &'a str,
    pub(crate) at: String,
    pub(crate) operation: &'a Map<String, Value>,
    /// The parameters declared on the path item, shared by its operations.
    pub(crate) path_parameters: Option<&'a Value>,
    pub(crate) path_item_at: String,
}

/// Every operation, in document order.
pub(crate) fn operations(document: &Value) -> Vec<OperationAt<'_>> {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(operation) = operation.as_object() else {
                continue;
            };
            out.push(OperationAt {
                path,
                at: pointer(["paths", path, method]),
                operation,
                path_parameters: item.get("parameters"),
                path_item_at: pointer(["paths", path]),
            });
        }
    }
    out
}

/// Where a local `$ref` points: `#/components/schemas/Generic%20Property`
/// becomes the pointer `/components/schemas/Generic Property`. `None` for a
/// reference to another file.
pub(crate) fn ref_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(percent_decode(fragment))
}

/// What a local `$ref` points to, if anything.
pub(crate) fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    document.pointer(&ref_pointer(reference)?)
}

/// Follows `$ref`s (at most a few, to stop on a cycle) to the object they
/// name. Returns the object and the last reference followed, if any.
pub(crate) fn follow<'a>(
    document: &'a Value,
    value: &'a Value,
) -> Option<(&'a Value, Option<&'a str>)> {
    let mut current = value;
    let mut via = None;
    for _ in 0..8 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                via = Some(reference);
                current = resolve(document, reference)?;
            }
            None => return Some((current, via)),
        }
    }
    None
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_not_keywords() {
        let document = json!({
            "components": { "schemas": {
                "Thing": {
                    "example": { "$ref": "not a reference" },
                    "properties": {
                        "example": { "type": "string", "x-note": { "$ref": "data" } },
                        "x-prop": { "type": "string" }
                    }
                }
            }}
        });
        assert_eq!(
            objects(&document),
            [
                "",
                "/components",
                "/components/schemas/Thing",
                "/components/schemas/Thing/properties/example",
                "/components/schemas/Thing/properties/x-prop",
            ]
        );
    }

    #[test]
    fn references_are_percent_decoded() {
        assert_eq!(
            ref_pointer("#/components/schemas/Generic%20Property").as_deref(),
            Some("/components/schemas/Generic Property")
        );
        assert_eq!(ref_pointer("#/a%2").as_deref(), Some("/a%2"));
        assert_eq!(ref_pointer("other.yaml#/a"), None);
    }
}
