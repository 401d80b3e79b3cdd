//! E-mail through a real SMTP server (aiosmtpd, writing a Maildir): `convene serve`
//! sends the outbox. Senders write to their representatives; the confirmation
//! e-mails arrive; the links in them are followed; the messages to the
//! representatives are sent, the server killed with SIGKILL mid-queue and started
//! again: every message arrives, and a message sent twice (accepted by the SMTP
//! server just before the kill, not yet recorded) carries the same Message-ID both
//! times.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use convene_domain::campaign::representatives::import::read_popolo;
use convene_domain::campaign::representatives::messages::{Confirmation, NewMessage};
use convene_domain::campaign::representatives::Channel;
use convene_domain::places::gazetteer_csv;

pub(crate) struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The Python that runs aiosmtpd, or `None` (with a note) outside CI.
pub fn smtp_python() -> Option<String> {
    match std::env::var("CONVENE_SMTP_PYTHON") {
        Ok(p) => Some(p),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("CI requires the SMTP suite: set CONVENE_SMTP_PYTHON to a Python with aiosmtpd")
        }
        Err(_) => {
            eprintln!("SKIPPED: SMTP suite (set CONVENE_SMTP_PYTHON to a Python with aiosmtpd)");
            None
        }
    }
}

/// A real SMTP server on loopback that writes every message it accepts to `maildir`.
pub(crate) fn smtp_server(python: &str, port: u16, maildir: &Path) -> Kill {
    let child = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let k = Kill(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the SMTP server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    k
}

/// The messages in a Maildir, as text (quoted-printable soft breaks joined).
fn messages(maildir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(maildir.join(sub)) else {
            continue;
        };
        for e in entries {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
            out.push(
                text.replace("=\r\n", "")
                    .replace("=\n", "")
                    .replace("=3D", "="),
            );
        }
    }
    out
}

/// Message-ID → how many times it arrived.
fn arrived(maildir: &Path) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for text in messages(maildir) {
        if let Some(id) = text
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .map(|v| v.trim().to_string())
        {
            *out.entry(id).or_insert(0) += 1;
        }
    }
    out
}

/// A text of `n` words drawn from a word list by a seeded generator: every sender
/// writes in their own words.
fn own_words(seed: u64, n: usize) -> String {
    const WORDS: [&str; 48] = [
        "river",
        "market",
        "bridge",
        "school",
        "harvest",
        "cousin",
        "teacher",
        "water",
        "border",
        "clinic",
        "road",
        "apricot",
        "bakery",
        "wedding",
        "bus",
        "field",
        "flood",
        "mosque",
        "church",
        "league",
        "orchard",
        "wheat",
        "mill",
        "shepherd",
        "kitchen",
        "loom",
        "ferry",
        "garden",
        "letter",
        "night",
        "morning",
        "winter",
        "spring",
        "mother",
        "father",
        "daughter",
        "son",
        "neighbour",
        "village",
        "town",
        "valley",
        "hill",
        "well",
        "grain",
        "salt",
        "cloth",
        "radio",
        "song",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut words = vec!["Dear representative,".to_string()];
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        words.push(WORDS[(x % WORDS.len() as u64) as usize].to_string());
    }
    words.push("- please back the talks.".into());
    words.join(" ")
}

