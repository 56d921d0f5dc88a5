//! Shared pieces of the benchmarks in `benches/benches/`: answer bodies of
//! any size, a fast loopback server, the hand-written reqwest + serde_json
//! baseline, a counting allocator, paired timing, and the results files that
//! `bench-report` turns into BENCHMARKS.md tables and the decode plot.

pub mod alloc;
pub mod baseline;
pub mod body;
pub mod paired;
pub mod results;
pub mod server;

/// The profile id every benchmark asks for (the mock's first profile).
pub const PROFILE_ID: &str = "3843152912968920037";
/// Credentials sent as HTTP Basic; the benchmark servers do not check them.
pub const ACCESS_KEY: &str = "bench-access-key";
pub const ACCESS_KEY_SECRET: &str = "bench-access-key-secret";

/// The client under test, as a user would build it, with pacing off and
/// default retries.
pub fn gong_client(base_url: &str) -> gong_api::Client {
    gong_api::Client::builder()
        .base_url(base_url)
        .credentials(gong_api::Credentials::access_key(
            ACCESS_KEY,
            ACCESS_KEY_SECRET,
        ))
        .rate_limit(None)
        .build()
        .expect("a loopback client builds")
}

/// One call through the client; the number of users decoded.
pub async fn gong_call(client: &gong_api::Client) -> usize {
    let answer = client
        .list_permission_profile_users()
        .profile_id(PROFILE_ID)
        .send()
        .await
        .expect("the benchmark server answers 200");
    answer.into_inner().users.len()
}

/// A multi-threaded runtime for the clients, one worker per core, as
/// `#[tokio::main]` would give.
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Whether the binary runs under `cargo bench` (which passes `--bench`),
/// rather than as a quick check (`cargo test --benches`, or
/// `cargo bench -- --test`, criterion's run-each-once mode).
pub fn is_bench_run() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--test")
}

/// Whether a benchmark called `name` passes the filters given on the
/// command line (`cargo bench -- decode`), as criterion would decide.
pub fn selected(name: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_and_the_baseline_read_the_same_users() {
        let body = body::users_body(250);
        let runtime = client_runtime();
        let server = server::FastServer::start(body.clone());
        let users = runtime.block_on(async {
            let client = gong_client(server.base_url());
            let baseline = baseline::Baseline::new(server.base_url());
            let ours = client
                .list_permission_profile_users()
                .profile_id(PROFILE_ID)
                .send()
                .await
                .unwrap()
                .into_inner();
            let theirs = baseline.list_users(PROFILE_ID).await.unwrap();
            assert_eq!(ours.users.len(), theirs.users.len());
            for (a, b) in ours.users.iter().zip(&theirs.users) {
                assert_eq!(a.id, b.id);
                assert_eq!(a.full_name, b.full_name);
                assert_eq!(a.email_address, b.email_address);
            }
            // The same client twice: one connection.
            gong_call(&client).await;
            ours.users.len()
        });
        assert_eq!(users, 250);
        assert_eq!(server.connections(), 2, "one per client");
    }
}
