//! `gazette serve` under load on loopback: 200 clients on keep-alive connections requesting
//! pages for a while get only complete 200 answers, and clients that connect and go silent, or
//! send half a request and stall, do not hold up anyone else. The load lasts 5 s here;
//! `GAZETTE_LOAD_SECONDS=30 cargo test --test serve_under_load` runs the full 30 s.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{markdown_article, start_server, TestSite};

const CLIENTS: usize = 200;

/// A site of a few articles, so requests hit article pages, listings and the stylesheet.
fn small_site() -> TestSite {
    let site = TestSite::empty();
    for (number, month) in [(1, "01"), (2, "02"), (3, "03"), (4, "04")] {
        site.write_article(
            &format!("2023/{month}/story-{number}.md"),
            markdown_article(
                &format!("Story number {number}"),
                &format!("2023-{month}-10"),
            ),
        );
    }
    site
}

/// Sends one GET on a kept-alive connection and reads the whole answer; returns the status.
fn get(reader: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    reader.get_mut().write_all(request.as_bytes())?;
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut length = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status)
}

fn connect(address: &str) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(address).expect("connect to gazette serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("set a timeout");
    BufReader::new(stream)
}

#[test]
fn two_hundred_clients_get_every_page_and_stalled_clients_block_no_one() {
    let seconds: u64 = std::env::var("GAZETTE_LOAD_SECONDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(5);
    let site = small_site();
    let server = start_server(site.root());
    let address = server.address.clone();

    // Clients that never finish a request: silent ones and ones that stop mid-header.
    let mut stalled = Vec::new();
    for number in 0..50 {
        let mut stream = TcpStream::connect(&address).expect("connect a stalled client");
        if number % 2 == 0 {
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .expect("send half a request");
        }
        stalled.push(stream);
    }

    let paths = [
        "/",
        "/2023/01/story-1/",
        "/2023/02/story-2/",
        "/2023/",
        "/archive/",
        "/gazette.css",
        "/atom.xml",
    ];
    let answered = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (address, answered) = (address.clone(), answered.clone());
            std::thread::spawn(move || -> Result<(), String> {
                let mut reader = connect(&address);
                let mut request = client;
                while Instant::now() < deadline {
                    let path = paths[request % paths.len()];
                    match get(&mut reader, path) {
                        Ok(200) => answered.fetch_add(1, Ordering::Relaxed),
                        Ok(status) => return Err(format!("{path} answered {status}")),
                        Err(error) => return Err(format!("{path}: {error}")),
                    };
                    request += 1;
                }
                Ok(())
            })
        })
        .collect();

    // While the load runs and the stalled clients hang on, a fresh client is answered quickly.
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let mut fresh = connect(&address);
    assert_eq!(
        get(&mut fresh, "/").expect("a fresh client is answered"),
        200
    );
    let waited = started.elapsed();

    let errors: Vec<String> = clients
        .into_iter()
        .filter_map(|client| client.join().expect("a client thread").err())
        .collect();
    assert!(
        errors.is_empty(),
        "{} clients failed: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    let total = answered.load(Ordering::Relaxed);
    assert!(total >= CLIENTS * 10, "only {total} answers in {seconds} s");
    assert!(
        waited < Duration::from_secs(2),
        "a fresh client waited {waited:?}"
    );
    println!(
        "{total} answers in {seconds} s from {CLIENTS} clients; a fresh client waited {waited:?}"
    );
    drop(stalled);
}
