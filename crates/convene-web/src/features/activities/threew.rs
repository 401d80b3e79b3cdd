//! The multi-track map (3W): tracks × regions (and a region's districts), gaps
//! marked, a cell's activities, the HXL CSV export and the import of a 3W sheet.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use convene_domain::access::policy::may_organise;
use convene_domain::activities::threew::{self, Matrix};
use convene_domain::activities::threew_import;
use convene_domain::model::Level;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::{row, Row};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::{page, page_with, AppState};

/// A cell as the page shows it.
pub struct CellView {
    pub track: i64,
    pub text: String,
    pub gap: bool,
    /// A gap where concerns were raised.
    pub concern_gap: bool,
    pub title: String,
}

pub struct RowView {
    pub code: String,
    pub name: String,
    pub concerns: i64,
    pub cells: Vec<CellView>,
    pub drill: bool,
}

#[derive(Template)]
#[template(path = "features/activities/threew.html")]
pub struct ThreeWPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub heading: String,
    pub region: String,
    pub tracks: Vec<(i64, String)>,
    pub rows: Vec<RowView>,
    pub unmet: Vec<(String, String, i64)>,
    pub organiser: bool,
    pub problems: Vec<String>,
    pub notice: String,
}

#[derive(Deserialize, Default)]
pub struct ThreeWQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    imported: Option<usize>,
}

fn views(ctx: &Ctx, m: &Matrix, drill: bool) -> Vec<RowView> {
    // Cells with the same counts share their title: formatted once per page (a
    // region of a hundred districts has a thousand cells, most alike).
    let mut titles: std::collections::HashMap<(i64, i64, i64, i64), String> =
        std::collections::HashMap::new();
    let mut title = |c: &threew::Cell| {
        titles
            .entry((c.past, c.current, c.planned, c.confidential))
            .or_insert_with(|| {
                convene_domain::i18n::catalog().get(
                    ctx.lang,
                    "threew-cell-title",
                    &[
                        ("past", c.past.to_string()),
                        ("current", c.current.to_string()),
                        ("planned", c.planned.to_string()),
                        ("confidential", c.confidential.to_string()),
                    ],
                )
            })
            .clone()
    };
    m.rows
        .iter()
        .map(|r| RowView {
            code: r.place.code.clone(),
            name: r.place.name_in(ctx.lang.code()).to_string(),
            concerns: r.concerns,
            drill,
            cells: threew::TRACKS
                .zip(&r.cells)
                .map(|(t, c)| {
                    let total = c.total();
                    let mut text = if total == 0 {
                        String::new()
                    } else {
                        total.to_string()
                    };
                    if c.suppressed {
                        text.push('*');
                    }
                    CellView {
                        track: t,
                        gap: total == 0,
                        concern_gap: total == 0 && r.concerns > 0,
                        title: title(c),
                        text,
                    }
                })
                .collect(),
        })
        .collect()
}

async fn three_w_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    q: &ThreeWQuery,
    problems: Vec<String>,
) -> AppResult<ThreeWPage> {
    let region = match q.region.trim() {
        "" => None,
        code => Some(state.db.place(&scope, code).await?),
    };
    let both = state.db.three_w_public(&scope, region.as_ref()).await?;
    let m = both.0.clone();
    let unmet = both
        .1
        .iter()
        .map(|(p, n)| (p.code.clone(), p.name_in(ctx.lang.code()).to_string(), *n))
        .collect();
    let heading = match &region {
        Some(r) => ctx.t1("threew-title-in", "place", r.name_in(ctx.lang.code())),
        None => ctx.t("threew-title"),
    };
    let notice = q
        .imported
        .map(|n| ctx.t1("threew-imported", "count", n))
        .unwrap_or_default();
    Ok(ThreeWPage {
        rows: views(&ctx, &m, region.is_none()),
        tracks: threew::TRACKS
            .map(|t| (t, ctx.t(&format!("track-short-{t}"))))
            .collect(),
        heading,
        region: region.map(|r| r.code).unwrap_or_default(),
        unmet,
        organiser: may_organise(&scope),
        problems,
        notice,
        ctx,
        scope,
    })
}

