use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{Finding, Repair, SpecError, pointer_token};
use crate::repair::BigInteger;
use crate::walk::METHODS;

/// An OpenAPI document read from a file, repaired, parsed and ready to check.
#[derive(Debug, Clone)]
pub struct Spec {
    pub(crate) path: PathBuf,
    pub(crate) document: OpenAPI,
    pub(crate) repairs: Vec<Repair>,
    pub(crate) findings: Vec<Finding>,
}

/// Everything known about a spec file without generating from it: what the
/// repairs changed, and every problem left. What `gong-api-gen check` prints.
#[derive(Debug, Clone)]
pub struct Report {
    pub path: PathBuf,
    pub repairs: Vec<Repair>,
    pub findings: Vec<Finding>,
}

/// A document taken as far as it goes.
struct Prepared {
    report: Report,
    document: Option<OpenAPI>,
}

impl Spec {
    /// Reads and parses `path`: JSON when it ends in `.json`, YAML otherwise.
    ///
    /// Errors carry the line and column of a syntax error, or the JSON
    /// pointers of values that are not what OpenAPI 3.0 expects (together
    /// with every other problem the document has).
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        Self::parse(path, &read(path)?)
    }

    /// Parses `text` as if read from `path` (which only names it in errors and
    /// picks the syntax).
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Self, SpecError> {
        let Prepared { report, document } = prepare(path.as_ref(), text)?;
        match document {
            Some(document) => Ok(Self {
                path: report.path,
                document,
                repairs: report.repairs,
                findings: report.findings,
            }),
            None => Err(SpecError::Invalid {
                path: report.path,
                findings: report.findings,
            }),
        }
    }

    /// The file this spec was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The parsed document, repairs applied.
    pub fn document(&self) -> &OpenAPI {
        &self.document
    }

    /// What the normalization step changed before parsing, in order.
    pub fn repairs(&self) -> &[Repair] {
        &self.repairs
    }
}

impl Report {
    /// Reads `path` and reports on it. Fails only when the file cannot be
    /// read or is not JSON or YAML at all.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        Self::parse(path, &read(path)?)
    }

    /// Reports on `text` as if read from `path`.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Self, SpecError> {
        Ok(prepare(path.as_ref(), text)?.report)
    }

    /// Whether a client can be generated from the document.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}

