use std::process::ExitCode;

use clap::Parser;
use cppo::cli::{self, args::Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    if args.command.is_none() {
        println!("cppo: the terminal UI is not built yet; see `cppo --help` for the commands.");
        return ExitCode::SUCCESS;
    }
    cli::run(args)
}
