//! What every request goes through: pacing to Gong's rate limit, retries of
//! transient failures, buffering of the body, and debug logging. Wired in
//! through progenitor's `ClientHooks`, so generated methods cannot bypass it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, Response, StatusCode, Url};
use tokio::time::Instant;
use url::form_urlencoded;

use crate::response::{Answer, Unread};
use crate::{Client, GeneratedError};

/// How transient failures are retried: 429, 502, 503 and 504 answers and
/// failed connections, for idempotent requests only. Plain data: read it,
/// change it with the `with_` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// First backoff when Gong gives no `Retry-After`; doubles each retry,
    /// with jitter.
    pub initial_backoff: Duration,
    /// Longest single wait. A `Retry-After` beyond it (Gong's daily quota
    /// asks for hours) fails at once with [`Error::RateLimited`](crate::Error::RateLimited).
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn never() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    pub fn with_max_retries(self, max_retries: u32) -> Self {
        Self {
            max_retries,
            ..self
        }
    }

    pub fn with_initial_backoff(self, initial_backoff: Duration) -> Self {
        Self {
            initial_backoff,
            ..self
        }
    }

    pub fn with_max_wait(self, max_wait: Duration) -> Self {
        Self { max_wait, ..self }
    }

    /// Exponential backoff with "equal jitter": half the step, plus a random
    /// part of the other half, so that concurrent clients spread out.
    fn backoff(&self, retry: u32) -> Duration {
        let step = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_wait);
        let half = step / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// A client-side limit on request starts: `calls` per `per`, evenly spaced
/// with 1 % to spare, so that a server counting over the same window never
/// sees one too many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    calls: u32,
    per: Duration,
}

impl RateLimit {
    /// Gong's documented limit: 3 calls per second per company.
    pub const GONG: Self = Self {
        calls: 3,
        per: Duration::from_secs(1),
    };

    pub const fn new(calls: u32, per: Duration) -> Self {
        Self { calls, per }
    }

    pub const fn per_second(calls: u32) -> Self {
        Self::new(calls, Duration::from_secs(1))
    }

    /// Time between two request starts; `None` for a limit that allows nothing.
    pub(crate) fn interval(&self) -> Option<Duration> {
        let interval = (self.calls > 0).then(|| self.per / self.calls)?;
        (!interval.is_zero() && interval <= Self::LONGEST_INTERVAL).then_some(interval)
    }

    /// Slower than one call a day is a misconfiguration, and would overflow
    /// the clock arithmetic of pacing.
    const LONGEST_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);
}

/// Per-client state behind every request: the retry policy and the pacing
/// budget. Cloning a [`Client`] shares the budget; made by
/// [`ClientBuilder`](crate::ClientBuilder).
#[derive(Debug, Clone)]
pub struct RequestPolicy {
    retry: RetryPolicy,
    pacer: Option<Arc<Pacer>>,
    max_body_bytes: usize,
}

impl RequestPolicy {
    /// `rate_limit: None` sends as fast as the caller asks.
    /// Only the builder makes one, so that every client has its checks.
    pub(crate) fn new(
        retry: RetryPolicy,
        rate_limit: Option<RateLimit>,
        max_body_bytes: usize,
    ) -> Self {
        // Starts spaced exactly `per / calls` apart put every fourth one at
        // the edge of a server's one-second window, where a millisecond of
        // timer jitter makes it a 429 and a one-second wait. 1 % wider keeps
        // them inside the limit for 1 % of the throughput.
        let pacer = rate_limit
            .and_then(|limit| limit.interval())
            .map(|interval| Arc::new(Pacer::new(interval + interval / 100)));
        Self {
            retry,
            pacer,
            max_body_bytes,
        }
    }

    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Sends `request`, retrying as the policy allows, and returns the last
    /// answer with its body read into memory.
    async fn execute(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let can_retry = is_idempotent(request.method());
        let mut request = request;
        let mut retry = 0;
        loop {
            let spare = (can_retry && retry < self.retry.max_retries)
                .then(|| request.try_clone())
                .flatten();
            if let Some(pacer) = &self.pacer {
                pacer.wait_turn().await;
            }
            let started = Instant::now();
            let outcome = send(client, request, self.max_body_bytes).await;
            log_attempt(info, retry, &outcome, started.elapsed());
            let Some(next) = spare else { return outcome };
            let Some(wait) = self.retry_wait(&outcome, retry) else {
                return outcome;
            };
            tracing::debug!(
                operation = info.operation_id,
                retry = retry + 1,
                max_retries = self.retry.max_retries,
                status = outcome.as_ref().ok().map(|r| r.status().as_u16()),
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            request = next;
            retry += 1;
        }
    }

    /// How long to wait before retrying, or `None` to stop here.
    fn retry_wait(&self, outcome: &reqwest::Result<Response>, retry: u32) -> Option<Duration> {
        match outcome {
            Ok(response) if is_transient(response.status()) => {
                match retry_after(response.headers()) {
                    // Asked to wait longer than allowed: give up now, so that the
                    // caller learns when to come back instead of sleeping.
                    Some(wait) if wait > self.retry.max_wait => None,
                    Some(wait) => Some(wait),
                    None => Some(self.retry.backoff(retry)),
                }
            }
            // A refused or dropped connection; not a timeout, which would
            // multiply the time the caller waits.
            Err(err) if !err.is_timeout() && (err.is_connect() || err.is_request()) => {
                Some(self.retry.backoff(retry))
            }
            _ => None,
        }
    }
}

/// One budget of evenly spaced request starts, shared by all clones of a
/// client. Each caller books the next free slot and sleeps until it: a few
/// lines on tokio's clock, where a rate-limiter crate would bring its own.
#[derive(Debug)]
struct Pacer {
    interval: Duration,
    next_slot: Mutex<Option<Instant>>,
}

impl Pacer {
    fn new(interval: Duration) -> Self {
        Self {
            interval,
            next_slot: Mutex::new(None),
        }
    }

