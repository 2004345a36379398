//! The internal credential (`WIBM_INTERNAL_TOKEN`): a shared secret that the
//! gateway (Traefik in containers, the `wibm serve` gateway in one process)
//! adds to requests it has already checked, and that scheduler_api adds to
//! its fetcher calls. The mutating services refuse their routes without it,
//! so a caller that goes around the gateway to a service's own port (any
//! local user in one process, any container on the network) is refused.
use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode},
    middleware::{self, Next},
    response::Response,
};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// The header carrying the token.
pub const HEADER: &str = "x-wibm-internal";

/// The token. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct InternalToken(SecretString);

impl std::fmt::Debug for InternalToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InternalToken([redacted])")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("WIBM_INTERNAL_TOKEN must be printable ASCII without spaces (e.g. `openssl rand -hex 32`)")]
    NotAHeaderValue,
    #[error("WIBM_INTERNAL_TOKEN is required in a container: set it in .env (e.g. `openssl rand -hex 32`)")]
    MissingInContainer,
}

impl InternalToken {
    /// A fresh random token (244 bits from the OS's random source), for a
    /// stack that starts every service itself.
    pub fn generate() -> Self {
        let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        Self(token.into())
    }

    /// The configured token; unset or empty means none (no check).
    pub fn from_config(value: Option<&SecretString>) -> Result<Option<Self>, TokenError> {
        let Some(value) = value.filter(|v| !v.expose_secret().is_empty()) else { return Ok(None) };
        if !value.expose_secret().bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::NotAHeaderValue);
        }
        Ok(Some(Self(value.clone())))
    }

    /// As [`InternalToken::from_config`] for a service binary: inside a
    /// container the token is required, so a misconfigured deployment does
    /// not run with its mutating routes open to the network.
    pub fn required_in_container(value: Option<&SecretString>) -> Result<Option<Self>, TokenError> {
        match Self::from_config(value)? {
            None if crate::config::in_container() => Err(TokenError::MissingInContainer),
            token => Ok(token),
        }
    }

    /// The token as a secret, to hand to a service's configuration.
    pub fn to_secret(&self) -> SecretString {
        self.0.clone()
    }

    /// Whether `presented` is the token, in time independent of where they differ.
    pub fn matches(&self, presented: &[u8]) -> bool {
        self.0.expose_secret().as_bytes().ct_eq(presented).into()
    }

    /// The header value to send, marked sensitive so it is never logged.
    pub fn header_value(&self) -> HeaderValue {
        let mut value = HeaderValue::from_str(self.0.expose_secret()).expect("checked to be printable ASCII");
        value.set_sensitive(true);
        value
    }
}

async fn require(State(token): State<InternalToken>, req: Request, next: Next) -> Response {
    if req.headers().get(HEADER).is_some_and(|v| token.matches(v.as_bytes())) {
        return next.run(req).await;
    }
    crate::error::error_response(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this route is only reachable through the gateway, with credentials",
    )
}

/// Makes every route of `routes` require the token, when there is one.
/// Unknown paths keep their 404 (the check is a route layer).
pub fn guard<S: Clone + Send + Sync + 'static>(routes: Router<S>, token: Option<InternalToken>) -> Router<S> {
    match token {
        Some(token) => routes.route_layer(middleware::from_fn_with_state(token, require)),
        None => routes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{body::Body, routing::post};
    use tower::ServiceExt;

    fn secret(s: &str) -> SecretString {
        s.to_string().into()
    }

    #[test]
    fn empty_means_none_and_odd_bytes_are_refused() {
        assert!(InternalToken::from_config(None).unwrap().is_none());
        assert!(InternalToken::from_config(Some(&secret(""))).unwrap().is_none());
        assert!(InternalToken::from_config(Some(&secret("has space"))).is_err());
        let token = InternalToken::from_config(Some(&secret("s3cret"))).unwrap().unwrap();
        assert!(token.matches(b"s3cret"));
        assert!(!token.matches(b"s3cre"));
        assert!(!token.matches(b"s3cret!"));
        assert!(!format!("{token:?}").contains("s3cret"), "never printed");
        let generated = InternalToken::generate();
        assert_eq!(generated.header_value().len(), 64);
        assert!(!generated.matches(InternalToken::generate().header_value().as_bytes()));
    }

    #[tokio::test]
    async fn guarded_routes_need_the_header() {
        let token = InternalToken::generate();
        let app = guard(Router::new().route("/x", post(|| async { "done" })), Some(token.clone()));
        let call = |value: Option<HeaderValue>, path: &str| {
            let mut req = Request::post(path).body(Body::empty()).unwrap();
            if let Some(v) = value {
                req.headers_mut().insert(HEADER, v);
            }
            app.clone().oneshot(req)
        };
        assert_eq!(call(None, "/x").await.unwrap().status(), StatusCode::UNAUTHORIZED);
        let wrong = HeaderValue::from_static("nope");
        let refused = call(Some(wrong), "/x").await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        let body = axum::body::to_bytes(refused.into_body(), 1024).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{body}");
        assert_eq!(call(Some(token.header_value()), "/x").await.unwrap().status(), StatusCode::OK);
        assert_eq!(call(None, "/other").await.unwrap().status(), StatusCode::NOT_FOUND);
    }
}
