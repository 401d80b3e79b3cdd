//! A round's conduct under the Chatham House rule: notes (unattributed unless the
//! speaker consented), off-the-record items (named people only), decisions and
//! action points.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::dialogues::notes::{NewNote, Note, NOTE_KINDS};
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

pub struct NoteView {
    pub n: Note,
    pub level: String,
}

#[derive(Template)]
#[template(path = "features/dialogues/notes.html")]
pub struct NotesPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub s: Series,
    pub rid: i64,
    pub round: String,
    /// (kind code, heading, notes of that kind).
    pub groups: Vec<(String, String, Vec<NoteView>)>,
    pub kinds: Vec<(String, String)>,
    pub speakers: Vec<(i64, String)>,
    pub levels: Vec<(String, String)>,
    pub errors: FormErrors,
}

async fn notes_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    rid: i64,
    errors: FormErrors,
) -> AppResult<NotesPage> {
    let s = state.db.dialogue_series(&scope, id).await?;
    let notes = match state.db.dialogue_notes(&scope, id, rid).await {
        Err(convene_domain::Error::Forbidden) => return Err(AppError::NotFound),
        other => other?,
    };
    let r = s
        .rounds
        .iter()
        .find(|r| r.id == rid)
        .ok_or(AppError::NotFound)?;
    let round = round_name(&ctx, r);
    let groups = ["decision", "action", "note", "off_record"]
        .iter()
        .map(|k| {
            (
                k.to_string(),
                ctx.t(&format!("dialogue-notes-{k}")),
                notes
                    .iter()
                    .filter(|n| n.kind == *k)
                    .map(|n| NoteView {
                        level: level_label(&ctx, n.level),
                        n: n.clone(),
                    })
                    .collect(),
            )
        })
        .collect();
    let speakers = state
        .db
        .dialogue_participants(&scope, id)
        .await?
        .into_iter()
        .map(|p| {
            (
                p.id,
                format!("{} ({})", super::isolate(&p.name), super::isolate(&p.side)),
            )
        })
        .collect();
    Ok(NotesPage {
        rid,
        round,
        groups,
        kinds: options(&ctx, "dialogue-note-kind", &NOTE_KINDS),
        speakers,
        levels: [Level::Organisers, Level::Named]
            .iter()
            .map(|l| (l.as_str().to_string(), level_label(&ctx, *l)))
            .collect(),
        errors,
        s,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, rid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    page(&notes_page(&state, ctx, scope, id, rid, FormErrors::default()).await?)
}

pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id, rid)): Path<(String, i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let level = Level::parse(value(&f, "level")).ok_or(AppError::BadRequest)?;
    let due = value(&f, "due_on").trim();
    let n = NewNote {
        kind: value(&f, "kind").to_string(),
        body: value(&f, "body").to_string(),
        speaker: value(&f, "speaker").trim().parse().ok(),
        speaker_consented: !value(&f, "consented").is_empty(),
        owner: value(&f, "owner").to_string(),
        due_on: (!due.is_empty()).then(|| due.to_string()),
        level,
        named: vec![],
    };
    match state.db.add_dialogue_note(&scope, id, rid, &n).await {
        Ok(nid) => Ok(redirect(&format!(
            "/s/{slug}/dialogues/{id}/rounds/{rid}/notes#n{nid}"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &notes_page(&state, ctx, scope, id, rid, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn done(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id, rid, nid)): Path<(String, i64, i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    state
        .db
        .set_dialogue_action_done(&scope, id, rid, nid, value(&f, "done") == "1")
        .await?;
    Ok(redirect(&format!(
        "/s/{slug}/dialogues/{id}/rounds/{rid}/notes#n{nid}"
    )))
}
