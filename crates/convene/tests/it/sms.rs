//! SMS end to end against the real server binary.
//!
//! - A `kill -9` during a burst of gateway deliveries loses no acknowledged message,
//!   and a retry after the restart stores nothing twice.
//! - Kannel from Debian's packages (bearerbox, smsbox, and fakesmsc from
//!   kannel-extras), started here on loopback: fakesmsc plays hundreds of phones
//!   texting in, replies travel back through Kannel, and a queued message leaves
//!   through Kannel's sendsms. Skipped when Kannel is not installed, except under CI.
//! - Three hundred fakesmsc phones answer a poll end to end through Kannel: keyword,
//!   then each answer in order, some with an unreadable answer first, a few DELETE.
//! - Forty fakesmsc phones with a poll open vote in an opinion conversation by SMS:
//!   their digits go to the conversation only, and the analysis finds their camps.
//! - Phones find an activity in their district (`ACT`), join it (`JOIN`) past its
//!   capacity onto the waiting list, one leaves and the first waiting moves up; the
//!   reminder and the cancellation reach the joined phones through Kannel.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use convene_domain::crypto::Keyring;
use convene_domain::sms::{Gateway, NewChannel, Settings};
use convene_domain::Db;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn db_url(dir: &Path) -> String {
    convene_domain::storage::sqlite_url(dir)
}

/// A data directory with an owner, a space and a Kannel channel; returns its key.
async fn prepare(dir: &Path, sendsms_port: u16) -> (Db, String, i64) {
    // Kannel's address comes from the server's configuration file, never the web.
    std::fs::write(
        dir.join("convene.toml"),
        format!("kannel_send_url = \"http://127.0.0.1:{sendsms_port}/cgi-bin/sendsms\"\n"),
    )
    .unwrap();
    let keys = Keyring::load_or_create(&dir.join("convene.key")).unwrap();
    let db = Db::connect(&db_url(dir), keys).await.unwrap();
    db.migrate().await.unwrap();
    let owner = db
        .create_user(
            "owner@example.org",
            "Owner",
            "a long enough password",
            false,
        )
        .await
        .unwrap();
    db.create_space("valley", "Valley", "", true, &owner)
        .await
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    let created = db
        .create_sms_channel(
            &scope,
            &NewChannel {
                gateway: Gateway::Kannel,
                name: "Kannel".into(),
                number: "4040".into(),
                settings: Settings {
                    account: "convene".into(),
                },
                secret: "sendpass".into(),
                rate_per_sec: 50.0,
                languages: vec!["ur".into()],
            },
        )
        .await
        .unwrap();
    (db, created.key, created.id)
}

