use std::process::ExitCode;

use clap::Parser;
use cppo::cli::{self, args::Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    if args.command.is_some() {
        return cli::run(args);
    }
    let db = args.db.clone().unwrap_or_else(cli::default_db_path);
    let result = cli::clock_from(args.now.as_deref()).and_then(|clock| cppo::tui::run(db, args.actor, clock));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
