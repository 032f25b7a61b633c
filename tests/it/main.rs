//! Integration tests: one binary, the real project copied into a temp dir,
//! the real `dossier` binary run on it, the output parsed and checked.

mod architecture;
mod build;
mod citations;
mod cleaning;
mod errors;
mod harness;
mod incremental;
mod publish;
mod review;
mod seed_dates;
mod serve;
mod timeline;
mod tracker;
