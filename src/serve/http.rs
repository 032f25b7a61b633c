//! The HTTP side of `serve`: listening, routes, the live-reload event
//! stream, answering like a static host, and stopping on a signal.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::{AppState, ServeOptions, reload};

/// How long a connection may take to send a request's headers, and how
/// long a kept-alive connection may sit idle: without it half-open
/// connections are never closed and, under a low file limit, starve the
/// server until rebuilds fail with "Too many open files".
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a stop waits for open responses (event streams never end).
const DRAIN: Duration = Duration::from_secs(1);

/// Serve `app` on `listener` until a stop signal. hyper directly rather
/// than `axum::serve`, which has no header-read timeout.
pub(super) async fn serve_until_ctrl_c(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: StopSignals,
) -> ExitCode {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let stopping = stop.wait();
    tokio::pin!(stopping);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stopping => break,
        };
        let tcp = match tcp {
            Ok((tcp, _)) => tcp,
            Err(e) => {
                // Out of file descriptors: wait for some to close, keep serving.
                eprintln!("warning: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Without TCP_NODELAY every small response on a kept-alive connection
        // waited ~40 ms for the client's delayed ACK (seen under wrk).
        let _ = tcp.set_nodelay(true);
        let router = app.clone();
        let service = hyper::service::service_fn(move |req| router.clone().oneshot(req));
        let conn = http.serve_connection(TokioIo::new(tcp), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    eprintln!("\nstopping");
    let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
    ExitCode::SUCCESS
}

/// Ctrl-C, or a terminal closing (SIGHUP) or a service manager stopping us
/// (SIGTERM): each ends the server the same way, removing its work folder.
/// The handlers are installed when this is made, before the server answers
/// anything, so a signal sent right after start is never the default kill.
pub(super) struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl StopSignals {
    pub(super) fn install() -> std::io::Result<Self> {
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
pub(super) async fn listen(opts: &ServeOptions) -> Result<tokio::net::TcpListener, String> {
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

pub(super) fn app(state: AppState, base: &str) -> Router {
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
    let review = super::review_page(&state.out);
    let router = Router::new()
        .route(
            &format!("{base}__review/"),
            get(move || async move {
                let body = tokio::fs::read_to_string(&review)
                    .await
                    .unwrap_or_else(|_| "<h1>No review queue yet</h1>".into());
                ([(header::CACHE_CONTROL, "no-store")], Html(body))
            }),
        )
        .route(&format!("{base}__dossier/events"), get(events))
        .route(&format!("{base}__dossier/reload.js"), get(script));
    let router = if base == "/" {
        router.fallback_service(files)
    } else {
        router
            .nest_service(base.trim_end_matches('/'), files)
            .fallback_service(not_found.into_service())
    };
    let (base, out, deferred) = (base.to_string(), state.out.clone(), state.deferred.clone());
    router
        .with_state(state)
        .layer(axum::middleware::from_fn(move |req, next| {
            answer_like_a_host(base.clone(), out.clone(), deferred.clone(), req, next)
        }))
}

/// What a static host does that `ServeDir` nested under a base path does
/// not: a trailing-slash redirect keeps the base path (`/b/sources` →
/// `/b/sources/`, not `/sources/`), and a path it cannot map to a file
/// (a NUL, a name too long) is a miss with the 404 page, not an empty 500.
async fn answer_like_a_host(
    base: String,
    out: PathBuf,
    deferred: crate::output::Deferred,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // A large data file the last rebuild has yet to write is waited for,
    // never served stale after a reload.
    if let Some(rel) = req.uri().path().strip_prefix(&base) {
        deferred.ready(rel).await;
    }
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
