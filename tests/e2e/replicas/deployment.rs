//! The separate service binaries started as compose starts them, on
//! loopback ports: each a child process killed on drop (a failing test
//! leaves nothing running), SIGKILLed on demand.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use crate::stack::free_port;

/// One running service binary.
pub struct Service {
    pub name: String,
    pub port: u16,
    child: Option<Child>,
}

impl Service {
    /// Starts `binary` (a workspace binary next to this test's directory)
    /// with `env`, listening on `port`.
    pub fn start(name: &str, binary: &str, port: u16, env: &[(String, String)]) -> Self {
        Self::start_with_args(name, binary, &[], port, env)
    }

    /// [`Service::start`] with command-line arguments (`wibm replay ...`).
    pub fn start_with_args(name: &str, binary: &str, args: &[&str], port: u16, env: &[(String, String)]) -> Self {
        let mut command = Command::new(binary_path(binary));
        command.args(args).env("RUST_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::inherit());
        for (k, v) in env {
            command.env(k, v);
        }
        let child = command.spawn().unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Self { name: name.to_string(), port, child: Some(child) }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Panics when the process has exited (it should be serving).
    pub fn assert_running(&mut self) {
        let exited = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
        assert!(exited.is_none(), "{} exited: {exited:?}", self.name);
    }

    /// SIGKILL: no shutdown, no lease released, connections cut.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Polls `GET /health/ready` until it answers 200.
    pub async fn wait_ready(&mut self, http: &reqwest::Client, deadline: Duration) {
        let url = format!("{}/health/ready", self.url());
        let name = self.name.clone();
        testkit::wait::until(&format!("{name} to be ready"), deadline, || {
            self.assert_running();
            let (http, url) = (http.clone(), url.clone());
            async move { http.get(&url).send().await.ok().filter(|r| r.status().is_success()).map(|_| ()) }
        })
        .await;
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A free loopback port for a service about to start.
pub fn port() -> u16 {
    free_port()
}

/// Where cargo put the workspace's binaries: this test runs from
/// `target/<profile>/deps/`, the binaries sit in `target/<profile>/`.
fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>").to_path_buf()
}

/// The path of a workspace binary, refusing a missing or stale one:
/// `cargo test --workspace` builds every binary; `cargo test -p
/// willitbemax` alone does not rebuild the other crates' binaries.
fn binary_path(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    let built = std::fs::metadata(&path).and_then(|m| m.modified()).unwrap_or_else(|_| {
        panic!("{} is missing: run `cargo build --workspace --bins` (or `cargo test --workspace`)", path.display())
    });
    if let Some(newer) = newer_source(&path, built) {
        panic!(
            "{} is older than {}: run `cargo build --workspace --bins` (or `cargo test --workspace`)",
            path.display(),
            newer.display()
        );
    }
    path
}

/// A source file the binary was built from (cargo's `<bin>.d`) that changed after it.
fn newer_source(bin: &Path, built: SystemTime) -> Option<PathBuf> {
    let deps = std::fs::read_to_string(bin.with_extension("d")).ok()?;
    let (_, files) = deps.lines().next()?.split_once(": ")?;
    files
        .split(' ')
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .find(|f| std::fs::metadata(f).and_then(|m| m.modified()).is_ok_and(|m| m > built))
}
