//! Test backends: a fresh SQLite file, and a fresh PostgreSQL database when
//! `CONVENE_TEST_POSTGRES_URL` names a server. Under CI the PostgreSQL suite is
//! required: a missing server fails the test instead of skipping it.
#![allow(dead_code)]

use convene_domain::crypto::Keyring;
use convene_domain::Db;

pub struct TestDb {
    pub db: Db,
    pub name: &'static str,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keyring::from_master(&[42u8; 32]).unwrap();
    let db = Db::connect(&convene_domain::storage::sqlite_url(dir.path()), keys)
        .await
        .unwrap();
    db.migrate().await.unwrap();
    TestDb {
        db,
        name: "sqlite",
        _dir: Some(dir),
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

pub async fn fresh_postgres(admin_url: &str) -> TestDb {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let name = format!(
        "convene_t_{}",
        convene_domain::util::random_token(6)
            .unwrap()
            .to_lowercase()
            .replace(['-', '_'], "x")
    );
    let admin = sqlx::AnyPool::connect(admin_url)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    let url = format!("{base}/{name}");
    let keys = Keyring::from_master(&[42u8; 32]).unwrap();
    let db = Db::connect(&url, keys).await.unwrap();
    db.migrate().await.unwrap();
    TestDb {
        db,
        name: "postgres",
        _dir: None,
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
