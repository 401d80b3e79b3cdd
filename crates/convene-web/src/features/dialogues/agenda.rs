//! A series' agenda: items with their sensitivity, source, escalation and framing
//! notes per side; where each sits in the rounds; consultations (named people only
//! by default); and the ledger of topics parked in parallel formats.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::access::policy::may_organise;
use convene_domain::dialogues::agenda::{self, Agenda, NewConsultation, NewItem};
use convene_domain::dialogues::Series;
use convene_domain::model::Level;
use convene_domain::spaces::Scope;

use super::{form_value as value, options, round_name};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

pub struct ItemView {
    pub id: i64,
    pub title: String,
    pub sensitivity_code: String,
    pub sensitivity: String,
    pub source: String,
    pub source_code: String,
    pub funder: bool,
    pub source_note: String,
    pub escalation: String,
    pub framing: Vec<(String, String)>,
    pub rounds: Vec<(String, String)>,
    pub linked: Option<(String, String)>,
    pub consultations: Vec<(String, String, String, String)>,
    pub hidden: i64,
    /// The item's fields for its edit form.
    pub linked_id: String,
    pub framing_of: Vec<(String, String)>,
}

pub struct LedgerView {
    pub title: String,
    pub parked_in: String,
    pub returned_in: String,
}

#[derive(Template)]
#[template(path = "features/dialogues/agenda.html")]
pub struct AgendaPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub s: Series,
    pub items: Vec<ItemView>,
    pub ledger: Vec<LedgerView>,
    pub from_funders: usize,
    pub organiser: bool,
    pub errors: FormErrors,
    pub failed: String,
    pub sensitivities: Vec<(String, String)>,
    pub sources: Vec<(String, String)>,
    pub places: Vec<(String, String)>,
    pub rounds: Vec<(i64, String)>,
    pub linkable: Vec<(i64, String)>,
    pub levels: Vec<(String, String)>,
}

