//! Account records through data_scheduler's gRPC API: the only way
//! auth_api reads or writes them. Only hashes cross this boundary.
use data_scheduler::client::Client;
use protobuf::v1::{ApiKey, ApiKeyKey, Page, RefreshToken, RefreshTokenKey, User, UserKey, WriteRefreshTokensRequest};
use tonic::Code;

use crate::error::AuthError;

type Result<T> = std::result::Result<T, AuthError>;

#[derive(Clone)]
pub struct Accounts {
    client: Client,
}

/// `Ok(None)` for NOT_FOUND, the mapped error otherwise.
fn found<T>(result: std::result::Result<T, tonic::Status>) -> Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(status) if status.code() == Code::NotFound => Ok(None),
        Err(status) => Err(status.into()),
    }
}

impl Accounts {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A cheap call that proves data_scheduler answers (readiness).
    pub async fn ping(&self) -> Result<()> {
        self.client.clone().get_users(Page { page: 1, per_page: Some(1) }).await?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let key = UserKey { email: email.to_string(), ..Default::default() };
        Ok(found(self.client.clone().get_user(key).await)?.and_then(|r| r.into_inner().user))
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>> {
        if id.is_empty() {
            return Ok(None);
        }
        let key = UserKey { id: id.to_string(), ..Default::default() };
        Ok(found(self.client.clone().get_user(key).await)?.and_then(|r| r.into_inner().user))
    }

    /// Creates or replaces a user (emails stay unique: CONFLICT otherwise).
    pub async fn put_user(&self, user: User) -> Result<()> {
        self.client.clone().write_user(user).await?;
        Ok(())
    }

    /// One page of users, sorted by email, and the total count.
    pub async fn users(&self, page: i32, per_page: i32) -> Result<(Vec<User>, i32)> {
        let answer = self.client.clone().get_users(Page { page, per_page: Some(per_page) }).await?.into_inner();
        Ok((answer.users, answer.total))
    }

    pub async fn put_api_key(&self, key: ApiKey) -> Result<()> {
        self.client.clone().write_api_key(key).await?;
        Ok(())
    }

    pub async fn api_key_by_hash(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        let key = ApiKeyKey { key_hash: key_hash.to_string(), ..Default::default() };
        Ok(found(self.client.clone().get_api_key(key).await)?.and_then(|r| r.into_inner().key))
    }

    /// Keys of `user_id`, or of everyone when it is empty.
    pub async fn api_keys(&self, user_id: &str) -> Result<Vec<ApiKey>> {
        let key = UserKey { id: user_id.to_string(), ..Default::default() };
        Ok(self.client.clone().get_api_keys(key).await?.into_inner().keys)
    }

    /// False when no key has this id.
    pub async fn delete_api_key(&self, id: &str) -> Result<bool> {
        let key = ApiKeyKey { id: id.to_string(), ..Default::default() };
        Ok(found(self.client.clone().delete_api_key(key).await)?.is_some())
    }

    /// Writes the tokens in one batch (all or nothing).
    pub async fn put_refresh_tokens(&self, tokens: Vec<RefreshToken>) -> Result<()> {
        self.client.clone().write_refresh_tokens(WriteRefreshTokensRequest { tokens }).await?;
        Ok(())
    }

    pub async fn refresh_token(&self, token_hash: &str) -> Result<Option<RefreshToken>> {
        let key = RefreshTokenKey { token_hash: token_hash.to_string(), ..Default::default() };
        Ok(found(self.client.clone().get_refresh_token(key).await)?.and_then(|r| r.into_inner().token))
    }

    pub async fn revoke_refresh_family(&self, family_id: &str) -> Result<()> {
        let key = RefreshTokenKey { family_id: family_id.to_string(), ..Default::default() };
        self.client.clone().revoke_refresh_token_family(key).await?;
        Ok(())
    }
}
