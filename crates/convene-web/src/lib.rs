//! Convene's web application: server-rendered HTML, sliced by feature. Each
//! feature module holds its handlers beside their templates. Pages work without
//! JavaScript; every asset is embedded in the binary and served from this origin.
#![forbid(unsafe_code)]

pub mod context;
pub mod error;
pub mod extract;
pub mod features;
pub mod i18n;
pub mod mail;
pub mod security;
pub mod upload;

use std::net::SocketAddr;
use std::sync::Arc;

use askama::Template;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Router;
use convene_domain::Db;

use crate::error::AppResult;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (when served over https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a trusted proxy).
    pub trust_forwarded: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// The address the public reaches this server at (e.g. `https://convene.example.org`):
    /// used to verify gateways' signed requests and for every absolute address
    /// Convene shows or sends (webhook addresses, invitation links, delivery-report
    /// callbacks). When unset, addresses are shown as paths; the request's Host header
    /// is never used to build them (only, then, to check a gateway's signature).
    pub public_url: Option<String>,
    /// Whether e-mail is configured (an SMTP server and a sender): pages then offer
    /// to send by e-mail.
    pub mail_enabled: bool,
    /// Largest media upload (a photo), in bytes; other bodies keep `body_limit`.
    pub media_limit: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_forwarded: false,
            body_limit: 1024 * 1024,
            public_url: None,
            mail_enabled: false,
            media_limit: convene_domain::media::photo::MAX_UPLOAD as usize,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<WebConfig>,
}

/// The whole application.
pub fn app(db: Db, cfg: WebConfig) -> Router {
    let limit = cfg.body_limit;
    let state = AppState {
        db,
        cfg: Arc::new(cfg),
    };
    features::routes()
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::csrf_guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::body_limit,
        ))
        .layer(axum::middleware::from_fn(security::error_pages))
        .layer(axum::middleware::from_fn(security::headers))
        // Pages go compressed to browsers that accept it (slow links); the CSRF
        // token in every page is masked anew for each response, so compression
        // does not reveal it to an attacker who reflects text into a page (BREACH).
        // The fastest level: pages are a few kilobytes, and the default level spent
        // a fifth of a busy server's time compressing (docs/benchmarks.md).
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest)
                // Videos are compressed already; gzip would cost the server and take
                // away their length and byte ranges.
                .compress_when(tower_http::compression::Predicate::and(
                    tower_http::compression::predicate::DefaultPredicate::new(),
                    tower_http::compression::predicate::NotForContentType::const_new("video/"),
                )),
        )
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Renders a template as an HTML response.
pub fn page<T: Template>(t: &T) -> AppResult<Response> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a template with a status (e.g. 400 for a form with errors).
pub fn page_with(status: axum::http::StatusCode, t: &impl Template) -> AppResult<Response> {
    Ok((status, Html(t.render()?)).into_response())
}

pub fn redirect(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Only local paths are followed after login or a language switch.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The client's address for rate limiting.
pub fn client_addr(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if state.cfg.trust_forwarded {
        if let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_string();
        }
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn with_cookie(mut res: Response, value: axum::http::HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, value);
    res
}
