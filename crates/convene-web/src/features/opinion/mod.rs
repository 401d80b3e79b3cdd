//! Opinion mapping in the web app: conversations, voting one statement at a time,
//! moderation, results (an inline SVG map and tables), a printable report, exports
//! and import. Every page works without JavaScript.

pub mod exchange;
pub mod moderate;
pub mod results;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::may_organise;
use convene_domain::model::Level;
use convene_domain::opinion::{Conversation, NewConversation, Statement, Vote, Voter};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::{cookie, Ctx};
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::security::set_cookie;
use crate::{page, page_with, redirect, with_cookie, AppState};

/// The anonymous participant's cookie (random; only its keyed hash is stored).
pub const PARTICIPANT_COOKIE: &str = "convene_participant";
const PARTICIPANT_COOKIE_AGE: i64 = 365 * 24 * 3600;

pub const CSS: &str = include_str!("opinion.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/opinion.css", get(css))
        .route("/s/{slug}/opinion", get(list).post(create))
        .route(
            "/s/{slug}/opinion/import",
            get(exchange::import_form).post(exchange::import),
        )
        .route("/s/{slug}/opinion/{id}", get(show))
        .route("/s/{slug}/opinion/{id}/vote", post(vote))
        .route("/s/{slug}/opinion/{id}/statements", post(add_statement))
        .route("/s/{slug}/opinion/{id}/settings", post(settings))
        .route(
            "/s/{slug}/opinion/{id}/moderate",
            get(moderate::queue).post(moderate::decide),
        )
        .route("/s/{slug}/opinion/{id}/results", get(results::show))
        .route("/s/{slug}/opinion/{id}/report", get(results::report))
        .route(
            "/s/{slug}/opinion/{id}/export/{file}",
            get(exchange::export),
        )
}

pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}

/// The scope and the conversation, or 404 when the viewer may not see it.
pub async fn load(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    id: i64,
) -> AppResult<(Scope, Conversation)> {
    let scope = state.db.scope(ctx.user.as_ref(), slug).await?;
    let conv = state.db.conversation(&scope, id).await?;
    Ok((scope, conv))
}

/// The viewer as a voter: a user, or in a public space an anonymous cookie, which
/// is made (and returned to be set) when `create` and there is none yet.
async fn participant_of(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    conv: &Conversation,
    headers: &HeaderMap,
    create: bool,
) -> AppResult<(Option<i64>, Option<String>)> {
    if let Some(u) = &ctx.user {
        let v = Voter::User(u.id);
        let id = if create {
            Some(state.db.participant(scope, conv, v).await?)
        } else {
            state.db.find_participant(conv, v).await?
        };
        return Ok((id, None));
    }
    if !scope.space().is_public {
        return Ok((None, None));
    }
    match cookie(headers, PARTICIPANT_COOKIE) {
        Some(c) if create => Ok((
            Some(state.db.participant(scope, conv, Voter::Cookie(&c)).await?),
            None,
        )),
        Some(c) => Ok((
            state.db.find_participant(conv, Voter::Cookie(&c)).await?,
            None,
        )),
        None if create => {
            let c = convene_domain::util::random_token(24)?;
            let id = state.db.participant(scope, conv, Voter::Cookie(&c)).await?;
            Ok((Some(id), Some(c)))
        }
        None => Ok((None, None)),
    }
}

fn with_participant_cookie(
    state: &AppState,
    res: Response,
    new_cookie: Option<String>,
) -> Response {
    match new_cookie {
        Some(c) => with_cookie(
            res,
            set_cookie(state, PARTICIPANT_COOKIE, &c, Some(PARTICIPANT_COOKIE_AGE)),
        ),
        None => res,
    }
}

pub struct ConvRow {
    pub conv: Conversation,
    pub level: String,
}

