//! The command line: `dossier build`, `serve`, `check`, `review` and `new event`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diag::Diagnostic;
use crate::project::Project;
use crate::{BuildOptions, build, check};

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Build a cited explainer site from news articles and markdown"
)]
pub struct Cli {
    /// Project root (holds dossier.toml, seeds/, content/, templates/, static/).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output directory (default: public/).
    Build(BuildArgs),
    /// Check links, anchors and outside requests of a fresh build (or of --dir).
    Check(CheckArgs),
    /// Build, serve on 127.0.0.1, rebuild on every change and live-reload open pages.
    Serve(ServeArgs),
    /// List the dated sentences no authored event covers, newest source first.
    Review(ReviewArgs),
    /// Write a new authored file, e.g. an event promoted from the review queue.
    #[command(subcommand)]
    New(NewCommand),
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Print the queue as JSON, for scripts.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// content/timeline/<date>-<slug>.md from a candidate of `dossier review`.
    Event {
        /// The candidate's sentence: <source-id>#<sentence-id>, e.g. kl-talks#p4-s1.
        #[arg(long)]
        from: String,
        /// The date, for a candidate the build could not date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
    },
}

impl ReviewArgs {
    pub fn run(self, project: &Project) -> ExitCode {
        let g = match crate::generate(
            project,
            &BuildOptions::default(),
            &crate::cache::Cache::none(),
        ) {
            Ok(g) => g,
            Err(ds) => return failed(&ds),
        };
        let items = crate::review::queue(&g.site);
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            );
        } else {
            print!("{}", crate::review::text(&items));
        }
        ExitCode::SUCCESS
    }
}

impl NewCommand {
    pub fn run(self, project: &Project) -> ExitCode {
        let NewCommand::Event { from, date } = self;
        let g = match crate::generate(
            project,
            &BuildOptions::default(),
            &crate::cache::Cache::none(),
        ) {
            Ok(g) => g,
            Err(ds) => return failed(&ds),
        };
        let event = match crate::review::new_event(&g.site, &from, date.as_deref()) {
            Ok(e) => e,
            Err(d) => return failed(&[d]),
        };
        let path = project.root.join(&event.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
            })
            .and_then(|mut f| std::io::Write::write_all(&mut f, event.text.as_bytes()));
        match written {
            Ok(()) => {
                eprintln!(
                    "wrote {}: edit its title and text, then build",
                    event.path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", event.path.display());
                ExitCode::FAILURE
            }
        }
    }
}

fn failed(ds: &[Diagnostic]) -> ExitCode {
    print_diagnostics(ds);
    ExitCode::FAILURE
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Print how long each pipeline stage of every rebuild took.
    #[arg(long)]
    pub timings: bool,
}

impl ServeArgs {
    pub fn run(self, project: &Project) -> ExitCode {
        crate::serve::run(
            project,
            &crate::serve::ServeOptions {
                bind: self.bind,
                port: self.port,
                open: self.open,
                timings: self.timings,
            },
        )
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site (replaced whole on success).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Override base_url from dossier.toml, e.g. https://example.org/trade-explainer/
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print how long each pipeline stage took.
    #[arg(long)]
    pub timings: bool,
    /// Keep running and rebuild whenever the project changes (no server).
    #[arg(long)]
    pub watch: bool,
    /// Replace the output folder even if it has files and dossier did not build it.
    #[arg(long)]
    pub force: bool,
    /// Neither read nor write `.dossier-cache/` (a full build from scratch).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check the site as built for this base_url.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Check this already built folder instead of building into a temporary one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Also request every outside URL the site links to (needs the network).
    #[arg(long)]
    pub external: bool,
}

fn print_diagnostics(ds: &[Diagnostic]) {
    for d in ds {
        eprintln!("{d}");
    }
}

impl BuildArgs {
    pub fn run(self, project: &Project) -> ExitCode {
        // Watching keeps it in memory between builds, besides on disk.
        let mut cache = if self.no_cache {
            crate::cache::Cache::none()
        } else {
            crate::cache::Cache::open(&project.root.join(crate::cache::DIR))
        };
        if self.watch {
            cache.remember_files();
        }
        let code = self.build_once(project, &mut cache);
        if !self.watch {
            return code;
        }
        let (_watcher, rx) = match crate::watch::start(project, crate::watch::DEBOUNCE) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("error: cannot watch the project: {e}");
                return ExitCode::FAILURE;
            }
        };
        eprintln!("watching for changes (Ctrl-C to stop)");
        let root = std::path::absolute(&project.root).unwrap_or_else(|_| project.root.clone());
        let abs = Project::new(root);
        for paths in rx {
            if crate::watch::classify(&abs, &paths).is_some() {
                self.build_once(project, &mut cache);
            }
        }
        code
    }

    fn build_once(&self, project: &Project, cache: &mut crate::cache::Cache) -> ExitCode {
        let opts = BuildOptions {
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            force: self.force,
            no_cache: self.no_cache,
        };
        match crate::build_with(project, &opts, cache) {
            Ok(report) => {
                print_diagnostics(&report.warnings);
                // A first build of a big corpus would print a line per article.
                const SHOWN: usize = 25;
                for line in report.changed_seeds.iter().take(SHOWN) {
                    eprintln!("{line}");
                }
                if report.changed_seeds.len() > SHOWN {
                    eprintln!(
                        "… and {} more new or changed articles",
                        report.changed_seeds.len() - SHOWN
                    );
                }
                let total: std::time::Duration = report.timings.iter().map(|(_, d)| *d).sum();
                if self.timings {
                    for (stage, d) in &report.timings {
                        eprintln!("  {stage:<20} {:>8.2} ms", d.as_secs_f64() * 1000.0);
                    }
                    let (reused, made) = report.cached;
                    eprintln!(
                        "  {reused} results reused from {}, {made} made",
                        crate::cache::DIR
                    );
                }
                eprintln!(
                    "built {} files into {} in {:.0?}",
                    report.files,
                    report.output.display(),
                    total
                );
                ExitCode::SUCCESS
            }
            Err(ds) => {
                print_diagnostics(&ds);
                let n = ds.iter().filter(|d| d.is_error()).count();
                let moved = ds.iter().any(|d| d.message.contains(crate::output::MOVED));
                eprintln!(
                    "build failed with {n} error{}{}",
                    if n == 1 { "" } else { "s" },
                    if moved {
                        ""
                    } else {
                        "; the previous site was left untouched"
                    }
                );
                ExitCode::FAILURE
            }
        }
    }
}

