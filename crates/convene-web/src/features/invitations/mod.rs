//! Invitations: organisers make single-use, expiring links on the members' page
//! (shown once), see where each stands and revoke open ones; the invitee opens the
//! link, signs in or creates their account, and joins.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::accounts::{LoginOutcome, ABSOLUTE_TIMEOUT_SECS};
use convene_domain::invitations::{Invitation, InviteMail, NewInvitation, Offer};
use convene_domain::model::Role;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::{Ctx, SESSION_COOKIE};
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::auth::Peer;
use crate::features::forms::FormErrors;
use crate::features::home::role_label;
use crate::security::set_cookie;
use crate::{client_addr, page, page_with, redirect, with_cookie, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/invitations", get(list).post(create))
        .route("/s/{slug}/invitations/{id}/revoke", post(revoke))
        .route("/invite/{token}", get(offer))
        .route("/invite/{token}/accept", post(accept))
        .route("/invite/{token}/account", post(account))
}

#[derive(Template)]
#[template(path = "features/invitations/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<(Invitation, String, String)>,
    pub roles: Vec<(&'static str, String)>,
    pub orgs: Vec<(i64, String)>,
    /// The link just made, shown once.
    pub link: Option<String>,
    /// The link just made was also sent by e-mail.
    pub mailed: bool,
    /// E-mail can be sent from here (an SMTP server and the public address are set).
    pub can_mail: bool,
    pub errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    link: Option<String>,
    errors: FormErrors,
) -> AppResult<ListPage> {
    let rows = state
        .db
        .invitations(&scope)
        .await?
        .into_iter()
        .map(|i| {
            let role = role_label(&ctx, Some(i.role));
            let st = ctx.t(&format!("invite-state-{}", i.state.as_str()));
            (i, role, st)
        })
        .collect();
    let owner = scope.role() == Some(Role::Owner);
    let roles = Role::ALL
        .iter()
        .filter(|r| **r != Role::Owner && (owner || !r.is_organiser()))
        .map(|r| (r.as_str(), role_label(&ctx, Some(*r))))
        .collect();
    Ok(ListPage {
        rows,
        roles,
        orgs: state
            .db
            .organisations(&scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect(),
        link,
        mailed: false,
        can_mail: state.cfg.mail_enabled && state.cfg.public_url.is_some(),
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
    if !scope.role().is_some_and(Role::may_manage_members) {
        return Err(AppError::NotFound);
    }
    page(&list_page(&state, ctx, scope, None, FormErrors::default()).await?)
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    org: i64,
    #[serde(default)]
    label: String,
    #[serde(default)]
    email: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    let role = Role::parse(&f.role).ok_or(AppError::BadRequest)?;
    let new = NewInvitation {
        role,
        days: f.days.trim().parse().unwrap_or(0),
        org: (f.org > 0).then_some(f.org),
        label: f.label,
        mail: None,
    };
    let email = f.email.trim();
    let made = if email.is_empty() {
        state.db.create_invitation(&scope, &new).await
    } else {
        match (state.cfg.mail_enabled, state.cfg.public_url.as_deref()) {
            (true, Some(base)) => {
                let new = NewInvitation {
                    mail: Some(InviteMail {
                        to: email.to_string(),
                        link_base: base.to_string(),
                        lang: ctx.lang,
                    }),
                    ..new
                };
                state.db.create_invitation(&scope, &new).await
            }
            _ => Err(convene_domain::Error::invalid(
                "email",
                "invite-error-mail-off",
            )),
        }
    };
    let mailed = !email.is_empty();
    match made {
        Ok((_, token)) => {
            // An absolute address from the configured public address only, never
            // from the request's Host header.
            let base = state
                .cfg
                .public_url
                .as_deref()
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string();
            let link = format!("{base}/invite/{token}");
            let mut p = list_page(&state, ctx, scope, Some(link), FormErrors::default()).await?;
            p.mailed = mailed;
            page(&p)
        }
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &list_page(&state, ctx, scope, None, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    state.db.revoke_invitation(&scope, id).await?;
    Ok(redirect(&format!("/s/{slug}/invitations")))
}

#[derive(Template)]
#[template(path = "features/invitations/offer.html")]
pub struct OfferPage {
    pub ctx: Ctx,
    pub token: String,
    pub offer: Option<Offer>,
    pub role: String,
    /// Why the link does not work, when it does not.
    pub problem: String,
    pub errors: FormErrors,
    pub email: String,
    pub name: String,
}

async fn offer_page(
    state: &AppState,
    ctx: Ctx,
    token: &str,
    errors: FormErrors,
    kept: (String, String),
) -> AppResult<(StatusCode, OfferPage)> {
    let (status, offer, problem) = match state.db.invitation_offer(token).await {
        Ok(o) => (StatusCode::OK, Some(o), String::new()),
        Err(convene_domain::Error::NotFound) => {
            (StatusCode::NOT_FOUND, None, ctx.t("invite-error-unknown"))
        }
        Err(convene_domain::Error::Invalid(v)) => (
            StatusCode::GONE,
            None,
            v.first().map(|i| ctx.t(i.key)).unwrap_or_default(),
        ),
        Err(e) => return Err(e.into()),
    };
    let role = offer
        .as_ref()
        .map(|o| role_label(&ctx, Some(o.role)))
        .unwrap_or_default();
    let status = if errors.is_empty() {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        OfferPage {
            token: token.to_string(),
            offer,
            role,
            problem,
            errors,
            email: kept.0,
            name: kept.1,
            ctx,
        },
    ))
}

pub async fn offer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (status, p) = offer_page(
        &state,
        ctx,
        &token,
        FormErrors::default(),
        Default::default(),
    )
    .await?;
    page_with(status, &p)
}

/// A signed-in person accepts.
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(user) = ctx.user.clone() else {
        return Ok(redirect(&format!("/invite/{token}")));
    };
    match state.db.accept_invitation(&token, &user).await {
        Ok(slug) => Ok(redirect(&format!("/s/{slug}"))),
        Err(convene_domain::Error::NotFound | convene_domain::Error::Invalid(_)) => {
            let (status, p) = offer_page(
                &state,
                ctx,
                &token,
                FormErrors::default(),
                Default::default(),
            )
            .await?;
            page_with(status, &p)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct AccountForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

/// Someone without an account sets a password: the account is made, they are
/// signed in and join, in that order; a link that no longer works makes no
/// account.
pub async fn account(
    State(state): State<AppState>,
    ctx: Ctx,
    peer: Peer,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(f): Form<AccountForm>,
) -> AppResult<Response> {
    if ctx.user.is_some() {
        return Err(AppError::BadRequest);
    }
    let kept = (f.email.clone(), f.display_name.clone());
    if let Err(e) = state.db.invitation_offer(&token).await {
        return match e {
            convene_domain::Error::NotFound | convene_domain::Error::Invalid(_) => {
                let (status, p) =
                    offer_page(&state, ctx, &token, FormErrors::default(), kept).await?;
                page_with(status, &p)
            }
            e => Err(e.into()),
        };
    }
    if state.db.user_by_email(&f.email).await?.is_some() {
        let errors = FormErrors::one(&ctx, "email", "invite-error-has-account");
        let (status, p) = offer_page(&state, ctx, &token, errors, kept).await?;
        return page_with(status, &p);
    }
    let user = match state
        .db
        .create_user(&f.email, &f.display_name, &f.password, false)
        .await
    {
        Ok(u) => u,
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let (status, p) = offer_page(&state, ctx, &token, errors, kept).await?;
            return page_with(status, &p);
        }
        Err(e) => return Err(e.into()),
    };
    let slug = state.db.accept_invitation(&token, &user).await?;
    let client = client_addr(&state, &headers, peer.0);
    match state.db.login(&user.email, &f.password, &client).await? {
        LoginOutcome::Success { token, .. } | LoginOutcome::NeedsTotp { token } => Ok(with_cookie(
            redirect(&format!("/s/{slug}")),
            set_cookie(&state, SESSION_COOKIE, &token, Some(ABSOLUTE_TIMEOUT_SECS)),
        )),
        LoginOutcome::Failed => Ok(redirect("/login")),
    }
}
