//! `wibm`: the willitbemax command line. With no command it runs the whole
//! stack on this machine (`serve`); the other commands import, sync, manage
//! users and move the store's data.
use willitbemax::{cli, stack};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        #[arg(value_enum)]
        kind: cli::SyncKind,
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
