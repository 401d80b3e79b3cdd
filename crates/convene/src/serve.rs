//! Opening the store and running the server with its job worker.

use std::net::SocketAddr;
use std::time::Duration;

use convene_domain::crypto::Keyring;
use convene_domain::storage::KeyCheck;
use convene_domain::Db;

use crate::config::Config;
use crate::CliError;

/// Whether a command may make a new key file when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKey {
    /// Commands that set up an installation (`serve`, `demo`, `migrate`,
    /// `user add`): a new key, but only for a database that holds no data yet.
    Allowed,
    /// Commands that only read (`audit …`, imports): never.
    Never,
}

/// Opens the store: the key, the database, its migrations, and the check that the
/// key opens the data already sealed. A missing or wrong key file stops the command,
/// naming the file, instead of sealing new data under another key; the key file is
/// written only once those checks passed.
pub async fn open(cfg: &Config, new_key: NewKey) -> Result<Db, CliError> {
    if cfg.database_url.starts_with("sqlite:") {
        private_dir(&cfg.data_dir)?;
    }
    let path = &cfg.key_file;
    let (keys, fresh) = if path.exists() {
        (Keyring::load(path)?, None)
    } else if new_key == NewKey::Allowed {
        let (keys, master) = Keyring::random()?;
        (keys, Some(master))
    } else {
        return Err(CliError::Message(format!(
            "the key file {} is missing: restore it from its backup (it is never made anew by this command)",
            path.display()
        )));
    };
    let db = Db::connect(&cfg.database_url, keys).await?;
    db.migrate().await?;
    match db.key_check().await {
        Ok(KeyCheck::Opens) => {}
        Ok(KeyCheck::Unmarked { holds_data }) => {
            if holds_data && fresh.is_some() {
                return Err(CliError::Message(format!(
                    "the key file {} is missing and the database holds data sealed under it: restore the key file from its backup",
                    path.display()
                )));
            }
            db.mark_key().await?;
        }
        Err(_) if fresh.is_some() => {
            return Err(CliError::Message(format!(
                "the key file {} is missing and the database holds data sealed under it: restore the key file from its backup",
                path.display()
            )));
        }
        Err(_) => {
            return Err(CliError::Message(format!(
                "the key file {} does not open this database's sealed data: is it the key of another installation?",
                path.display()
            )));
        }
    }
    if let Some(master) = fresh {
        Keyring::write_new(path, &master)?;
    }
    db.key_audit_head().await?;
    if cfg.database_url.starts_with("sqlite:") {
        private_files(&cfg.data_dir)?;
    }
    Ok(db)
}

/// The data directory, created readable by its owner only (0700).
fn private_dir(dir: &std::path::Path) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        CliError::Message(format!(
            "cannot create the data directory {}: {e}",
            dir.display()
        ))
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(fail)?;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(fail)?;
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(fail)?;
    Ok(())
}

/// The database files, readable by their owner only (0600); SQLite makes its
/// journal files with the database file's mode.
fn private_files(dir: &std::path::Path) -> Result<(), CliError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for name in [
            "convene.sqlite3",
            "convene.sqlite3-wal",
            "convene.sqlite3-shm",
        ] {
            let p = dir.join(name);
            if p.exists() {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).map_err(
                    |e| CliError::Message(format!("cannot protect {}: {e}", p.display())),
                )?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes a previous demo database (never anything else) so the demo starts fresh.
pub fn reset_demo_dir(cfg: &Config) -> Result<(), CliError> {
    for name in [
        "convene.sqlite3",
        "convene.sqlite3-wal",
        "convene.sqlite3-shm",
    ] {
        let p = cfg.data_dir.join(name);
        if p.exists() {
            std::fs::remove_file(&p)
                .map_err(|e| CliError::Message(format!("cannot remove {}: {e}", p.display())))?;
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("stop signal received: draining requests");
}

pub async fn run(db: Db, cfg: &Config) -> Result<(), CliError> {
    let web = convene_web::WebConfig {
        secure_cookies: cfg.secure_cookies,
        trust_forwarded: cfg.trust_forwarded,
        body_limit: cfg.body_limit,
        public_url: cfg.public_url.clone(),
    };
    let app = convene_web::app(db.clone(), web);
    let listener = tokio::net::TcpListener::bind(cfg.bind)
        .await
        .map_err(|e| CliError::Message(format!("cannot listen on {}: {e}", cfg.bind)))?;
    tracing::info!(addr = %cfg.bind, backend = ?db.backend(), "listening");
    db.ensure_job("cleanup", 0).await?;
    let worker_db = db.clone();
    let worker = tokio::spawn(async move {
        loop {
            match worker_db.run_one_job().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "job runner"),
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
    let sender = tokio::spawn(convene_web::features::sms::send::run(
        db.clone(),
        cfg.public_url.clone(),
        cfg.gateway_urls.clone(),
    ));
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    worker.abort();
    sender.abort();
    db.close().await;
    served.map_err(|e| CliError::Message(format!("server error: {e}")))
}
