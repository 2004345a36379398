//! The one HTTP error type: every failure names the source, the URL path
//! and what was wrong; 400 for bad parameters, 502 when an upstream failed
//! or answered something invalid, 503 when data_scheduler is unreachable.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use common::error::{HttpError, error_response};
use protobuf::DomainError;

use crate::error::FetchError;
use crate::upstream::{SourceName, UpstreamError};

#[derive(Debug)]
pub struct ApiError {
    /// The route's URL path, e.g. `/fetcher/v1/fetch/rounds`.
    pub route: &'static str,
    pub source: SourceName,
    pub error: FetchError,
}

impl ApiError {
    pub fn new(route: &'static str, source: SourceName, error: impl Into<FetchError>) -> Self {
        Self { route, source, error: error.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (route, source) = (self.route, self.source);
        match self.error {
            FetchError::Param { field, message } => HttpError {
                status: StatusCode::BAD_REQUEST,
                code: "invalid_parameter",
                message: format!("{source}: {route}: invalid {field}: {message}"),
                parameter: Some(field),
            }
            .into_response(),
            FetchError::Upstream(e) => {
                let code = match e {
                    UpstreamError::Invalid { .. } => "upstream_invalid",
                    UpstreamError::Timeout { .. } => "upstream_timeout",
                    _ => "upstream_failed",
                };
                error_response(StatusCode::BAD_GATEWAY, code, format!("{route}: {e}; nothing was written"))
            }
            FetchError::Store(DomainError::Unavailable(detail)) => {
                tracing::warn!(%route, %detail, "data_scheduler unreachable");
                error_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "data_scheduler_unavailable",
                    format!("{source}: {route}: data_scheduler is unreachable; nothing was fetched or written"),
                )
            }
            FetchError::Store(DomainError::RateLimited { .. }) => error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "data_scheduler_busy",
                format!("{source}: {route}: data_scheduler is rate limiting; try again later"),
            ),
            // data_scheduler refused what the upstream sent: the upstream's
            // answer failed validation.
            FetchError::Store(DomainError::Invalid { field, message }) => error_response(
                StatusCode::BAD_GATEWAY,
                "upstream_rejected",
                format!(
                    "{source}: {route}: data_scheduler rejected the data: invalid {field}: {message}; nothing was written"
                ),
            ),
            FetchError::Store(other) => {
                tracing::error!(%route, %source, error = %other, "sync failed inside data_scheduler");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    format!("{source}: {route}: internal error"),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(error: FetchError) -> StatusCode {
        ApiError::new("/fetcher/v1/fetch/rounds", SourceName::Jolpica, error).into_response().status()
    }

    #[test]
    fn statuses_follow_the_issue() {
        assert_eq!(status_of(FetchError::param("season", "`abc` is not a year")), StatusCode::BAD_REQUEST);
        let upstream = UpstreamError::Status { upstream: SourceName::Jolpica, path: "/x".into(), status: 500 };
        assert_eq!(status_of(upstream.into()), StatusCode::BAD_GATEWAY);
        assert_eq!(
            status_of(FetchError::Store(DomainError::Unavailable("down".into()))),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(status_of(FetchError::Store(DomainError::Internal("x".into()))), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
