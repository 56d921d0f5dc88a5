//! Answers the spec does not describe, played by `CannedServer` over real
//! HTTP: gateway pages, undocumented statuses, error bodies of other shapes,
//! nulls and unknown fields, bodies that are not JSON, odd content types and
//! compressed bodies. Each must give the value or the right error kind with
//! the status, Gong's requestId and a bounded snippet; never a panic.

use std::io::Write as _;
use std::time::Duration;

use gong_api::types::{PermissionProfileUsersResponse, UserSimpleMetadata};
use gong_api::{Client, Credentials, Error};
use gong_tests::{CannedServer, Reply};

/// Longest snippet an error may carry: 200 characters and an ellipsis.
const MAX_SNIPPET_CHARS: usize = 201;

const TRACE_ID: &str = "8c1e5a2f9d3b7e6a4c0";

const KEY: &str = "answers-key-7Q2W";
const SECRET: &str = "answers-secret:Zx9-ü";

/// No error may quote the credentials, in any form.
fn assert_hides_secrets(err: &Error) {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    for text in [format!("{err:?}"), err.to_string()] {
        for secret in [KEY, SECRET, basic.as_str()] {
            assert!(!text.contains(secret), "{secret:?} shown in {text}");
        }
    }
}

fn client(server: &CannedServer) -> Client {
    server
        .client_builder(Credentials::access_key(KEY, SECRET))
        .build()
        .expect("build a client")
}

/// One call against a server that always gives `reply`.
async fn call(reply: Reply) -> Result<PermissionProfileUsersResponse, Error> {
    let server = CannedServer::always(reply).await;
    let result = client(&server)
        .list_permission_profile_users()
        .profile_id("3843152912968920037")
        .send()
        .await
        .map(gong_api::ResponseValue::into_inner)
        .map_err(Error::from);
    if let Err(err) = &result {
        assert_hides_secrets(err);
    }
    assert_eq!(server.requests().len(), 1, "exactly one attempt");
    result
}

/// Through serde, so that a property a later spec adds does not break it.
fn user(id: &str, full_name: Option<&str>, email_address: Option<&str>) -> UserSimpleMetadata {
    let wire =
        serde_json::json!({ "id": id, "fullName": full_name, "emailAddress": email_address });
    serde_json::from_value(wire).unwrap()
}

struct Api {
    status: u16,
    request_id: Option<String>,
    errors: Vec<String>,
    display: String,
}

