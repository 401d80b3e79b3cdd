//! Test support (feature `testing`, for the test suites only): a fresh PostgreSQL
//! database per test, copied from a template that is migrated (and seeded, when
//! asked) once per test process, and dropped when the test ends.
//!
//! Names carry the test process' id: a database left behind by a process that died
//! (killed, aborted) is dropped by the next process that makes a template.

use std::future::Future;
use std::pin::Pin;

use sqlx::{Connection, Executor, Row};

use crate::crypto::Keyring;
use crate::error::{Error, Result};
use crate::storage::Db;

/// Prefix of every database made here.
const PREFIX: &str = "convene_t";

/// A seed run once on a template after its migrations.
pub type Seed = for<'a> fn(&'a Db) -> Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

fn base_of(admin_url: &str) -> &str {
    admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url)
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}

fn alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Drops the databases of test processes that are gone.
async fn sweep(admin: &mut sqlx::AnyConnection) -> Result<()> {
    let rows = sqlx::query(
        "SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'convene\\_t\\_%'",
    )
    .fetch_all(&mut *admin)
    .await?;
    for row in rows {
        let name: String = row.try_get("datname")?;
        let pid = name.split('_').nth(3).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| !alive(p)) {
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await?;
        }
    }
    Ok(())
}

/// A template database of this process: migrated, then seeded by `seed`.
/// Its name is unique to the process and to `tag`.
pub async fn template(
    admin_url: &str,
    tag: &str,
    keys: Keyring,
    seed: Option<Seed>,
) -> Result<String> {
    sqlx::any::install_default_drivers();
    let name = format!("{PREFIX}_tpl_{}_{tag}", std::process::id());
    let mut admin = sqlx::AnyConnection::connect(admin_url).await?;
    sweep(&mut admin).await?;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    admin.close().await?;
    let db = Db::connect(&format!("{}/{name}", base_of(admin_url)), keys).await?;
    db.migrate().await?;
    if let Some(seed) = seed {
        seed(&db).await?;
    }
    db.close().await;
    Ok(name)
}

/// A database of one test, copied from a template; dropped when this value is.
pub struct PgDatabase {
    /// Its URL.
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    /// A new database copied from `template`.
    pub async fn copy_of(admin_url: &str, template: &str) -> Result<PgDatabase> {
        sqlx::any::install_default_drivers();
        let name = format!(
            "{PREFIX}_x_{}_{}",
            std::process::id(),
            crate::util::random_token(8)?
                .to_lowercase()
                .replace(['-', '_'], "x")
        );
        let mut admin = sqlx::AnyConnection::connect(admin_url).await?;
        // Copies from one template are serialised by PostgreSQL; a copy fails while
        // another session is connected to the template, so retry briefly.
        let mut tries = 0;
        loop {
            match admin
                .execute(format!("CREATE DATABASE {name} TEMPLATE {template}").as_str())
                .await
            {
                Ok(_) => break,
                Err(e) if tries < 50 => {
                    tries += 1;
                    tracing::debug!(error = %e, "template busy");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => return Err(internal(e)),
            }
        }
        admin.close().await?;
        Ok(PgDatabase {
            url: format!("{}/{name}", base_of(admin_url)),
            admin_url: admin_url.to_string(),
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: drop the
        // database from a thread of its own, and wait for it.
        let done = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut admin) = sqlx::AnyConnection::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = done.join();
    }
}

/// Set in a test process started by [`run_alone`].
const ALONE: &str = "CONVENE_TEST_ALONE";

/// Whether this test process was started by [`run_alone`].
pub fn alone() -> bool {
    std::env::var_os(ALONE).is_some()
}

/// Peak resident memory of this process, in bytes (Linux; 0 elsewhere).
pub fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

/// Prints the peak memory for [`run_alone`] to read.
pub fn report_peak() {
    println!("\nCONVENE_PEAK_RSS={}", peak_rss());
}

/// Runs the test `name` (its full path in the test binary) alone in a new process
/// of this test binary, so that its peak memory is its own and not that of the tests
/// running beside it; returns that peak. Panics when the test fails there (an
/// aborted process included).
pub fn run_alone(name: &str) -> u64 {
    let exe = std::env::current_exe().expect("the test binary");
    let out = std::process::Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(ALONE, "1")
        .output()
        .expect("start the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{name} failed alone ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.split_once("CONVENE_PEAK_RSS=").map(|(_, v)| v))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("{name} reported no peak:\n{stdout}"))
}
