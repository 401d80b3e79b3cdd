//! Opinion mapping: conversations, statements, moderation and votes.
//!
//! A conversation is a row of `records` (kind `conversation`: the confidentiality
//! envelope of space, level and author) plus a row of `opinion_conversations`. It is
//! read only through the records' visibility rule (`access::visible`), so closed spaces stay
//! hidden from outsiders and levels apply. Statements, participants and votes are
//! read and written only through a [`Conversation`], which only this module makes,
//! after that rule let the viewer see it.
//!
//! Participants are logged-in users, or, in public spaces, anonymous visitors known
//! by a random cookie of which only a keyed hash is stored.

pub mod polis;
pub mod sms;

use crate::access::envelope::NewRow;
use crate::access::Scope;
use crate::access::{kinds, visible, Envelope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::model::{Level, Role};
use std::sync::Arc;

use crate::storage::group_commit::{GroupCommit, WhenLost, WriteBatch};
use crate::storage::{bind_all, Bind};
use crate::storage::{int, opt_int, opt_text, text, Db};
use crate::util::now;

/// The `records.kind` of a conversation.
pub const KIND: &str = kinds::CONVERSATION.name;
/// Longest statement, in characters.
pub const MAX_STATEMENT_CHARS: usize = 280;
/// Longest rejection reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// Rows per multi-row INSERT when many votes are written at once.
const BATCH_ROWS: usize = 150;

/// An opinion-mapping conversation the viewer may see.
/// Only this module makes one (`non_exhaustive`): after the visibility rule.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Conversation {
    pub id: i64,
    pub space_id: i64,
    pub level: Level,
    pub topic: String,
    pub description: String,
    pub is_open: bool,
    pub allow_statements: bool,
    /// Grows with every vote and moderation decision; the analysis cache key.
    pub version: i64,
    pub created_at: i64,
}

/// What an organiser supplies to start a conversation.
#[derive(Debug, Clone)]
pub struct NewConversation {
    pub topic: String,
    pub description: String,
    pub level: Level,
    pub is_open: bool,
    pub allow_statements: bool,
}

/// A vote on a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Vote {
    Agree,
    Disagree,
    Pass,
}

impl Vote {
    /// Polis' convention: agree +1, disagree −1, pass 0.
    pub fn as_i64(self) -> i64 {
        match self {
            Vote::Agree => 1,
            Vote::Disagree => -1,
            Vote::Pass => 0,
        }
    }
    pub fn from_i64(v: i64) -> Option<Vote> {
        match v {
            1 => Some(Vote::Agree),
            -1 => Some(Vote::Disagree),
            0 => Some(Vote::Pass),
            _ => None,
        }
    }
    pub fn parse(s: &str) -> Option<Vote> {
        match s {
            "agree" => Some(Vote::Agree),
            "disagree" => Some(Vote::Disagree),
            "pass" => Some(Vote::Pass),
            _ => None,
        }
    }
}

