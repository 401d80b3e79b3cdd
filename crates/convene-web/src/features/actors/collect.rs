//! Collection in waves: create a wave, add actors, record observations of actors
//! and of ties. Plain forms for a phone without JavaScript; a correction is a new
//! observation that supersedes the earlier one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::actors::{
    default_sign, ActorMap, NewActor, NewObservation, NewTie, NewWave, Provenance,
};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::{
    actor_options, confidence_options, deny, envelope, kind_options, level_options, may_record,
    name_of, signed, tie_label, tie_options, track_options, unsigned, Options,
};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

// ---------------------------------------------------------------- actors

#[derive(Deserialize, Default, Clone)]
pub struct ActorForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    /// Comma-separated track numbers (also accepts several `track` fields).
    #[serde(default)]
    pub tracks: String,
    #[serde(default)]
    pub side: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub named: String,
}

#[derive(Template)]
#[template(path = "features/actors/new.html")]
pub struct NewActorPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub form: ActorForm,
    pub kinds: Options,
    pub tracks: Options,
    pub levels: Options,
    pub errors: FormErrors,
}

fn new_actor_page(ctx: Ctx, scope: Scope, form: ActorForm, errors: FormErrors) -> NewActorPage {
    NewActorPage {
        kinds: kind_options(&ctx),
        tracks: track_options(&ctx),
        levels: level_options(&ctx),
        form,
        errors,
        ctx,
        scope,
    }
}

pub async fn new_actor_form(ctx: Ctx, SpaceScope(scope): SpaceScope) -> AppResult<Response> {
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    let form = ActorForm {
        level: "members".into(),
        kind: "individual".into(),
        ..ActorForm::default()
    };
    page(&new_actor_page(ctx, scope, form, FormErrors::default()))
}

/// Parses "1, 4 7" into track numbers; `None` when something is not a number.
pub fn parse_tracks(s: &str) -> Option<Vec<u8>> {
    s.split([',', ' ', ';', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<u8>().ok())
        .collect()
}

pub fn parse_list(s: &str) -> Vec<String> {
    s.split([',', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn to_new_actor(f: &ActorForm) -> Result<NewActor, &'static str> {
    Ok(NewActor {
        name: f.name.clone(),
        kind: f.kind.trim().to_string(),
        tracks: parse_tracks(&f.tracks).ok_or("tracks")?,
        side: f.side.clone(),
        location: f.location.clone(),
        tags: parse_list(&f.tags),
    })
}

fn domain_errors(ctx: &Ctx, e: convene_domain::Error) -> Result<FormErrors, AppError> {
    match e {
        convene_domain::Error::Invalid(v) => Ok(FormErrors::from_invalid(ctx, &v)),
        convene_domain::Error::Conflict(_) => {
            Ok(FormErrors::one(ctx, "name", "actors-error-duplicate"))
        }
        other => Err(other.into()),
    }
}

pub async fn create_actor(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<ActorForm>,
) -> AppResult<Response> {
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    let env = match envelope(&state, &f.level, &f.named).await {
        Ok(e) => e,
        Err(field) => {
            let errors = FormErrors::one(&ctx, field, "error-invalid");
            return page_with(
                StatusCode::BAD_REQUEST,
                &new_actor_page(ctx, scope, f, errors),
            );
        }
    };
    let new = match to_new_actor(&f) {
        Ok(n) => n,
        Err(field) => {
            let errors = FormErrors::one(&ctx, field, "error-track");
            return page_with(
                StatusCode::BAD_REQUEST,
                &new_actor_page(ctx, scope, f, errors),
            );
        }
    };
    match state.db.create_actor(&scope, new, env).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/actors/{id}"))),
        Err(e) => {
            let errors = domain_errors(&ctx, e)?;
            page_with(
                StatusCode::BAD_REQUEST,
                &new_actor_page(ctx, scope, f, errors),
            )
        }
    }
}

// ---------------------------------------------------------------- waves

#[derive(Deserialize, Default, Clone)]
pub struct WaveForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub named: String,
}

pub struct WaveRow {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub level: String,
    pub observations: usize,
    pub ties: usize,
}

#[derive(Template)]
#[template(path = "features/actors/waves.html")]
pub struct WavesPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<WaveRow>,
    pub may_record: bool,
    pub form: WaveForm,
    pub levels: Options,
    pub errors: FormErrors,
}

