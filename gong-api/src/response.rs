//! Answers read whole into memory, and decoded so that a failure keeps
//! everything an error report needs.

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::{Response, ResponseBuilderExt, StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::{GeneratedError, ResponseValue};

/// A response body read into memory by the request policy, kept in the
/// response's extensions so that errors can quote it.
#[derive(Debug, Clone)]
pub(crate) struct BufferedBody(pub(crate) Bytes);

/// Set when a body was cut off at the client's size limit, in bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Oversized(pub(crate) usize);

/// Why a body did not decode into its documented type.
#[derive(Debug, Clone)]
pub(crate) struct DecodeFailure(pub(crate) String);

/// Set by the request policy on a `200 OK` answer whose body it left for
/// [`decode`] to read, up to `limit` bytes: re-wrapping an answer that
/// decodes would cost more than the rest of the client's work on a call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unread {
    pub(crate) limit: usize,
}

/// An answer with its body in memory, read up to the client's size limit.
/// Its URL stays in the response it came from: only a failure needs it.
pub(crate) struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    oversized: Option<usize>,
}

impl Answer {
    /// Reads the whole body of `response`, or stops after `limit` bytes:
    /// what arrived by then is enough for the error.
    pub(crate) async fn read(response: &mut Response, limit: usize) -> reqwest::Result<Self> {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let expected = response.content_length().unwrap_or(0).min(limit as u64) as usize;
        let mut body = BytesMut::with_capacity(expected);
        let mut oversized = None;
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > limit {
                oversized = Some(limit);
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Self {
            status,
            headers,
            body: body.freeze(),
            oversized,
        })
    }

    /// An answer the request policy already read with [`Answer::read`].
    fn from_buffered(response: &mut Response) -> Self {
        let extensions = response.extensions();
        Self {
            status: response.status(),
            body: extensions
                .get::<BufferedBody>()
                .map_or_else(Bytes::new, |b| b.0.clone()),
            oversized: extensions.get::<Oversized>().map(|o| o.0),
            headers: std::mem::take(response.headers_mut()),
        }
    }

    /// A response from `url` again, its body also kept as a [`BufferedBody`]
    /// (and the cut-off as [`Oversized`]) where the synchronous error
    /// conversion can read them.
    pub(crate) fn into_response(self, url: Url) -> Response {
        // Giving reqwest the URL saves it parsing a placeholder. The builder
        // cannot fail with only a URL set; if it ever did, the answer would
        // just show reqwest's placeholder URL.
        let (mut parts, ()) = http::Response::builder()
            .url(url)
            .body(())
            .unwrap_or_default()
            .into_parts();
        parts.status = self.status;
        parts.headers = self.headers;
        parts.extensions.insert(BufferedBody(self.body.clone()));
        if let Some(limit) = self.oversized {
            parts.extensions.insert(Oversized(limit));
        }
        Response::from(http::Response::from_parts(parts, self.body))
    }
}

/// What the generated code calls instead of `ResponseValue::from_response`
/// (the generator reroutes it): the same decoding, but a body that does not
/// fit its type comes back as `UnexpectedResponse` with its status, headers
/// and body, instead of `InvalidResponsePayload`, which keeps none of them.
pub(crate) async fn decode<T: DeserializeOwned, E>(
    mut response: Response,
) -> Result<ResponseValue<T>, GeneratedError<E>> {
    let answer = match response.extensions().get::<Unread>() {
        Some(&Unread { limit }) => Answer::read(&mut response, limit)
            .await
            .map_err(GeneratedError::ResponseBodyError)?,
        None => Answer::from_buffered(&mut response),
    };
    let failure = match answer.oversized {
        Some(_) => None,
        None => match serde_json::from_slice(&answer.body) {
            Ok(value) => return Ok(ResponseValue::new(value, answer.status, answer.headers)),
            Err(err) => Some(DecodeFailure(err.to_string())),
        },
    };
    let mut kept = answer.into_response(response.url().clone());
    if let Some(failure) = failure {
        kept.extensions_mut().insert(failure);
    }
    Err(GeneratedError::UnexpectedResponse(kept))
}
