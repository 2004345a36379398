//! Why a query string is refused; every case names the parameter, so the
//! route answers 400 with content_api's JSON error body through
//! `From<QueryError> for ApiError`.
use crate::error::ApiError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("`{field}` is not a field of {endpoint}")]
    UnknownField { endpoint: &'static str, field: String },
    #[error("`{value}` is not {expected}")]
    BadValue { field: String, value: String, expected: &'static str },
    /// A parameter without `=`, `>`, `>=`, `<` or `<=` (`lap_number`,
    /// `lap_number=`).
    #[error("needs an operator (=, >, >=, <, <=) and a value")]
    NoOperator { parameter: String },
}

impl QueryError {
    /// The parameter the client should fix.
    pub fn parameter(&self) -> &str {
        match self {
            Self::UnknownField { field, .. } | Self::BadValue { field, .. } => field,
            Self::NoOperator { parameter } => parameter,
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        ApiError::bad(e.parameter().to_owned(), e.to_string())
    }
}
