//! Track II dialogues: the list of series, a series (rounds and parallel formats,
//! the five steps, the risk register, thresholds, linked conversations), its
//! participant pool, and each round's selection board. Everything works with
//! plain forms; every change is a POST that redirects back to where it was made.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::may_organise;
use convene_domain::dialogues::{
    self, NewParticipant, NewRisk, NewRound, NewSeries, Participant, Round, SelectionBoard, Series,
    Thresholds, Warning, WarningKind,
};
use convene_domain::model::Level;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

pub mod agenda;
pub mod notes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/dialogues", get(list).post(create))
        .route("/s/{slug}/dialogues/{id}", get(show))
        .route("/s/{slug}/dialogues/{id}/rounds", post(add_round))
        .route("/s/{slug}/dialogues/{id}/steps/{step}", post(save_step))
        .route("/s/{slug}/dialogues/{id}/risks", post(add_risk))
        .route("/s/{slug}/dialogues/{id}/risks/{rid}", post(review_risk))
        .route("/s/{slug}/dialogues/{id}/thresholds", post(save_thresholds))
        .route(
            "/s/{slug}/dialogues/{id}/conversations",
            post(save_conversations),
        )
        .route(
            "/s/{slug}/dialogues/{id}/participants",
            get(participants).post(add_participant),
        )
        .route(
            "/s/{slug}/dialogues/{id}/participants/{pid}/withdraw",
            post(withdraw),
        )
        .route(
            "/s/{slug}/dialogues/{id}/agenda",
            get(agenda::show).post(agenda::add_item),
        )
        .route(
            "/s/{slug}/dialogues/{id}/agenda/{item}",
            post(agenda::edit_item),
        )
        .route(
            "/s/{slug}/dialogues/{id}/agenda/{item}/place",
            post(agenda::place_item),
        )
        .route(
            "/s/{slug}/dialogues/{id}/agenda/{item}/consultations",
            post(agenda::add_consultation),
        )
        .route(
            "/s/{slug}/dialogues/{id}/rounds/{rid}/notes",
            get(notes::show).post(notes::add),
        )
        .route(
            "/s/{slug}/dialogues/{id}/rounds/{rid}/notes/{nid}/done",
            post(notes::done),
        )
        .route("/s/{slug}/dialogues/{id}/rounds/{rid}", get(board))
        .route("/s/{slug}/dialogues/{id}/rounds/{rid}/invite", post(invite))
}

/// (value, label) pairs of a list of codes, labelled by `prefix-code`.
pub(crate) fn options(ctx: &Ctx, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| (c.to_string(), ctx.t(&format!("{prefix}-{c}"))))
        .collect()
}

fn levels(ctx: &Ctx) -> Vec<(String, String)> {
    [Level::Members, Level::Organisers, Level::Named]
        .iter()
        .map(|l| (l.as_str().to_string(), level_label(ctx, *l)))
        .collect()
}

fn parse_level(s: &str) -> AppResult<Level> {
    Level::parse(s)
        .filter(|l| *l != Level::Public)
        .ok_or(AppError::BadRequest)
}

