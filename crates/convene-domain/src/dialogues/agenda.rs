//! The agenda of a Track II series: items with a sensitivity (routine, needs
//! careful framing, explosive), framing notes per side, their source (a funder's
//! suggestion recorded as such), escalation notes, the consultations behind them
//! (records kept for named people only by default, who and what sealed), a linked
//! poll or opinion conversation, and where each item sits in the rounds: on a
//! round's agenda, or parked in a parallel format. The parking ledger shows whether
//! a parked item ever came back to a core round.

use serde::Serialize;

use super::{Round, Series};
use crate::access::envelope::NewRow;
use crate::access::policy::{self, may_organise};
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::model::Level;
use crate::storage::{bind_all, int, opt_int, text, Bind, Db};
use crate::util::now;

pub const SENSITIVITIES: [&str; 3] = ["routine", "careful", "explosive"];
pub const SOURCES: [&str; 5] = [
    "consultation",
    "context_analysis",
    "participants",
    "conveners",
    "funder",
];
/// Where an item sits in a round.
pub const PLACES: [&str; 2] = ["agenda", "parked"];

const CTX_WHO: &str = "dialogue_consultations.who";
const CTX_SUMMARY: &str = "dialogue_consultations.summary";

/// A new agenda item, or its new text.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub title: String,
    pub sensitivity: String,
    pub source: String,
    pub source_note: String,
    pub escalation: String,
    /// A poll or opinion conversation the viewer sees, consulted on this item.
    pub linked: Option<i64>,
    /// Framing notes, by side.
    pub framing: Vec<(String, String)>,
}

/// A consultation behind an item.
#[derive(Debug, Clone)]
pub struct NewConsultation {
    pub held_on: String,
    /// Who was consulted (sealed).
    pub who: String,
    /// What they said (sealed).
    pub summary: String,
    pub level: Level,
    pub named: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Consultation {
    pub id: i64,
    pub held_on: String,
    pub who: String,
    pub summary: String,
    pub level: Level,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub title: String,
    pub sensitivity: String,
    pub source: String,
    pub source_note: String,
    pub escalation: String,
    pub linked: Option<i64>,
    pub framing: Vec<(String, String)>,
    /// (round, place) in the rounds' order.
    pub rounds: Vec<(i64, String)>,
    pub consultations: Vec<Consultation>,
    /// Consultations the viewer may not read (counted, not shown).
    pub hidden_consultations: i64,
}

/// A parked item and what became of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Parked {
    pub item: i64,
    pub title: String,
    /// The parallel round it was parked in.
    pub parked_in: i64,
    /// The first core round after that with the item on its agenda.
    pub returned_in: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub items: Vec<Item>,
    pub ledger: Vec<Parked>,
    /// Items suggested by a funder, of all items.
    pub from_funders: usize,
}

fn problem(field: &'static str, key: &'static str) -> Invalid {
    Invalid { field, key }
}

pub(crate) fn validate_item(i: &NewItem, sides: &[String]) -> Vec<Invalid> {
    let mut p = Vec::new();
    let title = i.title.trim();
    if title.is_empty() || title.chars().count() > 300 {
        p.push(problem("title", "error-required"));
    }
    if !SENSITIVITIES.contains(&i.sensitivity.as_str()) {
        p.push(problem("sensitivity", "error-invalid"));
    }
    if !SOURCES.contains(&i.source.as_str()) {
        p.push(problem("source", "error-invalid"));
    }
    if i.source == "funder" && i.source_note.trim().is_empty() {
        // Funder pressure is a risk the field names: say which funder asked.
        p.push(problem("source_note", "dialogue-error-funder"));
    }
    if i.sensitivity == "explosive" && i.escalation.trim().is_empty() {
        p.push(problem("escalation", "dialogue-error-escalation"));
    }
    if i.source_note.chars().count() > 500 {
        p.push(problem("source_note", "error-too-long"));
    }
    if i.escalation.chars().count() > 5000 {
        p.push(problem("escalation", "error-too-long"));
    }
    for (n, (side, notes)) in i.framing.iter().enumerate() {
        if i.framing[..n].iter().any(|(s, _)| s == side) {
            p.push(problem("framing", "error-invalid"));
        }
        if !sides.contains(side) {
            p.push(problem("framing", "dialogue-error-side"));
        }
        if notes.chars().count() > 5000 {
            p.push(problem("framing", "error-too-long"));
        }
    }
    p
}

fn invalid(p: Vec<Invalid>) -> Result<()> {
    if p.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(p))
    }
}

