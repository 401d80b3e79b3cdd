//! The gazetteer's pages: regions, a place with the places under it and a map
//! drawn on the server as SVG (no tiles, nothing from another origin), a search,
//! the HXL CSV download, and for organisers the import of a gazetteer and of
//! boundaries (refused whole, with every problem by line and column).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use convene_analysis::geo::{bbox, Projection, Shape};
use convene_domain::access::policy::may_organise;
use convene_domain::error::RowError;
use convene_domain::places::{self, Place};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::{page, page_with, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/places", get(index))
        .route("/s/{slug}/places.csv", get(download))
        .route("/s/{slug}/places/import", post(import))
        .route("/s/{slug}/places/boundaries", post(import_boundaries))
        .route("/s/{slug}/places/{code}", get(show))
}

/// Width of the maps, in SVG units.
const MAP_WIDTH: f64 = 600.0;

/// A place as a list shows it.
pub struct PlaceRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub children: i64,
}

/// One outline of a map, a link to its place.
pub struct MapPath {
    pub code: String,
    pub name: String,
    pub d: String,
}

/// A map drawn on the server.
pub struct Map {
    pub width: String,
    pub height: String,
    pub paths: Vec<MapPath>,
}

/// One problem of a refused file.
pub struct ProblemRow {
    pub place: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "features/places/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub organiser: bool,
    pub rows: Vec<PlaceRow>,
    pub map: Option<Map>,
    pub q: String,
    pub found: Option<Vec<PlaceRow>>,
    pub notice: String,
    pub problems: Vec<ProblemRow>,
    pub property: String,
}

#[derive(Template)]
#[template(path = "features/places/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub place: PlaceRow,
    pub ancestors: Vec<PlaceRow>,
    pub rows: Vec<PlaceRow>,
    pub map: Option<Map>,
    /// The next activities here and in the places under it.
    pub activities: Vec<crate::features::activities::Row>,
}

fn level_label(ctx: &Ctx, level: u8) -> String {
    ctx.t(&format!("places-level-{}", level.clamp(1, 3)))
}

fn row(ctx: &Ctx, p: &Place, children: i64) -> PlaceRow {
    PlaceRow {
        code: p.code.clone(),
        name: p.name_in(ctx.lang.code()).to_string(),
        level: level_label(ctx, p.level),
        children,
    }
}

/// The map of `places` (those with a boundary), each outline a link.
fn map_of(ctx: &Ctx, places: &[Place], shapes: &[(i64, Shape)]) -> Option<Map> {
    let refs: Vec<&Shape> = shapes.iter().map(|(_, s)| s).collect();
    let b = bbox(&refs)?;
    let proj = Projection::fit(b, MAP_WIDTH);
    let paths = shapes
        .iter()
        .filter_map(|(id, s)| {
            let p = places.iter().find(|p| p.id == *id)?;
            Some(MapPath {
                code: p.code.clone(),
                name: p.name_in(ctx.lang.code()).to_string(),
                d: proj.path(s),
            })
        })
        .collect();
    Some(Map {
        width: format!("{}", proj.width.round()),
        height: format!("{}", proj.height.round()),
        paths,
    })
}

fn problem_rows(ctx: &Ctx, errs: &[RowError]) -> Vec<ProblemRow> {
    errs.iter()
        .map(|e| ProblemRow {
            place: String::new(),
            reason: crate::features::forms::row_problem(ctx, e),
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct IndexQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    added: Option<usize>,
    #[serde(default)]
    updated: Option<usize>,
    #[serde(default)]
    bounded: Option<usize>,
    #[serde(default)]
    unmatched: Option<usize>,
}

async fn index_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    q: &IndexQuery,
    problems: Vec<ProblemRow>,
    property: String,
) -> AppResult<IndexPage> {
    let regions = state.db.places_under(&scope, None).await?;
    let counts = {
        let ids: Vec<i64> = regions.iter().map(|p| p.id).collect();
        state.db.place_child_counts(&scope, &ids).await?
    };
    let ids: Vec<i64> = regions.iter().map(|p| p.id).collect();
    let shapes = state.db.place_shapes(&scope, &ids).await?;
    let found = if q.q.trim().is_empty() {
        None
    } else {
        let hits = state.db.search_places(&scope, &q.q, 50).await?;
        Some(
            hits.iter()
                .map(|p| row(&ctx, p, counts.get(&p.id).copied().unwrap_or(0)))
                .collect(),
        )
    };
    let notice = match (q.added, q.updated, q.bounded) {
        (Some(a), Some(u), _) => catalog_2(&ctx, "places-imported", "added", a, "updated", u),
        (_, _, Some(b)) => catalog_2(
            &ctx,
            "places-boundaries-done",
            "count",
            b,
            "unmatched",
            q.unmatched.unwrap_or(0),
        ),
        _ => String::new(),
    };
    Ok(IndexPage {
        organiser: may_organise(&scope),
        rows: regions
            .iter()
            .map(|p| row(&ctx, p, counts.get(&p.id).copied().unwrap_or(0)))
            .collect(),
        map: map_of(&ctx, &regions, &shapes),
        q: q.q.clone(),
        found,
        notice,
        problems,
        property,
        ctx,
        scope,
    })
}

fn catalog_2(ctx: &Ctx, key: &str, a: &str, av: usize, b: &str, bv: usize) -> String {
    convene_domain::i18n::catalog().get(ctx.lang, key, &[(a, av.to_string()), (b, bv.to_string())])
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<IndexQuery>,
) -> AppResult<Response> {
    page(&index_page(&state, ctx, scope, &q, vec![], String::new()).await?)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, code)): Path<(String, String)>,
) -> AppResult<Response> {
    let place = state.db.place(&scope, &code).await?;
    let ancestors = state.db.place_ancestors(&scope, &place).await?;
    let children = state.db.places_under(&scope, Some(place.id)).await?;
    let counts = {
        let mut ids: Vec<i64> = children.iter().map(|p| p.id).collect();
        ids.push(place.id);
        state.db.place_child_counts(&scope, &ids).await?
    };
    // The map shows the places under this one; a place without any shows itself.
    let mut ids: Vec<i64> = children.iter().map(|p| p.id).collect();
    let mut drawn = children.clone();
    if ids.is_empty() {
        ids.push(place.id);
        drawn.push(place.clone());
    }
    let shapes = state.db.place_shapes(&scope, &ids).await?;
    let tz = scope.space().time_zone.clone();
    let activities = state
        .db
        .upcoming_activities(
            &scope,
            Some(place.id),
            convene_domain::util::now(),
            None,
            20,
            ctx.lang.code(),
        )
        .await?
        .iter()
        .map(|a| crate::features::activities::row(&ctx, &tz, a))
        .collect();
    page(&ShowPage {
        activities,
        place: row(&ctx, &place, counts.get(&place.id).copied().unwrap_or(0)),
        ancestors: ancestors.iter().map(|p| row(&ctx, p, 0)).collect(),
        rows: children
            .iter()
            .map(|p| row(&ctx, p, counts.get(&p.id).copied().unwrap_or(0)))
            .collect(),
        map: map_of(&ctx, &drawn, &shapes),
        ctx,
        scope,
    })
}

