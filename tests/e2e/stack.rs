//! Runs the `wibm` binary as a child process and stops it with SIGTERM.
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

pub struct Stack {
    pub url: String,
    child: Option<Child>,
    port: u16,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Stack {
    /// Starts the stack and waits (polling) until the API answers.
    pub async fn start(data_dir: &Path, replay: &str) -> Self {
        Self::start_with(data_dir, replay, &[]).await
    }

    /// [`Stack::start`] with more environment variables (they win).
    pub async fn start_with(data_dir: &Path, replay: &str, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let child = command(data_dir, replay, port)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start wibm");
        let url = format!("http://127.0.0.1:{port}");
        let mut stack = Self { url, child: Some(child), port };
        let probe = format!("{}/content/v1/seasons", stack.url);
        testkit::wait::until("the stack to answer", Duration::from_secs(180), || {
            let probe = probe.clone();
            let exited = stack.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            async move {
                assert!(exited.is_none(), "wibm exited during start-up: {exited:?}");
                let resp = reqwest::get(&probe).await.ok()?;
                resp.status().is_success().then_some(())
            }
        })
        .await;
        stack
    }
}

impl Stack {
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

/// The `wibm` command with the test environment: free port, temporary data
/// directory, every upstream on the loopback replay server.
pub fn command(data_dir: &Path, replay: &str, port: u16) -> Command {
    testkit::replay::assert_loopback(replay);
    let mut command = Command::new(env!("CARGO_BIN_EXE_wibm"));
    command
        .env("WIBM_DATA_DIR", data_dir)
        .env("WIBM_LISTEN", format!("127.0.0.1:{port}"))
        .env("WIBM_IMPORT_FROM", "2023")
        .env("WIBM_IMPORT_TO", "2023")
        .env("WIBM_JOLPICA_URL", format!("{replay}/ergast/f1"))
        .env("WIBM_F1_WEBSITE_URL", replay)
        .env("WIBM_LIVETIMING_URL", replay)
        .env("WIBM_UPSTREAM_PACING", "false")
        .env("WIBM_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("WIBM_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("RUST_LOG", "warn")
        .env_remove("WIBM_MONGODB_URI")
        .env_remove("WIBM_REDIS_URL");
    command
}

impl Stack {
    /// SIGTERM, then waits for a clean exit and a closed port.
    pub async fn stop(&mut self) {
        self.stop_with("-TERM").await;
    }

    /// Sends `signal` (`-TERM`, `-INT` as Ctrl-C does), waits for a clean
    /// exit and a closed port; how long the exit took.
    pub async fn stop_with(&mut self, signal: &str) -> Duration {
        let mut child = self.child.take().expect("running");
        let pid = child.id();
        let sent_at = Instant::now();
        let sent = Command::new("kill").args([signal, &pid.to_string()]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "wibm did not stop within 30 s of SIGTERM");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let took = sent_at.elapsed();
        assert!(status.success(), "wibm exited with {status}");
        assert!(!Path::new(&format!("/proc/{pid}")).exists(), "no process left behind");
        assert!(std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err(), "the port is closed");
        took
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
