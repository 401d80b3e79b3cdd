//! Joint actions: the list (with a form to start one, for a concern or a
//! coalition), one action with its tasks, owners, due dates, statuses and progress
//! notes, and "what is stuck" for coordinators.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::may_organise;
use convene_domain::actions::{Action, NewAction, Stuck, StuckTask, TaskStatus};
use convene_domain::model::{Kind, Level};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/actions", get(list).post(create))
        .route("/s/{slug}/actions/stuck", get(stuck))
        .route("/s/{slug}/actions/{id}", get(show))
        .route("/s/{slug}/actions/{id}/tasks", post(add_task))
        .route("/s/{slug}/actions/{id}/tasks/{task}", post(set_status))
        .route("/s/{slug}/actions/{id}/notes", post(add_note))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    concern: Option<i64>,
    #[serde(default)]
    coalition: Option<i64>,
}

#[derive(Template)]
#[template(path = "features/actions/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<(i64, String, i64, i64)>,
    /// Whether the viewer may start one (organisers, or coordinators of a coalition).
    pub may_start: bool,
    pub concerns: Vec<(i64, String)>,
    pub coalitions: Vec<(i64, String)>,
    pub chosen_concern: i64,
    pub chosen_coalition: i64,
    pub errors: FormErrors,
    pub title: String,
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    q: ListQuery,
    errors: FormErrors,
    title: String,
) -> AppResult<ListPage> {
    let rows = state.db.actions(&scope, q.concern, q.coalition).await?;
    let mut coalitions = Vec::new();
    if scope.role().is_some() {
        for (id, name) in state.db.coalitions(&scope).await? {
            if may_organise(&scope) || state.db.coalition(&scope, id).await?.coordinating {
                coalitions.push((id, name));
            }
        }
    }
    let may_start = may_organise(&scope) || !coalitions.is_empty();
    let concerns = if may_start {
        state
            .db
            .fetch_visible(
                &scope,
                &convene_domain::records::Filter {
                    kind: Some(Kind::Concern),
                    limit: Some(300),
                    ..Default::default()
                },
            )
            .await?
            .into_iter()
            .map(|r| (r.id, r.title))
            .collect()
    } else {
        vec![]
    };
    Ok(ListPage {
        rows,
        may_start,
        concerns,
        coalitions,
        chosen_concern: q.concern.unwrap_or(0),
        chosen_coalition: q.coalition.unwrap_or(0),
        errors,
        title,
        ctx,
        scope,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    page(&list_page(&state, ctx, scope, q, FormErrors::default(), String::new()).await?)
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    concern: i64,
    #[serde(default)]
    coalition: i64,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<ActionForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    let new = NewAction {
        title: f.title.clone(),
        plan: f.plan.clone(),
        level,
        concern: (f.concern > 0).then_some(f.concern),
        coalition: (f.coalition > 0).then_some(f.coalition),
    };
    match state.db.create_action(&scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/actions/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let q = ListQuery {
                concern: new.concern,
                coalition: new.coalition,
            };
            page_with(
                StatusCode::BAD_REQUEST,
                &list_page(&state, ctx, scope, q, errors, f.title).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// A task's status in words.
pub fn status_label(ctx: &Ctx, s: TaskStatus) -> String {
    ctx.t(&format!("joint-status-{}", s.as_str()))
}

#[derive(Template)]
#[template(path = "features/actions/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub a: Action,
    pub level: String,
    pub orgs: Vec<(i64, String)>,
    pub statuses: Vec<(String, String)>,
    pub labels: Vec<String>,
    pub errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    errors: FormErrors,
) -> AppResult<ShowPage> {
    let a = state.db.action(&scope, id).await?;
    let orgs = if a.may_plan {
        state
            .db
            .organisations(&scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    } else {
        vec![]
    };
    Ok(ShowPage {
        level: level_label(&ctx, a.level),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), status_label(&ctx, *s)))
            .collect(),
        labels: a
            .tasks
            .iter()
            .map(|t| status_label(&ctx, t.status))
            .collect(),
        orgs,
        a,
        errors,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    page(&show_page(&state, ctx, scope, id, FormErrors::default()).await?)
}

async fn after(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    done: convene_domain::Result<()>,
    anchor: &str,
) -> AppResult<Response> {
    match done {
        Ok(()) => Ok(redirect(&format!(
            "/s/{}/actions/{id}{anchor}",
            scope.space().slug
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &show_page(state, ctx, scope, id, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct TaskForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    org: i64,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

pub async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<TaskForm>,
) -> AppResult<Response> {
    let done = state
        .db
        .add_task(
            &scope,
            id,
            &f.title,
            (f.org > 0).then_some(f.org),
            Some(&f.due_on),
        )
        .await
        .map(|_| ());
    after(&state, ctx, scope, id, done, "#tasks").await
}

pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, task)): Path<(String, i64, i64)>,
    Form(f): Form<TaskForm>,
) -> AppResult<Response> {
    let status = TaskStatus::parse(&f.status).ok_or(AppError::BadRequest)?;
    let done = state
        .db
        .set_task_status(&scope, task, status, &f.reason, Some(&f.due_on))
        .await;
    after(&state, ctx, scope, id, done, &format!("#task-{task}")).await
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    task: i64,
}

pub async fn add_note(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<NoteForm>,
) -> AppResult<Response> {
    let done = state
        .db
        .add_action_note(&scope, id, (f.task > 0).then_some(f.task), &f.body)
        .await;
    after(&state, ctx, scope, id, done, "#notes").await
}

/// A stuck task with why, in words.
pub struct StuckRow {
    pub s: StuckTask,
    pub why: String,
}

#[derive(Template)]
#[template(path = "features/actions/stuck.html")]
pub struct StuckPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<StuckRow>,
    pub stale_days: i64,
}

/// What is stuck, for the members of the space.
pub async fn stuck(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    if scope.role().is_none() {
        return Err(AppError::NotFound);
    }
    let rows = state
        .db
        .stuck_tasks(&scope)
        .await?
        .into_iter()
        .map(|s| {
            let why = match s.why {
                Stuck::Blocked => format!(
                    "{}: {}",
                    ctx.t("joint-status-blocked"),
                    s.task.blocked_reason
                ),
                Stuck::Overdue(d) => ctx.t1("joint-overdue", "days", d),
                Stuck::Stale(d) => ctx.t1("joint-quiet", "days", d),
            };
            StuckRow { s, why }
        })
        .collect();
    page(&StuckPage {
        rows,
        stale_days: convene_domain::actions::STALE_DAYS,
        ctx,
        scope,
    })
}
