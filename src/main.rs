use std::process::ExitCode;

use clap::Parser;
use cppo::cli::{self, args::Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    if args.command.is_some() {
        return cli::run(args);
    }
    let db = args.db.clone().unwrap_or_else(cli::default_db_path);
    let result = cli::clock_from(args.now.as_deref())
        .and_then(|clock| cppo::tui::run(db, args.actor, clock, args.aws.settings(None)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The whole chain of causes, as the CLI prints it, on one line; a standard error
            // that cannot take it is no reason to panic.
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "error: {}", cppo::domain::error::one_line(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}
