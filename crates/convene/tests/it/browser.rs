//! End-to-end browser suite: starts `convene demo` on a free loopback port and runs
//! `node e2e/run.mjs URL` (headless Chromium driven by playwright-core, axe-core for
//! accessibility) from the workspace root.
//!
//! Needs `node`, `/usr/bin/chromium` and `e2e/node_modules` (`npm ci` in `e2e/`). When one
//! is missing the test is skipped, unless `CI=true` or `CONVENE_BROWSER_TESTS=1`, where it
//! fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
        || std::env::var("CONVENE_BROWSER_TESTS").is_ok_and(|v| v == "1")
}

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What is missing to run the suite, if anything.
fn missing(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if !node_available() {
        out.push("node is not on PATH".to_string());
    }
    if !Path::new(CHROMIUM).exists() {
        out.push(format!("{CHROMIUM} is not installed"));
    }
    let modules = root.join("e2e/node_modules");
    for package in ["playwright-core", "axe-core"] {
        if !modules.join(package).exists() {
            out.push(format!(
                "e2e/node_modules/{package} is missing (run `npm ci` in e2e/)"
            ));
        }
    }
    out
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Status code of `GET path`, over a plain TCP connection.
fn get_status(addr: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).ok()?;
    let line = std::str::from_utf8(&head[..n]).ok()?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn wait_healthy(addr: SocketAddr, server: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = server.try_wait().expect("server status") {
            panic!("convene demo exited early with {status}");
        }
        if get_status(addr, "/healthz") == Some(200) {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    panic!("convene demo did not answer /healthz with 200 within 60 s at {addr}");
}

#[test]
fn browser_suite() {
    let root = workspace_root();
    let missing = missing(&root);
    if !missing.is_empty() {
        let why = missing.join("; ");
        if required() {
            panic!("browser suite required (CI=true or CONVENE_BROWSER_TESTS=1) but {why}");
        }
        println!("SKIPPED: browser suite ({why})");
        return;
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    // E-mail through a real SMTP server writing a Maildir the browser tests read
    // (a pledge's confirmation link), when one is available.
    let maildir = dir.path().join("maildir");
    let _smtp = crate::mail::smtp_python().map(|python| {
        let smtp_port = free_port();
        let smtp = crate::mail::smtp_server(&python, smtp_port, &maildir);
        std::fs::write(
            dir.path().join("convene.toml"),
            format!(
                "public_url = \"http://{addr}\"\nsmtp_url = \"smtp://127.0.0.1:{smtp_port}\"\nmail_from = \"Convene <outbox@convene.test>\"\n"
            ),
        )
        .expect("write the configuration");
        smtp
    });
    let mut demo = Command::new(env!("CARGO_BIN_EXE_convene"));
    if _smtp.is_some() {
        demo.arg("--config").arg(dir.path().join("convene.toml"));
    }
    let child = demo
        .arg("demo")
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--bind")
        .arg(addr.to_string())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start convene demo");
    let mut server = Server(child);
    wait_healthy(addr, &mut server.0);

    let url = format!("http://{addr}");
    let mut node = Command::new("node");
    if _smtp.is_some() {
        node.env("CONVENE_E2E_MAILDIR", &maildir);
    }
    let mut node = node
        .arg("e2e/run.mjs")
        .arg(&url)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node e2e/run.mjs");
    // Stream both outputs as they come, through the test harness's capture.
    let stderr = node.stderr.take().expect("stderr");
    let errors = thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
        }
    });
    let mut last = String::new();
    for line in BufReader::new(node.stdout.take().expect("stdout"))
        .lines()
        .map_while(Result::ok)
    {
        println!("{line}");
        last = line;
    }
    let status = node.wait().expect("wait for node");
    let _ = errors.join();
    drop(server);

    assert!(
        status.success(),
        "browser suite failed ({status}); last line: {last}"
    );
    assert!(
        last.ends_with(" 0 failed"),
        "browser suite's last line should report 0 failed: {last}"
    );
}
