//! A real `redis-server` for tests, on a free port with a temp dir, killed
//! on drop. When the binary is missing, [`RedisServer::start`] returns None
//! and the caller reports the test as skipped, unless `WIBM_REQUIRE_REDIS=1`
//! (set in CI), which turns a missing binary into a failure.
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

fn binary_present() -> bool {
    Command::new("redis-server").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

impl RedisServer {
    /// Starts a server, or None (test skipped) when redis-server is missing.
    pub fn start(test: &str) -> Option<Self> {
        if !binary_present() {
            assert!(
                !common::config::env_flag("WIBM_REQUIRE_REDIS"),
                "{test}: redis-server is not installed but WIBM_REQUIRE_REDIS=1"
            );
            eprintln!(
                "SKIPPED {test}: redis-server not found (install redis-server, or set WIBM_REQUIRE_REDIS=1 to fail)"
            );
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let mut server = Self { port: free_port(), child: None, dir };
        server.spawn();
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start on port {}", self.port);
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Kills the server (an outage); [`RedisServer::restart`] brings it back on the same port.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
