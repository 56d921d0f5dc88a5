//! The normalization step, one repair at a time: each file under
//! `tests/fixtures/repaired/` is `valid.yaml` with one of the defects of
//! Gong's published document, and must come out repaired, reported, and
//! generable. Then Gong's whole document, and the specs that need nothing.

use std::path::{Path, PathBuf};

use gong_api_gen::{HostCrate, REPAIRS, Report, Spec};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Gong's published document, kept with the crate that compiles its client.
fn gong_document() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/full-spec/gong-openapi-v2.json")
}

/// Loads `repaired/<name>`, checks that exactly `expected` (repair name,
/// pointer) were applied, that the message of the first mentions `what`, and
/// that the result generates.
fn repaired(name: &str, expected: &[(&str, &str)], what: &str) -> Spec {
    let spec = Spec::load(fixture(&format!("repaired/{name}"))).unwrap_or_else(|e| panic!("{e}"));
    let applied: Vec<(&str, &str)> = spec
        .repairs()
        .iter()
        .map(|r| (r.name, r.pointer.as_str()))
        .collect();
    assert_eq!(applied, expected);
    assert!(
        spec.repairs()[0].what.contains(what),
        "{what:?} missing from {}",
        spec.repairs()[0]
    );
    assert_eq!(spec.findings(), vec![]);
    if let Err(err) = spec.generate() {
        panic!("{name} does not generate after its repair: {err}");
    }
    spec
}

#[test]
fn big_integer_example() {
    repaired(
        "big-integer-example.yaml",
        &[(
            "big-integer-example",
            "/components/schemas/Things/properties/callsSharedInternally/example/0",
        )],
        "the integer 37555663966526337006 does not fit in 64 bits; examples are documentation only, so it is kept as the string \"37555663966526337006\"",
    );
}

#[test]
fn example_set_flag() {
    repaired(
        "example-set-flag.yaml",
        &[
            (
                "example-set-flag",
                "/components/schemas/Things/exampleSetFlag",
            ),
            (
                "example-set-flag",
                "/components/schemas/Things/properties/items/exampleSetFlag",
            ),
        ],
        "removed `exampleSetFlag: false`",
    );
}

#[test]
fn zero_minimum() {
    let spec = repaired(
        "zero-minimum.yaml",
        &[
            (
                "zero-minimum",
                "/components/schemas/NewThing/properties/purpose/minLength",
            ),
            (
                "zero-minimum",
                "/components/schemas/NewThing/properties/tags/minItems",
            ),
        ],
        "removed `minLength: 0`, which is the default",
    );
    // The always-false check rustc warns about is gone; the real bound stays.
    let source = spec.generate().unwrap();
    assert!(!source.contains("< 0usize"), "a `< 0` check is left");
    assert!(source.contains("> 255usize"), "the maximum length is lost");
}

#[test]
fn loopback_server() {
    let spec = repaired(
        "loopback-server.yaml",
        &[("loopback-server", "/servers/0/url")],
        "server `https://127.0.0.1:8443` is a loopback address",
    );
    assert_eq!(spec.document().servers[0].url, "https://api.gong.io");
}

#[test]
fn bearer_scheme() {
    let spec = repaired(
        "bearer-scheme.yaml",
        &[
            ("bearer-scheme", "/components/securitySchemes/BearerAuth"),
            ("bearer-scheme", "/security/1"),
        ],
        "added the HTTP bearer scheme `BearerAuth`",
    );
    let schemes = &spec
        .document()
        .components
        .as_ref()
        .unwrap()
        .security_schemes;
    assert!(schemes.contains_key("BasicAuth") && schemes.contains_key("BearerAuth"));
    assert_eq!(spec.document().security.as_ref().unwrap().len(), 2);
}

#[test]
fn any_media_type() {
    let spec = repaired(
        "any-media-type.yaml",
        &[
            (
                "any-media-type",
                "/paths/~1v2~1things/get/responses/200/content/*~1*",
            ),
            (
                "any-media-type",
                "/paths/~1v2~1things/get/responses/400/content/*~1*",
            ),
        ],
        "media type `*/*` is now `application/json`: its schema (`Things`) describes JSON",
    );
    // A typed answer, not a byte stream.
    let source = spec.generate().unwrap();
    assert!(source.contains("ResponseValue<types::Things>"), "{source}");
    assert!(!source.contains("ByteStream>"), "{source}");
}

