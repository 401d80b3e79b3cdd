//! The web answering form at `/p/{slug}`: one question per page, a plain POST each
//! (no JavaScript), phone-first and light. A respondent is known by a random
//! cookie; only a keyed hash of it (with the poll's address, so two polls' answers
//! cannot be linked) is stored.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use convene_domain::polls::builder::{about_total, path_before};
use convene_domain::polls::engine::{self, Answer, Answers, Unreadable};
use convene_domain::polls::{Access, Poll, Progress, QuestionKind, Respondent};
use serde::Deserialize;

use crate::context::{cookie, Ctx, LANG_COOKIE};
use crate::error::{AppError, AppResult};
use crate::i18n::{catalog, Lang};
use crate::security::set_cookie;
use crate::{page, page_with, redirect, with_cookie, AppState};

/// The respondent's cookie (random; HttpOnly, SameSite=Lax).
pub const RESPONDENT_COOKIE: &str = "convene_respondent";
const RESPONDENT_COOKIE_AGE: i64 = 90 * 24 * 3600;

fn subject(cookie: &str, poll: &Poll) -> String {
    format!("{cookie}:{}", poll.slug)
}

pub struct Pick {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Which page of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Start,
    Question,
    Done,
    Closed,
    NeedsInvite,
}

#[derive(Template)]
#[template(path = "features/polls/respond.html")]
pub struct RespondPage {
    pub ctx: Ctx,
    pub poll: Poll,
    pub stage: Stage,
    /// The language of the poll's texts on this page.
    pub lang: String,
    pub languages: Vec<(String, String)>,
    pub invite: String,
    pub notes: Vec<String>,
    pub name: String,
    pub kind: &'static str,
    pub label: String,
    pub hint: String,
    pub required: bool,
    pub picks: Vec<Pick>,
    pub value: String,
    pub error: String,
    pub progress: String,
    pub can_back: bool,
    pub results_link: String,
}

impl RespondPage {
    fn new(ctx: Ctx, poll: Poll, stage: Stage) -> Self {
        let lang = text_lang(&ctx, &poll, None);
        let languages = poll
            .languages()
            .into_iter()
            .map(|c| {
                let name = Lang::parse(&c)
                    .map(|l| l.native_name().to_string())
                    .unwrap_or_else(|| c.clone());
                (c, name)
            })
            .collect();
        RespondPage {
            ctx,
            poll,
            stage,
            lang,
            languages,
            invite: String::new(),
            notes: vec![],
            name: String::new(),
            kind: "",
            label: String::new(),
            hint: String::new(),
            required: false,
            picks: vec![],
            value: String::new(),
            error: String::new(),
            progress: String::new(),
            can_back: false,
            results_link: String::new(),
        }
    }

    pub fn is(&self, s: &str) -> bool {
        let stage = match s {
            "start" => Stage::Start,
            "question" => Stage::Question,
            "done" => Stage::Done,
            "closed" => Stage::Closed,
            _ => Stage::NeedsInvite,
        };
        self.stage == stage
    }
}

/// The poll's language for this page: the interface's, when the poll has it.
fn text_lang(ctx: &Ctx, poll: &Poll, r: Option<&Respondent>) -> String {
    let langs = poll.languages();
    let ui = ctx.lang.code();
    if langs.iter().any(|l| l == ui) {
        ui.to_string()
    } else if let Some(r) = r {
        r.language.clone()
    } else {
        langs.into_iter().next().unwrap_or_default()
    }
}

fn stored_values(a: Option<&Answer>) -> Vec<String> {
    match a {
        Some(Answer::Choice(c)) => vec![c.clone()],
        Some(Answer::Choices(cs)) => cs.clone(),
        Some(Answer::Text(t)) => vec![t.clone()],
        Some(a @ Answer::Number(_)) => a.value().into_iter().collect(),
        Some(Answer::Skipped) | None => vec![],
    }
}

