//! The MongoDB server tests use: `WIBM_TEST_MONGODB_URI`, a replica set
//! (`.ci/mongodb.sh` starts SecantusDB on loopback and sets it). Without
//! it, [`uri`] returns None and the caller reports the test as skipped,
//! unless `WIBM_REQUIRE_MONGODB=1` (set in CI), which makes that a failure.

/// The server's URI, or None (test skipped) when none is set.
pub fn uri(test: &str) -> Option<String> {
    let uri = common::config::env_var("WIBM_TEST_MONGODB_URI");
    if uri.is_none() {
        assert!(
            !common::config::env_flag("WIBM_REQUIRE_MONGODB"),
            "{test}: WIBM_TEST_MONGODB_URI is not set but WIBM_REQUIRE_MONGODB=1"
        );
        eprintln!(
            "SKIPPED {test} on mongodb: WIBM_TEST_MONGODB_URI is not set (`. .ci/mongodb.sh && mongodb_start` \
             starts a server and sets it; WIBM_REQUIRE_MONGODB=1 makes this a failure)"
        );
    }
    uri
}

/// A database name no other test uses: each test works in its own.
pub fn database_name() -> String {
    format!("wibm_test_{:032x}", rand::random::<u128>())
}