fn waves_page(
    ctx: Ctx,
    scope: Scope,
    map: &ActorMap,
    form: WaveForm,
    errors: FormErrors,
) -> WavesPage {
    let rows = map
        .waves
        .iter()
        .rev()
        .map(|w| WaveRow {
            id: w.id,
            title: w.title.clone(),
            held_on: w.held_on.clone(),
            place: w.place.clone(),
            level: level_label(&ctx, w.level),
            observations: map
                .observations
                .iter()
                .filter(|o| o.prov.wave_id == Some(w.id))
                .count(),
            ties: map
                .ties
                .iter()
                .filter(|t| t.prov.wave_id == Some(w.id))
                .count(),
        })
        .collect();
    WavesPage {
        rows,
        may_record: may_record(&scope),
        levels: level_options(&ctx),
        form,
        errors,
        ctx,
        scope,
    }
}

pub async fn waves(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    let form = WaveForm {
        held_on: convene_domain::actors::today(),
        level: "members".into(),
        ..WaveForm::default()
    };
    page(&waves_page(ctx, scope, &map, form, FormErrors::default()))
}

pub async fn create_wave(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<WaveForm>,
) -> AppResult<Response> {
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    let result = match envelope(&state, &f.level, &f.named).await {
        Ok(env) => state
            .db
            .create_wave(
                &scope,
                NewWave {
                    title: f.title.clone(),
                    held_on: f.held_on.clone(),
                    place: f.place.clone(),
                },
                env,
            )
            .await
            .map_err(|e| domain_errors(&ctx, e)),
        Err(field) => Err(Ok(FormErrors::one(&ctx, field, "error-invalid"))),
    };
    match result {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/actors/waves/{id}"))),
        Err(errors) => {
            let errors = errors?;
            let map = state.db.actor_map(&scope).await?;
            page_with(
                StatusCode::BAD_REQUEST,
                &waves_page(ctx, scope, &map, f, errors),
            )
        }
    }
}

// ---------------------------------------------------------------- observations

#[derive(Deserialize, Default, Clone)]
pub struct ObsForm {
    /// An existing actor, or empty with `new_name` to add one.
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub new_kind: String,
    #[serde(default)]
    pub new_side: String,
    #[serde(default)]
    pub wave: String,
    #[serde(default)]
    pub observed_on: String,
    #[serde(default)]
    pub attitude: String,
    #[serde(default)]
    pub influence: String,
    #[serde(default)]
    pub interests: String,
    #[serde(default)]
    pub values: String,
    /// One "issue: stance" per line.
    #[serde(default)]
    pub positions: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub named: String,
    #[serde(default)]
    pub supersedes: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct TieForm {
    #[serde(default)]
    pub source_actor: String,
    #[serde(default)]
    pub target_actor: String,
    #[serde(default)]
    pub kind: String,
    /// "+", "-" or empty for the kind's usual sign.
    #[serde(default)]
    pub sign: String,
    #[serde(default)]
    pub strength: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub observed_on: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub named: String,
}

/// Parses "issue: stance" lines. `None` when a line is not of that shape.
pub fn parse_positions(s: &str) -> Option<Vec<(String, String)>> {
    s.lines()
        .flat_map(|l| l.split(';'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (i, st) = l.split_once([':', '='])?;
            Some((i.trim().to_string(), st.trim().to_lowercase()))
        })
        .collect()
}

fn parse_opt<T: std::str::FromStr>(s: &str) -> Result<Option<T>, ()> {
    match s.trim().trim_start_matches('+') {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| ()),
    }
}

fn prov(f_wave: &str, date: &str, source: &str, confidence: &str) -> Provenance {
    Provenance {
        wave_id: f_wave.trim().parse().ok(),
        observed_on: date.trim().to_string(),
        source: source.trim().to_string(),
        confidence: confidence.trim().to_string(),
        supersedes: None,
    }
}

