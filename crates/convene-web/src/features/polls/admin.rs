//! Respondents of a poll, for organisers: who answered over which channel (no
//! phone numbers shown), and deletion of a respondent's answers, one at a time or
//! by phone number for a person who asked by phone or letter (both audited; the
//! number is neither shown nor logged).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::access::policy::may_organise;
use convene_domain::polls::{Poll, Respondent};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::load;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::features::forms::FormErrors;
use crate::{page, page_with, redirect, AppState};

const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "features/polls/respondents.html")]
pub struct RespondentsPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub poll: Poll,
    pub rows: Vec<Respondent>,
    pub total: i64,
    pub complete: i64,
    pub page: i64,
    pub pages: i64,
    pub notice: String,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub page: Option<i64>,
    pub deleted: Option<u64>,
}

async fn respondents_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    poll: Poll,
    q: &ListQuery,
) -> AppResult<RespondentsPage> {
    let (total, complete) = state.db.poll_respondent_counts(&poll).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page_no = q.page.unwrap_or(1).clamp(1, pages);
    let rows = state
        .db
        .poll_respondents(&scope, &poll, PER_PAGE, (page_no - 1) * PER_PAGE)
        .await?;
    let notice = q
        .deleted
        .map(|n| ctx.t1("poll-deleted", "count", n))
        .unwrap_or_default();
    Ok(RespondentsPage {
        ctx,
        scope,
        poll,
        rows,
        total,
        complete,
        page: page_no,
        pages,
        notice,
        errors: FormErrors::default(),
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    page(&respondents_page(&state, ctx, scope, poll, &q).await?)
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    pub respondent: i64,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub confirm: Option<String>,
}

async fn unconfirmed(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    poll: Poll,
    field: &str,
) -> AppResult<Response> {
    let mut p = respondents_page(state, ctx.clone(), scope, poll, &ListQuery::default()).await?;
    p.errors = FormErrors::one(&ctx, field, "poll-error-confirm");
    page_with(StatusCode::BAD_REQUEST, &p)
}

pub async fn delete_one(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<DeleteForm>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    if f.confirm.is_none() {
        return unconfirmed(&state, ctx, scope, poll, "confirm").await;
    }
    state
        .db
        .delete_poll_respondent(&scope, &poll, f.respondent)
        .await?;
    Ok(redirect(&format!(
        "/s/{slug}/polls/{id}/respondents?deleted=1"
    )))
}

pub async fn delete_by_phone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<DeleteForm>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    if f.confirm.is_none() {
        return unconfirmed(&state, ctx, scope, poll, "phone-confirm").await;
    }
    match state
        .db
        .delete_poll_respondents_by_phone(&scope, &f.phone)
        .await
    {
        Ok(n) => Ok(redirect(&format!(
            "/s/{slug}/polls/{id}/respondents?deleted={n}"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let mut p =
                respondents_page(&state, ctx.clone(), scope, poll, &ListQuery::default()).await?;
            p.errors = FormErrors::from_invalid(&ctx, &v);
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}
