//! `POST /auth/v1/register`, `/login`, `/refresh`, `/logout`; `GET /auth/v1/me`.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use secrecy::SecretString;
use serde::Deserialize;

use super::{ApiJson, Authenticated, ClientAddr};
use crate::domain::{Role, UserView, accounts, session};
use crate::error::AuthError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: SecretString,
}

#[derive(Deserialize)]
pub struct RefreshBody {
    refresh_token: SecretString,
}

/// Open registration (off unless `WIBM_AUTH_OPEN_REGISTRATION=true`); new
/// accounts are viewers.
pub async fn register(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<(StatusCode, Json<UserView>), AuthError> {
    if !state.settings().open_registration {
        return Err(AuthError::RegistrationClosed);
    }
    let user = accounts::create_user(&state, &body.email, body.password, Role::Viewer).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<impl IntoResponse, AuthError> {
    let tokens = session::login(&state, &body.email, &body.password, &client).await?;
    Ok(no_store(Json(tokens)))
}

pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshBody>,
) -> Result<impl IntoResponse, AuthError> {
    Ok(no_store(Json(session::refresh(&state, &body.refresh_token).await?)))
}

pub async fn logout(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshBody>,
) -> Result<StatusCode, AuthError> {
    session::logout(&state, &body.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(State(state): State<AppState>, Authenticated(me): Authenticated) -> Result<Json<UserView>, AuthError> {
    Ok(Json(accounts::get_user(&state, &me.user_id).await?))
}

/// Answers carrying tokens must not be cached by anything on the way.
fn no_store(body: impl IntoResponse) -> impl IntoResponse {
    ([(axum::http::header::CACHE_CONTROL, "no-store")], body)
}
