//! The client's contract, over real HTTP on 127.0.0.1: answers from the mock
//! Gong, documented errors, what goes on the wire (credentials, user agent,
//! query encoding, base URL joining), what `build()` refuses, and that no
//! `Debug` or `Display` output ever shows a secret.

use std::time::Duration;

use base64::Engine as _;
use gong_api::mock::{MOCK_ACCESS_KEY, MOCK_ACCESS_TOKEN, MOCK_PROFILES, MockServer};
use gong_api::types::{PermissionProfileUsersResponse, UserSimpleMetadata};
use gong_api::{Client, ClientBuilder, Credentials, Error, RetryPolicy};
use gong_tests::{CannedServer, Recorded, Reply};

const USERS_PATH: &str = "/v2/permission-profile/users";
const A_PROFILE: &str = "3843152912968920037";

/// Credentials used against `CannedServer`; none of them may ever show up in
/// `Debug` or `Display` output.
const KEY: &str = "key-Q7ZP2M";
const SECRET: &str = "s3cr:et-Ünïcødé-密码:end";
const TOKEN: &str = "tok-9f8e7d6c5b4a39281706";

/// `base64(KEY:SECRET)`, the other form the access key and secret travel in.
fn basic_payload(key: &str, secret: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}").as_bytes())
}

/// Fails if `text` holds any credential used in these tests.
fn assert_no_secret(what: &str, text: &str) {
    let forbidden = [
        KEY.to_string(),
        SECRET.to_string(),
        TOKEN.to_string(),
        basic_payload(KEY, SECRET),
        gong_api::mock::MOCK_ACCESS_KEY_SECRET.to_string(),
        MOCK_ACCESS_TOKEN.to_string(),
        basic_payload(MOCK_ACCESS_KEY, gong_api::mock::MOCK_ACCESS_KEY_SECRET),
        "hunter2pass".to_string(),
    ];
    for secret in &forbidden {
        assert!(
            !text.contains(secret.as_str()),
            "{what} shows the secret {secret:?}: {text}"
        );
    }
}

/// `Debug` and `Display` of an error hold no credential.
fn assert_error_hides_secrets(err: &Error) {
    assert_no_secret("Debug of an error", &format!("{err:?}"));
    assert_no_secret("Display of an error", &err.to_string());
}

fn canned_builder(server: &CannedServer) -> ClientBuilder {
    server.client_builder(Credentials::access_key(KEY, SECRET))
}

fn mock_builder(server: &MockServer) -> ClientBuilder {
    server
        .client_builder()
        .rate_limit(None)
        .retry_policy(RetryPolicy::never())
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
}

async fn start_mock() -> MockServer {
    MockServer::start().await.expect("start the mock Gong")
}

async fn list(client: &Client, profile_id: &str) -> Result<PermissionProfileUsersResponse, Error> {
    client
        .list_permission_profile_users()
        .profile_id(profile_id)
        .send()
        .await
        .map(gong_api::ResponseValue::into_inner)
        .map_err(Error::from)
}

/// The fields of an `Error::Api`, or a panic naming what came instead.
fn expect_api(err: Error) -> (u16, Option<String>, Vec<String>) {
    assert_error_hides_secrets(&err);
    match err {
        Error::Api {
            status,
            request_id,
            errors,
        } => (status.as_u16(), request_id, errors),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// A 200 with no users, for tests that look at the request only.
fn empty_list() -> Reply {
    Reply::json(200, r#"{"requestId":"4al018gzaztcr8nbukw","users":[]}"#)
}

fn only_request(server: &CannedServer) -> Recorded {
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:?}"
    );
    requests.into_iter().next().unwrap()
}

fn all_headers<'a>(request: &'a Recorded, name: &str) -> Vec<&'a str> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

// ---------------------------------------------------------------- success

