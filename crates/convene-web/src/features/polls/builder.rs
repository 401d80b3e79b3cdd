//! The organisers' side of polls: the list, creating a poll, building its questions
//! one at a time (no JavaScript needed), uploading an XLSForm, and the settings
//! (opening, dates, invitations).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::access::policy::may_organise;
use convene_domain::model::Level;
use convene_domain::polls::builder::{demographic_block, parse_relevant};
use convene_domain::polls::xlsform::{
    read_xlsform, Choice, ChoiceList, Translations, XlsFormError,
};
use convene_domain::polls::{
    engine, Access, NewPoll, Poll, PollDefinition, PollSettings, Question, QuestionKind,
};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::{date_value, load, parse_date};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::i18n::{catalog, Lang};
use crate::{page, page_with, redirect, AppState};

type Pairs = Vec<(String, String)>;

fn get<'a>(f: &'a Pairs, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn on(f: &Pairs, name: &str) -> bool {
    !get(f, name).is_empty()
}

/// A poll's state in words.
pub fn status_key(p: &Poll) -> &'static str {
    let t = convene_domain::util::now();
    if p.accepting(t) {
        "poll-status-open"
    } else if p.is_open && p.opens_at.is_some_and(|o| t < o) {
        "poll-status-scheduled"
    } else {
        "poll-status-closed"
    }
}

pub struct PollRow {
    pub poll: Poll,
    pub status: String,
    pub level: String,
    pub respondents: i64,
    pub complete: i64,
}

#[derive(Template)]
#[template(path = "features/polls/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<PollRow>,
    pub form: Pairs,
    pub levels: Vec<(&'static str, String)>,
    pub errors: FormErrors,
}

impl ListPage {
    pub fn v(&self, name: &str) -> String {
        get(&self.form, name).to_string()
    }
    pub fn checked(&self, name: &str) -> bool {
        on(&self.form, name)
    }
}