impl CheckArgs {
    pub fn run(self, project: &Project) -> ExitCode {
        match &self.dir {
            Some(dir) => self.check_dir(project, dir),
            None => self.check_fresh_build(project),
        }
    }

    /// Check a folder built earlier, as it is: a workflow checks the very
    /// files it is about to deploy, not a rebuild that might differ.
    fn check_dir(&self, project: &Project, dir: &Path) -> ExitCode {
        if !dir.is_dir() {
            let why = if dir.exists() {
                "it is not a folder"
            } else {
                "no such folder"
            };
            eprintln!("error: cannot check {}: {why}", dir.display());
            return ExitCode::FAILURE;
        }
        let base = match self.base_path(project) {
            Ok(b) => b,
            Err(ds) => {
                print_diagnostics(&ds);
                return ExitCode::FAILURE;
            }
        };
        let files = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        self.report(dir, &base, files)
    }

    /// `--base-url` needs no project, so a folder can be checked anywhere;
    /// without it, the base path is the one `dossier.toml` builds for.
    fn base_path(&self, project: &Project) -> Result<String, Vec<Diagnostic>> {
        if let Some(url) = &self.base_url {
            return crate::urls::Urls::parse(url)
                .map(|u| u.base_path().to_string())
                .map_err(|msg| vec![Diagnostic::error(Path::new("--base-url"), msg)]);
        }
        crate::load_config(project, &BuildOptions::default()).map(|c| c.urls.base_path().into())
    }

    fn check_fresh_build(&self, project: &Project) -> ExitCode {
        // Removed when dropped, also when the build panics.
        let dir = match tempfile::Builder::new().prefix("dossier-check-").tempdir() {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: cannot create a temporary directory: {e}");
                return ExitCode::FAILURE;
            }
        };
        let out = dir.path().join("site");
        let opts = BuildOptions {
            output: Some(out.clone()),
            base_url: self.base_url.clone(),
            force: false,
            no_cache: false,
        };
        match build(project, &opts) {
            Err(ds) => {
                print_diagnostics(&ds);
                ExitCode::FAILURE
            }
            Ok(report) => {
                print_diagnostics(&report.warnings);
                self.report(&out, &report.base_path, report.files)
            }
        }
    }

    /// Check the site in `out`, print every problem; exit 1 if there is any.
    fn report(&self, out: &Path, base_path: &str, files: usize) -> ExitCode {
        let mut problems = check::check_site(out, base_path);
        if self.external {
            problems.extend(check::check_external(out));
        }
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!(
            "checked {files} files: {} problem{}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let project = Project::new(cli.root);
    match cli.command {
        Command::Build(a) => a.run(&project),
        Command::Check(a) => a.run(&project),
        Command::Serve(a) => a.run(&project),
        Command::Review(a) => a.run(&project),
        Command::New(a) => a.run(&project),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
