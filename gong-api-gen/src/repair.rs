//! The normalization step: named repairs for the defects of Gong's published
//! OpenAPI documents, run on the raw document before the checks and the
//! generator. Each repair fixes one known defect, reports every change with
//! its JSON pointer, and leaves a correct document as it is: what a repaired
//! document means is what its authors meant. What cannot be repaired that way
//! is left for the checks to refuse, with the place and the fix.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::{Finding, Repair, pointer_token};
use crate::responses::{self, Body, schema_name};
use crate::walk;

/// Every repair, in the order they run: its name and what it is for.
pub const REPAIRS: [(&str, &str); 7] = [
    (
        BIG_INTEGER_EXAMPLE,
        "an integer beyond 64 bits in an `example` of a YAML document is kept as a string of the same digits (examples are documentation only, and a JSON value cannot hold the number; a JSON document is read by serde_json, which takes it as the nearest float)",
    ),
    (
        EXAMPLE_SET_FLAG,
        "`exampleSetFlag`, a field of the serializer that wrote Gong's document and not an OpenAPI keyword, is removed",
    ),
    (
        ZERO_MINIMUM,
        "`minLength: 0` and `minItems: 0`, the defaults, are removed (for `minLength: 0` typify generates an always-false `< 0` check that rustc warns about)",
    ),
    (
        LOOPBACK_SERVER,
        "a server on a loopback address (`https://127.0.0.1:8443`) becomes Gong's public host `https://api.gong.io`",
    ),
    (
        BEARER_SCHEME,
        "the HTTP bearer scheme is added when the document's own description says calls may use `Authorization: Bearer` but only Basic is declared",
    ),
    (
        ANY_MEDIA_TYPE,
        "a body declared as `*/*` with a JSON schema (an object or an array) is declared `application/json`",
    ),
    (
        SAME_SHAPE_RESPONSES,
        "when an operation's success (or error) statuses use different schemas and one of them accepts every body of the others (the same shape, or more optional properties), all of them use that one",
    ),
];

const BIG_INTEGER_EXAMPLE: &str = "big-integer-example";
const EXAMPLE_SET_FLAG: &str = "example-set-flag";
const ZERO_MINIMUM: &str = "zero-minimum";
const LOOPBACK_SERVER: &str = "loopback-server";
const BEARER_SCHEME: &str = "bearer-scheme";
const ANY_MEDIA_TYPE: &str = "any-media-type";
const SAME_SHAPE_RESPONSES: &str = "same-shape-responses";

/// Gong's public API host, for a document whose server is a loopback address.
const GONG_HOST: &str = "https://api.gong.io";

