//! Organisations (stakeholder groups): the list, one organisation with the members
//! who act for it, adding one; endorsing a concern on an organisation's behalf; the
//! common concerns ranked by common ground.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::may_organise;
use convene_domain::model::Level;
use convene_domain::organisations::{CommonConcern, NewOrganisation, Organisation};
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
        .route("/s/{slug}/organisations", get(list).post(create))
        .route("/s/{slug}/organisations/{id}", get(show))
        .route("/s/{slug}/organisations/{id}/members", post(add_member))
        .route("/s/{slug}/concerns/{id}/endorse", post(endorse))
        .route("/s/{slug}/concerns/common", get(common))
        .route("/s/{slug}/concerns/{id}/merge", post(merge))
        .route("/s/{slug}/opinion/{id}/promote", post(promote))
        .route(
            "/s/{slug}/coalitions",
            get(coalitions).post(create_coalition),
        )
        .route("/s/{slug}/coalitions/{id}", get(coalition))
        .route("/s/{slug}/coalitions/{id}/join", post(coalition_join))
        .route("/s/{slug}/coalitions/{id}/leave", post(coalition_leave))
        .route("/s/{slug}/coalitions/{id}/concern", post(coalition_concern))
        .route(
            "/s/{slug}/coalitions/{id}/coordinators",
            post(coalition_coordinator),
        )
}

#[derive(Template)]
#[template(path = "features/organisations/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub orgs: Vec<Organisation>,
    pub organiser: bool,
    pub form: OrgForm,
    pub errors: FormErrors,
    pub levels: Vec<(String, String)>,
    pub tracks: Vec<(String, String)>,
}

