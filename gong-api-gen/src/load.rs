use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Finding, SpecError, pointer_token};

/// An OpenAPI document read from a file, parsed and ready to check.
#[derive(Debug, Clone)]
pub struct Spec {
    pub(crate) path: PathBuf,
    pub(crate) document: OpenAPI,
}

impl Spec {
    /// Reads and parses `path`: JSON when it ends in `.json`, YAML otherwise.
    ///
    /// Errors carry the line and column of a syntax error, or the JSON
    /// pointer of a value that is not what OpenAPI 3.0 expects.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses `text` as if read from `path` (which only names it in errors and
    /// picks the syntax).
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Self, SpecError> {
        let path = path.as_ref().to_path_buf();
        let value = parse_syntax(&path, text)?;
        if let Some(finding) = crate::check::openapi_version(&value) {
            return Err(SpecError::Invalid {
                path,
                findings: vec![finding],
            });
        }
        let document =
            serde_path_to_error::deserialize(&value).map_err(|err| SpecError::Invalid {
                findings: vec![Finding::new(
                    path_to_pointer(err.path()),
                    format!("not a valid OpenAPI 3.0 value: {}", err.inner()),
                    "make the value match the OpenAPI 3.0.3 specification for this field",
                )],
                path: path.clone(),
            })?;
        Ok(Self { path, document })
    }

    /// The file this spec was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The parsed document.
    pub fn document(&self) -> &OpenAPI {
        &self.document
    }
}

fn parse_syntax(path: &Path, text: &str) -> Result<Value, SpecError> {
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(text).map_err(|err| SpecError::Syntax {
            path: path.to_path_buf(),
            format: "JSON",
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        })
    } else {
        yaml_serde::from_str(text).map_err(|err| {
            let (line, column) = err.location().map_or((0, 0), |at| (at.line(), at.column()));
            SpecError::Syntax {
                path: path.to_path_buf(),
                format: "YAML",
                line,
                column,
                message: err.to_string(),
            }
        })
    }
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
