//! A stand-in for a model host: files over HTTP on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;

/// Serves `files` (URL path, body) over HTTP on loopback, honouring `Range: bytes=N-`, for
/// `requests` requests (404 for other paths); returns the address and the Range starts it saw
/// ("none" for a request without one).
pub fn serve(
    files: Vec<(&'static str, Vec<u8>)>,
    requests: usize,
) -> anyhow::Result<(String, std::thread::JoinHandle<Vec<String>>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}", listener.local_addr()?);
    let handle = std::thread::spawn(move || {
        let mut ranges = Vec::new();
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let path = head
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let start = head
                .to_lowercase()
                .lines()
                .find_map(|l| l.strip_prefix("range: bytes="))
                .and_then(|r| {
                    r.trim_end_matches('-')
                        .trim_end_matches("-\r")
                        .parse::<usize>()
                        .ok()
                });
            ranges.push(start.map_or_else(|| "none".to_owned(), |s| s.to_string()));
            let Some((_, body)) = files.iter().find(|(p, _)| *p == path) else {
                let _ = write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                continue;
            };
            let from = start.unwrap_or(0).min(body.len());
            let status = if start.is_some() {
                "206 Partial Content"
            } else {
                "200 OK"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len() - from
            );
            let _ = stream.write_all(&body[from..]);
        }
        ranges
    });
    Ok((address, handle))
}
