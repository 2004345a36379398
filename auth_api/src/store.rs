//! Account records through data_scheduler's gRPC API: the only way
//! auth_api reads or writes them. Only hashes cross this boundary.
use data_client::{Client, Found};
use protobuf::v1::{ApiKey, ApiKeyKey, Page, RefreshToken, RefreshTokenKey, User, UserKey, WriteRefreshTokensRequest};

use crate::error::AuthError;

type Result<T> = std::result::Result<T, AuthError>;

#[derive(Clone)]
pub struct Accounts {
    client: Client,
}

impl Accounts {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// data_scheduler's own health check (readiness).
    pub async fn ping(&self) -> Result<()> {
        Ok(self.client.ready().await?)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let key = UserKey { email: email.to_string(), ..Default::default() };
        Ok(self.client.accounts().get_user(key).await.found()?.and_then(|r| r.user))
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>> {
        if id.is_empty() {
            return Ok(None);
        }
        let key = UserKey { id: id.to_string(), ..Default::default() };
        Ok(self.client.accounts().get_user(key).await.found()?.and_then(|r| r.user))
    }

    /// Creates or replaces a user (emails stay unique: CONFLICT otherwise).
    pub async fn put_user(&self, user: User) -> Result<()> {
        self.client.accounts().write_user(user).await?;
        Ok(())
    }

    /// One page of users, sorted by email, and the total count.
    pub async fn users(&self, page: i32, per_page: i32) -> Result<(Vec<User>, i32)> {
        let answer = self.client.accounts().get_users(Page { page, per_page: Some(per_page) }).await?.into_inner();
        Ok((answer.users, answer.total))
    }

    pub async fn put_api_key(&self, key: ApiKey) -> Result<()> {
        self.client.accounts().write_api_key(key).await?;
        Ok(())
    }

    pub async fn api_key_by_hash(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        let key = ApiKeyKey { key_hash: key_hash.to_string(), ..Default::default() };
        Ok(self.client.accounts().get_api_key(key).await.found()?.and_then(|r| r.key))
    }

    /// Keys of `user_id`, or of everyone when it is empty.
    pub async fn api_keys(&self, user_id: &str) -> Result<Vec<ApiKey>> {
        let key = UserKey { id: user_id.to_string(), ..Default::default() };
        Ok(self.client.accounts().get_api_keys(key).await?.into_inner().keys)
    }

    /// False when no key has this id.
    pub async fn delete_api_key(&self, id: &str) -> Result<bool> {
        let key = ApiKeyKey { id: id.to_string(), ..Default::default() };
        Ok(self.client.accounts().delete_api_key(key).await.found()?.is_some())
    }

    /// Writes the tokens in one batch (all or nothing).
    pub async fn put_refresh_tokens(&self, tokens: Vec<RefreshToken>) -> Result<()> {
        self.client.accounts().write_refresh_tokens(WriteRefreshTokensRequest { tokens }).await?;
        Ok(())
    }

    pub async fn refresh_token(&self, token_hash: &str) -> Result<Option<RefreshToken>> {
        let key = RefreshTokenKey { token_hash: token_hash.to_string(), ..Default::default() };
        Ok(self.client.accounts().get_refresh_token(key).await.found()?.and_then(|r| r.token))
    }

    pub async fn revoke_refresh_family(&self, family_id: &str) -> Result<()> {
        let key = RefreshTokenKey { family_id: family_id.to_string(), ..Default::default() };
        self.client.accounts().revoke_refresh_token_family(key).await?;
        Ok(())
    }
}