fn question_page(
    ctx: Ctx,
    poll: Poll,
    r: &Respondent,
    answers: &Answers,
    posted: Option<Vec<String>>,
    error: String,
) -> AppResult<RespondPage> {
    let awaiting = r.awaiting.clone().ok_or(AppError::NotFound)?;
    let lang = text_lang(&ctx, &poll, Some(r));
    let def = &poll.definition;
    let d = def.default_language.as_deref();
    let q = engine::question(def, &awaiting).ok_or(AppError::NotFound)?;
    let path = path_before(def, answers, Some(&awaiting));
    let prev = path.last().map(|p| p.name.as_str());
    let notes = engine::notes_before(def, answers, prev, &awaiting)
        .iter()
        .map(|n| engine::pick(&n.label, &lang, d).to_string())
        .collect();
    let values = posted.unwrap_or_else(|| stored_values(answers.get(&awaiting)));
    let picked = |v: &str| values.iter().any(|x| x == v);
    let (kind, picks) = match &q.kind {
        QuestionKind::SelectOne(_) | QuestionKind::SelectMultiple(_) => (
            if matches!(q.kind, QuestionKind::SelectOne(_)) {
                "one"
            } else {
                "many"
            },
            engine::choices(q, &lang, d)
                .into_iter()
                .map(|(v, l)| Pick {
                    checked: picked(v),
                    value: v.to_string(),
                    label: l.to_string(),
                })
                .collect(),
        ),
        QuestionKind::Scale { min, max } => (
            "one",
            (*min..=*max)
                .map(|n| Pick {
                    checked: picked(&n.to_string()),
                    value: n.to_string(),
                    label: n.to_string(),
                })
                .collect(),
        ),
        QuestionKind::Integer => ("integer", vec![]),
        QuestionKind::Decimal => ("decimal", vec![]),
        _ => ("text", vec![]),
    };
    let progress = catalog().get(
        ctx.lang,
        "poll-progress",
        &[
            ("number", (path.len() + 1).to_string()),
            ("total", about_total(def, answers, &awaiting).to_string()),
        ],
    );
    let mut p = RespondPage::new(ctx, poll.clone(), Stage::Question);
    p.lang = lang.clone();
    p.notes = notes;
    p.name = q.name.clone();
    p.kind = kind;
    p.label = engine::pick(&q.label, &lang, d).to_string();
    p.hint = engine::pick(&q.hint, &lang, d).to_string();
    p.required = q.required;
    p.picks = picks;
    p.value = if kind == "one" || kind == "many" {
        String::new()
    } else {
        values.into_iter().next().unwrap_or_default()
    };
    p.error = error;
    p.progress = progress;
    p.can_back = !path.is_empty();
    Ok(p)
}

async fn respondent(
    state: &AppState,
    headers: &HeaderMap,
    poll: &Poll,
) -> AppResult<Option<Respondent>> {
    match cookie(headers, RESPONDENT_COOKIE) {
        Some(c) => Ok(state
            .db
            .find_web_respondent(poll, &subject(&c, poll))
            .await?),
        None => Ok(None),
    }
}

#[derive(Deserialize)]
pub struct InviteQuery {
    pub invite: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<InviteQuery>,
) -> AppResult<Response> {
    let (_scope, poll) = state.db.poll_by_slug(ctx.user.as_ref(), &slug).await?;
    let r = respondent(&state, &headers, &poll).await?;
    let accepting = state.db.may_answer(&poll);
    match r {
        Some(r) if r.progress == Progress::Complete || r.awaiting.is_none() => {
            let mut p = RespondPage::new(ctx, poll, Stage::Done);
            if p.poll.results_public {
                p.results_link = format!("/p/{}/results", p.poll.slug);
            }
            page(&p)
        }
        Some(_) | None if !accepting => page(&RespondPage::new(ctx, poll, Stage::Closed)),
        Some(r) => {
            let answers = state.db.respondent_answers(r.id).await?;
            page(&question_page(
                ctx,
                poll,
                &r,
                &answers,
                None,
                String::new(),
            )?)
        }
        None => {
            let invite = q.invite.unwrap_or_default();
            let invited = poll.access == Access::Open
                || (!invite.is_empty() && state.db.poll_invite_unused(&poll, &invite).await?);
            let mut p = RespondPage::new(
                ctx,
                poll,
                if invited {
                    Stage::Start
                } else {
                    Stage::NeedsInvite
                },
            );
            p.invite = invite;
            if invited {
                page(&p)
            } else {
                page_with(StatusCode::FORBIDDEN, &p)
            }
        }
    }
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub invite: String,
}

pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<StartForm>,
) -> AppResult<Response> {
    let (_scope, poll) = state.db.poll_by_slug(ctx.user.as_ref(), &slug).await?;
    let (secret, new_cookie) = match cookie(&headers, RESPONDENT_COOKIE) {
        Some(c) if c.len() >= 16 => (c, false),
        _ => (convene_domain::util::random_token(24)?, true),
    };
    let invite = (!f.invite.is_empty()).then_some(f.invite.as_str());
    // An invitation link starts one respondent: it is used up here, unless this
    // browser has already started (then it simply continues).
    if poll.access == Access::Invite && state.db.may_answer(&poll) {
        let known = match new_cookie {
            true => None,
            false => {
                state
                    .db
                    .find_web_respondent(&poll, &subject(&secret, &poll))
                    .await?
            }
        };
        let usable = match (known, invite) {
            (Some(_), _) => true,
            (None, Some(t)) => state.db.use_poll_invite(&poll, t).await?,
            (None, None) => false,
        };
        if !usable {
            return page_with(
                StatusCode::FORBIDDEN,
                &RespondPage::new(ctx, poll, Stage::NeedsInvite),
            );
        }
    }
    let started = state
        .db
        .start_web_respondent(&poll, &subject(&secret, &poll), &f.language, invite)
        .await;
    match started {
        Ok(_) => {}
        Err(convene_domain::Error::Conflict(_)) => {
            return page_with(
                StatusCode::CONFLICT,
                &RespondPage::new(ctx, poll, Stage::Closed),
            )
        }
        Err(convene_domain::Error::Forbidden) => {
            return page_with(
                StatusCode::FORBIDDEN,
                &RespondPage::new(ctx, poll, Stage::NeedsInvite),
            )
        }
        Err(e) => return Err(e.into()),
    }
    let mut res = redirect(&format!("/p/{slug}"));
    if new_cookie {
        res = with_cookie(
            res,
            set_cookie(
                &state,
                RESPONDENT_COOKIE,
                &secret,
                Some(RESPONDENT_COOKIE_AGE),
            ),
        );
    }
    if let Some(l) = Lang::parse(&f.language) {
        res = with_cookie(
            res,
            set_cookie(&state, LANG_COOKIE, l.code(), Some(365 * 24 * 3600)),
        );
    }
    Ok(res)
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_scope, poll) = state.db.poll_by_slug(ctx.user.as_ref(), &slug).await?;
    let Some(r) = respondent(&state, &headers, &poll).await? else {
        return Ok(redirect(&format!("/p/{slug}")));
    };
    if !state.db.may_answer(&poll) {
        return page_with(
            StatusCode::CONFLICT,
            &RespondPage::new(ctx, poll, Stage::Closed),
        );
    }
    let name = f
        .iter()
        .find(|(k, _)| k == "question")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if r.awaiting.as_deref() != Some(name.as_str()) {
        // A form from an earlier page (the browser's back button): show the current one.
        return Ok(redirect(&format!("/p/{slug}")));
    }
    let values: Vec<String> = f
        .into_iter()
        .filter(|(k, _)| k == "v")
        .map(|(_, v)| v)
        .collect();
    let mut answers = state.db.respondent_answers(r.id).await?;
    let q = engine::question(&poll.definition, &name).ok_or(AppError::NotFound)?;
    match engine::check_answer(q, &values, &answers) {
        Ok(a) => {
            answers.insert(name.clone(), a.clone());
            let next = engine::next_question(&poll.definition, &answers, Some(&name))
                .map(|q| q.name.clone());
            state
                .db
                .save_answer(&poll, &r, &name, &a, next.as_deref())
                .await?;
            state
                .db
                .drop_irrelevant_answers(&poll, r.id, &answers)
                .await?;
            Ok(redirect(&format!("/p/{slug}")))
        }
        Err(why) => {
            let lang = text_lang(&ctx, &poll, Some(&r));
            let custom = engine::pick(
                &q.constraint_message,
                &lang,
                poll.definition.default_language.as_deref(),
            );
            let message = if why == Unreadable::Constraint && !custom.is_empty() {
                custom.to_string()
            } else {
                ctx.t(why.key())
            };
            let p = question_page(ctx, poll, &r, &answers, Some(values), message)?;
            page_with(StatusCode::BAD_REQUEST, &p)
        }
    }
}

pub async fn back(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (_scope, poll) = state.db.poll_by_slug(ctx.user.as_ref(), &slug).await?;
    if let Some(r) = respondent(&state, &headers, &poll).await? {
        if state.db.may_answer(&poll) && r.progress != Progress::Complete {
            let answers = state.db.respondent_answers(r.id).await?;
            let path = path_before(&poll.definition, &answers, r.awaiting.as_deref());
            if let Some(prev) = path.last() {
                state.db.respondent_back_to(&poll, &r, &prev.name).await?;
            }
        }
    }
    Ok(redirect(&format!("/p/{slug}")))
}
