//! The hand-written equivalent of one gong-api call: a reqwest client with
//! the credentials as a sensitive default header, one GET, JSON into a plain
//! struct. Only here to be compiled next to gong-api by
//! `scripts/build-cost.sh`.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Users {
    pub request_id: Option<String>,
    #[serde(default)]
    pub users: Vec<User>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Option<String>,
    pub full_name: Option<String>,
    pub email_address: Option<String>,
}

/// `authorization` is the whole header value, e.g. `Basic …`.
pub fn client(authorization: &str) -> Result<reqwest::Client, Box<dyn std::error::Error>> {
    #[cfg(feature = "rustls")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut value = HeaderValue::from_str(authorization)?;
    value.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, value);
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("gong-build-baseline/0")
        .build()?)
}

pub async fn list_permission_profile_users(
    client: &reqwest::Client,
    base_url: &str,
    profile_id: &str,
) -> reqwest::Result<Users> {
    client
        .get(format!("{base_url}/v2/permission-profile/users"))
        .query(&[("profileId", profile_id)])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}
