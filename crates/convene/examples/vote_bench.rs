//! Vote-rate benchmark: many anonymous participants vote over HTTP/1.1 keep-alive
//! connections on loopback, as browsers without JavaScript do (a form POST with the
//! CSRF token; the participant cookie set by the first vote). Prints votes per second.
//!
//!   cargo run --release --example vote_bench -- http://127.0.0.1:8080 /s/serran-valley/opinion/20 2000 64
//!
//! Arguments: base URL, conversation path, participants, connections.

use std::time::Instant;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Conn {
    host: String,
    stream: BufReader<TcpStream>,
}

struct Resp {
    status: u16,
    set_cookies: Vec<(String, String)>,
    body: String,
}

impl Conn {
    async fn open(addr: &str) -> std::io::Result<Conn> {
        let s = TcpStream::connect(addr).await?;
        s.set_nodelay(true)?;
        Ok(Conn {
            host: addr.to_string(),
            stream: BufReader::new(s),
        })
    }

    async fn request(&mut self, head: &str, body: &str) -> std::io::Result<Resp> {
        let req = format!(
            "{head}\r\nHost: {}\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut len = 0usize;
        let mut set_cookies = Vec::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                let v = v.trim();
                if k == "content-length" {
                    len = v.parse().unwrap_or(0);
                } else if k == "set-cookie" {
                    if let Some((name, rest)) = v.split_once('=') {
                        let value = rest.split(';').next().unwrap_or("");
                        set_cookies.push((name.to_string(), value.to_string()));
                    }
                }
            }
        }
        let mut buf = vec![0u8; len];
        self.stream.read_exact(&mut buf).await?;
        Ok(Resp {
            status,
            set_cookies,
            body: String::from_utf8_lossy(&buf).into_owned(),
        })
    }
}

fn field(html: &str, name: &str) -> Option<String> {
    let pat = format!("name=\"{name}\" value=\"");
    let i = html.find(&pat)? + pat.len();
    Some(html[i..].split('"').next()?.to_string())
}

/// Statement ids from the results page's "all statements" table.
fn statement_ids(html: &str) -> Vec<String> {
    let pat = "<tr><td class=\"num\">";
    let mut ids: Vec<String> = html
        .match_indices(pat)
        .filter_map(|(i, _)| html[i + pat.len()..].split('<').next().map(str::to_string))
        .filter(|s| s.parse::<i64>().is_ok())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// One participant: fetch the page (anonymous CSRF cookie and token), then vote on
/// every statement. Returns (votes recorded, failures).
async fn participant(
    conn: &mut Conn,
    path: &str,
    ids: &[String],
    n: usize,
) -> std::io::Result<(u64, u64)> {
    let r = conn.request(&format!("GET {path} HTTP/1.1"), "").await?;
    let mut cookies = r.set_cookies;
    let Some(token) = field(&r.body, "_csrf") else {
        return Ok((0, 1));
    };
    let (mut ok, mut failed) = (0, 0);
    for (k, id) in ids.iter().enumerate() {
        let vote = ["agree", "disagree", "pass"][(n + k) % 3];
        let cookie = cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let r = conn
            .request(
                &format!(
                    "POST {path}/vote HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: {cookie}"
                ),
                &format!("statement={id}&vote={vote}&_csrf={token}"),
            )
            .await?;
        if r.status == 303 {
            ok += 1;
        } else {
            failed += 1;
        }
        for (name, value) in r.set_cookies {
            cookies.retain(|(k, _)| *k != name);
            cookies.push((name, value));
        }
    }
    Ok((ok, failed))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let path = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "/s/serran-valley/opinion/1".into());
    let participants: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let connections: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(64);
    let addr = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();

    let mut c = Conn::open(&addr).await?;
    let results = c
        .request(&format!("GET {path}/results HTTP/1.1"), "")
        .await?;
    let ids = statement_ids(&results.body);
    if ids.is_empty() {
        eprintln!(
            "no statements found at {path}/results (status {})",
            results.status
        );
        std::process::exit(1);
    }
    println!(
        "{} statements, {participants} participants, {connections} connections",
        ids.len()
    );

    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..connections {
        let (addr, path, ids) = (addr.clone(), path.clone(), ids.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await?;
            let (mut ok, mut failed) = (0u64, 0u64);
            for n in (w..participants).step_by(connections) {
                let (o, f) = participant(&mut conn, &path, &ids, n).await?;
                ok += o;
                failed += f;
            }
            Ok::<_, std::io::Error>((ok, failed))
        }));
    }
    let (mut ok, mut failed) = (0u64, 0u64);
    for t in tasks {
        match t.await {
            Ok(Ok((o, f))) => {
                ok += o;
                failed += f;
            }
            Ok(Err(e)) => {
                eprintln!("connection error: {e}");
                failed += 1;
            }
            Err(e) => {
                eprintln!("task error: {e}");
                failed += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{ok} votes recorded in {secs:.2} s ({failed} failed): {:.0} votes/s",
        ok as f64 / secs
    );
    if failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}
