//! Round trips on loopback: gong-api (pacing off, default retries) against
//! hand-written reqwest + serde_json, the same server, endpoint and body,
//! one call at a time and 16 tasks at once. Then the connections each client
//! opens per 1,000 calls (counted by the tests' `CannedServer`), and a
//! paired run of both clients in alternating rounds for the ratio.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gong_benches::baseline::Baseline;
use gong_benches::body::users_body;
use gong_benches::paired::paired;
use gong_benches::server::FastServer;
use gong_benches::{client_runtime, gong_call, gong_client, is_bench_run, results, selected};
use gong_tests::{CannedServer, Reply};
use serde_json::json;
use tokio::runtime::Runtime;

const TASKS: u64 = 16;

/// `calls` calls spread over `TASKS` tasks on clones of one client.
async fn gong_concurrent(client: &gong_api::Client, calls: u64) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let client = client.clone();
            let share = calls / TASKS + u64::from(task < calls % TASKS);
            tokio::spawn(async move {
                for _ in 0..share {
                    black_box(gong_call(&client).await);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a call task");
    }
    started.elapsed()
}

async fn baseline_concurrent(client: &Baseline, calls: u64) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let client = client.clone();
            let share = calls / TASKS + u64::from(task < calls % TASKS);
            tokio::spawn(async move {
                for _ in 0..share {
                    black_box(client.call().await);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a call task");
    }
    started.elapsed()
}

async fn gong_sequential(client: &gong_api::Client, calls: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..calls {
        black_box(gong_call(client).await);
    }
    started.elapsed()
}

async fn baseline_sequential(client: &Baseline, calls: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..calls {
        black_box(client.call().await);
    }
    started.elapsed()
}

fn roundtrip(c: &mut Criterion) {
    let runtime = client_runtime();
    let body = users_body(3);
    let server = FastServer::start(body.clone());
    let client = gong_client(server.base_url());
    let baseline = Baseline::new(server.base_url());

    let mut group = c.benchmark_group("roundtrip");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sequential/gong-api", |b| {
        b.iter_custom(|calls| runtime.block_on(gong_sequential(&client, calls)))
    });
    group.bench_function("sequential/baseline", |b| {
        b.iter_custom(|calls| runtime.block_on(baseline_sequential(&baseline, calls)))
    });
    group.bench_function("concurrent16/gong-api", |b| {
        b.iter_custom(|calls| runtime.block_on(gong_concurrent(&client, calls)))
    });
    group.bench_function("concurrent16/baseline", |b| {
        b.iter_custom(|calls| runtime.block_on(baseline_concurrent(&baseline, calls)))
    });
    group.finish();

    if !selected("roundtrip") {
        return;
    }
    let full = is_bench_run();
    let (rounds, units) = if full { (31, 2_000) } else { (1, 50) };
    let sequential = paired(
        rounds,
        units,
        |n| runtime.block_on(gong_sequential(&client, n)),
        |n| runtime.block_on(baseline_sequential(&baseline, n)),
    );
    let concurrent = paired(
        rounds,
        units,
        |n| runtime.block_on(gong_concurrent(&client, n)),
        |n| runtime.block_on(baseline_concurrent(&baseline, n)),
    );
    eprintln!(
        "paired, {rounds} rounds of {units} calls: sequential gong-api/baseline time {:.3}, 16 tasks {:.3}",
        sequential.ratio, concurrent.ratio
    );
    let connections = connections_per_1000(&runtime, &String::from_utf8_lossy(&body));
    eprintln!("connections per 1,000 calls: {connections}");
    results::write(
        "roundtrip",
        &json!({
            "body_bytes": body.len(),
            "tasks": TASKS,
            "paired": { "sequential": sequential, "concurrent16": concurrent },
            "connections_per_1000": connections,
            "bench_run": full,
        }),
    );
}

/// Connections a fresh client opens for 1,000 calls, sequential and from 16
/// tasks, as the tests' `CannedServer` counts them.
fn connections_per_1000(runtime: &Runtime, body: &str) -> serde_json::Value {
    runtime.block_on(async {
        let mut counts = serde_json::Map::new();
        for name in ["gong-api", "baseline"] {
            let mut row = serde_json::Map::new();
            for (mode, concurrent) in [("sequential", false), ("concurrent16", true)] {
                let server = CannedServer::always(Reply::json(200, body)).await;
                match (name, concurrent) {
                    ("gong-api", false) => {
                        gong_sequential(&gong_client(server.base_url()), 1_000).await
                    }
                    ("gong-api", true) => {
                        gong_concurrent(&gong_client(server.base_url()), 1_000).await
                    }
                    (_, false) => {
                        baseline_sequential(&Baseline::new(server.base_url()), 1_000).await
                    }
                    (_, true) => {
                        baseline_concurrent(&Baseline::new(server.base_url()), 1_000).await
                    }
                };
                assert_eq!(server.requests().len(), 1_000, "one request per call");
                row.insert(mode.into(), server.connections().into());
            }
            counts.insert(name.into(), row.into());
        }
        counts.into()
    })
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