/// The value of field `name` in a form read as pairs ("" when absent).
pub(crate) fn form_value<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// User text inside a translated sentence or an option label, where no `<bdi>`
/// can go: wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE.
pub(crate) fn isolate(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

fn pct(v: f64) -> String {
    format!("{:.0}", v * 100.0)
}

/// A round's name: "Core dialogue 2", "Youth dialogue 1".
pub fn round_name(ctx: &Ctx, r: &Round) -> String {
    format!(
        "{} {}",
        ctx.t(&format!("dialogue-format-{}", r.format)),
        r.number
    )
}

// ---------------------------------------------------------------- the list

#[derive(Template)]
#[template(path = "features/dialogues/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<(i64, String, i64)>,
    pub organiser: bool,
    pub errors: FormErrors,
    pub title: String,
    pub description: String,
    pub sides: String,
    pub levels: Vec<(String, String)>,
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    errors: FormErrors,
    kept: (String, String, String),
) -> AppResult<ListPage> {
    Ok(ListPage {
        rows: state.db.dialogue_series_list(&scope).await?,
        organiser: may_organise(&scope),
        errors,
        title: kept.0,
        description: kept.1,
        sides: kept.2,
        levels: levels(&ctx),
        ctx,
        scope,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    page(
        &list_page(
            &state,
            ctx,
            scope,
            FormErrors::default(),
            Default::default(),
        )
        .await?,
    )
}

#[derive(Deserialize, Default)]
pub struct SeriesForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sides: String,
    #[serde(default)]
    level: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<SeriesForm>,
) -> AppResult<Response> {
    let new = NewSeries {
        title: f.title.clone(),
        description: f.description.clone(),
        sides: dialogues::parse_sides(&f.sides),
        level: parse_level(&f.level)?,
        named: vec![],
    };
    match state.db.create_dialogue_series(&scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/dialogues/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &list_page(
                    &state,
                    ctx,
                    scope,
                    errors,
                    (f.title, f.description, f.sides),
                )
                .await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- a series

pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub held_on: String,
    pub city: String,
    pub mode: String,
    pub parent: String,
    pub parallel: bool,
}

pub struct StepRow {
    pub step: usize,
    pub label: String,
    pub hint: String,
    pub done: bool,
    pub notes: String,
}

pub struct RiskRow {
    pub id: i64,
    pub risk: String,
    pub likelihood: i64,
    pub impact: i64,
    pub score: i64,
    pub mitigation: String,
    pub owner: String,
    pub reviewed: String,
    pub reviewed_id: String,
}

pub struct ThresholdRow {
    pub name: &'static str,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "features/dialogues/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub s: Series,
    pub level: String,
    pub organiser: bool,
    pub rounds: Vec<RoundRow>,
    pub steps: Vec<StepRow>,
    pub risks: Vec<RiskRow>,
    pub thresholds: Vec<ThresholdRow>,
    pub conversations: Vec<(i64, String, bool)>,
    pub formats: Vec<(String, String)>,
    pub modes: Vec<(String, String)>,
    pub scale: Vec<(String, String)>,
    pub round_choices: Vec<(i64, String)>,
    pub errors: FormErrors,
    /// Which form failed: "round", "risk", "thresholds", "step-N", "risk-N".
    pub failed: String,
    pub participants: usize,
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    errors: FormErrors,
    failed: &str,
) -> AppResult<ShowPage> {
    let s = state.db.dialogue_series(&scope, id).await?;
    let organiser = may_organise(&scope);
    let name_of = |rid: Option<i64>| {
        rid.and_then(|r| s.rounds.iter().find(|x| x.id == r))
            .map(|r| round_name(&ctx, r))
            .unwrap_or_default()
    };
    let rounds = s
        .rounds
        .iter()
        .map(|r| RoundRow {
            id: r.id,
            name: round_name(&ctx, r),
            held_on: r.held_on.clone(),
            city: r.city.clone(),
            mode: ctx.t(&format!("dialogue-mode-{}", r.mode)),
            parent: name_of(r.parent),
            parallel: r.format != "core",
        })
        .collect();
    let steps = s
        .steps
        .iter()
        .map(|st| StepRow {
            step: st.step,
            label: ctx.t(&format!("dialogue-step-{}", st.code)),
            hint: ctx.t(&format!("dialogue-step-{}-hint", st.code)),
            done: st.done,
            notes: st.notes.clone(),
        })
        .collect();
    let risks = s
        .risks
        .iter()
        .map(|r| RiskRow {
            id: r.id,
            risk: r.risk.clone(),
            likelihood: r.likelihood,
            impact: r.impact,
            score: r.score(),
            mitigation: r.mitigation.clone(),
            owner: r.owner.clone(),
            reviewed: name_of(r.reviewed_round),
            reviewed_id: r.reviewed_round.map(|x| x.to_string()).unwrap_or_default(),
        })
        .collect();
    let thresholds = dialogues::threshold_fields(&s.thresholds)
        .iter()
        .map(|(name, v)| ThresholdRow {
            name,
            label: ctx.t(&format!("dialogue-threshold-{}", name.replace('_', "-"))),
            value: pct(*v),
        })
        .collect();
    let conversations = if organiser {
        state
            .db
            .conversations(&scope)
            .await?
            .into_iter()
            .map(|c| (c.id, c.topic, s.conversations.contains(&c.id)))
            .collect()
    } else {
        vec![]
    };
    let participants = if organiser {
        state.db.dialogue_participants(&scope, id).await?.len()
    } else {
        0
    };
    Ok(ShowPage {
        level: level_label(&ctx, s.level),
        organiser,
        round_choices: s
            .rounds
            .iter()
            .map(|r| (r.id, round_name(&ctx, r)))
            .collect(),
        rounds,
        steps,
        risks,
        thresholds,
        conversations,
        formats: options(&ctx, "dialogue-format", &dialogues::FORMATS),
        modes: options(&ctx, "dialogue-mode", &dialogues::MODES),
        scale: options(&ctx, "dialogue-scale", &["1", "2", "3"]),
        errors,
        failed: failed.to_string(),
        participants,
        s,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    page(&show_page(&state, ctx, scope, id, FormErrors::default(), "").await?)
}

/// The series page again with the problems of the form that failed, or the
/// redirect to where the change shows.
async fn after(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    done: convene_domain::Result<()>,
    failed: &str,
    anchor: &str,
) -> AppResult<Response> {
    let slug = scope.space().slug.clone();
    match done {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/dialogues/{id}#{anchor}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &show_page(state, ctx, scope, id, errors, failed).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct RoundForm {
    #[serde(default)]
    format: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    notes: String,
}

pub async fn add_round(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<RoundForm>,
) -> AppResult<Response> {
    let new = NewRound {
        format: f.format,
        held_on: f.held_on,
        city: f.city,
        mode: f.mode,
        parent: f.parent.trim().parse().ok(),
        notes: f.notes,
    };
    let done = state
        .db
        .add_dialogue_round(&scope, id, &new)
        .await
        .map(|_| ());
    after(&state, ctx, scope, id, done, "round", "rounds").await
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    done: String,
    #[serde(default)]
    notes: String,
}

pub async fn save_step(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, step)): Path<(String, i64, usize)>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    let done = state
        .db
        .set_dialogue_step(&scope, id, step, !f.done.is_empty(), &f.notes)
        .await;
    after(
        &state,
        ctx,
        scope,
        id,
        done,
        &format!("step-{step}"),
        &format!("step-{step}"),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct RiskForm {
    #[serde(default)]
    risk: String,
    #[serde(default)]
    likelihood: String,
    #[serde(default)]
    impact: String,
    #[serde(default)]
    mitigation: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    reviewed_round: String,
}

impl RiskForm {
    fn risk(&self) -> NewRisk {
        NewRisk {
            risk: self.risk.clone(),
            likelihood: self.likelihood.trim().parse().unwrap_or(0),
            impact: self.impact.trim().parse().unwrap_or(0),
            mitigation: self.mitigation.clone(),
            owner: self.owner.clone(),
            reviewed_round: self.reviewed_round.trim().parse().ok(),
        }
    }
}

pub async fn add_risk(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<RiskForm>,
) -> AppResult<Response> {
    let done = state
        .db
        .save_dialogue_risk(&scope, id, None, &f.risk())
        .await
        .map(|_| ());
    after(&state, ctx, scope, id, done, "risk", "risks").await
}

pub async fn review_risk(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, rid)): Path<(String, i64, i64)>,
    Form(f): Form<RiskForm>,
) -> AppResult<Response> {
    let done = state
        .db
        .save_dialogue_risk(&scope, id, Some(rid), &f.risk())
        .await
        .map(|_| ());
    after(
        &state,
        ctx,
        scope,
        id,
        done,
        &format!("risk-{rid}"),
        &format!("risk-{rid}"),
    )
    .await
}

pub async fn save_thresholds(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    // Fields the form leaves out keep their stored values.
    let mut t: Thresholds = state.db.dialogue_series(&scope, id).await?.thresholds;
    let mut bad = Vec::new();
    for (name, value) in &f {
        if name == "_csrf" {
            continue;
        }
        // Percentages on the form; shares in the store. Unreadable is out of range.
        let v = value
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .map(|p| p / 100.0)
            .unwrap_or(f64::NAN);
        if !dialogues::set_threshold(&mut t, name, v) {
            bad.push(name.clone());
        }
    }
    if !bad.is_empty() {
        return Err(AppError::BadRequest);
    }
    let done = state.db.set_dialogue_thresholds(&scope, id, &t).await;
    after(&state, ctx, scope, id, done, "thresholds", "thresholds").await
}

pub async fn save_conversations(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ids: Vec<i64> = f
        .iter()
        .filter(|(k, _)| k == "conversation")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let done = state.db.link_dialogue_conversations(&scope, id, &ids).await;
    after(
        &state,
        ctx,
        scope,
        id,
        done,
        "conversations",
        "conversations",
    )
    .await
}

// ---------------------------------------------------------------- participants

pub struct PersonRow {
    pub p: Participant,
    pub sector: String,
    pub gender: String,
    pub age: String,
    pub seniority: String,
    pub level: String,
    pub nominated_by: String,
}

#[derive(Template)]
#[template(path = "features/dialogues/participants.html")]
pub struct ParticipantsPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub s: Series,
    pub rows: Vec<PersonRow>,
    pub organiser: bool,
    pub errors: FormErrors,
    pub failed: i64,
    pub sectors: Vec<(String, String)>,
    pub genders: Vec<(String, String)>,
    pub ages: Vec<(String, String)>,
    pub seniorities: Vec<(String, String)>,
    pub scale: Vec<(String, String)>,
    pub levels: Vec<(String, String)>,
    pub actors: Vec<(i64, String)>,
    pub kept: ParticipantForm,
    pub today: String,
}

async fn participants_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    errors: FormErrors,
    failed: i64,
    kept: ParticipantForm,
) -> AppResult<ParticipantsPage> {
    let s = state.db.dialogue_series(&scope, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::NotFound);
    }
    let people = state.db.dialogue_participants(&scope, id).await?;
    let name = |pid: Option<i64>| {
        pid.and_then(|p| people.iter().find(|x| x.id == p))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let rows = people
        .iter()
        .map(|p| PersonRow {
            sector: ctx.t(&format!("dialogue-sector-{}", p.sector)),
            gender: ctx.t(&format!("dialogue-gender-{}", p.gender)),
            age: ctx.t(&format!("dialogue-age-{}", p.age_band)),
            seniority: ctx.t(&format!("dialogue-seniority-{}", p.seniority)),
            level: level_label(&ctx, p.level),
            nominated_by: name(p.nominated_by),
            p: p.clone(),
        })
        .collect();
    let map = state.db.actor_map(&scope).await?;
    let actors = map.actors.iter().map(|a| (a.id, a.name.clone())).collect();
    Ok(ParticipantsPage {
        organiser: true,
        errors,
        failed,
        sectors: options(&ctx, "dialogue-sector", &dialogues::SECTORS),
        genders: options(&ctx, "dialogue-gender", &dialogues::GENDERS),
        ages: options(&ctx, "dialogue-age", &dialogues::AGE_BANDS),
        seniorities: options(&ctx, "dialogue-seniority", &dialogues::SENIORITY),
        scale: options(&ctx, "dialogue-scale", &["1", "2", "3"]),
        levels: [Level::Organisers, Level::Named]
            .iter()
            .map(|l| (l.as_str().to_string(), level_label(&ctx, *l)))
            .collect(),
        actors,
        kept,
        today: convene_domain::actors::today(),
        rows,
        s,
        ctx,
        scope,
    })
}

pub async fn participants(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    page(
        &participants_page(
            &state,
            ctx,
            scope,
            id,
            FormErrors::default(),
            0,
            ParticipantForm::default(),
        )
        .await?,
    )
}

#[derive(Deserialize, Default, Clone)]
pub struct ParticipantForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub side: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub age_band: String,
    #[serde(default)]
    pub seniority: String,
    #[serde(default)]
    pub influence: String,
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub nominated_by: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub level: String,
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub async fn add_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<ParticipantForm>,
) -> AppResult<Response> {
    let new = NewParticipant {
        name: f.name.clone(),
        email: some(&f.email),
        phone: some(&f.phone),
        side: f.side.clone(),
        sector: f.sector.clone(),
        gender: f.gender.clone(),
        age_band: f.age_band.clone(),
        seniority: f.seniority.clone(),
        influence: f.influence.trim().parse().unwrap_or(0),
        institution: f.institution.clone(),
        nominated_by: f.nominated_by.trim().parse().ok(),
        actor: f.actor.trim().parse().ok(),
        level: parse_level(&f.level)?,
        named: vec![],
    };
    match state.db.add_dialogue_participant(&scope, id, &new).await {
        Ok(pid) => Ok(redirect(&format!(
            "/s/{slug}/dialogues/{id}/participants#p{pid}"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &participants_page(&state, ctx, scope, id, errors, 0, f).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct WithdrawForm {
    #[serde(default)]
    on: String,
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id, pid)): Path<(String, i64, i64)>,
    Form(f): Form<WithdrawForm>,
) -> AppResult<Response> {
    match state
        .db
        .withdraw_dialogue_participant(&scope, id, pid, &f.on)
        .await
    {
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/dialogues/{id}/participants#p{pid}"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &participants_page(
                    &state,
                    ctx,
                    scope,
                    id,
                    errors,
                    pid,
                    ParticipantForm::default(),
                )
                .await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- the board

pub struct WarningRow {
    pub code: &'static str,
    pub family: String,
    pub title: String,
    pub text: String,
}

pub struct MakeupRow {
    pub label: String,
    pub counts: Vec<(String, usize)>,
}

pub struct RosterView {
    pub participant: i64,
    pub who: String,
    pub named: bool,
    pub side: String,
    pub status: String,
    pub status_code: String,
    pub sector: String,
    pub gender: String,
    pub age: String,
    pub flags: Vec<String>,
}

#[derive(Template)]
#[template(path = "features/dialogues/board.html")]
pub struct BoardPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub s: Series,
    pub round: String,
    pub mode: String,
    pub rd: Round,
    pub b: SelectionBoard,
    pub warnings: Vec<WarningRow>,
    pub not_judged: Vec<String>,
    pub makeup: Vec<MakeupRow>,
    pub roster: Vec<RosterView>,
    pub history: Vec<RosterView>,
    pub statuses: Vec<(String, String)>,
    pub choices: Vec<(i64, String)>,
    pub errors: FormErrors,
}

fn warning_title(ctx: &Ctx, k: WarningKind) -> String {
    ctx.t(&format!("dialogue-warning-{}", k.code()))
}

/// "5 of 8 invitees (63 %) … the series' threshold is 40 %."
fn warning_text(ctx: &Ctx, w: &Warning) -> String {
    let key = format!("dialogue-warning-{}-text", w.kind.code());
    let args = [
        ("count", w.count.to_string()),
        ("of", w.of.to_string()),
        ("figure", pct(w.figure)),
        ("threshold", pct(w.threshold)),
        (
            "category",
            w.category
                .as_deref()
                .map(|c| {
                    if w.kind == WarningKind::SectorShare {
                        ctx.t(&format!("dialogue-sector-{c}"))
                    } else {
                        // A side's name as its convener typed it, isolated.
                        isolate(c)
                    }
                })
                .unwrap_or_default(),
        ),
    ];
    crate::i18n::catalog().get(
        ctx.lang,
        &key,
        &args
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect::<Vec<_>>(),
    )
}

fn roster_view(ctx: &Ctx, r: &dialogues::RosterRow) -> RosterView {
    let mut flags = Vec::new();
    if r.attended_previous {
        flags.push(ctx.t("dialogue-flag-previous"));
    }
    if r.nominated_in_network {
        flags.push(ctx.t("dialogue-flag-network"));
    }
    RosterView {
        participant: r.participant,
        who: r.name.clone().unwrap_or_else(|| r.pseudonym.clone()),
        named: r.name.is_some(),
        side: r.side.clone(),
        status: ctx.t(&format!("dialogue-status-{}", r.status)),
        status_code: r.status.clone(),
        sector: r
            .sector
            .as_deref()
            .map(|c| ctx.t(&format!("dialogue-sector-{c}")))
            .unwrap_or_default(),
        gender: r
            .gender
            .as_deref()
            .map(|c| ctx.t(&format!("dialogue-gender-{c}")))
            .unwrap_or_default(),
        age: r
            .age_band
            .as_deref()
            .map(|c| ctx.t(&format!("dialogue-age-{c}")))
            .unwrap_or_default(),
        flags,
    }
}

async fn board_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    rid: i64,
    errors: FormErrors,
) -> AppResult<BoardPage> {
    let s = state.db.dialogue_series(&scope, id).await?;
    if !may_organise(&scope) {
        return Err(AppError::NotFound);
    }
    let b = state.db.selection_board(&scope, id, rid).await?;
    let warnings = b
        .board
        .warnings
        .iter()
        .map(|w| WarningRow {
            code: w.kind.code(),
            family: ctx.t(&format!("dialogue-family-{}", w.kind.family())),
            title: warning_title(&ctx, w.kind),
            text: warning_text(&ctx, w),
        })
        .collect();
    let not_judged = b
        .board
        .not_judged
        .iter()
        .map(|k| ctx.t(&format!("dialogue-not-judged-{}", k.code())))
        .collect();
    let m = &b.board.makeup;
    let label = |prefix: &str, map: &std::collections::BTreeMap<String, usize>| {
        map.iter()
            .map(|(k, v)| {
                let l = if prefix.is_empty() {
                    k.clone()
                } else {
                    ctx.t(&format!("{prefix}-{k}"))
                };
                (l, *v)
            })
            .collect::<Vec<_>>()
    };
    let makeup = [
        ("dialogue-side", "", &m.by_side),
        ("dialogue-sector", "dialogue-sector", &m.by_sector),
        ("dialogue-gender", "dialogue-gender", &m.by_gender),
        ("dialogue-age", "dialogue-age", &m.by_age),
        ("dialogue-seniority", "dialogue-seniority", &m.by_seniority),
    ]
    .into_iter()
    .map(|(heading, prefix, map)| MakeupRow {
        label: ctx.t(heading),
        counts: label(prefix, map),
    })
    .collect();
    let roster: Vec<RosterView> = b.roster.iter().map(|r| roster_view(&ctx, r)).collect();
    let history = b.history.iter().map(|r| roster_view(&ctx, r)).collect();
    let on_round: Vec<i64> = b
        .roster
        .iter()
        .chain(b.history.iter())
        .map(|r| r.participant)
        .collect();
    let choices = state
        .db
        .dialogue_participants(&scope, id)
        .await?
        .into_iter()
        .filter(|p| !on_round.contains(&p.id) && p.withdrawn_on.is_none())
        .map(|p| (p.id, format!("{} ({})", isolate(&p.name), isolate(&p.side))))
        .collect();
    let r = b.round.clone();
    Ok(BoardPage {
        round: round_name(&ctx, &r),
        mode: ctx.t(&format!("dialogue-mode-{}", r.mode)),
        rd: r,
        warnings,
        not_judged,
        makeup,
        roster,
        history,
        statuses: options(&ctx, "dialogue-status", &dialogues::INVITE_STATUSES),
        choices,
        errors,
        b,
        s,
        ctx,
        scope,
    })
}

pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, rid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    page(&board_page(&state, ctx, scope, id, rid, FormErrors::default()).await?)
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    participant: String,
    #[serde(default)]
    status: String,
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id, rid)): Path<(String, i64, i64)>,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    let pid: i64 = f
        .participant
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    match state
        .db
        .set_dialogue_invite(&scope, id, rid, pid, &f.status)
        .await
    {
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/dialogues/{id}/rounds/{rid}#roster"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &board_page(&state, ctx, scope, id, rid, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}
