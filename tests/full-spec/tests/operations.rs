//! Every operation of Gong's published document is a method of the client
//! generated from it. That the client compiles is proven by this test being
//! built at all; what it has is read from the very source that was compiled.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::Value;

/// The document the build script generated from.
const DOCUMENT: &str = include_str!("../gong-openapi-v2.json");
/// The source it generated, as compiled into this crate.
const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/gong_full.rs"));

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `(GET, /v2/calls)` → operationId, for every operation of the document.
fn documented() -> BTreeMap<(String, String), String> {
    let document: Value = serde_json::from_str(DOCUMENT).expect("the fixture is JSON");
    let mut operations = BTreeMap::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if METHODS.contains(&method.as_str()) {
                let id = operation["operationId"].as_str().expect("an operationId");
                operations.insert((method.to_uppercase(), path.clone()), id.to_string());
            }
        }
    }
    operations
}

/// `(GET, /v2/calls)` → method name, for every method of the generated
/// `Client` that sends a request (progenitor documents each with "Sends a
/// `GET` request to `/v2/calls`").
fn generated() -> BTreeMap<(String, String), String> {
    let file = syn::parse_file(GENERATED).expect("the generated source parses");
    let mut methods = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_ty) = block.self_ty.as_ref() else {
            continue;
        };
        if block.trait_.is_some() || !self_ty.path.is_ident("Client") {
            continue;
        }
        for item in &block.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            if let Some(request) = method.attrs.iter().find_map(request_line) {
                let previous = methods.insert(request, method.sig.ident.to_string());
                assert!(previous.is_none(), "two methods send {previous:?}");
            }
        }
    }
    methods
}

fn request_line(attr: &syn::Attribute) -> Option<(String, String)> {
    let syn::Meta::NameValue(doc) = &attr.meta else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(text),
        ..
    }) = &doc.value
    else {
        return None;
    };
    text.value().lines().find_map(|line| {
        let rest = line.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once('`')?;
        let path = rest.split('`').nth(1)?;
        Some((method.to_string(), path.to_string()))
    })
}

#[test]
fn every_operation_of_the_document_is_a_client_method() {
    let documented = documented();
    let generated = generated();
    // Gong's document as published has 53 operations on 44 paths.
    assert_eq!(documented.len(), 53);
    let missing: Vec<_> = documented
        .keys()
        .filter(|k| !generated.contains_key(*k))
        .collect();
    let extra: Vec<_> = generated
        .keys()
        .filter(|k| !documented.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a method: {missing:?}"
    );
    assert!(extra.is_empty(), "methods without an operation: {extra:?}");
    for (request, id) in &documented {
        assert_eq!(
            generated[request],
            id.to_snake_case(),
            "{request:?}: the method is named after operationId `{id}`"
        );
    }
}

#[test]
fn the_generated_source_says_what_was_repaired() {
    let header: Vec<&str> = GENERATED.lines().take(3).collect();
    assert!(
        header[2].starts_with("// Repaired before generation (65 example-set-flag,"),
        "{header:#?}"
    );
}

/// The operations the repairs made generable have typed answers: checked by
/// the compiler, never run. (Clippy sees the crate without its generated
/// client; see `src/lib.rs`.)
#[cfg(not(clippy))]
#[allow(dead_code)]
async fn repaired_operations_are_typed(client: &gong_full_spec::Client) {
    use gong_full_spec::{Error, ResponseValue, types};
    // Two success schemas of the same shape, merged (`same-shape-responses`).
    let _: Result<ResponseValue<types::SchemaUpdateResponse>, Error<types::ErrorResponse>> =
        client.upload_crm_schema_field().send().await;
    // Declared `*/*`, read as JSON (`any-media-type`).
    let _: Result<ResponseValue<types::RegisterGenericCrmResponse>, Error<types::ErrorResponse>> =
        client.content_viewed().send().await;
}
