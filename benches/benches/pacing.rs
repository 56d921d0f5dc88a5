//! Pacing accuracy: 60 calls through the real client at its default rate
//! (3 per second) against a loopback server that enforces the same limit
//! (at most 3 requests in any 1-second window, 429 with `Retry-After: 1`
//! beyond it) and records when each request arrived.
//!
//! Not a criterion benchmark: one run takes about 20 s and is itself the
//! measurement (60 calls, 59 intervals), so it runs once per mode, one call
//! after another and 60 tasks at once, and reports the elapsed time against
//! the ideal 59/3 s. `cargo bench` passes `--bench`; without it (a quick
//! check) it makes 6 calls.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gong_benches::body::users_body;
use gong_benches::{ACCESS_KEY, ACCESS_KEY_SECRET, PROFILE_ID, is_bench_run, results, selected};
use gong_tests::{CannedServer, Recorded, Reply};
use serde_json::json;

const WINDOW: Duration = Duration::from_secs(1);
const LIMIT: usize = 3;

struct Limited {
    server: CannedServer,
    rejected: Arc<AtomicUsize>,
}

/// A server that answers 200 unless this request would be the fourth in the
/// last second, then 429.
async fn limited_server(ok: Reply) -> Limited {
    let rejected = Arc::new(AtomicUsize::new(0));
    let accepted: Mutex<VecDeque<Instant>> = Mutex::new(VecDeque::new());
    let counter = rejected.clone();
    let too_many = Reply::new(
        429,
        &[("content-type", "text/plain"), ("retry-after", "1")],
        "rate limit exceeded",
    );
    let server = CannedServer::start(move |request: &Recorded, _| {
        let mut accepted = accepted.lock().expect("not poisoned");
        while accepted
            .front()
            .is_some_and(|&at| request.at.duration_since(at) >= WINDOW)
        {
            accepted.pop_front();
        }
        if accepted.len() >= LIMIT {
            counter.fetch_add(1, Ordering::SeqCst);
            too_many.clone()
        } else {
            accepted.push_back(request.at);
            ok.clone()
        }
    })
    .await;
    Limited { server, rejected }
}

fn client(base_url: &str) -> gong_api::Client {
    // Everything default but the address: 3 calls per second, 3 retries.
    gong_api::Client::builder()
        .base_url(base_url)
        .credentials(gong_api::Credentials::access_key(
            ACCESS_KEY,
            ACCESS_KEY_SECRET,
        ))
        .build()
        .expect("a loopback client builds")
}

async fn run(calls: usize, at_once: bool) -> serde_json::Value {
    let body = users_body(3);
    let limited = limited_server(Reply::json(200, &String::from_utf8_lossy(&body))).await;
    let client = client(limited.server.base_url());
    let call = |client: gong_api::Client| async move {
        client
            .list_permission_profile_users()
            .profile_id(PROFILE_ID)
            .send()
            .await
            .map(|answer| answer.into_inner().users.len())
    };
    let started = Instant::now();
    let outcomes: Vec<bool> = if at_once {
        let tasks: Vec<_> = (0..calls)
            .map(|_| tokio::spawn(call(client.clone())))
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("a call task").is_ok());
        }
        outcomes
    } else {
        let mut outcomes = Vec::new();
        for _ in 0..calls {
            outcomes.push(call(client.clone()).await.is_ok());
        }
        outcomes
    };
    let elapsed = started.elapsed().as_secs_f64();
    let arrivals: Vec<Instant> = limited.server.requests().iter().map(|r| r.at).collect();
    let gaps: Vec<f64> = arrivals
        .windows(2)
        .map(|w| w[1].duration_since(w[0]).as_secs_f64() * 1e3)
        .collect();
    // The shortest span of LIMIT + 1 consecutive arrivals: under 1,000 ms
    // means a second held more than LIMIT requests.
    let shortest_span = arrivals
        .windows(LIMIT + 1)
        .map(|w| w[LIMIT].duration_since(w[0]).as_secs_f64() * 1e3)
        .fold(f64::INFINITY, f64::min);
    let ideal = (calls - 1) as f64 / 3.0;
    json!({
        "calls": calls,
        "mode": if at_once { "60 tasks at once" } else { "one after another" },
        "succeeded": outcomes.iter().filter(|ok| **ok).count(),
        "requests_seen": arrivals.len(),
        "rejected_429": limited.rejected.load(Ordering::SeqCst),
        "connections": limited.server.connections(),
        "elapsed_s": elapsed,
        "ideal_s": ideal,
        "elapsed_over_ideal": elapsed / ideal,
        "min_gap_ms": gaps.iter().copied().fold(f64::INFINITY, f64::min),
        "max_gap_ms": gaps.iter().copied().fold(0.0, f64::max),
        "shortest_4_arrivals_ms": shortest_span,
    })
}

fn main() {
    if !selected("pacing") {
        return;
    }
    let calls = if is_bench_run() { 60 } else { 6 };
    let runtime = gong_benches::client_runtime();
    let mut runs = Vec::new();
    for at_once in [false, true] {
        let result = runtime.block_on(run(calls, at_once));
        eprintln!("pacing: {result}");
        runs.push(result);
    }
    results::write(
        "pacing",
        &json!({ "runs": runs, "bench_run": is_bench_run() }),
    );
}
