//! Admin only: `GET/POST /auth/v1/users`, `GET/POST/PATCH/DELETE /auth/v1/users/{id}`.
//! DELETE disables the account (its tokens and keys stop working); it is
//! not erased, so its history stays attributable.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use common::extract::{Path, Query};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::{Admin, ApiJson};
use crate::domain::accounts::{self, UserChange};
use crate::domain::{Role, UserView};
use crate::error::AuthError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default = "first_page")]
    page: i32,
    #[serde(default = "default_per_page")]
    per_page: i32,
}

fn first_page() -> i32 {
    1
}
fn default_per_page() -> i32 {
    100
}

#[derive(Serialize)]
pub struct UserList {
    users: Vec<UserView>,
    total: i32,
    page: i32,
    per_page: i32,
}

pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<PageQuery>,
) -> Result<Json<UserList>, AuthError> {
    // Pages count from 1; data_scheduler would read page 0 as the first.
    if q.page < 1 {
        return Err(AuthError::invalid("page", format!("{} is not a page number (pages start at 1)", q.page)));
    }
    let (users, total) = accounts::list_users(&state, q.page, q.per_page).await?;
    Ok(Json(UserList { users, total, page: q.page, per_page: q.per_page }))
}

#[derive(Deserialize)]
pub struct NewUser {
    email: String,
    password: SecretString,
    #[serde(default = "viewer")]
    role: Role,
}

fn viewer() -> Role {
    Role::Viewer
}

pub async fn create(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(body): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<UserView>), AuthError> {
    let user = accounts::create_user(&state, &body.email, body.password, body.role).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> Result<Json<UserView>, AuthError> {
    Ok(Json(accounts::get_user(&state, &id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    role: Option<Role>,
    disabled: Option<bool>,
    password: Option<SecretString>,
}

/// Changes the role, enables/disables, or sets a new password.
pub async fn update(
    State(state): State<AppState>,
    Admin(me): Admin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Change>,
) -> Result<Json<UserView>, AuthError> {
    let change = UserChange { role: body.role, disabled: body.disabled, password: body.password };
    Ok(Json(accounts::update_user(&state, &me, &id, change).await?))
}

pub async fn disable(
    State(state): State<AppState>,
    Admin(me): Admin,
    Path(id): Path<String>,
) -> Result<Json<UserView>, AuthError> {
    let change = UserChange { disabled: Some(true), ..UserChange::default() };
    Ok(Json(accounts::update_user(&state, &me, &id, change).await?))
}