/// Builds the observation; errors name the field.
fn to_observation(
    f: &ObsForm,
    actor_id: i64,
) -> Result<NewObservation, (&'static str, &'static str)> {
    let attitude =
        parse_opt::<i8>(&f.attitude).map_err(|_| ("attitude", "actors-error-attitude"))?;
    let influence =
        parse_opt::<u8>(&f.influence).map_err(|_| ("influence", "actors-error-influence"))?;
    let positions = parse_positions(&f.positions).ok_or(("positions", "actors-error-position"))?;
    let mut p = prov(&f.wave, &f.observed_on, &f.source, &f.confidence);
    p.supersedes = f.supersedes.trim().parse().ok();
    Ok(NewObservation {
        actor_id,
        attitude,
        influence,
        interests: f.interests.clone(),
        values: parse_list(&f.values),
        positions,
        prov: p,
    })
}

fn to_tie(f: &TieForm, wave: Option<i64>) -> Result<NewTie, (&'static str, &'static str)> {
    let source_actor = f
        .source_actor
        .trim()
        .parse()
        .map_err(|_| ("source_actor", "error-required"))?;
    let target_actor = f
        .target_actor
        .trim()
        .parse()
        .map_err(|_| ("target_actor", "error-required"))?;
    let sign = match f.sign.trim() {
        "" => default_sign(f.kind.trim()),
        "+" | "+1" | "1" | "positive" => 1,
        "-" | "-1" | "negative" => -1,
        _ => return Err(("sign", "error-invalid")),
    };
    let strength = match f.strength.trim() {
        "" => 2,
        s => s
            .parse()
            .map_err(|_| ("strength", "actors-error-strength"))?,
    };
    let mut p = prov("", &f.observed_on, &f.source, &f.confidence);
    p.wave_id = wave;
    Ok(NewTie {
        source_actor,
        target_actor,
        kind: f.kind.trim().to_string(),
        sign,
        strength,
        directed: f.direction.trim() == "directed",
        active: f.status.trim() != "ended",
        prov: p,
    })
}

pub struct RecordedRow {
    pub actor_id: i64,
    pub what: String,
    pub detail: String,
    pub level: String,
}

#[derive(Template)]
#[template(path = "features/actors/wave.html")]
pub struct WavePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub wave_id: i64,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub may_record: bool,
    pub actors: Options,
    pub kinds: Options,
    pub ties: Options,
    pub confidences: Options,
    pub levels: Options,
    pub obs: ObsForm,
    pub tie: TieForm,
    pub obs_errors: FormErrors,
    pub tie_errors: FormErrors,
    pub errors: FormErrors,
    pub recorded: Vec<RecordedRow>,
    pub saved: bool,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn default_obs(held_on: &str, wave_id: i64) -> ObsForm {
    ObsForm {
        wave: wave_id.to_string(),
        observed_on: held_on.to_string(),
        confidence: "medium".into(),
        level: "members".into(),
        new_kind: "individual".into(),
        ..ObsForm::default()
    }
}

fn default_tie(held_on: &str) -> TieForm {
    TieForm {
        observed_on: held_on.to_string(),
        confidence: "medium".into(),
        level: "members".into(),
        strength: "2".into(),
        direction: "mutual".into(),
        status: "active".into(),
        ..TieForm::default()
    }
}

#[allow(clippy::too_many_arguments)]
fn wave_page(
    ctx: Ctx,
    scope: Scope,
    map: &ActorMap,
    wave_id: i64,
    obs: Option<ObsForm>,
    tie: Option<TieForm>,
    obs_errors: FormErrors,
    tie_errors: FormErrors,
    saved: bool,
) -> AppResult<WavePage> {
    let w = map
        .waves
        .iter()
        .find(|w| w.id == wave_id)
        .ok_or(AppError::NotFound)?;
    let mut recorded: Vec<RecordedRow> = map
        .observations
        .iter()
        .filter(|o| o.prov.wave_id == Some(wave_id))
        .map(|o| RecordedRow {
            actor_id: o.actor_id,
            what: name_of(map, o.actor_id),
            detail: format!(
                "{} {} · {} {}",
                ctx.t("actors-attitude"),
                signed(o.attitude),
                ctx.t("actors-influence"),
                unsigned(o.influence)
            ),
            level: level_label(&ctx, o.level),
        })
        .collect();
    recorded.extend(
        map.ties
            .iter()
            .filter(|t| t.prov.wave_id == Some(wave_id))
            .map(|t| RecordedRow {
                actor_id: t.source_actor,
                what: format!(
                    "{} — {}",
                    name_of(map, t.source_actor),
                    name_of(map, t.target_actor)
                ),
                detail: format!(
                    "{} ({}){}",
                    tie_label(&ctx, &t.kind),
                    if t.sign < 0 { "−" } else { "+" },
                    if t.active {
                        String::new()
                    } else {
                        format!(" · {}", ctx.t("actors-tie-ended"))
                    }
                ),
                level: level_label(&ctx, t.level),
            }),
    );
    let mut errors = FormErrors::default();
    if !obs_errors.is_empty() {
        errors = obs_errors.clone();
    } else if !tie_errors.is_empty() {
        errors = tie_errors.clone();
    }
    Ok(WavePage {
        wave_id,
        title: w.title.clone(),
        held_on: w.held_on.clone(),
        place: w.place.clone(),
        may_record: may_record(&scope),
        actors: actor_options(map),
        kinds: kind_options(&ctx),
        ties: tie_options(&ctx),
        confidences: confidence_options(&ctx),
        levels: level_options(&ctx),
        obs: obs.unwrap_or_else(|| default_obs(&w.held_on, wave_id)),
        tie: tie.unwrap_or_else(|| default_tie(&w.held_on)),
        obs_errors,
        tie_errors,
        errors,
        recorded,
        saved,
        ctx,
        scope,
    })
}