async fn agenda_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    errors: FormErrors,
    failed: &str,
) -> AppResult<AgendaPage> {
    let s = state.db.dialogue_series(&scope, id).await?;
    let a: Agenda = state.db.dialogue_agenda(&scope, id).await?;
    let organiser = may_organise(&scope);
    let slug = scope.space().slug.clone();
    let mut linkable: Vec<(i64, String, String)> = Vec::new();
    for c in state.db.conversations(&scope).await? {
        linkable.push((c.id, c.topic, format!("/s/{slug}/opinion/{}", c.id)));
    }
    if organiser {
        for p in state.db.polls(&scope).await? {
            linkable.push((p.id, p.title, format!("/s/{slug}/polls/{}", p.id)));
        }
    }
    let name = |rid: i64| {
        s.rounds
            .iter()
            .find(|r| r.id == rid)
            .map(|r| round_name(&ctx, r))
            .unwrap_or_default()
    };
    let items = a
        .items
        .iter()
        .map(|i| ItemView {
            id: i.id,
            title: i.title.clone(),
            sensitivity_code: i.sensitivity.clone(),
            sensitivity: ctx.t(&format!("dialogue-sensitivity-{}", i.sensitivity)),
            source: ctx.t(&format!("dialogue-source-{}", i.source)),
            source_code: i.source.clone(),
            funder: i.source == "funder",
            source_note: i.source_note.clone(),
            escalation: i.escalation.clone(),
            framing: i.framing.clone(),
            rounds: i
                .rounds
                .iter()
                .map(|(r, p)| (name(*r), ctx.t(&format!("dialogue-place-{p}"))))
                .collect(),
            linked: i.linked.and_then(|l| {
                linkable
                    .iter()
                    .find(|x| x.0 == l)
                    .map(|x| (x.1.clone(), x.2.clone()))
            }),
            consultations: i
                .consultations
                .iter()
                .map(|c| {
                    (
                        c.held_on.clone(),
                        c.who.clone(),
                        c.summary.clone(),
                        level_label(&ctx, c.level),
                    )
                })
                .collect(),
            hidden: i.hidden_consultations,
            linked_id: i.linked.map(|l| l.to_string()).unwrap_or_default(),
            framing_of: s
                .sides
                .iter()
                .map(|side| {
                    (
                        side.clone(),
                        i.framing
                            .iter()
                            .find(|(x, _)| x == side)
                            .map(|(_, n)| n.clone())
                            .unwrap_or_default(),
                    )
                })
                .collect(),
        })
        .collect();
    let ledger = a
        .ledger
        .iter()
        .map(|l| LedgerView {
            title: l.title.clone(),
            parked_in: name(l.parked_in),
            returned_in: l.returned_in.map(name).unwrap_or_default(),
        })
        .collect();
    Ok(AgendaPage {
        items,
        ledger,
        from_funders: a.from_funders,
        organiser,
        errors,
        failed: failed.to_string(),
        sensitivities: options(&ctx, "dialogue-sensitivity", &agenda::SENSITIVITIES),
        sources: options(&ctx, "dialogue-source", &agenda::SOURCES),
        places: options(&ctx, "dialogue-place", &["agenda", "parked", "none"]),
        rounds: s
            .rounds
            .iter()
            .map(|r| (r.id, round_name(&ctx, r)))
            .collect(),
        linkable: linkable.into_iter().map(|(i, t, _)| (i, t)).collect(),
        levels: [Level::Named, Level::Organisers, Level::Members]
            .iter()
            .map(|l| (l.as_str().to_string(), level_label(&ctx, *l)))
            .collect(),
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
    page(&agenda_page(&state, ctx, scope, id, FormErrors::default(), "").await?)
}

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
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/dialogues/{id}/agenda#{anchor}"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &agenda_page(state, ctx, scope, id, errors, failed).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn item_of(f: &[(String, String)]) -> NewItem {
    NewItem {
        title: value(f, "title").to_string(),
        sensitivity: value(f, "sensitivity").to_string(),
        source: value(f, "source").to_string(),
        source_note: value(f, "source_note").to_string(),
        escalation: value(f, "escalation").to_string(),
        linked: value(f, "linked").trim().parse().ok(),
        // Fields `framing:<side>`, one per side of the series.
        framing: f
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("framing:")
                    .map(|s| (s.to_string(), v.clone()))
            })
            .collect(),
    }
}

pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let done = state
        .db
        .save_dialogue_item(&scope, id, None, &item_of(&f))
        .await;
    let anchor = done
        .as_ref()
        .map(|i| format!("item-{i}"))
        .unwrap_or_default();
    after(&state, ctx, scope, id, done.map(|_| ()), "item", &anchor).await
}

pub async fn edit_item(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, item)): Path<(String, i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let done = state
        .db
        .save_dialogue_item(&scope, id, Some(item), &item_of(&f))
        .await
        .map(|_| ());
    let anchor = format!("item-{item}");
    after(&state, ctx, scope, id, done, &anchor, &anchor).await
}

pub async fn place_item(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, item)): Path<(String, i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let round: i64 = value(&f, "round")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let done = state
        .db
        .place_dialogue_item(&scope, id, item, round, value(&f, "place"))
        .await;
    let anchor = format!("item-{item}");
    after(&state, ctx, scope, id, done, &anchor, &anchor).await
}

pub async fn add_consultation(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, item)): Path<(String, i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let level = Level::parse(value(&f, "level"))
        .filter(|l| *l != Level::Public)
        .ok_or(AppError::BadRequest)?;
    let done = state
        .db
        .add_dialogue_consultation(
            &scope,
            id,
            item,
            &NewConsultation {
                held_on: value(&f, "held_on").to_string(),
                who: value(&f, "who").to_string(),
                summary: value(&f, "summary").to_string(),
                level,
                named: vec![],
            },
        )
        .await
        .map(|_| ());
    let anchor = format!("item-{item}");
    after(&state, ctx, scope, id, done, &anchor, &anchor).await
}