pub fn poll_levels(ctx: &Ctx) -> Vec<(&'static str, String)> {
    [Level::Public, Level::Members, Level::Organisers]
        .iter()
        .map(|l| (l.as_str(), level_label(ctx, *l)))
        .collect()
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    form: Pairs,
    errors: FormErrors,
) -> AppResult<ListPage> {
    let mut rows = Vec::new();
    for p in state.db.polls(&scope).await? {
        let (respondents, complete) = if may_organise(&scope) {
            state.db.poll_respondent_counts(&p).await?
        } else {
            (0, 0)
        };
        rows.push(PollRow {
            status: ctx.t(status_key(&p)),
            level: level_label(&ctx, p.level),
            respondents,
            complete,
            poll: p,
        });
    }
    Ok(ListPage {
        levels: poll_levels(&ctx),
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
    let form: Pairs = vec![
        ("level".into(), "public".into()),
        ("access".into(), "open".into()),
        ("lang_en".into(), "on".into()),
        ("idle_minutes".into(), "60".into()),
    ];
    page(&list_page(&state, ctx, scope, form, FormErrors::default()).await?)
}

/// A code of a language a poll may use: 2 or 3 lower-case letters.
fn language_code(s: &str) -> Option<String> {
    let s = s.trim().to_lowercase();
    (matches!(s.len(), 2 | 3) && s.chars().all(|c| c.is_ascii_lowercase())).then_some(s)
}

/// The text of `key` in the language `code` (the English text for languages the
/// interface does not have).
fn text_in(code: &str, key: &str) -> String {
    catalog().get(Lang::parse(code).unwrap_or(Lang::En), key, &[])
}

/// A value name from a label: lower-case ASCII letters and digits joined by `_`.
pub fn value_name(label: &str, fallback: &str) -> String {
    let mut s = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('_') && !s.is_empty() {
            s.push('_');
        }
    }
    let s: String = s.trim_end_matches('_').chars().take(40).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        fallback.to_string()
    } else {
        s
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let level = Level::parse(get(&f, "level")).filter(|l| *l != Level::Named);
    let access = Access::parse(get(&f, "access"));
    if level.is_none() || access.is_none() {
        return Err(AppError::BadRequest);
    }
    let mut languages: Vec<String> = Vec::new();
    for l in Lang::ALL {
        if on(&f, &format!("lang_{}", l.code())) {
            languages.push(l.code().to_string());
        }
    }
    for other in get(&f, "other_languages").split([',', ' ']) {
        if other.trim().is_empty() {
            continue;
        }
        match language_code(other) {
            Some(c) if !languages.contains(&c) => languages.push(c),
            Some(_) => {}
            None => errors.push(("other_languages", "poll-error-language")),
        }
    }
    if languages.is_empty() {
        errors.push(("languages", "poll-error-languages"));
    }
    let opens_at = match get(&f, "opens") {
        "" => None,
        s => {
            let d = parse_date(s);
            if d.is_none() {
                errors.push(("opens", "poll-error-date"));
            }
            d
        }
    };
    let closes_at = match get(&f, "closes") {
        "" => None,
        s => {
            let d = parse_date(s);
            if d.is_none() {
                errors.push(("closes", "poll-error-date"));
            }
            d
        }
    };
    let idle = get(&f, "idle_minutes").trim().parse::<i64>().unwrap_or(-1);
    let mut questions = Vec::new();
    if on(&f, "demographic") {
        let regions: Vec<(String, Translations)> = get(&f, "regions")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, line)| {
                let parts: Vec<&str> = line.split('|').map(str::trim).collect();
                let mut t = Translations::new();
                for (lang, label) in languages.iter().zip(parts.iter()) {
                    if !label.is_empty() {
                        t.insert(lang.clone(), label.to_string());
                    }
                }
                (value_name(parts[0], &format!("region_{}", i + 1)), t)
            })
            .collect();
        if regions.is_empty() {
            errors.push(("regions", "poll-error-regions"));
        }
        questions = demographic_block(&regions);
        for q in &mut questions {
            q.label.retain(|k, _| languages.contains(k));
            q.hint.retain(|k, _| languages.contains(k));
        }
    } else {
        let mut label = Translations::new();
        for l in &languages {
            label.insert(l.clone(), text_in(l, "poll-first-question"));
        }
        questions.push(Question {
            name: "q1".into(),
            kind: QuestionKind::Text,
            label,
            hint: Translations::new(),
            required: false,
            relevant: None,
            constraint: None,
            constraint_message: Translations::new(),
            row: 0,
            demographic: None,
        });
    }
    let keyword = get(&f, "keyword").trim();
    let new = NewPoll {
        title: get(&f, "title").to_string(),
        description: get(&f, "description").to_string(),
        level: level.unwrap_or(Level::Organisers),
        definition: PollDefinition {
            title: Some(get(&f, "title").trim().to_string()),
            form_id: None,
            version: None,
            default_language: languages.first().cloned(),
            languages,
            questions,
        },
        access: access.unwrap_or(Access::Invite),
        keyword: (!keyword.is_empty()).then(|| keyword.to_string()),
        opens_at,
        closes_at,
        idle_timeout_secs: idle.saturating_mul(60),
        results_public: on(&f, "results_public"),
    };
    if !errors.is_empty() {
        let v: Vec<_> = errors
            .into_iter()
            .map(|(field, key)| convene_domain::error::Invalid { field, key })
            .collect();
        let errors = FormErrors::from_invalid(&ctx, &v);
        return page_with(
            StatusCode::BAD_REQUEST,
            &list_page(&state, ctx, scope, f, errors).await?,
        );
    }
    match create_closed(&state, &scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/polls/{id}"))),
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

/// Creates a poll that takes no answers until an organiser opens it.
async fn create_closed(
    state: &AppState,
    scope: &Scope,
    new: &NewPoll,
) -> convene_domain::Result<i64> {
    let id = state.db.create_poll(scope, new).await?;
    let poll = state.db.poll(scope, id).await?;
    state
        .db
        .update_poll(scope, &poll, &settings_of(&poll, false))
        .await?;
    Ok(id)
}

fn settings_of(p: &Poll, is_open: bool) -> PollSettings {
    PollSettings {
        is_open,
        results_public: p.results_public,
        opens_at: p.opens_at,
        closes_at: p.closes_at,
        idle_timeout_secs: p.idle_timeout_secs,
        summary: p.summary.clone(),
    }
}

// ---------------------------------------------------------------- the builder

/// One language's fields of the question form.
pub struct LangFields {
    pub code: String,
    pub label: String,
    pub hint: String,
    pub choices: String,
}

/// The question form's values.
pub struct QForm {
    pub original: String,
    pub name: String,
    pub kind: String,
    pub langs: Vec<LangFields>,
    pub min: String,
    pub max: String,
    pub required: bool,
    pub relevant: String,
}

pub struct QRow {
    pub name: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub relevant: String,
    pub demographic: bool,
    pub choices: Vec<String>,
}

#[derive(Template)]
#[template(path = "features/polls/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub poll: Poll,
    pub status: String,
    pub level: String,
    pub rows: Vec<QRow>,
    pub form: QForm,
    pub kinds: Vec<(&'static str, String)>,
    pub errors: FormErrors,
    pub locked: bool,
    pub respondents: i64,
}

pub const KINDS: [&str; 7] = [
    "select_one",
    "select_multiple",
    "scale",
    "integer",
    "decimal",
    "text",
    "note",
];

pub fn kind_name(k: &QuestionKind) -> &'static str {
    match k {
        QuestionKind::SelectOne(_) => "select_one",
        QuestionKind::SelectMultiple(_) => "select_multiple",
        QuestionKind::Scale { .. } => "scale",
        QuestionKind::Integer => "integer",
        QuestionKind::Decimal => "decimal",
        QuestionKind::Text => "text",
        QuestionKind::Note => "note",
    }
}

