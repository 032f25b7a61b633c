//! `dossier serve`: build, serve on 127.0.0.1, rebuild on change, live reload.
//!
//! Owns the server's life: the work folder, the first build, the watcher
//! thread and the order of start and stop. The HTTP side (socket, routes,
//! event stream, signals) is in `http`, what each change means while
//! serving in `watching`, what the browser runs and is sent in [`reload`].
//!
//! The shape of mdBook's serve: axum + tower-http `ServeDir` over a build
//! directory, and a broadcast channel feeding Server-Sent Events. The site is
//! built by the production pipeline under the base path it will have in
//! production, into a temporary directory (so `public/` never gets the
//! reload script). The first build is staged and swapped in like `build`'s;
//! later ones update it in place, publishing nothing until the whole rebuild
//! has rendered, so a broken edit leaves the last good site being served.

mod http;
pub(crate) mod reload;
mod watching;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::cache::Cache;
use crate::diag::Diagnostic;
use crate::project::Project;
use crate::watch;
use crate::{BuildOptions, output};
use http::{StopSignals, app, listen, serve_until_ctrl_c};
use reload::Message;
use watching::{static_set, watch_loop};

/// How to serve.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub(crate) bind: IpAddr,
    pub(crate) port: u16,
    pub(crate) open: bool,
    pub(crate) timings: bool,
}

/// Set once, by `--timings`: every rebuild prints its stages' times.
static TIMINGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[derive(Clone)]
struct AppState {
    tx: broadcast::Sender<Message>,
    /// The failing build's diagnostics, sent to pages that connect while it lasts.
    last_error: Arc<Mutex<Option<String>>>,
    out: PathBuf,
    /// The static files of the last good build: only edits of these take
    /// the quick copy path.
    statics: Arc<Mutex<HashSet<PathBuf>>>,
    /// Counts good builds; a page that reconnects after missing one reloads.
    generation: Arc<std::sync::atomic::AtomicU64>,
    /// Results of the builds so far, so a rebuild redoes only what changed.
    cache: Arc<Mutex<Cache>>,
    /// What the served site's files hold, kept from one rebuild to the next.
    stamps: output::HeldStamps,
    /// Large files the last rebuild writes after its reload is sent.
    deferred: output::Deferred,
}

/// Run the server until Ctrl-C.
pub(crate) fn run(project: &Project, opts: &ServeOptions) -> ExitCode {
    TIMINGS.store(opts.timings, std::sync::atomic::Ordering::Relaxed);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let root = std::path::absolute(&project.root).unwrap_or_else(|_| project.root.clone());
    rt.block_on(serve(Project::new(root), opts.clone()))
}

fn print(ds: &[Diagnostic]) {
    for d in ds {
        eprintln!("{d}");
    }
}

/// The site's base path, from `dossier.toml`.
fn base_path(project: &Project) -> Result<String, Vec<Diagnostic>> {
    let path = project.config_file();
    let text = project.read_to_string(&path).map_err(|d| vec![d])?;
    crate::config::parse(&project.rel(&path), &text, None)
        .map(|c| c.urls.base_path().to_string())
        .map_err(|d| vec![d])
}

/// Build for serving: the production pipeline, plus the reload script.
/// Earlier results come from, and this build's go to, `cache`.
fn rebuild(
    project: &Project,
    base_url: &str,
    out: &Path,
    cache: &mut Cache,
    live: (&output::HeldStamps, &output::Deferred),
) -> Result<usize, Vec<Diagnostic>> {
    let built = rebuild_from(project, base_url, out, cache, live);
    match &built {
        Ok(_) => {
            if let Err(e) = cache.save() {
                eprintln!("warning: cannot keep results for the next build: {e}");
            }
        }
        Err(_) => cache.keep_all(),
    }
    built
}

