//! API keys for programs: `wibm_` followed by 64 hex characters, shown once
//! at creation and stored only as a SHA-256 hash. A key acts as its user
//! (with the user's current role) until deleted or the user is disabled.
use protobuf::v1::ApiKey;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::tokens::{random_secret, sha256_hex};
use super::{Identity, now_unix};
use crate::error::AuthError;
use crate::state::AppState;

pub const KEY_PREFIX: &str = "wibm_";
/// Characters of the key kept in clear to recognise it in a list.
const SHOWN_CHARS: usize = 12;

/// A key as listed: never the key nor its hash.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ApiKeyView {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: i64,
}

impl From<&ApiKey> for ApiKeyView {
    fn from(k: &ApiKey) -> Self {
        Self {
            id: k.id.clone(),
            user_id: k.user_id.clone(),
            name: k.name.clone(),
            prefix: k.prefix.clone(),
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        }
    }
}

/// A new key and the one copy of its secret.
#[derive(Serialize)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub view: ApiKeyView,
    #[serde(serialize_with = "expose")]
    pub key: SecretString,
}

fn expose<S: serde::Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

/// Creates a key named `name` for `user_id` (the caller when `None`).
pub async fn create(
    state: &AppState,
    actor: &Identity,
    name: &str,
    user_id: Option<&str>,
) -> Result<CreatedApiKey, AuthError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AuthError::invalid("name", "must be between 1 and 100 characters"));
    }
    let user_id = user_id.unwrap_or(&actor.user_id);
    match state.accounts().user_by_id(user_id).await? {
        Some(user) if !user.disabled => {}
        Some(_) => return Err(AuthError::Conflict("the user is disabled".into())),
        None => return Err(AuthError::NotFound("user")),
    }
    let key = random_secret(KEY_PREFIX);
    let record = ApiKey {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user_id.to_string(),
        name: name.to_string(),
        key_hash: sha256_hex(key.expose_secret()),
        prefix: key.expose_secret().chars().take(SHOWN_CHARS).collect(),
        created_at: now_unix(),
        last_used_at: 0,
    };
    let view = ApiKeyView::from(&record);
    state.accounts().put_api_key(record).await?;
    tracing::info!(key_id = %view.id, user_id = %view.user_id, actor = %actor.user_id, "API key created");
    Ok(CreatedApiKey { view, key })
}

/// Keys of `user_id`, or of everyone.
pub async fn list(state: &AppState, user_id: Option<&str>) -> Result<Vec<ApiKeyView>, AuthError> {
    let keys = state.accounts().api_keys(user_id.unwrap_or_default()).await?;
    Ok(keys.iter().map(ApiKeyView::from).collect())
}

pub async fn delete(state: &AppState, actor: &Identity, id: &str) -> Result<(), AuthError> {
    if !state.accounts().delete_api_key(id).await? {
        return Err(AuthError::NotFound("API key"));
    }
    tracing::info!(key_id = %id, actor = %actor.user_id, "API key deleted");
    Ok(())
}