#[tokio::test]
async fn every_mock_profile_lists_its_users() {
    let server = start_mock().await;
    let client = mock_builder(&server).build().expect("build");
    for profile in MOCK_PROFILES {
        let answer = list(&client, profile.id)
            .await
            .unwrap_or_else(|err| panic!("profile {} ({}): {err}", profile.id, profile.name));
        let expected: Vec<UserSimpleMetadata> = profile
            .users
            .iter()
            .map(|u| {
                // Through serde, so that a property a later spec adds does not break it.
                let wire = serde_json::json!({ "id": u.id, "fullName": u.full_name, "emailAddress": u.email_address });
                serde_json::from_value::<UserSimpleMetadata>(wire).unwrap()
            })
            .collect();
        assert_eq!(answer.users, expected, "profile {}", profile.name);
        let request_id = answer.request_id.expect("a requestId");
        assert!(!request_id.is_empty());
    }
}

#[tokio::test]
async fn twenty_digit_id_is_kept_byte_for_byte() {
    const ID: &str = "98765432109876543210";
    // Beyond u64: a client that parses ids as numbers cannot keep it.
    assert!(ID.parse::<u64>().is_err());
    let profile = MOCK_PROFILES
        .iter()
        .find(|p| p.users.iter().any(|u| u.id == ID))
        .expect("the data set holds the 20-digit id");
    let server = start_mock().await;
    let client = mock_builder(&server).build().expect("build");
    let answer = list(&client, profile.id).await.expect("list");
    let ids: Vec<&[u8]> = answer
        .users
        .iter()
        .filter_map(|u| u.id.as_deref())
        .map(str::as_bytes)
        .collect();
    assert!(
        ids.contains(&ID.as_bytes()),
        "20-digit id missing or altered: {ids:?}"
    );
}

#[tokio::test]
async fn null_fields_are_none() {
    let server = start_mock().await;
    let client = mock_builder(&server).build().expect("build");
    let mut nulls_seen = 0;
    for profile in MOCK_PROFILES {
        let answer = list(&client, profile.id).await.expect("list");
        for stored in profile.users {
            let user = answer
                .users
                .iter()
                .find(|u| u.id.as_deref() == Some(stored.id))
                .unwrap_or_else(|| panic!("user {} missing", stored.id));
            if stored.full_name.is_none() {
                assert_eq!(user.full_name, None, "user {}", stored.id);
                nulls_seen += 1;
            }
            if stored.email_address.is_none() {
                assert_eq!(user.email_address, None, "user {}", stored.id);
                nulls_seen += 1;
            }
        }
    }
    assert!(nulls_seen >= 2, "the data set should hold null fields");
}

#[tokio::test]
async fn empty_profile_yields_an_empty_list() {
    let profile = MOCK_PROFILES
        .iter()
        .find(|p| p.users.is_empty())
        .expect("the data set holds an empty profile");
    let server = start_mock().await;
    let client = mock_builder(&server).build().expect("build");
    let answer = list(&client, profile.id).await.expect("list");
    assert_eq!(answer.users, Vec::new());
    assert!(answer.request_id.is_some());
}

#[tokio::test]
async fn bearer_token_is_accepted_by_the_mock() {
    let server = start_mock().await;
    let client = mock_builder(&server)
        .credentials(Credentials::token(MOCK_ACCESS_TOKEN))
        .build()
        .expect("build");
    let answer = list(&client, MOCK_PROFILES[0].id).await.expect("list");
    assert_eq!(answer.users.len(), MOCK_PROFILES[0].users.len());
}

// ---------------------------------------------------------- documented errors

#[tokio::test]
async fn unknown_profile_is_a_400_with_a_fresh_request_id_each_call() {
    let server = start_mock().await;
    let client = mock_builder(&server).build().expect("build");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let err = list(&client, "1111111111111111111")
            .await
            .expect_err("unknown profile");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
        let (status, request_id, errors) = expect_api(err);
        assert_eq!(status, 400);
        assert_eq!(errors, ["Bad request"]);
        let request_id = request_id.expect("a requestId");
        assert!(!request_id.is_empty());
        ids.push(request_id);
    }
    assert_ne!(ids[0], ids[1], "each call gets its own requestId");
}

