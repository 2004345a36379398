//! The `wibm` commands other than `serve`.
//!
//! Commands that need the store (`import-f1db`, `user add`, `export`,
//! `import`) open it themselves with the same `WIBM_*` settings as
//! data_scheduler; the embedded store is one file that a single process may
//! hold, so they ask you to stop a running stack first. `sync` talks to a
//! running stack over HTTP like any client.
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use common::Shutdown;
use fetcher_service::f1db::{self, F1dbSource};
use protobuf::fetcher::{FETCH_KINDS, SyncAnswer, fetch_kind, fetch_path};
use protobuf::v1::SyncKind;
use secrecy::SecretString;
use serde::Deserialize;

use crate::progress;

/// What `wibm sync` asks the fetcher for: one of the fetcher's kinds (the
/// contract's list, so the command and the fetcher's routes cannot drift).
pub fn sync_kind_parser() -> impl clap::builder::TypedValueParser<Value = SyncKind> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = FETCH_KINDS.iter().map(|&k| match k {
        SyncKind::Weekend => PossibleValue::new(k.as_str())
            .help("formula1.com: session times, circuit facts and the circuit image of a round"),
        SyncKind::SessionData => PossibleValue::new(k.as_str())
            .help("LiveTiming archive (2018 on): the timing records of a session, or of every session of a season"),
        _ => PossibleValue::new(k.as_str()),
    });
    PossibleValuesParser::new(values).map(|name| fetch_kind(&name).unwrap_or(SyncKind::Unspecified))
}

#[derive(Debug, Default)]
pub struct SyncParams {
    pub season: Option<i32>,
    pub round: Option<i32>,
    pub session: Option<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// How `wibm sync` reaches a running stack (`WIBM_URL`) and proves it is an
/// admin (`WIBM_API_KEY`, or `WIBM_TOKEN` for a bearer token).
#[derive(Debug, Deserialize)]
struct ClientConfig {
    #[serde(default = "default_url")]
    url: String,
    #[serde(default)]
    api_key: Option<SecretString>,
    #[serde(default)]
    token: Option<SecretString>,
}

fn default_url() -> String {
    "http://127.0.0.1:8080".into()
}

/// A running stack's address and the admin credential to reach it with.
struct Stack {
    cfg: ClientConfig,
    http: reqwest::Client,
}

impl Stack {
    fn load() -> anyhow::Result<Self> {
        let cfg: ClientConfig = common::config::load().context("reading WIBM_URL / WIBM_API_KEY")?;
        Ok(Self { cfg, http: reqwest::Client::new() })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.cfg.url.trim_end_matches('/'))
    }

    /// Asks the fetcher for a sync of `kind`.
    async fn sync(&self, kind: SyncKind, query: &[(&str, String)]) -> anyhow::Result<SyncAnswer> {
        use secrecy::ExposeSecret;
        let url = self.url(&fetch_path(kind));
        let mut req = self.http.post(&url).query(query).timeout(Duration::from_secs(600));
        if let Some(key) = &self.cfg.api_key {
            req = req.header("x-api-key", key.expose_secret());
        } else if let Some(token) = &self.cfg.token {
            req = req.bearer_auth(token.expose_secret());
        }
        let resp = req.send().await.with_context(|| format!("cannot reach {url}: is the stack running (WIBM_URL)?"))?;
        let status = resp.status();
        if !status.is_success() {
            let body: serde_json::Value = resp.json().await.unwrap_or_default();
            let message = body["error"]["message"].as_str().unwrap_or("no message");
            bail!("sync {kind} failed: HTTP {status}: {message}");
        }
        resp.json().await.with_context(|| format!("reading the answer of {url}"))
    }

    /// The round numbers of a stored season (the public calendar).
    async fn rounds(&self, season: i32) -> anyhow::Result<Vec<i32>> {
        #[derive(Deserialize)]
        struct Answer {
            result: content_types::RoundList,
        }
        let url = self.url(&format!("/content/v1/seasons/{season}/rounds"));
        let resp = self.http.get(&url).query(&[("results", "false")]).timeout(Duration::from_secs(60)).send().await;
        let resp = resp.with_context(|| format!("cannot reach {url}: is the stack running (WIBM_URL)?"))?;
        if !resp.status().is_success() {
            bail!("the calendar of {season} is not stored (HTTP {}): sync its rounds first", resp.status());
        }
        let answer: Answer = resp.json().await.with_context(|| format!("reading the answer of {url}"))?;
        Ok(answer.result.rounds.iter().map(|r| r.round_id).collect())
    }
}

pub async fn sync(kind: SyncKind, p: SyncParams) -> anyhow::Result<()> {
    let stack = Stack::load()?;
    if let (SyncKind::SessionData, Some(season), None, None) = (kind, p.season, p.round, &p.session) {
        return session_data_season(&stack, season).await;
    }
    let mut query: Vec<(&str, String)> = Vec::new();
    for (name, value) in [("season", p.season), ("round", p.round), ("from", p.from), ("to", p.to)] {
        if let Some(v) = value {
            query.push((name, v.to_string()));
        }
    }
    if let Some(s) = p.session {
        query.push(("session", s));
    }
    let answer = stack.sync(kind, &query).await?;
    println!("{}", serde_json::to_string_pretty(&answer)?);
    Ok(())
}