#[derive(Deserialize, Default, Clone)]
pub struct OrgForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub side: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub track: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub level: String,
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    form: OrgForm,
    errors: FormErrors,
) -> AppResult<ListPage> {
    Ok(ListPage {
        orgs: state.db.organisations(&scope, None).await?,
        organiser: may_organise(&scope),
        levels: [Level::Public, Level::Members, Level::Organisers]
            .into_iter()
            .map(|l| (l.as_str().to_string(), level_label(&ctx, l)))
            .collect(),
        tracks: (1..=9)
            .map(|t| (t.to_string(), ctx.t(&format!("track-{t}"))))
            .collect(),
        form,
        errors,
        ctx,
        scope,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let form = OrgForm {
        level: "public".into(),
        ..OrgForm::default()
    };
    page(&list_page(&state, ctx, scope, form, FormErrors::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<OrgForm>,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    let new = NewOrganisation {
        name: f.name.clone(),
        description: f.description.clone(),
        side: f.side.clone(),
        sector: f.sector.clone(),
        track: f.track.trim().parse().ok(),
        contact: f.contact.clone(),
        level,
    };
    match state.db.create_organisation(&scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/organisations/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &list_page(&state, ctx, scope, f, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/organisations/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub org: Organisation,
    pub level: String,
    pub track: String,
    pub organiser: bool,
    pub errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    errors: FormErrors,
) -> AppResult<ShowPage> {
    let org = state
        .db
        .organisations(&scope, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    Ok(ShowPage {
        level: level_label(&ctx, org.level),
        track: org
            .track
            .map(|t| ctx.t(&format!("track-{t}")))
            .unwrap_or_default(),
        organiser: may_organise(&scope),
        org,
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

#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    email: String,
}

pub async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<MemberForm>,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    match state.db.add_org_member(&scope, id, &f.email).await {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/organisations/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &show_page(&state, ctx, scope, id, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct EndorseForm {
    #[serde(default)]
    org: i64,
    #[serde(default)]
    note: String,
}

pub async fn endorse(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<EndorseForm>,
) -> AppResult<Response> {
    state.db.endorse(&scope, id, f.org, &f.note).await?;
    Ok(redirect(&format!("/s/{slug}/concerns/{id}#endorsements")))
}

#[derive(Template)]
#[template(path = "features/organisations/common.html")]
pub struct CommonPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<CommonConcern>,
}

pub async fn common(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let rows = state.db.common_concerns(&scope).await?;
    page(&CommonPage { ctx, scope, rows })
}

#[derive(Deserialize, Default)]
pub struct MergeForm {
    #[serde(default)]
    into: i64,
}

/// Merges a duplicate concern into another (organisers).
pub async fn merge(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<MergeForm>,
) -> AppResult<Response> {
    match state.db.merge_concern(&scope, id, f.into).await {
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/concerns/{}#endorsements",
            f.into
        ))),
        Err(convene_domain::Error::Invalid(_)) => Err(AppError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct PromoteForm {
    #[serde(default)]
    statement: i64,
}

/// Promotes an approved statement of a conversation to a concern (organisers).
pub async fn promote(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<PromoteForm>,
) -> AppResult<Response> {
    let conv = state.db.conversation(&scope, id).await?;
    let note = ctx.t("concern-promoted-note");
    let concern = state
        .db
        .promote_statement(&scope, &conv, f.statement, &note)
        .await?;
    Ok(redirect(&format!("/s/{slug}/concerns/{concern}")))
}

#[derive(Template)]
#[template(path = "features/organisations/coalitions.html")]
pub struct CoalitionsPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<(i64, String)>,
    pub organiser: bool,
    pub errors: FormErrors,
}

pub async fn coalitions(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    page(&CoalitionsPage {
        rows: state.db.coalitions(&scope).await?,
        organiser: may_organise(&scope),
        errors: FormErrors::default(),
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct CoalitionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    charter: String,
    #[serde(default)]
    level: String,
}

pub async fn create_coalition(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<CoalitionForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    match state
        .db
        .create_coalition(&scope, &f.name, &f.charter, level)
        .await
    {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/coalitions/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let page_ = CoalitionsPage {
                rows: state.db.coalitions(&scope).await?,
                organiser: may_organise(&scope),
                errors: FormErrors::from_invalid(&ctx, &v),
                ctx,
                scope,
            };
            page_with(StatusCode::BAD_REQUEST, &page_)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/organisations/coalition.html")]
pub struct CoalitionPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub c: convene_domain::coalitions::Coalition,
    pub may_change: bool,
    pub orgs: Vec<(i64, String)>,
    pub concerns: Vec<(i64, String)>,
    pub today: String,
    /// Its joint actions the viewer sees: (id, title, open tasks, tasks).
    pub actions: Vec<(i64, String, i64, i64)>,
}

pub async fn coalition(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let c = state.db.coalition(&scope, id).await?;
    let may_change = may_organise(&scope) || c.coordinating;
    let (orgs, concerns) = if may_change {
        (
            state
                .db
                .organisations(&scope, None)
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect(),
            state
                .db
                .fetch_visible(
                    &scope,
                    &convene_domain::records::Filter {
                        kind: Some(convene_domain::model::Kind::Concern),
                        limit: Some(300),
                        ..Default::default()
                    },
                )
                .await?
                .into_iter()
                .map(|r| (r.id, r.title))
                .collect(),
        )
    } else {
        (vec![], vec![])
    };
    let today = convene_domain::activities::unix_to_local(
        convene_domain::util::now(),
        &scope.space().time_zone,
    )
    .chars()
    .take(10)
    .collect();
    let actions = state.db.actions(&scope, None, Some(id)).await?;
    page(&CoalitionPage {
        actions,
        c,
        may_change,
        orgs,
        concerns,
        today,
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct JoinForm {
    #[serde(default)]
    org: i64,
    #[serde(default)]
    listed: Option<String>,
    #[serde(default)]
    on: String,
    #[serde(default)]
    concern: i64,
}

pub async fn coalition_join(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<JoinForm>,
) -> AppResult<Response> {
    match state
        .db
        .coalition_join(&scope, id, f.org, f.listed.is_some(), &f.on)
        .await
    {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/coalitions/{id}"))),
        Err(convene_domain::Error::Invalid(_)) => Err(AppError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

pub async fn coalition_leave(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<JoinForm>,
) -> AppResult<Response> {
    match state.db.coalition_leave(&scope, id, f.org, &f.on).await {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/coalitions/{id}"))),
        Err(convene_domain::Error::Invalid(_)) => Err(AppError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

pub async fn coalition_concern(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<JoinForm>,
) -> AppResult<Response> {
    state.db.coalition_concern(&scope, id, f.concern).await?;
    Ok(redirect(&format!("/s/{slug}/coalitions/{id}")))
}

#[derive(Deserialize, Default)]
pub struct CoordinatorForm {
    #[serde(default)]
    email: String,
}

/// Makes a member of the space a coordinator of the coalition.
pub async fn coalition_coordinator(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<CoordinatorForm>,
) -> AppResult<Response> {
    match state
        .db
        .add_coalition_coordinator(&scope, id, &f.email)
        .await
    {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/coalitions/{id}#coordinators"))),
        Err(convene_domain::Error::Invalid(_)) => Err(AppError::BadRequest),
        Err(e) => Err(e.into()),
    }
}
