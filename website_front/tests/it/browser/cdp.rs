//! Headless Chromium driven over the DevTools protocol on a pipe
//! (`--remote-debugging-pipe`: JSON messages ending in NUL, on the child's
//! file descriptors 3 and 4, which `sh` wires to its stdin and stdout). The
//! protocol gives what the command line cannot: the rendered DOM after
//! scripts ran, element visibility, and full-page screenshots.
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

const DEADLINE: Duration = Duration::from_secs(60);

/// The Chromium binary: `/usr/bin/chromium` or one on the PATH.
pub fn find() -> Option<String> {
    ["/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"].into_iter().map(str::to_string).find(|b| {
        Command::new(b).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    })
}

pub struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

/// One tab, attached with its own session.
pub struct Tab<'b> {
    browser: &'b mut Browser,
    session: String,
}

impl Browser {
    pub fn launch(binary: &str) -> Self {
        let profile = tempfile::tempdir().expect("profile dir");
        let flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
        ];
        let script = format!(
            "exec \"$0\" {} --user-data-dir=\"$1\" about:blank 3<&0 4>&1 </dev/null >/dev/null",
            flags.join(" ")
        );
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(binary)
            .arg(profile.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let input = child.stdin.take().expect("stdin");
        let output = child.stdout.take().expect("stdout");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            let mut buf = Vec::new();
            while reader.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                buf.pop();
                if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                    && tx.send(v).is_err()
                {
                    break;
                }
                buf.clear();
            }
        });
        Self { child, input, messages, next_id: 0, _profile: profile }
    }

    /// Sends a command and waits for its answer; events are passed to `seen`.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value, seen: &mut Vec<Value>) -> Value {
        match self.try_call(session, method, params, seen) {
            Ok(result) => result,
            Err(error) => panic!("{method}: {error}"),
        }
    }

    /// As [`Self::call`], the command's error returned rather than failed on.
    fn try_call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        seen: &mut Vec<Value>,
    ) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).expect("json");
        bytes.push(0);
        self.input.write_all(&bytes).and_then(|()| self.input.flush()).expect("write to chromium");
        let end = Instant::now() + DEADLINE;
        loop {
            let v = self.recv(end, method);
            if v["id"].as_u64() == Some(id) {
                return match v.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(v["result"].clone()),
                };
            }
            seen.push(v);
        }
    }

    fn recv(&self, end: Instant, what: &str) -> Value {
        match self.messages.recv_timeout(end.saturating_duration_since(Instant::now())) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("chromium did not answer {what} within {DEADLINE:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("chromium exited while waiting for {what}"),
        }
    }

    /// A new tab of `width`×`height` CSS pixels (a phone below 600 wide).
    pub fn tab(&mut self, width: u32, height: u32) -> Tab<'_> {
        let mut seen = Vec::new();
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }), &mut seen);
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
            &mut seen,
        );
        let session = attached["sessionId"].as_str().expect("session id").to_string();
        let mut tab = Tab { browser: self, session };
        tab.call("Page.enable", json!({}));
        tab.resize(width, height);
        tab
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Tab<'_> {
    fn call(&mut self, method: &str, params: Value) -> Value {
        let mut seen = Vec::new();
        self.browser.call(Some(&self.session.clone()), method, params, &mut seen)
    }

    fn resize(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
    }

    /// Turns the page's own scripts off, as a visitor without JavaScript
    /// has them (the test still reads and drives the page through DevTools).
    /// Pretends the viewer is in `zone` (an IANA name, `Europe/Paris`).
    pub fn time_zone(&mut self, zone: &str) {
        self.call("Emulation.setTimezoneOverride", json!({ "timezoneId": zone }));
    }

    /// Shows the page as a visitor whose system is in dark mode sees it.
    pub fn dark(&mut self) {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
        );
    }

    pub fn without_scripts(&mut self) {
        self.call("Emulation.setScriptExecutionDisabled", json!({ "value": true }));
    }

    /// Loads `url` and waits for its load event (deferred scripts have run).
    pub fn open(&mut self, url: &str) {
        let mut seen = Vec::new();
        let session = self.session.clone();
        self.browser.call(Some(&session), "Page.navigate", json!({ "url": url }), &mut seen);
        let loaded = |v: &Value| v["method"] == "Page.loadEventFired" && v["sessionId"] == session.as_str();
        if seen.iter().any(loaded) {
            return;
        }
        let end = Instant::now() + DEADLINE;
        while !loaded(&self.browser.recv(end, "the page load")) {}
    }

    /// Submits the form matching `selector` as a visitor would (its submit
    /// button) and waits for the page it leads to.
    pub fn submit(&mut self, selector: &str) {
        let mut seen = Vec::new();
        let session = self.session.clone();
        let js = format!(
            "document.querySelector({}).querySelector('[type=submit]').click()",
            serde_json::to_string(selector).expect("json")
        );
        self.browser.call(Some(&session), "Runtime.evaluate", json!({ "expression": js }), &mut seen);
        let loaded = |v: &Value| v["method"] == "Page.loadEventFired" && v["sessionId"] == session.as_str();
        if seen.iter().any(loaded) {
            return;
        }
        let end = Instant::now() + DEADLINE;
        while !loaded(&self.browser.recv(end, "the page after the form")) {}
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true }));
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {}", r["exceptionDetails"]);
        r["result"]["value"].clone()
    }

    /// As [`Self::eval`], `None` when the page cannot answer (it is being
    /// replaced by another, or the expression threw).
    pub fn try_eval(&mut self, expression: &str) -> Option<Value> {
        let mut seen = Vec::new();
        let session = self.session.clone();
        let params = json!({ "expression": expression, "returnByValue": true });
        let r = self.browser.try_call(Some(&session), "Runtime.evaluate", params, &mut seen).ok()?;
        if r.get("exceptionDetails").is_some() { None } else { Some(r["result"]["value"].clone()) }
    }

    /// The rendered DOM.
    pub fn dom(&mut self) -> String {
        self.eval("document.documentElement.outerHTML").as_str().unwrap_or_default().to_string()
    }

    /// Whether an element matching `selector` is rendered with a size.
    pub fn visible(&mut self, selector: &str) -> bool {
        let js = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return false; \
             const r = e.getBoundingClientRect(); const s = getComputedStyle(e); \
             return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; }})()",
            serde_json::to_string(selector).expect("json")
        );
        self.eval(&js).as_bool().unwrap_or(false)
    }

    /// A PNG of the whole page at the tab's width.
    pub fn screenshot_full(&mut self, width: u32, path: &std::path::Path) {
        let height = self.eval("Math.ceil(document.documentElement.scrollHeight)").as_u64().unwrap_or(800);
        let height = u32::try_from(height).unwrap_or(800).clamp(200, 16_000);
        self.resize(width, height);
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
        let png =
            base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().expect("png data")).expect("base64");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}