/// The ledger: each item parked in a parallel round, and the first core round
/// after it (by date) that has the item on its agenda.
pub fn ledger(rounds: &[Round], items: &[Item]) -> Vec<Parked> {
    let round = |id: i64| rounds.iter().find(|r| r.id == id);
    let mut out = Vec::new();
    for it in items {
        for (rid, place) in &it.rounds {
            let Some(parked) = round(*rid).filter(|r| r.format != "core" && place == "parked")
            else {
                continue;
            };
            let returned_in = it
                .rounds
                .iter()
                .filter(|(_, p)| p == "agenda")
                .filter_map(|(r, _)| round(*r))
                .filter(|r| r.format == "core" && r.held_on > parked.held_on)
                .min_by(|a, b| (&a.held_on, a.id).cmp(&(&b.held_on, b.id)))
                .map(|r| r.id);
            out.push(Parked {
                item: it.id,
                title: it.title.clone(),
                parked_in: parked.id,
                returned_in,
            });
        }
    }
    out
}

impl Db {
    async fn item_audit(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        series: i64,
        detail: String,
    ) -> Result<()> {
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::DialogueChange,
                target: format!("dialogue_series:{series}"),
                detail,
            },
        )
        .await?;
        Ok(())
    }

    async fn linked_allowed(&self, scope: &Scope, id: i64) -> Result<bool> {
        let polls = self.polls(scope).await?;
        if polls.iter().any(|p| p.id == id) {
            return Ok(true);
        }
        Ok(self.conversations(scope).await?.iter().any(|c| c.id == id))
    }

    /// Adds an agenda item to a series (organisers), or (with `id`) changes one.
    pub async fn save_dialogue_item(
        &self,
        scope: &Scope,
        series: i64,
        id: Option<i64>,
        item: &NewItem,
    ) -> Result<i64> {
        let s: Series = self.dialogue_series(scope, series).await?;
        policy::require(scope, may_organise)?;
        let mut p = validate_item(item, &s.sides);
        if let Some(l) = item.linked {
            if !self.linked_allowed(scope, l).await? {
                p.push(problem("linked", "error-invalid"));
            }
        }
        invalid(p)?;
        let t = now();
        let mut tx = self.pool.begin().await?;
        let iid = match id {
            None => {
                let row = sqlx::query(
                    "INSERT INTO dialogue_items (series_id, title, sensitivity, source, source_note, escalation, linked_record, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                )
                .bind(series)
                .bind(item.title.trim())
                .bind(&item.sensitivity)
                .bind(&item.source)
                .bind(item.source_note.trim())
                .bind(item.escalation.trim())
                .bind(item.linked)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                int(&row, "id")?
            }
            Some(iid) => {
                let n = sqlx::query(
                    "UPDATE dialogue_items SET title = $1, sensitivity = $2, source = $3, source_note = $4,
                     escalation = $5, linked_record = $6, updated_at = $7 WHERE id = $8 AND series_id = $9",
                )
                .bind(item.title.trim())
                .bind(&item.sensitivity)
                .bind(&item.source)
                .bind(item.source_note.trim())
                .bind(item.escalation.trim())
                .bind(item.linked)
                .bind(t)
                .bind(iid)
                .bind(series)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Err(Error::NotFound);
                }
                sqlx::query("DELETE FROM dialogue_item_framing WHERE item_id = $1")
                    .bind(iid)
                    .execute(&mut *tx)
                    .await?;
                iid
            }
        };
        for (side, notes) in &item.framing {
            if notes.trim().is_empty() {
                continue;
            }
            sqlx::query(
                "INSERT INTO dialogue_item_framing (item_id, side, notes) VALUES ($1, $2, $3)",
            )
            .bind(iid)
            .bind(side)
            .bind(notes.trim())
            .execute(&mut *tx)
            .await?;
        }
        self.item_audit(&mut tx, scope, series, format!("item {iid} saved"))
            .await?;
        tx.commit().await?;
        Ok(iid)
    }

    /// Puts an item on a round's agenda, parks it in a round (a parallel format),
    /// or (`place` = `none`) takes it off the round.
    pub async fn place_dialogue_item(
        &self,
        scope: &Scope,
        series: i64,
        item: i64,
        round: i64,
        place: &str,
    ) -> Result<()> {
        let s = self.dialogue_series(scope, series).await?;
        policy::require(scope, may_organise)?;
        let r = s
            .rounds
            .iter()
            .find(|r| r.id == round)
            .ok_or(Error::NotFound)?;
        if place != "none" && !PLACES.contains(&place) {
            return Err(Error::invalid("place", "error-invalid"));
        }
        if place == "parked" && r.format == "core" {
            return Err(Error::invalid("place", "dialogue-error-park-core"));
        }
        let owned = sqlx::query("SELECT id FROM dialogue_items WHERE id = $1 AND series_id = $2")
            .bind(item)
            .bind(series)
            .fetch_optional(&self.pool)
            .await?;
        if owned.is_none() {
            return Err(Error::NotFound);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM dialogue_item_rounds WHERE item_id = $1 AND round_id = $2")
            .bind(item)
            .bind(round)
            .execute(&mut *tx)
            .await?;
        if place != "none" {
            sqlx::query(
                "INSERT INTO dialogue_item_rounds (item_id, round_id, state) VALUES ($1, $2, $3)",
            )
            .bind(item)
            .bind(round)
            .bind(place)
            .execute(&mut *tx)
            .await?;
        }
        self.item_audit(&mut tx, scope, series, format!("item {item} placed"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a consultation behind an item: a record (named people only unless
    /// the convener chooses a wider level) whose who and what are sealed.
    pub async fn add_dialogue_consultation(
        &self,
        scope: &Scope,
        series: i64,
        item: i64,
        c: &NewConsultation,
    ) -> Result<i64> {
        self.dialogue_series(scope, series).await?;
        policy::require(scope, may_organise)?;
        let owned =
            sqlx::query("SELECT title FROM dialogue_items WHERE id = $1 AND series_id = $2")
                .bind(item)
                .bind(series)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(Error::NotFound)?;
        let _ = text(&owned, "title")?;
        let mut p = Vec::new();
        if !crate::records::valid_date(c.held_on.trim()) {
            p.push(problem("held_on", "error-date"));
        }
        if c.who.trim().is_empty() || c.who.chars().count() > 1000 {
            p.push(problem("who", "error-required"));
        }
        if c.summary.chars().count() > 5000 {
            p.push(problem("summary", "error-too-long"));
        }
        if c.level == Level::Public {
            p.push(problem("level", "error-invalid"));
        }
        invalid(p)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::DIALOGUE_CONSULTATION,
                    // Neither who nor what: those are sealed below.
                    title: "Consultation",
                    body: "",
                    search: "",
                },
                &Envelope {
                    level: c.level,
                    named: c.named.clone(),
                },
            )
            .await?;
        sqlx::query(
            "INSERT INTO dialogue_consultations (record_id, item_id, held_on, who_enc, summary_enc) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(item)
        .bind(c.held_on.trim())
        .bind(self.keys.seal(CTX_WHO, c.who.trim())?)
        .bind(self.keys.seal(CTX_SUMMARY, c.summary.trim())?)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("dialogue_consultation:{id}"),
                detail: format!("item={item} level={}", c.level.as_str()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The agenda of a series, as the viewer may see it: the items, the ledger of
    /// parked items and how many came from funders.
    pub async fn dialogue_agenda(&self, scope: &Scope, series: i64) -> Result<Agenda> {
        let s = self.dialogue_series(scope, series).await?;
        let rows = sqlx::query(
            "SELECT id, title, sensitivity, source, source_note, escalation, linked_record FROM dialogue_items
             WHERE series_id = $1 ORDER BY id",
        )
        .bind(series)
        .fetch_all(&self.pool)
        .await?;
        let framing = sqlx::query(
            "SELECT f.item_id, f.side, f.notes FROM dialogue_item_framing f JOIN dialogue_items i ON i.id = f.item_id
             WHERE i.series_id = $1",
        )
        .bind(series)
        .fetch_all(&self.pool)
        .await?;
        let placed = sqlx::query(
            "SELECT p.item_id, p.round_id, p.state FROM dialogue_item_rounds p JOIN dialogue_items i ON i.id = p.item_id
             WHERE i.series_id = $1",
        )
        .bind(series)
        .fetch_all(&self.pool)
        .await?;
        let mut binds = vec![Bind::I(series)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT c.record_id, c.item_id, c.held_on, c.who_enc, c.summary_enc, r.confidentiality
             FROM dialogue_consultations c JOIN records r ON r.id = c.record_id
             JOIN dialogue_items i ON i.id = c.item_id
             WHERE i.series_id = $1 AND {rule} ORDER BY c.held_on, c.record_id"
        );
        let seen = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let all = sqlx::query(
            "SELECT c.item_id, COUNT(*) AS n FROM dialogue_consultations c JOIN dialogue_items i ON i.id = c.item_id
             WHERE i.series_id = $1 GROUP BY c.item_id",
        )
        .bind(series)
        .fetch_all(&self.pool)
        .await?;
        let order = |rid: i64| {
            s.rounds
                .iter()
                .position(|r| r.id == rid)
                .unwrap_or(usize::MAX)
        };
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = int(r, "id")?;
            let mut f = Vec::new();
            for side in &s.sides {
                for x in &framing {
                    if int(x, "item_id")? == id && &text(x, "side")? == side {
                        f.push((side.clone(), text(x, "notes")?));
                    }
                }
            }
            let mut rounds = Vec::new();
            for x in &placed {
                if int(x, "item_id")? == id {
                    rounds.push((int(x, "round_id")?, text(x, "state")?));
                }
            }
            rounds.sort_by_key(|(rid, _)| order(*rid));
            let mut consultations = Vec::new();
            for x in &seen {
                if int(x, "item_id")? != id {
                    continue;
                }
                let who: Vec<u8> = sqlx::Row::try_get(x, "who_enc")?;
                let summary: Vec<u8> = sqlx::Row::try_get(x, "summary_enc")?;
                consultations.push(Consultation {
                    id: int(x, "record_id")?,
                    held_on: text(x, "held_on")?,
                    who: self.keys.open(CTX_WHO, &who)?,
                    summary: self.keys.open(CTX_SUMMARY, &summary)?,
                    level: Level::from_i64(int(x, "confidentiality")?).unwrap_or(Level::Named),
                });
            }
            let total = all
                .iter()
                .find(|x| int(x, "item_id").ok() == Some(id))
                .map(|x| int(x, "n"))
                .transpose()?
                .unwrap_or(0);
            items.push(Item {
                id,
                title: text(r, "title")?,
                sensitivity: text(r, "sensitivity")?,
                source: text(r, "source")?,
                source_note: text(r, "source_note")?,
                escalation: text(r, "escalation")?,
                linked: opt_int(r, "linked_record")?,
                framing: f,
                rounds,
                hidden_consultations: total - consultations.len() as i64,
                consultations,
            });
        }
        let ledger = ledger(&s.rounds, &items);
        let from_funders = items.iter().filter(|i| i.source == "funder").count();
        Ok(Agenda {
            items,
            ledger,
            from_funders,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(id: i64, format: &str, on: &str) -> Round {
        Round {
            id,
            format: format.into(),
            held_on: on.into(),
            city: String::new(),
            mode: "online".into(),
            parent: None,
            notes: String::new(),
            number: 1,
        }
    }

    fn item(id: i64, rounds: &[(i64, &str)]) -> Item {
        Item {
            id,
            title: format!("Item {id}"),
            sensitivity: "routine".into(),
            source: "conveners".into(),
            source_note: String::new(),
            escalation: String::new(),
            linked: None,
            framing: vec![],
            rounds: rounds.iter().map(|(r, p)| (*r, p.to_string())).collect(),
            consultations: vec![],
            hidden_consultations: 0,
        }
    }

    #[test]
    fn the_ledger_follows_parked_items_back_to_a_later_core_round() {
        let rounds = [
            round(1, "core", "2026-01-01"),
            round(2, "youth", "2026-01-02"),
            round(3, "core", "2026-06-01"),
            round(4, "roundtable", "2026-06-02"),
            round(5, "core", "2026-12-01"),
        ];
        let items = [
            // Parked in the youth dialogue, back in core round 3.
            item(10, &[(1, "agenda"), (2, "parked"), (3, "agenda")]),
            // Parked in the roundtable, never back (core round 1 is earlier).
            item(11, &[(1, "agenda"), (4, "parked")]),
            // Never parked.
            item(12, &[(3, "agenda")]),
        ];
        let l = ledger(&rounds, &items);
        assert_eq!(
            l.iter()
                .map(|p| (p.item, p.parked_in, p.returned_in))
                .collect::<Vec<_>>(),
            vec![(10, 2, Some(3)), (11, 4, None)]
        );
    }

    #[test]
    fn funder_items_and_explosive_items_need_their_notes() {
        let sides = vec!["A".to_string(), "B".to_string()];
        let mut i = NewItem {
            title: "Joint patrols".into(),
            sensitivity: "explosive".into(),
            source: "funder".into(),
            source_note: String::new(),
            escalation: String::new(),
            linked: None,
            framing: vec![("A".into(), "Say security cooperation".into())],
        };
        let fields: Vec<&str> = validate_item(&i, &sides).iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["source_note", "escalation"]);
        i.source_note = "Suggested by the Foundation's programme officer".into();
        i.escalation = "If either press reports it, both conveners pause the item.".into();
        assert!(validate_item(&i, &sides).is_empty());
        i.framing.push(("C".into(), "x".into()));
        assert_eq!(validate_item(&i, &sides)[0].field, "framing");
        i.framing.pop();
        i.framing.push(("A".into(), "twice".into()));
        assert_eq!(validate_item(&i, &sides)[0].field, "framing");
    }
}