/// An XLSForm-style text of a skip-logic expression.
fn expr_text(e: &convene_domain::polls::xlsform::Expr) -> String {
    use convene_domain::polls::xlsform::{CmpOp, Expr, Operand};
    let op = |o: &Operand| match o {
        Operand::Field(n) => format!("${{{n}}}"),
        Operand::Current => ".".into(),
        Operand::Text(t) => format!("'{t}'"),
        Operand::Number(n) => n.to_string(),
    };
    match e {
        Expr::Or(a, b) => format!("({} or {})", expr_text(a), expr_text(b)),
        Expr::And(a, b) => format!("({} and {})", expr_text(a), expr_text(b)),
        Expr::Not(a) => format!("not({})", expr_text(a)),
        Expr::Compare(l, c, r) => {
            let c = match c {
                CmpOp::Eq => "=",
                CmpOp::Ne => "!=",
                CmpOp::Lt => "<",
                CmpOp::Le => "<=",
                CmpOp::Gt => ">",
                CmpOp::Ge => ">=",
            };
            format!("{} {c} {}", op(l), op(r))
        }
        Expr::Selected(q, v) => format!("selected(${{{q}}}, '{v}')"),
        Expr::Bool(b) => format!("{b}()"),
    }
}

fn qform_of(poll: &Poll, q: Option<&Question>) -> QForm {
    let langs = poll
        .languages()
        .into_iter()
        .map(|code| {
            let (label, hint, choices) = match q {
                Some(q) => (
                    q.label.get(&code).cloned().unwrap_or_default(),
                    q.hint.get(&code).cloned().unwrap_or_default(),
                    match &q.kind {
                        QuestionKind::SelectOne(l) | QuestionKind::SelectMultiple(l) => l
                            .choices
                            .iter()
                            .map(|c| c.label.get(&code).cloned().unwrap_or_default())
                            .collect::<Vec<_>>()
                            .join("\n"),
                        _ => String::new(),
                    },
                ),
                None => Default::default(),
            };
            LangFields {
                code,
                label,
                hint,
                choices,
            }
        })
        .collect();
    let (min, max) = match q.map(|q| &q.kind) {
        Some(QuestionKind::Scale { min, max }) => (min.to_string(), max.to_string()),
        _ => ("1".into(), "5".into()),
    };
    QForm {
        original: q.map(|q| q.name.clone()).unwrap_or_default(),
        name: q.map(|q| q.name.clone()).unwrap_or_default(),
        kind: q.map_or("select_one", |q| kind_name(&q.kind)).to_string(),
        langs,
        min,
        max,
        required: q.is_some_and(|q| q.required),
        relevant: q
            .and_then(|q| q.relevant.as_ref())
            .map(expr_text)
            .unwrap_or_default(),
    }
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    poll: Poll,
    form: Option<QForm>,
    errors: FormErrors,
) -> AppResult<ShowPage> {
    let (respondents, _) = state.db.poll_respondent_counts(&poll).await?;
    let lang = ctx.lang.code();
    let d = poll.definition.default_language.clone();
    let rows = poll
        .definition
        .questions
        .iter()
        .map(|q| QRow {
            name: q.name.clone(),
            label: engine::pick(&q.label, lang, d.as_deref()).to_string(),
            kind: ctx.t(&format!(
                "poll-kind-{}",
                kind_name(&q.kind).replace('_', "-")
            )),
            required: q.required,
            relevant: q.relevant.as_ref().map(expr_text).unwrap_or_default(),
            demographic: q.demographic.is_some(),
            choices: engine::choices(q, lang, d.as_deref())
                .into_iter()
                .map(|(_, l)| l.to_string())
                .collect(),
        })
        .collect();
    let form = form.unwrap_or_else(|| qform_of(&poll, None));
    Ok(ShowPage {
        status: ctx.t(status_key(&poll)),
        level: level_label(&ctx, poll.level),
        kinds: KINDS
            .iter()
            .map(|k| (*k, ctx.t(&format!("poll-kind-{}", k.replace('_', "-")))))
            .collect(),
        ctx,
        scope,
        poll,
        rows,
        form,
        errors,
        locked: respondents > 0,
        respondents,
    })
}