#[test]
fn same_shape_responses() {
    let spec = repaired(
        "same-shape-responses.yaml",
        &[(
            "same-shape-responses",
            "/paths/~1v2~1things/get/responses/201/content/application~1json/schema/$ref",
        )],
        "success status 201 referred to `Created`; it now refers to `Things` (status 200), which has the same shape as `Created`",
    );
    // The schema itself stays, for whoever else uses it.
    let schemas = &spec.document().components.as_ref().unwrap().schemas;
    assert!(schemas.contains_key("Created"));
}

/// Every repair has a fixture here.
#[test]
fn every_repair_is_tested_on_its_own() {
    let names: Vec<&str> = REPAIRS.iter().map(|(name, _)| *name).collect();
    let mut fixtures: Vec<String> = std::fs::read_dir(fixture("repaired"))
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.trim_end_matches(".yaml").to_string()
        })
        .collect();
    fixtures.sort();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(fixtures, sorted);
}

/// A correct spec comes out as it went in: no repair, the same document.
#[test]
fn correct_specs_need_no_repair() {
    for path in [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/gong.yaml"),
        fixture("valid.yaml"),
    ] {
        let report = Report::load(&path).unwrap();
        assert_eq!(report.repairs, vec![], "{report}");
        assert!(report.is_ok(), "{report}");
    }
}

/// Gong's document as published: what is repaired, how often, and that
/// nothing is left to refuse. (`tests/full-spec` compiles its client.)
#[test]
fn gongs_published_document() {
    let report = Report::load(gong_document()).unwrap();
    assert!(report.is_ok(), "{report}");
    let count = |name: &str| report.repairs.iter().filter(|r| r.name == name).count();
    assert_eq!(count("example-set-flag"), 65);
    assert_eq!(count("any-media-type"), 18);
    assert_eq!(count("zero-minimum"), 3);
    assert_eq!(count("loopback-server"), 1);
    assert_eq!(count("bearer-scheme"), 2);
    assert_eq!(count("same-shape-responses"), 1);
    // JSON holds the 20-digit examples (as floats), so nothing to repair.
    assert_eq!(count("big-integer-example"), 0);
    assert_eq!(report.repairs.len(), 90, "{report}");

    let merged = report
        .repairs
        .iter()
        .find(|r| r.name == "same-shape-responses")
        .unwrap();
    assert_eq!(
        merged.pointer,
        "/paths/~1v2~1crm~1entity-schema/post/responses/200/content/application~1json/schema/$ref"
    );
    assert!(
        merged.what.contains(
            "success status 200 referred to `BaseResponse`; it now refers to `SchemaUpdateResponse` (status 201), which has the same shape as `BaseResponse`"
        ),
        "{merged}"
    );
}

/// Without its repairs, the document is refused with a message, not with
/// progenitor's assertion: the repair is what makes the difference.
#[test]
fn gongs_document_without_the_merge_is_refused_clearly() {
    let text = std::fs::read_to_string(gong_document()).unwrap();
    let mut document: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Make the 200 answer's schema differ in shape from the 201's.
    document["components"]["schemas"]["BaseResponse"]["required"] = serde_json::json!(["extra"]);
    document["components"]["schemas"]["BaseResponse"]["properties"]["extra"] =
        serde_json::json!({ "type": "string" });
    let text = serde_json::to_string(&document).unwrap();
    let err = Spec::parse("gong-openapi-v2.json", &text)
        .and_then(|spec| spec.generate())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "at /paths/~1v2~1crm~1entity-schema/post/responses: success statuses use 2 different schemas (BaseResponse, SchemaUpdateResponse)"
        ),
        "{err}"
    );
}

/// JSON is YAML: read through the YAML reader, Gong's document keeps its
/// 20-digit example integer (which plain YAML-to-JSON reading refuses), gets
/// one repair more, and generates the very client the JSON reading does.
#[test]
fn gongs_document_read_as_yaml() {
    let text = std::fs::read_to_string(gong_document()).unwrap();
    let as_yaml = Spec::parse("gong-openapi-v2.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    let as_json = Spec::load(gong_document()).unwrap();
    assert_eq!(as_yaml.repairs().len(), as_json.repairs().len() + 1);
    let big = &as_yaml.repairs()[0];
    assert_eq!(big.name, "big-integer-example");
    assert_eq!(
        big.pointer,
        "/components/schemas/DailyActivityWithDates/properties/callsSharedInternally/example/0"
    );
    let host = HostCrate::standalone();
    let body = |source: String| source.lines().skip(3).collect::<Vec<_>>().join("\n");
    assert!(
        body(as_yaml.generate_for(&host).unwrap()) == body(as_json.generate_for(&host).unwrap()),
        "the YAML and JSON readings generate different clients"
    );
}
