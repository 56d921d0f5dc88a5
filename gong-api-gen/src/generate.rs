use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use syn::visit_mut::VisitMut;

use crate::error::SpecError;
use crate::load::Spec;

/// What the generated code expects from the crate that `include!`s it. The
/// generated source refers to these paths and the including crate must
/// provide them; everything else about the client is decided by
/// [`settings_for`], the same for every including crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCrate {
    /// Per-client state the hooks read through `Client::inner()`, shared by
    /// the client's clones (`crate::RequestPolicy` in `gong-api`). `None`:
    /// the client has no inner state.
    pub inner_type: Option<String>,
    /// An async function with the signature of progenitor's
    /// `ResponseValue::from_response` that decodes every answer instead of it
    /// (`crate::response::decode` in `gong-api`). `None`: progenitor's own.
    pub decode: Option<String>,
    /// Whether the crate must implement `ClientHooks<inner type>` for
    /// `Client` (forgetting is a compile error), or gets progenitor's
    /// do-nothing hooks.
    pub hooks_required: bool,
}

impl HostCrate {
    /// What `gong-api` provides: `crate::RequestPolicy`,
    /// `crate::response::decode`, and its own `ClientHooks` for pacing,
    /// retries and logging.
    pub fn gong_api() -> Self {
        Self {
            inner_type: Some("crate::RequestPolicy".into()),
            decode: Some("crate::response::decode".into()),
            hooks_required: true,
        }
    }

    /// Nothing: progenitor's defaults. A crate including this needs only the
    /// generated code's dependencies (`progenitor-client`, `reqwest`,
    /// `serde`, `serde_json`, and `chrono` for date-time fields).
    pub fn standalone() -> Self {
        Self {
            inner_type: None,
            decode: None,
            hooks_required: false,
        }
    }

    /// The paths, parsed; a message naming the one that is not a Rust path.
    fn paths(&self) -> Result<(Option<syn::Path>, Option<syn::Path>), String> {
        let parse = |field: &str, path: &Option<String>| {
            path.as_deref()
                .map(|text| {
                    syn::parse_str::<syn::Path>(text).map_err(|err| {
                        format!("HostCrate::{field} `{text}` is not a Rust path: {err}")
                    })
                })
                .transpose()
        };
        Ok((
            parse("inner_type", &self.inner_type)?,
            parse("decode", &self.decode)?,
        ))
    }
}

/// The one place that decides what the generated client looks like, for
/// `gong-api`.
pub fn settings() -> GenerationSettings {
    settings_for(&HostCrate::gong_api())
}

