//! What the generated code asks of the crate that includes it: `gong-api`'s
//! pieces, or nothing at all (the full-spec fixture).

use std::path::Path;

use gong_api_gen::{HostCrate, Spec};

fn valid() -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid.yaml");
    Spec::load(path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn gong_api_is_the_default_host() {
    let spec = valid();
    let source = spec.generate().unwrap();
    assert_eq!(source, spec.generate_for(&HostCrate::gong_api()).unwrap());
    assert!(source.contains("inner: crate::RequestPolicy"), "{source}");
    assert!(
        source.contains("crate::response::decode(response)"),
        "{source}"
    );
    assert!(
        source.contains("Client: ClientHooks<crate::RequestPolicy>,"),
        "{source}"
    );
    assert!(!source.contains("ResponseValue::from_response"), "{source}");
}

#[test]
fn a_standalone_client_asks_for_nothing() {
    let source = valid().generate_for(&HostCrate::standalone()).unwrap();
    assert!(!source.contains("crate::"), "{source}");
    assert!(
        source.contains("ResponseValue::from_response(response)"),
        "{source}"
    );
    assert!(
        source.contains("impl ClientHooks<()> for &Client {}"),
        "{source}"
    );
}

#[test]
fn a_host_path_that_is_not_rust_is_an_error() {
    let host = HostCrate {
        decode: Some("crate::not a path".into()),
        ..HostCrate::gong_api()
    };
    let message = valid().generate_for(&host).unwrap_err().to_string();
    assert!(
        message.contains("HostCrate::decode `crate::not a path` is not a Rust path"),
        "{message}"
    );
}

#[test]
fn requests_carry_only_the_headers_the_spec_describes() {
    // progenitor also sends `api-version: <info.version>`, which Gong does
    // not define; the generator drops it and keeps the operation's own.
    let without = valid().generate().unwrap();
    assert!(!without.contains("api-version"), "{without}");
    assert!(
        without.contains("let header_map = ::reqwest::header::HeaderMap::new();"),
        "{without}"
    );

    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid.yaml"),
    )
    .unwrap()
    .replace(
        "        - { name: id, in: query, required: true, schema: { type: string } }",
        "        - { name: id, in: query, required: true, schema: { type: string } }\n        \
         - { name: X-Tenant, in: header, required: true, schema: { type: string } }",
    );
    let with = Spec::parse("with-header.yaml", &text)
        .unwrap_or_else(|e| panic!("{e}"))
        .generate()
        .unwrap();
    assert!(!with.contains("api-version"), "{with}");
    assert!(
        with.contains("let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);"),
        "{with}"
    );
    assert!(with.contains("\"X-Tenant\""), "{with}");
}
