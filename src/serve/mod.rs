//! `dossier serve`: build, serve on 127.0.0.1, rebuild on change, live reload.
//!
//! Owns the server's life: the socket (with a hint when the port is taken),
//! the first build, the watcher thread, the routes (site files with the 404
//! page, the reload script and its event stream) and the shutdown. Owns what
//! a change means while serving: an edit of a static file the last good
//! build copied is copied over, anything else rebuilds, and a failure is
//! kept for pages that connect while it lasts. What the browser runs and is
//! sent lives in [`reload`].
//!
//! The shape of mdBook's serve: axum + tower-http `ServeDir` over a build
//! directory, and a broadcast channel feeding Server-Sent Events. The site is
//! built by the production pipeline under the base path it will have in
//! production, into a temporary directory (so `public/` never gets the
//! reload script). The first build is staged and swapped in like `build`'s;
//! later ones update it in place, publishing nothing until the whole rebuild
//! has rendered, so a broken edit leaves the last good site being served.

pub(crate) mod reload;

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::ServeDir;

use crate::diag::Diagnostic;
use crate::project::Project;
use crate::watch::{self, ChangeKind};
use crate::{BuildOptions, output};
use reload::Message;

/// How to serve.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub(crate) bind: IpAddr,
    pub(crate) port: u16,
    pub(crate) open: bool,
}

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
}

/// Run the server until Ctrl-C.
pub(crate) fn run(project: &Project, opts: &ServeOptions) -> ExitCode {
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
fn rebuild(project: &Project, base_url: &str, out: &Path) -> Result<usize, Vec<Diagnostic>> {
    let opts = BuildOptions {
        output: Some(out.to_path_buf()),
        base_url: Some(base_url.to_string()),
        force: false,
    };
    let mut g = crate::generate(project, &opts)?;
    print(&g.warnings);
    let base = g.site.config.urls.base_path().to_string();
    let inject = move |f: &mut crate::render::OutputFile| reload::inject(f, &base);
    // The first build swaps a whole directory in; later ones update it in
    // place, so that a one-word edit rewrites a handful of files.
    if out.is_dir() {
        let target = Ok(output::InPlace::new(out));
        g.write_to(target, &project.static_dir(), out, Some(&inject))
    } else {
        let target = output::Staged::begin(out);
        g.write_to(target, &project.static_dir(), out, Some(&inject))
    }
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
    match watch::start(project, Duration::from_millis(30)) {
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
    if let Err(ds) = rebuild(project, base_url, out) {
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

async fn serve_until_ctrl_c(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: StopSignals,
) -> ExitCode {
    let shutdown = async {
        stop.wait().await;
        eprintln!("\nstopping");
    };
    // Without TCP_NODELAY every small response on a kept-alive connection
    // waited ~40 ms for the client's delayed ACK (seen under wrk).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or a terminal closing (SIGHUP) or a service manager stopping us
/// (SIGTERM): each ends the server the same way, removing its work folder.
/// The handlers are installed when this is made, before the server answers
/// anything, so a signal sent right after start is never the default kill.
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
            _ = self.hangup.recv() => {}
        }
    }
}

/// Bind the listening socket, with a hint when the port is taken.
async fn listen(opts: &ServeOptions) -> Result<tokio::net::TcpListener, String> {
    match tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).await {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(format!(
            "error: port {} on {} is already in use\n  = hint: pick another with --port, or --port 0 for any free port",
            opts.port, opts.bind
        )),
        Err(e) => Err(format!(
            "error: cannot listen on {}:{}: {e}",
            opts.bind, opts.port
        )),
    }
}

fn app(state: AppState, base: &str) -> Router {
    let not_found = {
        let out = state.out.clone();
        move || async move {
            let body = tokio::fs::read_to_string(out.join("404.html"))
                .await
                .unwrap_or_else(|_| "<h1>Not found</h1>".into());
            (StatusCode::NOT_FOUND, Html(body))
        }
    };
    let files = ServeDir::new(&state.out)
        .append_index_html_on_directories(true)
        .fallback(not_found.clone().into_service());
    let router = Router::new()
        .route(&format!("{base}__dossier/events"), get(events))
        .route(&format!("{base}__dossier/reload.js"), get(script));
    let router = if base == "/" {
        router.fallback_service(files)
    } else {
        router
            .nest_service(base.trim_end_matches('/'), files)
            .fallback_service(not_found.into_service())
    };
    let (base, out) = (base.to_string(), state.out.clone());
    router
        .with_state(state)
        .layer(axum::middleware::from_fn(move |req, next| {
            answer_like_a_host(base.clone(), out.clone(), req, next)
        }))
}

/// What a static host does that `ServeDir` nested under a base path does
/// not: a trailing-slash redirect keeps the base path (`/b/sources` →
/// `/b/sources/`, not `/sources/`), and a path it cannot map to a file
/// (a NUL, a name too long) is a miss with the 404 page, not an empty 500.
async fn answer_like_a_host(
    base: String,
    out: PathBuf,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    if res.status().is_redirection() && base != "/" {
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .filter(|l| l.starts_with('/') && !l.starts_with(&base))
            .map(|l| format!("{}{l}", base.trim_end_matches('/')));
        if let Some(fixed) = location.and_then(|l| header::HeaderValue::from_str(&l).ok()) {
            res.headers_mut().insert(header::LOCATION, fixed);
        }
    }
    if res.status().is_server_error() {
        let body = tokio::fs::read_to_string(out.join("404.html"))
            .await
            .unwrap_or_else(|_| "<h1>Not found</h1>".into());
        return (StatusCode::NOT_FOUND, Html(body)).into_response();
    }
    res
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        reload::SCRIPT,
    )
}

