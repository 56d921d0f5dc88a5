//! A short, readable account of the generated surface, for a snapshot that a
//! reviewer can take in at a glance (the full source has its own snapshot).

use std::fmt::Write as _;

use quote::ToTokens;
use syn::{Attribute, Fields, GenericArgument, Item, ItemMod, PathArguments, ReturnType, Type};

use crate::error::SpecError;
use crate::generate::HostCrate;
use crate::load::Spec;

impl Spec {
    /// Each operation (method, path, client method, parameters, success and
    /// error types) and each type (fields or variants, with Rust types).
    pub fn summary(&self) -> Result<String, SpecError> {
        let file = self.generate_file(&HostCrate::gong_api())?;
        let mut out = String::from("# Operations\n");
        let builders = module(&file.items, "builder").map_or(&[][..], |m| items(m));
        for item in &file.items {
            let Item::Impl(block) = item else { continue };
            if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
                continue;
            }
            for method in block.items.iter().filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f),
                _ => None,
            }) {
                // Constructors have no request line: only operations do.
                let Some((verb, path)) = doc(&method.attrs).lines().find_map(request_line) else {
                    continue;
                };
                let _ = writeln!(out, "{verb} {path}\n  Client::{}()", method.sig.ident);
                if let Some(statuses) = self.statuses(&verb, &path) {
                    let _ = writeln!(out, "  statuses {statuses}");
                }
                let builder = match &method.sig.output {
                    ReturnType::Type(_, ty) => last_ident(ty),
                    ReturnType::Default => None,
                };
                if let Some(builder) = builder {
                    describe_builder(&mut out, builders, &builder);
                }
            }
        }
        out.push_str("\n# Types");
        if let Some(types) = module(&file.items, "types") {
            for item in items(types) {
                describe_type(&mut out, item);
            }
        }
        Ok(out)
    }
}

fn module<'a>(items: &'a [Item], name: &str) -> Option<&'a ItemMod> {
    items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => Some(m),
        _ => None,
    })
}

fn items(module: &ItemMod) -> &[Item] {
    module.content.as_ref().map_or(&[][..], |(_, items)| items)
}

fn doc(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// progenitor documents each method with "Sends a `GET` request to `/path`".
fn request_line(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("Sends a `")?;
    let (method, rest) = rest.split_once('`')?;
    let path = rest.split('`').nth(1)?;
    Some((method.to_string(), path.to_string()))
}

impl Spec {
    /// The documented statuses of the operation at `verb path`, e.g. `200 | 400, 401, 500`.
    fn statuses(&self, verb: &str, path: &str) -> Option<String> {
        let (_, _, operation) = self
            .document
            .operations()
            .find(|(p, m, _)| *p == path && m.eq_ignore_ascii_case(verb))?;
        let (success, errors): (Vec<_>, Vec<_>) = operation
            .responses
            .responses
            .keys()
            .map(ToString::to_string)
            .chain(
                operation
                    .responses
                    .default
                    .iter()
                    .map(|_| "default".to_string()),
            )
            .partition(|status| status.starts_with('2'));
        Some(format!("{} | {}", success.join(", "), errors.join(", ")))
    }
}

fn describe_builder(out: &mut String, builders: &[Item], name: &str) {
    for item in builders {
        match item {
            Item::Struct(s) if s.ident == name => {
                for field in &s.fields {
                    let Some(ident) = &field.ident else { continue };
                    if ident == "client" {
                        continue;
                    }
                    // Builder fields are `Result<T, String>`: show `T`.
                    let ty = first_generic(&field.ty).unwrap_or(&field.ty);
                    let _ = writeln!(out, "  param {ident}: {}", render(ty));
                }
            }
            Item::Impl(block) if last_ident(&block.self_ty).as_deref() == Some(name) => {
                for f in block.items.iter().filter_map(|i| match i {
                    syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
                    _ => None,
                }) {
                    if let ReturnType::Type(_, ty) = &f.sig.output {
                        let _ = writeln!(out, "  returns {}", render(ty));
                    }
                }
            }
            _ => {}
        }
    }
}

fn describe_type(out: &mut String, item: &Item) {
    match item {
        Item::Struct(s) => {
            let _ = writeln!(out, "\nstruct {}", s.ident);
            if let Fields::Named(fields) = &s.fields {
                for field in &fields.named {
                    let ident = field
                        .ident
                        .as_ref()
                        .map(|i| i.to_string())
                        .unwrap_or_default();
                    let wire = serde_rename(&field.attrs)
                        .map(|r| format!(" (\"{r}\")"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "  {ident}{wire}: {}", render(&field.ty));
                }
            }
        }
        Item::Enum(e) => {
            let _ = writeln!(out, "\nenum {}", e.ident);
            for variant in &e.variants {
                let fields = match &variant.fields {
                    Fields::Unnamed(f) => format!(
                        "({})",
                        f.unnamed
                            .iter()
                            .map(|f| render(&f.ty))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => String::new(),
                };
                let _ = writeln!(out, "  {}{fields}", variant.ident);
            }
        }
        _ => {}
    }
}

fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    rename
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn first_generic(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// `::std::option::Option<::std::string::String>` reads as `Option<String>`.
fn render(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::",
        "std::",
    ]
    .iter()
    .fold(text, |acc, prefix| acc.replace(prefix, ""))
    .replace(",>", ">")
    .replace(',', ", ")
}
