//! Free-text coding (organisers and analysts): the codebook of a question, coding
//! every answer by its rules, reviewing and recoding one answer at a time, the
//! agreement of two analysts (Cohen's kappa), and themes suggested for answers
//! no code fits. Plain forms; no JavaScript.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_analysis::survey::{cohen_kappa, suggest_themes, ThemeOptions};
use convene_domain::polls::coding::{double_coded, format_rules, parse_rules, Code, CodedAnswer};
use convene_domain::polls::Poll;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::results::load;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::features::forms::FormErrors;
use crate::{page, page_with, redirect, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/polls/{id}/coding/{question}", get(show))
        .route(
            "/s/{slug}/polls/{id}/coding/{question}/codes",
            post(save_code),
        )
        .route("/s/{slug}/polls/{id}/coding/{question}/run", post(run))
        .route(
            "/s/{slug}/polls/{id}/coding/{question}/review",
            get(review).post(recode),
        )
}

pub struct CodeView {
    pub code: String,
    pub description: String,
    pub rules: String,
}

#[derive(Template)]
#[template(path = "features/polls/coding.html")]
pub struct CodingPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub poll: Poll,
    pub question: String,
    pub label: String,
    pub codes: Vec<CodeView>,
    pub answers: usize,
    pub by_rules: usize,
    pub reviewed: usize,
    pub kappa: String,
    pub counts: String,
    pub themes: Vec<String>,
    pub notice: String,
    pub errors: FormErrors,
    pub form_code: String,
    pub form_description: String,
    pub form_rules: String,
}

#[derive(Deserialize, Default)]
pub struct CodingQuery {
    #[serde(default)]
    ran: Option<usize>,
    #[serde(default)]
    n: Option<usize>,
}

fn label_of(poll: &Poll, name: &str) -> String {
    let def = &poll.definition;
    def.questions
        .iter()
        .find(|q| q.name == name)
        .map(|q| {
            convene_domain::polls::engine::pick(&q.label, "", def.default_language.as_deref())
                .to_string()
        })
        .unwrap_or_default()
}

/// A message with several variables.
fn tn(ctx: &Ctx, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::catalog().get(ctx.lang, key, args)
}

/// Whether an answer has a code from the rules or from any analyst (answers
/// without one feed the suggested themes).
fn coded(a: &CodedAnswer) -> bool {
    a.by_analysts.values().any(|c| !c.is_empty())
        || a.by_rules.as_ref().is_some_and(|c| !c.is_empty())
}

#[allow(clippy::too_many_arguments)]
async fn coding_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    poll: Poll,
    question: String,
    notice: String,
    errors: FormErrors,
    form: (String, String, String),
) -> AppResult<CodingPage> {
    let book = state.db.poll_codebook(&scope, &poll, &question).await?;
    let answers = state
        .db
        .poll_coded_answers(&scope, &poll, &question)
        .await?;
    let kappa = match double_coded(&answers).map(|(_, _, a, b)| cohen_kappa(&a, &b)) {
        Some(Ok(k)) => tn(
            &ctx,
            "poll-coding-kappa",
            &[
                (
                    "kappa",
                    k.kappa
                        .map(|x| format!("{x:.2}"))
                        .unwrap_or_else(|| "–".into()),
                ),
                ("n", k.n.to_string()),
                ("observed", format!("{:.0}%", k.observed * 100.0)),
            ],
        ),
        _ => String::new(),
    };
    let uncoded: Vec<&str> = answers
        .iter()
        .filter(|a| !coded(a))
        .map(|a| a.text.as_str())
        .collect();
    let themes = if uncoded.is_empty() {
        Vec::new()
    } else {
        suggest_themes(&uncoded, &ThemeOptions::default())
            .unwrap_or_default()
            .into_iter()
            .map(|t| {
                let terms: Vec<String> = t.terms.iter().map(|(w, _)| w.clone()).collect();
                tn(
                    &ctx,
                    "poll-coding-theme",
                    &[
                        ("count", t.answers.len().to_string()),
                        ("terms", terms.join(", ")),
                    ],
                )
            })
            .collect()
    };
    Ok(CodingPage {
        label: label_of(&poll, &question),
        codes: book
            .iter()
            .map(|c| CodeView {
                code: c.code.clone(),
                description: c.description.clone(),
                rules: format_rules(&c.rules),
            })
            .collect(),
        answers: answers.len(),
        by_rules: answers
            .iter()
            .filter(|a| a.by_rules.as_ref().is_some_and(|c| !c.is_empty()))
            .count(),
        reviewed: answers.iter().filter(|a| !a.by_analysts.is_empty()).count(),
        counts: tn(
            &ctx,
            "poll-coding-answers",
            &[
                ("count", answers.len().to_string()),
                (
                    "rules",
                    answers
                        .iter()
                        .filter(|a| a.by_rules.as_ref().is_some_and(|c| !c.is_empty()))
                        .count()
                        .to_string(),
                ),
                (
                    "reviewed",
                    answers
                        .iter()
                        .filter(|a| !a.by_analysts.is_empty())
                        .count()
                        .to_string(),
                ),
            ],
        ),
        kappa,
        themes,
        notice,
        errors,
        form_code: form.0,
        form_description: form.1,
        form_rules: form.2,
        ctx,
        scope,
        poll,
        question,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id, question)): Path<(String, i64, String)>,
    Query(q): Query<CodingQuery>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let notice = q
        .ran
        .map(|n| ctx.t1("poll-coding-ran", "count", n))
        .unwrap_or_default();
    let p = coding_page(
        &state,
        ctx,
        scope,
        poll,
        question,
        notice,
        FormErrors::default(),
        Default::default(),
    )
    .await?;
    page(&p)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: String,
}

