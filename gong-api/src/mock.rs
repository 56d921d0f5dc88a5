//! A stand-in for Gong on 127.0.0.1, for tests and demos: the spec's
//! operation over a small fictional data set, answering as real Gong does.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let server = gong_api::mock::MockServer::start().await?;
//! let client = server.client_builder().build()?;
//! // `gong_api::Error::from` gives the classified error (status, requestId).
//! let answer = client
//!     .list_permission_profile_users()
//!     .profile_id("3843152912968920037")
//!     .send()
//!     .await
//!     .map_err(gong_api::Error::from)?;
//! assert_eq!(answer.users.len(), 3);
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::{ClientBuilder, Credentials};

/// The mock's access key; with [`MOCK_ACCESS_KEY_SECRET`] it is accepted as
/// HTTP Basic credentials. Fictional, like the data.
pub const MOCK_ACCESS_KEY: &str = "mock-access-key";
pub const MOCK_ACCESS_KEY_SECRET: &str = "mock-access-key-secret";
/// The mock's accepted OAuth access token.
pub const MOCK_ACCESS_TOKEN: &str = "mock-access-token";

/// A user as the mock stores it; `None` is sent as JSON `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockUser {
    pub id: &'static str,
    pub full_name: Option<&'static str>,
    pub email_address: Option<&'static str>,
}

/// A permission profile and the users attached to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockProfile {
    pub id: &'static str,
    pub name: &'static str,
    pub users: &'static [MockUser],
}

/// The fictional data set: one profile with ordinary users, one with the
/// awkward cases real Gong produces (a 20-digit id beyond `u64`, `null`
/// fields, text that needs CSV quoting), and one with no users.
pub const MOCK_PROFILES: &[MockProfile] = &[
    MockProfile {
        id: "3843152912968920037",
        name: "Sales managers",
        users: &[
            MockUser {
                id: "234599484848423",
                full_name: Some("Maya Okafor"),
                email_address: Some("maya.okafor@example.com"),
            },
            MockUser {
                id: "8123456789012345678",
                full_name: Some("Lars Jönsson"),
                email_address: Some("lars.jonsson@example.com"),
            },
            MockUser {
                id: "5551234567890123456",
                full_name: Some("Priya Raman"),
                email_address: Some("priya.raman@example.com"),
            },
        ],
    },
    MockProfile {
        id: "6720194455180342981",
        name: "Integrations",
        users: &[
            MockUser {
                id: "98765432109876543210",
                full_name: Some("O'Brien, \"Tom\""),
                email_address: Some("tom.obrien@example.com"),
            },
            MockUser {
                id: "1200000000000000001",
                full_name: None,
                email_address: Some("svc-sync@example.com"),
            },
            MockUser {
                id: "1200000000000000002",
                full_name: Some("Former Employee"),
                email_address: None,
            },
        ],
    },
    MockProfile {
        id: "7010422651907431188",
        name: "Unused",
        users: &[],
    },
];

const USERS_PATH: &str = "/v2/permission-profile/users";

/// A running mock; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl MockServer {
    /// Starts on a free port of 127.0.0.1, on the current tokio runtime.
    pub async fn start() -> std::io::Result<Self> {
        Self::bind(0).await
    }

    /// Starts on `port` of 127.0.0.1 (0 picks a free one).
    pub async fn bind(port: u16) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let address = listener.local_addr()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let app = Router::new()
            .route(USERS_PATH, get(list_users))
            .fallback(not_found);
        tokio::spawn(async move {
            let stop = async {
                let _ = stopped.await;
            };
            if let Err(err) = axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::warn!(error = %err, "mock Gong server stopped");
            }
        });
        Ok(Self {
            address,
            shutdown: Some(shutdown),
        })
    }

    /// `http://127.0.0.1:PORT`, to use as the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The access-key credentials the mock accepts.
    pub fn credentials() -> Credentials {
        Credentials::access_key(MOCK_ACCESS_KEY, MOCK_ACCESS_KEY_SECRET)
    }

    /// A builder pointed at this server with its credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        ClientBuilder::new()
            .base_url(self.base_url())
            .credentials(Self::credentials())
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

async fn list_users(headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if !is_authorized(&headers) {
        return answer(
            StatusCode::UNAUTHORIZED,
            |id| json!({ "requestId": id, "errors": ["Access denied"] }),
        );
    }
    let profile = query
        .get("profileId")
        .and_then(|id| MOCK_PROFILES.iter().find(|p| p.id == id));
    match profile {
        // Real Gong answers an unknown or missing profile id this way.
        None => answer(
            StatusCode::BAD_REQUEST,
            |id| json!({ "requestId": id, "errors": ["Bad request"] }),
        ),
        Some(profile) => answer(StatusCode::OK, |id| {
            let users: Vec<Value> = profile
                .users
                .iter()
                .map(|u| json!({ "id": u.id, "fullName": u.full_name, "emailAddress": u.email_address }))
                .collect();
            json!({ "requestId": id, "users": users })
        }),
    }
}

async fn not_found() -> Response {
    answer(
        StatusCode::NOT_FOUND,
        |id| json!({ "requestId": id, "errors": ["Not found"] }),
    )
}

fn is_authorized(headers: &HeaderMap) -> bool {
    let accepted = [
        MockServer::credentials(),
        Credentials::token(MOCK_ACCESS_TOKEN),
    ];
    let Some(sent) = headers.get(header::AUTHORIZATION) else {
        return false;
    };
    accepted
        .iter()
        .filter_map(|c| c.header_value().ok())
        .any(|expected| expected.as_bytes() == sent.as_bytes())
}

/// A JSON answer with a fresh request id, sent in the body and in
/// `x-traceid` like real Gong, with Gong's exact `content-type`.
fn answer(status: StatusCode, body: impl FnOnce(&str) -> Value) -> Response {
    let request_id = fresh_request_id();
    let mut response = (status, body(&request_id).to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("x-traceid", value);
    }
    response
}

/// Shaped like Gong's: 19 characters of `[0-9a-z]`.
fn fresh_request_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..19)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect()
}