/// A season's session data, round by round (each round's sessions that the
/// archive has, one request each) with a progress bar; a line per round
/// when stderr is not a terminal. The counts are summed at the end.
async fn session_data_season(stack: &Stack, season: i32) -> anyhow::Result<()> {
    let rounds = stack.rounds(season).await?;
    let bar = progress::bar(rounds.len() as u64, "session data");
    let mut total = std::collections::BTreeMap::<String, i64>::new();
    let mut failed = 0;
    for round in rounds {
        bar.set_message(format!("{season} round {round}"));
        let query = [("season", season.to_string()), ("round", round.to_string())];
        let line = match stack.sync(SyncKind::SessionData, &query).await {
            Ok(answer) => {
                let synced = answer.count;
                let skipped = answer.counts.get("not_in_archive").copied().unwrap_or(0);
                for (k, n) in answer.counts {
                    *total.entry(k).or_default() += n;
                }
                format!("{season} round {round}: {synced} sessions synced, {skipped} not in the archive")
            }
            Err(e) => {
                failed += 1;
                format!("{season} round {round}: {e:#}")
            }
        };
        if bar.is_hidden() {
            eprintln!("{line}");
        } else {
            bar.println(line);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!("{}", serde_json::to_string_pretty(&total)?);
    if failed > 0 {
        bail!("{failed} rounds of {season} failed (see above)");
    }
    Ok(())
}

/// Runs `work` against a data_scheduler started in this process on a
/// loopback port over the configured store.
async fn with_local_store<T, F, Fut>(work: F) -> anyhow::Result<T>
where
    F: FnOnce(data_client::Client, String, common::internal::InternalToken) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let cfg: data_scheduler::Config = common::config::load().context("data_scheduler configuration")?;
    let repo = data_scheduler::server::open_repo(&cfg).await.map_err(explain_locked)?;
    let shutdown = Shutdown::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    // A loopback port any local user could reach while the command runs.
    let token = common::internal::InternalToken::generate();
    let ds = data_scheduler::server::spawn_guarded(listener, repo, Some(token.clone()), shutdown.clone()).await?;
    let url = format!("http://{}", ds.addr);
    let client = data_client::Client::connect_lazy_with(&url, Duration::from_secs(120), Some(&token))?;
    let result = work(client, url, token).await;
    shutdown.trigger();
    let _ = ds.task.await;
    result
}

/// The embedded store's file can be held by one process only.
fn explain_locked(e: anyhow::Error) -> anyhow::Error {
    if format!("{e:#}").contains("already open") || format!("{e:#}").contains("lock") {
        e.context("the store is in use by a running stack: stop it first (or use the HTTP API of the running stack)")
    } else {
        e
    }
}

pub async fn import_f1db(path: Option<PathBuf>, from: Option<i32>, to: Option<i32>, check: bool) -> anyhow::Result<()> {
    common::telemetry::init(false);
    let source = match path {
        Some(dir) => {
            if !dir.is_dir() {
                bail!("{} is not a directory (expected f1db's src/data folder)", dir.display());
            }
            F1dbSource::Dir(dir)
        }
        None => F1dbSource::Bundled,
    };
    let lacking = with_local_store(|client, _, _| async move {
        let lack = crate::firststart::lack(&client, &source, from, to).await?;
        println!("the store lacks {} of the f1db data", lack.describe());
        if !check {
            crate::firststart::import_with_progress(&client, source, from, to).await?;
        }
        Ok(lack.missing.len())
    })
    .await?;
    println!("{}", f1db::ATTRIBUTION);
    if check && lacking > 0 {
        bail!("the store lacks {lacking} seasons of the f1db data");
    }
    Ok(())
}

pub async fn user_add(email: String, admin: bool) -> anyhow::Result<()> {
    let password = read_password(&email)?;
    with_local_store(|_, ds_url, token| async move {
        let mut cfg = auth_api::Config::load().context("auth_api configuration")?;
        cfg.data_scheduler_url = ds_url;
        cfg.internal_token = Some(token.to_secret());
        // Working on this machine's store, like `wibm serve`.
        cfg.single_process = true;
        let state = auth_api::AppState::from_config(&cfg)?;
        let role = if admin { auth_api::Role::Admin } else { auth_api::Role::Viewer };
        let user = auth_api::create_user(&state, &email, password, role).await?;
        println!("created {} ({}) with id {}", email, if admin { "admin" } else { "viewer" }, user.id);
        Ok(())
    })
    .await
}

/// Asks twice without echo on a terminal; reads one line from stdin otherwise.
fn read_password(email: &str) -> anyhow::Result<SecretString> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("password for {email}: "))?;
        let again = rpassword::prompt_password("again: ")?;
        if first != again {
            bail!("the passwords differ");
        }
        Ok(SecretString::from(first))
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(SecretString::from(line.trim_end_matches(['\r', '\n']).to_string()))
    }
}

pub async fn export(file: PathBuf) -> anyhow::Result<()> {
    let cfg: data_scheduler::Config = common::config::load().context("data_scheduler configuration")?;
    let store = data_scheduler::server::open_store(&cfg).await.map_err(explain_locked)?;
    let out = std::fs::File::create(&file).with_context(|| format!("creating {}", file.display()))?;
    let mut out = BufWriter::new(out);
    let bar = progress::counter("exporting");
    let n = data_scheduler::backup::export(store.as_ref(), &mut out, |_, n| bar.set_position(n)).await?;
    out.flush()?;
    bar.finish_and_clear();
    eprintln!("exported {n} records to {}", file.display());
    Ok(())
}

pub async fn import(file: PathBuf) -> anyhow::Result<()> {
    let cfg: data_scheduler::Config = common::config::load().context("data_scheduler configuration")?;
    let store = data_scheduler::server::open_store(&cfg).await.map_err(explain_locked)?;
    let input = std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
    let bar = progress::counter("importing");
    let n = data_scheduler::backup::import(store.as_ref(), BufReader::new(input), |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    eprintln!("imported {n} records from {}", file.display());
    Ok(())
}