async fn events(
    State(state): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let pending = state.last_error.lock().ok().and_then(|e| e.clone());
    let generation = state.generation.load(std::sync::atomic::Ordering::Relaxed);
    let hello = Event::default().event("hello").data(generation.to_string());
    let first = tokio_stream::iter(
        std::iter::once(hello)
            .chain(pending.map(|json| Event::default().event("error").data(json)))
            .map(Ok),
    );
    let live = BroadcastStream::new(state.tx.subscribe()).filter_map(|m| {
        let (name, data) = m.ok()?.event();
        Some(Ok(Event::default().event(name).data(data)))
    });
    Sse::new(first.chain(live)).keep_alive(KeepAlive::default())
}

fn watch_loop(
    project: &Project,
    base_url: &str,
    state: &AppState,
    rx: &std::sync::mpsc::Receiver<Vec<PathBuf>>,
) {
    for paths in rx {
        let Some(kind) = watch::classify(project, &paths) else {
            continue;
        };
        let started = Instant::now();
        let message = apply(project, base_url, state, kind);
        report(state, &message, started);
        let _ = state.tx.send(message);
    }
}

/// Bring the served site up to date with one batch of changes, and say
/// what the open pages should do about it.
fn apply(project: &Project, base_url: &str, state: &AppState, kind: ChangeKind) -> Message {
    match kind {
        ChangeKind::Css(files) if copied_quickly(project, state, &files) => Message::Css,
        ChangeKind::Static(files) if copied_quickly(project, state, &files) => Message::Reload,
        _ => match rebuild_caught(project, base_url, &state.out) {
            Ok(_) => {
                if let Ok(mut known) = state.statics.lock() {
                    *known = static_set(project);
                }
                Message::Reload
            }
            Err(ds) => {
                print(&ds);
                eprintln!("build failed; still serving the last good site");
                Message::Error(reload::error_payload(&ds))
            }
        },
    }
}

/// Try the quick path: copy the edited static files into the served site.
/// It only takes edits of files the last good build copied from static/: a
/// new or removed static file may collide with a generated one, and while
/// the build is broken a copy must not clear the error, so both go through
/// a whole rebuild.
fn copied_quickly(project: &Project, state: &AppState, files: &[PathBuf]) -> bool {
    let broken = state.last_error.lock().map_or(true, |e| e.is_some());
    !broken && edits_known_static(state, files) && copy_static(project, files, &state.out).is_ok()
}

/// Keep a failure for pages that connect while it lasts, and log a success.
fn report(state: &AppState, message: &Message, started: Instant) {
    if let Ok(mut last) = state.last_error.lock() {
        *last = match message {
            Message::Error(json) => Some(json.clone()),
            _ => None,
        };
    }
    let done = match message {
        Message::Error(_) => return,
        Message::Css => "stylesheet updated",
        Message::Reload => "rebuilt",
    };
    state
        .generation
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    eprintln!("{done} in {:.0?}", started.elapsed());
}

/// The static files the last good build copied, as absolute paths.
fn static_set(project: &Project) -> HashSet<PathBuf> {
    std::path::absolute(project.static_dir())
        .and_then(|dir| output::static_files(&dir))
        .map(|files| files.into_iter().map(|(src, _)| src).collect())
        .unwrap_or_default()
}

/// Are all `files` still there and among the static files of the last
/// good build (so not new, removed, or possibly on a generated path)?
fn edits_known_static(state: &AppState, files: &[PathBuf]) -> bool {
    state
        .statics
        .lock()
        .is_ok_and(|known| files.iter().all(|f| f.is_file() && known.contains(f)))
}

/// [`rebuild`], with a panic turned into an error: a bug hit by one bad
/// input must not kill the watcher and leave every later save ignored.
fn rebuild_caught(project: &Project, base_url: &str, out: &Path) -> Result<usize, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rebuild(project, base_url, out)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(vec![Diagnostic::error(
            &project.root,
            format!("internal error (a bug in dossier, please report it): {what}"),
        )])
    })
}

/// Copy changed static files into the served site, or remove deleted ones.
fn copy_static(project: &Project, files: &[PathBuf], out: &Path) -> std::io::Result<()> {
    let static_dir = std::path::absolute(project.static_dir())?;
    for f in files {
        let rel = f.strip_prefix(&static_dir).map_err(std::io::Error::other)?;
        let dest = out.join(rel);
        if f.is_file() {
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::copy(f, &dest)?;
        } else if dest.is_file() {
            std::fs::remove_file(&dest)?;
        }
    }
    Ok(())
}
