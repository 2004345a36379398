//! Account records for auth_api: users, API keys and refresh tokens. Only
//! hashes are stored (the caller hashes); these are never cached.
use protobuf::DomainError;
use protobuf::PageSpec;
use protobuf::v1::{
    ApiKey, ApiKeyKey, ApiKeyResponse, ApiKeysResponse, Page, RefreshToken, RefreshTokenKey, RefreshTokenResponse,
    User, UserKey, UserResponse, UsersResponse,
};

use super::{Repo, Result, decode, decode_all, keys, validate};
use crate::store::{Batch, Collection};

impl Repo {
    pub async fn write_user(&self, user: User) -> Result<i64> {
        validate::user(&user)?;
        // Emails are unique; MongoDB enforces it with an index too.
        if let Some(existing) = self.user_by_email(&user.email).await?
            && existing.id != user.id
        {
            return Err(DomainError::Conflict(format!("another user has email {}", user.email)));
        }
        let mut batch = Batch::default();
        batch.put(keys::put_user(&user));
        self.commit(batch, vec![]).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let docs = self.store.scan(Collection::Users, "").await?;
        Ok(decode_all::<User>(&docs)?.into_iter().find(|u| u.email == email))
    }

    pub async fn user(&self, key: UserKey) -> Result<UserResponse> {
        let user = match (key.id.is_empty(), key.email.is_empty()) {
            (false, true) => match self.store.get(Collection::Users, &key.id).await? {
                Some(d) => Some(decode::<User>(&d)?),
                None => None,
            },
            (true, false) => self.user_by_email(&key.email.to_lowercase()).await?,
            _ => return Err(DomainError::invalid("id", "give exactly one of id or email")),
        };
        let user = user.ok_or_else(|| DomainError::not_found("user"))?;
        Ok(UserResponse { user: Some(user) })
    }

    pub async fn users(&self, page: Page) -> Result<UsersResponse> {
        let page = PageSpec::from_wire(Some(&page))?;
        let docs = self.store.scan(Collection::Users, "").await?;
        let mut users: Vec<User> = decode_all(&docs)?;
        users.sort_by(|a, b| a.email.cmp(&b.email));
        let total = users.len() as i32;
        Ok(UsersResponse { users: page.slice(users), total })
    }

    pub async fn write_api_key(&self, key: ApiKey) -> Result<i64> {
        for (name, v) in [("id", &key.id), ("user_id", &key.user_id), ("key_hash", &key.key_hash)] {
            if v.is_empty() {
                return Err(DomainError::invalid(name, "must not be empty"));
            }
        }
        let mut batch = Batch::default();
        batch.put(keys::put_api_key(&key));
        self.commit(batch, vec![]).await
    }

    async fn find_api_key(&self, key: &ApiKeyKey) -> Result<Option<ApiKey>> {
        match (key.id.is_empty(), key.key_hash.is_empty()) {
            (true, false) => match self.store.get(Collection::ApiKeys, &key.key_hash).await? {
                Some(d) => Ok(Some(decode(&d)?)),
                None => Ok(None),
            },
            (false, true) => {
                let docs = self.store.scan(Collection::ApiKeys, "").await?;
                Ok(decode_all::<ApiKey>(&docs)?.into_iter().find(|k| k.id == key.id))
            }
            _ => Err(DomainError::invalid("id", "give exactly one of id or key_hash")),
        }
    }

    pub async fn api_key(&self, key: ApiKeyKey) -> Result<ApiKeyResponse> {
        let found = self.find_api_key(&key).await?.ok_or_else(|| DomainError::not_found("api key"))?;
        Ok(ApiKeyResponse { key: Some(found) })
    }

    /// Keys of one user, or of every user when the key is empty.
    pub async fn api_keys(&self, user: UserKey) -> Result<ApiKeysResponse> {
        let docs = self.store.scan(Collection::ApiKeys, "").await?;
        let keys =
            decode_all::<ApiKey>(&docs)?.into_iter().filter(|k| user.id.is_empty() || k.user_id == user.id).collect();
        Ok(ApiKeysResponse { keys })
    }

    pub async fn delete_api_key(&self, key: ApiKeyKey) -> Result<i64> {
        let found = self.find_api_key(&key).await?.ok_or_else(|| DomainError::not_found("api key"))?;
        let mut batch = Batch::default();
        batch.delete(Collection::ApiKeys, found.key_hash);
        self.commit(batch, vec![]).await
    }

    pub async fn write_refresh_tokens(&self, tokens: Vec<RefreshToken>) -> Result<i64> {
        let mut batch = Batch::default();
        for (i, t) in tokens.iter().enumerate() {
            if t.token_hash.is_empty() || t.user_id.is_empty() || t.family_id.is_empty() {
                return Err(DomainError::invalid(
                    format!("tokens[{i}]"),
                    "token_hash, user_id and family_id are required",
                ));
            }
            batch.put(keys::put_refresh_token(t));
        }
        self.commit(batch, vec![]).await
    }

    pub async fn refresh_token(&self, key: RefreshTokenKey) -> Result<RefreshTokenResponse> {
        if key.token_hash.is_empty() {
            return Err(DomainError::invalid("token_hash", "must not be empty"));
        }
        let doc = self.store.get(Collection::RefreshTokens, &key.token_hash).await?;
        let token = doc
            .map(|d| decode::<RefreshToken>(&d))
            .transpose()?
            .ok_or_else(|| DomainError::not_found("refresh token"))?;
        Ok(RefreshTokenResponse { token: Some(token) })
    }

    /// Revokes every token of a family in one write.
    pub async fn revoke_refresh_family(&self, key: RefreshTokenKey) -> Result<i64> {
        if key.family_id.is_empty() {
            return Err(DomainError::invalid("family_id", "must not be empty"));
        }
        let docs = self.store.scan(Collection::RefreshTokens, "").await?;
        let mut batch = Batch::default();
        for mut t in decode_all::<RefreshToken>(&docs)? {
            if t.family_id == key.family_id && !t.revoked {
                t.revoked = true;
                batch.put(keys::put_refresh_token(&t));
            }
        }
        self.commit(batch, vec![]).await
    }
}
