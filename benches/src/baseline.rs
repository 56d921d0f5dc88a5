//! The hand-written baseline: the same reqwest (same crate build, features
//! and TLS backend as gong-api, since cargo unifies them), configured the
//! way gong-api configures it, and serde_json into a plain struct.

use std::time::Duration;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use serde::Deserialize;

/// The 200 answer as someone would write it by hand.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainUsers {
    pub request_id: Option<String>,
    #[serde(default)]
    pub users: Vec<PlainUser>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainUser {
    pub id: Option<String>,
    pub full_name: Option<String>,
    pub email_address: Option<String>,
}

/// A reqwest client with HTTP Basic credentials as a sensitive default
/// header, the user agent and the timeouts gong-api sets.
#[derive(Debug, Clone)]
pub struct Baseline {
    http: reqwest::Client,
    url: String,
}

impl Baseline {
    pub fn new(base_url: &str) -> Self {
        // What a program using reqwest with rustls needs before its first
        // client when its reqwest has no default crypto provider (gong-api's
        // `rustls` feature unifies reqwest to `rustls-no-provider`). Harmless
        // otherwise; TLS plays no part on loopback http.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let pair = format!("{}:{}", crate::ACCESS_KEY, crate::ACCESS_KEY_SECRET);
        let basic = format!("Basic {}", BASE64_STANDARD.encode(pair));
        let mut value = HeaderValue::from_str(&basic).expect("a header value");
        value.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, value);
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent("baseline/0.1.0")
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .expect("a reqwest client");
        Self {
            http,
            url: format!("{base_url}/v2/permission-profile/users"),
        }
    }

    /// One GET: status checked, `bytes()`, then `serde_json::from_slice`.
    pub async fn list_users(
        &self,
        profile_id: &str,
    ) -> Result<PlainUsers, Box<dyn std::error::Error>> {
        let response = self
            .http
            .get(&self.url)
            .header(ACCEPT, "application/json")
            .query(&[("profileId", profile_id)])
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// [`Baseline::list_users`] for the benchmark's profile; the number of
    /// users decoded.
    pub async fn call(&self) -> usize {
        self.list_users(crate::PROFILE_ID)
            .await
            .expect("the benchmark server answers 200")
            .users
            .len()
    }
}
