//! The home page (spaces the visitor may see), the language switch, new spaces.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::model::{Role, Space};
use serde::Deserialize;

use crate::context::{Ctx, LANG_COOKIE, LIGHT_COOKIE};
use crate::error::{AppError, AppResult};
use crate::features::forms::FormErrors;
use crate::i18n::Lang;
use crate::security::set_cookie;
use crate::{page, page_with, redirect, safe_next, with_cookie, AppState};

pub struct SpaceRow {
    pub space: Space,
    pub role: String,
}

#[derive(Template)]
#[template(path = "features/home/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub spaces: Vec<SpaceRow>,
}

pub fn role_label(ctx: &Ctx, role: Option<Role>) -> String {
    match role {
        Some(r) => ctx.t(&format!("role-{}", r.as_str().replace('_', "-"))),
        None => String::new(),
    }
}

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let spaces = state
        .db
        .visible_spaces(ctx.user.as_ref())
        .await?
        .into_iter()
        .map(|(space, role)| SpaceRow {
            role: role_label(&ctx, role),
            space,
        })
        .collect();
    page(&IndexPage { ctx, spaces })
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn set_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let lang = Lang::parse(&code).ok_or(AppError::NotFound)?;
    let res = redirect(&safe_next(q.next.as_deref()));
    Ok(with_cookie(
        res,
        set_cookie(&state, LANG_COOKIE, lang.code(), Some(365 * 24 * 3600)),
    ))
}

/// `GET /light/{on|off}?next=`: the visitor's low-bandwidth setting, kept in a
/// cookie for a year (a plain link: no JavaScript needed).
pub async fn set_light(
    State(state): State<AppState>,
    Path(mode): Path<String>,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let value = match mode.as_str() {
        "on" => "1",
        "off" => "0",
        _ => return Err(AppError::NotFound),
    };
    let res = redirect(&safe_next(q.next.as_deref()));
    Ok(with_cookie(
        res,
        set_cookie(&state, LIGHT_COOKIE, value, Some(365 * 24 * 3600)),
    ))
}

#[derive(Template)]
#[template(path = "features/home/new_space.html")]
pub struct NewSpacePage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub is_public: bool,
}

pub async fn new_space_form(ctx: Ctx) -> AppResult<Response> {
    if ctx.user.is_none() {
        return Ok(redirect("/login?next=/spaces/new"));
    }
    page(&NewSpacePage {
        ctx,
        errors: FormErrors::default(),
        slug: String::new(),
        name: String::new(),
        description: String::new(),
        is_public: false,
    })
}

#[derive(Deserialize)]
pub struct NewSpaceForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    visibility: Option<String>,
}

pub async fn create_space(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<NewSpaceForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    let is_public = f.visibility.as_deref() == Some("public");
    match state
        .db
        .create_space_from_form(f.slug.trim(), &f.name, &f.description, is_public, &user)
        .await
    {
        Ok(space) => Ok(redirect(&format!("/s/{}", space.slug))),
        Err(e) => {
            let errors = match &e {
                convene_domain::Error::Invalid(v) => FormErrors::from_invalid(&ctx, v),
                convene_domain::Error::Conflict(_) => {
                    FormErrors::one(&ctx, "slug", "error-slug-taken")
                }
                _ => return Err(e.into()),
            };
            page_with(
                StatusCode::BAD_REQUEST,
                &NewSpacePage {
                    ctx,
                    errors,
                    slug: f.slug,
                    name: f.name,
                    description: f.description,
                    is_public,
                },
            )
        }
    }
}
