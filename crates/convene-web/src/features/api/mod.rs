//! A read-only JSON API over the same confidentiality rule as the pages.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use convene_domain::records::Filter;
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::SpaceScope;
use crate::features::records::parse_kind;
use crate::AppState;

#[derive(Deserialize)]
pub struct ApiQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_, kind)): Path<(String, String)>,
    Query(q): Query<ApiQuery>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    let f = Filter {
        kind: Some(kind),
        query: q.q,
        limit: Some(q.limit.unwrap_or(100).clamp(1, 1000)),
        offset: q.offset.unwrap_or(0).max(0),
        id: None,
    };
    let total = state.db.count_visible(&scope, &f).await?;
    let records = state.db.fetch_visible(&scope, &f).await?;
    Ok(Json(serde_json::json!({ "total": total, "records": records })).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_, kind, id)): Path<(String, String, i64)>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    let record = state.db.get_record(&scope, kind, id).await?;
    Ok(Json(record).into_response())
}