#[tokio::test]
async fn bad_credentials_are_a_401() {
    let server = start_mock().await;
    for credentials in [
        Credentials::access_key(MOCK_ACCESS_KEY, SECRET),
        Credentials::access_key(KEY, gong_api::mock::MOCK_ACCESS_KEY_SECRET),
        Credentials::token(TOKEN),
    ] {
        let client = mock_builder(&server)
            .credentials(credentials.clone())
            .build()
            .expect("build");
        let err = list(&client, A_PROFILE).await.expect_err("bad credentials");
        assert_eq!(err.request_id().map(str::len), Some(19));
        let text = err.to_string();
        let (status, request_id, errors) = expect_api(err);
        assert_eq!(status, 401, "{credentials:?}");
        assert!(request_id.is_some());
        assert_eq!(errors, ["Access denied"]);
        assert!(text.contains("401"), "{text}");
    }
}

#[tokio::test]
async fn gong_500_with_its_error_body_is_an_api_error() {
    let server = CannedServer::always(Reply::json(
        500,
        r#"{"requestId":"7x2kq9wbnd0a1c3e5f7","errors":["An error has occurred","Try later"]}"#,
    ))
    .await;
    let client = canned_builder(&server).build().expect("build");
    let err = list(&client, A_PROFILE).await.expect_err("500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.request_id(), Some("7x2kq9wbnd0a1c3e5f7"));
    let (status, request_id, errors) = expect_api(err);
    assert_eq!(status, 500);
    assert_eq!(request_id.as_deref(), Some("7x2kq9wbnd0a1c3e5f7"));
    assert_eq!(errors, ["An error has occurred", "Try later"]);
    assert_eq!(
        server.requests().len(),
        1,
        "no retry with RetryPolicy::never()"
    );
}

#[tokio::test]
async fn recorded_gong_answer_for_an_unknown_profile_is_read_exactly() {
    // Real Gong's answer, byte for byte.
    let body = br#"{"requestId":"64qrqd4bivsd9mm7y8f","errors":["Bad request"]}"#;
    let mut bytes = format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    let server = CannedServer::always(Reply::Bytes(bytes)).await;
    let client = canned_builder(&server).build().expect("build");
    let err = list(&client, "6720194455180342982")
        .await
        .expect_err("unknown profile");
    let text = err.to_string();
    assert!(text.contains("400"), "{text}");
    assert!(text.contains("64qrqd4bivsd9mm7y8f"), "{text}");
    assert!(text.contains("Bad request"), "{text}");
    let (status, request_id, errors) = expect_api(err);
    assert_eq!(status, 400);
    assert_eq!(request_id.as_deref(), Some("64qrqd4bivsd9mm7y8f"));
    assert_eq!(errors, ["Bad request"]);
}

// ------------------------------------------------------------ on the wire

#[tokio::test]
async fn basic_authorization_is_base64_of_key_colon_secret() {
    let server = CannedServer::always(empty_list()).await;
    for (key, secret) in [(KEY, SECRET), ("plain", "ascii"), ("k", ":"), ("k", "")] {
        let client = canned_builder(&server)
            .credentials(Credentials::access_key(key, secret))
            .build()
            .expect("build");
        list(&client, A_PROFILE).await.expect("list");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let expected = [
        // Written out by hand for the first pair, so that an encoder shared
        // with the client cannot hide a mistake.
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode([KEY.as_bytes(), b":", SECRET.as_bytes()].concat())
        ),
        "Basic cGxhaW46YXNjaWk=".to_string(),
        "Basic azo6".to_string(),
        "Basic azo=".to_string(),
    ];
    for (request, expected) in requests.iter().zip(&expected) {
        assert_eq!(all_headers(request, "authorization"), [expected.as_str()]);
    }
}

#[tokio::test]
async fn bearer_authorization_is_the_token_only() {
    let server = CannedServer::always(empty_list()).await;
    let client = canned_builder(&server)
        .credentials(Credentials::token(TOKEN))
        .build()
        .expect("build");
    list(&client, A_PROFILE).await.expect("list");
    let request = only_request(&server);
    assert_eq!(
        all_headers(&request, "authorization"),
        [format!("Bearer {TOKEN}").as_str()]
    );
}

#[tokio::test]
async fn request_names_the_client_and_asks_for_json() {
    let server = CannedServer::always(empty_list()).await;
    let client = canned_builder(&server).build().expect("build");
    list(&client, A_PROFILE).await.expect("list");
    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    // The tests crate shares the workspace version with gong-api.
    let expected_agent = format!("gong-api/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(request.header("user-agent"), Some(expected_agent.as_str()));
    assert_eq!(request.header("accept"), Some("application/json"));
    // progenitor's `api-version` header is Oxide's convention, not Gong's.
    assert_eq!(request.header("api-version"), None);
}

#[tokio::test]
async fn profile_id_round_trips_exactly() {
    let server = CannedServer::always(empty_list()).await;
    let client = canned_builder(&server).build().expect("build");
    let values = [
        "3843152912968920037",
        "a b",
        "a+b",
        "a&profileId=evil",
        "x=y",
        "frag#ment",
        "path/with/../slashes",
        "100%25 sure",
        "Jönsson-Ærø-東京",
        " leading and trailing ",
    ];
    for value in values {
        list(&client, value).await.expect("list");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), values.len());
    for (request, value) in requests.iter().zip(values) {
        assert_eq!(request.path(), USERS_PATH, "{value:?}");
        // Decoded here without the server's helper as well.
        let url = url::Url::parse(&format!("http://127.0.0.1{}", request.target))
            .expect("the target is a valid URL path and query");
        assert_eq!(url.fragment(), None, "{value:?} leaked into a fragment");
        let params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            params,
            [("profileId".to_string(), value.to_string())],
            "target {}",
            request.target
        );
        assert_eq!(request.query(), params);
    }
}

