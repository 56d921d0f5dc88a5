//! A fast loopback server for the benchmarks: hyper through axum, one thread,
//! answering the users endpoint with a fixed body without copying it, and
//! counting the TCP connections it accepts.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::serve::ListenerExt;
use bytes::Bytes;
use tokio::sync::oneshot;

/// A running server; stops when dropped.
pub struct FastServer {
    base_url: String,
    connections: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FastServer {
    /// Serves `body` as the 200 answer of `GET /v2/permission-profile/users`
    /// on a free port of 127.0.0.1, from a thread of its own.
    pub fn start(body: Bytes) -> Self {
        Self::start_with(body, || {})
    }

    /// [`FastServer::start`], calling `on_thread_start` on the server's
    /// thread first (to leave it out of allocation counts, say).
    pub fn start_with(body: Bytes, on_thread_start: impl FnOnce() + Send + 'static) -> Self {
        let connections = Arc::new(AtomicUsize::new(0));
        let (address_tx, address_rx) = std::sync::mpsc::channel::<SocketAddr>();
        let (shutdown, stopped) = oneshot::channel::<()>();
        let counter = connections.clone();
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                on_thread_start();
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a server runtime");
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                        .await
                        .expect("bind a loopback port");
                    address_tx
                        .send(listener.local_addr().expect("bound address"))
                        .expect("the starter waits");
                    let listener = listener.tap_io(move |tcp| {
                        counter.fetch_add(1, Ordering::SeqCst);
                        let _ = tcp.set_nodelay(true);
                    });
                    let app = Router::new().route(
                        "/v2/permission-profile/users",
                        get(move || {
                            let body = body.clone();
                            async move {
                                (
                                    [
                                        (
                                            header::CONTENT_TYPE,
                                            HeaderValue::from_static(
                                                "application/json; charset=utf-8",
                                            ),
                                        ),
                                        (
                                            header::HeaderName::from_static("x-traceid"),
                                            HeaderValue::from_static("4al018gzaztcr8nbukw"),
                                        ),
                                    ],
                                    body,
                                )
                                    .into_response()
                            }
                        }),
                    );
                    let stop = async {
                        let _ = stopped.await;
                    };
                    axum::serve(listener, app)
                        .with_graceful_shutdown(stop)
                        .await
                        .expect("the server runs");
                });
            })
            .expect("spawn the server thread");
        let address = address_rx.recv().expect("the server starts");
        Self {
            base_url: format!("http://{address}"),
            connections,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FastServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // Graceful shutdown waits for open connections, which the clients
        // may keep alive: do not join, let the thread end with the process.
        drop(self.thread.take());
    }
}
