//! The one error type of the pages: a 404 page, a 503 page that reloads
//! itself, or an opaque 500 page. Details go to the log, never to the page.
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::client::ContentError;
use crate::views;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// What the visitor asked for, e.g. "season 1900".
    #[error("{0} not found")]
    NotFound(String),
    /// A query parameter that cannot be right, named (`delay`).
    #[error("invalid {parameter}: {message}")]
    BadParameter { parameter: &'static str, message: String },
    #[error("data service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl PageError {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    /// Maps a content_api failure, naming `what` for a 404.
    pub fn from_content(e: ContentError, what: &str) -> Self {
        match e {
            ContentError::NotFound(_) => Self::NotFound(what.to_string()),
            ContentError::Unavailable(d) => Self::Unavailable(d),
            ContentError::Invalid(d) => Self::Internal(d),
        }
    }
}

/// The retry delay of the 503 page, set by the router for each request.
#[derive(Clone, Copy, Debug)]
pub struct RetryAfter(pub u64);

tokio::task_local! {
    pub(crate) static RETRY: RetryAfter;
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let retry = RETRY.try_with(|r| r.0).unwrap_or(10);
        match self {
            Self::NotFound(what) => {
                (StatusCode::NOT_FOUND, Html(views::errors::not_found(&what).into_string())).into_response()
            }
            Self::BadParameter { parameter, message } => {
                let page = views::errors::bad_parameter(parameter, &message);
                (StatusCode::BAD_REQUEST, Html(page.into_string())).into_response()
            }
            Self::Unavailable(detail) => {
                tracing::warn!(%detail, "content_api unavailable");
                let mut res = (StatusCode::SERVICE_UNAVAILABLE, Html(views::errors::unavailable(retry).into_string()))
                    .into_response();
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry));
                res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
            Self::Internal(detail) => {
                tracing::error!(%detail, "page failed");
                let id = common::request_id::current().unwrap_or_default();
                (StatusCode::INTERNAL_SERVER_ERROR, Html(views::errors::internal(&id).into_string())).into_response()
            }
        }
    }
}
