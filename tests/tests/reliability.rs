//! Retries, pacing, timeouts and redirects, each against a loopback server
//! that plays the bad answer.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use gong_api::{Client, Credentials, Error, RateLimit, RetryPolicy, TransportKind};
use gong_tests::{CannedServer, Recorded, Reply, answer_bytes};

const OK_BODY: &str =
    r#"{"requestId":"okreq","users":[{"id":"1","fullName":"A","emailAddress":"a@example.com"}]}"#;

fn ok() -> Reply {
    Reply::json(200, OK_BODY)
}

/// A client for `server` with fast retries and no pacing unless a test says so.
fn client_for(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::access_key("key", "secret"))
        .retry_policy(retry)
        .rate_limit(None)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a valid client")
}

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(max_retries)
        .with_initial_backoff(Duration::from_millis(20))
}

/// One call, bounded: a regression that sleeps or hangs fails the test
/// instead of stalling the run.
async fn call(client: &Client) -> Result<usize, Error> {
    let send = client
        .list_permission_profile_users()
        .profile_id("42")
        .send();
    let answer = tokio::time::timeout(Duration::from_secs(30), send)
        .await
        .expect("the call hung for 30 s")?;
    Ok(answer.users.len())
}

fn gap(requests: &[Recorded], i: usize) -> Duration {
    requests[i].at.duration_since(requests[i - 1].at)
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = CannedServer::start(|_, n| match n {
        0 => Reply::new(429, &[("retry-after", "1")], ""),
        _ => ok(),
    })
    .await;
    let client = client_for(server.base_url(), fast_retries(3));
    assert_eq!(call(&client).await.unwrap(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        gap(&requests, 1) >= Duration::from_millis(990),
        "waited only {:?}",
        gap(&requests, 1)
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    // HTTP dates have one-second precision: two seconds ahead waits 1 to 2 s.
    let server = CannedServer::start(|_, n| match n {
        0 => {
            let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
            Reply::new(503, &[("retry-after", date.as_str())], "")
        }
        _ => ok(),
    })
    .await;
    let client = client_for(server.base_url(), fast_retries(3));
    assert_eq!(call(&client).await.unwrap(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let waited = gap(&requests, 1);
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_millis(2500),
        "{waited:?}"
    );
}

#[tokio::test]
async fn transient_statuses_are_retried_with_backoff() {
    for status in [429, 502, 503, 504] {
        let server = CannedServer::start(move |_, n| {
            if n < 2 {
                Reply::new(status, &[], "")
            } else {
                ok()
            }
        })
        .await;
        let client = client_for(server.base_url(), fast_retries(3));
        assert_eq!(call(&client).await.unwrap(), 1, "status {status}");
        let requests = server.requests();
        assert_eq!(requests.len(), 3, "status {status}");
        // Equal jitter: the first backoff is 10..20 ms, the second 20..40 ms.
        assert!(
            gap(&requests, 1) >= Duration::from_millis(10),
            "status {status}: {:?}",
            gap(&requests, 1)
        );
        assert!(
            gap(&requests, 2) >= Duration::from_millis(20),
            "status {status}: {:?}",
            gap(&requests, 2)
        );
    }
}

#[tokio::test]
async fn retries_stop_at_the_maximum() {
    let body = r#"{"requestId":"busyreq","errors":["Service unavailable"]}"#;
    let server = CannedServer::always(Reply::json(503, body)).await;
    let client = client_for(server.base_url(), fast_retries(2));
    let err = call(&client).await.unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.request_id(), Some("busyreq"));
}

#[tokio::test]
async fn retries_exhausted_on_429_say_when_to_come_back() {
    let server = CannedServer::always(Reply::new(429, &[("retry-after", "0")], "")).await;
    let client = client_for(server.base_url(), fast_retries(1));
    let err = call(&client).await.unwrap_err();
    assert_eq!(server.requests().len(), 2);
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_wait_fails_at_once() {
    let server = CannedServer::always(Reply::new(
        429,
        &[
            ("retry-after", "3600"),
            ("x-traceid", "quota123"),
            ("content-type", "text/html"),
        ],
        "<html>Daily quota exceeded</html>",
    ))
    .await;
    let client = client_for(
        server.base_url(),
        fast_retries(5).with_max_wait(Duration::from_secs(10)),
    );
    let started = Instant::now();
    let err = call(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "slept instead of failing: {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 1);
    match &err {
        Error::RateLimited {
            retry_after,
            request_id,
        } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
            assert_eq!(request_id.as_deref(), Some("quota123"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.to_string().contains("retry in 3600 s"), "{err}");
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for status in [400, 401, 403, 404] {
        let body = r#"{"requestId":"r","errors":["no"]}"#;
        let server = CannedServer::always(Reply::json(status, body)).await;
        let client = client_for(server.base_url(), fast_retries(3));
        let err = call(&client).await.unwrap_err();
        assert_eq!(server.requests().len(), 1, "status {status} was retried");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let server = CannedServer::start(|_, n| if n == 0 { Reply::Close } else { ok() }).await;
    let client = client_for(server.base_url(), fast_retries(2));
    assert_eq!(call(&client).await.unwrap(), 1);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_until_the_server_is_up() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let client = client_for(
        &format!("http://127.0.0.1:{port}"),
        fast_retries(8).with_initial_backoff(Duration::from_millis(50)),
    );
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        CannedServer::start_on(port, |_, _| ok()).await
    });
    assert_eq!(call(&client).await.unwrap(), 1);
    assert_eq!(late_server.await.unwrap().requests().len(), 1);
}

#[tokio::test]
async fn with_retries_off_a_refused_connection_fails_once() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let client = client_for(&format!("http://127.0.0.1:{port}"), RetryPolicy::never());
    let err = call(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("could not connect"), "{err}");
}

/// A 300 ms timeout against a server that plays `reply` and then stalls:
/// the call must end in a timeout well within 2 s, after one attempt.
async fn assert_times_out(reply: Reply) {
    let server = CannedServer::always(reply).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::token("t"))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = call(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    // Timeouts are not retried: that would multiply the wait.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    assert_times_out(Reply::Stall(Vec::new())).await;
}

/// The head of a JSON 200 answer whose `Content-Length` promises `length`
/// bytes; the caller sends fewer.
fn head_promising(length: usize) -> Vec<u8> {
    let head = answer_bytes(200, &[("content-type", "application/json")], b"");
    String::from_utf8(head)
        .unwrap()
        .replace("content-length: 0", &format!("content-length: {length}"))
        .into_bytes()
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    // Promise 1000 bytes, send 10.
    let mut partial = head_promising(1000);
    partial.extend_from_slice(br#"{"users":["#);
    assert_times_out(Reply::Stall(partial)).await;
}

#[tokio::test]
async fn credentials_do_not_follow_a_redirect_to_another_origin() {
    let elsewhere = CannedServer::always(ok()).await;
    let target = format!(
        "{}/v2/permission-profile/users?profileId=42",
        elsewhere.base_url()
    );
    let origin = CannedServer::always(Reply::new(302, &[("location", target.as_str())], "")).await;
    let client = client_for(origin.base_url(), RetryPolicy::never());
    assert_eq!(call(&client).await.unwrap(), 1);
    assert!(origin.requests()[0].header("authorization").is_some());
    let followed = elsewhere.requests();
    assert_eq!(followed.len(), 1);
    assert_eq!(
        followed[0].header("authorization"),
        None,
        "credentials leaked to {}",
        elsewhere.base_url()
    );
    assert_eq!(
        followed[0].header("referer"),
        None,
        "the query went along as a referer"
    );
}

#[tokio::test]
async fn credentials_follow_a_redirect_within_the_origin() {
    let server = CannedServer::start(|request, _| {
        if request.path().starts_with("/old") {
            ok()
        } else {
            Reply::new(
                302,
                &[("location", "/old/v2/permission-profile/users?profileId=42")],
                "",
            )
        }
    })
    .await;
    let client = client_for(server.base_url(), RetryPolicy::never());
    assert_eq!(call(&client).await.unwrap(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].header("authorization"),
        requests[1].header("authorization")
    );
}

/// 50 tasks share one client paced at 20 per second; the server answers 429
/// to anything over 20 in a second. Every call must get its answer, and the
/// server must never see a burst.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_shared_by_50_tasks_stays_under_the_server_limit() {
    const LIMIT: usize = 20;
    // Arrival times carry scheduling jitter: on a loaded 2-core machine one
    // wake-up can come 100 ms late and bunch with the next ones. The window
    // is that much shorter; an unpaced client would still send all 50 at once.
    let window = Duration::from_millis(1000 - 200);
    let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let seen = arrivals.clone();
    let server = CannedServer::start(move |request, _| {
        let mut seen = seen.lock().unwrap();
        let recent = seen
            .iter()
            .filter(|at| request.at.duration_since(**at) < window)
            .count();
        seen.push(request.at);
        if recent >= LIMIT {
            Reply::new(429, &[("retry-after", "1")], "")
        } else {
            ok()
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::token("t"))
        .rate_limit(Some(RateLimit::per_second(LIMIT as u32)))
        .build()
        .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 1);
    }
    let elapsed = started.elapsed();
    let requests = server.requests();
    assert_eq!(requests.len(), 50, "a call was retried or lost");
    // 50 evenly spaced starts at 20/s take 49 intervals: 2.45 s.
    assert!(
        elapsed >= Duration::from_millis(2400) && elapsed < Duration::from_millis(3500),
        "{elapsed:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn each_retry_is_logged_with_attempt_status_and_wait() {
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = CannedServer::start(|_, n| {
        if n == 0 {
            Reply::new(503, &[("retry-after", "0")], "")
        } else {
            ok()
        }
    })
    .await;
    let client = client_for(server.base_url(), fast_retries(2));
    assert_eq!(call(&client).await.unwrap(), 1);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let retry_line = logs
        .lines()
        .find(|l| l.contains("retrying"))
        .unwrap_or_else(|| panic!("no retry logged:\n{logs}"));
    for field in [
        "retry=1",
        "status=503",
        "wait_ms=0",
        "operation=\"list_permission_profile_users\"",
    ] {
        assert!(
            retry_line.contains(field),
            "{field} missing from {retry_line}"
        );
    }
    assert!(!logs.to_lowercase().contains("authorization"), "{logs}");
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_cut_off_and_reported() {
    // The head promises a megabyte; the client must stop at its limit, not
    // wait for the rest or hold it all.
    let mut partial = head_promising(1_048_576);
    partial.extend(std::iter::repeat_n(b' ', 4096));
    let server = CannedServer::always(Reply::Stall(partial)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::token("t"))
        .max_body_size(1024)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = call(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    match &err {
        Error::InvalidBody { status, reason, .. } => {
            assert_eq!(status.map(|s| s.as_u16()), Some(200));
            assert!(reason.contains("1024-byte limit"), "{reason}");
        }
        other => panic!("expected InvalidBody, got {other:?}"),
    }
}

#[tokio::test]
async fn a_retry_after_too_large_for_a_number_still_means_wait_long() {
    let server = CannedServer::always(Reply::new(
        429,
        &[("retry-after", "99999999999999999999")],
        "",
    ))
    .await;
    let client = client_for(server.base_url(), fast_retries(3));
    let err = call(&client).await.unwrap_err();
    assert_eq!(
        server.requests().len(),
        1,
        "retried instead of failing at once"
    );
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_id_too_long_for_a_url_is_refused_before_sending() {
    let server = CannedServer::always(ok()).await;
    let client = client_for(server.base_url(), RetryPolicy::never());
    let id = "9".repeat(70_000);
    let sent = client
        .list_permission_profile_users()
        .profile_id(id.as_str())
        .send()
        .await;
    let err = Error::from(sent.unwrap_err());
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(
        err.to_string().len() < 500,
        "the message quotes the whole URL"
    );
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn a_corrupt_gzip_body_is_a_broken_answer() {
    let server = CannedServer::always(Reply::new(
        200,
        &[("content-encoding", "gzip")],
        "not gzip at all",
    ))
    .await;
    let client = client_for(server.base_url(), RetryPolicy::never());
    let err = call(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::BrokenAnswer,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn rate_limits_outside_a_day_to_a_nanosecond_are_refused() {
    for limit in [
        RateLimit::new(1, Duration::MAX),
        RateLimit::per_second(0),
        RateLimit::new(1, Duration::ZERO),
    ] {
        let built = Client::builder()
            .credentials(Credentials::token("t"))
            .rate_limit(Some(limit))
            .build();
        assert!(
            matches!(built, Err(Error::Config(_))),
            "{limit:?} was accepted"
        );
    }
}
