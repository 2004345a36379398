//! The backends a conformance test runs against: embedded and in-process
//! always; Redis when a redis-server binary exists (required with
//! WIBM_REQUIRE_REDIS=1); MongoDB when WIBM_TEST_MONGODB_URI is set (required
//! with WIBM_REQUIRE_MONGODB=1; `.ci/mongodb.sh` starts SecantusDB for it),
//! each test in its own uniquely named database.
use std::sync::Arc;
use std::time::Duration;

use data_scheduler::cache::{Cache, memory::MemoryCache, redis::RedisCache};
use data_scheduler::store::{Store, embedded::EmbeddedStore, mongo::MongoStore};
use testkit::redis::RedisServer;

pub struct StoreUnderTest {
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

pub fn embedded() -> StoreUnderTest {
    let dir = tempfile::tempdir().unwrap();
    StoreUnderTest { store: Arc::new(EmbeddedStore::open(dir.path()).unwrap()), _dir: Some(dir) }
}

/// A MongoDB store in a fresh database, or None (skipped) without a server.
pub async fn mongo(test: &str) -> Option<StoreUnderTest> {
    mongo_db(test, &testkit::mongodb::database_name()).await
}

/// A MongoDB store on database `db` (a second one on the same database is
/// another replica, or the same one restarted), or None (skipped).
pub async fn mongo_db(test: &str, db: &str) -> Option<StoreUnderTest> {
    Some(mongo_at(&testkit::mongodb::uri(test)?, db).await)
}

/// A MongoDB store at `uri` (the test server's, perhaps with options added).
pub async fn mongo_at(uri: &str, db: &str) -> StoreUnderTest {
    let store = MongoStore::connect(uri, db).await.expect("connect to WIBM_TEST_MONGODB_URI");
    StoreUnderTest { store: Arc::new(store), _dir: None }
}

pub struct CacheUnderTest {
    pub cache: Arc<dyn Cache>,
    pub _redis: Option<RedisServer>,
}

pub fn memory() -> CacheUnderTest {
    CacheUnderTest { cache: Arc::new(MemoryCache::new(1000)), _redis: None }
}

pub fn redis(test: &str) -> Option<CacheUnderTest> {
    let server = RedisServer::start(test)?;
    let cache = RedisCache::new(&server.url(), Duration::from_millis(500)).unwrap();
    Some(CacheUnderTest { cache: Arc::new(cache), _redis: Some(server) })
}

/// Declares `#[tokio::test]`s running one async test function per store backend.
#[macro_export]
macro_rules! store_tests {
    ($($name:ident),+ $(,)?) => {
        mod embedded {
            $(#[tokio::test] async fn $name() { super::$name($crate::backends::embedded().store).await; })+
        }
        mod mongodb {
            $(#[tokio::test] async fn $name() {
                if let Some(s) = $crate::backends::mongo(stringify!($name)).await { super::$name(s.store).await; }
            })+
        }
    };
}

/// Declares `#[tokio::test]`s running one async test function per cache backend.
#[macro_export]
macro_rules! cache_tests {
    ($($name:ident),+ $(,)?) => {
        mod memory {
            $(#[tokio::test] async fn $name() { super::$name($crate::backends::memory().cache).await; })+
        }
        mod redis {
            $(#[tokio::test] async fn $name() {
                if let Some(c) = $crate::backends::redis(stringify!($name)) { super::$name(c.cache.clone()).await; }
            })+
        }
    };
}

/// Declares `#[tokio::test]`s running one async test function over a repo
/// on every store backend (in-process cache), and on the embedded store
/// with the Redis cache when a redis-server binary exists.
#[macro_export]
macro_rules! repo_tests {
    ($($name:ident),+ $(,)?) => {
        mod embedded {
            $(#[tokio::test] async fn $name() {
                let s = $crate::backends::embedded();
                super::$name(s.store.clone(), $crate::backends::memory().cache).await;
            })+
        }
        mod embedded_redis {
            $(#[tokio::test] async fn $name() {
                if let Some(c) = $crate::backends::redis(stringify!($name)) {
                    let s = $crate::backends::embedded();
                    super::$name(s.store.clone(), c.cache.clone()).await;
                }
            })+
        }
        mod mongodb {
            $(#[tokio::test] async fn $name() {
                if let Some(s) = $crate::backends::mongo(stringify!($name)).await {
                    super::$name(s.store.clone(), $crate::backends::memory().cache).await;
                }
            })+
        }
    };
}