/// Where a statement stands in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Status {
    Pending,
    Approved,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "pending" => Some(Status::Pending),
            "approved" => Some(Status::Approved),
            "rejected" => Some(Status::Rejected),
            _ => None,
        }
    }
    /// Polis' `moderated` column: 1 accepted, 0 not yet moderated, −1 moderated out.
    pub fn polis(self) -> i64 {
        match self {
            Status::Approved => 1,
            Status::Pending => 0,
            Status::Rejected => -1,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Statement {
    pub id: i64,
    pub body: String,
    pub status: Status,
    pub is_seed: bool,
    /// Shown to the statement's author only.
    pub reject_reason: Option<String>,
    pub created_at: i64,
}

/// Who is voting: a logged-in user, or an anonymous visitor's participant cookie.
#[derive(Debug, Clone, Copy)]
pub enum Voter<'a> {
    User(i64),
    Cookie(&'a str),
}

/// Every statement and vote of a conversation, for analysis and export.
#[derive(Debug, Clone, Default)]
pub struct VoteData {
    /// Statements with their author's participant id, oldest first.
    pub statements: Vec<(Statement, Option<i64>)>,
    /// Participant ids that voted or wrote, ascending.
    pub participants: Vec<i64>,
    /// (statement, participant, vote, when), one per pair: the latest vote.
    pub votes: Vec<(i64, i64, Vote, i64)>,
}

fn statement_from_row(row: &sqlx::any::AnyRow) -> Result<Statement> {
    Ok(Statement {
        id: int(row, "id")?,
        body: text(row, "body")?,
        status: Status::parse(&text(row, "status")?)
            .ok_or_else(|| Error::Internal("unknown statement status".into()))?,
        is_seed: int(row, "is_seed")? != 0,
        reject_reason: opt_text(row, "reject_reason")?,
        created_at: int(row, "created_at")?,
    })
}

fn conversation_from_row(r: &sqlx::any::AnyRow) -> Result<Conversation> {
    Ok(Conversation {
        id: int(r, "id")?,
        space_id: int(r, "space_id")?,
        level: Level::from_i64(int(r, "confidentiality")?)
            .ok_or_else(|| Error::Internal("unknown level".into()))?,
        topic: text(r, "title")?,
        description: text(r, "body")?,
        is_open: int(r, "is_open")? != 0,
        allow_statements: int(r, "allow_statements")? != 0,
        version: int(r, "version")?,
        created_at: int(r, "created_at")?,
    })
}

/// Checks a statement's text; returns it trimmed.
pub fn validate_statement(body: &str) -> Result<String> {
    let t = body.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(Error::invalid("body", "error-required"));
    }
    if n > MAX_STATEMENT_CHARS {
        return Err(Error::invalid("body", "opinion-error-statement-long"));
    }
    Ok(t.to_string())
}

fn validate_conversation(new: &NewConversation) -> Result<()> {
    let mut problems = Vec::new();
    let n = new.topic.trim().chars().count();
    if n == 0 {
        problems.push(Invalid {
            field: "topic",
            key: "error-required",
        });
    } else if n > 200 {
        problems.push(Invalid {
            field: "topic",
            key: "error-too-long",
        });
    }
    if new.description.chars().count() > 5000 {
        problems.push(Invalid {
            field: "description",
            key: "error-too-long",
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// A deterministic order among statements with equal vote counts, different for
/// each participant (SplitMix64 of the pair).
pub fn tie_break(participant: i64, statement: i64) -> u64 {
    let mut z = (participant as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(statement as u64)
        .wrapping_add(0x6A09_E667_F3BC_C909);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Db {
    /// Starts a conversation (organisers; audited).
    pub async fn create_conversation(&self, scope: &Scope, new: &NewConversation) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.insert_conversation(&mut tx, scope, new).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_conversation(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        new: &NewConversation,
    ) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        validate_conversation(new)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let search = format!("{}\n{}", new.topic.trim(), new.description.trim()).to_lowercase();
        let id = self
            .insert_record(
                tx,
                scope,
                author,
                NewRow {
                    kind: kinds::CONVERSATION,
                    title: new.topic.trim(),
                    body: new.description.trim(),
                    search: &search,
                },
                &Envelope::at(new.level),
            )
            .await?;
        sqlx::query(
            "INSERT INTO opinion_conversations (record_id, is_open, allow_statements, version) VALUES ($1, $2, $3, 0)",
        )
        .bind(id)
        .bind(new.is_open as i64)
        .bind(new.allow_statements as i64)
        .execute(&mut **tx)
        .await?;
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("{KIND}:{id}"),
                detail: format!("level={}", new.level.as_str()),
            },
        )
        .await?;
        Ok(id)
    }

    async fn fetch_conversations(
        &self,
        scope: &Scope,
        id: Option<i64>,
    ) -> Result<Vec<Conversation>> {
        let mut binds = vec![Bind::S(KIND.into())];
        let rule = visible(scope, &mut binds);
        let by_id = match id {
            Some(id) => {
                binds.push(Bind::I(id));
                format!(" AND r.id = ${}", binds.len())
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT r.id, r.space_id, r.confidentiality, r.title, r.body, r.created_at, c.is_open, c.allow_statements, c.version
             FROM records r JOIN opinion_conversations c ON c.record_id = r.id
             WHERE r.kind = $1 AND {rule}{by_id} ORDER BY r.created_at DESC, r.id DESC"
        );
        let q = bind_all(sqlx::query(&sql), binds);
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(conversation_from_row).collect()
    }

    /// One conversation (as [`Db::conversation`]) and, in the same query, the voter's
    /// participant id if they have one yet: the vote path's single read.
    pub async fn conversation_for_voter(
        &self,
        scope: &Scope,
        id: i64,
        voter: Voter<'_>,
    ) -> Result<(Conversation, Option<i64>)> {
        let (join, key) = match voter {
            Voter::User(uid) if scope.viewer_id() == Some(uid) => ("p.user_id = $2", Bind::I(uid)),
            Voter::Cookie(c) if scope.viewer.is_none() => (
                "p.cookie_hash = $2",
                Bind::S(self.keys.lookup_hash("opinion.participant", c)?),
            ),
            _ => return Err(Error::Forbidden),
        };
        let mut binds = vec![Bind::S(KIND.into()), key, Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.space_id, r.confidentiality, r.title, r.body, r.created_at, c.is_open, c.allow_statements, c.version,
                    p.id AS participant_id
             FROM records r JOIN opinion_conversations c ON c.record_id = r.id
             LEFT JOIN opinion_participants p ON p.conversation_id = r.id AND {join}
             WHERE r.kind = $1 AND r.id = $3 AND {rule}"
        );
        let q = bind_all(sqlx::query(&sql), binds);
        let row = q.fetch_optional(&self.pool).await?.ok_or(Error::NotFound)?;
        Ok((
            conversation_from_row(&row)?,
            opt_int(&row, "participant_id")?,
        ))
    }

    /// The conversations of the scope's space that the viewer may see, newest first.
    pub async fn conversations(&self, scope: &Scope) -> Result<Vec<Conversation>> {
        self.fetch_conversations(scope, None).await
    }

    /// One conversation: `NotFound` when it does not exist, is in another space, or
    /// the viewer may not see it.
    pub async fn conversation(&self, scope: &Scope, id: i64) -> Result<Conversation> {
        self.fetch_conversations(scope, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)
    }

    /// Opens or closes a conversation and allows or stops new statements (organisers; audited).
    pub async fn update_conversation(
        &self,
        scope: &Scope,
        conv: &Conversation,
        is_open: bool,
        allow_statements: bool,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE opinion_conversations SET is_open = $1, allow_statements = $2 WHERE record_id = $3",
        )
        .bind(is_open as i64)
        .bind(allow_statements as i64)
        .bind(conv.id)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ConversationSettings,
                target: format!("{KIND}:{}", conv.id),
                detail: format!("open={is_open} statements={allow_statements}"),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_sms_conversations(scope.space.id);
        Ok(())
    }

    /// Whether the viewer may vote and write in this conversation now: it is open,
    /// and the viewer is a member of the space or the space is public.
    pub fn may_participate(&self, scope: &Scope, conv: &Conversation) -> bool {
        conv.is_open && (scope.role.is_some() || scope.space.is_public)
    }

    /// The participant id of a voter, if they have one yet.
    pub async fn find_participant(
        &self,
        conv: &Conversation,
        voter: Voter<'_>,
    ) -> Result<Option<i64>> {
        let row = match voter {
            Voter::User(uid) => {
                sqlx::query("SELECT id FROM opinion_participants WHERE conversation_id = $1 AND user_id = $2")
                    .bind(conv.id)
                    .bind(uid)
                    .fetch_optional(&self.pool)
                    .await?
            }
            Voter::Cookie(c) => {
                sqlx::query("SELECT id FROM opinion_participants WHERE conversation_id = $1 AND cookie_hash = $2")
                    .bind(conv.id)
                    .bind(self.keys.lookup_hash("opinion.participant", c)?)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        row.map(|r| int(&r, "id")).transpose()
    }

    /// The participant id of a voter, made on first use. The scope must match the
    /// voter: a user votes as themselves, a cookie only for an anonymous visitor of
    /// a public space.
    pub async fn participant(
        &self,
        scope: &Scope,
        conv: &Conversation,
        voter: Voter<'_>,
    ) -> Result<i64> {
        if !self.may_participate(scope, conv) {
            return Err(Error::Forbidden);
        }
        match voter {
            Voter::User(uid) if scope.viewer_id() != Some(uid) => return Err(Error::Forbidden),
            Voter::Cookie(c) if scope.viewer.is_some() || c.len() < 16 => {
                return Err(Error::Forbidden)
            }
            _ => {}
        }
        if let Some(id) = self.find_participant(conv, voter).await? {
            return Ok(id);
        }
        let (uid, hash) = match voter {
            Voter::User(uid) => (Some(uid), None),
            Voter::Cookie(c) => (None, Some(self.keys.lookup_hash("opinion.participant", c)?)),
        };
        let inserted = sqlx::query(
            "INSERT INTO opinion_participants (conversation_id, user_id, cookie_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(conv.id)
        .bind(uid)
        .bind(hash)
        .bind(now())
        .fetch_one(&self.pool)
        .await;
        match inserted {
            Ok(row) => int(&row, "id"),
            Err(e) if crate::storage::is_unique_violation(&e) => self
                .find_participant(conv, voter)
                .await?
                .ok_or_else(|| Error::Internal("participant vanished".into())),
            Err(e) => Err(e.into()),
        }
    }

    /// Adds a statement. An organiser's statement is a seed, approved at once; a
    /// participant's waits for moderation and needs the conversation to allow it.
    pub async fn add_statement(
        &self,
        scope: &Scope,
        conv: &Conversation,
        participant: Option<i64>,
        body: &str,
    ) -> Result<i64> {
        let body = validate_statement(body)?;
        let organiser = scope.is_organiser();
        let may_write = conv.allow_statements && self.may_participate(scope, conv);
        if !(organiser || may_write) {
            return Err(Error::Forbidden);
        }
        if !organiser && participant.is_none() {
            return Err(Error::Forbidden);
        }
        let status = if organiser {
            Status::Approved
        } else {
            Status::Pending
        };
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO opinion_statements (conversation_id, author_participant_id, body, status, is_seed, created_at, moderated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(conv.id)
        .bind(participant)
        .bind(&body)
        .bind(status.as_str())
        .bind(organiser as i64)
        .bind(now())
        .bind(organiser.then(now))
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        if organiser {
            bump_version(&mut tx, conv.id).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn statements_where(
        &self,
        conv: &Conversation,
        cond: &str,
        arg: Option<i64>,
    ) -> Result<Vec<Statement>> {
        let sql = format!(
            "SELECT id, body, status, is_seed, reject_reason, created_at FROM opinion_statements
             WHERE conversation_id = $1{cond} ORDER BY id"
        );
        let mut q = sqlx::query(&sql).bind(conv.id);
        if let Some(a) = arg {
            q = q.bind(a);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(statement_from_row)
            .collect()
    }

    /// The approved statements, oldest first.
    pub async fn approved_statements(&self, conv: &Conversation) -> Result<Vec<Statement>> {
        self.statements_where(conv, " AND status = 'approved'", None)
            .await
    }

    /// Statements awaiting moderation (organisers).
    pub async fn moderation_queue(
        &self,
        scope: &Scope,
        conv: &Conversation,
    ) -> Result<Vec<Statement>> {
        scope.require(Role::is_organiser)?;
        self.statements_where(conv, " AND status = 'pending'", None)
            .await
    }

    /// Every statement, whatever its status (organisers).
    pub async fn all_statements(
        &self,
        scope: &Scope,
        conv: &Conversation,
    ) -> Result<Vec<Statement>> {
        scope.require(Role::is_organiser)?;
        self.statements_where(conv, "", None).await
    }

    /// The statements a participant wrote, with the reason of any rejection.
    pub async fn statements_by(
        &self,
        conv: &Conversation,
        participant: i64,
    ) -> Result<Vec<Statement>> {
        self.statements_where(conv, " AND author_participant_id = $2", Some(participant))
            .await
    }

    /// Approves a statement, or rejects it with a reason shown to its author
    /// (organisers; audited). Votes on a rejected statement no longer count.
    pub async fn moderate(
        &self,
        scope: &Scope,
        conv: &Conversation,
        statement: i64,
        approve: bool,
        reason: &str,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let reason = reason.trim();
        if !approve {
            if reason.is_empty() {
                return Err(Error::invalid("reason", "error-required"));
            }
            if reason.chars().count() > MAX_REASON_CHARS {
                return Err(Error::invalid("reason", "error-too-long"));
            }
        }
        let status = if approve {
            Status::Approved
        } else {
            Status::Rejected
        };
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE opinion_statements SET status = $1, reject_reason = $2, moderated_at = $3 WHERE id = $4 AND conversation_id = $5",
        )
        .bind(status.as_str())
        .bind((!approve).then(|| reason.to_string()))
        .bind(now())
        .bind(statement)
        .bind(conv.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        bump_version(&mut tx, conv.id).await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: if approve {
                    AuditAction::StatementApprove
                } else {
                    AuditAction::StatementReject
                },
                target: format!("statement:{statement}"),
                detail: format!("{KIND}:{}", conv.id),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The next statement for a participant: an approved statement they have not
    /// voted on, those with fewest votes first, ties in an order fixed per participant.
    /// Also returns how many remain (including this one).
    pub async fn next_statement(
        &self,
        conv: &Conversation,
        participant: Option<i64>,
    ) -> Result<(Option<Statement>, usize)> {
        let mut conn = self.pool.acquire().await?;
        pick_next(&mut conn, conv.id, participant).await
    }

    /// Records a vote: one row per participant and statement, the latest wins. The
    /// statement must be approved and belong to the conversation.
    ///
    /// Votes go through one writer task per process that commits all votes waiting
    /// at that moment in one transaction (group commit), so concurrent voters do not
    /// contend for SQLite's write lock; each caller still learns its own outcome.
    pub async fn vote(
        &self,
        conv: &Conversation,
        participant: i64,
        statement: i64,
        vote: Vote,
    ) -> Result<()> {
        if !conv.is_open {
            return Err(Error::Forbidden);
        }
        let p = PendingVote {
            conv: conv.id,
            participant,
            statement,
            vote,
            at: now(),
        };
        let queue = self.extension(|db| VoteQueue::start(db.pool.clone()));
        let recorded = queue.0.submit(p).await?;
        if recorded {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// How many votes and voters a conversation has (on approved statements).
    pub async fn vote_counts(&self, conv: &Conversation) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT v.participant_id) AS p FROM opinion_votes v
             JOIN opinion_statements s ON s.id = v.statement_id
             WHERE v.conversation_id = $1 AND s.status = 'approved'",
        )
        .bind(conv.id)
        .fetch_one(&self.pool)
        .await?;
        Ok((int(&row, "n")?, int(&row, "p")?))
    }

    /// Every statement and vote, for the analysis (votes on statements that are
    /// not approved are left out).
    pub async fn vote_data(&self, conv: &Conversation) -> Result<VoteData> {
        let srows = sqlx::query(
            "SELECT id, body, status, is_seed, reject_reason, created_at, author_participant_id FROM opinion_statements
             WHERE conversation_id = $1 ORDER BY id",
        )
        .bind(conv.id)
        .fetch_all(&self.pool)
        .await?;
        let mut statements = Vec::with_capacity(srows.len());
        let mut participants = Vec::new();
        for r in &srows {
            let author = opt_int(r, "author_participant_id")?;
            if let Some(a) = author {
                participants.push(a);
            }
            statements.push((statement_from_row(r)?, author));
        }
        let vrows = sqlx::query(
            "SELECT v.statement_id, v.participant_id, v.vote, v.voted_at FROM opinion_votes v
             JOIN opinion_statements s ON s.id = v.statement_id
             WHERE v.conversation_id = $1 AND s.status = 'approved' ORDER BY v.participant_id, v.statement_id",
        )
        .bind(conv.id)
        .fetch_all(&self.pool)
        .await?;
        let mut votes = Vec::with_capacity(vrows.len());
        for r in &vrows {
            let p = int(r, "participant_id")?;
            participants.push(p);
            votes.push((
                int(r, "statement_id")?,
                p,
                Vote::from_i64(int(r, "vote")?)
                    .ok_or_else(|| Error::Internal("unknown vote".into()))?,
                int(r, "voted_at")?,
            ));
        }
        participants.sort_unstable();
        participants.dedup();
        Ok(VoteData {
            statements,
            participants,
            votes,
        })
    }

    /// The cached analysis of a conversation, if it was computed at its current version.
    pub async fn cached_analysis(&self, conv: &Conversation) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT result FROM opinion_analysis WHERE conversation_id = $1 AND version = $2",
        )
        .bind(conv.id)
        .bind(conv.version)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| text(&r, "result")).transpose()
    }

    /// Stores the analysis computed at `version`.
    pub async fn store_analysis(
        &self,
        conv: &Conversation,
        version: i64,
        result: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO opinion_analysis (conversation_id, version, computed_at, result) VALUES ($1, $2, $3, $4)
             ON CONFLICT (conversation_id) DO UPDATE SET version = excluded.version, computed_at = excluded.computed_at, result = excluded.result",
        )
        .bind(conv.id)
        .bind(version)
        .bind(now())
        .bind(result)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records an export of a conversation's data (roles that may export; audited).
    pub async fn audit_opinion_export(
        &self,
        scope: &Scope,
        conv: &Conversation,
        format: &str,
    ) -> Result<()> {
        scope.require(Role::may_export)?;
        self.audit(Event {
            space_id: Some(scope.space.id),
            user_id: scope.viewer_id(),
            action: AuditAction::Export,
            target: format!("{KIND}:{}", conv.id),
            detail: format!("format={format}"),
        })
        .await?;
        Ok(())
    }

    /// Creates a conversation from a Polis export (organisers; audited). Everything
    /// is written in one transaction: all or nothing.
    pub async fn import_polis(
        &self,
        scope: &Scope,
        new: &NewConversation,
        data: &polis::PolisData,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.insert_conversation(&mut tx, scope, new).await?;
        let t = now();
        // Participants, in order of their Polis id.
        let mut voters: Vec<&str> = data.votes.iter().map(|v| v.voter.as_str()).collect();
        voters.extend(data.statements.iter().filter_map(|s| s.author.as_deref()));
        voters.sort_unstable();
        voters.dedup();
        let mut pid = std::collections::HashMap::new();
        for v in voters {
            let row = sqlx::query(
                "INSERT INTO opinion_participants (conversation_id, user_id, cookie_hash, created_at) VALUES ($1, NULL, $2, $3) RETURNING id",
            )
            .bind(id)
            .bind(format!("import:{v}"))
            .bind(t)
            .fetch_one(&mut *tx)
            .await?;
            pid.insert(v.to_string(), int(&row, "id")?);
        }
        let mut sid = std::collections::HashMap::new();
        for s in &data.statements {
            let status = match s.moderated {
                1 => Status::Approved,
                -1 => Status::Rejected,
                _ => Status::Pending,
            };
            let row = sqlx::query(
                "INSERT INTO opinion_statements (conversation_id, author_participant_id, body, status, is_seed, created_at, moderated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(id)
            .bind(s.author.as_ref().and_then(|a| pid.get(a).copied()))
            .bind(&s.body)
            .bind(status.as_str())
            .bind(s.is_seed as i64)
            .bind(s.timestamp_ms.map(|ms| ms / 1000).unwrap_or(t))
            .fetch_one(&mut *tx)
            .await?;
            sid.insert(s.id.clone(), int(&row, "id")?);
        }
        let mut rows = Vec::with_capacity(data.votes.len());
        for v in &data.votes {
            let (Some(&s), Some(&p)) = (sid.get(&v.statement), pid.get(&v.voter)) else {
                return Err(Error::Internal("import refers to an unknown id".into()));
            };
            rows.push((s, p, v.vote, v.timestamp_ms / 1000));
        }
        insert_votes(&mut tx, id, &rows).await?;
        bump_version(&mut tx, id).await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::OpinionImport,
                target: format!("{KIND}:{id}"),
                detail: format!(
                    "statements={} votes={}",
                    data.statements.len(),
                    data.votes.len()
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// The next statement for a participant (see [`Db::next_statement`]), on a
/// connection or inside a transaction.
pub(crate) async fn pick_next(
    conn: &mut sqlx::AnyConnection,
    conv: i64,
    participant: Option<i64>,
) -> Result<(Option<Statement>, usize)> {
    let p = participant.unwrap_or(-1);
    let rows = sqlx::query(
        "SELECT s.id, s.body, s.status, s.is_seed, s.reject_reason, s.created_at,
                s.vote_count AS n
         FROM opinion_statements s
         WHERE s.conversation_id = $1 AND s.status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM opinion_votes m WHERE m.statement_id = s.id AND m.participant_id = $2)",
    )
    .bind(conv)
    .bind(p)
    .fetch_all(&mut *conn)
    .await?;
    let mut best: Option<(i64, u64, Statement)> = None;
    for r in &rows {
        let s = statement_from_row(r)?;
        let key = (int(r, "n")?, tie_break(p, s.id));
        if best.as_ref().is_none_or(|(n, t, _)| key < (*n, *t)) {
            best = Some((key.0, key.1, s));
        }
    }
    Ok((best.map(|b| b.2), rows.len()))
}

/// Writes one vote inside `tx` (the latest vote of a pair wins); whether it was
/// recorded: its statement is approved and in the conversation. The caller bumps
/// the conversation's version and the statement's vote count.
async fn insert_vote_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    v: &PendingVote,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO opinion_votes (statement_id, participant_id, conversation_id, vote, voted_at)
         SELECT s.id, $1, s.conversation_id, $2, $3 FROM opinion_statements s
         WHERE s.id = $4 AND s.conversation_id = $5 AND s.status = 'approved'
         ON CONFLICT (statement_id, participant_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
    )
    .bind(v.participant)
    .bind(v.vote.as_i64())
    .bind(v.at)
    .bind(v.statement)
    .bind(v.conv)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Records one vote inside the caller's transaction, as [`Db::vote`] does (for the
/// votes that arrive by SMS, stored with their text).
pub(crate) async fn vote_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    conv: i64,
    participant: i64,
    statement: i64,
    vote: Vote,
    at: i64,
) -> Result<bool> {
    bump_version(tx, conv).await?;
    let v = PendingVote {
        conv,
        participant,
        statement,
        vote,
        at,
    };
    let ok = insert_vote_in(tx, &v).await?;
    if ok {
        sqlx::query("UPDATE opinion_statements SET vote_count = vote_count + 1 WHERE id = $1")
            .bind(statement)
            .execute(&mut **tx)
            .await?;
    }
    Ok(ok)
}

/// A vote waiting for the writer.
#[derive(Debug, Clone, Copy)]
struct PendingVote {
    conv: i64,
    participant: i64,
    statement: i64,
    vote: Vote,
    at: i64,
}

/// Most votes committed in one transaction.
const GROUP_COMMIT_MAX: usize = 512;

/// The process' vote writer (see [`Db::vote`]).
struct VoteQueue(GroupCommit<PendingVote, bool>);

impl VoteQueue {
    fn start(pool: sqlx::AnyPool) -> VoteQueue {
        let write: WriteBatch<PendingVote, bool> = Arc::new(move |votes| {
            let pool = pool.clone();
            Box::pin(async move { write_votes(&pool, &votes).await })
        });
        // Writing a vote again changes nothing: a later vote of the same pair wins.
        VoteQueue(GroupCommit::start(
            GROUP_COMMIT_MAX,
            WhenLost::WriteAgain,
            write,
        ))
    }
}

/// Writes votes in one transaction, in order (a later vote of the same pair wins);
/// returns for each whether it was recorded (its statement is approved and in the
/// conversation). Bumps the version of every conversation voted in.
async fn write_votes(pool: &sqlx::AnyPool, votes: &[PendingVote]) -> Result<Vec<bool>> {
    let mut tx = pool.begin().await?;
    // Write first, so the transaction holds the write lock before it reads (a read
    // snapshot could not be upgraded to a write after another commit, on SQLite).
    let convs: std::collections::BTreeSet<i64> = votes.iter().map(|v| v.conv).collect();
    for c in &convs {
        bump_version(&mut tx, *c).await?;
    }
    let mut done = Vec::with_capacity(votes.len());
    // Votes cast per statement (a changed vote counts again), for the counters that
    // order the next statement: cheap, and exact enough for "fewest votes first".
    let mut new_votes: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for v in votes {
        let ok = insert_vote_in(&mut tx, v).await?;
        if ok {
            *new_votes.entry(v.statement).or_default() += 1;
        }
        done.push(ok);
    }
    for (statement, n) in new_votes {
        sqlx::query("UPDATE opinion_statements SET vote_count = vote_count + $1 WHERE id = $2")
            .bind(n)
            .bind(statement)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Marks the conversation's results as stale.
async fn bump_version(tx: &mut sqlx::Transaction<'static, sqlx::Any>, conv: i64) -> Result<()> {
    sqlx::query("UPDATE opinion_conversations SET version = version + 1 WHERE record_id = $1")
        .bind(conv)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes many votes (statement, participant, vote, when) in multi-row INSERTs; a
/// later vote of the same pair replaces an earlier one.
pub(crate) async fn insert_votes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    conv: i64,
    rows: &[(i64, i64, Vote, i64)],
) -> Result<()> {
    // Keep the latest vote of each pair, so one INSERT never names a pair twice.
    let mut latest: std::collections::HashMap<(i64, i64), (Vote, i64)> =
        std::collections::HashMap::with_capacity(rows.len());
    for &(s, p, v, at) in rows {
        let e = latest.entry((s, p)).or_insert((v, at));
        if at >= e.1 {
            *e = (v, at);
        }
    }
    let mut all: Vec<_> = latest.into_iter().collect();
    all.sort_unstable_by_key(|(k, _)| *k);
    for chunk in all.chunks(BATCH_ROWS) {
        let mut sql = String::from(
            "INSERT INTO opinion_votes (statement_id, participant_id, conversation_id, vote, voted_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            ));
        }
        sql.push_str(
            " ON CONFLICT (statement_id, participant_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
        );
        let mut q = sqlx::query(&sql);
        for ((s, p), (v, at)) in chunk {
            q = q.bind(*s).bind(*p).bind(conv).bind(v.as_i64()).bind(*at);
        }
        q.execute(&mut **tx).await?;
    }
    sqlx::query(
        "UPDATE opinion_statements SET vote_count =
           (SELECT COUNT(*) FROM opinion_votes v WHERE v.statement_id = opinion_statements.id)
         WHERE conversation_id = $1",
    )
    .bind(conv)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_length() {
        assert!(validate_statement("  ").is_err());
        assert_eq!(
            validate_statement(" Open the crossing ").unwrap(),
            "Open the crossing"
        );
        assert!(validate_statement(&"ا".repeat(MAX_STATEMENT_CHARS)).is_ok());
        assert!(validate_statement(&"ا".repeat(MAX_STATEMENT_CHARS + 1)).is_err());
    }

    #[test]
    fn tie_break_differs_between_participants() {
        let order = |p: i64| {
            let mut v: Vec<i64> = (1..=20).collect();
            v.sort_by_key(|&s| tie_break(p, s));
            v
        };
        assert_eq!(order(1), order(1));
        assert_ne!(order(1), order(2));
    }
}
