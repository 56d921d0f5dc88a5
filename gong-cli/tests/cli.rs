//! The `gong` binary end to end: real processes, real sockets, and the
//! stdout, stderr and exit status a script would see.

use std::io::{BufRead as _, BufReader, Read, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gong_api::mock::{
    MOCK_ACCESS_KEY, MOCK_ACCESS_KEY_SECRET, MOCK_ACCESS_TOKEN, MOCK_PROFILES, MockProfile,
};
use serde_json::{Value, json};

/// Every variable the binary reads, so that the developer's own settings
/// never leak into a test.
const GONG_VARS: &[&str] = &[
    "GONG_BASE_URL",
    "GONG_TIMEOUT",
    "GONG_MAX_RETRIES",
    "GONG_ACCESS_KEY",
    "GONG_ACCESS_KEY_SECRET",
    "GONG_ACCESS_TOKEN",
];

/// Longest a single run may take before the test fails instead of hanging.
const RUN_DEADLINE: Duration = Duration::from_secs(30);

fn gong() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gong"));
    for var in GONG_VARS {
        command.env_remove(var);
    }
    command.env_remove("RUST_LOG");
    command
}

/// `gong` with real-looking credentials in the environment.
fn gong_with_credentials() -> Command {
    let mut command = gong();
    command
        .env("GONG_ACCESS_KEY", "test-key")
        .env("GONG_ACCESS_KEY_SECRET", "test-secret");
    command
}

#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Outcome {
    /// Fails with everything the run printed, not just the status.
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit status: {self:#?}");
        self
    }

    fn expect_usage_error(&self) -> &Self {
        self.expect_code(2);
        assert_eq!(self.stdout, "", "{self:#?}");
        assert!(self.stderr.starts_with("error: "), "{self:#?}");
        self
    }

    fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {self:#?}"
        );
        self
    }
}

/// Runs `command` to the end with piped output, killing it if it outlives
/// [`RUN_DEADLINE`].
fn run(command: &mut Command) -> Outcome {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gong");
    let stdout = read_in_background(child.stdout.take().unwrap());
    let stderr = read_in_background(child.stderr.take().unwrap());
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for gong") {
            break status;
        }
        if started.elapsed() > RUN_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gong ran longer than {RUN_DEADLINE:?}: {command:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    Outcome {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

fn read_in_background(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).expect("read gong's output");
        String::from_utf8(bytes).expect("gong's output is UTF-8")
    })
}

fn users_command(profile_id: &str, format: &str) -> Command {
    let mut command = gong();
    command.args([
        "--mock",
        "permission-profile",
        "users",
        "--profile-id",
        profile_id,
        "--format",
        format,
    ]);
    command
}

fn profile_where(what: &str, test: impl Fn(&MockProfile) -> bool) -> &'static MockProfile {
    MOCK_PROFILES
        .iter()
        .find(|profile| test(profile))
        .unwrap_or_else(|| panic!("the mock has no profile with {what}"))
}

/// The profile with a 20-digit id and a name that needs CSV quoting.
fn awkward_profile() -> &'static MockProfile {
    profile_where("a 20-digit user id", |p| {
        p.users.iter().any(|u| u.id.len() == 20)
    })
}

fn empty_profile() -> &'static MockProfile {
    profile_where("no users", |p| p.users.is_empty())
}

// ---- success against --mock ----------------------------------------------

#[test]
fn json_lists_every_mock_profile_as_gong_has_it() {
    for profile in MOCK_PROFILES {
        let outcome = run(&mut users_command(profile.id, "json"));
        outcome
            .expect_code(0)
            .stderr_has("embedded mock Gong server at http://127.0.0.1:")
            .stderr_has("fictional data");
        let printed: Value = serde_json::from_str(&outcome.stdout).expect("stdout is JSON");
        let expected: Vec<Value> = profile
            .users
            .iter()
            .map(
                |u| json!({ "id": u.id, "fullName": u.full_name, "emailAddress": u.email_address }),
            )
            .collect();
        assert_eq!(printed, Value::Array(expected), "profile {}", profile.id);
    }
}

