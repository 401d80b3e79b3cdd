//! The actor map in the web app: its handlers beside their templates.
//!
//! Every page reads the map through `Db::actor_map`, which applies the one
//! confidentiality rule; analysis runs on what the viewer may see. Forms are plain
//! POSTs that work without JavaScript; the network view adds an interactive graph.

pub mod analysis;
mod collect;
mod interchange;
mod network;
mod pages;

use axum::routing::{get, post};
use axum::Router;
use convene_domain::actors::{Actor, ActorMap, Envelope, ACTOR_KINDS, CONFIDENCES, TIE_KINDS};
use convene_domain::model::Level;
use convene_domain::spaces::Scope;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::features::records::level_label;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/actors", get(pages::list))
        .route(
            "/s/{slug}/actors/new",
            get(collect::new_actor_form).post(collect::create_actor),
        )
        .route(
            "/s/{slug}/actors/waves",
            get(collect::waves).post(collect::create_wave),
        )
        .route("/s/{slug}/actors/waves/{id}", get(collect::wave))
        .route(
            "/s/{slug}/actors/waves/{id}/observe",
            post(collect::wave_observe),
        )
        .route("/s/{slug}/actors/waves/{id}/tie", post(collect::wave_tie))
        .route("/s/{slug}/actors/changes", get(pages::changes))
        .route("/s/{slug}/actors/analysis", get(pages::analysis))
        .route("/s/{slug}/actors/network", get(network::view))
        .route("/s/{slug}/actors/network.json", get(network::json))
        .route(
            "/s/{slug}/actors/import",
            get(interchange::import_form).post(interchange::import),
        )
        .route(
            "/s/{slug}/actors/template/{file}",
            get(interchange::template),
        )
        .route("/s/{slug}/actors/export/{file}", get(interchange::export))
        .route("/s/{slug}/actors/level/{id}", post(collect::set_level))
        .route("/s/{slug}/actors/{id}", get(pages::show))
        .route(
            "/s/{slug}/actors/{id}/observe",
            get(collect::observe_form).post(collect::observe),
        )
        .route("/assets/actors/network.js", get(network::script))
        .route("/assets/actors/import.js", get(network::import_script))
        .route(
            "/assets/vendor/cytoscape-3.30.4.min.js",
            get(network::cytoscape),
        )
}

/// Who may record in this scope.
pub fn may_record(scope: &Scope) -> bool {
    scope.role().is_some_and(convene_domain::actors::may_record)
}

pub fn may_export(scope: &Scope) -> bool {
    scope.role().is_some_and(|r| r.may_export())
}

/// 404 for visitors (they may not learn the page exists), 403 for members.
pub fn deny(ctx: &Ctx) -> AppError {
    if ctx.user.is_none() {
        AppError::NotFound
    } else {
        AppError::Forbidden
    }
}

pub fn kind_label(ctx: &Ctx, kind: &str) -> String {
    ctx.t(&format!("actors-kind-{kind}"))
}

pub fn tie_label(ctx: &Ctx, kind: &str) -> String {
    ctx.t(&format!("actors-tie-{kind}"))
}

pub fn tracks_label(tracks: &[u8]) -> String {
    tracks
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn signed(v: Option<i8>) -> String {
    match v {
        Some(v) if v > 0 => format!("+{v}"),
        Some(v) => v.to_string(),
        None => "—".into(),
    }
}

pub fn unsigned(v: Option<u8>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

pub fn sign_label(ctx: &Ctx, sign: i8) -> String {
    if sign < 0 {
        ctx.t("actors-sign-negative")
    } else {
        ctx.t("actors-sign-positive")
    }
}

/// (value, label) options.
pub type Options = Vec<(String, String)>;

pub fn kind_options(ctx: &Ctx) -> Options {
    ACTOR_KINDS
        .iter()
        .map(|k| (k.to_string(), kind_label(ctx, k)))
        .collect()
}

pub fn tie_options(ctx: &Ctx) -> Options {
    TIE_KINDS
        .iter()
        .map(|k| (k.to_string(), tie_label(ctx, k)))
        .collect()
}

pub fn confidence_options(ctx: &Ctx) -> Options {
    CONFIDENCES
        .iter()
        .map(|k| (k.to_string(), ctx.t(&format!("actors-confidence-{k}"))))
        .collect()
}

pub fn level_options(ctx: &Ctx) -> Options {
    Level::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), level_label(ctx, *l)))
        .collect()
}

pub fn track_options(ctx: &Ctx) -> Options {
    (1..=9)
        .map(|t| (t.to_string(), ctx.t(&format!("track-{t}"))))
        .collect()
}

pub fn actor_options(map: &ActorMap) -> Options {
    map.actors
        .iter()
        .map(|a| (a.id.to_string(), a.name.clone()))
        .collect()
}

/// The envelope a form asks for; named people by e-mail.
pub async fn envelope(
    state: &AppState,
    level: &str,
    named: &str,
) -> Result<Envelope, &'static str> {
    let level = Level::parse(level).ok_or("level")?;
    let mut ids = Vec::new();
    for email in named
        .split([',', '\n', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        match state.db.user_by_email(email).await {
            Ok(Some(u)) => ids.push(u.id),
            _ => return Err("named"),
        }
    }
    Ok(Envelope { level, named: ids })
}

/// An actor as shown in lists.
pub struct ActorRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub tracks: String,
    pub side: String,
    pub location: String,
    pub tags: String,
    pub level: String,
    pub level_key: &'static str,
    pub attitude: String,
    pub influence: String,
}

pub fn actor_row(ctx: &Ctx, a: &Actor, attitude: Option<i8>, influence: Option<u8>) -> ActorRow {
    ActorRow {
        id: a.id,
        name: a.name.clone(),
        kind: kind_label(ctx, &a.kind),
        tracks: tracks_label(&a.tracks),
        side: a.side.clone(),
        location: a.location.clone(),
        tags: a.tags.join(", "),
        level: level_label(ctx, a.level),
        level_key: a.level.as_str(),
        attitude: signed(attitude),
        influence: unsigned(influence),
    }
}

pub fn name_of(map: &ActorMap, id: i64) -> String {
    map.actor(id).map(|a| a.name.clone()).unwrap_or_default()
}

pub fn map_err(e: convene_domain::Error) -> AppError {
    e.into()
}

pub fn as_of_or_today(q: Option<&str>) -> AppResult<String> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(convene_domain::actors::today()),
        Some(d) if convene_domain::records::valid_date(d) => Ok(d.to_string()),
        Some(_) => Err(AppError::BadRequest),
    }
}
