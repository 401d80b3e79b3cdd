//! Helper of `bench/soak/run.sh`: a soak test of a running server with mixed traffic.
//!
//!   soak setup DIR                      # the demo data and a Kannel channel; prints its key
//!   soak load URL KEY PID SECONDS RATE  # mixed traffic; samples the server's memory
//!
//! `load` sends RATE requests a second for SECONDS, from 16 clients, each picking in
//! turn: a page (from the links of the public space), an opinion vote and a poll
//! answer (each client an anonymous visitor with its cookies, a new one when it is
//! done), and an SMS through Kannel's webhook (a keyword, a JOIN, a reply, a
//! STOP/START, text that means nothing). Every 5 s it reads the server's resident
//! memory (/proc/PID/status). It prints the figures and exits 1 when a request got a
//! 5xx or failed, or when memory grew: the highest reading of the last third above
//! the highest of the first third (after a 30 s warm-up) by more than 20 %.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use convene_domain::crypto::Keyring;
use convene_domain::sms::{Gateway, NewChannel, Settings};
use convene_domain::Db;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const SPACE: &str = "/s/serran-valley";

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("setup") => {
            let dir = std::path::Path::new(args.get(2).ok_or("usage: soak setup DIR")?);
            std::fs::create_dir_all(dir)?;
            let keys = Keyring::load_or_create(&dir.join("convene.key"))?;
            let db = Db::connect(&convene_domain::storage::sqlite_url(dir), keys).await?;
            db.migrate().await?;
            db.mark_key().await?;
            let users = convene_domain::demo::seed(&db).await?;
            let owner = users.first().ok_or("the demo has no owner")?;
            let scope = db.scope(Some(owner), "serran-valley").await?;
            let ch = db
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
                        rate_per_sec: 100.0,
                        languages: vec![],
                    },
                )
                .await?;
            println!("{}", ch.key);
            Ok(())
        }
        Some("load") => {
            let [url, key, pid, secs, rate] = [2, 3, 4, 5, 6].map(|i| args.get(i).cloned());
            let (Some(url), Some(key), Some(pid), Some(secs), Some(rate)) =
                (url, key, pid, secs, rate)
            else {
                return Err("usage: soak load URL KEY PID SECONDS RATE".into());
            };
            let ok = load(&url, &key, pid.parse()?, secs.parse()?, rate.parse()?).await?;
            if !ok {
                std::process::exit(1);
            }
            Ok(())
        }
        _ => Err("usage: soak setup DIR | soak load URL KEY PID SECONDS RATE".into()),
    }
}

