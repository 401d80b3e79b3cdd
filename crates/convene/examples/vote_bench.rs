//! Vote-rate benchmark: many anonymous participants vote over HTTP/1.1 keep-alive
//! connections on loopback, as browsers without JavaScript do (a form POST with the
//! CSRF token; the participant cookie set by the first vote). Prints votes per second.
//!
//!   cargo run --release --example vote_bench -- http://127.0.0.1:8080 /s/serran-valley/opinion/20 2000 64
//!
//! Arguments: base URL, conversation path, participants, connections, and optionally
//! the server's process id (to report the server's CPU time during the votes).
//! Each participant first opens the page once; then the votes alone are timed.

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

/// CPU seconds (user + system) used so far by a process, from `/proc` (Linux).
fn server_cpu(pid: Option<u32>) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid?)).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
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

/// A participant's cookies and CSRF token, from a first visit of the page.
struct Visitor {
    n: usize,
    cookies: Vec<(String, String)>,
    token: String,
}

async fn visit(conn: &mut Conn, path: &str, n: usize) -> std::io::Result<Option<Visitor>> {
    let r = conn.request(&format!("GET {path} HTTP/1.1"), "").await?;
    Ok(field(&r.body, "_csrf").map(|token| Visitor {
        n,
        cookies: r.set_cookies,
        token,
    }))
}

/// One participant votes on every statement. Returns (votes recorded, failures).
async fn participant(
    conn: &mut Conn,
    path: &str,
    ids: &[String],
    v: Visitor,
) -> std::io::Result<(u64, u64)> {
    let Visitor {
        n,
        mut cookies,
        token,
    } = v;
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
    let server_pid: Option<u32> = args.get(5).and_then(|s| s.parse().ok());
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

    // Phase 1: every participant opens the page once (cookies, CSRF token).
    let mut joining = Vec::new();
    for w in 0..connections {
        let (addr, path) = (addr.clone(), path.clone());
        joining.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await?;
            let mut visitors = Vec::new();
            for n in (w..participants).step_by(connections) {
                if let Some(v) = visit(&mut conn, &path, n).await? {
                    visitors.push(v);
                }
            }
            Ok::<_, std::io::Error>((conn, visitors))
        }));
    }
    let mut conns = Vec::new();
    for j in joining {
        match j.await {
            Ok(Ok(c)) => conns.push(c),
            Ok(Err(e)) => return Err(e),
            Err(e) => return Err(std::io::Error::other(e.to_string())),
        }
    }
    // Phase 2, timed: all participants vote on every statement, concurrently.
    let cpu_before = server_cpu(server_pid);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (mut conn, visitors) in conns {
        let (path, ids) = (path.clone(), ids.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut failed) = (0u64, 0u64);
            for v in visitors {
                let (o, f) = participant(&mut conn, &path, &ids, v).await?;
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
    if let (Some(a), Some(b)) = (cpu_before, server_cpu(server_pid)) {
        let cpu = b - a;
        println!(
            "server CPU during the votes: {cpu:.2} s, {:.0} votes per server CPU-second",
            ok as f64 / cpu.max(1e-9)
        );
    }
    if failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}
