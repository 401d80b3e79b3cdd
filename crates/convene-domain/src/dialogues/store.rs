//! The store of Track II series: every write checks the access policy and is
//! audited in its transaction; every read passes through the visibility rule.

use sqlx::any::AnyRow;

use super::*;
use crate::access::envelope::NewRow;
use crate::access::policy::{self, may_organise};
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::{Detail, Kind, NewRecord};
use crate::storage::{bind_all, int, opt_blob, opt_int, opt_text, text, Bind, Db};
use crate::util::now;

pub(super) const CTX_INSTITUTION: &str = "dialogue_participants.institution";
pub(super) const HASH_INSTITUTION: &str = "dialogue.institution";

fn invalid(p: Vec<crate::error::Invalid>) -> Result<()> {
    if p.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(p))
    }
}

fn thresholds_of(json: &str) -> Thresholds {
    serde_json::from_str::<StoredThresholds>(json)
        .map(Thresholds::from)
        .unwrap_or_default()
}

fn round_of(r: &AnyRow) -> Result<Round> {
    Ok(Round {
        id: int(r, "id")?,
        format: text(r, "format")?,
        held_on: text(r, "held_on")?,
        city: text(r, "city")?,
        mode: text(r, "mode")?,
        parent: opt_int(r, "parent_round")?,
        notes: text(r, "notes")?,
        number: 0,
    })
}