/// [`settings`] for a crate that provides `host`.
///
/// # Panics
///
/// When `host.inner_type` is not a Rust path ([`Spec::generate_for`] reports
/// it as an error instead).
pub fn settings_for(host: &HostCrate) -> GenerationSettings {
    let (inner_type, _) = host.paths().unwrap_or_else(|message| panic!("{message}"));
    let mut settings = GenerationSettings::new();
    settings
        // `client.op().param(..).send()`: an optional parameter Gong adds
        // later is a new builder method, not a break in every caller.
        .with_interface(InterfaceStyle::Builder)
        // All methods on the one `Client`, no per-tag traits to import.
        .with_tag(TagStyle::Merged)
        // Lets users compare answers in their own tests. Not `Eq`: a later
        // spec may bring floating-point fields.
        .with_derive("PartialEq")
        // Only for the generated `Client::new`; the hand-written builder
        // passes its own `reqwest::Client` with its own timeouts.
        .with_timeout(30);
    if host.hooks_required {
        // `gong-api` must implement `ClientHooks` (credentials aside, pacing,
        // retries and logging live there): forgetting it fails to compile
        // instead of silently sending unpaced requests.
        settings.with_hooks(HooksMode::Expected);
    }
    if let Some(inner_type) = inner_type {
        // Per-client state the hooks read, shared by the client's clones.
        settings.with_inner_type(quote::quote!(#inner_type));
    }
    settings
}

impl Spec {
    /// Checks the spec, then generates the client for `gong-api` as formatted
    /// Rust source.
    pub fn generate(&self) -> Result<String, SpecError> {
        self.generate_for(&HostCrate::gong_api())
    }

    /// [`Spec::generate`] for a crate that provides `host`.
    pub fn generate_for(&self, host: &HostCrate) -> Result<String, SpecError> {
        let file = self.generate_file(host)?;
        Ok(format!("{}{}", self.header(), prettyplease::unparse(&file)))
    }

    pub(crate) fn generate_file(&self, host: &HostCrate) -> Result<syn::File, SpecError> {
        self.check()?;
        let (_, decode) = host
            .paths()
            .map_err(|message| self.generate_error(message))?;
        let settings = settings_for(host);
        let generate = || Generator::new(&settings).generate_tokens(&self.document);
        // The checks above refuse every input known to make progenitor panic;
        // this turns an unknown one into an error all the same.
        let tokens = catch_unwind(AssertUnwindSafe(generate))
            .map_err(|panic| self.generate_error(panic_message(panic.as_ref())))?
            .map_err(|err| self.generate_error(err.to_string()))?;
        let mut file: syn::File = syn::parse2(tokens)
            .map_err(|err| self.generate_error(format!("generated code does not parse: {err}")))?;
        if let Some(decode) = &decode {
            RouteDecoding(decode).visit_file_mut(&mut file);
        }
        DropApiVersionHeader.visit_file_mut(&mut file);
        Ok(file)
    }

    fn generate_error(&self, message: String) -> SpecError {
        SpecError::Generate {
            path: self.path.clone(),
            message,
        }
    }

    fn header(&self) -> String {
        let name = self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let info = &self.document.info;
        let repaired = if self.repairs.is_empty() {
            String::new()
        } else {
            format!(
                "// Repaired before generation ({}); `gong-api-gen check <spec>` lists them.\n",
                crate::repair::counts(&self.repairs)
            )
        };
        format!(
            "// @generated by gong-api-gen from {name} ({} {}). Do not edit: change\n\
             // the spec and run `cargo run -p gong-api-gen -- generate <spec> --out <this file>`.\n{repaired}\n",
            info.title, info.version,
        )
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "progenitor panicked".to_string())
}

/// progenitor decodes every answer with `ResponseValue::from_response`, whose
/// error keeps the body but drops the status and headers. Calling the
/// including crate's decoder instead (same signature) lets a body that does
/// not match its schema be reported with its status and `requestId`, at the
/// cost of no second decode.
struct RouteDecoding<'a>(&'a syn::Path);

impl VisitMut for RouteDecoding<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        if let syn::Expr::Path(function) = call.func.as_ref() {
            let segments: Vec<String> = function
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segments == ["ResponseValue", "from_response"] {
                let decode = self.0;
                *call.func = syn::parse_quote!(#decode);
            }
        }
    }
}

/// progenitor adds `api-version: <info.version>` to every request, the
/// versioning convention of Oxide's API. Gong defines no such header: the
/// requests carry only what the spec describes, and nobody pays for
/// building, sending and parsing the header on every call.
struct DropApiVersionHeader;

impl VisitMut for DropApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !is_api_version_append(stmt));
        if block.stmts.len() < before {
            block.stmts.iter_mut().for_each(shrink_header_map);
        }
    }
}

/// `let mut header_map = HeaderMap::with_capacity(n)`, sized by progenitor
/// for the operation's header parameters plus `api-version`: one less now,
/// and a map that never allocates when there are none.
fn shrink_header_map(stmt: &mut syn::Stmt) {
    let syn::Stmt::Local(local) = stmt else {
        return;
    };
    let syn::Pat::Ident(binding) = &mut local.pat else {
        return;
    };
    let Some(syn::LocalInit { expr, .. }) = &mut local.init else {
        return;
    };
    let syn::Expr::Call(call) = expr.as_mut() else {
        return;
    };
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(capacity),
        ..
    })) = call.args.first_mut()
    else {
        return;
    };
    if binding.ident != "header_map" {
        return;
    }
    match capacity.base10_parse::<usize>() {
        Ok(1) => {
            binding.mutability = None;
            **expr = syn::parse_quote!(::reqwest::header::HeaderMap::new());
        }
        Ok(n) if n > 1 => {
            *capacity = syn::LitInt::new(&format!("{}usize", n - 1), capacity.span());
        }
        _ => {}
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), …);`
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    let names_api_version = |arg: &syn::Expr| {
        let syn::Expr::Call(name) = arg else {
            return false;
        };
        matches!(name.args.first(), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })) if text.value() == "api-version")
    };
    call.method == "append" && call.args.first().is_some_and(names_api_version)
}
