//! Contact your representative: the finder (pick your place, no geolocation), a
//! representative's page (stance with evidence, reply rate, the writer), the
//! confirmation by link or code, "did you get a reply?", the reply-rate table
//! (page, CSV, API; small counts suppressed), and the organisers' tools: import
//! (Popolo, CSV), community representatives, stances, settings, the review queue
//! and the letters to print.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use convene_domain::access::policy::{may_moderate, may_organise};
use convene_domain::campaign::representatives::import;
use convene_domain::campaign::representatives::messages::{
    Answered, Confirmation, HeldMessage, NewMessage, ReplyRates, Written, MIN_CHARS,
};
use convene_domain::campaign::representatives::{
    Channel, NewRepresentative, Representative, Stance, StanceKind, WritingSettings,
};
use convene_domain::model::Level;
use convene_domain::places::Place;
use convene_domain::spaces::Scope;
use serde::{Deserialize, Serialize};

use super::pledges::{api_count, ApiCount};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::{row_problem, FormErrors};
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/campaign/representatives", get(finder))
        .route("/s/{slug}/campaign/representatives/manage", get(manage))
        .route(
            "/s/{slug}/campaign/representatives/import",
            post(import_file),
        )
        .route("/s/{slug}/campaign/representatives/add", post(add))
        .route(
            "/s/{slug}/campaign/representatives/settings",
            post(settings),
        )
        .route("/s/{slug}/campaign/representatives/replies", get(replies))
        .route(
            "/s/{slug}/campaign/representatives/replies.csv",
            get(replies_csv),
        )
        .route("/s/{slug}/campaign/representatives/{id}", get(show))
        .route("/s/{slug}/campaign/representatives/{id}/write", post(write))
        .route(
            "/s/{slug}/campaign/representatives/{id}/stance",
            post(stance),
        )
        .route(
            "/s/{slug}/campaign/messages/confirm",
            get(confirm_form).post(confirm),
        )
        .route(
            "/s/{slug}/campaign/messages/{id}/code",
            get(code_form).post(code),
        )
        .route(
            "/s/{slug}/campaign/messages/reply",
            get(reply_form).post(reply),
        )
        .route("/s/{slug}/campaign/messages/{id}/moderate", post(moderate))
        .route("/s/{slug}/campaign/letters", get(letters))
        .route("/s/{slug}/campaign/letters/posted", post(posted))
        .route("/api/v1/s/{slug}/campaign/representatives", get(api))
}

/// A representative as a list shows them.
pub struct RepRow {
    pub rep: Representative,
    pub place: String,
    pub stance: String,
    pub stance_class: &'static str,
}

fn stance_label(ctx: &Ctx, s: Option<StanceKind>) -> (String, &'static str) {
    match s {
        Some(k) => (ctx.t(&format!("rep-stance-{}", k.as_str())), k.as_str()),
        None => (ctx.t("rep-stance-unknown"), "unknown"),
    }
}

fn place_name(ctx: &Ctx, places: &[Place], id: Option<i64>) -> String {
    id.and_then(|id| places.iter().find(|p| p.id == id))
        .map(|p| p.name_in(ctx.lang.code()).to_string())
        .unwrap_or_default()
}

fn rep_rows(ctx: &Ctx, places: &[Place], reps: Vec<Representative>) -> Vec<RepRow> {
    reps.into_iter()
        .map(|rep| {
            let (stance, stance_class) = stance_label(ctx, rep.stance.as_ref().map(|s| s.stance));
            RepRow {
                place: place_name(ctx, places, rep.place_id),
                stance,
                stance_class,
                rep,
            }
        })
        .collect()
}

/// A place to choose, under its region.
pub struct PlaceGroup {
    pub region: String,
    pub places: Vec<(i64, String)>,
}

