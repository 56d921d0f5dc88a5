//! Large answers, 1,000 to 100,000 users (about 8.5 MB at the top):
//! - `decode`: the decode step alone, bytes already in memory, into
//!   gong-api's generated types against serde_json into a plain struct;
//! - `call`: the whole path, a real call against a loopback server (the
//!   client's `exec` hook buffers the body, then decodes from the buffer)
//!   against reqwest `bytes()` + `serde_json::from_slice`.
//!
//! Then, at 100,000 users: a paired run of both for the ratio, and the peak
//! heap each needs, measured by a counting global allocator (the server's
//! thread is left out of the count).

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gong_api::types::PermissionProfileUsersResponse;
use gong_benches::alloc::{CountingAlloc, ignore_this_thread, peak_during};
use gong_benches::baseline::{Baseline, PlainUsers};
use gong_benches::body::users_body;
use gong_benches::paired::{median, paired};
use gong_benches::server::FastServer;
use gong_benches::{client_runtime, gong_call, gong_client, is_bench_run, results, selected};
use serde_json::json;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const SIZES: [usize; 7] = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];
const LARGE: usize = 100_000;

fn decode_ours(body: &[u8]) -> PermissionProfileUsersResponse {
    serde_json::from_slice(body).expect("the body decodes")
}

fn decode_plain(body: &[u8]) -> PlainUsers {
    serde_json::from_slice(body).expect("the body decodes")
}

fn decode(c: &mut Criterion) {
    let bodies: Vec<(usize, Bytes)> = SIZES.iter().map(|&n| (n, users_body(n))).collect();

    let mut group = c.benchmark_group("decode");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (users, body) in &bodies {
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("gong-api", users), body, |b, body| {
            b.iter_with_large_drop(|| decode_ours(black_box(body)))
        });
        group.bench_with_input(BenchmarkId::new("baseline", users), body, |b, body| {
            b.iter_with_large_drop(|| decode_plain(black_box(body)))
        });
    }
    group.finish();

    let runtime = client_runtime();
    let servers: Vec<(usize, FastServer)> = bodies
        .iter()
        .map(|(n, body)| (*n, FastServer::start_with(body.clone(), ignore_this_thread)))
        .collect();
    let mut group = c.benchmark_group("call");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for ((users, server), (_, body)) in servers.iter().zip(&bodies) {
        let client = gong_client(server.base_url());
        let baseline = Baseline::new(server.base_url());
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(BenchmarkId::new("gong-api", users), |b| {
            b.iter_custom(|calls| {
                runtime.block_on(async {
                    let started = Instant::now();
                    for _ in 0..calls {
                        black_box(gong_call(&client).await);
                    }
                    started.elapsed()
                })
            })
        });
        group.bench_function(BenchmarkId::new("baseline", users), |b| {
            b.iter_custom(|calls| {
                runtime.block_on(async {
                    let started = Instant::now();
                    for _ in 0..calls {
                        black_box(baseline.call().await);
                    }
                    started.elapsed()
                })
            })
        });
    }
    group.finish();

    if !(selected("decode") || selected("call")) {
        return;
    }
    let full = is_bench_run();
    let (users, body) = bodies.last().expect("sizes");
    let (_, server) = servers.last().expect("sizes");
    assert_eq!(*users, LARGE);
    let client = gong_client(server.base_url());
    let baseline = Baseline::new(server.base_url());
    let rounds = if full { 21 } else { 1 };

    // The paired ratios at 100,000 users.
    let time = |f: &mut dyn FnMut()| {
        let started = Instant::now();
        f();
        started.elapsed()
    };
    let decode_paired = paired(
        rounds,
        3,
        |n| time(&mut || (0..n).for_each(|_| drop(black_box(decode_ours(body))))),
        |n| time(&mut || (0..n).for_each(|_| drop(black_box(decode_plain(body))))),
    );
    let call_paired = paired(
        rounds,
        3,
        |n| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..n {
                    black_box(gong_call(&client).await);
                }
                started.elapsed()
            })
        },
        |n| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..n {
                    black_box(baseline.call().await);
                }
                started.elapsed()
            })
        },
    );
    eprintln!(
        "paired at {LARGE} users ({} bytes): decode gong-api/baseline time {:.3}, call {:.3}",
        body.len(),
        decode_paired.ratio,
        call_paired.ratio
    );

    // Peak heap during one decode / one call, above what was live before;
    // the decoded answer is still alive at the end, so it counts.
    let samples = if full { 7 } else { 1 };
    let peaks = |f: &mut dyn FnMut() -> usize| -> Vec<f64> {
        (0..samples)
            .map(|_| {
                let (decoded, peak) = peak_during(&mut *f);
                assert_eq!(decoded, LARGE);
                peak as f64
            })
            .collect()
    };
    // Warm the connections first, so that a connection's buffers are not
    // counted against one side only.
    runtime.block_on(async {
        gong_call(&client).await;
        baseline.call().await;
    });
    let memory = json!({
        "decode": {
            "gong-api": median(peaks(&mut || decode_ours(body).users.len())),
            "baseline": median(peaks(&mut || decode_plain(body).users.len())),
        },
        "call": {
            "gong-api": median(peaks(&mut || runtime.block_on(gong_call(&client)))),
            "baseline": median(peaks(&mut || runtime.block_on(baseline.call()))),
        },
    });
    eprintln!("peak heap bytes at {LARGE} users: {memory}");
    results::write(
        "decode",
        &json!({
            "users": LARGE,
            "body_bytes": body.len(),
            "sizes": SIZES.iter().zip(&bodies).map(|(n, (_, b))| json!({"users": n, "bytes": b.len()})).collect::<Vec<_>>(),
            "paired": { "decode": decode_paired, "call": call_paired },
            "peak_heap_bytes": memory,
            "bench_run": full,
        }),
    );
}

criterion_group!(benches, decode);
criterion_main!(benches);