pub async fn page_3w(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<ThreeWQuery>,
) -> AppResult<Response> {
    page(&three_w_page(&state, ctx, scope, &q, vec![]).await?)
}

#[derive(Template)]
#[template(path = "features/activities/cell.html")]
pub struct CellPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub heading: String,
    pub rows: Vec<Row>,
}

#[derive(Deserialize, Default)]
pub struct CellQuery {
    #[serde(default)]
    place: String,
    #[serde(default)]
    track: i64,
}

/// The activities of one cell: a place (and those under it) on one track, past
/// and upcoming.
pub async fn cell(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<CellQuery>,
) -> AppResult<Response> {
    let place = state.db.place(&scope, q.place.trim()).await?;
    if !threew::TRACKS.contains(&q.track) {
        return Err(AppError::NotFound);
    }
    let tz = scope.space().time_zone.clone();
    let list = state
        .db
        .upcoming_activities(&scope, Some(place.id), 0, None, 1000, ctx.lang.code())
        .await?;
    let rows = list
        .iter()
        .filter(|a| a.track == Some(q.track))
        .map(|a| row(&ctx, &tz, a))
        .collect();
    page(&CellPage {
        heading: format!(
            "{} · {}",
            place.name_in(ctx.lang.code()),
            ctx.t(&format!("track-{}", q.track))
        ),
        rows,
        ctx,
        scope,
    })
}

/// The activities the viewer may read as a 3W CSV with HXL hashtags.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let list = state
        .db
        .upcoming_activities(&scope, None, 0, None, 1000, "en")
        .await?;
    let places = state.db.all_places(&scope).await?;
    let body = threew::three_w_csv(&list, &places, &scope.space().time_zone, |t| {
        ctx.t(&format!("track-short-{t}"))
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-3w.csv\"", scope.space().slug),
            ),
        ],
        body,
    )
        .into_response())
}

async fn refused(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    problems: Vec<String>,
) -> AppResult<Response> {
    let p = three_w_page(state, ctx, scope, &ThreeWQuery::default(), problems).await?;
    page_with(StatusCode::BAD_REQUEST, &p)
}

/// Imports a 3W sheet as planned activities (organisers; all or nothing).
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let mut file = None;
    let mut level = Level::Members;
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        match name.as_str() {
            "file" if !bytes.is_empty() => file = Some(bytes.to_vec()),
            "level" => {
                level = Level::parse(&String::from_utf8_lossy(&bytes))
                    .filter(|l| *l != Level::Named)
                    .ok_or(AppError::BadRequest)?
            }
            _ => {}
        }
    }
    let Some(bytes) = file else {
        let p = vec![ctx.t("places-file-missing")];
        return refused(&state, ctx, scope, p).await;
    };
    let known: std::collections::HashMap<String, String> = state
        .db
        .all_places(&scope)
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect();
    let read = crate::upload::parse(move || threew_import::read(&bytes, &known, level)).await;
    let list = match read {
        Err(e) => {
            let p = vec![ctx.t(e.key())];
            return refused(&state, ctx, scope, p).await;
        }
        Ok(Err(errs)) => {
            let p = errs
                .iter()
                .map(|e| crate::features::forms::row_problem(&ctx, e))
                .collect();
            return refused(&state, ctx, scope, p).await;
        }
        Ok(Ok(list)) => list,
    };
    let n = list.len();
    match state.db.create_activities(&scope, &list).await {
        Ok(_) => Ok(crate::redirect(&format!(
            "/s/{}/activities/3w?imported={n}",
            scope.space().slug
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let p = v.iter().map(|i| ctx.t(i.key)).collect();
            refused(&state, ctx, scope, p).await
        }
        Err(e) => Err(e.into()),
    }
}