#[tokio::test]
async fn empty_or_blank_profile_id_is_refused_before_sending() {
    let server = CannedServer::always(empty_list()).await;
    let client = canned_builder(&server).build().expect("build");
    for value in ["", " ", "\t", "  \n ", "\u{a0}"] {
        let err = list(&client, value).await.expect_err("blank profile id");
        assert_error_hides_secrets(&err);
        assert!(
            matches!(err, Error::InvalidRequest(_)),
            "{value:?}: expected InvalidRequest, got {err:?}"
        );
        assert_eq!(err.status(), None);
        assert!(err.to_string().contains("profileId"), "{err}");
    }
    let err = client
        .list_permission_profile_users()
        .send()
        .await
        .map_err(Error::from)
        .expect_err("no profile id at all");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    assert_eq!(server.connections(), 0);
}

// ---------------------------------------------------------------- base URLs

#[tokio::test]
async fn base_urls_join_the_path_with_one_slash() {
    let server = CannedServer::always(empty_list()).await;
    let base = server.base_url().to_string();
    let cases = [
        (base.clone(), USERS_PATH.to_string()),
        (format!("{base}/"), USERS_PATH.to_string()),
        (format!("{base}/prefix/"), format!("/prefix{USERS_PATH}")),
        (format!("{base}/prefix"), format!("/prefix{USERS_PATH}")),
        (format!("{base}/a/b/"), format!("/a/b{USERS_PATH}")),
    ];
    for (base_url, _) in &cases {
        let client = canned_builder(&server)
            .base_url(base_url)
            .build()
            .unwrap_or_else(|err| panic!("{base_url}: {err}"));
        list(&client, A_PROFILE)
            .await
            .unwrap_or_else(|err| panic!("{base_url}: {err}"));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), cases.len());
    for (request, (base_url, path)) in requests.iter().zip(&cases) {
        assert_eq!(request.path(), path, "base URL {base_url}");
        assert!(!request.target.contains("//"), "{}", request.target);
    }
}