#[derive(Default)]
struct Tally {
    by_kind: std::sync::Mutex<BTreeMap<(&'static str, u16), u64>>,
    failed: AtomicU64,
}

impl Tally {
    fn note(&self, kind: &'static str, status: u16) {
        let mut m = self.by_kind.lock().unwrap_or_else(|e| e.into_inner());
        *m.entry((kind, status)).or_insert(0) += 1;
    }
}

/// One anonymous visitor: its cookies.
#[derive(Default)]
struct Visitor {
    cookies: HashMap<String, String>,
}

impl Visitor {
    fn header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, res: &reqwest::Response) {
        for v in res.headers().get_all(reqwest::header::SET_COOKIE) {
            if let Some((k, rest)) = v.to_str().unwrap_or("").split_once('=') {
                let val = rest.split(';').next().unwrap_or("");
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// The first POST form of a page whose action contains `within`: its action and the
/// fields a person would send (hidden fields, the first choice, the first button, a
/// number in a text field).
fn form(html: &str, within: &str) -> Option<(String, Vec<(String, String)>)> {
    for chunk in html.split("<form ").skip(1) {
        let body = chunk.split("</form>").next().unwrap_or("");
        let head = body.split('>').next().unwrap_or("");
        let action = attr(head, "action")?;
        if !head.contains("method=\"post\"") || !action.contains(within) {
            continue;
        }
        let mut fields = Vec::new();
        let mut picked = std::collections::HashSet::new();
        for tag in body.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            if tag.starts_with("input") {
                let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
                let value = attr(tag, "value").unwrap_or_default();
                match kind.as_str() {
                    "hidden" => fields.push((name, value)),
                    "radio" | "checkbox" if picked.insert(name.clone()) => {
                        fields.push((name, value))
                    }
                    "text" | "number" | "" if picked.insert(name.clone()) => {
                        fields.push((name, "30".into()))
                    }
                    _ => {}
                }
            } else if tag.starts_with("button") && picked.insert(name.clone()) {
                fields.push((name, attr(tag, "value").unwrap_or_default()));
            } else if tag.starts_with("textarea") && picked.insert(name.clone()) {
                fields.push((name, "A comment from the soak test.".into()));
            }
        }
        return Some((action, fields));
    }
    None
}

fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with(prefix))
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

fn rss_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

async fn load(url: &str, key: &str, pid: u32, secs: u64, rate: u64) -> Result<bool, BoxError> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()?;
    // The pages: what the public space's pages link to, on this site.
    let mut pages: Vec<String> = vec!["/".into(), SPACE.into()];
    for from in [
        "/",
        SPACE,
        &format!("{SPACE}/activities"),
        &format!("{SPACE}/polls"),
    ] {
        let html = client
            .get(format!("{url}{from}"))
            .send()
            .await?
            .text()
            .await?;
        for l in links(&html, "/") {
            let bad = l.starts_with("//")
                || l.contains("logout")
                || l.contains("/hooks/")
                || l.contains('#')
                || pages.contains(&l);
            if !bad && pages.len() < 80 {
                pages.push(l);
            }
        }
    }
    let html = client
        .get(format!("{url}{SPACE}/opinion"))
        .send()
        .await?
        .text()
        .await?;
    let conversation = links(&html, &format!("{SPACE}/opinion/"))
        .into_iter()
        .find(|l| l[SPACE.len() + 9..].chars().all(|c| c.is_ascii_digit()))
        .ok_or("no opinion conversation in the demo's public space")?;
    let html = client
        .get(format!("{url}{SPACE}/polls"))
        .send()
        .await?
        .text()
        .await?;
    let poll = links(&html, "/p/")
        .into_iter()
        .next()
        .ok_or("no open poll in the demo's public space")?;
    println!(
        "# {} pages, conversation {conversation}, poll {poll}, {rate} requests/s for {secs} s",
        pages.len()
    );

    let tally = Arc::new(Tally::default());
    let sms_seq = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    let clients = 16u64;
    let period = Duration::from_micros(1_000_000 * clients / rate.max(1));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, tally, sms_seq) = (client.clone(), tally.clone(), sms_seq.clone());
        let (url, key, pages) = (url.to_string(), key.to_string(), pages.clone());
        let (conversation, poll) = (conversation.clone(), poll.clone());
        tasks.push(tokio::spawn(async move {
            let mut voter = Visitor::default();
            let mut respondent = Visitor::default();
            let mut n = c;
            let mut next = Instant::now() + Duration::from_millis(c * 7);
            while Instant::now() < until {
                tokio::time::sleep_until(next.into()).await;
                next += period;
                n += 1;
                let outcome = match n % 5 {
                    0 | 1 => {
                        let p = &pages[(n as usize * 7 + c as usize) % pages.len()];
                        client
                            .get(format!("{url}{p}"))
                            .header("Accept-Encoding", "gzip")
                            .send()
                            .await
                            .map(|r| ("page", r.status().as_u16()))
                    }
                    2 => step(&client, &url, &conversation, "/vote", &mut voter, "vote").await,
                    3 => step(&client, &url, &poll, &poll, &mut respondent, "answer").await,
                    _ => {
                        let i = sms_seq.fetch_add(1, Ordering::Relaxed);
                        let texts = [
                            "HELP",
                            "ACT",
                            "JOIN zz9zz",
                            "AGENDA",
                            "1",
                            "STOP",
                            "START",
                            "kuna amani?",
                        ];
                        let text = texts[(i % texts.len() as u64) as usize];
                        client
                            .get(format!("{url}/hooks/kannel/{key}"))
                            .query(&[
                                ("id", format!("soak-{i}")),
                                ("from", format!("+25570{:07}", i % 5_000)),
                                ("text", text.to_string()),
                            ])
                            .send()
                            .await
                            .map(|r| ("sms", r.status().as_u16()))
                    }
                };
                match outcome {
                    Ok((kind, status)) => tally.note(kind, status),
                    Err(e) => {
                        eprintln!("request failed: {e}");
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let mut samples: Vec<(u64, u64)> = Vec::new();
    while Instant::now() < until {
        if let Some(kb) = rss_kb(pid) {
            let t = started.elapsed().as_secs();
            println!("# t={t:>4} s  server RSS {:.1} MB", kb as f64 / 1024.0);
            samples.push((t, kb));
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    for t in tasks {
        t.await?;
    }
    let counts = tally
        .by_kind
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let total: u64 = counts.values().sum();
    let errors: u64 = counts
        .iter()
        .filter(|((_, s), _)| *s >= 500)
        .map(|(_, n)| n)
        .sum();
    let failed = tally.failed.load(Ordering::Relaxed);
    for ((kind, status), n) in &counts {
        println!("{kind:>6} {status}: {n}");
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "requests: {total} in {elapsed:.0} s ({:.0}/s); 5xx: {errors}; failed: {failed}",
        total as f64 / elapsed
    );
    let warm: Vec<u64> = samples
        .iter()
        .filter(|(t, _)| *t >= 30)
        .map(|(_, kb)| *kb)
        .collect();
    let third = (warm.len() / 3).max(1);
    let (first, last) = (
        warm.iter().take(third).max().copied().unwrap_or(0),
        warm.iter().rev().take(third).max().copied().unwrap_or(0),
    );
    let growth = if first > 0 {
        (last as f64 / first as f64 - 1.0) * 100.0
    } else {
        f64::NAN
    };
    println!(
        "memory: highest {:.1} MB in the first third after warm-up, {:.1} MB in the last third ({growth:+.1} %)",
        first as f64 / 1024.0,
        last as f64 / 1024.0
    );
    let flat = warm.len() >= 3 && growth <= 20.0;
    if !flat {
        println!(
            "memory did not stay flat (or too few samples: {})",
            warm.len()
        );
    }
    Ok(errors == 0 && failed == 0 && flat && total > 0)
}

/// One step of a visitor through a form: read the page, send its form (a new
/// visitor when the page has none left: voted on everything, poll finished).
async fn step(
    client: &reqwest::Client,
    url: &str,
    page: &str,
    within: &str,
    visitor: &mut Visitor,
    kind: &'static str,
) -> reqwest::Result<(&'static str, u16)> {
    let res = client
        .get(format!("{url}{page}"))
        .header("Cookie", visitor.header())
        .send()
        .await?;
    visitor.keep(&res);
    let status = res.status().as_u16();
    let html = res.text().await?;
    if status >= 500 {
        return Ok((kind, status));
    }
    let found = form(&html, within).or_else(|| form(&html, "/start"));
    let Some((action, fields)) = found else {
        *visitor = Visitor::default();
        return Ok((kind, status));
    };
    let res = client
        .post(format!("{url}{action}"))
        .header("Cookie", visitor.header())
        .header("Origin", url)
        .form(&fields)
        .send()
        .await?;
    visitor.keep(&res);
    let status = res.status().as_u16();
    if status == 403 || status == 409 {
        *visitor = Visitor::default();
    }
    Ok((kind, status))
}