    async fn wait_turn(&self) {
        let slot = {
            let mut next_slot = self
                .next_slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next_slot.map_or(now, |next| next.max(now));
            *next_slot = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// Sends one request. `200 OK` answers, the success status of all but two
/// of Gong's operations, are left for `decode` to read under the client's
/// body-size limit; every other answer is read whole here, under the same
/// limit, so that errors can show what came back. The request timeout
/// covers reading the body in both cases.
async fn send(
    client: &reqwest::Client,
    request: reqwest::Request,
    max_body_bytes: usize,
) -> reqwest::Result<Response> {
    let mut response = client.execute(request).await?;
    if response.status() == StatusCode::OK {
        response.extensions_mut().insert(Unread {
            limit: max_body_bytes,
        });
        return Ok(response);
    }
    let answer = Answer::read(&mut response, max_body_bytes).await?;
    Ok(answer.into_response(response.url().clone()))
}

fn log_attempt(
    info: &OperationInfo,
    retry: u32,
    outcome: &reqwest::Result<Response>,
    elapsed: Duration,
) {
    let elapsed_ms = elapsed.as_millis() as u64;
    match outcome {
        Ok(response) => tracing::debug!(
            operation = info.operation_id,
            retry,
            status = response.status().as_u16(),
            // The body read so far; for a `200 OK`, which `decode` reads
            // later, its `Content-Length`, if any.
            content_length = response.content_length(),
            elapsed_ms,
            "answer"
        ),
        Err(err) => {
            tracing::debug!(operation = info.operation_id, retry, error = %err, elapsed_ms, "no answer")
        }
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

fn is_transient(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// `Retry-After` as a wait: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "wait very long", not "absent".
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The name of the first query parameter whose value is empty or white space.
fn blank_query_parameter(url: &Url) -> Option<String> {
    url.query()?
        .split('&')
        // A serialized URL holds no raw white space: only an empty value, or
        // one with `%` or `+`, can be blank, and only those are decoded.
        .filter(|pair| {
            pair.split_once('=')
                .is_none_or(|(_, value)| value.is_empty() || value.contains(['%', '+']))
        })
        .flat_map(|pair| form_urlencoded::parse(pair.as_bytes()))
        .find(|(_, value)| value.trim().is_empty())
        .map(|(name, _)| name.into_owned())
}

impl ClientHooks<RequestPolicy> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), GeneratedError<E>> {
        // Gong answers an empty id with a bare 400; say what is wrong instead.
        match blank_query_parameter(request.url()) {
            Some(name) => Err(GeneratedError::InvalidRequest(format!(
                "query parameter `{name}` is empty"
            ))),
            None => Ok(()),
        }
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        self.inner().execute(self.client(), request, info).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn four_starts_at_gongs_limit_span_just_over_one_second() {
        let policy = RequestPolicy::new(RetryPolicy::default(), Some(RateLimit::GONG), 1);
        let pacer = policy.pacer.expect("Gong's limit paces");
        let first = Instant::now();
        for _ in 0..4 {
            pacer.wait_turn().await;
        }
        let span = first.elapsed();
        assert!(
            span > Duration::from_secs(1) && span <= Duration::from_millis(1010),
            "{span:?}"
        );
    }
}
