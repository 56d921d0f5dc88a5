//! Answers read whole into memory, and decoded so that a failure keeps
//! everything an error report needs.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};
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

/// A response whose body is `body`, also kept as a [`BufferedBody`].
pub(crate) fn buffered(status: StatusCode, headers: HeaderMap, body: Bytes) -> Response {
    let mut response = http::Response::new(body.clone());
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response.extensions_mut().insert(BufferedBody(body));
    Response::from(response)
}

/// What the generated code calls instead of `ResponseValue::from_response`
/// (the generator reroutes it): the same decoding, but a body that does not
/// fit its type comes back as `UnexpectedResponse` with its status, headers
/// and body, instead of `InvalidResponsePayload`, which keeps none of them.
pub(crate) async fn decode<T: DeserializeOwned, E>(
    response: Response,
) -> Result<ResponseValue<T>, GeneratedError<E>> {
    if response.extensions().get::<Oversized>().is_some() {
        return Err(GeneratedError::UnexpectedResponse(response));
    }
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(GeneratedError::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(err) => {
            let mut kept = buffered(status, headers, body);
            kept.extensions_mut().insert(DecodeFailure(err.to_string()));
            Err(GeneratedError::UnexpectedResponse(kept))
        }
    }
}
