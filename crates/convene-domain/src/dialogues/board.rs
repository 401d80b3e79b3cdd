//! The selection board of a round: the whole roster counted (whoever can see whose
//! name), the warnings computed in `convene_analysis::selection`, and the rows
//! shown by name only where the viewer sees the contact; others appear under a
//! pseudonym with their side and status, nothing more.
//!
//! The echo-chamber figure from opinion votes is read here and leaves as an
//! aggregate only: the votes of invitees (matched by the keyed hash of the phone
//! they voted from by SMS in the series' linked conversations) are compared pair
//! by pair inside this function, and only the mean agreement, the number of pairs
//! and of voters come out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use convene_analysis::network::{louvain_communities, LouvainOptions, Sign};
use convene_analysis::selection::{self, Agreement, Board, Member};
use serde::Serialize;

use super::*;
use crate::access::policy::{self, may_organise};
use crate::access::Scope;
use crate::error::{Error, Result};
use crate::storage::{bind_all, int, opt_int, opt_text, text, Bind, Db};

/// A row of the roster.
#[derive(Debug, Clone, Serialize)]
pub struct RosterRow {
    pub participant: i64,
    /// The name, where the viewer sees the contact; else `None`.
    pub name: Option<String>,
    /// `P-` and six letters of a keyed hash of the series and the participant,
    /// shown where the name is not: stable across rounds, unrelated to any id.
    pub pseudonym: String,
    pub side: String,
    pub status: String,
    /// Shown only with the name: the categories the board counts, and the
    /// flags below.
    pub sector: Option<String>,
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub attended_previous: bool,
    pub nominated_in_network: bool,
}

/// The board of one round.
#[derive(Debug, Clone, Serialize)]
pub struct SelectionBoard {
    pub round: Round,
    pub board: Board,
    pub thresholds: Thresholds,
    pub roster: Vec<RosterRow>,
    /// Rows the viewer cannot name (counted in every figure).
    pub hidden: usize,
    /// Invitees who declined, were absent or withdrew: history, not counted.
    pub history: Vec<RosterRow>,
    pub agreement: Option<Agreement>,
}

struct RawRow {
    participant: i64,
    side: String,
    sector: String,
    gender: String,
    age_band: String,
    seniority: String,
    institution: Option<String>,
    nominated_by: Option<i64>,
    actor: Option<i64>,
    withdrawn_on: Option<String>,
    status: String,
    phone_hash: Option<String>,
}