fn rebuild_from(
    project: &Project,
    base_url: &str,
    out: &Path,
    cache: &Cache,
    (stamps, deferred): (&output::HeldStamps, &output::Deferred),
) -> Result<usize, Vec<Diagnostic>> {
    let opts = BuildOptions {
        output: Some(out.to_path_buf()),
        base_url: Some(base_url.to_string()),
        force: false,
        no_cache: false,
    };
    let mut g = crate::generate(project, &opts, cache)?;
    print(&g.warnings);
    let base = g.site.config.urls.base_path().to_string();
    // The review queue sits beside the site, never in it: `/__review/`.
    let queue = crate::review::page(&g.site, &crate::review::queue(&g.site));
    let inject = move |f: &mut crate::render::OutputFile| reload::inject(f, &base);
    // The first build swaps a whole directory in; later ones update it in
    // place, so that a one-word edit rewrites a handful of files.
    let written = if out.is_dir() {
        let target = Ok(output::InPlace::held(out, stamps, deferred));
        g.write_to(target, &project.static_dir(), out, Some(&inject), cache)
    } else {
        let target = output::Staged::begin(out);
        g.write_to(target, &project.static_dir(), out, Some(&inject), cache)
    }?;
    if TIMINGS.load(std::sync::atomic::Ordering::Relaxed) {
        for (stage, d) in &g.timings {
            eprintln!("  {stage:<20} {:>8.2} ms", d.as_secs_f64() * 1000.0);
        }
    }
    // Freeing the site's many allocations need not delay the reload.
    crate::background::later(move || drop(g));
    std::fs::write(review_page(out), queue).map_err(|e| {
        vec![Diagnostic::error(
            out,
            format!("cannot write the review queue: {e}"),
        )]
    })?;
    Ok(written)
}

/// Where serve keeps the review queue page: beside the site folder.
fn review_page(out: &Path) -> PathBuf {
    out.with_file_name("review.html")
}

async fn serve(project: Project, opts: ServeOptions) -> ExitCode {
    let base = match base_path(&project) {
        Ok(b) => b,
        Err(ds) => {
            print(&ds);
            return ExitCode::FAILURE;
        }
    };
    let listener = match listen(&opts).await {
        Ok(l) => l,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .unwrap_or(SocketAddr::new(opts.bind, opts.port));
    let base_url = format!("http://{addr}{base}");
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine on the network can read the preview",
            addr.ip()
        );
    }
    // Removed when dropped: on Ctrl-C, SIGTERM, SIGHUP and a failed start.
    let work = match tempfile::Builder::new().prefix("dossier-serve-").tempdir() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot create a work folder: {e}");
            return ExitCode::FAILURE;
        }
    };
    // `work` lives to the end of this function, past the server.
    match build_and_watch(&project, &base_url, &work.path().join("site")) {
        Some((state, watcher)) => {
            let stop = match StopSignals::install() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: cannot install signal handlers: {e}");
                    return ExitCode::FAILURE;
                }
            };
            announce(&project, &base_url, opts.open);
            let code = serve_until_ctrl_c(listener, app(state, &base), stop).await;
            drop(watcher);
            code
        }
        None => ExitCode::FAILURE,
    }
}

/// The first build into `out`, then the watcher that keeps it current.
/// `None`, with the reason printed, when either fails.
fn build_and_watch(
    project: &Project,
    base_url: &str,
    out: &Path,
) -> Option<(AppState, watch::Watching)> {
    let state = first_build(project, base_url, out)?;
    match watch::start(project, watch::DEBOUNCE) {
        Ok((watcher, rx)) => {
            let (p, u, s) = (project.clone(), base_url.to_string(), state.clone());
            std::thread::spawn(move || watch_loop(&p, &u, &s, &rx));
            Some((state, watcher))
        }
        Err(e) => {
            eprintln!("error: cannot watch the project: {e}");
            None
        }
    }
}

/// Build the site once; `None`, with the diagnostics printed, when it fails.
fn first_build(project: &Project, base_url: &str, out: &Path) -> Option<AppState> {
    let started = Instant::now();
    // Read from disk, written back once: later rebuilds keep it in memory,
    // rather than write the whole cache on every save.
    let mut cache = Cache::open(&project.root.join(crate::cache::DIR));
    cache.remember_files();
    let stamps = output::HeldStamps::default();
    let deferred = output::Deferred::new(out);
    let built = rebuild(project, base_url, out, &mut cache, (&stamps, &deferred));
    cache.forget_folder();
    if let Err(ds) = built {
        print(&ds);
        eprintln!("the first build failed; fix the errors above and run serve again");
        return None;
    }
    eprintln!("built in {:.0?}", started.elapsed());
    let (tx, _) = broadcast::channel(16);
    Some(AppState {
        tx,
        last_error: Arc::new(Mutex::new(None)),
        out: out.to_path_buf(),
        statics: Arc::new(Mutex::new(static_set(project))),
        generation: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        cache: Arc::new(Mutex::new(cache)),
        stamps,
        deferred,
    })
}

fn announce(project: &Project, base_url: &str, open: bool) {
    eprintln!(
        "serving {} on {base_url} (Ctrl-C to stop)",
        project.root.display()
    );
    // `open` picks the platform's launcher (xdg-open, open, start, WSL).
    if open && let Err(e) = open::that_detached(base_url) {
        eprintln!("warning: cannot open a browser: {e}");
    }
}