#[test]
fn json_keeps_a_20_digit_id_byte_for_byte() {
    let profile = awkward_profile();
    let long_id = profile.users.iter().find(|u| u.id.len() == 20).unwrap().id;
    assert!(
        long_id.parse::<u64>().is_err(),
        "the id should overflow u64"
    );
    let outcome = run(&mut users_command(profile.id, "json"));
    outcome.expect_code(0);
    assert!(
        outcome.stdout.contains(&format!("\"id\": \"{long_id}\"")),
        "{outcome:#?}"
    );
}

#[test]
fn csv_quotes_as_rfc_4180_says() {
    let profile = awkward_profile();
    let outcome = run(&mut users_command(profile.id, "csv"));
    outcome.expect_code(0);
    let mut lines = outcome.stdout.lines();
    assert_eq!(lines.next(), Some("id,fullName,emailAddress"));
    let rows: Vec<&str> = lines.collect();
    let expected: Vec<String> = profile
        .users
        .iter()
        .map(|u| {
            [Some(u.id), u.full_name, u.email_address]
                .map(|field| csv_field(field.unwrap_or("")))
                .join(",")
        })
        .collect();
    assert_eq!(rows, expected, "{outcome:#?}");
    // Spelled out once, in case the helper above shares a mistake.
    assert!(
        outcome
            .stdout
            .contains("\n98765432109876543210,\"O'Brien, \"\"Tom\"\"\",tom.obrien@example.com\n"),
        "{outcome:#?}"
    );
    assert!(outcome.stdout.ends_with('\n'));
}

/// RFC 4180: quote a field holding a comma, a quote or a line break, and
/// double the quotes inside.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[test]
fn table_has_a_header_and_one_aligned_line_per_user() {
    for profile in MOCK_PROFILES.iter().filter(|p| !p.users.is_empty()) {
        let outcome = run(&mut users_command(profile.id, "table"));
        outcome.expect_code(0);
        let lines: Vec<Vec<char>> = outcome
            .stdout
            .lines()
            .map(|l| l.chars().collect())
            .collect();
        let header: String = lines[0].iter().collect();
        assert_eq!(
            header.split_whitespace().collect::<Vec<_>>(),
            ["ID", "NAME", "EMAIL"]
        );
        assert!(
            !header.contains(['|', '+', '─', '│']),
            "not plain: {header}"
        );
        let name_at = header.find("NAME").unwrap();
        let email_at = header.find("EMAIL").unwrap();
        let cells: Vec<[String; 3]> = lines[1..]
            .iter()
            .map(|line| {
                let cell = |from: usize, to: usize| {
                    line[from.min(line.len())..to.min(line.len())]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string()
                };
                [
                    cell(0, name_at),
                    cell(name_at, email_at),
                    cell(email_at, line.len()),
                ]
            })
            .collect();
        let expected: Vec<[String; 3]> = profile
            .users
            .iter()
            .map(|u| {
                [Some(u.id), u.full_name, u.email_address].map(|v| v.unwrap_or("").to_string())
            })
            .collect();
        assert_eq!(cells, expected, "{outcome:#?}");
    }
}

#[test]
fn a_profile_without_users_prints_valid_empty_output() {
    let profile = empty_profile();
    let table = run(&mut users_command(profile.id, "table"));
    table.expect_code(0).stderr_has("no users");
    assert_eq!(table.stdout, "");

    let json = run(&mut users_command(profile.id, "json"));
    json.expect_code(0);
    assert_eq!(
        serde_json::from_str::<Value>(&json.stdout).unwrap(),
        json!([])
    );

    let csv = run(&mut users_command(profile.id, "csv"));
    csv.expect_code(0);
    assert_eq!(csv.stdout, "id,fullName,emailAddress\n");
}

