//! Test backends: a fresh SQLite file, and a fresh PostgreSQL database when
//! `CONVENE_TEST_POSTGRES_URL` names a server. Under CI the PostgreSQL suite is
//! required: a missing server fails the test instead of skipping it.
#![allow(dead_code)]

use convene_domain::crypto::Keyring;
use convene_domain::Db;

pub struct TestDb {
    pub db: Db,
    pub name: &'static str,
    /// The database's address, for further handles on it.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// Dropped after `db` (fields drop in order), which drops the database.
    _pg: Option<convene_domain::testing::PgDatabase>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keyring::from_master(&[42u8; 32]).unwrap();
    let url = convene_domain::storage::sqlite_url(dir.path());
    let db = Db::connect(&url, keys).await.unwrap();
    db.migrate().await.unwrap();
    TestDb {
        db,
        name: "sqlite",
        url,
        _dir: Some(dir),
        _pg: None,
    }
}

/// A new, empty PostgreSQL database, or `None` (with a note) when none is configured.
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin_url) = std::env::var("CONVENE_TEST_POSTGRES_URL") else {
        if std::env::var("CI")
            .map(|v| v == "true" || v == "1")
            .unwrap_or(false)
        {
            panic!("CI requires the PostgreSQL suite: set CONVENE_TEST_POSTGRES_URL");
        }
        eprintln!("SKIPPED: PostgreSQL suite (set CONVENE_TEST_POSTGRES_URL to run it)");
        return None;
    };
    Some(fresh_postgres(&admin_url).await)
}

/// The migrated template of this test process.
static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// A new database copied from the migrated template; dropped with the `TestDb`.
pub async fn fresh_postgres(admin_url: &str) -> TestDb {
    let template = TEMPLATE
        .get_or_init(|| async {
            let keys = Keyring::from_master(&[42u8; 32]).unwrap();
            convene_domain::testing::template(admin_url, "empty", keys, None)
                .await
                .expect("make the PostgreSQL template")
        })
        .await;
    let pg = convene_domain::testing::PgDatabase::copy_of(admin_url, template)
        .await
        .expect("copy the PostgreSQL template");
    let keys = Keyring::from_master(&[42u8; 32]).unwrap();
    let db = Db::connect(&pg.url, keys).await.unwrap();
    TestDb {
        db,
        name: "postgres",
        url: pg.url.clone(),
        _dir: None,
        _pg: Some(pg),
    }
}

/// Both engines that are available here.
pub async fn backends() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}