#[tokio::test]
async fn unusable_base_urls_are_refused_at_build() {
    let cases = [
        "http://api.gong.io",
        "http://us-49467.api.gong.io/",
        "http://10.0.0.1:8080",
        "https://user:hunter2pass@api.gong.io",
        "http://user:hunter2pass@127.0.0.1:9/",
        "https://:hunter2pass@api.gong.io/",
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "ws://127.0.0.1:9",
        "not a url",
        "",
        "api.gong.io",
        "https://",
        "https://api.gong.io/?x=1",
        "https://api.gong.io/#top",
    ];
    for raw in cases {
        let err = Client::builder()
            .base_url(raw)
            .credentials(Credentials::access_key(KEY, SECRET))
            .rate_limit(None)
            .retry_policy(RetryPolicy::never())
            .build()
            .expect_err(raw);
        assert_error_hides_secrets(&err);
        let Error::Config(message) = &err else {
            panic!("{raw:?}: expected Error::Config, got {err:?}");
        };
        assert!(message.contains("base URL"), "{raw:?}: {message}");
        assert!(!message.contains("hunter2pass"), "{raw:?}: {message}");
    }
}

#[tokio::test]
async fn https_and_loopback_base_urls_are_accepted() {
    for raw in [
        "https://api.gong.io",
        "https://us-49467.api.gong.io/",
        "  https://api.gong.io  ",
        "http://localhost:8080",
        "http://127.0.0.1:1/prefix",
        "http://[::1]:8080/",
    ] {
        Client::builder()
            .base_url(raw)
            .credentials(Credentials::access_key(KEY, SECRET))
            .build()
            .unwrap_or_else(|err| panic!("{raw:?}: {err}"));
    }
}

// ------------------------------------------------------------- environment

/// Set only in the child processes `from_env_builds_from_the_environment`
/// starts; there, the same test reads the environment and reports.
const CHILD_VAR: &str = "GONG_TESTS_FROM_ENV_CHILD";
const OUTCOME: &str = "from_env outcome: ";

/// `Client::from_env` in a child process with exactly `vars` set (every other
/// `GONG_` variable removed), sending one request; returns what it printed.
async fn from_env_in_child(vars: &[(&str, &str)]) -> String {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let mut command =
            std::process::Command::new(std::env::current_exe().expect("test binary path"));
        command.args([
            "from_env_builds_from_the_environment",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ]);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("GONG_") {
                command.env_remove(name);
            }
        }
        command.env(CHILD_VAR, "1").envs(vars);
        let output = command.output().expect("run the test binary");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "child failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
            .lines()
            .find_map(|line| line.split_once(OUTCOME).map(|(_, outcome)| outcome))
            .unwrap_or_else(|| panic!("no outcome in: {stdout}"))
            .to_string()
    })
    .await
    .expect("child runner")
}