impl fmt::Display for Report {
    /// Every repair, then every problem (or that there is none).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        if !self.repairs.is_empty() {
            let count = self.repairs.len();
            writeln!(
                f,
                "{path}: {count} repair{} applied before generation ({}):",
                plural(count),
                crate::repair::counts(&self.repairs)
            )?;
            for repair in &self.repairs {
                writeln!(f, "  - {repair}")?;
            }
        }
        if self.findings.is_empty() {
            writeln!(f, "{path}: no problems found")
        } else {
            let count = self.findings.len();
            writeln!(f, "{path}: {count} problem{}:", plural(count))?;
            for finding in &self.findings {
                writeln!(f, "  - {finding}")?;
            }
            Ok(())
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn read(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Syntax, repairs, checks on the raw document, then typed parsing: every
/// finding of every stage that can run.
fn prepare(path: &Path, text: &str) -> Result<Prepared, SpecError> {
    let path = path.to_path_buf();
    let (mut value, big_integers) = parse_syntax(&path, text)?;
    let (repairs, refused) = crate::repair::normalize(&mut value, &big_integers);
    let mut findings = Vec::new();
    let version = crate::check::openapi_version(&value);
    let supported = version.is_none();
    findings.extend(version);
    findings.extend(refused);
    // A 3.1 document fails typed parsing in ways that only repeat "not 3.0".
    let document = if supported {
        typed(&value, &mut findings)
    } else {
        None
    };
    findings.extend(crate::check::findings(&value));
    Ok(Prepared {
        report: Report {
            path,
            repairs,
            findings,
        },
        document,
    })
}

fn parse_syntax(path: &Path, text: &str) -> Result<(Value, Vec<BigInteger>), SpecError> {
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json {
        // serde_json reads an integer beyond 64 bits as the nearest float.
        let value = serde_json::from_str(text).map_err(|err| SpecError::Syntax {
            path: path.to_path_buf(),
            format: "JSON",
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        })?;
        Ok((value, Vec::new()))
    } else {
        let big_integers = RefCell::new(Vec::new());
        let deserializer = yaml_serde::Deserializer::from_str(text);
        let seed = Node {
            at: String::new(),
            big_integers: &big_integers,
        };
        let value = seed.deserialize(deserializer).map_err(|err| {
            let (line, column) = err.location().map_or((0, 0), |at| (at.line(), at.column()));
            SpecError::Syntax {
                path: path.to_path_buf(),
                format: "YAML",
                line,
                column,
                message: err.to_string(),
            }
        })?;
        Ok((value, big_integers.into_inner()))
    }
}

/// Reads YAML into a JSON value like `serde_json::Value`'s own `Deserialize`
/// does, except that an integer beyond 64 bits (which a JSON value cannot
/// hold, so reading fails) is kept as a string of its digits and noted with
/// its pointer, for the `big-integer-example` repair to judge.
struct Node<'a> {
    at: String,
    big_integers: &'a RefCell<Vec<BigInteger>>,
}

impl Node<'_> {
    fn child(&self, token: &str) -> Self {
        Node {
            at: format!("{}/{}", self.at, pointer_token(token)),
            big_integers: self.big_integers,
        }
    }

    fn big(self, digits: String) -> Value {
        self.big_integers.borrow_mut().push(BigInteger {
            pointer: self.at,
            digits: digits.clone(),
        });
        Value::String(digits)
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(match i64::try_from(value) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => self.big(value.to_string()),
        })
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(match u64::try_from(value) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => self.big(value.to_string()),
        })
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(&items.len().to_string()))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.child(&key))?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Typed parsing, piece by piece (each operation, each component, ...) so
/// that one bad value does not hide the next: every piece that fails is a
/// finding. The whole document is parsed once every piece passes.
fn typed(value: &Value, findings: &mut Vec<Finding>) -> Option<OpenAPI> {
    use openapiv3 as oa;
    let before = findings.len();
    for (key, part) in value.as_object().into_iter().flatten() {
        let at = format!("/{}", pointer_token(key));
        match key.as_str() {
            "info" => piece::<oa::Info>(part, &at, findings),
            "servers" => piece::<Vec<oa::Server>>(part, &at, findings),
            "security" => piece::<Vec<oa::SecurityRequirement>>(part, &at, findings),
            "tags" => piece::<Vec<oa::Tag>>(part, &at, findings),
            "externalDocs" => piece::<oa::ExternalDocumentation>(part, &at, findings),
            "paths" => {
                for (path, item) in part.as_object().into_iter().flatten() {
                    if path.starts_with("x-") {
                        continue;
                    }
                    let item_at = format!("{at}/{}", pointer_token(path));
                    let Some(fields) = item.as_object() else {
                        piece::<oa::ReferenceOr<oa::PathItem>>(item, &item_at, findings);
                        continue;
                    };
                    let mut rest = fields.clone();
                    for method in METHODS {
                        if let Some(operation) = rest.shift_remove(method) {
                            let op_at = format!("{item_at}/{method}");
                            piece::<oa::Operation>(&operation, &op_at, findings);
                        }
                    }
                    piece::<oa::ReferenceOr<oa::PathItem>>(
                        &Value::Object(rest),
                        &item_at,
                        findings,
                    );
                }
            }
            "components" => {
                for (section, entries) in part.as_object().into_iter().flatten() {
                    if section.starts_with("x-") {
                        continue;
                    }
                    let section_at = format!("{at}/{}", pointer_token(section));
                    for (name, entry) in entries.as_object().into_iter().flatten() {
                        if name.starts_with("x-") {
                            continue;
                        }
                        let entry_at = format!("{section_at}/{}", pointer_token(name));
                        component(section, entry, &entry_at, findings);
                    }
                }
            }
            _ => {}
        }
    }
    if findings.len() > before {
        return None;
    }
    match serde_path_to_error::deserialize::<_, OpenAPI>(value) {
        Ok(document) => Some(document),
        Err(err) => {
            findings.push(invalid_value(String::new(), &err));
            None
        }
    }
}

