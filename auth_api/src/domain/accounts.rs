//! Users: creation (registration, admins, the CLI, the first admin),
//! listing, role changes and disabling.
use protobuf::v1::User;
use secrecy::SecretString;

use super::{Email, Identity, Password, Role, UserView, now_unix};
use crate::error::AuthError;
use crate::state::AppState;

/// Creates a user with `role`. The password must have at least 12
/// characters; it is stored only as an argon2id hash. `Conflict` when the
/// email is taken. This is what `wibm user add EMAIL [--admin]` calls.
pub async fn create_user(
    state: &AppState,
    email: &str,
    password: SecretString,
    role: Role,
) -> Result<UserView, AuthError> {
    let email = Email::parse(email)?;
    let password = Password::new(password)?;
    // Checked first so a taken email costs no hashing.
    if state.accounts().user_by_email(email.as_str()).await?.is_some() {
        return Err(AuthError::Conflict("an account with this email exists".into()));
    }
    let password_hash = state.hasher().hash(&password).await?;
    let now = now_unix();
    let user = User {
        id: uuid::Uuid::now_v7().to_string(),
        email: email.as_str().to_string(),
        password_hash,
        role: role.as_str().to_string(),
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    let view = UserView::try_from(&user)?;
    state.accounts().put_user(user).await.map_err(|e| match e {
        AuthError::Conflict(_) => AuthError::Conflict("an account with this email exists".into()),
        other => other,
    })?;
    tracing::info!(user_id = %view.id, role = %role, "user created");
    Ok(view)
}

/// What [`ensure_admin`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bootstrap {
    Created,
    /// An account with this email exists already; it is left untouched.
    Existed,
}

/// Creates the first admin (`WIBM_ADMIN_EMAIL`/`WIBM_ADMIN_PASSWORD`) unless
/// the account exists. Idempotent: an existing account keeps its password
/// and role.
pub async fn ensure_admin(state: &AppState, email: &str, password: SecretString) -> Result<Bootstrap, AuthError> {
    let parsed = Email::parse(email)?;
    if let Some(existing) = state.accounts().user_by_email(parsed.as_str()).await? {
        if existing.role != Role::Admin.as_str() {
            tracing::warn!(user_id = %existing.id, "the configured admin account exists as a viewer; not promoting it");
        }
        return Ok(Bootstrap::Existed);
    }
    match create_user(state, email, password, Role::Admin).await {
        Ok(_) => Ok(Bootstrap::Created),
        // Another replica created it in between.
        Err(AuthError::Conflict(_)) => Ok(Bootstrap::Existed),
        Err(e) => Err(e),
    }
}

pub async fn get_user(state: &AppState, id: &str) -> Result<UserView, AuthError> {
    let user = state.accounts().user_by_id(id).await?.ok_or(AuthError::NotFound("user"))?;
    UserView::try_from(&user)
}

/// One page (1-based) of users sorted by email, and the total.
pub async fn list_users(state: &AppState, page: i32, per_page: i32) -> Result<(Vec<UserView>, i32), AuthError> {
    let (users, total) = state.accounts().users(page, per_page).await?;
    let views = users.iter().map(UserView::try_from).collect::<Result<_, _>>()?;
    Ok((views, total))
}

/// What an admin may change on a user.
#[derive(Debug, Default)]
pub struct UserChange {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub password: Option<SecretString>,
}

/// Applies `change` to user `id`. An admin cannot demote or disable
/// themselves, so the last admin cannot lock everyone out by mistake.
pub async fn update_user(
    state: &AppState,
    actor: &Identity,
    id: &str,
    change: UserChange,
) -> Result<UserView, AuthError> {
    let mut user = state.accounts().user_by_id(id).await?.ok_or(AuthError::NotFound("user"))?;
    let demotes = change.role.is_some_and(|r| r != Role::Admin);
    if actor.user_id == user.id && (demotes || change.disabled == Some(true)) {
        return Err(AuthError::Conflict("you cannot demote or disable your own account".into()));
    }
    if let Some(role) = change.role {
        user.role = role.as_str().to_string();
    }
    if let Some(disabled) = change.disabled {
        user.disabled = disabled;
    }
    if let Some(password) = change.password {
        user.password_hash = state.hasher().hash(&Password::new(password)?).await?;
    }
    user.updated_at = now_unix();
    let view = UserView::try_from(&user)?;
    state.accounts().put_user(user).await?;
    tracing::info!(user_id = %view.id, actor = %actor.user_id, role = %view.role, disabled = view.disabled, "user updated");
    Ok(view)
}
