//! The `dossier` binary: parse arguments, run, exit.

use std::process::ExitCode;

use clap::Parser;

// The pipeline allocates millions of short strings (words, sentences,
// keys); glibc's allocator was about 15% of a 10,000-article build's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    dossier::cli::run(dossier::cli::Cli::parse())
}
