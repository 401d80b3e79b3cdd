//! The storage handle: one API over embedded SQLite or PostgreSQL.
//!
//! This is the bottom layer: it knows the pool, the engine and the keys, how to
//! decode rows and build queries that run on both engines, and nothing of any
//! feature. A feature that keeps per-process state beside the pool (a writer task, a
//! cache) keeps it in the handle's [`Extensions`], keyed by its own type.
//!
//! All SQL in Convene lives in this crate. Queries are written once, in the common
//! subset of both dialects, with `$n` placeholders, and run through sqlx's `Any`
//! driver; the schema has one migration set per engine.

pub(crate) mod group_commit;
pub(crate) mod space_cache;

use std::path::Path;
use std::sync::Arc;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

use crate::crypto::Keyring;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The storage handle, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    pub(crate) keys: Arc<Keyring>,
    /// Features' per-process state, shared by the clones of this handle.
    ext: Arc<Extensions>,
}

/// Per-process state of features, one value per type, made on first use.
#[derive(Default)]
struct Extensions(
    std::sync::Mutex<
        std::collections::HashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>,
    >,
);

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

const KEY_CHECK_CTX: &str = "key_check.sealed";
const KEY_CHECK_VALUE: &str = "convene key check";

/// What [`Db::key_check`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    Opens,
    Unmarked { holds_data: bool },
}

/// The URL of the embedded database inside a data directory.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        data_dir.join("convene.sqlite3").display()
    )
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). Does not migrate.
    pub async fn connect(url: &str, keys: Keyring) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(Error::Internal(
                "database URL must start with sqlite:// or postgres://".into(),
            ));
        };
        let mut opts = AnyPoolOptions::new();
        if backend == Backend::Sqlite {
            opts = opts.max_connections(8).after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    Ok(())
                })
            });
        } else {
            opts = opts.max_connections(16);
        }
        let pool = opts.connect(url).await?;
        Ok(Db {
            pool,
            backend,
            keys: Arc::new(keys),
            ext: Arc::default(),
        })
    }

    /// Applies pending migrations for this engine.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// The value of type `T` kept beside this handle, made by `init` on first use.
    pub(crate) fn extension<T: std::any::Any + Send + Sync>(
        &self,
        init: impl FnOnce(&Db) -> T,
    ) -> Arc<T> {
        let mut map = self.ext.0.lock().unwrap_or_else(|e| e.into_inner());
        let key = std::any::TypeId::of::<T>();
        if let Some(v) = map.get(&key).and_then(|v| v.clone().downcast::<T>().ok()) {
            return v;
        }
        let v = Arc::new(init(self));
        map.insert(key, v.clone());
        v
    }

    /// Whether this handle's key opens the database's sealed data: `Opens` when
    /// the database's check value opens; `Unmarked` when it has none yet (a new
    /// database, or one from before the check), with whether it already holds
    /// data; an error when the check value does not open (another key).
    pub async fn key_check(&self) -> Result<KeyCheck> {
        let row = sqlx::query("SELECT sealed FROM key_check WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = row {
            let sealed: Vec<u8> = row.try_get("sealed")?;
            return match self.keys.open(KEY_CHECK_CTX, &sealed) {
                Ok(v) if v == KEY_CHECK_VALUE => Ok(KeyCheck::Opens),
                _ => Err(Error::KeyFile(
                    "this key does not open the database's sealed data".into(),
                )),
            };
        }
        let data = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT seq FROM audit_head WHERE id = 1) AS n",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(KeyCheck::Unmarked {
            holds_data: int(&data, "n")? > 0,
        })
    }

    /// Stores the check value under this handle's key (once).
    pub async fn mark_key(&self) -> Result<()> {
        let sealed = self.keys.seal(KEY_CHECK_CTX, KEY_CHECK_VALUE)?;
        sqlx::query(
            "INSERT INTO key_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(sealed)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// A cheap query for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Reads an integer column that may be stored as any integer width.
pub(crate) fn int(row: &AnyRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn opt_int(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn opt_blob(row: &AnyRow, col: &str) -> Result<Option<Vec<u8>>> {
    Ok(row.try_get::<Option<Vec<u8>>, _>(col)?)
}

/// True when a database error is a uniqueness violation.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.code()
                .map(|c| c == "23505" || c == "2067" || c == "1555")
                .unwrap_or(false)
                || d.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

impl Db {
    /// The raw pool, for tests that inspect or tamper with stored rows.
    #[doc(hidden)]
    pub fn pool_for_tests(&self) -> &AnyPool {
        &self.pool
    }
}

/// A value bound to a query built as text (`$n` placeholders, which both engines
/// accept through the `Any` driver; sqlx's `QueryBuilder<Any>` writes `?`, which
/// PostgreSQL refuses).
pub(crate) enum Bind {
    I(i64),
    S(String),
}

/// Binds `binds` in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::I(v) => q.bind(v),
            Bind::S(v) => q.bind(v),
        };
    }
    q
}
