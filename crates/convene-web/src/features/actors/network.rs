//! The interactive network view: a page whose only script is same-origin (the
//! vendored Cytoscape.js and this feature's `network.js`), fed by a JSON endpoint
//! that reads the map through the same confidentiality rule as every page.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Json, Response};
use convene_domain::spaces::Scope;
use serde::Serialize;

use super::analysis::{analyse, grid};
use super::{kind_options, tie_label, track_options, Options};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::SpaceScope;
use crate::{page, AppState};

/// Cytoscape.js, vendored from npm (see `vendor/cytoscape/VERSION`).
pub const CYTOSCAPE: &str = include_str!("../../../vendor/cytoscape/cytoscape.min.js");
pub const CYTOSCAPE_VERSION: &str = "3.30.4";
pub const SCRIPT: &str = include_str!("network.js");
pub const IMPORT_SCRIPT: &str = include_str!("import.js");

pub async fn cytoscape() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CYTOSCAPE,
    )
}

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

pub async fn import_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        IMPORT_SCRIPT,
    )
}

#[derive(Template)]
#[template(path = "features/actors/network.html")]
pub struct NetworkPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub kinds: Options,
    pub tracks: Options,
    pub sides: Vec<String>,
    pub tags: Vec<String>,
    pub actors: Options,
    pub cytoscape_version: &'static str,
}

pub async fn page_handler(state: &AppState, ctx: Ctx, slug: &str) -> AppResult<Response> {
    let scope = state.db.scope(ctx.user.as_ref(), slug).await?;
    let map = state.db.actor_map(&scope).await?;
    let mut sides: Vec<String> = map
        .actors
        .iter()
        .map(|a| a.side.clone())
        .filter(|s| !s.is_empty())
        .collect();
    sides.sort();
    sides.dedup();
    let mut tags: Vec<String> = map.actors.iter().flat_map(|a| a.tags.clone()).collect();
    tags.sort();
    tags.dedup();
    page(&NetworkPage {
        kinds: kind_options(&ctx),
        tracks: track_options(&ctx),
        actors: super::actor_options(&map),
        sides,
        tags,
        cytoscape_version: CYTOSCAPE_VERSION,
        ctx,
        scope,
    })
}

pub async fn view(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    page_handler(&state, ctx, &slug).await
}

#[derive(Serialize)]
struct NodeOut {
    id: String,
    name: String,
    kind: String,
    kind_label: String,
    tracks: Vec<u8>,
    side: String,
    tags: Vec<String>,
    /// (date, attitude, influence, source) of every visible observation, oldest first.
    history: Vec<(String, Option<i8>, Option<u8>, String)>,
}

#[derive(Serialize)]
struct FrameOut {
    date: String,
    label: String,
    /// actor id -> (attitude, influence)
    actors: BTreeMap<String, (Option<i8>, Option<u8>)>,
    /// (source, target, kind, kind label, sign, strength, directed)
    ties: Vec<(String, String, String, String, i8, u8, bool)>,
    /// actor id -> (betweenness, pagerank, community, broker, connector, grid key)
    metrics: BTreeMap<String, (f64, f64, usize, bool, bool, String)>,
}

#[derive(Serialize)]
struct NetworkOut {
    nodes: Vec<NodeOut>,
    frames: Vec<FrameOut>,
    labels: BTreeMap<&'static str, String>,
}

/// The network for the view: actors, and one frame per wave date (and today),
/// each the network as of that date with its metrics.
pub async fn json(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    let mut nodes = Vec::new();
    for a in &map.actors {
        let mut hist: Vec<_> = map
            .observations
            .iter()
            .filter(|o| o.actor_id == a.id)
            .collect();
        hist.sort_by(|x, y| {
            (x.prov.observed_on.as_str(), x.id).cmp(&(y.prov.observed_on.as_str(), y.id))
        });
        nodes.push(NodeOut {
            id: a.id.to_string(),
            name: a.name.clone(),
            kind: a.kind.clone(),
            kind_label: super::kind_label(&ctx, &a.kind),
            tracks: a.tracks.clone(),
            side: a.side.clone(),
            tags: a.tags.clone(),
            history: hist
                .iter()
                .map(|o| {
                    (
                        o.prov.observed_on.clone(),
                        o.attitude,
                        o.influence,
                        o.prov.source.clone(),
                    )
                })
                .collect(),
        });
    }
    let mut dates: Vec<(String, String)> = map
        .waves
        .iter()
        .map(|w| (w.held_on.clone(), w.title.clone()))
        .collect();
    dates.dedup_by(|a, b| a.0 == b.0);
    let today = convene_domain::actors::today();
    if dates.last().is_none_or(|d| d.0 < today) {
        dates.push((today, ctx.t("actors-today")));
    }
    let mut frames = Vec::new();
    for (date, label) in dates {
        let snap = map.as_of(&date);
        let an = analyse(&snap);
        let (_, cats) = grid(&snap);
        frames.push(FrameOut {
            actors: snap
                .actors
                .iter()
                .map(|(id, s)| (id.to_string(), (s.attitude, s.influence)))
                .collect(),
            ties: snap
                .ties
                .iter()
                .map(|t| {
                    (
                        t.source.to_string(),
                        t.target.to_string(),
                        t.kind.clone(),
                        tie_label(&ctx, &t.kind),
                        t.sign,
                        t.strength,
                        t.directed,
                    )
                })
                .collect(),
            metrics: an
                .metrics
                .iter()
                .map(|(id, m)| {
                    (
                        id.to_string(),
                        (
                            (m.betweenness * 1000.0).round() / 1000.0,
                            (m.pagerank * 1000.0).round() / 1000.0,
                            m.community + 1,
                            m.cut_point,
                            m.connector,
                            cats.get(id).map(|k| ctx.t(k)).unwrap_or_default(),
                        ),
                    )
                })
                .collect(),
            date,
            label,
        });
    }
    let mut labels = BTreeMap::new();
    for key in [
        "actors-attitude",
        "actors-influence",
        "actors-field-kind",
        "actors-field-side",
        "actors-field-tracks",
        "actors-field-tags",
        "actors-metric-betweenness",
        "actors-metric-pagerank",
        "actors-metric-community",
        "actors-metric-broker",
        "actors-metric-connector",
        "actors-grid",
        "actors-history",
        "actors-open-page",
        "actors-yes",
        "actors-shown",
    ] {
        labels.insert(key, ctx.t(key));
    }
    Ok(Json(NetworkOut {
        nodes,
        frames,
        labels,
    })
    .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn vendored_cytoscape_is_the_pinned_file() {
        // The same digest is noted in vendor/cytoscape/VERSION.
        assert_eq!(
            convene_domain::util::sha256_hex(super::CYTOSCAPE),
            "1bb5340e549511e111b31e5684872c949ad33d40ea5dba0ad8e7d90c62c7b3b9"
        );
        assert!(super::CYTOSCAPE.contains("The Cytoscape Consortium"));
    }
}