pub async fn save_code(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id, question)): Path<(String, i64, String)>,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let code = Code {
        code: f.code.trim().to_string(),
        description: f.description.clone(),
        rules: parse_rules(&f.rules),
    };
    match state
        .db
        .save_poll_code(&scope, &poll, &question, &code)
        .await
    {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/polls/{id}/coding/{question}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let p = coding_page(
                &state,
                ctx,
                scope,
                poll,
                question,
                String::new(),
                errors,
                (f.code, f.description, f.rules),
            )
            .await?;
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn run(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id, question)): Path<(String, i64, String)>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let n = state
        .db
        .run_poll_coding_rules(&scope, &poll, &question)
        .await?;
    Ok(redirect(&format!(
        "/s/{slug}/polls/{id}/coding/{question}?ran={n}"
    )))
}

pub struct Choice {
    pub code: String,
    pub description: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "features/polls/review.html")]
pub struct ReviewPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub poll: Poll,
    pub question: String,
    pub label: String,
    pub n: usize,
    pub total: usize,
    pub title: String,
    pub answer: Option<CodedAnswer>,
    pub rules_codes: String,
    pub choices: Vec<Choice>,
}

pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id, question)): Path<(String, i64, String)>,
    Query(q): Query<CodingQuery>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let book = state.db.poll_codebook(&scope, &poll, &question).await?;
    let answers = state
        .db
        .poll_coded_answers(&scope, &poll, &question)
        .await?;
    let me = scope.viewer_id().ok_or(AppError::Forbidden)?;
    let n = q.n.unwrap_or(0);
    let total = answers.len();
    let answer = answers.into_iter().nth(n);
    let mine = answer.as_ref().and_then(|a| {
        a.by_analysts
            .get(&me)
            .cloned()
            .or_else(|| a.by_rules.clone())
    });
    let choices = book
        .iter()
        .map(|c| Choice {
            code: c.code.clone(),
            description: c.description.clone(),
            checked: mine.as_ref().is_some_and(|m| m.contains(&c.code)),
        })
        .collect();
    let rules_codes = answer
        .as_ref()
        .and_then(|a| a.by_rules.as_ref())
        .map(|c| c.join(", "))
        .unwrap_or_default();
    page(&ReviewPage {
        title: tn(
            &ctx,
            "poll-coding-review-title",
            &[("n", (n + 1).to_string()), ("total", total.to_string())],
        ),
        label: label_of(&poll, &question),
        n,
        total,
        answer,
        rules_codes,
        choices,
        ctx,
        scope,
        poll,
        question,
    })
}

pub async fn recode(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id, question)): Path<(String, i64, String)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let get = |k: &str| f.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    let respondent: i64 = get("respondent")
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::BadRequest)?;
    let n: usize = get("n").and_then(|v| v.parse().ok()).unwrap_or(0);
    let codes: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "code")
        .map(|(_, v)| v.clone())
        .collect();
    state
        .db
        .recode_poll_answer(&scope, &poll, &question, respondent, &codes)
        .await?;
    Ok(redirect(&format!(
        "/s/{slug}/polls/{id}/coding/{question}/review?n={}",
        n + 1
    )))
}
