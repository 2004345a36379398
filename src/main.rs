//! `wibm`: the willitbemax command line (the single-process stack grows here).
use clap::Parser;

#[derive(Debug, Parser)]
#[command(name = "wibm", version, about = "willitbemax: a self-hostable Formula 1 data platform")]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
