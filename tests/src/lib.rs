//! A small HTTP/1.1 server on 127.0.0.1 that plays scripted answers, good or
//! bad, and records what it was sent. Tests use it where the mock Gong is too
//! well-behaved: HTML error pages, stalls, 429 storms, redirects.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent (still percent-encoded).
    pub target: String,
    pub headers: Vec<(String, String)>,
    /// When it arrived, for pacing checks.
    pub at: Instant,
}

impl Recorded {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// Every query parameter, percent-decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        let query = self.target.split_once('?').map_or("", |(_, q)| q);
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Writes these bytes (a whole HTTP answer, or a broken one) and keeps
    /// the connection open for the next request.
    Bytes(Vec<u8>),
    /// Writes these bytes, then holds the connection open saying nothing
    /// more: a server that stalls (before the head, or inside the body).
    Stall(Vec<u8>),
    /// Closes the connection without answering.
    Close,
}

impl Reply {
    /// A complete answer with `Content-Length` set.
    pub fn new(status: u16, headers: &[(&str, &str)], body: impl AsRef<[u8]>) -> Self {
        Self::Bytes(answer_bytes(status, headers, body.as_ref()))
    }

    /// A JSON answer with Gong's `content-type`.
    pub fn json(status: u16, body: &str) -> Self {
        Self::new(
            status,
            &[("content-type", "application/json; charset=utf-8")],
            body,
        )
    }
}

/// The bytes of a complete HTTP/1.1 answer.
pub fn answer_bytes(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

type Script = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A running canned server; stops when dropped.
pub struct CannedServer {
    base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl CannedServer {
    /// Starts a server whose answer to the `n`th request (from 0) is
    /// `script(&request, n)`.
    pub async fn start(script: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_on(0, script).await
    }

    /// [`CannedServer::start`] on a given port of 127.0.0.1 (0 picks one).
    pub async fn start_on(
        port: u16,
        script: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("bound address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let task = {
            let (requests, connections) = (requests.clone(), connections.clone());
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, script.clone(), requests.clone()));
                }
            })
        };
        Self {
            base_url,
            requests,
            connections,
            task,
        }
    }

    /// Always gives the same answer.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// What it was sent so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// A client for one test against this server: every answer seen as it
    /// came (no pacing, no retries), and short timeouts so that a wrong
    /// answer fails the test instead of hanging it.
    pub fn client_builder(&self, credentials: gong_api::Credentials) -> gong_api::ClientBuilder {
        gong_api::Client::builder()
            .base_url(self.base_url())
            .credentials(credentials)
            .rate_limit(None)
            .retry_policy(gong_api::RetryPolicy::never())
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5))
    }
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Script>, requests: Arc<Mutex<Vec<Recorded>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut requests = requests.lock().unwrap_or_else(PoisonError::into_inner);
            requests.push(request.clone());
            requests.len() - 1
        };
        match script(&request, index) {
            Reply::Bytes(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Stall(bytes) => {
                let _ = stream.write_all(&bytes).await;
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            Reply::Close => return,
        }
    }
}

/// Reads one request head (and skips its body); `None` when the peer closed.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let body_length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let consumed = head_end + 4 + body_length;
    while buffer.len() < consumed {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    buffer.drain(..consumed);
    Some(Recorded {
        method,
        target,
        headers,
        at: Instant::now(),
    })
}