pub async fn wave(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    let saved = q.saved.is_some();
    page(&wave_page(
        ctx,
        scope,
        &map,
        id,
        None,
        None,
        FormErrors::default(),
        FormErrors::default(),
        saved,
    )?)
}

/// Stores an observation from a form, adding the actor first when the form names a
/// new one. Returns the actor's id, or the form errors.
async fn store_observation(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    f: &ObsForm,
) -> AppResult<Result<i64, FormErrors>> {
    let env = match envelope(state, &f.level, &f.named).await {
        Ok(e) => e,
        Err(field) => return Ok(Err(FormErrors::one(ctx, field, "error-invalid"))),
    };
    let existing: Option<i64> = f.actor.trim().parse().ok();
    // Check the observation before adding a new actor, so a bad form adds nothing.
    let probe = match to_observation(f, existing.unwrap_or(0)) {
        Ok(o) => o,
        Err((field, key)) => return Ok(Err(FormErrors::one(ctx, field, key))),
    };
    if let Err(v) =
        convene_domain::actors::validate_observation(&probe, &convene_domain::actors::today())
    {
        return Ok(Err(FormErrors::from_invalid(ctx, &v)));
    }
    let actor_id = match existing {
        Some(id) => id,
        None if !f.new_name.trim().is_empty() => {
            let new = NewActor {
                name: f.new_name.clone(),
                kind: f.new_kind.trim().to_string(),
                side: f.new_side.clone(),
                ..NewActor::default()
            };
            match state.db.create_actor(scope, new, env.clone()).await {
                Ok(id) => id,
                Err(e) => return Ok(Err(domain_errors(ctx, e)?)),
            }
        }
        None => return Ok(Err(FormErrors::one(ctx, "actor", "error-required"))),
    };
    let mut o = probe;
    o.actor_id = actor_id;
    match state.db.add_observation(scope, o, env).await {
        Ok(_) => Ok(Ok(actor_id)),
        Err(e) => Ok(Err(domain_errors(ctx, e)?)),
    }
}

pub async fn wave_observe(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(mut f): Form<ObsForm>,
) -> AppResult<Response> {
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    f.wave = id.to_string();
    match store_observation(&state, &ctx, &scope, &f).await? {
        Ok(_) => Ok(redirect(&format!(
            "/s/{slug}/actors/waves/{id}?saved=1#observe"
        ))),
        Err(errors) => {
            let map = state.db.actor_map(&scope).await?;
            let p = wave_page(
                ctx,
                scope,
                &map,
                id,
                Some(f),
                None,
                errors,
                FormErrors::default(),
                false,
            )?;
            page_with(StatusCode::BAD_REQUEST, &p)
        }
    }
}

pub async fn wave_tie(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<TieForm>,
) -> AppResult<Response> {
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    let result = match (
        envelope(&state, &f.level, &f.named).await,
        to_tie(&f, Some(id)),
    ) {
        (Err(field), _) => Err(FormErrors::one(&ctx, field, "error-invalid")),
        (_, Err((field, key))) => Err(FormErrors::one(&ctx, field, key)),
        (Ok(env), Ok(t)) => match state.db.add_tie(&scope, t, env).await {
            Ok(_) => Ok(()),
            Err(e) => Err(domain_errors(&ctx, e)?),
        },
    };
    match result {
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/actors/waves/{id}?saved=1#tie"
        ))),
        Err(errors) => {
            let map = state.db.actor_map(&scope).await?;
            let p = wave_page(
                ctx,
                scope,
                &map,
                id,
                None,
                Some(f),
                FormErrors::default(),
                errors,
                false,
            )?;
            page_with(StatusCode::BAD_REQUEST, &p)
        }
    }
}

