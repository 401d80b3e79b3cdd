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
    let db = match fresh {
        Some(master) => {
            Keyring::write_new(path, &master)?;
            // Reopened with the key as read from its file, so that the server follows
            // the file when a rotation adds a key.
            db.close().await;
            Db::connect(&cfg.database_url, Keyring::load(path)?).await?
        }
        None => db,
    };
    db.key_audit_head().await?;
    if cfg.database_url.starts_with("sqlite:") {
        private_files(&cfg.data_dir)?;
    }
    Ok(db)
}

/// Replaces the embedded database by the backup `from`, after checking a copy of it
/// in the data directory (never the backup itself): intact, migrated, its audit
/// chain verified, the key opening its data. The replaced database is kept as
/// `convene.sqlite3.before-restore-TIME` (with its journal files).
pub async fn restore(cfg: &Config, from: &std::path::Path) -> Result<String, CliError> {
    if !cfg.database_url.starts_with("sqlite:") {
        return Err(CliError::Message(
            "restore replaces the embedded database; restore PostgreSQL with pg_restore".into(),
        ));
    }
    if !from.is_file() {
        return Err(CliError::Message(format!(
            "no backup at {}",
            from.display()
        )));
    }
    if !cfg.key_file.exists() {
        return Err(CliError::Message(format!(
            "the key file {} is missing: restore it from its backup first",
            cfg.key_file.display()
        )));
    }
    private_dir(&cfg.data_dir)?;
    let live = cfg.data_dir.join("convene.sqlite3");
    let staged = cfg.data_dir.join("convene.sqlite3.restoring");
    let io = |what: &str, e: std::io::Error| CliError::Message(format!("{what}: {e}"));
    let _ = std::fs::remove_file(&staged);
    std::fs::copy(from, &staged).map_err(|e| io("cannot copy the backup", e))?;
    let keys = Keyring::load(&cfg.key_file)?;
    let url = format!("sqlite://{}?mode=rw", staged.display());
    let checked = async {
        let db = Db::connect(&url, keys).await?;
        let r = db.check_copy().await;
        db.close().await;
        r
    }
    .await;
    let checked = match checked {
        Ok(c) => c,
        Err(e) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", staged.display()));
            }
            return Err(CliError::Message(format!(
                "the backup was not restored, nothing was replaced: {e}"
            )));
        }
    };
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let kept = cfg
        .data_dir
        .join(format!("convene.sqlite3.before-restore-{stamp}"));
    if live.exists() {
        std::fs::rename(&live, &kept).map_err(|e| io("cannot set the old database aside", e))?;
        for suffix in ["-wal", "-shm"] {
            let old = format!("{}{suffix}", live.display());
            if std::path::Path::new(&old).exists() {
                let _ = std::fs::rename(&old, format!("{}{suffix}", kept.display()));
            }
        }
    }
    std::fs::rename(&staged, &live).map_err(|e| io("cannot put the backup in place", e))?;
    // Journal files of the checked copy (normally none after it was closed) go with it.
    for suffix in ["-wal", "-shm"] {
        let from = format!("{}{suffix}", staged.display());
        if std::path::Path::new(&from).exists() {
            std::fs::rename(&from, format!("{}{suffix}", live.display()))
                .map_err(|e| io("cannot put the backup in place", e))?;
        }
    }
    private_files(&cfg.data_dir)?;
    Ok(format!(
        "restored {} ({} audit entries verified){}",
        from.display(),
        checked.audit_entries,
        if kept.exists() {
            format!("; the replaced database is kept as {}", kept.display())
        } else {
            String::new()
        }
    ))
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
        mail_enabled: cfg.mail.is_some(),
        media_limit: cfg
            .body_limit
            .max(convene_domain::media::photo::MAX_UPLOAD as usize),
    };
    let app = convene_web::app(db.clone(), web);
    let listener = tokio::net::TcpListener::bind(cfg.bind)
        .await
        .map_err(|e| CliError::Message(format!("cannot listen on {}: {e}", cfg.bind)))?;
    tracing::info!(addr = %cfg.bind, backend = ?db.backend(), "listening");
    db.ensure_job("cleanup", 0).await?;
    db.ensure_job("pledges", 0).await?;
    db.ensure_job("representatives", 0).await?;
    db.ensure_job("calls", 0).await?;
    db.ensure_job("digest", 0).await?;
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
    let mailer = cfg
        .mail
        .clone()
        .map(|m| tokio::spawn(convene_web::mail::run(db.clone(), m)));
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    worker.abort();
    sender.abort();
    if let Some(m) = mailer {
        m.abort();
    }
    db.close().await;
    served.map_err(|e| CliError::Message(format!("server error: {e}")))
}