#[test]
fn mock_ignores_credentials_and_base_url_from_the_environment() {
    let mut command = users_command(MOCK_PROFILES[0].id, "json");
    command
        .env("GONG_ACCESS_TOKEN", "not-the-mock-token")
        .env("GONG_BASE_URL", "https://example.invalid");
    let outcome = run(&mut command);
    outcome.expect_code(0);
    let printed: Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(
        printed.as_array().map(Vec::len),
        Some(MOCK_PROFILES[0].users.len())
    );
}

#[test]
fn help_lists_the_environment_and_takes_no_secret_flags() {
    let outcome = run(gong().arg("--help"));
    outcome.expect_code(0);
    for var in GONG_VARS {
        assert!(outcome.stdout.contains(var), "--help lacks {var}");
    }
    assert!(outcome.stdout.contains("never from flags"));
    for flag in ["--access-key", "--secret", "--token", "--password"] {
        assert!(!outcome.stdout.contains(flag), "--help offers {flag}");
    }
}

// ---- usage and configuration errors: exit 2, nothing sent ------------------

#[test]
fn a_bad_flag_is_a_usage_error() {
    run(gong().args([
        "--bogus",
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]))
    .expect_usage_error()
    .stderr_has("--bogus");
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    run(&mut users_command(MOCK_PROFILES[0].id, "xml"))
        .expect_usage_error()
        .stderr_has("xml");
}

#[test]
fn missing_credentials_are_a_usage_error_and_nothing_is_sent() {
    let server = CannedServer::start(Some(bad_gateway()));
    let outcome = run(gong().args([
        "--base-url",
        &server.url(),
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]));
    outcome
        .expect_usage_error()
        .stderr_has("GONG_ACCESS_KEY")
        .stderr_has("GONG_ACCESS_KEY_SECRET")
        .stderr_has("GONG_ACCESS_TOKEN")
        .stderr_has("--mock");
    server.expect_no_request();
}

#[test]
fn half_an_access_key_is_a_usage_error() {
    run(gong().env("GONG_ACCESS_KEY", "test-key").args([
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]))
    .expect_usage_error()
    .stderr_has("GONG_ACCESS_KEY_SECRET");
}

#[test]
fn plain_http_to_another_host_is_a_usage_error() {
    run(gong_with_credentials().args([
        "--base-url",
        "http://example.com",
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]))
    .expect_usage_error()
    .stderr_has("plain http");
}

#[test]
fn a_blank_profile_id_is_a_usage_error_and_nothing_is_sent() {
    let server = CannedServer::start(Some(bad_gateway()));
    for blank in ["", "   "] {
        run(gong_with_credentials().args([
            "--base-url",
            &server.url(),
            "permission-profile",
            "users",
            "--profile-id",
            blank,
        ]))
        .expect_usage_error()
        .stderr_has("must not be empty");
    }
    server.expect_no_request();
}

#[test]
fn a_bad_timeout_is_a_usage_error_and_nothing_is_sent() {
    let server = CannedServer::start(Some(bad_gateway()));
    let url = server.url();
    let base = [
        "--base-url",
        url.as_str(),
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ];
    for bad in ["0", "-1", "soon", "inf"] {
        run(gong_with_credentials().args(base).args(["--timeout", bad]))
            .expect_usage_error()
            .stderr_has("--timeout");
    }
    run(gong_with_credentials().args(base).env("GONG_TIMEOUT", "0"))
        .expect_usage_error()
        .stderr_has("positive");
    server.expect_no_request();
}

#[test]
fn mock_with_base_url_is_a_usage_error() {
    run(gong().args([
        "--mock",
        "--base-url",
        "https://api.gong.io",
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]))
    .expect_usage_error()
    .stderr_has("--base-url")
    .stderr_has("--mock");
}

// ---- Gong answered with an error: exit 3 ---------------------------------

