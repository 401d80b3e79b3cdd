//! The account page: second factor set-up and "log out everywhere".

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use crate::context::{Ctx, SESSION_COOKIE};
use crate::error::AppResult;
use crate::features::forms::FormErrors;
use crate::security::set_cookie;
use crate::{page, page_with, redirect, with_cookie, AppState};

#[derive(Template)]
#[template(path = "features/account/account.html")]
pub struct AccountPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub setup_secret: Option<String>,
    pub setup_uri: Option<String>,
    pub recovery_codes: Vec<String>,
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    if ctx.user.is_none() {
        return Ok(redirect("/login?next=/account"));
    }
    page(&AccountPage {
        ctx,
        errors: FormErrors::default(),
        setup_secret: None,
        setup_uri: None,
        recovery_codes: vec![],
    })
}

pub async fn logout_everywhere(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require_user()?;
    state.db.logout_everywhere(user.id).await?;
    Ok(with_cookie(
        redirect("/login"),
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    ))
}

fn account_page(ctx: Ctx, errors: FormErrors) -> AccountPage {
    AccountPage {
        ctx,
        errors,
        setup_secret: None,
        setup_uri: None,
        recovery_codes: vec![],
    }
}

pub async fn totp_begin(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    let setup = match state.db.totp_begin(&user).await {
        Ok(s) => s,
        // On already: a new device comes only after turning it off (password and code).
        Err(convene_domain::Error::Conflict(_)) => {
            let errors = FormErrors::one(&ctx, "code", "error-totp-turn-off-first");
            return page_with(StatusCode::CONFLICT, &account_page(ctx, errors));
        }
        Err(e) => return Err(e.into()),
    };
    page(&AccountPage {
        ctx,
        errors: FormErrors::default(),
        setup_secret: Some(setup.secret_base32),
        setup_uri: Some(setup.otpauth_uri),
        recovery_codes: vec![],
    })
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    code: String,
}

pub async fn totp_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    match state.db.totp_confirm(&user, &f.code).await? {
        Some(codes) => page(&AccountPage {
            ctx,
            errors: FormErrors::default(),
            setup_secret: None,
            setup_uri: None,
            recovery_codes: codes,
        }),
        None => {
            let errors = FormErrors::one(&ctx, "code", "error-code");
            page_with(
                StatusCode::BAD_REQUEST,
                &AccountPage {
                    ctx,
                    errors,
                    setup_secret: None,
                    setup_uri: None,
                    recovery_codes: vec![],
                },
            )
        }
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

/// Turns the second factor off: the password and a current code are asked again.
pub async fn totp_disable(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<DisableForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    match state.db.totp_disable(&user, &f.password, &f.code).await {
        Ok(()) => Ok(redirect("/account")),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(StatusCode::BAD_REQUEST, &account_page(ctx, errors))
        }
        Err(e) => Err(e.into()),
    }
}