pub async fn download(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let all = state.db.all_places(&scope).await?;
    let body = places::gazetteer_hxl(&all);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-places.csv\"", scope.space().slug),
            ),
        ],
        body,
    )
        .into_response())
}

/// The uploaded file and the other fields of a multipart form.
pub(crate) async fn read_upload(form: &mut Multipart) -> AppResult<(Option<Vec<u8>>, String)> {
    let mut file = None;
    let mut property = String::new();
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        match name.as_str() {
            "file" if !bytes.is_empty() => file = Some(bytes.to_vec()),
            "property" => property = String::from_utf8_lossy(&bytes).trim().to_string(),
            _ => {}
        }
    }
    Ok((file, property))
}

async fn refused(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    problems: Vec<ProblemRow>,
    property: String,
) -> AppResult<Response> {
    let p = index_page(
        state,
        ctx,
        scope,
        &IndexQuery::default(),
        problems,
        property,
    )
    .await?;
    page_with(StatusCode::BAD_REQUEST, &p)
}

fn one_problem(ctx: &Ctx, key: &str) -> Vec<ProblemRow> {
    vec![ProblemRow {
        place: String::new(),
        reason: ctx.t(key),
    }]
}

pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let (file, _) = read_upload(&mut form).await?;
    let Some(bytes) = file else {
        let p = one_problem(&ctx, "places-file-missing");
        return refused(&state, ctx, scope, p, String::new()).await;
    };
    let read = match crate::upload::parse(move || places::gazetteer_csv::read(&bytes)).await {
        Err(e) => {
            let p = one_problem(&ctx, e.key());
            return refused(&state, ctx, scope, p, String::new()).await;
        }
        Ok(r) => r,
    };
    let g = match read {
        Ok(g) => g,
        Err(errs) => {
            let p = problem_rows(&ctx, &errs);
            return refused(&state, ctx, scope, p, String::new()).await;
        }
    };
    let s = state.db.import_gazetteer(&scope, &g).await?;
    Ok(crate::redirect(&format!(
        "/s/{}/places?added={}&updated={}",
        scope.space().slug,
        s.added,
        s.updated
    )))
}

pub async fn import_boundaries(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let (file, property) = read_upload(&mut form).await?;
    let Some(bytes) = file else {
        let p = one_problem(&ctx, "places-file-missing");
        return refused(&state, ctx, scope, p, property).await;
    };
    let known = state.db.place_codes(&scope).await?;
    let prop = (!property.is_empty()).then(|| property.clone());
    let read = match crate::upload::parse(move || {
        places::boundaries::read(&bytes, &known, prop.as_deref())
    })
    .await
    {
        Err(e) => {
            let p = one_problem(&ctx, e.key());
            return refused(&state, ctx, scope, p, property).await;
        }
        Ok(r) => r,
    };
    let b = match read {
        Ok(b) => b,
        Err(errs) => {
            let p = problem_rows(&ctx, &errs);
            return refused(&state, ctx, scope, p, property).await;
        }
    };
    let n = state.db.set_boundaries(&scope, &b).await?;
    Ok(crate::redirect(&format!(
        "/s/{}/places?bounded={n}&unmatched={}",
        scope.space().slug,
        b.unmatched
    )))
}