#[test]
fn an_unknown_profile_id_is_gongs_400() {
    let outcome = run(&mut users_command("1234567890", "table"));
    outcome
        .expect_code(3)
        .stderr_has("400")
        .stderr_has("Bad request");
    assert_eq!(outcome.stdout, "");
    let request_id = outcome
        .stderr
        .split("requestId ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_default();
    assert!(
        !request_id.is_empty() && request_id.chars().all(|c| c.is_ascii_alphanumeric()),
        "no requestId in {outcome:#?}"
    );
}

#[test]
fn mock_serve_answers_good_credentials_and_refuses_bad_ones() {
    let serve = MockServe::start();
    let users = |command: &mut Command| {
        run(command.args([
            "--base-url",
            &serve.url,
            "permission-profile",
            "users",
            "--profile-id",
            MOCK_PROFILES[0].id,
            "--format",
            "csv",
        ]))
    };

    let refused = users(
        gong()
            .env("GONG_ACCESS_KEY", "wrong-key")
            .env("GONG_ACCESS_KEY_SECRET", "wrong-secret"),
    );
    refused
        .expect_code(3)
        .stderr_has("401")
        .stderr_has("requestId")
        .stderr_has("Access denied");
    assert_eq!(refused.stdout, "");

    let with_key = users(
        gong()
            .env("GONG_ACCESS_KEY", MOCK_ACCESS_KEY)
            .env("GONG_ACCESS_KEY_SECRET", MOCK_ACCESS_KEY_SECRET),
    );
    with_key.expect_code(0);
    assert_eq!(
        with_key.stdout.lines().count(),
        MOCK_PROFILES[0].users.len() + 1
    );

    let with_token = users(gong().env("GONG_ACCESS_TOKEN", MOCK_ACCESS_TOKEN));
    with_token.expect_code(0);
    assert_eq!(with_token.stdout, with_key.stdout);

    let url = serve.url.clone();
    let stderr = serve.stop();
    assert!(stderr.contains(&format!("GONG_BASE_URL={url}")), "{stderr}");
    for profile in MOCK_PROFILES {
        assert!(stderr.contains(profile.id), "{stderr}");
    }
}

// ---- no usable answer: exit 4 --------------------------------------------

#[test]
fn nothing_listening_is_no_answer() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let outcome = run(gong_with_credentials().args([
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
        "--max-retries",
        "0",
        "--timeout",
        "5",
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]));
    outcome
        .expect_code(4)
        .stderr_has("no answer from Gong")
        .stderr_has("could not connect");
    assert_eq!(outcome.stdout, "");
}

/// What a gateway in front of Gong sends when Gong is down: HTML.
fn bad_gateway() -> String {
    let body = "<html><body><h1>502 Bad Gateway</h1></body></html>\n";
    format!(
        "HTTP/1.1 502 Bad Gateway\r\n\
         Content-Type: text/html\r\n\
         Content-Length: {}\r\n\
         Connection: close\r\n\
         \r\n\
         {body}",
        body.len()
    )
}

#[test]
fn an_html_gateway_page_is_no_usable_answer() {
    let server = CannedServer::start(Some(bad_gateway()));
    let outcome = run(gong_with_credentials().args([
        "--base-url",
        &server.url(),
        "--max-retries",
        "0",
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]));
    outcome
        .expect_code(4)
        .stderr_has("502")
        .stderr_has("not the documented JSON")
        .stderr_has("text/html");
    assert_eq!(outcome.stdout, "");
    server.expect_requests(1);
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = CannedServer::start(None);
    let outcome = run(gong_with_credentials().args([
        "--base-url",
        &server.url(),
        "--max-retries",
        "0",
        "--timeout",
        "0.5",
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ]));
    outcome.expect_code(4).stderr_has("timed out");
    assert!(outcome.elapsed < Duration::from_secs(10), "{outcome:#?}");
}