impl Db {
    async fn audit_dialogue(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        target: String,
        detail: String,
    ) -> Result<()> {
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::DialogueChange,
                target,
                detail,
            },
        )
        .await?;
        Ok(())
    }

    /// Creates a series (organisers), with the default thresholds and the five
    /// steps unchecked.
    pub async fn create_dialogue_series(&self, scope: &Scope, new: &NewSeries) -> Result<i64> {
        policy::require(scope, may_organise)?;
        invalid(validate_series(new))?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::DIALOGUE_SERIES,
                    title: new.title.trim(),
                    body: new.description.trim(),
                    search: &format!("{}\n{}", new.title.trim(), new.description).to_lowercase(),
                },
                &Envelope {
                    level: new.level,
                    named: new.named.clone(),
                },
            )
            .await?;
        let t = serde_json::to_string(&StoredThresholds::from(&Thresholds::default()))
            .map_err(|e| Error::Internal(e.to_string()))?;
        sqlx::query(
            "INSERT INTO dialogue_series (record_id, space_id, sides, thresholds) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(scope.space.id)
        .bind(new.sides.join("\n"))
        .bind(t)
        .execute(&mut *tx)
        .await?;
        for step in 1..=STEPS.len() as i64 {
            sqlx::query(
                "INSERT INTO dialogue_steps (series_id, step, updated_at) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(step)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("dialogue_series:{id}"),
                detail: format!("level={} sides={}", new.level.as_str(), new.sides.len()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The series the viewer sees: (id, title, rounds).
    pub async fn dialogue_series_list(&self, scope: &Scope) -> Result<Vec<(i64, String, i64)>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, (SELECT COUNT(*) FROM dialogue_rounds d WHERE d.series_id = r.id) AS n
             FROM records r JOIN dialogue_series s ON s.record_id = r.id
             WHERE s.space_id = $1 AND r.kind = 'dialogue_series' AND {rule} ORDER BY r.created_at DESC, r.id DESC"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((int(r, "id")?, text(r, "title")?, int(r, "n")?)))
            .collect()
    }

    /// A series: `NotFound` unless the viewer sees it.
    pub async fn dialogue_series(&self, scope: &Scope, id: i64) -> Result<Series> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, r.body, r.confidentiality, s.sides, s.thresholds, s.conversations
             FROM records r JOIN dialogue_series s ON s.record_id = r.id
             WHERE s.space_id = $1 AND r.id = $2 AND r.kind = 'dialogue_series' AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let rounds = sqlx::query(
            "SELECT id, format, held_on, city, mode, parent_round, notes FROM dialogue_rounds
             WHERE series_id = $1 ORDER BY held_on, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut rounds: Vec<Round> = rounds.iter().map(round_of).collect::<Result<_>>()?;
        for f in FORMATS {
            let mut n = 0;
            for r in rounds.iter_mut().filter(|r| r.format == f) {
                n += 1;
                r.number = n;
            }
        }
        let steps = sqlx::query(
            "SELECT step, done, notes FROM dialogue_steps WHERE series_id = $1 ORDER BY step",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let step = int(r, "step")? as usize;
            Ok(Step {
                step,
                code: STEPS
                    .get(step.wrapping_sub(1))
                    .copied()
                    .unwrap_or("assessment"),
                done: int(r, "done")? != 0,
                notes: text(r, "notes")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let risks = sqlx::query(
            "SELECT id, risk, likelihood, impact, mitigation, owner, reviewed_round FROM dialogue_risks
             WHERE series_id = $1 ORDER BY likelihood * impact DESC, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Risk {
                id: int(r, "id")?,
                risk: text(r, "risk")?,
                likelihood: int(r, "likelihood")?,
                impact: int(r, "impact")?,
                mitigation: text(r, "mitigation")?,
                owner: text(r, "owner")?,
                reviewed_round: opt_int(r, "reviewed_round")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Series {
            id,
            title: text(&row, "title")?,
            description: text(&row, "body")?,
            level: Level::from_i64(int(&row, "confidentiality")?).unwrap_or(Level::Organisers),
            sides: parse_sides(&text(&row, "sides")?),
            thresholds: thresholds_of(&text(&row, "thresholds")?),
            conversations: text(&row, "conversations")?
                .split(',')
                .filter_map(|s| s.trim().parse().ok())
                .collect(),
            rounds,
            steps,
            risks,
        })
    }

    /// The series, for a change: `NotFound` unless seen, `Forbidden` unless the
    /// viewer organises.
    async fn series_for_change(&self, scope: &Scope, id: i64) -> Result<Series> {
        let s = self.dialogue_series(scope, id).await?;
        policy::require(scope, may_organise)?;
        Ok(s)
    }

    /// Adds a round or parallel event (a parallel event may name the round it
    /// accompanies).
    pub async fn add_dialogue_round(
        &self,
        scope: &Scope,
        series: i64,
        new: &NewRound,
    ) -> Result<i64> {
        let s = self.series_for_change(scope, series).await?;
        let mut p = validate_round(new);
        if let Some(parent) = new.parent {
            if !s.rounds.iter().any(|r| r.id == parent) {
                p.push(crate::error::Invalid {
                    field: "parent",
                    key: "error-invalid",
                });
            }
        }
        invalid(p)?;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO dialogue_rounds (series_id, format, held_on, city, mode, parent_round, notes, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(series)
        .bind(&new.format)
        .bind(new.held_on.trim())
        .bind(new.city.trim())
        .bind(&new.mode)
        .bind(new.parent)
        .bind(new.notes.trim())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            format!(
                "round {id} format={} held_on={}",
                new.format,
                new.held_on.trim()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Checks or unchecks one of the five steps, with its notes.
    pub async fn set_dialogue_step(
        &self,
        scope: &Scope,
        series: i64,
        step: usize,
        done: bool,
        notes: &str,
    ) -> Result<()> {
        self.series_for_change(scope, series).await?;
        if !(1..=STEPS.len()).contains(&step) {
            return Err(Error::invalid("step", "error-invalid"));
        }
        if notes.chars().count() > 5000 {
            return Err(Error::invalid("notes", "error-too-long"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE dialogue_steps SET done = $1, notes = $2, updated_at = $3 WHERE series_id = $4 AND step = $5",
        )
        .bind(i64::from(done))
        .bind(notes.trim())
        .bind(now())
        .bind(series)
        .bind(step as i64)
        .execute(&mut *tx)
        .await?;
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            format!("step {step} done={done}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a risk to the register, or (with `id`) reviews one: its likelihood,
    /// impact, mitigation and owner as of a round.
    pub async fn save_dialogue_risk(
        &self,
        scope: &Scope,
        series: i64,
        id: Option<i64>,
        risk: &NewRisk,
    ) -> Result<i64> {
        let s = self.series_for_change(scope, series).await?;
        let mut p = validate_risk(risk);
        if let Some(r) = risk.reviewed_round {
            if !s.rounds.iter().any(|x| x.id == r) {
                p.push(crate::error::Invalid {
                    field: "reviewed_round",
                    key: "error-invalid",
                });
            }
        }
        invalid(p)?;
        let mut tx = self.pool.begin().await?;
        let rid = match id {
            None => {
                let row = sqlx::query(
                    "INSERT INTO dialogue_risks (series_id, risk, likelihood, impact, mitigation, owner, reviewed_round, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                )
                .bind(series)
                .bind(risk.risk.trim())
                .bind(risk.likelihood)
                .bind(risk.impact)
                .bind(risk.mitigation.trim())
                .bind(risk.owner.trim())
                .bind(risk.reviewed_round)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
                int(&row, "id")?
            }
            Some(rid) => {
                let n = sqlx::query(
                    "UPDATE dialogue_risks SET risk = $1, likelihood = $2, impact = $3, mitigation = $4, owner = $5,
                     reviewed_round = $6, updated_at = $7 WHERE id = $8 AND series_id = $9",
                )
                .bind(risk.risk.trim())
                .bind(risk.likelihood)
                .bind(risk.impact)
                .bind(risk.mitigation.trim())
                .bind(risk.owner.trim())
                .bind(risk.reviewed_round)
                .bind(now())
                .bind(rid)
                .bind(series)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Err(Error::NotFound);
                }
                rid
            }
        };
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            format!(
                "risk {rid} likelihood={} impact={} reviewed_round={}",
                risk.likelihood,
                risk.impact,
                risk.reviewed_round
                    .map(|r| r.to_string())
                    .unwrap_or_default()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(rid)
    }

    /// Sets the series' thresholds and targets (shares between 0 and 1).
    pub async fn set_dialogue_thresholds(
        &self,
        scope: &Scope,
        series: i64,
        t: &Thresholds,
    ) -> Result<()> {
        self.series_for_change(scope, series).await?;
        invalid(validate_thresholds(t))?;
        let json = serde_json::to_string(&StoredThresholds::from(t))
            .map_err(|e| Error::Internal(e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE dialogue_series SET thresholds = $1 WHERE record_id = $2")
            .bind(&json)
            .bind(series)
            .execute(&mut *tx)
            .await?;
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            "thresholds saved".to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Links the opinion conversations whose votes the echo-chamber warning reads
    /// (each one the viewer sees).
    pub async fn link_dialogue_conversations(
        &self,
        scope: &Scope,
        series: i64,
        ids: &[i64],
    ) -> Result<()> {
        self.series_for_change(scope, series).await?;
        let seen: Vec<i64> = self
            .conversations(scope)
            .await?
            .iter()
            .map(|c| c.id)
            .collect();
        if ids.iter().any(|i| !seen.contains(i)) {
            return Err(Error::invalid("conversations", "error-invalid"));
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE dialogue_series SET conversations = $1 WHERE record_id = $2")
            .bind(&list)
            .bind(series)
            .execute(&mut *tx)
            .await?;
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            format!("conversations={list}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a participant to the series' pool: a contact (created at the level
    /// asked, its name, e-mail and phone sealed) and the attributes the board reads.
    pub async fn add_dialogue_participant(
        &self,
        scope: &Scope,
        series: i64,
        new: &NewParticipant,
    ) -> Result<i64> {
        let s = self.series_for_change(scope, series).await?;
        let mut p = validate_participant(new, &s.sides);
        // Participants are for organisers: their contact is never kept below the
        // organisers' level, nor below the series' own level.
        if new.level < Level::Organisers.max(s.level) {
            p.push(crate::error::Invalid {
                field: "level",
                key: "dialogue-error-participant-level",
            });
        }
        let pool_ids: Vec<i64> = self
            .dialogue_participants(scope, series)
            .await?
            .iter()
            .map(|x| x.id)
            .collect();
        if new.nominated_by.is_some_and(|n| !pool_ids.contains(&n)) {
            p.push(crate::error::Invalid {
                field: "nominated_by",
                key: "error-invalid",
            });
        }
        if let Some(a) = new.actor {
            if self.actor_map(scope).await?.actor(a).is_none() {
                p.push(crate::error::Invalid {
                    field: "actor",
                    key: "error-invalid",
                });
            }
        }
        invalid(p)?;
        let mut tx = self.pool.begin().await?;
        let contact = self
            .create_record_in(
                &mut tx,
                scope,
                &NewRecord {
                    kind: Kind::Contact,
                    level: new.level,
                    // The title is not sealed: it says neither who the person is
                    // nor which series (whose title may itself be confidential).
                    title: "Dialogue participant".to_string(),
                    body: String::new(),
                    detail: Detail::Contact {
                        name: new.name.clone(),
                        email: new.email.clone(),
                        phone: new.phone.clone(),
                    },
                    named: new.named.clone(),
                },
            )
            .await?;
        let inst = new.institution.trim();
        let (inst_enc, inst_hash) = if inst.is_empty() {
            (None, None)
        } else {
            (
                Some(self.keys.seal(CTX_INSTITUTION, inst)?),
                Some(
                    self.keys
                        .lookup_hash(HASH_INSTITUTION, &inst.to_lowercase())?,
                ),
            )
        };
        let row = sqlx::query(
            "INSERT INTO dialogue_participants (series_id, contact_id, side, sector, gender, age_band, seniority,
                 influence, institution_enc, institution_hash, nominated_by, actor_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(series)
        .bind(contact)
        .bind(&new.side)
        .bind(&new.sector)
        .bind(&new.gender)
        .bind(&new.age_band)
        .bind(&new.seniority)
        .bind(new.influence)
        .bind(inst_enc)
        .bind(inst_hash)
        .bind(new.nominated_by)
        .bind(new.actor)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            format!(
                "participant {id} contact={contact} level={}",
                new.level.as_str()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The participants of a series whose contact the viewer sees (the others
    /// are counted by the board, never listed).
    pub async fn dialogue_participants(
        &self,
        scope: &Scope,
        series: i64,
    ) -> Result<Vec<Participant>> {
        self.dialogue_series(scope, series).await?;
        let mut binds = vec![Bind::I(series)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT p.id, p.contact_id, p.side, p.sector, p.gender, p.age_band, p.seniority, p.influence,
                    p.institution_enc, p.nominated_by, p.actor_id, p.withdrawn_on, r.confidentiality, c.name_enc,
                    (SELECT COUNT(*) FROM dialogue_invites i WHERE i.participant_id = p.id AND i.status = 'attended') AS attended
             FROM dialogue_participants p JOIN records r ON r.id = p.contact_id
             JOIN contact_details c ON c.record_id = p.contact_id
             WHERE p.series_id = $1 AND {rule} ORDER BY p.side, p.id"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let name = match opt_blob(r, "name_enc")? {
                Some(b) => self.keys.open("contact.name", &b)?,
                None => String::new(),
            };
            let institution = match opt_blob(r, "institution_enc")? {
                Some(b) => self.keys.open(CTX_INSTITUTION, &b)?,
                None => String::new(),
            };
            out.push(Participant {
                id: int(r, "id")?,
                contact_id: int(r, "contact_id")?,
                name,
                side: text(r, "side")?,
                sector: text(r, "sector")?,
                gender: text(r, "gender")?,
                age_band: text(r, "age_band")?,
                seniority: text(r, "seniority")?,
                influence: int(r, "influence")?,
                institution,
                nominated_by: opt_int(r, "nominated_by")?,
                actor: opt_int(r, "actor_id")?,
                withdrawn_on: opt_text(r, "withdrawn_on")?,
                level: Level::from_i64(int(r, "confidentiality")?).unwrap_or(Level::Named),
                attended: int(r, "attended")?,
            });
        }
        Ok(out)
    }

    /// Records that a participant withdrew on a date: they are left out of the
    /// figures of every round from that date on, and stay in earlier ones as history.
    pub async fn withdraw_dialogue_participant(
        &self,
        scope: &Scope,
        series: i64,
        participant: i64,
        on: &str,
    ) -> Result<()> {
        self.series_for_change(scope, series).await?;
        if !self
            .dialogue_participants(scope, series)
            .await?
            .iter()
            .any(|p| p.id == participant)
        {
            return Err(Error::NotFound);
        }
        if !crate::records::valid_date(on.trim()) {
            return Err(Error::invalid("withdrawn_on", "error-date"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE dialogue_participants SET withdrawn_on = $1 WHERE id = $2")
            .bind(on.trim())
            .bind(participant)
            .execute(&mut *tx)
            .await?;
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            "participant withdrawn".to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a participant the viewer sees on a round, or changes their status
    /// (proposed, invited, accepted, declined, attended, absent).
    pub async fn set_dialogue_invite(
        &self,
        scope: &Scope,
        series: i64,
        round: i64,
        participant: i64,
        status: &str,
    ) -> Result<()> {
        let s = self.series_for_change(scope, series).await?;
        if !s.rounds.iter().any(|r| r.id == round) {
            return Err(Error::NotFound);
        }
        if !INVITE_STATUSES.contains(&status) {
            return Err(Error::invalid("status", "error-invalid"));
        }
        let seen = self.dialogue_participants(scope, series).await?;
        let Some(p) = seen.iter().find(|p| p.id == participant) else {
            return Err(Error::NotFound);
        };
        let held_on = s
            .rounds
            .iter()
            .find(|r| r.id == round)
            .map(|r| r.held_on.clone())
            .unwrap_or_default();
        if p.withdrawn_on
            .as_deref()
            .is_some_and(|w| w <= held_on.as_str())
            && ON_ROSTER.contains(&status)
        {
            return Err(Error::invalid("status", "dialogue-error-withdrawn"));
        }
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE dialogue_invites SET status = $1, updated_at = $2 WHERE round_id = $3 AND participant_id = $4",
        )
        .bind(status)
        .bind(now())
        .bind(round)
        .bind(participant)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            sqlx::query(
                "INSERT INTO dialogue_invites (round_id, participant_id, status, updated_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(round)
            .bind(participant)
            .bind(status)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        self.audit_dialogue(
            &mut tx,
            scope,
            format!("dialogue_series:{series}"),
            format!("round {round} roster changed"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