fn expect_api(err: Error) -> Api {
    let display = err.to_string();
    // The accessors agree with the fields.
    let status = err.status().map(|s| s.as_u16());
    let accessor_id = err.request_id().map(str::to_string);
    match err {
        Error::Api {
            status: s,
            request_id,
            errors,
        } => {
            assert_eq!(status, Some(s.as_u16()));
            assert_eq!(accessor_id, request_id);
            Api {
                status: s.as_u16(),
                request_id,
                errors,
                display,
            }
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

struct InvalidBody {
    status: Option<u16>,
    request_id: Option<String>,
    snippet: String,
    display: String,
}

fn expect_invalid_body(err: Error) -> InvalidBody {
    let display = err.to_string();
    let status = err.status().map(|s| s.as_u16());
    let accessor_id = err.request_id().map(str::to_string);
    match err {
        Error::InvalidBody {
            status: s,
            request_id,
            snippet,
            ..
        } => {
            assert_eq!(status, s.map(|s| s.as_u16()));
            assert_eq!(accessor_id, request_id);
            assert!(
                snippet.chars().count() <= MAX_SNIPPET_CHARS,
                "snippet of {} characters: {snippet:?}",
                snippet.chars().count()
            );
            InvalidBody {
                status,
                request_id,
                snippet,
                display,
            }
        }
        other => panic!("expected Error::InvalidBody, got {other:?}"),
    }
}

/// A Cloudflare gateway page, longer than any snippet.
fn cloudflare_page(status: u16) -> String {
    format!(
        "<!DOCTYPE html>\n<!--[if lt IE 7]> <html class=\"no-js ie6 oldie\" lang=\"en-US\"> <![endif]-->\n\
         <html lang=\"en-US\">\n<head>\n<title>api.gong.io | {status}: Bad gateway</title>\n\
         <meta charset=\"UTF-8\" />\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" />\n\
         <link rel=\"stylesheet\" id=\"cf_styles-css\" href=\"/cdn-cgi/styles/cf.errors.css\" />\n</head>\n<body>\n\
         <div id=\"cf-wrapper\">\n<h1><span class=\"cf-error-type\">Error</span> <span class=\"cf-error-code\">{status}</span></h1>\n\
         <p>Bad gateway. The web server reported a bad gateway error.</p>\n{}\n</div>\n</body>\n</html>\n",
        "<span class=\"cf-footer-item\">Cloudflare Ray ID: 8c1e5a2f9d3b7e6a</span>\n".repeat(20)
    )
}

// ------------------------------------------------- error statuses, not JSON

#[tokio::test]
async fn cloudflare_html_502_is_invalid_body_with_the_trace_id() {
    let page = cloudflare_page(502);
    assert!(page.len() > 1000);
    let err = call(Reply::new(
        502,
        &[
            ("content-type", "text/html; charset=UTF-8"),
            ("server", "cloudflare"),
            ("x-traceid", TRACE_ID),
        ],
        &page,
    ))
    .await
    .expect_err("a gateway page");
    let body = expect_invalid_body(err);
    assert_eq!(body.status, Some(502));
    assert_eq!(body.request_id.as_deref(), Some(TRACE_ID));
    assert!(
        body.snippet.starts_with("<!DOCTYPE html>"),
        "{}",
        body.snippet
    );
    assert!(
        body.snippet.ends_with('…'),
        "cut-off marked: {}",
        body.snippet
    );
    assert!(body.display.contains("502"), "{}", body.display);
    assert!(body.display.contains(TRACE_ID), "{}", body.display);
    assert!(body.display.contains("<!DOCTYPE html>"), "{}", body.display);
    assert!(
        body.display.len() < 1000,
        "the whole page must not end up in the message: {}",
        body.display
    );
}

#[tokio::test]
async fn error_statuses_with_an_empty_body_are_invalid_body() {
    for status in [400, 401, 500, 502, 503, 504] {
        let err = call(Reply::new(status, &[("x-traceid", TRACE_ID)], ""))
            .await
            .expect_err("an empty error answer");
        let body = expect_invalid_body(err);
        assert_eq!(body.status, Some(status));
        assert_eq!(body.request_id.as_deref(), Some(TRACE_ID));
        assert_eq!(body.snippet, "");
        assert!(
            body.display.contains(&status.to_string()),
            "{}",
            body.display
        );
        assert!(body.display.contains("empty"), "{}", body.display);
    }
    // Without `x-traceid` there is no request id to give.
    let err = call(Reply::new(500, &[], ""))
        .await
        .expect_err("an empty error answer");
    let body = expect_invalid_body(err);
    assert_eq!(body.status, Some(500));
    assert_eq!(body.request_id, None);
}

#[tokio::test]
async fn error_status_with_json_of_another_shape_is_invalid_body() {
    for body in [r#"["Bad request"]"#, r#""Bad request""#, "null", "42"] {
        let err = call(Reply::new(
            500,
            &[
                ("content-type", "application/json"),
                ("x-traceid", TRACE_ID),
            ],
            body,
        ))
        .await
        .expect_err("an odd error body");
        let invalid = expect_invalid_body(err);
        assert_eq!(invalid.status, Some(500), "{body}");
        assert_eq!(invalid.request_id.as_deref(), Some(TRACE_ID), "{body}");
        assert_eq!(invalid.snippet, body);
    }
}

// ------------------------------------------------ undocumented statuses

#[tokio::test]
async fn undocumented_statuses_with_gong_json_are_api_errors() {
    for (status, message) in [
        (403, "Access denied: missing scope api:users:read"),
        (404, "Not found"),
        (408, "Request timed out"),
        (409, "Conflict"),
        (502, "Bad gateway"),
        (503, "Service unavailable"),
        (504, "Gateway timeout"),
    ] {
        let request_id = format!("req{status}x9k2m4n6p8q0r");
        let err = call(Reply::json(
            status,
            &format!(r#"{{"requestId":"{request_id}","errors":["{message}"]}}"#),
        ))
        .await
        .expect_err("an error status");
        let api = expect_api(err);
        assert_eq!(api.status, status);
        assert_eq!(api.request_id.as_deref(), Some(request_id.as_str()));
        assert_eq!(api.errors, [message]);
        assert!(api.display.contains(&status.to_string()), "{}", api.display);
        assert!(api.display.contains(&request_id), "{}", api.display);
        assert!(api.display.contains(message), "{}", api.display);
    }
}

#[tokio::test]
async fn too_many_requests_is_rate_limited() {
    // Gong's JSON, with a wait.
    let err = call(Reply::new(
        429,
        &[
            ("content-type", "application/json; charset=utf-8"),
            ("retry-after", "7"),
            ("x-traceid", "ignoredwhenbodyhasone"),
        ],
        r#"{"requestId":"4u7rl0mt3q2x9z1b5c8","errors":["Too many requests"]}"#,
    ))
    .await
    .expect_err("429");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.request_id(), Some("4u7rl0mt3q2x9z1b5c8"));
    let display = err.to_string();
    assert!(display.contains("429"), "{display}");
    assert!(display.contains("4u7rl0mt3q2x9z1b5c8"), "{display}");
    assert!(display.contains("7 s"), "{display}");
    match err {
        Error::RateLimited {
            retry_after,
            request_id,
        } => {
            assert_eq!(retry_after, Some(Duration::from_secs(7)));
            assert_eq!(request_id.as_deref(), Some("4u7rl0mt3q2x9z1b5c8"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }

    // Cloudflare's HTML, no wait given: the id comes from the header.
    let err = call(Reply::new(
        429,
        &[("content-type", "text/html"), ("x-traceid", TRACE_ID)],
        cloudflare_page(429),
    ))
    .await
    .expect_err("429");
    match err {
        Error::RateLimited {
            retry_after,
            request_id,
        } => {
            assert_eq!(retry_after, None);
            assert_eq!(request_id.as_deref(), Some(TRACE_ID));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

// ---------------------------------------------- error bodies of other shapes

#[tokio::test]
async fn error_body_without_errors_is_an_api_error() {
    let api = expect_api(
        call(Reply::json(400, r#"{"requestId":"0a1b2c3d4e5f6g7h8i9"}"#))
            .await
            .expect_err("400"),
    );
    assert_eq!(api.status, 400);
    assert_eq!(api.request_id.as_deref(), Some("0a1b2c3d4e5f6g7h8i9"));
    assert_eq!(api.errors, Vec::<String>::new());
    assert!(api.display.contains("400"), "{}", api.display);
    assert!(
        api.display.contains("0a1b2c3d4e5f6g7h8i9"),
        "{}",
        api.display
    );
}

#[tokio::test]
async fn error_body_with_empty_or_null_errors_is_an_api_error() {
    for body in [
        r#"{"requestId":"0a1b2c3d4e5f6g7h8i9","errors":[]}"#,
        r#"{"requestId":"0a1b2c3d4e5f6g7h8i9","errors":null}"#,
    ] {
        let api = expect_api(call(Reply::json(400, body)).await.expect_err("400"));
        assert_eq!(api.status, 400, "{body}");
        assert_eq!(api.request_id.as_deref(), Some("0a1b2c3d4e5f6g7h8i9"));
        assert_eq!(api.errors, Vec::<String>::new(), "{body}");
    }
}

#[tokio::test]
async fn error_body_with_objects_in_errors_renders_them_as_text() {
    let body = r#"{"requestId":"9z8y7x6w5v4u3t2s1r0","errors":[{"code":"INVALID_PARAM","message":"profileId is not valid"},"Bad request",17]}"#;
    let api = expect_api(call(Reply::json(400, body)).await.expect_err("400"));
    assert_eq!(api.status, 400);
    assert_eq!(api.request_id.as_deref(), Some("9z8y7x6w5v4u3t2s1r0"));
    assert_eq!(api.errors.len(), 3, "{:?}", api.errors);
    assert!(
        api.errors[0].contains("INVALID_PARAM") && api.errors[0].contains("profileId is not valid"),
        "{:?}",
        api.errors
    );
    assert_eq!(api.errors[1], "Bad request");
    assert_eq!(api.errors[2], "17");
    assert!(
        api.display.contains("profileId is not valid"),
        "{}",
        api.display
    );
}

#[tokio::test]
async fn error_body_without_request_id_takes_it_from_x_traceid() {
    for (status, body) in [
        (400, r#"{"errors":["Bad request"]}"#),
        (403, r#"{"errors":["Forbidden"]}"#),
        (
            500,
            r#"{"requestId":null,"errors":["An error has occurred"]}"#,
        ),
    ] {
        let api = expect_api(
            call(Reply::new(
                status,
                &[
                    ("content-type", "application/json"),
                    ("x-traceid", TRACE_ID),
                ],
                body,
            ))
            .await
            .expect_err("an error status"),
        );
        assert_eq!(api.status, status);
        assert_eq!(api.request_id.as_deref(), Some(TRACE_ID), "{body}");
        assert!(api.display.contains(TRACE_ID), "{}", api.display);
    }
}

// ------------------------------------------- successes of unexpected shape

#[tokio::test]
async fn null_names_and_addresses_are_none() {
    let answer = call(Reply::json(
        200,
        r#"{"requestId":"r1","users":[
            {"id":"1","fullName":null,"emailAddress":"a@example.com"},
            {"id":"2","fullName":"B","emailAddress":null},
            {"id":"3","fullName":null,"emailAddress":null},
            {"id":null,"fullName":"No id","emailAddress":null}
        ]}"#,
    ))
    .await
    .expect("a value");
    assert_eq!(
        answer.users,
        [
            user("1", None, Some("a@example.com")),
            user("2", Some("B"), None),
            user("3", None, None),
            serde_json::from_str::<UserSimpleMetadata>(r#"{"fullName":"No id"}"#).unwrap(),
        ]
    );
}

#[tokio::test]
async fn user_without_email_address_is_read() {
    let answer = call(Reply::json(
        200,
        r#"{"requestId":"r1","users":[{"id":"12","fullName":"Only Name"},{"id":"13"},{}]}"#,
    ))
    .await
    .expect("a value");
    assert_eq!(
        answer.users,
        [
            user("12", Some("Only Name"), None),
            user("13", None, None),
            UserSimpleMetadata::default(),
        ]
    );
}

#[tokio::test]
async fn body_without_users_is_an_empty_list() {
    for body in [r#"{"requestId":"r1"}"#, "{}"] {
        let answer = call(Reply::json(200, body))
            .await
            .unwrap_or_else(|err| panic!("{body}: {err:?}"));
        assert_eq!(answer.users, Vec::new(), "{body}");
    }
}

#[tokio::test]
async fn unknown_fields_at_every_level_are_ignored() {
    let answer = call(Reply::json(
        200,
        r#"{
            "requestId":"r1",
            "records":{"totalRecords":2,"cursor":null},
            "newTopLevel":[1,{"deep":true}],
            "users":[
                {"id":"98765432109876543210","fullName":"Ann","emailAddress":"ann@example.com",
                 "x-future-field":"Engineer","active":true,"settings":{"emailsImported":false},"phoneNumbers":[]},
                {"id":"5","extra":null}
            ]
        }"#,
    ))
    .await
    .expect("a value");
    assert_eq!(answer.request_id.as_deref(), Some("r1"));
    assert_eq!(
        answer.users,
        [
            user("98765432109876543210", Some("Ann"), Some("ann@example.com")),
            user("5", None, None),
        ]
    );
}

// ---------------------------------------------------- successes, not JSON

#[tokio::test]
async fn success_with_an_html_body_is_invalid_body() {
    let err = call(Reply::new(
        200,
        &[("content-type", "text/html"), ("x-traceid", TRACE_ID)],
        cloudflare_page(200),
    ))
    .await
    .expect_err("HTML is not the value");
    let body = expect_invalid_body(err);
    assert_eq!(body.status, Some(200));
    assert_eq!(body.request_id.as_deref(), Some(TRACE_ID));
    assert!(
        body.snippet.starts_with("<!DOCTYPE html>"),
        "{}",
        body.snippet
    );
    assert!(body.display.contains("200"), "{}", body.display);
}

#[tokio::test]
async fn undocumented_success_statuses_are_invalid_body_with_their_status() {
    for status in [201, 202, 206] {
        let err = call(Reply::json(status, r#"{"requestId":"r1","users":[]}"#))
            .await
            .expect_err("only 200 is documented");
        let body = expect_invalid_body(err);
        assert_eq!(body.status, Some(status));
        assert!(
            body.display.contains(&status.to_string()),
            "{}",
            body.display
        );
        assert!(
            body.display.contains("is not a status the spec lists"),
            "{}",
            body.display
        );
        assert_eq!(body.snippet, r#"{"requestId":"r1","users":[]}"#);
    }
}

#[tokio::test]
async fn success_with_an_empty_body_is_invalid_body() {
    for content_type in ["application/json; charset=utf-8", "text/plain"] {
        let err = call(Reply::new(200, &[("content-type", content_type)], ""))
            .await
            .expect_err("an empty body is not the value");
        let body = expect_invalid_body(err);
        assert_eq!(body.status, Some(200));
        assert_eq!(body.snippet, "");
        assert!(body.display.contains("200"), "{}", body.display);
    }
}

#[tokio::test]

async fn success_with_truncated_json_is_invalid_body_with_its_status() {
    let whole =
        r#"{"requestId":"r1","users":[{"id":"1","fullName":"A","emailAddress":"a@example.com"}]}"#;
    for cut in [1, 20, whole.len() - 1] {
        let err = call(Reply::json(200, &whole[..cut]))
            .await
            .expect_err("truncated JSON is not the value");
        let body = expect_invalid_body(err);
        assert_eq!(body.snippet, &whole[..cut]);
        assert_eq!(body.status, Some(200), "cut at {cut}");
        assert!(body.display.contains("200"), "{}", body.display);
    }
}

#[tokio::test]
async fn success_of_the_wrong_shape_is_invalid_body() {
    for wrong in [
        r#"{"requestId":"r1","users":"none"}"#,
        r#"{"requestId":"r1","users":[{"id":12345}]}"#,
        r#"{"requestId":"r1","users":{"id":"1"}}"#,
        r#"{"requestId":["r1"],"users":[]}"#,
    ] {
        let err = call(Reply::json(200, wrong))
            .await
            .expect_err("the wrong shape is not the value");
        let body = expect_invalid_body(err);
        assert_eq!(body.snippet, wrong);
        // progenitor does not keep the status of a success it fails to
        // decode; when known, it must be the real one.
        assert!(matches!(body.status, None | Some(200)), "{:?}", body.status);
        assert!(body.display.contains("documented JSON"), "{}", body.display);
        assert!(
            body.display.contains("r1"),
            "snippet shown: {}",
            body.display
        );
    }
}

#[tokio::test]

async fn success_of_the_wrong_shape_keeps_its_status() {
    let wrong = r#"{"requestId":"r1","users":"none"}"#;
    let err = call(Reply::json(200, wrong))
        .await
        .expect_err("the wrong shape is not the value");
    let body = expect_invalid_body(err);
    assert_eq!(body.status, Some(200));
    assert!(body.display.contains("200"), "{}", body.display);
}

#[tokio::test]
async fn long_bodies_are_cut_to_a_bounded_snippet() {
    // Multi-byte characters, so that a cut by bytes would show.
    let long = format!("<html>{}</html>", "Ünïcødé ✓ ".repeat(2000));
    let err = call(Reply::new(500, &[("content-type", "text/html")], &long))
        .await
        .expect_err("HTML");
    let body = expect_invalid_body(err);
    assert_eq!(body.status, Some(500));
    assert_eq!(body.snippet.chars().count(), MAX_SNIPPET_CHARS);
    assert!(
        body.snippet.starts_with("<html>Ünïcødé ✓"),
        "{}",
        body.snippet
    );
    assert!(body.display.len() < 2000, "{}", body.display);
}

// ------------------------------------------------ content types, encodings

#[tokio::test]
async fn content_type_parameters_case_and_text_plain_are_read() {
    let body = r#"{"requestId":"r1","users":[{"id":"7","fullName":"Gus","emailAddress":"gus@example.com"}]}"#;
    let content_types: [Option<&str>; 6] = [
        Some("application/json;charset=UTF-8"),
        Some("Application/JSON; Charset=\"utf-8\""),
        Some("APPLICATION/JSON"),
        Some("text/plain"),
        Some("text/plain; charset=iso-8859-1"),
        None,
    ];
    for content_type in content_types {
        let headers: Vec<(&str, &str)> = content_type
            .map(|ct| ("content-type", ct))
            .into_iter()
            .collect();
        let answer = call(Reply::new(200, &headers, body))
            .await
            .unwrap_or_else(|err| panic!("{content_type:?}: {err}"));
        assert_eq!(
            answer.users,
            [user("7", Some("Gus"), Some("gus@example.com"))],
            "{content_type:?}"
        );
    }
}

#[tokio::test]
async fn error_body_with_odd_content_type_is_an_api_error() {
    let api = expect_api(
        call(Reply::new(
            401,
            &[("content-type", "text/plain;charset=UTF-8")],
            r#"{"requestId":"1q2w3e4r5t6y7u8i9o0","errors":["Access denied"]}"#,
        ))
        .await
        .expect_err("401"),
    );
    assert_eq!(api.status, 401);
    assert_eq!(api.request_id.as_deref(), Some("1q2w3e4r5t6y7u8i9o0"));
    assert_eq!(api.errors, ["Access denied"]);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("compress");
    encoder.finish().expect("compress")
}

#[tokio::test]
async fn gzip_compressed_bodies_are_decompressed() {
    let body = r#"{"requestId":"r1","users":[{"id":"98765432109876543210","fullName":"Zed","emailAddress":null}]}"#;
    let compressed = gzip(body.as_bytes());
    assert_ne!(compressed.as_slice(), body.as_bytes());
    let server = CannedServer::always(Reply::new(
        200,
        &[
            ("content-type", "application/json; charset=utf-8"),
            ("content-encoding", "gzip"),
        ],
        &compressed,
    ))
    .await;
    let answer = client(&server)
        .list_permission_profile_users()
        .profile_id("1")
        .send()
        .await
        .map_err(Error::from)
        .expect("a value")
        .into_inner();
    assert_eq!(
        answer.users,
        [user("98765432109876543210", Some("Zed"), None)]
    );
    let requests = server.requests();
    let accepted = requests[0].header("accept-encoding").unwrap_or_default();
    assert!(accepted.contains("gzip"), "accept-encoding: {accepted:?}");
}

#[tokio::test]
async fn gzip_compressed_error_bodies_are_decompressed() {
    let body = r#"{"requestId":"3e4r5t6y7u8i9o0p1q2","errors":["Bad request"]}"#;
    let err = call(Reply::new(
        400,
        &[
            ("content-type", "application/json; charset=utf-8"),
            ("content-encoding", "gzip"),
        ],
        gzip(body.as_bytes()),
    ))
    .await
    .expect_err("400");
    let api = expect_api(err);
    assert_eq!(api.status, 400);
    assert_eq!(api.request_id.as_deref(), Some("3e4r5t6y7u8i9o0p1q2"));
    assert_eq!(api.errors, ["Bad request"]);

    // An undocumented status, compressed, goes through the other path.
    let err = call(Reply::new(
        503,
        &[("content-encoding", "gzip"), ("x-traceid", TRACE_ID)],
        gzip(cloudflare_page(503).as_bytes()),
    ))
    .await
    .expect_err("503");
    let body = expect_invalid_body(err);
    assert_eq!(body.status, Some(503));
    assert_eq!(body.request_id.as_deref(), Some(TRACE_ID));
    assert!(
        body.snippet.starts_with("<!DOCTYPE html>"),
        "{}",
        body.snippet
    );
}
