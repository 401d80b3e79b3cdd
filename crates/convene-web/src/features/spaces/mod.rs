//! A space's home, its members, its audit log and its settings.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::audit::Entry;
use convene_domain::model::{Kind, Member, Role};
use convene_domain::records::Filter;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::home::role_label;
use crate::{page, page_with, redirect, AppState};

pub struct KindCount {
    pub slug: &'static str,
    pub label: String,
    pub count: i64,
    pub may_create: bool,
}

#[derive(Template)]
#[template(path = "features/spaces/show.html")]
pub struct SpacePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub role: String,
    pub kinds: Vec<KindCount>,
    pub totp_needed: bool,
}

pub fn kind_label(ctx: &Ctx, kind: Kind) -> String {
    ctx.t(&format!("kind-{}", kind.slug()))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let mut kinds = Vec::new();
    for kind in Kind::ALL {
        let count = state
            .db
            .count_visible(
                &scope,
                &Filter {
                    kind: Some(kind),
                    ..Filter::default()
                },
            )
            .await?;
        let may_create = scope.role().map(|r| r.may_create(kind)).unwrap_or(false);
        kinds.push(KindCount {
            slug: kind.slug(),
            label: kind_label(&ctx, kind),
            count,
            may_create,
        });
    }
    let totp_needed = match &ctx.user {
        Some(u) => state.db.totp_required_for(u, scope.space().id).await?,
        None => false,
    };
    let role = role_label(&ctx, scope.role());
    page(&SpacePage {
        ctx,
        scope,
        role,
        kinds,
        totp_needed,
    })
}

pub struct MemberRow {
    pub member: Member,
    pub role: String,
}

#[derive(Template)]
#[template(path = "features/spaces/members.html")]
pub struct MembersPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub members: Vec<MemberRow>,
    pub roles: Vec<(&'static str, String)>,
    pub errors: FormErrors,
}

async fn members_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let members = state
        .db
        .members(&scope)
        .await?
        .into_iter()
        .map(|m| MemberRow {
            role: role_label(&ctx, Some(m.role)),
            member: m,
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str(), role_label(&ctx, Some(*r))))
        .collect();
    page_with(
        status,
        &MembersPage {
            ctx,
            scope,
            members,
            roles,
            errors,
        },
    )
}

pub async fn members(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    members_page(&state, ctx, scope, FormErrors::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn set_member(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<MemberForm>,
) -> AppResult<Response> {
    let role = if f.role == "none" {
        None
    } else {
        match Role::parse(&f.role) {
            Some(r) => Some(r),
            None => return Err(AppError::BadRequest),
        }
    };
    match state.db.set_role(&scope, &f.email, role).await {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/members"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            members_page(&state, ctx, scope, errors, StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/spaces/audit.html")]
pub struct AuditPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub entries: Vec<Entry>,
    /// The sequence number to page back from, when there are older entries.
    pub older: Option<i64>,
}

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    before: Option<i64>,
}

/// Entries on one page of the audit log.
const AUDIT_PAGE: i64 = 150;

pub async fn audit(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    axum::extract::Query(q): axum::extract::Query<AuditQuery>,
) -> AppResult<Response> {
    let entries = state
        .db
        .space_audit_before(&scope, q.before, AUDIT_PAGE)
        .await?;
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    page(&AuditPage {
        ctx,
        scope,
        entries,
        older,
    })
}

#[derive(Template)]
#[template(path = "features/spaces/settings.html")]
pub struct SettingsPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub errors: FormErrors,
}

pub async fn settings(ctx: Ctx, SpaceScope(scope): SpaceScope) -> AppResult<Response> {
    if !scope.role().map(Role::may_manage_settings).unwrap_or(false) {
        return Err(AppError::Forbidden);
    }
    page(&SettingsPage {
        ctx,
        scope,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    visibility: Option<String>,
    chatham_house: Option<String>,
    require_totp: Option<String>,
    #[serde(default)]
    suppression_threshold: String,
}

pub async fn save_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    let threshold = f.suppression_threshold.trim().parse::<i64>().unwrap_or(-1);
    let res = state
        .db
        .update_space_settings(
            &scope,
            f.visibility.as_deref() == Some("public"),
            f.chatham_house.is_some(),
            f.require_totp.is_some(),
            threshold,
        )
        .await;
    match res {
        Ok(()) => Ok(redirect(&format!("/s/{slug}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &SettingsPage { ctx, scope, errors },
            )
        }
        Err(e) => Err(e.into()),
    }
}