fn serve(config: &Path, data: &Path, port: u16) -> Kill {
    let child = Command::new(env!("CARGO_BIN_EXE_convene"))
        .arg("--config")
        .arg(config)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .env("CONVENE_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    Kill(child)
}

#[test]
fn messages_to_representatives_are_confirmed_and_delivered_through_a_kill_with_stable_message_ids()
{
    let Some(python) = smtp_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let data = dir.path().join("data");
    let smtp_port = free_port();
    let _smtp = smtp_server(&python, smtp_port, &maildir);

    // An installation with a campaign, its gazetteer and its representatives;
    // 120 senders write, each to a representative reached by e-mail.
    let out = Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["migrate", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let total = 120;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = convene_domain::storage::sqlite_url(&data);
    let key = data.join("convene.key");
    let connect = || async {
        convene_domain::Db::connect(&url, convene_domain::crypto::Keyring::load(&key).unwrap())
            .await
            .unwrap()
    };
    rt.block_on(async {
        let db = connect().await;
        let owner = db
            .create_user("o@example.org", "Owner", "a long enough password", false)
            .await
            .unwrap();
        db.create_space("valley", "Valley", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "valley").await.unwrap();
        let g =
            gazetteer_csv::read(convene_domain::demo::places::gazetteer_file().as_bytes()).unwrap();
        db.import_gazetteer(&so, &g).await.unwrap();
        let reps = read_popolo(
            convene_domain::demo::representatives::popolo_file().as_bytes(),
            "2026-12-07",
        )
        .unwrap();
        db.import_representatives(&so, &reps)
            .await
            .unwrap()
            .unwrap();
        let anon = db.scope(None, "valley").await.unwrap();
        let by_mail: Vec<i64> = db
            .representatives(&anon)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.channel == Some(Channel::Email))
            .map(|r| r.id)
            .collect();
        assert!(by_mail.len() >= 30);
        for i in 0..total {
            db.write_to_representative(
                &anon,
                &NewMessage {
                    rep: by_mail[i % by_mail.len()],
                    name: format!("Sender {i}"),
                    email: format!("sender{i}@example.net"),
                    body: own_words(i as u64 + 1, 30),
                    lang: "en".into(),
                    link_base: "https://peace.example.org/s/valley/campaign/messages".into(),
                    ..NewMessage::default()
                },
            )
            .await
            .unwrap();
        }
        db.close().await;
    });

    let config = dir.path().join("convene.toml");
    std::fs::write(
        &config,
        format!(
            "smtp_url = \"smtp://127.0.0.1:{smtp_port}\"\nmail_from = \"Convene <outbox@convene.test>\"\nmail_rate_per_sec = 25.0\nmail_timeout_secs = 2\n"
        ),
    )
    .unwrap();
    let server = serve(&config, &data, free_port());
    let wait_for = |n: usize, secs: u64, what: &str| {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while arrived(&maildir).len() < n {
            assert!(
                Instant::now() < deadline,
                "{what}: {} of {n} arrived",
                arrived(&maildir).len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    // The confirmation e-mails arrive; each sender follows their link.
    wait_for(total, 90, "confirmations");
    let tokens: Vec<String> = messages(&maildir)
        .iter()
        .filter_map(|m| m.split("/confirm?t=").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert_eq!(tokens.len(), total);
    let rep_ids: BTreeSet<String> = rt.block_on(async {
        let db = connect().await;
        for t in &tokens {
            assert!(
                matches!(
                    db.confirm_message_link(t).await.unwrap(),
                    Confirmation::Sent {
                        channel: Channel::Email,
                        ..
                    }
                ),
                "confirmed and sent"
            );
        }
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT token FROM mail_outbox WHERE purpose = 'representative'")
                .fetch_all(db.pool_for_tests())
                .await
                .unwrap();
        db.close().await;
        rows.into_iter()
            .map(|t| format!("<{t}@convene.test>"))
            .collect()
    });
    assert_eq!(rep_ids.len(), total);

    // The sender is killed once some messages to representatives arrived, and
    // started again.
    wait_for(total + 20, 60, "messages to representatives");
    drop(server);
    let at_kill = arrived(&maildir).len() - total;
    assert!(
        at_kill < total,
        "the kill came after the queue was sent: {at_kill}"
    );
    let _again = serve(&config, &data, free_port());
    wait_for(2 * total, 90, "after the restart");
    let got = arrived(&maildir);
    let ids: BTreeSet<String> = got.keys().cloned().collect();
    assert!(
        rep_ids.is_subset(&ids),
        "every message to a representative arrived, under its own Message-ID"
    );
    let resent: usize = got.values().map(|n| n - 1).sum();
    eprintln!(
        "e-mail: {total} messages to representatives, {at_kill} before the kill, {resent} sent twice (same Message-ID)"
    );
    assert!(
        resent <= 1,
        "at most the message in flight at the kill is resent: {resent}"
    );
    // A message as it arrived: to the representative, replies to the sender.
    let sample = messages(&maildir)
        .into_iter()
        .find(|t| t.contains("Subject: Message from Sender 7 "))
        .expect("sender 7's message");
    assert!(sample.contains("Reply-To: sender7@example.net"), "{sample}");
    assert!(
        sample.contains("@assembly.veluna.example")
            || sample.contains("@parliament.kestria.example"),
        "{sample}"
    );
    assert!(
        sample.contains("From: Convene <outbox@convene.test>"),
        "{sample}"
    );
    assert!(sample.contains(&own_words(8, 30)[..40]), "{sample}");
}
