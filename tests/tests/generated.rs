//! Locks in the generated client: a spec or generator change that alters it
//! fails here with the diff until the snapshot is reviewed and accepted
//! (`cargo insta review`).

use gong_api_gen::Spec;

/// The spec `gong-api`'s build script generates from.
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gong.yaml");

fn spec() -> Spec {
    Spec::load(SPEC).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn generated_source() {
    let source = spec().generate().unwrap_or_else(|err| panic!("{err}"));
    insta::assert_snapshot!("generated_source", source);
}

#[test]
fn generated_summary() {
    let summary = spec().summary().unwrap_or_else(|err| panic!("{err}"));
    insta::assert_snapshot!("generated_summary", summary);
}

#[test]
fn spec_has_no_findings() {
    assert_eq!(spec().findings(), vec![]);
}
