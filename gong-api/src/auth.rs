use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::HeaderValue;

use crate::Error;

/// How the client proves who it is. `Debug` shows the kind, never the values.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An access key and its secret from Gong's API page, sent as HTTP Basic.
    AccessKey { access_key: String, secret: String },
    /// An OAuth access token, sent as `Bearer`.
    Token(String),
}

impl Credentials {
    pub const ACCESS_KEY_VAR: &str = "GONG_ACCESS_KEY";
    pub const ACCESS_KEY_SECRET_VAR: &str = "GONG_ACCESS_KEY_SECRET";
    pub const ACCESS_TOKEN_VAR: &str = "GONG_ACCESS_TOKEN";

    pub fn access_key(access_key: impl Into<String>, secret: impl Into<String>) -> Self {
        Self::AccessKey {
            access_key: access_key.into(),
            secret: secret.into(),
        }
    }

    pub fn token(token: impl Into<String>) -> Self {
        Self::Token(token.into())
    }

    /// Reads `GONG_ACCESS_TOKEN`, or else `GONG_ACCESS_KEY` with
    /// `GONG_ACCESS_KEY_SECRET`. The token wins when both kinds are set;
    /// empty variables count as unset.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|value| !value.is_empty());
        if let Some(token) = get(Self::ACCESS_TOKEN_VAR) {
            return Ok(Self::Token(token));
        }
        match (get(Self::ACCESS_KEY_VAR), get(Self::ACCESS_KEY_SECRET_VAR)) {
            (Some(access_key), Some(secret)) => Ok(Self::AccessKey { access_key, secret }),
            (Some(_), None) => Err(Error::Config(format!(
                "{} is set but {} is not: set both, or set {} instead",
                Self::ACCESS_KEY_VAR,
                Self::ACCESS_KEY_SECRET_VAR,
                Self::ACCESS_TOKEN_VAR
            ))),
            (None, Some(_)) => Err(Error::Config(format!(
                "{} is set but {} is not: set both, or set {} instead",
                Self::ACCESS_KEY_SECRET_VAR,
                Self::ACCESS_KEY_VAR,
                Self::ACCESS_TOKEN_VAR
            ))),
            (None, None) => Err(Error::Config(format!(
                "no Gong credentials: set {} and {} (from Gong's API page), or {} (an OAuth access token)",
                Self::ACCESS_KEY_VAR,
                Self::ACCESS_KEY_SECRET_VAR,
                Self::ACCESS_TOKEN_VAR
            ))),
        }
    }

    /// The `Authorization` header value, marked sensitive so that reqwest and
    /// `http` never print it.
    pub(crate) fn header_value(&self) -> Result<HeaderValue, Error> {
        let value = match self {
            Self::AccessKey { access_key, secret } => {
                format!(
                    "Basic {}",
                    STANDARD.encode(format!("{access_key}:{secret}"))
                )
            }
            Self::Token(token) => format!("Bearer {token}"),
        };
        let mut header = HeaderValue::from_str(&value).map_err(|_| {
            // Not the value itself: it is a secret.
            Error::Config(format!(
                "the {} holds a character that cannot be sent in an HTTP header (a line break or another control character?)",
                self.kind()
            ))
        })?;
        header.set_sensitive(true);
        Ok(header)
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::AccessKey { .. } => "access key or secret",
            Self::Token(_) => "access token",
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AccessKey { .. } => f.write_str("Credentials::AccessKey(<redacted>)"),
            Self::Token(_) => f.write_str("Credentials::Token(<redacted>)"),
        }
    }
}
