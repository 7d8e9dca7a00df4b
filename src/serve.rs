//! `gazette serve`: build the site, serve it over HTTP on loopback, watch the site's sources and
//! rebuild on change, and tell open pages to reload (server-sent events, through a small script
//! injected into HTML only when serving). An edited article's page is rendered and served at
//! once, ahead of the full rebuild. A broken edit keeps the last good site online and shows the
//! error in the terminal and over the page.
//!
//! Files are served only from the output folder: every path is percent-decoded segment by
//! segment, `..`, `.`, encoded slashes and backslashes are refused, and the final file must lie
//! inside the output folder after symbolic links are resolved.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::Stream;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::broadcast;

use crate::config::SiteConfig;
use crate::diagnostics;
use crate::link::Archive;
use crate::site::{self, build_site, BuildOptions, InputErrors};

/// Where `serve` builds, inside the site (documented as safe to delete).
pub const SERVE_OUTPUT: &str = ".gazette/serve";
/// The path of the event stream pages listen to.
const EVENTS_PATH: &str = "/__gazette/events";
/// How long the watcher waits for a burst of file events to settle before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(100);

/// What `gazette serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site_dir: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Open the site in a browser once the first build is done.
    pub open: bool,
}

/// A message to open pages.
#[derive(Debug, Clone)]
enum Notice {
    Reload,
    Failed(String),
}

struct ServerState {
    root: PathBuf,
    base_path: String,
    notices: broadcast::Sender<Notice>,
    /// The error of the last build, if it failed: shown to pages that open after it.
    last_error: Mutex<Option<String>>,
    /// The last good build's archive, which edited articles' pages are previewed against.
    archive: Mutex<Option<Archive>>,
    /// Pages of edited articles rendered ahead of the rebuild, by file, served instead of the
    /// file until a build that started after the edit is done.
    previews: Mutex<HashMap<PathBuf, Preview>>,
    /// How many bursts of changes the watcher has seen: the number a preview is stamped with.
    edits: AtomicU64,
}

/// A page rendered ahead of the rebuild.
struct Preview {
    /// The burst of changes it shows.
    edit: u64,
    bytes: Vec<u8>,
}

/// Runs the server until interrupted.
pub fn serve(options: ServeOptions) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}:{} (is another server using it? try --port)",
                options.bind, options.port
            )
        })?;
    let address = listener
        .local_addr()
        .context("cannot read the server's address")?;
    let base_path = SiteConfig::load(&options.site_dir)?.base_path();
    let build_options = BuildOptions {
        site_dir: options.site_dir.clone(),
        output_dir: Some(options.site_dir.join(SERVE_OUTPUT)),
        base_url: Some(format!("http://{address}{base_path}")),
        drafts: options.drafts,
        progress: false,
    };
    let (notices, _) = broadcast::channel(16);
    let state = Arc::new(ServerState {
        root: options.site_dir.join(SERVE_OUTPUT),
        base_path: base_path.clone(),
        notices,
        last_error: Mutex::new(None),
        archive: Mutex::new(None),
        previews: Mutex::new(HashMap::new()),
        edits: AtomicU64::new(0),
    });
    let first = tokio::task::spawn_blocking({
        let (state, build_options) = (state.clone(), build_options.clone());
        move || rebuild(&state, &build_options, "start")
    });
    first
        .await
        .context("the first build stopped unexpectedly")?;
    let _watcher = watch(&options.site_dir, state.clone(), build_options)?;
    let router = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(serve_file))
        .with_state(state);
    let url = format!("http://{address}{base_path}");
    println!(
        "Serving {} at {url} (Ctrl+C to stop)",
        options.site_dir.display()
    );
    if options.open {
        // The listener is bound already, so the browser's request waits for the server below.
        if let Err(error) = webbrowser::open(&url) {
            eprintln!("warning: cannot open a browser ({error}); open {url} yourself");
        }
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")
}

