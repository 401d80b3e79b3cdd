//! Log in (password, then the second factor when enabled) and log out.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use convene_domain::accounts::{LoginOutcome, ABSOLUTE_TIMEOUT_SECS};
use serde::Deserialize;

use crate::context::{Ctx, SESSION_COOKIE};
use crate::error::{AppError, AppResult};
use crate::features::forms::FormErrors;
use crate::security::set_cookie;
use crate::{client_addr, page, page_with, redirect, safe_next, with_cookie, AppState};

/// The peer address, when the server recorded it.
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

#[derive(Template)]
#[template(path = "features/auth/login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub email: String,
    pub next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    let next = safe_next(q.next.as_deref());
    if ctx.user.is_some() {
        return Ok(redirect(&next));
    }
    page(&LoginPage {
        ctx,
        errors: FormErrors::default(),
        email: String::new(),
        next,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let client = client_addr(&state, &headers, peer.0);
    if f.email.trim().is_empty() || f.password.is_empty() {
        let errors = FormErrors::one(&ctx, "email", "error-login-failed");
        return page_with(
            StatusCode::BAD_REQUEST,
            &LoginPage {
                ctx,
                errors,
                email: f.email,
                next,
            },
        );
    }
    match state.db.login(&f.email, &f.password, &client).await {
        Ok(LoginOutcome::Success { token, .. }) => Ok(with_cookie(
            redirect(&next),
            set_cookie(&state, SESSION_COOKIE, &token, Some(ABSOLUTE_TIMEOUT_SECS)),
        )),
        Ok(LoginOutcome::NeedsTotp { token }) => {
            let to = format!(
                "/login/totp?{}",
                serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default()
            );
            Ok(with_cookie(
                redirect(&to),
                set_cookie(&state, SESSION_COOKIE, &token, Some(ABSOLUTE_TIMEOUT_SECS)),
            ))
        }
        Ok(LoginOutcome::Failed) => {
            let errors = FormErrors::one(&ctx, "email", "error-login-failed");
            page_with(
                StatusCode::BAD_REQUEST,
                &LoginPage {
                    ctx,
                    errors,
                    email: f.email,
                    next,
                },
            )
        }
        Err(convene_domain::Error::RateLimited) => {
            let errors = FormErrors::one(&ctx, "email", "error-429");
            page_with(
                StatusCode::TOO_MANY_REQUESTS,
                &LoginPage {
                    ctx,
                    errors,
                    email: f.email,
                    next,
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/auth/totp.html")]
pub struct TotpPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub next: String,
}

pub async fn totp_form(ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    let next = safe_next(q.next.as_deref());
    if !ctx.pending_totp {
        return Ok(redirect("/login"));
    }
    page(&TotpPage {
        ctx,
        errors: FormErrors::default(),
        next,
    })
}

#[derive(Deserialize)]
pub struct TotpForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
}

pub async fn totp(
    State(state): State<AppState>,
    ctx: Ctx,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<TotpForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let Some(token) = ctx.session_token.clone().filter(|_| ctx.pending_totp) else {
        return Ok(redirect("/login"));
    };
    let client = client_addr(&state, &headers, peer.0);
    match state.db.login_second_factor(&token, &f.code, &client).await {
        Ok(Some((new_token, _))) => Ok(with_cookie(
            redirect(&next),
            set_cookie(
                &state,
                SESSION_COOKIE,
                &new_token,
                Some(ABSOLUTE_TIMEOUT_SECS),
            ),
        )),
        Ok(None) => {
            let errors = FormErrors::one(&ctx, "code", "error-code");
            page_with(StatusCode::BAD_REQUEST, &TotpPage { ctx, errors, next })
        }
        Err(convene_domain::Error::RateLimited) => Err(AppError::RateLimited),
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(t) = &ctx.session_token {
        state.db.logout(t).await?;
    }
    Ok(with_cookie(
        redirect("/"),
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    ))
}
