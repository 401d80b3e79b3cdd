//! The conduct of a round under the Chatham House rule: notes, off-the-record
//! items, decisions and action points. Each is a record (kind `dialogue_note`) with
//! its text sealed. No speaker is stored unless the speaker consented to be named;
//! an off-the-record item is kept for named people only, always.

use serde::Serialize;

use crate::access::envelope::NewRow;
use crate::access::policy::{self, may_organise};
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::model::Level;
use crate::storage::{bind_all, int, opt_int, opt_text, text, Bind, Db};

pub const NOTE_KINDS: [&str; 4] = ["note", "off_record", "decision", "action"];
const CTX_BODY: &str = "dialogue_notes.body";

#[derive(Debug, Clone)]
pub struct NewNote {
    pub kind: String,
    pub body: String,
    /// The participant who said it, named only with their consent.
    pub speaker: Option<i64>,
    pub speaker_consented: bool,
    /// For an action point: who does it, and by when.
    pub owner: String,
    pub due_on: Option<String>,
    pub level: Level,
    pub named: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: i64,
    pub kind: String,
    pub body: String,
    /// The speaker's name, where stored and the viewer may see their contact.
    pub speaker: Option<String>,
    /// Whether a speaker is stored at all (consented), seen or not.
    pub attributed: bool,
    pub owner: String,
    pub due_on: Option<String>,
    pub done: bool,
    pub level: Level,
}

pub(crate) fn validate_note(n: &NewNote) -> Vec<Invalid> {
    let mut p = Vec::new();
    if !NOTE_KINDS.contains(&n.kind.as_str()) {
        p.push(Invalid {
            field: "kind",
            key: "error-invalid",
        });
    }
    let len = n.body.trim().chars().count();
    if len == 0 || len > 10_000 {
        p.push(Invalid {
            field: "body",
            key: "error-required",
        });
    }
    if n.speaker.is_some() && !n.speaker_consented {
        p.push(Invalid {
            field: "speaker",
            key: "dialogue-error-attribution",
        });
    }
    if n.kind == "off_record" && n.level != Level::Named {
        p.push(Invalid {
            field: "level",
            key: "dialogue-error-off-record",
        });
    }
    if n.level == Level::Public {
        p.push(Invalid {
            field: "level",
            key: "error-invalid",
        });
    }
    if n.kind == "action" && n.owner.trim().is_empty() {
        p.push(Invalid {
            field: "owner",
            key: "error-required",
        });
    }
    if n.owner.chars().count() > 200 {
        p.push(Invalid {
            field: "owner",
            key: "error-too-long",
        });
    }
    if let Some(d) = &n.due_on {
        if !crate::records::valid_date(d.trim()) {
            p.push(Invalid {
                field: "due_on",
                key: "error-date",
            });
        }
    }
    p
}

impl Db {
    /// Records a note, off-the-record item, decision or action point of a round
    /// (organisers).
    pub async fn add_dialogue_note(
        &self,
        scope: &Scope,
        series: i64,
        round: i64,
        n: &NewNote,
    ) -> Result<i64> {
        let s = self.dialogue_series(scope, series).await?;
        policy::require(scope, may_organise)?;
        if !s.rounds.iter().any(|r| r.id == round) {
            return Err(Error::NotFound);
        }
        let mut p = validate_note(n);
        if let Some(sp) = n.speaker {
            let seen = self.dialogue_participants(scope, series).await?;
            if !seen.iter().any(|x| x.id == sp) {
                p.push(Invalid {
                    field: "speaker",
                    key: "error-invalid",
                });
            }
        }
        if !p.is_empty() {
            return Err(Error::Invalid(p));
        }
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::DIALOGUE_NOTE,
                    // The text is sealed below; the row says only what it is.
                    title: &n.kind,
                    body: "",
                    search: "",
                },
                &Envelope {
                    level: n.level,
                    named: n.named.clone(),
                },
            )
            .await?;
        sqlx::query(
            "INSERT INTO dialogue_notes (record_id, round_id, note_kind, body_enc, speaker, owner, due_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(round)
        .bind(&n.kind)
        .bind(self.keys.seal(CTX_BODY, n.body.trim())?)
        .bind(n.speaker.filter(|_| n.speaker_consented))
        .bind(n.owner.trim())
        .bind(n.due_on.as_deref().map(str::trim))
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("dialogue_note:{id}"),
                detail: format!(
                    "round={round} kind={} level={} attributed={}",
                    n.kind,
                    n.level.as_str(),
                    n.speaker.is_some()
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks an action point done or not.
    pub async fn set_dialogue_action_done(
        &self,
        scope: &Scope,
        series: i64,
        round: i64,
        note: i64,
        done: bool,
    ) -> Result<()> {
        let notes = self.dialogue_notes(scope, series, round).await?;
        if !notes.iter().any(|n| n.id == note && n.kind == "action") {
            return Err(Error::NotFound);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE dialogue_notes SET done = $1 WHERE record_id = $2")
            .bind(i64::from(done))
            .bind(note)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::DialogueChange,
                target: format!("dialogue_note:{note}"),
                detail: format!("done={done}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The notes of a round the viewer may read (organisers only).
    pub async fn dialogue_notes(
        &self,
        scope: &Scope,
        series: i64,
        round: i64,
    ) -> Result<Vec<Note>> {
        let s = self.dialogue_series(scope, series).await?;
        policy::require(scope, may_organise)?;
        if !s.rounds.iter().any(|r| r.id == round) {
            return Err(Error::NotFound);
        }
        let mut binds = vec![Bind::I(round)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT n.record_id, n.note_kind, n.body_enc, n.speaker, n.owner, n.due_on, n.done, r.confidentiality
             FROM dialogue_notes n JOIN records r ON r.id = n.record_id
             WHERE n.round_id = $1 AND {rule} ORDER BY n.record_id"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let people = self.dialogue_participants(scope, series).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let body: Vec<u8> = sqlx::Row::try_get(r, "body_enc")?;
            let stored = opt_int(r, "speaker")?;
            let speaker = stored
                .and_then(|sp| people.iter().find(|p| p.id == sp))
                .map(|p| p.name.clone());
            out.push(Note {
                id: int(r, "record_id")?,
                kind: text(r, "note_kind")?,
                body: self.keys.open(CTX_BODY, &body)?,
                speaker,
                attributed: stored.is_some(),
                owner: text(r, "owner")?,
                due_on: opt_text(r, "due_on")?,
                done: int(r, "done")? != 0,
                level: Level::from_i64(int(r, "confidentiality")?).unwrap_or(Level::Named),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(kind: &str, level: Level) -> NewNote {
        NewNote {
            kind: kind.into(),
            body: "Both sides would accept a joint gauge station.".into(),
            speaker: None,
            speaker_consented: false,
            owner: String::new(),
            due_on: None,
            level,
            named: vec![],
        }
    }

    #[test]
    fn attribution_needs_consent_and_off_the_record_stays_named() {
        assert!(validate_note(&note("note", Level::Organisers)).is_empty());
        let mut n = note("note", Level::Organisers);
        n.speaker = Some(3);
        assert_eq!(validate_note(&n)[0].key, "dialogue-error-attribution");
        n.speaker_consented = true;
        assert!(validate_note(&n).is_empty());
        assert_eq!(
            validate_note(&note("off_record", Level::Organisers))[0].key,
            "dialogue-error-off-record"
        );
        assert!(validate_note(&note("off_record", Level::Named)).is_empty());
        assert_eq!(
            validate_note(&note("action", Level::Named))[0].field,
            "owner"
        );
    }
}
