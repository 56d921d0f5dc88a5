//! Locks in the generated client. `gong-api` compiles the checked-in
//! `gong-api/src/generated.rs`: a spec or generator change that alters it
//! fails here with the diff until it is regenerated, and the summary snapshot
//! shows what changed in a few lines (`cargo insta review`).

use gong_api_gen::Spec;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gong.yaml");
const CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../gong-api/src/generated.rs");

/// What a developer runs, from the workspace root.
const REGENERATE: &str =
    "cargo run -p gong-api-gen -- generate spec/gong.yaml --out gong-api/src/generated.rs";

fn spec() -> Spec {
    Spec::load(SPEC).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn checked_in_client_is_what_the_spec_generates() {
    let generated = spec().generate().unwrap_or_else(|err| panic!("{err}"));
    let checked_in = std::fs::read_to_string(CLIENT).unwrap_or_else(|err| {
        panic!("cannot read {CLIENT}: {err}; create it with\n  {REGENERATE}")
    });
    if generated != checked_in {
        let diff = similar::TextDiff::from_lines(&checked_in, &generated);
        panic!(
            "gong-api/src/generated.rs is not what spec/gong.yaml generates; regenerate it with\n  \
             {REGENERATE}\nand review the change (- checked in, + generated):\n{}",
            diff.unified_diff().context_radius(2)
        );
    }
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
