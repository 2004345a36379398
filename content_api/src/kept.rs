//! In-process copies of reads, each stamped with when its reads began (the
//! change announcements applied by then): a copy serves only requests that
//! came no earlier (no write was announced in between), and none is used
//! while the announcements are not followed (see [`crate::answers`]). The
//! Ergast API's season reads and the OpenF1 API's session records use them.
use std::sync::Arc;
use std::time::Duration;

use crate::error::ApiError;
use crate::state::AppState;

/// Copies by key, each with when its reads began (the announcements
/// applied by then).
pub(crate) type Copies<K, V> = moka::future::Cache<K, (u64, Arc<V>)>;

/// `key`'s copy in `cache` if no write was announced since its reads
/// began, else what `load` reads now (kept for those who come after).
pub(crate) async fn kept<K, V, F, Fut>(
    app: &AppState,
    cache: &Copies<K, V>,
    key: K,
    load: F,
) -> Result<Arc<V>, ApiError>
where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Arc<V>, ApiError>>,
{
    let Some(now) = app.answers().since() else { return load().await };
    if let Some((began, v)) = cache.get(&key).await {
        if began >= now {
            return Ok(v);
        }
        cache.invalidate(&key).await;
    }
    let (began, v) = cache.try_get_with(key, async { Ok((now, load().await?)) }).await.map_err(shared)?;
    // A concurrent read that began before this request came is not enough.
    if began >= now { Ok(v) } else { load().await }
}

pub(crate) fn cache<K, V>(ttl: Duration, cap: u64) -> moka::future::Cache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    moka::future::Cache::builder().max_capacity(cap).time_to_live(ttl.max(Duration::from_millis(1))).build()
}

fn shared(e: Arc<ApiError>) -> ApiError {
    match &*e {
        ApiError::BadParameter { parameter, message } => ApiError::bad(parameter.clone(), message.clone()),
        ApiError::NotFound(w) => ApiError::NotFound(w.clone()),
        ApiError::NoLiveSession(m) => ApiError::NoLiveSession(m.clone()),
        ApiError::NotImplemented(m) => ApiError::NotImplemented(m.clone()),
        ApiError::Upstream(d) => ApiError::Upstream(d.clone()),
        ApiError::Unavailable { detail, retry_after } => {
            ApiError::Unavailable { detail: detail.clone(), retry_after: *retry_after }
        }
        other => ApiError::Internal(other.to_string()),
    }
}
