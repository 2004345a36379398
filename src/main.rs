//! `wibm`: the willitbemax command line. With no command it runs the whole
//! stack on this machine (`serve`); the other commands import, sync, manage
//! users and move the store's data.
use willitbemax::{cli, replay, stack};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// jemalloc hands memory freed after a burst back to the system (glibc kept
// its peak: docs/benchmarks.md); the binary chooses it, never a library.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Debug, Parser)]
#[command(name = "wibm", version, about = "willitbemax: a self-hostable Formula 1 data platform")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every service on this machine behind one address (the default).
    Serve,
    /// Import f1db data files (the bundled copy when no PATH is given).
    ImportF1db {
        /// An f1db `src/data` directory.
        path: Option<PathBuf>,
        #[arg(long)]
        from: Option<i32>,
        #[arg(long)]
        to: Option<i32>,
        /// Only report which of the data's seasons the store lacks (exit 1 when any).
        #[arg(long)]
        check: bool,
    },
    /// Ask a running stack's fetcher to sync from the upstream APIs.
    Sync {
        #[arg(value_parser = cli::sync_kind_parser())]
        kind: protobuf::v1::SyncKind,
        #[arg(long)]
        season: Option<i32>,
        #[arg(long)]
        round: Option<i32>,
        #[arg(long)]
        session: Option<String>,
        /// Seasons range start, for `sync seasons`.
        #[arg(long)]
        from: Option<i32>,
        #[arg(long)]
        to: Option<i32>,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write the whole store to FILE as JSON lines.
    Export { file: PathBuf },
    /// Load a file written by `export` into the store.
    Import { file: PathBuf },
    /// Serve a recorded LiveTiming session (an archive folder of `*.jsonStream`
    /// files) as the live hub, for `WIBM_LIVETIMING_URL=http://127.0.0.1:PORT`.
    Replay {
        #[arg(long)]
        session: PathBuf,
        /// 1 = real time.
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        #[arg(long, default_value_t = 8090)]
        port: u16,
        /// Seconds of the recording to skip (the feed starts well before the session).
        #[arg(long, default_value_t = 0)]
        skip: u64,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account (asks for the password without echo).
    Add {
        email: String,
        /// Make the account an admin (otherwise a viewer).
        #[arg(long)]
        admin: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => stack::serve().await,
            Command::ImportF1db { path, from, to, check } => cli::import_f1db(path, from, to, check).await,
            Command::Sync { kind, season, round, session, from, to } => {
                cli::sync(kind, cli::SyncParams { season, round, session, from, to }).await
            }
            Command::User { command: UserCommand::Add { email, admin } } => cli::user_add(email, admin).await,
            Command::Export { file } => cli::export(file).await,
            Command::Import { file } => cli::import(file).await,
            Command::Replay { session, speed, port, skip } => {
                replay::replay(replay::ReplayArgs { session, speed, port, skip: std::time::Duration::from_secs(skip) })
                    .await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