// ---------------------------------------------------------------- one actor

#[derive(Template)]
#[template(path = "features/actors/observe.html")]
pub struct ObservePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub actor_id: i64,
    pub actor_name: String,
    pub waves: Options,
    pub confidences: Options,
    pub levels: Options,
    pub form: ObsForm,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct ObserveQuery {
    supersedes: Option<i64>,
}

fn observe_page(
    ctx: Ctx,
    scope: Scope,
    map: &ActorMap,
    actor_id: i64,
    form: ObsForm,
    errors: FormErrors,
) -> AppResult<ObservePage> {
    let a = map.actor(actor_id).ok_or(AppError::NotFound)?;
    Ok(ObservePage {
        actor_id,
        actor_name: a.name.clone(),
        waves: map
            .waves
            .iter()
            .rev()
            .map(|w| (w.id.to_string(), format!("{} · {}", w.held_on, w.title)))
            .collect(),
        confidences: confidence_options(&ctx),
        levels: level_options(&ctx),
        form,
        errors,
        ctx,
        scope,
    })
}

pub async fn observe_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ObserveQuery>,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    map.actor(id).ok_or(AppError::NotFound)?;
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    let mut form = ObsForm {
        actor: id.to_string(),
        observed_on: convene_domain::actors::today(),
        confidence: "medium".into(),
        level: "members".into(),
        ..ObsForm::default()
    };
    // A correction starts from the observation it supersedes.
    if let Some(s) = q.supersedes {
        let o = map
            .observations
            .iter()
            .find(|o| o.id == s && o.actor_id == id)
            .ok_or(AppError::NotFound)?;
        form = ObsForm {
            actor: id.to_string(),
            wave: o.prov.wave_id.map(|w| w.to_string()).unwrap_or_default(),
            observed_on: o.prov.observed_on.clone(),
            attitude: o.attitude.map(|v| v.to_string()).unwrap_or_default(),
            influence: o.influence.map(|v| v.to_string()).unwrap_or_default(),
            interests: o.interests.clone(),
            values: o.values.join(", "),
            positions: o
                .positions
                .iter()
                .map(|(i, s)| format!("{i}: {s}"))
                .collect::<Vec<_>>()
                .join("\n"),
            source: o.prov.source.clone(),
            confidence: o.prov.confidence.clone(),
            level: o.level.as_str().to_string(),
            supersedes: s.to_string(),
            ..ObsForm::default()
        };
    }
    page(&observe_page(
        ctx,
        scope,
        &map,
        id,
        form,
        FormErrors::default(),
    )?)
}

pub async fn observe(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(mut f): Form<ObsForm>,
) -> AppResult<Response> {
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    f.actor = id.to_string();
    f.new_name.clear();
    match store_observation(&state, &ctx, &scope, &f).await? {
        Ok(_) => Ok(redirect(&format!("/s/{slug}/actors/{id}"))),
        Err(errors) => {
            let map = state.db.actor_map(&scope).await?;
            let p = observe_page(ctx, scope, &map, id, f, errors)?;
            page_with(StatusCode::BAD_REQUEST, &p)
        }
    }
}

// ---------------------------------------------------------------- levels

#[derive(Deserialize, Default)]
pub struct LevelForm {
    #[serde(default)]
    level: String,
    #[serde(default)]
    named: String,
    /// The actor page to return to.
    #[serde(default)]
    back: String,
}

/// Changes the confidentiality level of an actor, observation, tie or wave.
pub async fn set_level(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<LevelForm>,
) -> AppResult<Response> {
    let env = envelope(&state, &f.level, &f.named)
        .await
        .map_err(|_| AppError::BadRequest)?;
    state.db.set_actor_map_level(&scope, id, env).await?;
    let back: i64 = f.back.trim().parse().unwrap_or(id);
    Ok(redirect(&format!("/s/{slug}/actors/{back}#history")))
}