#[derive(Template)]
#[template(path = "features/opinion/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<ConvRow>,
    pub form: NewForm,
    pub levels: Vec<(&'static str, String)>,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default, Clone)]
pub struct NewForm {
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub allow_statements: Option<String>,
}

pub fn conversation_levels(ctx: &Ctx) -> Vec<(&'static str, String)> {
    [Level::Public, Level::Members, Level::Organisers]
        .iter()
        .map(|l| (l.as_str(), level_label(ctx, *l)))
        .collect()
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    form: NewForm,
    errors: FormErrors,
) -> AppResult<ListPage> {
    let rows = state
        .db
        .conversations(&scope)
        .await?
        .into_iter()
        .map(|c| ConvRow {
            level: level_label(&ctx, c.level),
            conv: c,
        })
        .collect();
    Ok(ListPage {
        levels: conversation_levels(&ctx),
        ctx,
        scope,
        rows,
        form,
        errors,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let form = NewForm {
        level: "public".into(),
        allow_statements: Some("on".into()),
        ..NewForm::default()
    };
    page(&list_page(&state, ctx, scope, form, FormErrors::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<NewForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level).ok_or(AppError::BadRequest)?;
    let new = NewConversation {
        topic: f.topic.clone(),
        description: f.description.clone(),
        level,
        is_open: true,
        allow_statements: f.allow_statements.is_some(),
    };
    match state.db.create_conversation(&scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/opinion/{id}"))),
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

pub struct Mine {
    pub statement: Statement,
    pub status: String,
}

#[derive(Template)]
#[template(path = "features/opinion/conversation.html")]
pub struct ConversationPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub conv: Conversation,
    pub level: String,
    pub next: Option<Statement>,
    pub remaining: usize,
    pub voted_any: bool,
    pub may_participate: bool,
    pub may_write: bool,
    pub may_export: bool,
    pub mine: Vec<Mine>,
    pub body: String,
    pub errors: FormErrors,
    pub notice: String,
    pub pending: usize,
}

fn status_label(ctx: &Ctx, s: convene_domain::opinion::Status) -> String {
    ctx.t(&format!("opinion-status-{}", s.as_str()))
}

#[allow(clippy::too_many_arguments)]
async fn conversation_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    conv: Conversation,
    participant: Option<i64>,
    body: String,
    errors: FormErrors,
    notice: String,
) -> AppResult<ConversationPage> {
    let (next, remaining) = state.db.next_statement(&conv, participant).await?;
    let mine = match participant {
        Some(p) => state
            .db
            .statements_by(&conv, p)
            .await?
            .into_iter()
            .map(|s| Mine {
                status: status_label(&ctx, s.status),
                statement: s,
            })
            .collect(),
        None => vec![],
    };
    let pending = if may_organise(&scope) {
        state.db.moderation_queue(&scope, &conv).await?.len()
    } else {
        0
    };
    let approved = state.db.approved_statements(&conv).await?.len();
    let may_participate = state.db.may_participate(&scope, &conv);
    Ok(ConversationPage {
        level: level_label(&ctx, conv.level),
        voted_any: approved > remaining,
        may_write: may_participate && (conv.allow_statements || may_organise(&scope)),
        may_export: scope.role().is_some_and(|r| r.may_export()),
        may_participate,
        next,
        remaining,
        mine,
        body,
        errors,
        notice,
        pending,
        ctx,
        scope,
        conv,
    })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    added: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    let (participant, _) = participant_of(&state, &ctx, &scope, &conv, &headers, false).await?;
    let notice = match q.added.as_deref() {
        Some("seed") => ctx.t("opinion-statement-added-seed"),
        Some(_) => ctx.t("opinion-statement-added"),
        None => String::new(),
    };
    page(
        &conversation_page(
            &state,
            ctx,
            scope,
            conv,
            participant,
            String::new(),
            FormErrors::default(),
            notice,
        )
        .await?,
    )
}

#[derive(Deserialize)]
pub struct VoteForm {
    statement: i64,
    vote: String,
}

pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<VoteForm>,
) -> AppResult<Response> {
    let v = Vote::parse(&f.vote).ok_or(AppError::BadRequest)?;
    // One read for the conversation and the voter's participant id.
    let mut new_cookie = None;
    let cookie_value = match &ctx.user {
        Some(_) => None,
        None if scope.space().is_public => match cookie(&headers, PARTICIPANT_COOKIE) {
            Some(c) => Some(c),
            None => {
                let c = convene_domain::util::random_token(24)?;
                new_cookie = Some(c.clone());
                Some(c)
            }
        },
        None => return Err(AppError::NotFound),
    };
    let voter = match (&ctx.user, &cookie_value) {
        (Some(u), _) => Voter::User(u.id),
        (None, Some(c)) => Voter::Cookie(c),
        (None, None) => return Err(AppError::Forbidden),
    };
    let (conv, participant) = state.db.conversation_for_voter(&scope, id, voter).await?;
    let participant = match participant {
        Some(p) if state.db.may_participate(&scope, &conv) => p,
        Some(_) => return Err(AppError::Forbidden),
        None => state.db.participant(&scope, &conv, voter).await?,
    };
    state.db.vote(&conv, participant, f.statement, v).await?;
    Ok(with_participant_cookie(
        &state,
        redirect(&format!("/s/{slug}/opinion/{id}#vote")),
        new_cookie,
    ))
}

#[derive(Deserialize)]
pub struct StatementForm {
    #[serde(default)]
    body: String,
}

pub async fn add_statement(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<StatementForm>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    if let Err(convene_domain::Error::Invalid(v)) =
        convene_domain::opinion::validate_statement(&f.body)
    {
        let (participant, _) = participant_of(&state, &ctx, &scope, &conv, &headers, false).await?;
        let errors = FormErrors::from_invalid(&ctx, &v);
        return page_with(
            StatusCode::BAD_REQUEST,
            &conversation_page(
                &state,
                ctx,
                scope,
                conv,
                participant,
                f.body,
                errors,
                String::new(),
            )
            .await?,
        );
    }
    let organiser = may_organise(&scope);
    let (participant, new_cookie) = if organiser {
        (None, None)
    } else {
        participant_of(&state, &ctx, &scope, &conv, &headers, true).await?
    };
    state
        .db
        .add_statement(&scope, &conv, participant, &f.body)
        .await?;
    let added = if organiser { "seed" } else { "1" };
    Ok(with_participant_cookie(
        &state,
        redirect(&format!("/s/{slug}/opinion/{id}?added={added}#add")),
        new_cookie,
    ))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    is_open: Option<String>,
    #[serde(default)]
    allow_statements: Option<String>,
    #[serde(default)]
    sms_keyword: String,
}

pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    state
        .db
        .update_conversation(
            &scope,
            &conv,
            f.is_open.is_some(),
            f.allow_statements.is_some(),
        )
        .await?;
    let typed = f.sms_keyword.trim();
    let saved = state.db.conversation_keyword(&conv).await?;
    if saved.as_deref().unwrap_or("") != typed.to_uppercase() {
        let keyword = (!typed.is_empty()).then_some(typed);
        match state
            .db
            .set_conversation_keyword(&scope, &conv, keyword)
            .await
        {
            Ok(()) => {}
            Err(convene_domain::Error::Invalid(v)) => {
                let errors = crate::features::forms::FormErrors::from_invalid(&ctx, &v);
                let conv = state.db.conversation(&scope, id).await?;
                let page = moderate::queue_page(
                    &state,
                    ctx,
                    scope,
                    conv,
                    errors,
                    0,
                    Some(typed.to_string()),
                )
                .await?;
                return crate::page_with(axum::http::StatusCode::BAD_REQUEST, &page);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(redirect(&format!("/s/{slug}/opinion/{id}/moderate")))
}