/// `65 example-set-flag, 18 any-media-type`: how many of each repair, in
/// the order they run.
pub(crate) fn counts(repairs: &[Repair]) -> String {
    REPAIRS
        .iter()
        .filter_map(|(name, _)| {
            let count = repairs.iter().filter(|r| r.name == *name).count();
            (count > 0).then(|| format!("{count} {name}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An integer a JSON value cannot hold (beyond 64 bits), found while reading
/// YAML: the value holds its digits as a string, at `pointer`.
#[derive(Debug, Clone)]
pub(crate) struct BigInteger {
    pub(crate) pointer: String,
    pub(crate) digits: String,
}

/// Runs every repair on `document`. Returns what was changed, and what was
/// found broken beyond repair (the checks report the rest).
pub(crate) fn normalize(
    document: &mut Value,
    big_integers: &[BigInteger],
) -> (Vec<Repair>, Vec<Finding>) {
    let mut repairs = Vec::new();
    let mut findings = Vec::new();
    big_integer_examples(document, big_integers, &mut repairs, &mut findings);
    example_set_flag(document, &mut repairs);
    zero_minimum(document, &mut repairs);
    loopback_server(document, &mut repairs);
    bearer_scheme(document, &mut repairs);
    any_media_type(document, &mut repairs);
    same_shape_responses(document, &mut repairs);
    (repairs, findings)
}

/// `big-integer-example`. A YAML reader hands over an integer such as
/// `37555663966526337006` (an id in one of Gong's examples) as a 128-bit
/// number, which a JSON value, and so the OpenAPI model, cannot hold. Inside
/// an example it is documentation only, never generated code: keeping its
/// digits as a string loses nothing. Anywhere else it would mean something
/// (a bound, a default, an enum value), so it is refused.
fn big_integer_examples(
    document: &mut Value,
    big_integers: &[BigInteger],
    repairs: &mut Vec<Repair>,
    findings: &mut Vec<Finding>,
) {
    if big_integers.is_empty() {
        return;
    }
    let example_roots: Vec<String> = walk::objects(document)
        .into_iter()
        .flat_map(|at| {
            let object = document.pointer(&at).and_then(Value::as_object);
            let mut roots = Vec::new();
            if object.is_some_and(|o| o.contains_key("example")) {
                roots.push(format!("{at}/example"));
            }
            // An Example object (under `examples`) holds its payload in `value`.
            if at.contains("/examples/") && object.is_some_and(|o| o.contains_key("value")) {
                roots.push(format!("{at}/value"));
            }
            roots
        })
        .collect();
    for big in big_integers {
        let in_example = example_roots
            .iter()
            .any(|root| big.pointer == *root || big.pointer.starts_with(&format!("{root}/")));
        if in_example {
            repairs.push(Repair::new(
                BIG_INTEGER_EXAMPLE,
                &big.pointer,
                format!(
                    "the integer {} does not fit in 64 bits; examples are documentation only, so it is kept as the string \"{}\"",
                    big.digits, big.digits
                ),
            ));
        } else {
            // Null, so that typed parsing does not report it a second time.
            if let Some(value) = document.pointer_mut(&big.pointer) {
                *value = Value::Null;
            }
            findings.push(Finding::new(
                &big.pointer,
                format!(
                    "the integer {} does not fit in 64 bits: neither the generator nor the generated client can hold it",
                    big.digits
                ),
                "if it is an identifier, write it as a string (quoted, with `type: string`); otherwise use a number that fits in 64 bits",
            ));
        }
    }
}

/// `example-set-flag`. Gong's document carries `exampleSetFlag: false` in
/// many schemas, a field of the Java serializer that produced it. OpenAPI has
/// no such keyword (extensions start with `x-`), so it means nothing.
fn example_set_flag(document: &mut Value, repairs: &mut Vec<Repair>) {
    for at in walk::objects(document) {
        let Some(object) = document.pointer_mut(&at).and_then(Value::as_object_mut) else {
            continue;
        };
        if object.get("exampleSetFlag").is_some_and(Value::is_boolean) {
            let value = object.shift_remove("exampleSetFlag").unwrap_or_default();
            repairs.push(Repair::new(
                EXAMPLE_SET_FLAG,
                format!("{at}/exampleSetFlag"),
                format!(
                    "removed `exampleSetFlag: {value}`, a field of the tool that wrote the document, not an OpenAPI keyword"
                ),
            ));
        }
    }
}

/// `zero-minimum`. `minLength: 0` and `minItems: 0` are JSON Schema's
/// defaults, so removing them changes nothing. A kept `minLength: 0` becomes
/// a `value.chars().count() < 0usize` check that is always false and that
/// rustc warns about in the including crate (fatal under `-D warnings`).
fn zero_minimum(document: &mut Value, repairs: &mut Vec<Repair>) {
    for at in walk::objects(document) {
        let Some(object) = document.pointer_mut(&at).and_then(Value::as_object_mut) else {
            continue;
        };
        for (keyword, why) in [
            (
                "minLength",
                "; typify would generate an always-false `< 0` check for it",
            ),
            ("minItems", ""),
        ] {
            if object.get(keyword).and_then(Value::as_u64) == Some(0) {
                object.shift_remove(keyword);
                repairs.push(Repair::new(
                    ZERO_MINIMUM,
                    format!("{at}/{keyword}"),
                    format!("removed `{keyword}: 0`, which is the default{why}"),
                ));
            }
        }
    }
}

/// `loopback-server`. Gong's document names `https://127.0.0.1:8443`
/// ("Generated server url"), the machine that dumped it. No client can reach
/// Gong there; the public host is what the document's authors mean. (The
/// generated client takes its base URL from the caller either way.)
fn loopback_server(document: &mut Value, repairs: &mut Vec<Repair>) {
    for at in walk::objects(document) {
        let Some(servers) = document
            .pointer_mut(&at)
            .and_then(|o| o.get_mut("servers"))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for (index, server) in servers.iter_mut().enumerate() {
            let Some(server) = server.as_object_mut() else {
                continue;
            };
            let Some(url) = server.get("url").and_then(Value::as_str) else {
                continue;
            };
            if !is_loopback(url) {
                continue;
            }
            let url = url.to_string();
            server.insert("url".into(), GONG_HOST.into());
            if server.get("description").and_then(Value::as_str) == Some("Generated server url") {
                server.insert(
                    "description".into(),
                    "Gong's public API host; each customer may have its own base URL".into(),
                );
            }
            repairs.push(Repair::new(
                LOOPBACK_SERVER,
                format!("{at}/servers/{index}/url"),
                format!(
                    "server `{url}` is a loopback address left by the tool that wrote the document; it is now Gong's public host `{GONG_HOST}`"
                ),
            ));
        }
    }
}

fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host == "0.0.0.0"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `bearer-scheme`. Gong's document says, in its description, that OAuth
/// callers send `Authorization: Bearer <token>`, yet declares only Basic.
/// Adding the scheme the text describes records what the API accepts; it
/// does not change the generated code (progenitor ignores `security`).
/// Added only on that evidence, and only when no bearer-capable scheme is
/// declared.
fn bearer_scheme(document: &mut Value, repairs: &mut Vec<Repair>) {
    let says_bearer = document
        .pointer("/info/description")
        .and_then(Value::as_str)
        .is_some_and(|text| text.contains("Bearer"));
    let Some(schemes) = document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    else {
        return;
    };
    let has_bearer = schemes.values().any(|scheme| {
        let kind = scheme.get("type").and_then(Value::as_str);
        let http = scheme.get("scheme").and_then(Value::as_str);
        matches!(kind, Some("oauth2" | "openIdConnect"))
            || (kind == Some("http") && http.is_some_and(|s| s.eq_ignore_ascii_case("bearer")))
    });
    let has_basic = schemes.values().any(|scheme| {
        scheme.get("type").and_then(Value::as_str) == Some("http")
            && scheme
                .get("scheme")
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("basic"))
    });
    if !says_bearer || has_bearer || !has_basic || schemes.contains_key("BearerAuth") {
        return;
    }
    if let Some(schemes) = document
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    {
        schemes.insert(
            "BearerAuth".into(),
            json!({
                "type": "http",
                "scheme": "bearer",
                "description": "An OAuth access token, sent as `Authorization: Bearer <token>`."
            }),
        );
    }
    repairs.push(Repair::new(
        BEARER_SCHEME,
        "/components/securitySchemes/BearerAuth",
        "added the HTTP bearer scheme `BearerAuth`: the document's description says OAuth callers send `Authorization: Bearer <token>`, but only Basic was declared",
    ));
    if let Some(security) = document.get_mut("security").and_then(Value::as_array_mut) {
        let index = security.len();
        security.push(json!({ "BearerAuth": [] }));
        repairs.push(Repair::new(
            BEARER_SCHEME,
            format!("/security/{index}"),
            "added `BearerAuth` as an alternative to the document's other security requirements",
        ));
    }
}

/// `any-media-type`. Gong declares some answers as `*/*` although their
/// schema is a JSON object, and Gong answers them with JSON. progenitor reads
/// only `application/json` as a typed body: under `*/*` the answer would come
/// back as raw bytes (and next to JSON statuses, generation fails). A `*/*`
/// body with no schema, or a schema that is not an object or an array (a
/// string may be any format), is left for the checks to refuse.
fn any_media_type(document: &mut Value, repairs: &mut Vec<Repair>) {
    let mut renames = Vec::new();
    for at in walk::objects(document) {
        let Some(content) = document
            .pointer(&at)
            .and_then(|o| o.get("content"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let Some(media) = content.get("*/*") else {
            continue;
        };
        if content.keys().any(|m| responses::is_json(m)) {
            continue;
        }
        let Some(schema) = media.get("schema") else {
            continue;
        };
        if let Some(described) = json_schema(document, schema) {
            renames.push((format!("{at}/content"), described));
        }
    }
    for (at, described) in renames {
        let Some(content) = document.pointer_mut(&at).and_then(Value::as_object_mut) else {
            continue;
        };
        // Rebuilt in order, so that the media type keeps its place.
        let renamed: Map<String, Value> = std::mem::take(content)
            .into_iter()
            .map(|(media_type, value)| {
                if media_type == "*/*" {
                    ("application/json".to_string(), value)
                } else {
                    (media_type, value)
                }
            })
            .collect();
        *content = renamed;
        repairs.push(Repair::new(
            ANY_MEDIA_TYPE,
            format!("{at}/{}", pointer_token("*/*")),
            format!(
                "media type `*/*` is now `application/json`: its schema ({described}) describes JSON, and the generated client types only JSON bodies"
            ),
        ));
    }
}

/// How a message names `schema` when it describes a JSON object or array;
/// `None` when it may describe something else.
fn json_schema(document: &Value, schema: &Value) -> Option<String> {
    let (resolved, via) = walk::follow(document, schema)?;
    let object = resolved.as_object()?;
    let is_json = match object.get("type").and_then(Value::as_str) {
        Some("object" | "array") => true,
        Some(_) => false,
        None => [
            "properties",
            "items",
            "additionalProperties",
            "allOf",
            "oneOf",
            "anyOf",
        ]
        .iter()
        .any(|k| object.contains_key(*k)),
    };
    is_json.then(|| match via {
        Some(reference) => format!("`{}`", schema_name(reference)),
        None => "an inline object".to_string(),
    })
}

/// `same-shape-responses`. progenitor gives an operation one success type and
/// one error type; Gong's `POST /v2/crm/entity-schema` documents 201 as
/// `SchemaUpdateResponse` and 200 as `BaseResponse`, two schemas of the very
/// same shape. When one schema of a group accepts every body of the others
/// (the same shape, or the same properties plus optional ones), every status
/// of the group can use it and each answer still decodes exactly as
/// documented. The kept schema is the first in document order that can.
/// Statuses whose response is shared (`$ref`) or is `default` (in both groups)
/// are not rewritten, since that would change other operations or groups.
fn same_shape_responses(document: &mut Value, repairs: &mut Vec<Repair>) {
    let mut edits: Vec<(String, String, Repair)> = Vec::new();
    for operation in walk::operations(document) {
        let listed = responses::responses(document, &operation);
        for (kind, group) in [("success", &listed.success), ("error", &listed.error)] {
            let mut in_order = group.clone();
            in_order.sort_unstable();
            let statuses: Vec<_> = in_order.iter().map(|&i| &listed.statuses[i]).collect();
            let references: Vec<&str> = statuses
                .iter()
                .filter_map(|s| match s.body {
                    Body::Schema(reference) => Some(reference),
                    _ => None,
                })
                .collect();
            let distinct: BTreeSet<&str> = references.iter().copied().collect();
            if distinct.len() < 2 || references.len() != statuses.len() {
                continue;
            }
            // The first schema, in document order, that accepts every body of
            // the others and whose statuses' neighbours may all be rewritten.
            let Some(kept) = references.iter().copied().find(|kept| {
                distinct
                    .iter()
                    .all(|other| other == kept || accepts(document, kept, other).is_some())
                    && statuses.iter().all(|s| {
                        s.body == Body::Schema(kept)
                            || (!s.shared
                                && s.code != responses::StatusKey::Default
                                && s.json_media_type.is_some())
                    })
            }) else {
                continue;
            };
            let kept_status = statuses
                .iter()
                .find(|s| s.body == Body::Schema(kept))
                .map_or("", |s| s.status);
            for status in &statuses {
                let Body::Schema(other) = status.body else {
                    continue;
                };
                if other == kept {
                    continue;
                }
                let how = accepts(document, kept, other).unwrap_or("accepts every body of");
                let media_type = status.json_media_type.unwrap_or("application/json");
                let at = format!(
                    "{}/content/{}/schema/$ref",
                    status.at,
                    pointer_token(media_type)
                );
                let repair = Repair::new(
                    SAME_SHAPE_RESPONSES,
                    &at,
                    format!(
                        "{kind} status {} referred to `{}`; it now refers to `{}` (status {kept_status}), which {how} `{}`, so that the operation has one {kind} type (the schema `{}` itself is unchanged)",
                        status.status,
                        schema_name(other),
                        schema_name(kept),
                        schema_name(other),
                        schema_name(other),
                    ),
                );
                edits.push((at, kept.to_string(), repair));
            }
        }
    }
    for (at, kept, repair) in edits {
        if let Some(reference) = document.pointer_mut(&at) {
            *reference = Value::String(kept);
            repairs.push(repair);
        }
    }
}

/// Whether every body valid under the schema `other` decodes into the schema
/// `kept` with nothing lost, and how to say so.
pub(crate) fn accepts(document: &Value, kept: &str, other: &str) -> Option<&'static str> {
    let resolve = |reference: &str| {
        walk::resolve(document, reference)
            .and_then(|schema| walk::follow(document, schema))
            .map(|(schema, _)| shape(schema))
    };
    let (kept, other) = (resolve(kept)?, resolve(other)?);
    if kept == other {
        return Some("has the same shape as");
    }
    let (kept, other) = (kept.as_object()?, other.as_object()?);
    let without = |schema: &Map<String, Value>| {
        let mut rest = schema.clone();
        rest.shift_remove("properties");
        rest.shift_remove("required");
        rest
    };
    let rest = without(kept);
    let is_plain_object = matches!(
        rest.get("type").and_then(Value::as_str),
        None | Some("object")
    ) && ![
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "additionalProperties",
        "discriminator",
    ]
    .iter()
    .any(|k| rest.contains_key(*k));
    if !is_plain_object || rest != without(other) {
        return None;
    }
    let empty = Map::new();
    let properties = |schema: &'_ Map<String, Value>| {
        schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let required = |schema: &Map<String, Value>| -> BTreeSet<String> {
        schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let kept_properties = properties(kept);
    let same_properties = properties(other)
        .iter()
        .all(|(name, schema)| kept_properties.get(name) == Some(schema));
    (same_properties && required(kept).is_subset(&required(other))).then_some(
        "has every property of, with the same definitions, and requires nothing more than",
    )
}

/// A schema without what only documents it (`description`, `title`,
/// `example`, `externalDocs`), for comparing shapes. Property names are kept
/// whatever they are called.
fn shape(schema: &Value) -> Value {
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in object {
        let value = match key.as_str() {
            "description" | "title" | "example" | "externalDocs" => continue,
            "properties" => match value.as_object() {
                Some(properties) => Value::Object(
                    properties
                        .iter()
                        .map(|(name, schema)| (name.clone(), shape(schema)))
                        .collect(),
                ),
                None => value.clone(),
            },
            "items" | "additionalProperties" | "not" => shape(value),
            "allOf" | "oneOf" | "anyOf" => match value.as_array() {
                Some(schemas) => Value::Array(schemas.iter().map(shape).collect()),
                None => value.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(mut document: Value) -> (Value, Vec<Repair>) {
        let (repairs, findings) = normalize(&mut document, &[]);
        assert_eq!(findings, vec![]);
        (document, repairs)
    }

    fn names(repairs: &[Repair]) -> Vec<&str> {
        repairs.iter().map(|r| r.name).collect()
    }

    /// An operation whose 200 and 201 answers use `ok` and `created`.
    fn two_successes(ok: Value, created: Value, schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": { "/x": { "post": {
                "operationId": "makeX",
                "responses": {
                    "200": ok,
                    "201": created,
                }
            }}},
            "components": { "schemas": schemas, "responses": {
                "Shared": { "description": "shared", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Small" } } } }
            }}
        })
    }

    fn json_body(schema: &str) -> Value {
        json!({ "description": "d", "content": { "application/json": {
            "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
    }

    fn object(properties: Value, required: &[&str]) -> Value {
        json!({ "type": "object", "properties": properties, "required": required })
    }

    #[test]
    fn loopback_addresses() {
        for url in [
            "https://127.0.0.1:8443",
            "http://localhost",
            "http://LOCALHOST:80/api",
            "https://127.1.2.3",
            "http://[::1]:8080/",
            "http://0.0.0.0",
            "http://user@127.0.0.1/x",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://api.gong.io",
            "https://us-49467.api.gong.io/",
            "https://127.0.0.1.example.com",
            "https://localhost.example.com",
            "/v2",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn a_superset_with_optional_properties_is_kept() {
        let string = json!({ "type": "string" });
        let document = two_successes(
            json_body("Small"),
            json_body("Large"),
            json!({
                "Small": object(json!({ "requestId": string }), &["requestId"]),
                "Large": object(json!({ "requestId": string, "extra": string }), &["requestId"]),
            }),
        );
        let (document, repairs) = repaired(document);
        assert_eq!(names(&repairs), ["same-shape-responses"]);
        assert_eq!(
            repairs[0].pointer,
            "/paths/~1x/post/responses/200/content/application~1json/schema/$ref"
        );
        assert!(
            repairs[0].what.contains("has every property of"),
            "{}",
            repairs[0].what
        );
        assert_eq!(
            document.pointer(&repairs[0].pointer),
            Some(&json!("#/components/schemas/Large"))
        );
    }

    #[test]
    fn schemas_of_different_shapes_are_left_for_the_checks() {
        let string = json!({ "type": "string" });
        let integer = json!({ "type": "integer" });
        for (small, large) in [
            // The larger one requires a property the smaller one may lack.
            (
                object(json!({ "a": string }), &[]),
                object(json!({ "a": string, "b": string }), &["b"]),
            ),
            // A property of another type.
            (
                object(json!({ "a": string }), &[]),
                object(json!({ "a": integer, "b": string }), &[]),
            ),
            // Closed to unknown properties.
            (
                object(json!({ "a": string }), &[]),
                json!({ "type": "object", "properties": { "a": string, "b": string },
                        "additionalProperties": false }),
            ),
            // Not objects.
            (json!({ "type": "string" }), json!({ "type": "integer" })),
        ] {
            let document = two_successes(
                json_body("Small"),
                json_body("Large"),
                json!({ "Small": small, "Large": large }),
            );
            let (after, repairs) = repaired(document.clone());
            assert_eq!(repairs, vec![]);
            assert_eq!(after, document);
        }
    }

    #[test]
    fn shared_responses_are_not_rewritten() {
        let same = object(json!({ "a": { "type": "string" } }), &[]);
        let schemas = json!({ "Small": same.clone(), "Large": same.clone(), "Other": same });
        let shared = json!({ "$ref": "#/components/responses/Shared" });
        // The shared response keeps its schema, whichever status comes first.
        for document in [
            two_successes(shared.clone(), json_body("Large"), schemas.clone()),
            two_successes(json_body("Large"), shared.clone(), schemas.clone()),
        ] {
            let (after, repairs) = repaired(document);
            assert_eq!(names(&repairs), ["same-shape-responses"]);
            assert_eq!(
                after.pointer(&repairs[0].pointer),
                Some(&json!("#/components/schemas/Small"))
            );
            assert!(
                repairs[0].pointer.contains("/responses/"),
                "{}",
                repairs[0].pointer
            );
        }
        // Two shared responses of different schemas: none may move.
        let mut document = two_successes(shared.clone(), shared, schemas);
        document["components"]["responses"]["Other"] = json_body("Other");
        document["paths"]["/x"]["post"]["responses"]["201"]["$ref"] =
            json!("#/components/responses/Other");
        let (_, repairs) = repaired(document);
        assert_eq!(repairs, vec![]);
    }

    #[test]
    fn any_media_type_needs_a_json_schema() {
        let document = |schema: Value| {
            json!({ "openapi": "3.0.3", "paths": { "/x": { "get": {
                "operationId": "getX",
                "responses": { "200": { "description": "d",
                    "content": { "*/*": { "schema": schema } } } }
            }}}})
        };
        for schema in [
            json!({ "type": "string", "format": "binary" }),
            json!({ "type": "string" }),
        ] {
            let (_, repairs) = repaired(document(schema));
            assert_eq!(repairs, vec![]);
        }
        let (after, repairs) = repaired(document(json!({ "type": "array", "items": {} })));
        assert_eq!(names(&repairs), ["any-media-type"]);
        assert!(
            after
                .pointer("/paths/~1x/get/responses/200/content/application~1json")
                .is_some()
        );
    }

    #[test]
    fn bearer_is_added_only_on_the_documents_word() {
        let document = |description: &str, schemes: Value| {
            json!({ "openapi": "3.0.3", "info": { "description": description },
                    "paths": {}, "components": { "securitySchemes": schemes } })
        };
        let basic = json!({ "BasicAuth": { "type": "http", "scheme": "basic" } });
        let (_, repairs) = repaired(document("Use Basic only.", basic.clone()));
        assert_eq!(repairs, vec![]);
        let with_oauth =
            json!({ "BasicAuth": basic["BasicAuth"], "OAuth": { "type": "oauth2", "flows": {} } });
        let (_, repairs) = repaired(document("Authorization: Bearer <token>", with_oauth));
        assert_eq!(repairs, vec![]);
        let (after, repairs) = repaired(document("Authorization: Bearer <token>", basic));
        assert_eq!(names(&repairs), ["bearer-scheme"]);
        assert_eq!(
            after.pointer("/components/securitySchemes/BearerAuth/scheme"),
            Some(&json!("bearer"))
        );
    }

    #[test]
    fn names_that_look_like_keywords_are_left_alone() {
        // A property called `exampleSetFlag`, and a `minLength: 0` inside an
        // example payload, are data, not the defects.
        let document = json!({ "openapi": "3.0.3", "paths": {}, "components": { "schemas": {
            "Flags": { "type": "object",
                "properties": { "exampleSetFlag": { "type": "boolean" } },
                "example": { "minLength": 0, "exampleSetFlag": true } }
        }}});
        let (after, repairs) = repaired(document.clone());
        assert_eq!(repairs, vec![]);
        assert_eq!(after, document);
    }
}