/// Builds the site; tells pages to reload, or shows them the error and keeps the last good site.
fn rebuild(state: &ServerState, options: &BuildOptions, reason: &str) {
    let started = Instant::now();
    let edits_seen = state.edits.load(Ordering::SeqCst);
    let notice = match build_site(options) {
        Ok(summary) => {
            eprint!("{}", diagnostics::report(&summary.problems));
            println!(
                "Built after {reason}: {} articles in {:.2} s",
                summary.articles,
                started.elapsed().as_secs_f64()
            );
            *lock(&state.last_error) = None;
            *lock(&state.archive) = Some(summary.archive);
            lock(&state.previews).retain(|_, preview| preview.edit > edits_seen);
            Notice::Reload
        }
        Err(error) => {
            let message = match error.downcast_ref::<InputErrors>() {
                Some(input_errors) => format!("{}{error}", input_errors.report),
                None => format!("error: {error:#}"),
            };
            eprintln!("{message}");
            eprintln!("Still serving the last good build.");
            *lock(&state.last_error) = Some(message.clone());
            Notice::Failed(message)
        }
    };
    // No open page is not an error.
    let _ = state.notices.send(notice);
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Watches what a build reads (content, templates, static files, data, site.yaml) and rebuilds
/// after each burst of changes. Only creations, modifications and removals count: the build's
/// own reads must not start another build. The returned watcher stops when dropped.
fn watch(
    site_dir: &Path,
    state: Arc<ServerState>,
    options: BuildOptions,
) -> Result<RecommendedWatcher> {
    let site = site_dir
        .canonicalize()
        .with_context(|| format!("cannot read {}", site_dir.display()))?;
    let sources: Vec<PathBuf> = ["content", "templates", "static", "data"]
        .iter()
        .map(|folder| site.join(folder))
        .collect();
    let site_file = site.join(crate::config::SITE_FILE);
    let is_source = {
        let (sources, site_file) = (sources.clone(), site_file.clone());
        move |path: &Path| {
            path == site_file || sources.iter().any(|source| path.starts_with(source))
        }
    };
    let (changes, changed) = std::sync::mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        let is_change = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        ) && !matches!(
            event.kind,
            EventKind::Modify(notify::event::ModifyKind::Metadata(_))
        );
        if is_change {
            for path in event.paths.into_iter().filter(|path| is_source(path)) {
                let _ = changes.send(path);
            }
        }
    })
    .context("cannot watch the site for changes")?;
    for source in sources.iter().filter(|source| source.is_dir()) {
        watcher
            .watch(source, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", source.display()))?;
    }
    watcher
        .watch(&site, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", site.display()))?;
    // Builds run on a thread of their own, so that an edit made during a long build is
    // previewed at once; builds asked for while one runs are merged into one.
    let (builds, build_asked) = mpsc::channel::<String>();
    std::thread::spawn({
        let (state, options) = (state.clone(), options.clone());
        move || {
            while let Ok(mut reason) = build_asked.recv() {
                while let Ok(later) = build_asked.try_recv() {
                    reason = later;
                }
                rebuild(&state, &options, &reason);
            }
        }
    });
    let content_dir = site.join("content");
    std::thread::spawn(move || {
        // One preview and one build per burst: wait for a change, then for the burst to settle.
        while let Ok(first) = changed.recv() {
            let mut burst = BTreeSet::from([first.clone()]);
            while let Ok(path) = changed.recv_timeout(DEBOUNCE) {
                burst.insert(path);
            }
            preview_edits(&state, &options, &content_dir, &burst);
            let reason = format!(
                "a change in {}",
                first.strip_prefix(&site).unwrap_or(&first).display()
            );
            if builds.send(reason).is_err() {
                return;
            }
        }
    });
    Ok(watcher)
}

/// Shows each edited article's new page at once, rendered against the last good build, and
/// tells open pages to reload: on a large archive the full rebuild takes seconds, one page
/// milliseconds. The rebuild then brings listings, related articles and search up to date.
fn preview_edits(
    state: &ServerState,
    options: &BuildOptions,
    content_dir: &Path,
    changed: &BTreeSet<PathBuf>,
) {
    let started = Instant::now();
    let edit = state.edits.fetch_add(1, Ordering::SeqCst) + 1;
    let mut archive = lock(&state.archive);
    let (Some(archive), Ok(root)) = (archive.as_mut(), state.root.canonicalize()) else {
        return;
    };
    let mut shown = Vec::new();
    for path in changed {
        let Some(relative) = path
            .strip_prefix(content_dir)
            .ok()
            .and_then(|relative| relative.to_str())
        else {
            continue;
        };
        match site::render_edited_article(options, archive, relative) {
            Ok(Some((page, html))) => {
                let bytes = html.into_bytes();
                lock(&state.previews).insert(root.join(&page), Preview { edit, bytes });
                shown.push(page);
            }
            Ok(None) => {}
            Err(error) => eprintln!("warning: cannot preview {relative}: {error:#}"),
        }
    }
    if !shown.is_empty() {
        println!(
            "Showing the edit of {} in {} ms; rebuilding the rest of the site",
            shown.join(", "),
            started.elapsed().as_millis()
        );
        let _ = state.notices.send(Notice::Reload);
    }
}

/// The event stream: `reload` after a good build, `build-error` with the message after a bad one.
async fn events(
    State(state): State<Arc<ServerState>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.notices.subscribe();
    let pending = lock(&state.last_error).clone().map(Notice::Failed);
    let stream =
        futures_util::stream::unfold((receiver, pending), |(mut receiver, pending)| async move {
            let notice = match pending {
                Some(notice) => notice,
                None => loop {
                    match receiver.recv().await {
                        Ok(notice) => break notice,
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                },
            };
            let event = match notice {
                Notice::Reload => Event::default().event("reload").data("reload"),
                Notice::Failed(message) => Event::default()
                    .event("build-error")
                    .data(serde_json::to_string(&message).unwrap_or_default()),
            };
            Some((Ok(event), (receiver, None)))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Why a request gets no file.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// The path tries to leave the site: 400.
    Outside,
    /// Nothing there: the site's 404 page.
    Missing,
    /// A folder asked for without its slash: redirect so relative links work.
    AddSlash,
}

async fn serve_file(State(state): State<Arc<ServerState>>, uri: Uri) -> Response {
    let path = uri.path();
    if state.base_path != "/" && path == "/" {
        return redirect(&state.base_path);
    }
    match resolve(&state.root, &state.base_path, path) {
        Ok(file) => match preview_of(&state, &file) {
            Some(bytes) => file_response(&file, bytes, StatusCode::OK),
            None => match tokio::fs::read(&file).await {
                Ok(bytes) => file_response(&file, bytes, StatusCode::OK),
                Err(_) => not_found(&state).await,
            },
        },
        Err(Refusal::AddSlash) => redirect(&format!("{path}/")),
        Err(Refusal::Outside) => (
            StatusCode::BAD_REQUEST,
            "400 Bad Request: that path leaves the site\n",
        )
            .into_response(),
        Err(Refusal::Missing) => not_found(&state).await,
    }
}

/// The previewed page for `file`, if an edit is waiting for its rebuild.
fn preview_of(state: &ServerState, file: &Path) -> Option<Vec<u8>> {
    lock(&state.previews)
        .get(file)
        .map(|preview| preview.bytes.clone())
}

fn redirect(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

async fn not_found(state: &ServerState) -> Response {
    let page = state.root.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => file_response(&page, bytes, StatusCode::NOT_FOUND),
        Err(_) => (StatusCode::NOT_FOUND, "404 Not Found\n").into_response(),
    }
}

fn file_response(file: &Path, bytes: Vec<u8>, status: StatusCode) -> Response {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/xml" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html {
        with_reload_script(bytes)
    } else {
        bytes
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The script that reloads the page after a rebuild and shows build errors over it.
const RELOAD_SCRIPT: &str = r#"<script>(function(){var s=new EventSource("/__gazette/events");s.addEventListener("reload",function(){location.reload()});s.addEventListener("build-error",function(e){var d=document.getElementById("gazette-build-error");if(!d){d=document.createElement("pre");d.id="gazette-build-error";d.setAttribute("role","alert");d.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#400;color:#fff;font:13px/1.4 monospace;white-space:pre-wrap;z-index:2147483647";document.body.appendChild(d)}d.textContent=JSON.parse(e.data)})})();</script>"#;

fn with_reload_script(mut bytes: Vec<u8>) -> Vec<u8> {
    // Bytes, not text: a page a theme wrote in another encoding is served as it is, plus the script.
    let end = bytes
        .windows(b"</body>".len())
        .rposition(|window| window == b"</body>")
        .unwrap_or(bytes.len());
    bytes.splice(end..end, RELOAD_SCRIPT.bytes());
    bytes
}

/// Maps a request path to a file inside `root`, refusing anything that could leave it.
fn resolve(root: &Path, base_path: &str, request_path: &str) -> Result<PathBuf, Refusal> {
    let Some(rest) = request_path.strip_prefix(base_path).or_else(|| {
        (request_path.to_string() + "/")
            .strip_prefix(base_path)
            .map(|_| "")
    }) else {
        return Err(Refusal::Missing);
    };
    let mut path = root.to_path_buf();
    for segment in rest.split('/').filter(|segment| !segment.is_empty()) {
        let decoded = percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .map_err(|_| Refusal::Outside)?;
        let is_plain = Path::new(decoded.as_ref())
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
            && Path::new(decoded.as_ref()).components().count() == 1;
        if !is_plain || decoded.contains(['/', '\\', '\0']) {
            return Err(Refusal::Outside);
        }
        path.push(decoded.as_ref());
    }
    if path.is_dir() {
        if !request_path.ends_with('/') {
            return Err(Refusal::AddSlash);
        }
        path.push("index.html");
    }
    let real = path.canonicalize().map_err(|_| Refusal::Missing)?;
    let real_root = root.canonicalize().map_err(|_| Refusal::Missing)?;
    if !real.starts_with(&real_root) {
        return Err(Refusal::Outside);
    }
    if real.is_file() {
        Ok(real)
    } else {
        Err(Refusal::Missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reload_script_goes_before_the_body_end_even_in_latin1_pages() {
        let page = b"<html><body>Caf\xe9</body></html>".to_vec();
        let served = with_reload_script(page);
        assert!(served.starts_with(b"<html><body>Caf\xe9<script>"));
        assert!(served.ends_with(b"</script></body></html>"));
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
        assert!(resolve(&root, "/", "/a/").is_ok());
        assert_eq!(resolve(&root, "/", "/a"), Err(Refusal::AddSlash));
        for bad in [
            "/../secret",
            "/%2e%2e/secret",
            "/a/%2F..%2Fsecret",
            "/a%5c..%5csecret",
            "/link",
        ] {
            assert_eq!(resolve(&root, "/", bad), Err(Refusal::Outside), "{bad}");
        }
        assert_eq!(resolve(&root, "/", "/missing.html"), Err(Refusal::Missing));
        assert!(resolve(&root, "/archive/", "/archive/a/").is_ok());
        assert_eq!(resolve(&root, "/archive/", "/a/"), Err(Refusal::Missing));
    }

    #[test]
    fn the_reload_script_goes_before_the_body_ends() {
        let html =
            String::from_utf8(with_reload_script(b"<html><body>x</body></html>".to_vec())).unwrap();
        assert!(html.contains("EventSource"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