#[tokio::test]
async fn from_env_builds_from_the_environment() {
    if std::env::var_os(CHILD_VAR).is_some() {
        let outcome = match Client::from_env() {
            Ok(client) => match list(&client, A_PROFILE).await {
                Ok(_) => "sent".to_string(),
                Err(err) => format!("request failed: {err}"),
            },
            Err(err) => format!("{err:?}"),
        };
        println!("{OUTCOME}{outcome}");
        return;
    }

    let server = CannedServer::always(empty_list()).await;
    let base = server.base_url().to_string();
    let basic = format!("Basic {}", basic_payload(KEY, SECRET));
    let bearer = format!("Bearer {TOKEN}");

    // The token wins over a key and secret.
    let both = [
        ("GONG_BASE_URL", base.as_str()),
        ("GONG_ACCESS_TOKEN", TOKEN),
        ("GONG_ACCESS_KEY", KEY),
        ("GONG_ACCESS_KEY_SECRET", SECRET),
    ];
    assert_eq!(from_env_in_child(&both).await, "sent");
    // Key and secret alone, and with an empty token (empty counts as unset).
    let key_only = [
        ("GONG_BASE_URL", base.as_str()),
        ("GONG_ACCESS_KEY", KEY),
        ("GONG_ACCESS_KEY_SECRET", SECRET),
    ];
    assert_eq!(from_env_in_child(&key_only).await, "sent");
    let empty_token = [
        ("GONG_BASE_URL", base.as_str()),
        ("GONG_ACCESS_TOKEN", ""),
        ("GONG_ACCESS_KEY", KEY),
        ("GONG_ACCESS_KEY_SECRET", SECRET),
    ];
    assert_eq!(from_env_in_child(&empty_token).await, "sent");
    let sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_string())
        .collect();
    assert_eq!(sent, [bearer, basic.clone(), basic]);

    // Half a key pair, or nothing: a Config error naming what is missing.
    let outcome = from_env_in_child(&[("GONG_BASE_URL", &base), ("GONG_ACCESS_KEY", KEY)]).await;
    assert!(outcome.starts_with("Config("), "{outcome}");
    assert!(outcome.contains("GONG_ACCESS_KEY_SECRET"), "{outcome}");
    assert_no_secret("from_env error", &outcome);
    let outcome = from_env_in_child(&[("GONG_BASE_URL", &base)]).await;
    assert!(outcome.starts_with("Config("), "{outcome}");
    for var in [
        "GONG_ACCESS_KEY",
        "GONG_ACCESS_KEY_SECRET",
        "GONG_ACCESS_TOKEN",
    ] {
        assert!(outcome.contains(var), "{outcome}");
    }
    // A base URL from the environment is checked like any other.
    let outcome = from_env_in_child(&[
        ("GONG_BASE_URL", "http://api.gong.io"),
        ("GONG_ACCESS_TOKEN", TOKEN),
    ])
    .await;
    assert!(outcome.starts_with("Config("), "{outcome}");
    assert_no_secret("from_env error", &outcome);
    assert_eq!(server.requests().len(), 3, "failed setups send nothing");
}

// ------------------------------------------------------------------ secrets

#[tokio::test]
async fn debug_output_never_shows_a_secret() {
    let access_key = Credentials::access_key(KEY, SECRET);
    let token = Credentials::token(TOKEN);
    assert_no_secret("Debug of Credentials", &format!("{access_key:?}"));
    assert_no_secret("Debug of Credentials", &format!("{token:?}"));

    let server = CannedServer::start(|_, n| match n {
        0 => Reply::json(
            401,
            r#"{"requestId":"5d1f0c9a7b3e2d4c6a8","errors":["Access denied"]}"#,
        ),
        1 => Reply::new(
            502,
            &[("content-type", "text/html")],
            "<html>Bad gateway</html>",
        ),
        2 => Reply::json(429, r#"{"requestId":"r429","errors":["Too many"]}"#),
        _ => Reply::Close,
    })
    .await;
    for credentials in [access_key, token] {
        let builder = canned_builder(&server).credentials(credentials);
        assert_no_secret("Debug of ClientBuilder", &format!("{builder:?}"));
        let client = builder.build().expect("build");
        let debug = format!("{client:?}");
        assert_no_secret("Debug of Client", &debug);
        assert!(
            !debug.to_ascii_lowercase().contains("basic ")
                && !debug.to_ascii_lowercase().contains("bearer "),
            "Debug of Client shows the Authorization header: {debug}"
        );
    }

    let client = canned_builder(&server).build().expect("build");
    let mut kinds = Vec::new();
    for _ in 0..4 {
        let err = list(&client, A_PROFILE)
            .await
            .expect_err("scripted failure");
        assert_error_hides_secrets(&err);
        kinds.push(
            format!("{err:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap_or_default()
                .to_string(),
        );
    }
    assert_eq!(kinds, ["Api", "InvalidBody", "RateLimited", "Transport"]);

    // A token that cannot go in a header is refused without quoting it (an
    // access key and secret travel base64-encoded, so any text fits).
    for credentials in [
        Credentials::token(format!("{TOKEN}\n")),
        Credentials::token(format!("{TOKEN}\r\nX-Injected: 1")),
        Credentials::token(format!("{TOKEN}\0")),
    ] {
        let err = canned_builder(&server)
            .credentials(credentials)
            .build()
            .expect_err("unsendable credential");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert_error_hides_secrets(&err);
    }
}