fn component(section: &str, entry: &Value, at: &str, findings: &mut Vec<Finding>) {
    use openapiv3 as oa;
    match section {
        "schemas" => piece::<oa::Schema>(entry, at, findings),
        "responses" => piece::<oa::Response>(entry, at, findings),
        "parameters" => piece::<oa::Parameter>(entry, at, findings),
        "examples" => piece::<oa::Example>(entry, at, findings),
        "requestBodies" => piece::<oa::RequestBody>(entry, at, findings),
        "headers" => piece::<oa::Header>(entry, at, findings),
        "securitySchemes" => piece::<oa::SecurityScheme>(entry, at, findings),
        "links" => piece::<oa::Link>(entry, at, findings),
        "callbacks" => piece::<oa::Callback>(entry, at, findings),
        _ => {}
    }
}

/// Parses one piece as `T`, or as a `$ref` when it is one (so that an error
/// inside it is located precisely, not as "no variant of ReferenceOr
/// matched").
fn piece<T: DeserializeOwned>(value: &Value, at: &str, findings: &mut Vec<Finding>) {
    let result = if value.get("$ref").is_some() {
        serde_path_to_error::deserialize::<_, openapiv3::ReferenceOr<T>>(value).map(drop)
    } else {
        serde_path_to_error::deserialize::<_, T>(value).map(drop)
    };
    if let Err(err) = result {
        findings.push(invalid_value(at.to_string(), &err));
    }
}

fn invalid_value(at: String, err: &serde_path_to_error::Error<serde_json::Error>) -> Finding {
    Finding::new(
        format!("{at}{}", path_to_pointer(err.path())),
        format!("not a valid OpenAPI 3.0 value: {}", err.inner()),
        "make the value match the OpenAPI 3.0.3 specification for this field",
    )
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", pointer_token(key))),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repairs leave a correct document exactly as it was read.
    #[test]
    fn a_correct_spec_passes_through_untouched() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for path in [
            root.join("../spec/gong.yaml"),
            root.join("tests/fixtures/valid.yaml"),
        ] {
            let text = std::fs::read_to_string(&path).unwrap();
            let (read, big_integers) = parse_syntax(&path, &text).unwrap();
            let mut repaired = read.clone();
            let (repairs, findings) = crate::repair::normalize(&mut repaired, &big_integers);
            assert_eq!(repairs, vec![], "{}", path.display());
            assert_eq!(findings, vec![], "{}", path.display());
            assert_eq!(repaired, read, "{}", path.display());
        }
    }

    /// The YAML reader reads what `serde_json::Value` reads, in order.
    #[test]
    fn yaml_reads_like_a_json_value() {
        let text = "b: [1, -2, 2.5, true, null, ~, text]\na: { \"200\": x, 404: y }\n";
        let (value, big) = parse_syntax(Path::new("t.yaml"), text).unwrap();
        let plain: Value = yaml_serde::from_str(text).unwrap();
        assert_eq!(value, plain);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"b":[1,-2,2.5,true,null,null,"text"],"a":{"200":"x","404":"y"}}"#
        );
        assert!(big.is_empty());
    }

    #[test]
    fn yaml_integers_beyond_64_bits_are_noted() {
        let text =
            "a:\n  - 37555663966526337006\n  - -9300000000000000000\n  - 18446744073709551615\n";
        let (value, big) = parse_syntax(Path::new("t.yaml"), text).unwrap();
        let found: Vec<(&str, &str)> = big
            .iter()
            .map(|b| (b.pointer.as_str(), b.digits.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("/a/0", "37555663966526337006"),
                ("/a/1", "-9300000000000000000")
            ]
        );
        assert_eq!(value["a"][2], Value::from(u64::MAX));
    }
}