fn place_groups(ctx: &Ctx, places: &[Place]) -> Vec<PlaceGroup> {
    let lang = ctx.lang.code();
    let mut groups: Vec<PlaceGroup> = places
        .iter()
        .filter(|p| p.level == 1)
        .map(|r| PlaceGroup {
            region: r.name_in(lang).to_string(),
            places: std::iter::once((r.id, r.name_in(lang).to_string()))
                .chain(
                    places
                        .iter()
                        .filter(|d| d.level == 2 && d.parent_id == Some(r.id))
                        .map(|d| (d.id, d.name_in(lang).to_string())),
                )
                .collect(),
        })
        .collect();
    let orphans: Vec<(i64, String)> = places
        .iter()
        .filter(|d| d.level == 2 && !places.iter().any(|r| Some(r.id) == d.parent_id))
        .map(|d| (d.id, d.name_in(lang).to_string()))
        .collect();
    if !orphans.is_empty() {
        groups.push(PlaceGroup {
            region: String::new(),
            places: orphans,
        });
    }
    groups
}

/// A district's count row (messages sent by senders of that district).
pub struct CountRow {
    pub name: String,
    pub count: String,
}

#[derive(Template)]
#[template(path = "features/campaign/reps.html")]
pub struct FinderPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub groups: Vec<PlaceGroup>,
    pub chosen: Option<Place>,
    pub found: Vec<RepRow>,
    pub q: String,
    pub matches: Vec<(i64, String)>,
    pub ask: String,
    pub total: String,
    pub counts: Vec<CountRow>,
    pub threshold: u64,
    pub organiser: bool,
    pub any: bool,
}

#[derive(Deserialize, Default)]
pub struct FinderQuery {
    #[serde(default)]
    pub place: i64,
    #[serde(default)]
    pub q: String,
}