fn serve(dir: &Path, port: u16) -> Proc {
    let child = Command::new(env!("CARGO_BIN_EXE_convene"))
        .arg("--config")
        .arg(dir.join("convene.toml"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .args(["--public-url", &format!("http://127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let p = Proc(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while get(port, "/healthz").map(|(s, _)| s).ok() != Some(200) {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    p
}

/// A GET over a fresh connection: (status, body).
fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let body = out.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    Ok((status, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_burst_loses_no_acknowledged_message() {
    let dir = tempfile::tempdir().unwrap();
    let (db, key, channel) = prepare(dir.path(), free_port()).await;
    db.close().await;
    let port = free_port();
    let mut server = serve(dir.path(), port);

    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut senders = Vec::new();
    for t in 0..8 {
        let (acked, stop, key) = (acked.clone(), stop.clone(), key.clone());
        senders.push(std::thread::spawn(move || {
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let id = format!("burst-{t}-{n}");
                let path = format!("/hooks/kannel/{key}?id={id}&from=%2B2547{t:02}{n:06}&text=2");
                if let Ok((200, _)) = get(port, &path) {
                    acked.lock().unwrap().push(id);
                }
            }
        }));
    }
    // Kill the server hard in the middle of the burst.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < 400 {
        assert!(Instant::now() < deadline, "the burst did not get going");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.0.kill().unwrap(); // SIGKILL
    server.0.wait().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for s in senders {
        s.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();

    // Restart on the same data and look.
    let port2 = free_port();
    let _server = serve(dir.path(), port2);
    let keys = Keyring::load(&dir.path().join("convene.key")).unwrap();
    let db = Db::connect(&db_url(dir.path()), keys).await.unwrap();
    let stored: std::collections::HashSet<String> = db
        .sms_inbound_gateway_ids(channel)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let lost: Vec<&String> = acked.iter().filter(|id| !stored.contains(*id)).collect();
    println!(
        "{} acknowledged before kill -9, {} stored, {} lost",
        acked.len(),
        stored.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");

    // The gateway retries what it had sent: nothing is stored twice.
    let before = db.sms_inbound_count(channel).await.unwrap();
    for id in acked.iter().take(50) {
        let (status, _) = get(
            port2,
            &format!("/hooks/kannel/{key}?id={id}&from=%2B254700000001&text=2"),
        )
        .unwrap();
        assert_eq!(status, 200);
    }
    assert_eq!(db.sms_inbound_count(channel).await.unwrap(), before);
}

fn kannel() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let bb = PathBuf::from("/usr/sbin/bearerbox");
    let sb = PathBuf::from("/usr/sbin/smsbox");
    let fake = PathBuf::from("/usr/lib/kannel/test/fakesmsc");
    if bb.exists() && sb.exists() && fake.exists() {
        return Some((bb, sb, fake));
    }
    assert!(
        !ci(),
        "CI requires Kannel: install the kannel and kannel-extras packages"
    );
    eprintln!("SKIPPED: Kannel end-to-end test (install kannel and kannel-extras)");
    None
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "port {port} never opened");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs fakesmsc until it exits, prints `done` (then a second more, for replies in
/// flight), or `limit` passes; returns what it printed.
fn fakesmsc(
    fake: &Path,
    smsc_port: u16,
    args: &[&str],
    done: Option<&str>,
    limit: Duration,
) -> String {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(fake)
        .args(["-H", "127.0.0.1", "-r", &smsc_port.to_string()])
        .args(args)
        .stdout(out.reopen().unwrap())
        .stderr(out.reopen().unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if let Some(marker) = done {
            let printed = std::fs::read_to_string(out.path()).unwrap_or_default();
            if printed.lines().any(|l| l.ends_with(marker)) {
                std::thread::sleep(Duration::from_secs(1));
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    std::fs::read_to_string(out.path()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_end_to_end_with_fakesmsc() {
    let Some((bearerbox, smsbox, fake)) = kannel() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (admin, boxc, smsc, sendsms, port) = (
        free_port(),
        free_port(),
        free_port(),
        free_port(),
        free_port(),
    );
    let (db, key, channel) = prepare(dir.path(), sendsms).await;
    // A message already queued for a phone leaves through Kannel's sendsms.
    let ch = db.sms_channel_by_key(&key).await.unwrap();
    db.queue_sms(&ch, "+923001110000", "Convene outbound check")
        .await
        .unwrap()
        .unwrap();
    db.close().await;
    let k = dir.path().join("kannel");
    std::fs::create_dir_all(k.join("spool")).unwrap();
    let conf = k.join("kannel.conf");
    std::fs::write(
        &conf,
        format!(
            r#"group = core
admin-port = {admin}
admin-password = test-admin
smsbox-port = {boxc}
log-level = 2
log-file = "{dir}/bearerbox.log"
store-type = spool
store-location = "{dir}/spool"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {sendsms}
log-level = 2
log-file = "{dir}/smsbox.log"
http-request-retry = 20
http-queue-delay = 1
mo-recode = true

group = sendsms-user
username = convene
password = sendpass
max-messages = 3
concatenation = true

group = sms-service
keyword = default
get-url = "http://127.0.0.1:{port}/hooks/kannel/{key}?id=%I&from=%p&text=%a"
omit-empty = true
max-messages = 3
"#,
            dir = k.display()
        ),
    )
    .unwrap();
    let _bb = Proc(
        Command::new(&bearerbox)
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(boxc);
    let _sb = Proc(
        Command::new(&smsbox)
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(sendsms);
    let _server = serve(dir.path(), port);

    // Three hundred phones text in: some STOP, some answer, some in Urdu.
    const PHONES: usize = 300;
    let burst = fakesmsc(
        &fake,
        smsc,
        &[
            "-i",
            "0.005",
            "-m",
            &PHONES.to_string(),
            "-z",
            "1",
            "92300 4040 text STOP",
            "92301 4040 text 2",
            "92302 4040 ucs2 %06%28%06%46%06%2F",
        ],
        Some(&format!("sent message {PHONES}")),
        Duration::from_secs(120),
    );
    assert!(
        burst.contains(&format!("sent message {PHONES}")),
        "fakesmsc did not send everything:\n{burst}"
    );

    // Wait until Convene has stored every message.
    let keys = Keyring::load(&dir.path().join("convene.key")).unwrap();
    let db = Db::connect(&db_url(dir.path()), keys).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let n = db.sms_inbound_count(channel).await.unwrap() as usize;
        if n == PHONES {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {n} of {PHONES} messages arrived"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let stops = db.sms_inbound_outcome_count(channel, "stop").await.unwrap() as usize;
    assert!(stops > 30, "the random mix had {stops} stops");

    // A phone reconnects and receives every reply Kannel queued, and the queued
    // outbound message.
    let replies = fakesmsc(
        &fake,
        smsc,
        &["-i", "30", "-m", "2", "923330000000 4040 text hello"],
        None,
        Duration::from_secs(8),
    );
    // Replies came back during the burst and after the reconnection.
    let got: Vec<&str> = burst
        .lines()
        .chain(replies.lines())
        .filter(|l| l.contains("Got message"))
        .collect();
    let outbound =
        |l: &&&str| l.contains("Convene outbound check") || l.contains("Convene+outbound+check");
    let confirmations = got.iter().filter(|l| !outbound(l)).count();
    println!(
        "{PHONES} phones texted in, {stops} STOP, {confirmations} confirmations came back through Kannel"
    );
    assert_eq!(confirmations, stops, "{burst}\n{replies}");
    assert!(
        got.iter().any(|l| outbound(&l)),
        "the queued message did not leave through sendsms:\n{replies}"
    );
}

/// Decodes what fakesmsc prints of a reply's text (URL-encoded).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The poll the phones answer: a choice, a scale and a number.
fn kannel_poll() -> convene_domain::polls::NewPoll {
    use convene_domain::polls::xlsform::{Choice, ChoiceList, Translations};
    use convene_domain::polls::{Access, NewPoll, PollDefinition, Question, QuestionKind};
    let tr = |s: &str| -> Translations { [("en".to_string(), s.to_string())].into() };
    let q = |name: &str, label: &str, kind| Question {
        name: name.into(),
        kind,
        label: tr(label),
        hint: Translations::new(),
        required: true,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    };
    let choices = ChoiceList {
        name: "road".into(),
        choices: ["open", "closed", "unsure"]
            .iter()
            .map(|c| Choice {
                name: c.to_string(),
                label: tr(c),
            })
            .collect(),
    };
    NewPoll {
        title: "Valley roads".into(),
        description: String::new(),
        level: convene_domain::model::Level::Public,
        definition: PollDefinition {
            title: None,
            form_id: None,
            version: None,
            default_language: Some("en".into()),
            languages: vec!["en".into()],
            questions: vec![
                q(
                    "road",
                    "Is the road open?",
                    QuestionKind::SelectOne(choices),
                ),
                q(
                    "safety",
                    "How safe do you feel?",
                    QuestionKind::Scale { min: 1, max: 5 },
                ),
                q("age", "Your age?", QuestionKind::Integer),
            ],
        },
        access: Access::Open,
        keyword: Some("ROADS".into()),
        opens_at: None,
        closes_at: None,
        idle_timeout_secs: 3600,
        results_public: false,
    }
}

/// Runs fakesmsc to send one text, and stops it as soon as it has sent it; returns
/// what it printed (replies to earlier texts of its lane may be among it).
fn fakesmsc_one(fake: &Path, smsc_port: u16, msg: &str) -> String {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(fake)
        .args(["-H", "127.0.0.1", "-r", &smsc_port.to_string()])
        .args(["-i", "0", "-m", "1", msg])
        .stdout(out.reopen().unwrap())
        .stderr(out.reopen().unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let printed = std::fs::read_to_string(out.path()).unwrap_or_default();
        if printed.contains("sent message 1") || child.try_wait().unwrap().is_some() {
            // A moment for the text to leave and for the reply to an earlier text
            // still in flight: a fakesmsc killed with unread replies resets its
            // connection, which can drop a text not yet read by bearerbox (one in
            // 1,200 was lost that way with 10 ms).
            std::thread::sleep(Duration::from_millis(50));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "fakesmsc did not send:\n{printed}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    std::fs::read_to_string(out.path()).unwrap()
}

/// What phone `i` texts, in order.
fn script(i: usize) -> Vec<String> {
    let mut s = vec!["roads".to_string()];
    if i % 10 == 3 {
        s.push("banana".into()); // unreadable: the hint comes back
    }
    s.push(((i % 3) + 1).to_string());
    s.push(((i % 5) + 1).to_string());
    s.push((18 + i % 60).to_string());
    if i % 25 == 7 {
        s.push("DELETE".into());
    }
    s
}

/// Kannel on loopback: bearerbox and smsbox with `lanes` fake SMS centres (a fake
/// centre takes one fakesmsc connection at a time), delivering to the server on
/// `port` through the channel's `key`.
struct KannelRun {
    _bb: Proc,
    _sb: Proc,
    smscs: Vec<u16>,
}

fn start_kannel(
    bearerbox: &Path,
    smsbox: &Path,
    dir: &Path,
    lanes: usize,
    (admin, boxc, sendsms): (u16, u16, u16),
    port: u16,
    key: &str,
) -> KannelRun {
    let smscs: Vec<u16> = (0..lanes).map(|_| free_port()).collect();
    let k = dir.join("kannel");
    std::fs::create_dir_all(k.join("spool")).unwrap();
    let conf = k.join("kannel.conf");
    let mut text = format!(
        r#"group = core
admin-port = {admin}
admin-password = test-admin
smsbox-port = {boxc}
log-level = 2
log-file = "{dir}/bearerbox.log"
store-type = spool
store-location = "{dir}/spool"
dlr-storage = internal

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {sendsms}
log-level = 2
log-file = "{dir}/smsbox.log"
http-request-retry = 20
http-queue-delay = 1
mo-recode = true

group = sendsms-user
username = convene
password = sendpass
max-messages = 3
concatenation = true

group = sms-service
keyword = default
get-url = "http://127.0.0.1:{port}/hooks/kannel/{key}?id=%I&from=%p&text=%a"
omit-empty = true
max-messages = 3
"#,
        dir = k.display()
    );
    for (i, p) in smscs.iter().enumerate() {
        text.push_str(&format!(
            "\ngroup = smsc\nsmsc = fake\nsmsc-id = lane{i}\nport = {p}\nconnect-allow-ip = 127.0.0.1\n"
        ));
    }
    std::fs::write(&conf, text).unwrap();
    let _bb = Proc(
        Command::new(bearerbox)
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(boxc);
    let _sb = Proc(
        Command::new(smsbox)
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(sendsms);
    KannelRun { _bb, _sb, smscs }
}

/// Texts `scripts` (phone i sends scripts[i] in order) through the fake centres:
/// round r sends every phone's r-th text, and the next round starts only when every
/// text of this one is stored, so a phone's texts arrive in order. Then each lane
/// listens once more for the replies still queued in Kannel. Returns how many texts
/// were sent and what fakesmsc printed.
async fn text_in_rounds(
    db: &Db,
    channel: i64,
    fake: &Path,
    smscs: &[u16],
    scripts: &[Vec<String>],
    phone: impl Fn(usize) -> String,
) -> (usize, String) {
    let lanes_n = smscs.len();
    let rounds = scripts.iter().map(Vec::len).max().unwrap_or(0);
    let printed = Arc::new(Mutex::new(String::new()));
    let mut sent_total = 0;
    for r in 0..rounds {
        let batch: Vec<(usize, String)> = scripts
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.get(r).map(|t| (i, t.clone())))
            .collect();
        sent_total += batch.len();
        let lanes: Vec<_> = (0..lanes_n)
            .map(|lane| {
                let mine: Vec<(usize, String)> = batch
                    .iter()
                    .filter(|(i, _)| i % lanes_n == lane)
                    .cloned()
                    .collect();
                let (fake, smsc, printed) = (fake.to_path_buf(), smscs[lane], printed.clone());
                let phones: Vec<String> = mine.iter().map(|(i, _)| phone(*i)).collect();
                std::thread::spawn(move || {
                    for ((_, t), from) in mine.iter().zip(phones) {
                        let out = fakesmsc_one(&fake, smsc, &format!("{from} 4040 text {t}"));
                        printed.lock().unwrap().push_str(&out);
                    }
                })
            })
            .collect();
        for l in lanes {
            l.join().unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let n = db.sms_inbound_count(channel).await.unwrap() as usize;
            if n == sent_total {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "round {r}: only {n} of {sent_total} texts arrived"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    printed
        .lock()
        .unwrap()
        .push_str(&listen(fake, smscs, Duration::from_secs(3)));
    let out = printed.lock().unwrap().clone();
    (sent_total, out)
}

/// What every fake centre delivers to phones during `secs` (the replies still
/// queued in Kannel, and what the server sends meanwhile). A fake centre delivers
/// only while a fakesmsc is connected, and fakesmsc stays connected only while it
/// has a text to send: each lane's listener texts one "ping" from a number of its
/// own, then waits a minute before its next, and is stopped after `secs`.
fn listen(fake: &Path, smscs: &[u16], secs: Duration) -> String {
    let listeners: Vec<_> = smscs
        .iter()
        .enumerate()
        .map(|(lane, &smsc)| {
            let fake = fake.to_path_buf();
            let ping = format!("9000000000{lane} 4040 text ping");
            std::thread::spawn(move || {
                fakesmsc(&fake, smsc, &["-i", "60", "-m", "2", &ping], None, secs)
            })
        })
        .collect();
    listeners
        .into_iter()
        .map(|l| l.join().unwrap())
        .collect::<Vec<_>>()
        .join("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_phones_answer_a_poll_end_to_end() {
    let Some((bearerbox, smsbox, fake)) = kannel() else {
        return;
    };
    const PHONES: usize = 300;
    // Several fake SMS centres, so that phones text in parallel lanes: a fake centre
    // takes one fakesmsc connection at a time.
    const LANES: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let (admin, boxc, sendsms, port) = (free_port(), free_port(), free_port(), free_port());
    let (db, key, channel) = prepare(dir.path(), sendsms).await;
    let owner = db
        .user_by_email("owner@example.org")
        .await
        .unwrap()
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    let poll_id = db.create_poll(&scope, &kannel_poll()).await.unwrap();
    db.close().await;

    let run = start_kannel(
        &bearerbox,
        &smsbox,
        dir.path(),
        LANES,
        (admin, boxc, sendsms),
        port,
        &key,
    );
    let _server = serve(dir.path(), port);
    for p in &run.smscs {
        wait_for_port(*p);
    }
    let smscs = run.smscs.clone();

    let keys = Keyring::load(&dir.path().join("convene.key")).unwrap();
    let db = Db::connect(&db_url(dir.path()), keys.clone())
        .await
        .unwrap();
    let phone = |i: usize| format!("9230{:07}", 1000 + i);
    let scripts: Vec<Vec<String>> = (0..PHONES).map(script).collect();
    let started = Instant::now();
    let (sent_total, printed) = text_in_rounds(&db, channel, &fake, &smscs, &scripts, phone).await;
    let elapsed = started.elapsed();

    // Every phone's answers are stored as typed; DELETE left nothing.
    let mut complete = 0;
    for (i, s) in scripts.iter().enumerate() {
        let hash = keys.lookup_hash("phone", &phone(i)).unwrap();
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT a.question, a.value FROM poll_answers a JOIN poll_respondents r ON r.id = a.respondent_id
             WHERE r.poll_id = $1 AND r.phone_hash = $2 ORDER BY a.question",
        )
        .bind(poll_id)
        .bind(&hash)
        .fetch_all(db.pool_for_tests())
        .await
        .unwrap();
        let status: Option<String> = sqlx::query_scalar(
            "SELECT status FROM poll_respondents WHERE poll_id = $1 AND phone_hash = $2 AND channel = 'sms'",
        )
        .bind(poll_id)
        .bind(&hash)
        .fetch_optional(db.pool_for_tests())
        .await
        .unwrap();
        if s.last().map(String::as_str) == Some("DELETE") {
            assert!(rows.is_empty() && status.is_none(), "phone {i} deleted");
            continue;
        }
        let road = ["open", "closed", "unsure"][i % 3];
        let expected = vec![
            ("age".to_string(), Some((18 + i % 60).to_string())),
            ("road".to_string(), Some(road.to_string())),
            ("safety".to_string(), Some(((i % 5) + 1).to_string())),
        ];
        assert_eq!(rows, expected, "phone {i}");
        assert_eq!(status.as_deref(), Some("complete"), "phone {i}");
        complete += 1;
    }

    // The questions, hints and thanks went back through Kannel (fakesmsc prints a
    // reply's first line with the numbers, further lines alone).
    let replies: Vec<String> = printed
        .lines()
        .filter(|l| l.contains("Got message"))
        .map(decode)
        .collect();
    // How many phones saw a reply containing `needle`.
    let count = |needle: &str| {
        (0..PHONES)
            .filter(|&i| {
                let to = format!(" {} ", phone(i));
                replies
                    .iter()
                    .any(|l| l.contains(&to) && l.contains(needle))
            })
            .count()
    };
    let (first, hints, thanks) = (
        count("text Valley roads"),
        count("Please reply with one number from 1 to 3."),
        count("Thank you for your answers"),
    );
    let unreadable = scripts
        .iter()
        .filter(|s| s.contains(&"banana".to_string()))
        .count();
    println!(
        "{PHONES} phones, {sent_total} texts through Kannel in {:.1}s; {complete} complete; \
         replies back through Kannel: {} ({first} first questions, {hints} hints, {thanks} thank-yous)",
        elapsed.as_secs_f64(),
        replies.len()
    );
    // A reply reaching a fakesmsc process just as it is stopped is lost on the fake
    // centre's side (bearerbox had handed it over), so not every reply is seen here;
    // every phone's answers above are the exact check.
    assert!(first >= PHONES / 2, "first questions: {first}");
    assert!(hints >= unreadable / 3 && hints > 0, "hints: {hints}");
    assert!(thanks >= PHONES / 2, "thank-yous: {thanks}");
}

/// Forty fakesmsc phones vote in an opinion conversation by SMS through Kannel:
/// half agree with every statement, half disagree; while voting, each also has a
/// poll open, so that "1" must go to the conversation only. The analysis finds the
/// two camps as two groups, the phones' votes counted as web votes are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_phones_vote_in_a_conversation_and_form_its_groups() {
    let Some((bearerbox, smsbox, fake)) = kannel() else {
        return;
    };
    const PHONES: usize = 40;
    const STATEMENTS: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let (admin, boxc, sendsms, port) = (free_port(), free_port(), free_port(), free_port());
    let (db, key, channel) = prepare(dir.path(), sendsms).await;
    let owner = db
        .user_by_email("owner@example.org")
        .await
        .unwrap()
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    let poll_id = db.create_poll(&scope, &kannel_poll()).await.unwrap();
    let conv_id = db
        .create_conversation(
            &scope,
            &convene_domain::opinion::NewConversation {
                topic: "The road to the market".into(),
                description: String::new(),
                level: convene_domain::model::Level::Public,
                is_open: true,
                allow_statements: true,
            },
        )
        .await
        .unwrap();
    let conv = db.conversation(&scope, conv_id).await.unwrap();
    for i in 0..STATEMENTS {
        db.add_statement(&scope, &conv, None, &format!("Statement number {i}"))
            .await
            .unwrap();
    }
    db.set_conversation_keyword(&scope, &conv, Some("TALK"))
        .await
        .unwrap();
    db.close().await;

    let run = start_kannel(
        &bearerbox,
        &smsbox,
        dir.path(),
        4,
        (admin, boxc, sendsms),
        port,
        &key,
    );
    let _server = serve(dir.path(), port);
    for p in &run.smscs {
        wait_for_port(*p);
    }
    let keys = Keyring::load(&dir.path().join("convene.key")).unwrap();
    let db = Db::connect(&db_url(dir.path()), keys.clone())
        .await
        .unwrap();
    let phone = |i: usize| format!("9231{:07}", 1000 + i);
    // The poll's keyword first (its question now awaits an answer), then the
    // conversation's, then a vote on every statement (Urdu digits for some).
    let scripts: Vec<Vec<String>> = (0..PHONES)
        .map(|i| {
            let vote = match (i % 2, i % 4) {
                (0, 0) => "1",
                (0, _) => "۱",
                (_, 1) => "2",
                _ => "۲",
            };
            let mut s = vec!["ROADS".to_string(), "talk".to_string()];
            s.extend((0..STATEMENTS).map(|_| vote.to_string()));
            s
        })
        .collect();
    let (sent, printed) = text_in_rounds(&db, channel, &fake, &run.smscs, &scripts, phone).await;
    assert_eq!(sent, PHONES * (2 + STATEMENTS));

    // No "1" reached the poll: its respondents are paused with nothing answered.
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM poll_answers WHERE poll_id = $1")
        .bind(poll_id)
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(answers, 0);
    let paused: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_respondents WHERE poll_id = $1 AND status = 'paused'",
    )
    .bind(poll_id)
    .fetch_one(db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(paused as usize, PHONES);

    // Every vote is stored; the analysis finds the two camps.
    let owner = db
        .user_by_email("owner@example.org")
        .await
        .unwrap()
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    let conv = db.conversation(&scope, conv_id).await.unwrap();
    let data = db.vote_data(&conv).await.unwrap();
    assert_eq!(data.votes.len(), PHONES * STATEMENTS);
    assert_eq!(data.participants.len(), PHONES);
    let results = convene_web::features::opinion::results::compute(&data).unwrap();
    assert!(results.grouped, "no groups");
    assert_eq!(results.groups.len(), 2);
    // Each group holds one camp whole: agreeing participants never share a group
    // with disagreeing ones.
    let agrees = |p: i64| {
        data.votes
            .iter()
            .find(|(_, q, _, _)| *q == p)
            .map(|(_, _, v, _)| *v == convene_domain::opinion::Vote::Agree)
            .unwrap()
    };
    let mut camps: [Option<bool>; 2] = [None, None];
    for (p, g) in &results.membership {
        let g = g.expect("every phone voted on every statement and is grouped");
        let camp = agrees(*p);
        assert_eq!(*camps[g].get_or_insert(camp), camp, "mixed group");
    }
    assert_ne!(camps[0], camps[1]);
    let replies = printed
        .lines()
        .filter(|l| l.contains("Got message"))
        .count();
    println!(
        "{PHONES} phones voted by SMS through Kannel: {} votes, two groups of {} and {}; {replies} replies seen",
        data.votes.len(),
        results.groups[0].size,
        results.groups[1].size
    );
}

/// ACT, JOIN, a full activity's waiting list, LEAVE moving the first waiting up,
/// the reminder and the cancellation, all through Kannel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_phones_find_join_and_are_reminded_of_an_activity() {
    let Some((bearerbox, smsbox, fake)) = kannel() else {
        return;
    };
    const PHONES: usize = 5;
    let dir = tempfile::tempdir().unwrap();
    let (admin, boxc, sendsms, port) = (free_port(), free_port(), free_port(), free_port());
    let (db, key, channel) = prepare(dir.path(), sendsms).await;
    let owner = db
        .user_by_email("owner@example.org")
        .await
        .unwrap()
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    db.set_time_zone(&scope, "Asia/Karachi").await.unwrap();
    let g = convene_domain::places::gazetteer_csv::read(
        convene_domain::demo::places::gazetteer_file().as_bytes(),
    )
    .unwrap();
    db.import_gazetteer(&scope, &g).await.unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    // Tomorrow, within the reminder's day.
    let start = convene_domain::util::now() + 20 * 3600;
    let local = |t: i64| convene_domain::activities::unix_to_local(t, "Asia/Karachi");
    let id = db
        .create_activity(
            &scope,
            &convene_domain::activities::NewActivity {
                title: "Water committee".into(),
                body: String::new(),
                level: convene_domain::model::Level::Public,
                named: vec![],
                place_code: "VL0102".into(),
                starts: local(start),
                ends: local(start + 7200),
                venue: "School hall".into(),
                online: false,
                venue_sensitive: false,
                capacity: Some(3),
                track: Some(4),
                org: None,
                org_name: String::new(),
            },
        )
        .await
        .unwrap();
    let code = db.activity(&scope, id, "en").await.unwrap().code;
    db.close().await;

    let run = start_kannel(
        &bearerbox,
        &smsbox,
        dir.path(),
        2,
        (admin, boxc, sendsms),
        port,
        &key,
    );
    let _server = serve(dir.path(), port);
    for p in &run.smscs {
        wait_for_port(*p);
    }
    let keys = Keyring::load(&dir.path().join("convene.key")).unwrap();
    let db = Db::connect(&db_url(dir.path()), keys).await.unwrap();
    let phone = |i: usize| format!("9232{:07}", 1000 + i);
    // Phone 0 joins first (round 1) and leaves in round 3; the others ask for the
    // list (round 1) and join together (round 2): two places for four phones.
    let scripts: Vec<Vec<String>> = (0..PHONES)
        .map(|i| match i {
            0 => vec![
                format!("JOIN {code}"),
                "ACT Bell Hill".to_string(),
                format!("LEAVE {code}"),
            ],
            _ => vec!["ACT Bell Hill".to_string(), format!("JOIN {code}")],
        })
        .collect();
    let (_, mut printed) = text_in_rounds(&db, channel, &fake, &run.smscs, &scripts, phone).await;

    // The reminder (due within a day) and then the cancellation, sent by the
    // server through Kannel's sendsms to phones listening meanwhile.
    let listening = {
        let (fake, smscs) = (fake.clone(), run.smscs.clone());
        std::thread::spawn(move || listen(&fake, &smscs, Duration::from_secs(10)))
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        db.sweep_activity_reminders().await.unwrap(),
        3,
        "three confirmed by SMS"
    );
    let owner = db
        .user_by_email("owner@example.org")
        .await
        .unwrap()
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    let ch = db.sms_channels(&scope).await.unwrap().remove(0);
    let told = db
        .cancel_activity(
            &scope,
            id,
            Some(&ch),
            "Water committee is cancelled. We are sorry.",
        )
        .await
        .unwrap();
    assert_eq!(told, 4, "the three confirmed and the one still waiting");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let counts = db.sms_outbound_counts(&scope, channel).await.unwrap();
        if !counts.iter().any(|(s, n)| s == "queued" && *n > 0) {
            break;
        }
        assert!(Instant::now() < deadline, "still queued: {counts:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    printed.push_str(&listening.join().unwrap());
    let replies: Vec<String> = printed
        .lines()
        .filter(|l| l.contains("Got message"))
        .map(decode)
        .collect();
    let to = |i: usize, needle: &str| {
        let p = format!(" {} ", phone(i));
        replies.iter().any(|l| l.contains(&p) && l.contains(needle))
    };
    let who = |needle: &str| (0..PHONES).filter(|&i| to(i, needle)).collect::<Vec<_>>();
    // The joins themselves, exactly, from the database: three confirmed (the
    // first waiting moved up when phone 0 left), one still waiting, one left.
    let statuses: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM activity_joins WHERE activity_id = $1 GROUP BY status ORDER BY status",
    )
    .bind(id)
    .fetch_all(db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(
        statuses,
        vec![
            ("confirmed".to_string(), 3),
            ("left".to_string(), 1),
            ("waiting".to_string(), 1)
        ]
    );
    // The replies in the texts' responses: a reply reaching a fakesmsc just as it
    // is stopped can be lost on the fake centre's side, so these are counted
    // loosely; what the server sent through sendsms (below) reached phones that
    // were listening, and is counted exactly.
    assert!(who("Next in Bell Hill").len() >= PHONES - 1, "{replies:#?}");
    assert!(!who("You are in: Water committee").is_empty());
    assert!(!who("is full. You are number").is_empty());
    assert_eq!(
        who("A place is free: you are in Water committee").len(),
        1,
        "the first waiting moved up: {replies:#?}"
    );
    assert_eq!(who("Reminder: Water committee").len(), 3, "{replies:#?}");
    assert_eq!(who("Water committee is cancelled").len(), 4, "{replies:#?}");
}

/// Twelve fakesmsc phones sign a pledge by its keyword through Kannel, each with
/// its district's code: the tenth makes it tip, and the ten signers of that moment
/// are told by SMS, sent by the server through Kannel's sendsms; a second text from
/// a phone does not count twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_phones_sign_a_pledge_until_it_tips() {
    let Some((bearerbox, smsbox, fake)) = kannel() else {
        return;
    };
    const PHONES: usize = 12;
    const TARGET: i64 = 10;
    let dir = tempfile::tempdir().unwrap();
    let (admin, boxc, sendsms, port) = (free_port(), free_port(), free_port(), free_port());
    let (db, key, channel) = prepare(dir.path(), sendsms).await;
    let owner = db
        .user_by_email("owner@example.org")
        .await
        .unwrap()
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    let g = convene_domain::places::gazetteer_csv::read(
        convene_domain::demo::places::gazetteer_file().as_bytes(),
    )
    .unwrap();
    db.import_gazetteer(&scope, &g).await.unwrap();
    let deadline =
        convene_domain::activities::unix_to_local(convene_domain::util::now() + 30 * 86_400, "UTC")
            [..10]
            .to_string();
    let pledge = db
        .create_pledge(
            &scope,
            &convene_domain::campaign::pledges::NewPledge {
                title: "I will walk to the market".into(),
                body: String::new(),
                target: TARGET,
                deadline,
                keyword: "WALK".into(),
                level: Some(convene_domain::model::Level::Public),
            },
        )
        .await
        .unwrap();
    db.close().await;

    let run = start_kannel(
        &bearerbox,
        &smsbox,
        dir.path(),
        3,
        (admin, boxc, sendsms),
        port,
        &key,
    );
    let _server = serve(dir.path(), port);
    for p in &run.smscs {
        wait_for_port(*p);
    }
    let keys = Keyring::load(&dir.path().join("convene.key")).unwrap();
    let db = Db::connect(&db_url(dir.path()), keys).await.unwrap();
    let phone = |i: usize| format!("9233{:07}", 1000 + i);
    // Half give Amber Ford's code, half Bell Hill's name; phone 0 texts again.
    let scripts: Vec<Vec<String>> = (0..PHONES)
        .map(|i| {
            let first = if i % 2 == 0 {
                "walk vl0101"
            } else {
                "WALK bell"
            };
            let mut s = vec![first.to_string()];
            if i == 0 {
                s.push("walk".into());
            }
            s
        })
        .collect();
    let (sent, mut printed) =
        text_in_rounds(&db, channel, &fake, &run.smscs, &scripts, phone).await;
    assert_eq!(sent, PHONES + 1);

    // Exactly: twelve signers, one each; tipped; the ten notices queued at the
    // tipping all left through Kannel's sendsms.
    let (signers, status): (i64, String) =
        sqlx::query_as("SELECT signers, status FROM pledges WHERE record_id = $1")
            .bind(pledge)
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
    assert_eq!((signers, status.as_str()), (PHONES as i64, "tipped"));
    let by_place: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT place_id, COUNT(*) FROM pledge_signers WHERE pledge_id = $1 GROUP BY place_id ORDER BY place_id",
    )
    .bind(pledge)
    .fetch_all(db.pool_for_tests())
    .await
    .unwrap();
    // "vl0101" is a district's code; "bell" is not a whole name, so it counts
    // without one.
    assert_eq!(by_place.len(), 2, "{by_place:?}");
    assert_eq!(by_place.iter().map(|r| r.1).sum::<i64>(), PHONES as i64);
    let listening = {
        let (fake, smscs) = (fake.clone(), run.smscs.clone());
        std::thread::spawn(move || listen(&fake, &smscs, Duration::from_secs(6)))
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (queued, notices): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0), COUNT(*)
             FROM sms_outbound WHERE channel_id = $1 AND inbound_id IS NULL",
        )
        .bind(channel)
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
        assert_eq!(notices, TARGET, "one notice to each signer at the tipping");
        if queued == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{queued} notices still queued");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    printed.push_str(&listening.join().unwrap());
    let replies: Vec<String> = printed
        .lines()
        .filter(|l| l.contains("Got message"))
        .map(decode)
        .collect();
    let who = |needle: &str| {
        (0..PHONES)
            .filter(|&i| {
                let p = format!(" {} ", phone(i));
                replies.iter().any(|l| l.contains(&p) && l.contains(needle))
            })
            .count()
    };
    // Replies are seen loosely (a fake centre can drop one as fakesmsc stops).
    assert!(who("You signed") >= PHONES / 2, "{replies:#?}");
    assert!(who("reached its target") >= 1, "{replies:#?}");
    assert_eq!(who("You have already signed"), 1, "{replies:#?}");
    println!(
        "{PHONES} phones signed through Kannel; tipped at {TARGET}; {} saw the notice",
        who("reached its target")
    );
}
