//! After an agreement: the list of agreements, entering one with its provisions
//! (pasted or a CSV; refused whole with every problem named), and the public
//! implementation tracker with each provision's status, dated evidence and the
//! activities behind it.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::may_organise;
use convene_domain::agreements::{self, Agreement, Implementation};
use convene_domain::model::Level;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::{page, page_with, redirect, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/agreements", get(list).post(create))
        .route("/s/{slug}/agreements/{id}", get(show))
        .route(
            "/s/{slug}/agreements/{id}/provisions/{pid}/status",
            post(status),
        )
        .route(
            "/s/{slug}/agreements/{id}/provisions/{pid}/link",
            post(link),
        )
}

#[derive(Template)]
#[template(path = "features/agreements/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<(i64, String, String)>,
    pub organiser: bool,
    pub problems: Vec<String>,
    pub title: String,
    pub signed_on: String,
    pub pasted: String,
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    problems: Vec<String>,
    kept: (String, String, String),
) -> AppResult<ListPage> {
    Ok(ListPage {
        rows: state.db.agreements(&scope).await?,
        organiser: may_organise(&scope),
        problems,
        title: kept.0,
        signed_on: kept.1,
        pasted: kept.2,
        ctx,
        scope,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    page(&list_page(&state, ctx, scope, vec![], Default::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let (mut title, mut signed_on, mut pasted, mut level) =
        (String::new(), String::new(), String::new(), Level::Public);
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        let s = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "title" => title = s(),
            "signed_on" => signed_on = s(),
            "provisions" => pasted = s(),
            "level" => {
                level = Level::parse(&s())
                    .filter(|l| *l != Level::Named)
                    .ok_or(AppError::BadRequest)?
            }
            "file" if !bytes.is_empty() => file = Some(bytes.to_vec()),
            _ => {}
        }
    }
    let kept = (title.clone(), signed_on.clone(), pasted.clone());
    let read = match file {
        Some(bytes) => crate::upload::parse(move || agreements::read_csv(&bytes)).await,
        None => {
            let p = pasted.clone();
            crate::upload::parse(move || agreements::read_pasted(&p)).await
        }
    };
    let provisions = match read {
        Err(e) => {
            let p = vec![ctx.t(e.key())];
            return page_with(
                StatusCode::BAD_REQUEST,
                &list_page(&state, ctx.clone(), scope, p, kept).await?,
            );
        }
        Ok(Err(errs)) => {
            let p = errs
                .iter()
                .map(|e| crate::features::forms::row_problem(&ctx, e))
                .collect();
            return page_with(
                StatusCode::BAD_REQUEST,
                &list_page(&state, ctx.clone(), scope, p, kept).await?,
            );
        }
        Ok(Ok(p)) => p,
    };
    match state
        .db
        .create_agreement(&scope, &title, &signed_on, level, &provisions)
        .await
    {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/agreements/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let p = v.iter().map(|i| ctx.t(i.key)).collect();
            page_with(
                StatusCode::BAD_REQUEST,
                &list_page(&state, ctx.clone(), scope, p, kept).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/agreements/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub a: Agreement,
    pub counts: Vec<(String, String, usize)>,
    pub pct: u32,
    pub organiser: bool,
    pub statuses: Vec<(String, String)>,
    pub errors: FormErrors,
    pub failed: i64,
    pub today: String,
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    errors: FormErrors,
    failed: i64,
) -> AppResult<ShowPage> {
    let a = state.db.agreement(&scope, id).await?;
    let c = a.counts();
    let counts = Implementation::ALL
        .iter()
        .map(|i| {
            (
                i.as_str().to_string(),
                ctx.t(&format!("pam-{}", i.as_str())),
                c[*i as usize],
            )
        })
        .collect();
    let today = convene_domain::activities::unix_to_local(
        convene_domain::util::now(),
        &scope.space().time_zone,
    )
    .chars()
    .take(10)
    .collect();
    Ok(ShowPage {
        pct: a.implementation_pct(),
        counts,
        organiser: may_organise(&scope),
        statuses: Implementation::ALL
            .iter()
            .map(|i| {
                (
                    i.as_str().to_string(),
                    ctx.t(&format!("pam-{}", i.as_str())),
                )
            })
            .collect(),
        errors,
        failed,
        today,
        a,
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
    page(&show_page(&state, ctx, scope, id, FormErrors::default(), 0).await?)
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    evidence: String,
}

pub async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id, pid)): Path<(String, i64, i64)>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let s = Implementation::parse(&f.status).ok_or(AppError::BadRequest)?;
    match state
        .db
        .set_provision_status(&scope, id, pid, s, &f.as_of, &f.evidence)
        .await
    {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/agreements/{id}#p{pid}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &show_page(&state, ctx, scope, id, errors, pid).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    code: String,
}

pub async fn link(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id, pid)): Path<(String, i64, i64)>,
    Form(f): Form<LinkForm>,
) -> AppResult<Response> {
    match state.db.link_provision(&scope, id, pid, &f.code).await {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/agreements/{id}#p{pid}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &show_page(&state, ctx, scope, id, errors, pid).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}