#[derive(Deserialize)]
pub struct EditQuery {
    pub edit: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<EditQuery>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let form = match q.edit.as_deref() {
        Some(name) => Some(qform_of(
            &poll,
            Some(engine::question(&poll.definition, name).ok_or(AppError::NotFound)?),
        )),
        None => None,
    };
    page(&show_page(&state, ctx, scope, poll, form, FormErrors::default()).await?)
}

/// Reads the question form into a question, or the problems with it.
fn question_of(
    poll: &Poll,
    def: &PollDefinition,
    index: usize,
    existing: Option<&Question>,
    f: &Pairs,
) -> Result<Question, Vec<(&'static str, &'static str)>> {
    let mut errs = Vec::new();
    let langs = poll.languages();
    let mut label = Translations::new();
    let mut hint = Translations::new();
    for l in &langs {
        let t = get(f, &format!("label_{l}")).trim();
        if !t.is_empty() {
            label.insert(l.clone(), t.to_string());
        }
        let h = get(f, &format!("hint_{l}")).trim();
        if !h.is_empty() {
            hint.insert(l.clone(), h.to_string());
        }
    }
    let name = get(f, "name").trim().to_string();
    let list = |errs: &mut Vec<_>| {
        let lines = |l: &str| -> Vec<String> {
            get(f, &format!("choices_{l}"))
                .lines()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let first = langs.first().map(|l| lines(l)).unwrap_or_default();
        // A changed question keeps its choices' stored values, by position.
        let kept: Vec<String> = existing
            .map(|q| {
                engine::choices(q, "", None)
                    .into_iter()
                    .map(|(v, _)| v.to_string())
                    .collect()
            })
            .unwrap_or_default();
        let mut choices: Vec<Choice> = Vec::new();
        for (i, text) in first.iter().enumerate() {
            let mut cname = kept
                .get(i)
                .cloned()
                .unwrap_or_else(|| value_name(text, &format!("c{}", i + 1)));
            if choices.iter().any(|c| c.name == cname) {
                cname = format!("c{}", i + 1);
            }
            choices.push(Choice {
                name: cname,
                label: Translations::new(),
            });
        }
        for l in &langs {
            let ls = lines(l);
            if !ls.is_empty() && ls.len() != first.len() {
                errs.push(("choices", "poll-error-choice-lines"));
            }
            for (c, text) in choices.iter_mut().zip(ls) {
                c.label.insert(l.clone(), text);
            }
        }
        ChoiceList {
            name: name.clone(),
            choices,
        }
    };
    let kind = match get(f, "kind") {
        "select_one" => QuestionKind::SelectOne(list(&mut errs)),
        "select_multiple" => QuestionKind::SelectMultiple(list(&mut errs)),
        "scale" => {
            let min = get(f, "min").trim().parse::<i64>();
            let max = get(f, "max").trim().parse::<i64>();
            match (min, max) {
                (Ok(min), Ok(max)) => QuestionKind::Scale { min, max },
                _ => {
                    errs.push(("min", "poll-error-scale"));
                    QuestionKind::Scale { min: 1, max: 5 }
                }
            }
        }
        "integer" => QuestionKind::Integer,
        "decimal" => QuestionKind::Decimal,
        "text" => QuestionKind::Text,
        "note" => QuestionKind::Note,
        _ => {
            errs.push(("kind", "error-invalid"));
            QuestionKind::Text
        }
    };
    let relevant = match parse_relevant(def, index, get(f, "relevant")) {
        Ok(r) => r,
        Err(key) => {
            errs.push(("relevant", key));
            None
        }
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Question {
        name,
        required: on(f, "required") && !matches!(kind, QuestionKind::Note),
        kind,
        label,
        hint,
        relevant,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    })
}

fn form_from_pairs(poll: &Poll, f: &Pairs) -> QForm {
    QForm {
        original: get(f, "original").to_string(),
        name: get(f, "name").to_string(),
        kind: get(f, "kind").to_string(),
        langs: poll
            .languages()
            .into_iter()
            .map(|code| LangFields {
                label: get(f, &format!("label_{code}")).to_string(),
                hint: get(f, &format!("hint_{code}")).to_string(),
                choices: get(f, &format!("choices_{code}")).to_string(),
                code,
            })
            .collect(),
        min: get(f, "min").to_string(),
        max: get(f, "max").to_string(),
        required: on(f, "required"),
        relevant: get(f, "relevant").to_string(),
    }
}

/// Adds, changes, moves or removes one question (`op` = save, up, down, remove).
pub async fn questions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let mut def = poll.definition.clone();
    let target = get(&f, "target").to_string();
    let pos = def.questions.iter().position(|q| q.name == target);
    match get(&f, "op") {
        "up" | "down" | "remove" => {
            let i = pos.ok_or(AppError::NotFound)?;
            match get(&f, "op") {
                "up" if i > 0 => def.questions.swap(i - 1, i),
                "down" if i + 1 < def.questions.len() => def.questions.swap(i, i + 1),
                "remove" => {
                    def.questions.remove(i);
                }
                _ => {}
            }
        }
        "save" => {
            let original = get(&f, "original");
            let at = if original.is_empty() {
                // New questions go before the demographic block.
                def.questions
                    .iter()
                    .position(|q| q.demographic.is_some())
                    .unwrap_or(def.questions.len())
            } else {
                def.questions
                    .iter()
                    .position(|q| q.name == original)
                    .ok_or(AppError::NotFound)?
            };
            let existing = (!original.is_empty()).then(|| def.questions[at].clone());
            match question_of(&poll, &def, at, existing.as_ref(), &f) {
                Ok(mut q) => {
                    if original.is_empty() {
                        def.questions.insert(at, q);
                    } else {
                        q.demographic = def.questions[at].demographic.clone();
                        q.constraint = def.questions[at].constraint.take();
                        q.constraint_message =
                            std::mem::take(&mut def.questions[at].constraint_message);
                        def.questions[at] = q;
                    }
                }
                Err(errs) => {
                    let v: Vec<_> = errs
                        .into_iter()
                        .map(|(field, key)| convene_domain::error::Invalid { field, key })
                        .collect();
                    let errors = FormErrors::from_invalid(&ctx, &v);
                    let form = form_from_pairs(&poll, &f);
                    return page_with(
                        StatusCode::BAD_REQUEST,
                        &show_page(&state, ctx, scope, poll, Some(form), errors).await?,
                    );
                }
            }
        }
        _ => return Err(AppError::BadRequest),
    }
    match state.db.update_poll_definition(&scope, &poll, &def).await {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/polls/{id}#questions"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let form = (get(&f, "op") == "save").then(|| form_from_pairs(&poll, &f));
            page_with(
                StatusCode::BAD_REQUEST,
                &show_page(&state, ctx, scope, poll, form, errors).await?,
            )
        }
        Err(convene_domain::Error::Conflict(key)) => {
            let errors = FormErrors::one(&ctx, "questions", key);
            page_with(
                StatusCode::CONFLICT,
                &show_page(&state, ctx, scope, poll, None, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- XLSForm upload

#[derive(Template)]
#[template(path = "features/polls/import.html")]
pub struct ImportPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub levels: Vec<(&'static str, String)>,
    pub title: String,
    pub level: String,
    pub access: String,
    pub keyword: String,
    pub problems: Vec<String>,
}

pub async fn import_form(ctx: Ctx, SpaceScope(scope): SpaceScope) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    page(&ImportPage {
        levels: poll_levels(&ctx),
        ctx,
        scope,
        title: String::new(),
        level: "public".into(),
        access: "open".into(),
        keyword: String::new(),
        problems: vec![],
    })
}

pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let mut page_ = ImportPage {
        levels: poll_levels(&ctx),
        ctx: ctx.clone(),
        scope: scope.clone(),
        title: String::new(),
        level: String::new(),
        access: String::new(),
        keyword: String::new(),
        problems: vec![],
    };
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "title" => page_.title = text(),
            "level" => page_.level = text(),
            "access" => page_.access = text(),
            "keyword" => page_.keyword = text(),
            "form" if !bytes.is_empty() => file = Some(bytes.to_vec()),
            _ => {}
        }
    }
    let level = Level::parse(&page_.level).filter(|l| *l != Level::Named);
    let access = Access::parse(&page_.access);
    let (Some(level), Some(access)) = (level, access) else {
        return Err(AppError::BadRequest);
    };
    let Some(bytes) = file else {
        page_.problems.push(ctx.t("poll-import-missing"));
        return page_with(StatusCode::BAD_REQUEST, &page_);
    };
    let def = match crate::upload::parse(move || read_xlsform(&bytes)).await {
        Err(e) => {
            page_.problems.push(ctx.t(e.key()));
            return page_with(StatusCode::BAD_REQUEST, &page_);
        }
        Ok(Ok(d)) => d,
        Ok(Err(XlsFormError::NotAWorkbook(_))) => {
            page_.problems.push(ctx.t("poll-import-not-xlsx"));
            return page_with(StatusCode::BAD_REQUEST, &page_);
        }
        Ok(Err(XlsFormError::Rejected(problems))) => {
            page_.problems = problems.iter().map(ToString::to_string).collect();
            return page_with(StatusCode::BAD_REQUEST, &page_);
        }
    };
    let title = match page_.title.trim() {
        "" => def.title.clone().unwrap_or_default(),
        t => t.to_string(),
    };
    let new = NewPoll {
        title,
        description: String::new(),
        level,
        definition: def,
        access,
        keyword: (!page_.keyword.trim().is_empty()).then(|| page_.keyword.clone()),
        opens_at: None,
        closes_at: None,
        idle_timeout_secs: 3600,
        results_public: false,
    };
    match create_closed(&state, &scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/polls/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            page_.problems = v.iter().map(|i| ctx.t(i.key)).collect();
            page_with(StatusCode::BAD_REQUEST, &page_)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- settings

#[derive(Template)]
#[template(path = "features/polls/settings.html")]
pub struct SettingsPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub poll: Poll,
    pub opens: String,
    pub closes: String,
    pub idle_minutes: String,
    pub errors: FormErrors,
    pub notice: String,
    /// Invitation links made just now (shown once).
    pub links: Vec<String>,
}

fn settings_page(ctx: Ctx, scope: Scope, poll: Poll) -> SettingsPage {
    SettingsPage {
        opens: date_value(poll.opens_at),
        closes: date_value(poll.closes_at),
        idle_minutes: (poll.idle_timeout_secs / 60).to_string(),
        ctx,
        scope,
        poll,
        errors: FormErrors::default(),
        notice: String::new(),
        links: vec![],
    }
}

pub async fn settings_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    page(&settings_page(ctx, scope, poll))
}

pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let mut date = |field: &'static str| match get(&f, field).trim() {
        "" => None,
        s => {
            let d = parse_date(s);
            if d.is_none() {
                errors.push(convene_domain::error::Invalid {
                    field,
                    key: "poll-error-date",
                });
            }
            d
        }
    };
    let s = PollSettings {
        is_open: on(&f, "is_open"),
        results_public: on(&f, "results_public"),
        opens_at: date("opens"),
        closes_at: date("closes"),
        idle_timeout_secs: get(&f, "idle_minutes")
            .trim()
            .parse::<i64>()
            .unwrap_or(-1)
            .saturating_mul(60),
        summary: get(&f, "summary").to_string(),
    };
    let result = if errors.is_empty() {
        state.db.update_poll(&scope, &poll, &s).await
    } else {
        Err(convene_domain::Error::Invalid(errors))
    };
    match result {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/polls/{id}/settings?saved=1"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let mut p = settings_page(ctx.clone(), scope, poll);
            p.errors = FormErrors::from_invalid(&ctx, &v);
            p.opens = get(&f, "opens").to_string();
            p.closes = get(&f, "closes").to_string();
            p.idle_minutes = get(&f, "idle_minutes").to_string();
            p.poll.summary = s.summary;
            p.poll.is_open = s.is_open;
            p.poll.results_public = s.results_public;
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn invites(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let n = get(&f, "count").trim().parse::<usize>().unwrap_or(0);
    let mut p = settings_page(ctx.clone(), scope.clone(), poll.clone());
    match state.db.create_poll_invites(&scope, &poll, n).await {
        Ok(tokens) => {
            let base = state
                .cfg
                .public_url
                .as_deref()
                .unwrap_or("")
                .trim_end_matches('/');
            p.links = tokens
                .into_iter()
                .map(|t| format!("{base}/p/{}?invite={t}", poll.slug))
                .collect();
            page(&p)
        }
        Err(convene_domain::Error::Invalid(v)) => {
            p.errors = FormErrors::from_invalid(&ctx, &v);
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn invite_phones(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let phones: Vec<String> = get(&f, "phones")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut p = settings_page(ctx.clone(), scope.clone(), poll.clone());
    match state.db.invite_poll_phones(&scope, &poll, &phones).await {
        Ok(n) => {
            p.notice = ctx.t1("poll-phones-invited", "count", n);
            page(&p)
        }
        Err(convene_domain::Error::Invalid(v)) => {
            p.errors = FormErrors::from_invalid(&ctx, &v);
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn value_names() {
        assert_eq!(value_name("Water & roads", "c1"), "water_roads");
        assert_eq!(value_name("پانی", "c2"), "c2");
        assert_eq!(value_name("3 meals", "c3"), "c3");
    }

    proptest! {
        #[test]
        fn value_names_are_valid_question_names(s in "\\PC{0,60}") {
            let n = value_name(&s, "c1");
            prop_assert!(!n.is_empty() && n.len() <= 40);
            prop_assert!(n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        }
    }
}
