//! `gazette serve` over real HTTP on loopback: pages with the right MIME types, the site's own
//! 404 page, paths that try to leave the site refused, a sub-path base URL honoured, and an edit
//! rebuilt, reflected in the served page and announced to open pages as a reload event, and
//! `--open` handing the site's URL to the browser.

mod common;

use common::{start_server as start, start_server_with};

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

/// A plain HTTP/1.1 GET: status, headers (lower-case names) and body.
fn get(address: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read response");
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status");
    (status, head.to_lowercase(), body.to_string())
}

/// Opens the event stream pages listen to.
fn open_events(address: &str) -> TcpStream {
    let mut events = TcpStream::connect(address).expect("connect");
    write!(
        events,
        "GET /__gazette/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .expect("send");
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    // Let the server register the listener before the test changes anything.
    std::thread::sleep(Duration::from_millis(300));
    events
}

/// Reads the event stream until `needle` arrives, for at most a minute (keep-alive comments
/// arrive every 15 s, so a read alone never times out); returns all that was read.
fn read_events_until(events: &mut TcpStream, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut received = String::new();
    let mut buffer = [0u8; 4096];
    while !received.contains(needle) {
        assert!(
            Instant::now() < deadline,
            "no {needle:?} within a minute: {received}"
        );
        let read = events
            .read(&mut buffer)
            .unwrap_or_else(|error| panic!("no {needle:?} in time ({error}): {received}"));
        assert!(
            read > 0,
            "the event stream closed before {needle:?}: {received}"
        );
        received.push_str(&String::from_utf8_lossy(&buffer[..read]));
    }
    received
}

fn small_site(site_yaml: &str) -> common::TestSite {
    let site = common::TestSite::empty();
    std::fs::write(site.root().join("site.yaml"), site_yaml).expect("site.yaml");
    site.write_article(
        "2024/05/first.md",
        common::markdown_article("First story", "2024-05-01"),
    );
    site.write_article(
        "2024/05/second.md",
        common::markdown_article("Second story", "2024-05-02"),
    );
    std::fs::write(site.root().join("secret.txt"), "not public").expect("secret");
    site
}

#[test]
fn pages_types_404_and_traversal() {
    let site = small_site("title: Served\n");
    let server = start(site.root());
    let (status, head, body) = get(&server.address, "/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(
        body.contains("First story") && body.contains("EventSource"),
        "the reload script is injected"
    );
    let (status, head, _) = get(&server.address, "/gazette.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (_, head, _) = get(&server.address, "/atom.xml");
    assert!(head.contains("xml"), "{head}");
    let (status, _, body) = get(&server.address, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's own 404 page");
    for attempt in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/2024/..%2f..%2fsecret.txt",
        "/%2e%2e%5csecret.txt",
        "/../../../../etc/passwd",
    ] {
        let (status, _, body) = get(&server.address, attempt);
        assert!(status == 400 || status == 404, "{attempt} gave {status}");
        assert!(
            !body.contains("not public") && !body.contains("root:"),
            "{attempt} leaked a file"
        );
    }
}

#[test]
fn a_sub_path_base_url_is_served_under_its_path() {
    let site = small_site("title: Served\nbase_url: https://example.org/archive/\n");
    let server = start(site.root());
    let (status, _, body) = get(&server.address, "/archive/");
    assert_eq!(status, 200);
    assert!(
        body.contains("href=\"/archive/2024/05/first/\""),
        "links keep the sub-path"
    );
    assert_eq!(get(&server.address, "/archive/2024/05/first/").0, 200);
    assert_eq!(
        get(&server.address, "/").0,
        302,
        "the root redirects to the sub-path"
    );
}

#[test]
fn an_edit_is_rebuilt_served_and_announced() {
    let site = small_site("title: Served\n");
    let server = start(site.root());
    let mut events = open_events(&server.address);
    site.write_article(
        "2024/05/first.md",
        common::markdown_article("First story, updated", "2024-05-01"),
    );

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (_, _, body) = get(&server.address, "/2024/05/first/");
        if body.contains("First story, updated") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the edit never reached the served page"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    read_events_until(&mut events, "event: reload");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_the_error() {
    let site = small_site("title: Served\n");
    let server = start(site.root());
    let mut events = open_events(&server.address);
    site.write_article("2024/05/broken.md", "---\ntitle: [unclosed\n---\nBody\n");
    let received = read_events_until(&mut events, "event: build-error");
    assert!(
        received.contains("broken.md:2"),
        "the error names the file and line: {received}"
    );
    let (status, _, body) = get(&server.address, "/2024/05/first/");
    assert_eq!(status, 200);
    assert!(
        body.contains("First story"),
        "the last good site is still served"
    );
}

#[test]
fn open_hands_the_served_url_to_the_browser() {
    let site = small_site("title: Served\nbase_url: https://example.org/archive/\n");
    // A stand-in browser, named by `$BROWSER` as a user would, that writes down what it opens.
    let opened = site.root().join("opened.txt");
    let browser = site.root().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .expect("write the stand-in browser");
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755))
        .expect("make the stand-in browser executable");
    let server = start_server_with(site.root(), |command| {
        command.arg("--open").env("BROWSER", &browser);
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while !opened.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(100));
    let url = std::fs::read_to_string(&opened).expect("--open started no browser");
    assert_eq!(url, format!("http://{}/archive/", server.address));
    assert_eq!(
        get(&server.address, "/archive/").0,
        200,
        "the opened URL is served"
    );
}

#[test]
fn an_edited_article_is_shown_before_the_rest_of_a_large_site_is_rebuilt() {
    // The BBC corpus makes the full rebuild take seconds; the edited page must not wait for it.
    let site = common::TestSite::empty();
    std::fs::write(
        site.root().join("site.yaml"),
        "title: Large\nsearch: false\n",
    )
    .expect("yaml");
    common::link_bbc_corpus(&site.root().join("content"));
    site.write_article(
        "2024/05/first.md",
        common::markdown_article("First story", "2024-05-01"),
    );
    let server = start(site.root());
    let mut events = open_events(&server.address);

    let edited = Instant::now();
    site.write_article(
        "2024/05/first.md",
        common::markdown_article("First story", "2024-05-01")
            + "\nThe harbour reopened on Tuesday after the storm.\n",
    );
    read_events_until(&mut events, "event: reload");
    let shown = edited.elapsed();
    let (status, _, body) = get(&server.address, "/2024/05/first/");
    assert_eq!(status, 200);
    assert!(
        body.contains("The harbour reopened on Tuesday after the storm."),
        "the first reload after the edit served the old page"
    );
    read_events_until(&mut events, "event: reload");
    let rebuilt = edited.elapsed();
    assert!(
        shown * 3 < rebuilt,
        "the edited page took {shown:?}, no faster than the whole rebuild ({rebuilt:?})"
    );
    let (_, _, body) = get(&server.address, "/2024/05/first/");
    assert!(
        body.contains("The harbour reopened on Tuesday after the storm."),
        "the full rebuild lost the edit"
    );
    println!("edited page shown after {shown:?}, whole site rebuilt after {rebuilt:?}");
}
