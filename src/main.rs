//! The `dossier` binary: parse arguments, run, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    dossier::cli::run(dossier::cli::Cli::parse())
}