pub async fn finder(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<FinderQuery>,
) -> AppResult<Response> {
    let places = state.db.all_places(&scope).await?;
    let chosen = places.iter().find(|p| p.id == q.place).cloned();
    let found = match &chosen {
        Some(p) => {
            let reps = state.db.representatives_of(&scope, p).await?;
            rep_rows(&ctx, &places, reps)
        }
        None => vec![],
    };
    let matches = if q.q.trim().is_empty() {
        vec![]
    } else {
        state
            .db
            .search_places(&scope, &q.q, 30)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name_in(ctx.lang.code()).to_string()))
            .collect()
    };
    let counts = state.db.message_counts(&scope).await?;
    let settings = state.db.writing_settings(scope.space().id).await?;
    let any = !state.db.representatives(&scope).await?.is_empty();
    page(&FinderPage {
        groups: place_groups(&ctx, &places),
        total: counts.total_text(),
        counts: counts
            .districts
            .iter()
            .map(|(p, n)| CountRow {
                name: p.as_ref().map_or_else(
                    || ctx.t("pledge-no-district"),
                    |p| p.name_in(ctx.lang.code()).to_string(),
                ),
                count: n.text(counts.threshold),
            })
            .collect(),
        threshold: counts.threshold,
        organiser: may_organise(&scope),
        ask: settings.ask,
        chosen,
        found,
        q: q.q,
        matches,
        any,
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct WriteForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub place: i64,
    #[serde(default)]
    pub body: String,
}

#[derive(Template)]
#[template(path = "features/campaign/rep.html")]
pub struct RepPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub row: RepRow,
    pub stances: Vec<(String, &'static str, Stance)>,
    pub points: Vec<String>,
    pub ask: String,
    pub sent: String,
    pub rate: Option<String>,
    pub groups: Vec<PlaceGroup>,
    pub form: WriteForm,
    pub errors: FormErrors,
    pub writing: bool,
    pub sms_possible: bool,
    pub min_chars: usize,
    pub organiser: bool,
    pub level: String,
    pub stance_kinds: Vec<(&'static str, String)>,
    pub stance_errors: FormErrors,
    pub today: String,
    /// The message was written: the sender is to check their e-mail.
    pub check_mail: bool,
}

#[allow(clippy::too_many_arguments)]
async fn rep_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    form: WriteForm,
    errors: FormErrors,
    stance_errors: FormErrors,
    check_mail: bool,
) -> AppResult<RepPage> {
    let rep = state.db.representative(&scope, id).await?;
    let places = state.db.all_places(&scope).await?;
    let stances = state
        .db
        .stances(&scope, id)
        .await?
        .into_iter()
        .map(|s| {
            let (label, class) = stance_label(&ctx, Some(s.stance));
            (label, class, s)
        })
        .collect();
    let settings = state.db.writing_settings(scope.space().id).await?;
    let rates = state.db.reply_rates(&scope).await?;
    let mine = rates.rows.iter().find(|r| r.rep.id == id);
    let sent = mine.map_or_else(|| "0".to_string(), |r| r.sent.text(rates.threshold));
    let rate = mine
        .and_then(|r| r.rate)
        .map(|v| format!("{:.0}%", v * 100.0));
    let level = level_label(&ctx, rep.level);
    let row = rep_rows(&ctx, &places, vec![rep]).remove(0);
    Ok(RepPage {
        stances,
        points: settings
            .point_list()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ask: settings.ask.clone(),
        sent,
        rate,
        groups: place_groups(&ctx, &places),
        writing: state.cfg.mail_enabled
            && state.cfg.public_url.is_some()
            && row.rep.channel.is_some(),
        sms_possible: !state.db.sms_numbers(&scope).await?.is_empty(),
        min_chars: MIN_CHARS,
        organiser: may_organise(&scope),
        level,
        stance_kinds: StanceKind::ALL
            .iter()
            .map(|k| (k.as_str(), ctx.t(&format!("rep-stance-{}", k.as_str()))))
            .collect(),
        stance_errors,
        today: convene_domain::actors::today(),
        check_mail,
        row,
        form,
        errors,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    page(
        &rep_page(
            &state,
            ctx,
            scope,
            id,
            WriteForm::default(),
            FormErrors::default(),
            FormErrors::default(),
            false,
        )
        .await?,
    )
}

fn links_base(state: &AppState, slug: &str) -> Option<String> {
    state
        .cfg
        .public_url
        .as_deref()
        .filter(|_| state.cfg.mail_enabled)
        .map(|b| format!("{}/s/{slug}/campaign/messages", b.trim_end_matches('/')))
}

pub async fn write(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<WriteForm>,
) -> AppResult<Response> {
    let Some(base) = links_base(&state, &slug) else {
        return Err(AppError::NotFound);
    };
    let written = state
        .db
        .write_to_representative(
            &scope,
            &NewMessage {
                rep: id,
                name: f.name.clone(),
                email: f.email.clone(),
                phone: f.phone.clone(),
                place: (f.place > 0).then_some(f.place),
                body: f.body.clone(),
                lang: ctx.lang.code().to_string(),
                link_base: base,
            },
        )
        .await;
    match written {
        Ok(Written::ByLink) => page(
            &rep_page(
                &state,
                ctx,
                scope,
                id,
                WriteForm::default(),
                FormErrors::default(),
                FormErrors::default(),
                true,
            )
            .await?,
        ),
        Ok(Written::ByCode { message }) => Ok(redirect(&format!(
            "/s/{slug}/campaign/messages/{message}/code"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &rep_page(
                    &state,
                    ctx,
                    scope,
                    id,
                    f,
                    errors,
                    FormErrors::default(),
                    false,
                )
                .await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/campaign/message_confirm.html")]
pub struct ConfirmPage {
    pub ctx: Ctx,
    pub scope: Scope,
    /// `link` (a button that posts the token), `code` (a code to type) or `reply`
    /// (yes / no).
    pub mode: &'static str,
    pub token: String,
    pub message: i64,
    pub outcome: Option<String>,
    pub rep: Option<(i64, String)>,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    pub t: String,
}

fn confirm_page(ctx: Ctx, scope: Scope, mode: &'static str) -> ConfirmPage {
    ConfirmPage {
        ctx,
        scope,
        mode,
        token: String::new(),
        message: 0,
        outcome: None,
        rep: None,
        errors: FormErrors::default(),
    }
}

/// `GET …/messages/confirm?t=`: one button, so that a mail scanner following the
/// link sends nothing.
pub async fn confirm_form(
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    let mut p = confirm_page(ctx, scope, "link");
    p.token = q.t;
    page(&p)
}

async fn outcome_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    c: Confirmation,
) -> AppResult<Response> {
    let (status, key, rep) = match c {
        Confirmation::Sent { rep, channel } => (
            StatusCode::OK,
            match channel {
                Channel::Email => "rep-sent-email",
                Channel::Sms => "rep-sent-sms",
                Channel::Letter => "rep-sent-letter",
            },
            Some(rep),
        ),
        Confirmation::Held { rep } => (StatusCode::OK, "rep-held", Some(rep)),
        Confirmation::OverLimit { rep, key } => (StatusCode::TOO_MANY_REQUESTS, key, Some(rep)),
        Confirmation::AlreadyUsed { rep } => (StatusCode::GONE, "rep-confirm-used", Some(rep)),
        Confirmation::Expired => (StatusCode::GONE, "rep-confirm-expired", None),
        Confirmation::WrongCode { .. } => (StatusCode::BAD_REQUEST, "rep-code-wrong", None),
        Confirmation::Unknown => (StatusCode::NOT_FOUND, "rep-confirm-unknown", None),
    };
    let rep = match rep {
        Some(id) => state
            .db
            .representative(&scope, id)
            .await
            .ok()
            .map(|r| (r.id, r.name)),
        None => None,
    };
    let mut p = confirm_page(ctx, scope, "link");
    p.outcome = Some(p.ctx.t(key));
    p.rep = rep;
    page_with(status, &p)
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Form(q): Form<TokenQuery>,
) -> AppResult<Response> {
    let c = state.db.confirm_message_link(&q.t).await?;
    outcome_page(&state, ctx, scope, c).await
}

pub async fn code_form(
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let mut p = confirm_page(ctx, scope, "code");
    p.message = id;
    page(&p)
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
}

pub async fn code(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    match state.db.confirm_message_code(id, &f.code).await? {
        Confirmation::WrongCode { left } => {
            let mut p = confirm_page(ctx, scope, "code");
            p.message = id;
            p.errors = FormErrors::one(&p.ctx, "code", "rep-code-wrong");
            let msg = p.ctx.t1("rep-code-left", "left", left);
            p.outcome = Some(msg);
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        c => outcome_page(&state, ctx, scope, c).await,
    }
}

pub async fn reply_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    let mut p = confirm_page(ctx, scope, "reply");
    if let Some((space, rep)) = state.db.reply_question(&q.t).await? {
        if space == p.scope.space().id {
            p.rep = state
                .db
                .representative(&p.scope, rep)
                .await
                .ok()
                .map(|r| (r.id, r.name));
        }
    }
    if p.rep.is_none() {
        p.outcome = Some(p.ctx.t("rep-reply-unknown"));
        return page_with(StatusCode::NOT_FOUND, &p);
    }
    p.token = q.t;
    page(&p)
}

#[derive(Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    pub t: String,
    #[serde(default)]
    pub replied: String,
}

pub async fn reply(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Form(f): Form<ReplyForm>,
) -> AppResult<Response> {
    let replied = match f.replied.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest),
    };
    let (status, key) = match state.db.answer_reply(&f.t, replied).await? {
        Answered::Counted { .. } => (StatusCode::OK, "rep-reply-thanks"),
        Answered::AlreadyAnswered { .. } => (StatusCode::GONE, "rep-reply-already"),
        Answered::Unknown => (StatusCode::NOT_FOUND, "rep-reply-unknown"),
    };
    let mut p = confirm_page(ctx, scope, "reply");
    p.outcome = Some(p.ctx.t(key));
    page_with(status, &p)
}

/// One row of the reply-rate table as shown.
pub struct ReplyLine {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub place: String,
    pub sent: String,
    pub rate: String,
}

fn reply_lines(ctx: &Ctx, places: &[Place], r: &ReplyRates) -> Vec<ReplyLine> {
    r.rows
        .iter()
        .map(|row| ReplyLine {
            id: row.rep.id,
            name: row.rep.name.clone(),
            role: row.rep.role.clone(),
            place: place_name(ctx, places, row.rep.place_id),
            sent: row.sent.text(r.threshold),
            rate: row.rate.map_or_else(
                || ctx.t("rep-rate-not-enough"),
                |v| format!("{:.0}%", v * 100.0),
            ),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "features/campaign/replies.html")]
pub struct RepliesPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub lines: Vec<ReplyLine>,
    pub total: String,
    pub threshold: u64,
}

pub async fn replies(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let r = state.db.reply_rates(&scope).await?;
    let places = state.db.all_places(&scope).await?;
    page(&RepliesPage {
        lines: reply_lines(&ctx, &places, &r),
        total: r.total.text(r.threshold),
        threshold: r.threshold,
        ctx,
        scope,
    })
}

/// `GET …/replies.csv`: the reply-rate table, suppressed as on the page.
pub async fn replies_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let r = state.db.reply_rates(&scope).await?;
    let places = state.db.all_places(&scope).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |cells: [&str; 5]| {
        w.write_record(cells)
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    row([
        "representative",
        "role",
        "area",
        "messages_sent",
        "reply_rate",
    ])?;
    for l in reply_lines(&ctx, &places, &r) {
        let rate = if l.rate.ends_with('%') {
            l.rate.clone()
        } else {
            String::new()
        };
        row([&l.name, &l.role, &l.place, &l.sent, &rate])?;
    }
    row(["total", "", "", &r.total.text(r.threshold), ""])?;
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"reply-rates.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Serialize)]
pub struct ApiRep {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub area_code: Option<String>,
    pub stance: Option<Stance>,
    pub messages_sent: ApiCount,
    /// Share of answering senders who got a reply; `null` until enough answered.
    pub reply_rate: Option<f64>,
}

#[derive(Serialize)]
pub struct ApiReps {
    pub threshold: u64,
    pub messages_sent: ApiCount,
    pub representatives: Vec<ApiRep>,
}

/// `GET /api/v1/s/{slug}/campaign/representatives`: the representatives, their
/// stances and suppressed counts.
pub async fn api(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Json<ApiReps>> {
    let r = state.db.reply_rates(&scope).await?;
    let places = state.db.all_places(&scope).await?;
    Ok(Json(ApiReps {
        threshold: r.threshold,
        messages_sent: api_count(&r.total),
        representatives: r
            .rows
            .iter()
            .map(|row| ApiRep {
                id: row.rep.id,
                name: row.rep.name.clone(),
                role: row.rep.role.clone(),
                organisation: row.rep.organisation.clone(),
                area_code: row
                    .rep
                    .place_id
                    .and_then(|id| places.iter().find(|p| p.id == id))
                    .map(|p| p.code.clone()),
                stance: row.rep.stance.clone(),
                messages_sent: api_count(&row.sent),
                reply_rate: row.rate,
            })
            .collect(),
    }))
}

#[derive(Deserialize, Default, Clone)]
pub struct StanceForm {
    #[serde(default)]
    pub stance: String,
    #[serde(default)]
    pub stated_on: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub evidence_url: String,
}

pub async fn stance(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<StanceForm>,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let kind = StanceKind::parse(&f.stance).ok_or(AppError::BadRequest)?;
    let s = Stance {
        stance: kind,
        stated_on: f.stated_on,
        evidence: f.evidence,
        evidence_url: f.evidence_url,
    };
    match state.db.record_stance(&scope, id, &s).await {
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/campaign/representatives/{id}#stance"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &rep_page(
                    &state,
                    ctx,
                    scope,
                    id,
                    WriteForm::default(),
                    FormErrors::default(),
                    errors,
                    false,
                )
                .await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct AddForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub level: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct SettingsForm {
    #[serde(default)]
    pub ask: String,
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub retention_days: String,
    #[serde(default)]
    pub rep_daily_limit: String,
    #[serde(default)]
    pub sender_daily_limit: String,
    #[serde(default)]
    pub sms_keyword: String,
}

/// A held message as the review queue shows it.
pub struct QueueItem {
    pub m: HeldMessage,
    pub place: String,
    pub percent: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "features/campaign/reps_manage.html")]
pub struct ManagePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub reps: Vec<RepRow>,
    pub queue: Vec<QueueItem>,
    pub letters: usize,
    pub problems: Vec<String>,
    pub notice: Option<String>,
    pub add: AddForm,
    pub add_errors: FormErrors,
    pub settings: SettingsForm,
    pub settings_errors: FormErrors,
    pub levels: Vec<(&'static str, String)>,
    pub areas: Vec<(String, String)>,
    pub moderator: bool,
}

#[derive(Default)]
struct ManageState {
    problems: Vec<String>,
    notice: Option<String>,
    add: Option<AddForm>,
    add_errors: FormErrors,
    settings: Option<SettingsForm>,
    settings_errors: FormErrors,
}

async fn manage_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    st: ManageState,
) -> AppResult<ManagePage> {
    if !may_organise(&scope) {
        return Err(AppError::NotFound);
    }
    let places = state.db.all_places(&scope).await?;
    let reps = state.db.representatives(&scope).await?;
    let queue = state
        .db
        .held_messages(&scope)
        .await?
        .into_iter()
        .map(|m| QueueItem {
            place: place_name(&ctx, &places, m.place),
            percent: format!("{:.0}%", m.similarity * 100.0),
            when: ctx.date(&m.created_at),
            m,
        })
        .collect();
    let letters = state.db.pending_letters(&scope).await?.len();
    let s = state.db.writing_settings(scope.space().id).await?;
    let settings = st.settings.unwrap_or(SettingsForm {
        ask: s.ask,
        points: s.points,
        retention_days: s.retention_days.to_string(),
        rep_daily_limit: s.rep_daily_limit.to_string(),
        sender_daily_limit: s.sender_daily_limit.to_string(),
        sms_keyword: s.sms_keyword,
    });
    Ok(ManagePage {
        reps: rep_rows(&ctx, &places, reps),
        queue,
        letters,
        problems: st.problems,
        notice: st.notice,
        add: st.add.unwrap_or(AddForm {
            level: "public".into(),
            ..AddForm::default()
        }),
        add_errors: st.add_errors,
        settings,
        settings_errors: st.settings_errors,
        levels: [Level::Public, Level::Members, Level::Organisers]
            .into_iter()
            .map(|l| (l.as_str(), level_label(&ctx, l)))
            .collect(),
        areas: places
            .iter()
            .filter(|p| p.level <= 2)
            .map(|p| (p.code.clone(), p.name_in(ctx.lang.code()).to_string()))
            .collect(),
        moderator: may_moderate(&scope),
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct ManageQuery {
    #[serde(default)]
    pub added: Option<usize>,
    #[serde(default)]
    pub updated: Option<usize>,
    #[serde(default)]
    pub done: String,
}

pub async fn manage(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<ManageQuery>,
) -> AppResult<Response> {
    let notice = match (q.added, q.updated, q.done.as_str()) {
        (Some(a), Some(u), _) => Some(convene_domain::i18n::reply(
            ctx.lang.code(),
            "rep-imported",
            &[("added", a.to_string()), ("updated", u.to_string())],
        )),
        (_, _, "settings") => Some(ctx.t("rep-settings-saved")),
        (_, _, "added") => Some(ctx.t("rep-added")),
        (_, _, "moderated") => Some(ctx.t("rep-moderated")),
        _ => None,
    };
    let st = ManageState {
        notice,
        ..ManageState::default()
    };
    page(&manage_page(&state, ctx, scope, st).await?)
}

pub async fn import_file(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let (file, _) = crate::features::places::read_upload(&mut form).await?;
    let refuse = |ctx: Ctx, problems: Vec<String>| async {
        let st = ManageState {
            problems,
            ..ManageState::default()
        };
        page_with(
            StatusCode::BAD_REQUEST,
            &manage_page(&state, ctx, scope.clone(), st).await?,
        )
    };
    let Some(bytes) = file else {
        let p = vec![ctx.t("rep-file-missing")];
        return refuse(ctx, p).await;
    };
    let today = convene_domain::actors::today();
    let read = crate::upload::parse(move || {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let json = body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{')
            || first == Some(b'{');
        if json {
            import::read_popolo(&bytes, &today)
        } else {
            import::read_csv(&bytes)
        }
    })
    .await;
    let reps = match read {
        Err(e) => {
            let p = vec![ctx.t(e.key())];
            return refuse(ctx, p).await;
        }
        Ok(Err(errs)) => {
            let p = errs.iter().map(|e| row_problem(&ctx, e)).collect();
            return refuse(ctx, p).await;
        }
        Ok(Ok(r)) => r,
    };
    match state.db.import_representatives(&scope, &reps).await? {
        Ok(s) => Ok(redirect(&format!(
            "/s/{}/campaign/representatives/manage?added={}&updated={}",
            scope.space().slug,
            s.added,
            s.updated
        ))),
        Err(errs) => {
            let p = errs.iter().map(|e| row_problem(&ctx, e)).collect();
            refuse(ctx, p).await
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Form(f): Form<AddForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    let new = NewRepresentative {
        name: f.name.clone(),
        role: f.role.clone(),
        organisation: f.organisation.clone(),
        area: f.area.clone(),
        email: f.email.clone(),
        phone: f.phone.clone(),
        address: f.address.clone(),
        level: Some(level),
    };
    match state.db.add_representative(&scope, &new).await {
        Ok(_) => Ok(redirect(&format!(
            "/s/{}/campaign/representatives/manage?done=added",
            scope.space().slug
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let st = ManageState {
                add_errors: FormErrors::from_invalid(&ctx, &v),
                add: Some(f),
                ..ManageState::default()
            };
            page_with(
                StatusCode::BAD_REQUEST,
                &manage_page(&state, ctx, scope, st).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    // Not a number: refused as out of range, with the other fields.
    let num = |s: &str| s.trim().parse::<i64>().unwrap_or(-1);
    let s = WritingSettings {
        ask: f.ask.clone(),
        points: f.points.clone(),
        retention_days: num(&f.retention_days),
        rep_daily_limit: num(&f.rep_daily_limit),
        sender_daily_limit: num(&f.sender_daily_limit),
        sms_keyword: f.sms_keyword.clone(),
    };
    match state.db.set_writing_settings(&scope, &s).await {
        Ok(()) => Ok(redirect(&format!(
            "/s/{}/campaign/representatives/manage?done=settings",
            scope.space().slug
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let st = ManageState {
                settings_errors: FormErrors::from_invalid(&ctx, &v),
                settings: Some(f),
                ..ManageState::default()
            };
            page_with(
                StatusCode::BAD_REQUEST,
                &manage_page(&state, ctx, scope, st).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ModerateForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<ModerateForm>,
) -> AppResult<Response> {
    let release = match f.decision.as_str() {
        "release" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest),
    };
    match state
        .db
        .moderate_message(&scope, id, release, &f.reason)
        .await
    {
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/campaign/representatives/manage?done=moderated#queue"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let st = ManageState {
                problems: v.iter().map(|i| ctx.t(i.key)).collect(),
                ..ManageState::default()
            };
            page_with(
                StatusCode::BAD_REQUEST,
                &manage_page(&state, ctx, scope, st).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// A letter to print.
pub struct Letter {
    pub m: HeldMessage,
    pub place: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "features/campaign/letters.html")]
pub struct LettersPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub letters: Vec<Letter>,
}

pub async fn letters(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::NotFound);
    }
    let places = state.db.all_places(&scope).await?;
    let letters = state
        .db
        .pending_letters(&scope)
        .await?
        .into_iter()
        .map(|m| Letter {
            place: place_name(&ctx, &places, m.place),
            date: ctx.date(&m.created_at),
            m,
        })
        .collect();
    page(&LettersPage {
        ctx,
        scope,
        letters,
    })
}

pub async fn posted(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    body: String,
) -> AppResult<Response> {
    // Several `id` fields: read by hand (a form may repeat a name).
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&body).map_err(|_| AppError::BadRequest)?;
    let ids: Vec<i64> = pairs
        .into_iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    state.db.letters_posted(&scope, &ids).await?;
    Ok(redirect(&format!("/s/{slug}/campaign/letters")))
}
