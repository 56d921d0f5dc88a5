//! Property test over the response path: whatever status, headers and body
//! bytes a server sends, a call returns a value or an error that keeps the
//! status; it never panics and never hangs. Runs 64 cases by default
//! (`PROPTEST_CASES=5000 cargo test --test any_answer` for a longer hunt).

use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use gong_api::{Client, Credentials, Error, RetryPolicy};
use gong_tests::{CannedServer, Reply, answer_bytes};
use proptest::prelude::*;
use serde_json::Value;

/// One runtime, server and client for every case: the server replays
/// whatever the current case put in `reply`.
struct Harness {
    runtime: tokio::runtime::Runtime,
    reply: Arc<Mutex<Vec<u8>>>,
    client: Client,
    _server: CannedServer,
}

static HARNESS: LazyLock<Harness> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let reply: Arc<Mutex<Vec<u8>>> = Arc::default();
    let current = reply.clone();
    let server = runtime.block_on(CannedServer::start(move |_, _| {
        Reply::Bytes(current.lock().unwrap().clone())
    }));
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::token("t"))
        .retry_policy(RetryPolicy::never())
        .rate_limit(None)
        .timeout(Duration::from_secs(2))
        .build()
        .expect("a valid client");
    Harness {
        runtime,
        reply,
        client,
        _server: server,
    }
});

/// JSON built from the names Gong's answers use, so that many cases come
/// close to a real answer and probe the decoder, not only the parser.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z0-9 ]{0,12}".prop_map(Value::from),
        "[0-9]{19,22}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        let key = prop::sample::select(vec![
            "requestId",
            "errors",
            "users",
            "id",
            "fullName",
            "emailAddress",
            "other",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key.prop_map(str::to_string), inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        json().prop_map(|value| value.to_string().into_bytes()),
        "<html><title>[ -~]{0,40}</title></html>".prop_map(String::into_bytes),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let content_type = prop::sample::select(vec![
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON;charset=UTF-8",
        "text/plain",
        "text/html",
        "*/*",
    ]);
    (
        prop::option::of(content_type),
        prop::option::of("[a-z0-9]{1,19}"),
        prop::option::of(prop_oneof![
            "[0-9]{1,6}",
            "[ -~]{0,30}".prop_map(String::from)
        ]),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(content_type, trace_id, retry_after, claims_gzip)| {
            let mut headers = Vec::new();
            headers.extend(content_type.map(|v| ("content-type", v.to_string())));
            headers.extend(trace_id.map(|v| ("x-traceid", v)));
            headers.extend(retry_after.map(|v| ("retry-after", v)));
            // A body that says it is gzip but is not.
            if claims_gzip {
                headers.push(("content-encoding", "gzip".to_string()));
            }
            headers
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_answer_is_a_value_or_an_error_with_its_status(
        status in 200u16..600,
        headers in headers(),
        body in body(),
    ) {
        let harness = &*HARNESS;
        let header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        *harness.reply.lock().unwrap() = answer_bytes(status, &header_refs, &body);

        let outcome = harness.runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(10), async {
                harness.client.list_permission_profile_users().profile_id("42").send().await.map_err(Error::from)
            })
            .await
        });
        let result = outcome.map_err(|_| TestCaseError::fail("the call hung"))?;
        if let Err(err) = result {
            prop_assert!(!err.to_string().is_empty());
            match &err {
                Error::Api { .. } | Error::RateLimited { .. } | Error::InvalidBody { .. } => {
                    prop_assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{}", err);
                }
                Error::Transport { .. } => {}
                other => prop_assert!(false, "unexpected error kind for an answer: {other:?}"),
            }
        }
    }
}
