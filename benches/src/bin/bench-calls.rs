//! Sequential calls against the benchmark server, for profilers: the same
//! work as `roundtrip/sequential/*`, in a process of its own, so that
//! `valgrind --tool=callgrind` or `perf` can count and attribute it.
//!
//! ```sh
//! cargo build --release -p gong-benches --bin bench-calls
//! valgrind --tool=callgrind target/release/bench-calls gong-api 1000
//! valgrind --tool=callgrind target/release/bench-calls baseline 1000
//! ```
//!
//! Instructions per call: the difference between two runs with different
//! call counts, divided by the difference in calls (this removes start-up).

use std::hint::black_box;
use std::time::Instant;

use gong_benches::alloc::{CountingAlloc, allocations, ignore_this_thread};
use gong_benches::baseline::Baseline;
use gong_benches::body::users_body;
use gong_benches::server::FastServer;
use gong_benches::{client_runtime, gong_call, gong_client};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench-calls <gong-api|gong-api-no-retries|baseline> <calls> [users per answer, default 3]";
    let which = args.next().expect(usage);
    let calls: u64 = args.next().and_then(|n| n.parse().ok()).expect(usage);
    let users: usize = args.next().map_or(3, |n| n.parse().expect(usage));
    let server = FastServer::start_with(users_body(users), ignore_this_thread);
    // `BENCH_CURRENT_THREAD=1`: the client on one thread, so that counts of
    // instructions do not vary with how often idle workers park and wake.
    let runtime = if std::env::var_os("BENCH_CURRENT_THREAD").is_some() {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
    } else {
        client_runtime()
    };
    let mut allocated = 0;
    let elapsed = match which.as_str() {
        "gong-api" | "gong-api-no-retries" => {
            let mut client = gong_client(server.base_url());
            if which == "gong-api-no-retries" {
                // Without retries the policy keeps no spare copy of the request.
                client = gong_api::Client::builder()
                    .base_url(server.base_url())
                    .credentials(gong_api::Credentials::access_key("k", "s"))
                    .rate_limit(None)
                    .retry_policy(gong_api::RetryPolicy::never())
                    .build()
                    .expect("a loopback client builds");
            }
            runtime.block_on(async {
                gong_call(&client).await;
                let started = Instant::now();
                allocated = allocations();
                for _ in 0..calls {
                    black_box(gong_call(&client).await);
                }
                allocated = allocations() - allocated;
                started.elapsed()
            })
        }
        "decode-gong-api" | "decode-baseline" => {
            // The decode step alone, on a body already in memory.
            let body = users_body(users);
            let started = Instant::now();
            allocated = allocations();
            for _ in 0..calls {
                let users = if which == "decode-gong-api" {
                    serde_json::from_slice::<gong_api::types::PermissionProfileUsersResponse>(&body)
                        .expect("the body decodes")
                        .users
                        .len()
                } else {
                    serde_json::from_slice::<gong_benches::baseline::PlainUsers>(&body)
                        .expect("the body decodes")
                        .users
                        .len()
                };
                black_box(users);
            }
            allocated = allocations() - allocated;
            started.elapsed()
        }
        "baseline" => {
            let client = Baseline::new(server.base_url());
            runtime.block_on(async {
                client.call().await;
                let started = Instant::now();
                allocated = allocations();
                for _ in 0..calls {
                    black_box(client.call().await);
                }
                allocated = allocations() - allocated;
                started.elapsed()
            })
        }
        other => panic!("unknown client {other:?}; {usage}"),
    };
    println!(
        "{which}: {calls} calls, {:.1} µs and {:.1} allocations per call, {} connections",
        elapsed.as_secs_f64() * 1e6 / calls as f64,
        allocated as f64 / calls as f64,
        server.connections()
    );
}
