//! Opening the store and running the server with its job worker.

use std::net::SocketAddr;
use std::time::Duration;

use convene_domain::crypto::Keyring;
use convene_domain::Db;

use crate::config::Config;
use crate::CliError;

pub async fn open(cfg: &Config) -> Result<Db, CliError> {
    if cfg.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&cfg.data_dir).map_err(|e| {
            CliError::Message(format!(
                "cannot create the data directory {}: {e}",
                cfg.data_dir.display()
            ))
        })?;
    }
    let keys = Keyring::load_or_create(&cfg.key_file)?;
    let db = Db::connect(&cfg.database_url, keys).await?;
    db.migrate().await?;
    db.key_audit_head().await?;
    Ok(db)
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