// ---- secrets -------------------------------------------------------------

#[test]
fn verbose_logs_never_show_a_secret() {
    const KEY: &str = "key-7f3a9c1e";
    const SECRET: &str = "secret-b84d2f60";
    const TOKEN: &str = "token-51e9c0aa";
    let basic = STANDARD.encode(format!("{KEY}:{SECRET}"));
    let server = CannedServer::start(Some(bad_gateway()));
    let args = [
        "-vv",
        "--base-url",
        &server.url(),
        "--max-retries",
        "0",
        "permission-profile",
        "users",
        "--profile-id",
        "1",
    ];

    let with_key = run(gong()
        .env("GONG_ACCESS_KEY", KEY)
        .env("GONG_ACCESS_KEY_SECRET", SECRET)
        .args(args));
    let with_token = run(gong().env("GONG_ACCESS_TOKEN", TOKEN).args(args));

    // The secrets did travel, so their absence below means something.
    let sent = server.expect_requests(2).join("\n").to_ascii_lowercase();
    assert!(sent.contains(&format!(
        "authorization: basic {}",
        basic.to_ascii_lowercase()
    )));
    assert!(sent.contains(&format!("authorization: bearer {TOKEN}")));

    for outcome in [&with_key, &with_token] {
        outcome.expect_code(4).stderr_has("DEBUG");
        for secret in [KEY, SECRET, TOKEN, basic.as_str()] {
            assert!(
                !outcome.stdout.contains(secret) && !outcome.stderr.contains(secret),
                "{secret:?} was printed: {outcome:#?}"
            );
        }
    }
}

// ---- helpers: servers ------------------------------------------------------

/// A loopback HTTP server that answers every request with one canned
/// response (or, with `None`, never answers) and reports each request head.
struct CannedServer {
    port: u16,
    requests: mpsc::Receiver<String>,
}

impl CannedServer {
    fn start(response: Option<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (sender, requests) = mpsc::channel();
        // Detached: it ends with the test process.
        thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = sender.send(read_head(&mut stream));
                match &response {
                    Some(response) => {
                        let _ = stream.write_all(response.as_bytes());
                        let _ = stream.flush();
                    }
                    None => held.push(stream),
                }
            }
        });
        Self { port, requests }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits for `count` requests, and makes sure no more arrive.
    fn expect_requests(&self, count: usize) -> Vec<String> {
        let heads: Vec<String> = (0..count)
            .map(|n| {
                self.requests
                    .recv_timeout(Duration::from_secs(5))
                    .unwrap_or_else(|_| panic!("request {} of {count} never came", n + 1))
            })
            .collect();
        self.expect_no_request();
        heads
    }

    fn expect_no_request(&self) {
        if let Ok(head) = self.requests.recv_timeout(Duration::from_millis(200)) {
            panic!("unexpected request:\n{head}");
        }
    }
}

/// The request line and headers, up to the blank line.
fn read_head(stream: &mut TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// `gong mock serve` as a child process, killed when dropped, so that a
/// failing assertion does not leave it running.
struct MockServe {
    child: Child,
    url: String,
}

impl MockServe {
    fn start() -> Self {
        let child = gong()
            .args(["mock", "serve"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gong mock serve");
        // Owned by the guard before anything can fail.
        let mut serve = Self {
            child,
            url: String::new(),
        };
        let mut line = String::new();
        BufReader::new(serve.child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read the mock's URL");
        serve.url = line.trim_end().to_string();
        assert!(
            serve.url.starts_with("http://127.0.0.1:"),
            "first stdout line of mock serve: {line:?}"
        );
        serve
    }

    /// Stops the server and returns what it printed on stderr.
    fn stop(mut self) -> String {
        self.kill();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            pipe.read_to_string(&mut stderr).unwrap();
        }
        stderr
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for MockServe {
    fn drop(&mut self) {
        self.kill();
    }
}
