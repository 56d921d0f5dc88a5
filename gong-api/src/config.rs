use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderMap};

use crate::{Client, Credentials, Error, RateLimit, RequestPolicy, RetryPolicy};

/// Gong's default API host. OAuth apps should use the token answer's
/// `api_base_url_for_customer` instead.
pub const DEFAULT_BASE_URL: &str = "https://api.gong.io";

const BASE_URL_VAR: &str = "GONG_BASE_URL";

/// Builds a [`Client`]: base URL, credentials, timeouts, retries and pacing.
///
/// ```no_run
/// # fn run() -> Result<(), gong_api::Error> {
/// use std::time::Duration;
/// let client = gong_api::Client::builder()
///     .base_url("https://us-49467.api.gong.io")
///     .credentials(gong_api::Credentials::access_key("KEY", "SECRET"))
///     .timeout(Duration::from_secs(20))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    max_body_size: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            credentials: None,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            timeout: Self::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            rate_limit: Some(RateLimit::GONG),
            max_body_size: Self::DEFAULT_MAX_BODY_SIZE,
        }
    }
}

impl ClientBuilder {
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// 64 MiB: eight times a 100,000-user answer.
    pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

    pub fn new() -> Self {
        Self::default()
    }

    /// Credentials from `GONG_ACCESS_TOKEN`, or `GONG_ACCESS_KEY` and
    /// `GONG_ACCESS_KEY_SECRET`; the base URL from `GONG_BASE_URL` when set.
    pub fn from_env() -> Result<Self, Error> {
        let builder = Self::new().credentials(Credentials::from_env()?);
        Ok(match std::env::var(BASE_URL_VAR) {
            Ok(url) if !url.is_empty() => builder.base_url(url),
            _ => builder,
        })
    }

    /// Your account's API URL, e.g. `https://us-49467.api.gong.io`, with or
    /// without a trailing slash. Plain `http://` is accepted for loopback
    /// hosts only, so that credentials never travel in the clear.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Longest wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Longest wait for one attempt, from sending to the last body byte
    /// (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Default: [`RetryPolicy::default`], 3 retries.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Default: [`RateLimit::GONG`], 3 calls per second. `None` turns
    /// pacing off. The budget is per client and shared by its clones: build
    /// one client and clone it.
    pub fn rate_limit(mut self, rate_limit: Option<RateLimit>) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Largest answer body read, in bytes (default 64 MiB); a longer one
    /// is cut off and reported as [`Error::InvalidBody`], so that a broken
    /// or hostile server cannot exhaust memory.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = normalize_base_url(&self.base_url)?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config("no credentials: call `credentials(..)` on the builder, or use `Client::from_env()`".into())
        })?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be longer than zero".into()));
        }
        if self
            .rate_limit
            .is_some_and(|limit| limit.interval().is_none())
        {
            return Err(Error::Config("a rate limit must allow between one call a day and one call a nanosecond; use `None` for no limit".into()));
        }
        #[cfg(not(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls")))]
        if base_url.starts_with("https:") {
            return Err(Error::Config(
                "this build of gong-api cannot speak HTTPS: enable one of its features `rustls`, `rustls-aws-lc` or `native-tls`".into(),
            ));
        }
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, credentials.header_value()?);
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            ))
            // The URL carries query parameters: no need to hand them to a
            // server a redirect leads to.
            .referer(false)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout);
        #[cfg(feature = "rustls")]
        let http = http.tls_backend_preconfigured(rustls_config()?);
        let http = http
            .build()
            .map_err(|err| Error::Config(format!("cannot set up the HTTP client: {err}")))?;
        Ok(Client::new_with_client(
            base_url.as_str(),
            http,
            RequestPolicy::new(self.retry, self.rate_limit, self.max_body_size),
        ))
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// [`ClientBuilder::from_env`], built.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }
}

/// Checks a base URL and returns it without a trailing slash, since
/// generated paths start with one.
fn normalize_base_url(raw: &str) -> Result<String, Error> {
    // A URL with user info may hold a password: never echo it.
    let shown = if raw.contains('@') {
        "(not shown: it has user info)".to_string()
    } else {
        format!("{raw:?}")
    };
    let bad = |why: &str| Error::Config(format!("unusable base URL {shown}: {why}"));
    let url = Url::parse(raw.trim())
        .map_err(|err| bad(&format!("{err} (expected e.g. {DEFAULT_BASE_URL})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(bad(
                "plain http would send the credentials in the clear; use https (http is allowed for loopback hosts only)",
            ));
        }
        other => return Err(bad(&format!("the scheme must be https, not {other}"))),
    }
    if url.host().is_none() {
        return Err(bad("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "credentials do not belong in the URL; set them with `credentials(..)` or the environment",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// TLS for the `rustls` feature, where reqwest leaves the crypto provider to
/// us: the one the application installed as its process default, or else
/// `ring`; certificates checked against the system's trust store, as reqwest
/// does by default.
#[cfg(feature = "rustls")]
fn rustls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| std::sync::Arc::new(rustls::crypto::ring::default_provider()));
    let fail = |err: rustls::Error| Error::Config(format!("cannot set up TLS: {err}"));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(fail)?
        .with_platform_verifier()
        .map_err(fail)?
        .with_no_client_auth();
    // reqwest's own ALPN setting without HTTP/2, which this client does not enable.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}
