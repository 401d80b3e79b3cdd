//! The moderation queue: organisers approve participants' statements or reject them
//! with a reason the author sees; each decision is audited.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::access::policy::may_organise;
use convene_domain::opinion::{Conversation, Statement};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::load;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::features::forms::FormErrors;
use crate::{page, page_with, redirect, AppState};

#[derive(Template)]
#[template(path = "features/opinion/moderate.html")]
pub struct QueuePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub conv: Conversation,
    pub pending: Vec<Statement>,
    pub decided: Vec<(Statement, String)>,
    pub errors: FormErrors,
    pub failed: i64,
    /// The conversation's SMS keyword, as saved or as just typed.
    pub keyword: String,
}

pub(super) async fn queue_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    conv: Conversation,
    errors: FormErrors,
    failed: i64,
    typed_keyword: Option<String>,
) -> AppResult<QueuePage> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let all = state.db.all_statements(&scope, &conv).await?;
    let (pending, decided): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|s| s.status == convene_domain::opinion::Status::Pending);
    let decided = decided
        .into_iter()
        .rev()
        .map(|s| {
            let label = ctx.t(&format!("opinion-status-{}", s.status.as_str()));
            (s, label)
        })
        .collect();
    let keyword = match typed_keyword {
        Some(k) => k,
        None => state
            .db
            .conversation_keyword(&conv)
            .await?
            .unwrap_or_default(),
    };
    Ok(QueuePage {
        keyword,
        ctx,
        scope,
        conv,
        pending,
        decided,
        errors,
        failed,
    })
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    page(&queue_page(&state, ctx, scope, conv, FormErrors::default(), 0, None).await?)
}

#[derive(Deserialize)]
pub struct Decision {
    statement: i64,
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<Decision>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    let approve = match f.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest),
    };
    match state
        .db
        .moderate(&scope, &conv, f.statement, approve, &f.reason)
        .await
    {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/opinion/{id}/moderate"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &queue_page(&state, ctx, scope, conv, errors, f.statement, None).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}