impl Db {
    /// The selection board of `round` (organisers): `NotFound` unless the viewer
    /// sees the series and the round is one of its rounds.
    pub async fn selection_board(
        &self,
        scope: &Scope,
        series: i64,
        round: i64,
    ) -> Result<SelectionBoard> {
        let s = self.dialogue_series(scope, series).await?;
        policy::require(scope, may_organise)?;
        let this = s
            .rounds
            .iter()
            .find(|r| r.id == round)
            .cloned()
            .ok_or(Error::NotFound)?;
        let rows = sqlx::query(
            "SELECT p.id, p.side, p.sector, p.gender, p.age_band, p.seniority, p.institution_hash,
                    p.nominated_by, p.actor_id, p.withdrawn_on, i.status, c.phone_hash
             FROM dialogue_invites i JOIN dialogue_participants p ON p.id = i.participant_id
             JOIN contact_details c ON c.record_id = p.contact_id
             WHERE i.round_id = $1 AND p.series_id = $2 ORDER BY p.side, p.id",
        )
        .bind(round)
        .bind(series)
        .fetch_all(&self.pool)
        .await?;
        let raw: Vec<RawRow> = rows
            .iter()
            .map(|r| {
                Ok(RawRow {
                    participant: int(r, "id")?,
                    side: text(r, "side")?,
                    sector: text(r, "sector")?,
                    gender: text(r, "gender")?,
                    age_band: text(r, "age_band")?,
                    seniority: text(r, "seniority")?,
                    institution: opt_text(r, "institution_hash")?,
                    nominated_by: opt_int(r, "nominated_by")?,
                    actor: opt_int(r, "actor_id")?,
                    withdrawn_on: opt_text(r, "withdrawn_on")?,
                    status: text(r, "status")?,
                    phone_hash: opt_text(r, "phone_hash")?,
                })
            })
            .collect::<Result<_>>()?;

        // Attendance: the previous round of the same format, and every round
        // held before this one.
        let previous = s
            .rounds
            .iter()
            .filter(|r| r.format == this.format && r.held_on < this.held_on)
            .max_by(|a, b| (&a.held_on, a.id).cmp(&(&b.held_on, b.id)))
            .map(|r| r.id);
        let earlier: Vec<i64> = s
            .rounds
            .iter()
            .filter(|r| r.held_on < this.held_on)
            .map(|r| r.id)
            .collect();
        let attended = sqlx::query(
            "SELECT i.round_id, i.participant_id FROM dialogue_invites i JOIN dialogue_rounds d ON d.id = i.round_id
             WHERE d.series_id = $1 AND i.status = 'attended'",
        )
        .bind(series)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((int(r, "round_id")?, int(r, "participant_id")?)))
        .collect::<Result<Vec<(i64, i64)>>>()?;
        let attended_previous: BTreeSet<i64> = attended
            .iter()
            .filter(|(r, _)| Some(*r) == previous)
            .map(|x| x.1)
            .collect();
        let earlier_participants: BTreeSet<i64> = attended
            .iter()
            .filter(|(r, _)| earlier.contains(r))
            .map(|x| x.1)
            .collect();
        let nominator_actor: HashMap<i64, Option<i64>> =
            sqlx::query("SELECT id, actor_id FROM dialogue_participants WHERE series_id = $1")
                .bind(series)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((int(r, "id")?, opt_int(r, "actor_id")?)))
                .collect::<Result<_>>()?;

        // The actor map as the viewer sees it today: communities as the actor
        // map's page computes them, and positive ties.
        let map = self.actor_map(scope).await?;
        let snap = map.as_of(&crate::actors::today());
        let (graph, ids) = snap.graph();
        let labels = if ids.is_empty() {
            vec![]
        } else {
            louvain_communities(&graph, LouvainOptions::default())
        };
        let community: HashMap<i64, usize> = ids
            .iter()
            .zip(labels.iter())
            .map(|(a, l)| (*a, *l))
            .collect();
        let mut positive: BTreeSet<(i64, i64)> = BTreeSet::new();
        for e in graph.edges() {
            if e.tie.sign == Sign::Positive {
                if let (Some(a), Some(b)) = (ids.get(e.source), ids.get(e.target)) {
                    positive.insert(((*a).min(*b), (*a).max(*b)));
                }
            }
        }

        let seen: HashMap<i64, Participant> = self
            .dialogue_participants(scope, series)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut members = Vec::new();
        let mut roster = Vec::new();
        let mut history = Vec::new();
        let mut voters: Vec<(i64, String)> = Vec::new();
        for r in &raw {
            let withdrawn = r
                .withdrawn_on
                .as_deref()
                .is_some_and(|d| d <= this.held_on.as_str());
            let nominated_by_earlier = r
                .nominated_by
                .is_some_and(|n| earlier_participants.contains(&n));
            let nominator_tied = match (
                r.actor,
                r.nominated_by
                    .and_then(|n| nominator_actor.get(&n).copied().flatten()),
            ) {
                (Some(a), Some(b)) => positive.contains(&(a.min(b), a.max(b))),
                _ => false,
            };
            let shown = seen.get(&r.participant);
            let hash = self
                .keys
                .lookup_hash("dialogue.pseudonym", &format!("{series}:{}", r.participant))?;
            let row = RosterRow {
                participant: r.participant,
                name: shown.map(|p| p.name.clone()),
                pseudonym: format!(
                    "P-{}",
                    hash.chars().take(6).collect::<String>().to_uppercase()
                ),
                side: r.side.clone(),
                status: if withdrawn {
                    "withdrawn".to_string()
                } else {
                    r.status.clone()
                },
                sector: shown.map(|_| r.sector.clone()),
                gender: shown.map(|_| r.gender.clone()),
                age_band: shown.map(|_| r.age_band.clone()),
                attended_previous: attended_previous.contains(&r.participant),
                nominated_in_network: nominated_by_earlier && nominator_tied,
            };
            let counted = (row.attended_previous, row.nominated_in_network);
            // A row the viewer cannot name shows its side and status only: its
            // part in the figures stays in the aggregates.
            let row = if shown.is_some() {
                row
            } else {
                RosterRow {
                    attended_previous: false,
                    nominated_in_network: false,
                    ..row
                }
            };
            if withdrawn || !ON_ROSTER.contains(&r.status.as_str()) {
                history.push(row);
                continue;
            }
            members.push(Member {
                sector: r.sector.clone(),
                seniority: r.seniority.clone(),
                gender: r.gender.clone(),
                age_band: r.age_band.clone(),
                side: r.side.clone(),
                institution: r.institution.clone(),
                attended_previous: counted.0,
                nominated_by_earlier,
                nominator_tied,
                community: r.actor.and_then(|a| community.get(&a).copied()),
            });
            if let Some(h) = &r.phone_hash {
                voters.push((r.participant, h.clone()));
            }
            roster.push(row);
        }
        let agreement = self
            .roster_agreement(scope, &s.conversations, &voters)
            .await?;
        let board = selection::board(&members, &s.sides, agreement, &s.thresholds);
        let hidden = roster.iter().filter(|r| r.name.is_none()).count();
        Ok(SelectionBoard {
            round: this,
            board,
            thresholds: s.thresholds,
            roster,
            hidden,
            history,
            agreement,
        })
    }

    /// The pairwise agreement of the roster on the linked conversations' statements,
    /// as an aggregate only (`None` when no conversation is linked).
    async fn roster_agreement(
        &self,
        scope: &Scope,
        conversations: &[i64],
        voters: &[(i64, String)],
    ) -> Result<Option<Agreement>> {
        if conversations.is_empty() {
            return Ok(None);
        }
        let mut binds = vec![Bind::I(scope.space.id)];
        let mut conv = Vec::new();
        for c in conversations {
            binds.push(Bind::I(*c));
            conv.push(format!("${}", binds.len()));
        }
        let mut phones = Vec::new();
        for (_, h) in voters {
            binds.push(Bind::S(h.clone()));
            phones.push(format!("${}", binds.len()));
        }
        if phones.is_empty() {
            return Ok(Some(Agreement::default()));
        }
        let sql = format!(
            "SELECT o.phone_hash, v.statement_id, v.vote FROM opinion_sms o
             JOIN opinion_votes v ON v.participant_id = o.participant_id
             WHERE o.space_id = $1 AND o.conversation_id IN ({}) AND o.phone_hash IN ({})",
            conv.join(", "),
            phones.join(", ")
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let mut by_phone: BTreeMap<String, BTreeMap<i64, i8>> = BTreeMap::new();
        for r in &rows {
            let v = int(r, "vote")?.clamp(-1, 1) as i8;
            by_phone
                .entry(text(r, "phone_hash")?)
                .or_default()
                .insert(int(r, "statement_id")?, v);
        }
        let votes: Vec<BTreeMap<i64, i8>> = by_phone.into_values().collect();
        Ok(Some(selection::pairwise_agreement(&votes)))
    }
}
