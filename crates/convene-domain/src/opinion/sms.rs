//! Opinion conversations by SMS, inside the transaction that stores the inbound
//! text (see [`crate::inbound`]).
//!
//! The rules (docs/sms.md):
//! - A conversation an outsider may read (public level, public space) with an SMS
//!   keyword is started by texting the keyword; that makes it the phone's current
//!   flow and pauses the one before.
//! - Each statement comes in one text; the reply 1 agrees, 2 disagrees, 3 passes
//!   (digits in any script, or the English words). The vote is stored as a web
//!   vote is, under one participant per phone, so it counts in the groups alike.
//! - Any other text of two words or more is the participant's own statement, which
//!   waits for moderation as a web participant's does (when the conversation takes
//!   statements); one unreadable word gets the hint.
//! - A closed conversation answers that it is closed.
//! - DELETE removes the phone's SMS participants of the space, with their votes.

use std::sync::Arc;

use super::{pick_next, validate_statement, vote_in, Conversation, Statement, Vote, KIND};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::Role;
use crate::sms::flows::{self, Flow};
use crate::storage::space_cache::SpaceCache;
use crate::storage::{int, opt_int, text, Db};
use crate::util::{clean_word, fold_digits, reply_language};

use crate::access::Scope;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A conversation reachable by SMS: read through the visibility rule as an outsider.
#[derive(Debug, Clone)]
pub struct SmsConversation {
    pub conversation: Conversation,
    pub keyword: String,
}

type ConversationCache = SpaceCache<Vec<SmsConversation>>;

fn say(lang: &str, key: &str) -> String {
    crate::i18n::reply(lang, key, &[])
}

/// Reads a reply as a vote: 1, 2 or 3 in any script, or agree, disagree, pass.
pub fn parse_vote(typed: &str) -> Option<Vote> {
    match fold_digits(&clean_word(typed)).as_str() {
        "1" | "agree" => Some(Vote::Agree),
        "2" | "disagree" => Some(Vote::Disagree),
        "3" | "pass" => Some(Vote::Pass),
        _ => None,
    }
}

/// A statement as one text, with how to answer it.
fn prompt(s: &Statement, lang: &str) -> String {
    format!("{}\n{}", s.body, say(lang, "opinion-sms-how"))
}

impl Db {
    /// The conversations of a space an inbound text may reach: those an outsider may
    /// read that have a keyword. Reused for up to a second, like the polls.
    pub(crate) async fn sms_conversations(
        &self,
        space_id: i64,
    ) -> Result<Arc<Vec<SmsConversation>>> {
        let cache = self.extension(|_| ConversationCache::default());
        if let Some(c) = cache.fresh(space_id) {
            return Ok(c);
        }
        let rows = sqlx::query(
            "SELECT ref_id, keyword FROM sms_keywords WHERE space_id = $1 AND flow = $2",
        )
        .bind(space_id)
        .bind(Flow::Opinion.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        if !rows.is_empty() {
            let scope = self.outsider_scope_of(space_id).await?;
            let visible = self.conversations(&scope).await?;
            for r in &rows {
                let id = int(r, "ref_id")?;
                if let Some(c) = visible.iter().find(|c| c.id == id) {
                    out.push(SmsConversation {
                        conversation: c.clone(),
                        keyword: text(r, "keyword")?,
                    });
                }
            }
        }
        let out = Arc::new(out);
        cache.put(space_id, out.clone());
        Ok(out)
    }

    /// A conversation's SMS keyword, if it has one.
    pub async fn conversation_keyword(&self, conv: &Conversation) -> Result<Option<String>> {
        let row = sqlx::query("SELECT keyword FROM sms_keywords WHERE flow = $1 AND ref_id = $2")
            .bind(Flow::Opinion.as_str())
            .bind(conv.id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| text(&r, "keyword")).transpose()
    }

    /// Gives a conversation an SMS keyword, or takes it away with `None`
    /// (organisers; audited). Only a conversation at the public level may have one,
    /// since a text comes from anyone.
    pub async fn set_conversation_keyword(
        &self,
        scope: &Scope,
        conv: &Conversation,
        keyword: Option<&str>,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let keyword = match keyword.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => Some(
                flows::normalise_keyword(k)
                    .ok_or_else(|| Error::invalid("keyword", "poll-error-keyword"))?,
            ),
            None => None,
        };
        if keyword.is_some() && conv.level != crate::model::Level::Public {
            return Err(Error::invalid("keyword", "opinion-error-keyword-level"));
        }
        let mut tx = self.pool.begin().await?;
        flows::release_in(&mut tx, Flow::Opinion, conv.id).await?;
        if let Some(k) = &keyword {
            flows::reserve_in(&mut tx, scope.space.id, k, Flow::Opinion, conv.id).await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ConversationSettings,
                target: format!("{KIND}:{}", conv.id),
                detail: format!("sms_keyword={}", keyword.as_deref().unwrap_or("-")),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_sms_conversations(scope.space.id);
        Ok(())
    }

    /// Forgets the cached conversations of a space (after one changed).
    pub(crate) fn forget_sms_conversations(&self, space_id: i64) {
        self.extension(|_| ConversationCache::default())
            .forget(space_id);
    }

    /// The phone's participant in a conversation and its SMS state, made on first
    /// use: (participant, awaited statement, re-asked, language).
    async fn sms_participant_in(
        &self,
        tx: &mut Tx,
        conv: &Conversation,
        phone_hash: &str,
        lang: &str,
        t: i64,
    ) -> Result<(i64, Option<i64>, bool, String)> {
        if let Some(r) = sqlx::query(
            "SELECT participant_id, awaiting, reasked, language FROM opinion_sms
             WHERE conversation_id = $1 AND phone_hash = $2",
        )
        .bind(conv.id)
        .bind(phone_hash)
        .fetch_optional(&mut **tx)
        .await?
        {
            return Ok((
                int(&r, "participant_id")?,
                opt_int(&r, "awaiting")?,
                int(&r, "reasked")? != 0,
                text(&r, "language")?,
            ));
        }
        // One participant per phone and conversation, known by the phone's keyed
        // hash in a namespace of its own.
        let key = format!("sms:{phone_hash}");
        sqlx::query(
            "INSERT INTO opinion_participants (conversation_id, user_id, cookie_hash, created_at)
             VALUES ($1, NULL, $2, $3) ON CONFLICT (conversation_id, cookie_hash) DO NOTHING",
        )
        .bind(conv.id)
        .bind(&key)
        .bind(t)
        .execute(&mut **tx)
        .await?;
        let row = sqlx::query(
            "SELECT id FROM opinion_participants WHERE conversation_id = $1 AND cookie_hash = $2",
        )
        .bind(conv.id)
        .bind(&key)
        .fetch_one(&mut **tx)
        .await?;
        let participant = int(&row, "id")?;
        sqlx::query(
            "INSERT INTO opinion_sms (conversation_id, phone_hash, space_id, participant_id, language, awaiting, updated_at)
             VALUES ($1, $2, $3, $4, $5, NULL, $6)",
        )
        .bind(conv.id)
        .bind(phone_hash)
        .bind(conv.space_id)
        .bind(participant)
        .bind(lang)
        .bind(t)
        .execute(&mut **tx)
        .await?;
        Ok((participant, None, false, lang.to_string()))
    }

    async fn sms_await_in(
        &self,
        tx: &mut Tx,
        conv: &Conversation,
        phone_hash: &str,
        awaiting: Option<i64>,
        reasked: bool,
        t: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE opinion_sms SET awaiting = $1, reasked = $2, updated_at = $3
             WHERE conversation_id = $4 AND phone_hash = $5",
        )
        .bind(awaiting)
        .bind(reasked as i64)
        .bind(t)
        .bind(conv.id)
        .bind(phone_hash)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The next statement for the participant as a text, and awaits it; the
    /// closing words when none is left.
    async fn sms_next_in(
        &self,
        tx: &mut Tx,
        c: &SmsConversation,
        participant: i64,
        phone_hash: &str,
        lang: &str,
        t: i64,
    ) -> Result<String> {
        let (next, _) = pick_next(tx, c.conversation.id, Some(participant)).await?;
        self.sms_await_in(
            tx,
            &c.conversation,
            phone_hash,
            next.as_ref().map(|s| s.id),
            false,
            t,
        )
        .await?;
        Ok(match next {
            Some(s) => prompt(&s, lang),
            None => crate::i18n::reply(lang, "opinion-sms-done", &[("keyword", c.keyword.clone())]),
        })
    }

    /// Starts or resumes a conversation for the phone (its keyword was texted).
    pub(crate) async fn opinion_sms_start_in(
        &self,
        tx: &mut Tx,
        c: &SmsConversation,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let lang = reply_language(typed);
        if !c.conversation.is_open {
            return Ok(vec![say(lang, "opinion-sms-closed")]);
        }
        let (participant, _, _, lang) = self
            .sms_participant_in(tx, &c.conversation, phone_hash, lang, t)
            .await?;
        let next = self
            .sms_next_in(tx, c, participant, phone_hash, &lang, t)
            .await?;
        let topic: String = c.conversation.topic.chars().take(80).collect();
        Ok(vec![format!("{topic}\n{next}")])
    }

    /// Reads a text sent while the conversation is the phone's current flow.
    pub(crate) async fn opinion_sms_reply_in(
        &self,
        tx: &mut Tx,
        c: &SmsConversation,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let conv = &c.conversation;
        let (participant, awaiting, reasked, lang) = self
            .sms_participant_in(tx, conv, phone_hash, reply_language(typed), t)
            .await?;
        if !conv.is_open {
            return Ok(vec![say(&lang, "opinion-sms-closed")]);
        }
        if let Some(vote) = parse_vote(typed) {
            if let Some(statement) = awaiting {
                vote_in(tx, conv.id, participant, statement, vote, t).await?;
            }
            return Ok(vec![
                self.sms_next_in(tx, c, participant, phone_hash, &lang, t)
                    .await?,
            ]);
        }
        let current = match awaiting {
            Some(id) => sqlx::query(
                "SELECT id, body, status, is_seed, reject_reason, created_at FROM opinion_statements
                 WHERE id = $1 AND status = 'approved'",
            )
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| super::statement_from_row(&r))
            .transpose()?,
            None => None,
        };
        if typed.split_whitespace().count() >= 2 && conv.allow_statements {
            let mut out = Vec::new();
            match validate_statement(typed) {
                Ok(body) => {
                    sqlx::query(
                        "INSERT INTO opinion_statements (conversation_id, author_participant_id, body, status, is_seed, created_at)
                         VALUES ($1, $2, $3, 'pending', 0, $4)",
                    )
                    .bind(conv.id)
                    .bind(participant)
                    .bind(body)
                    .bind(t)
                    .execute(&mut **tx)
                    .await?;
                    out.push(say(&lang, "opinion-sms-submitted"));
                }
                Err(_) => out.push(say(&lang, "opinion-sms-too-long")),
            }
            if let Some(s) = &current {
                out.push(prompt(s, &lang));
            }
            return Ok(out);
        }
        // One unreadable word: the hint with the statement again, once; then the
        // hint alone.
        self.sms_await_in(tx, conv, phone_hash, awaiting, true, t)
            .await?;
        Ok(vec![match (&current, reasked) {
            (Some(s), false) => format!("{}\n{}", say(&lang, "opinion-sms-hint"), s.body),
            _ => say(&lang, "opinion-sms-hint"),
        }])
    }

    /// Deletes the phone's SMS participants in a space, with their votes and
    /// statements' authorship (DELETE); returns how many.
    pub(crate) async fn opinion_sms_delete_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<u64> {
        let rows = sqlx::query(
            "SELECT conversation_id, participant_id FROM opinion_sms WHERE space_id = $1 AND phone_hash = $2",
        )
        .bind(space_id)
        .bind(phone_hash)
        .fetch_all(&mut **tx)
        .await?;
        for r in &rows {
            let conv = int(r, "conversation_id")?;
            sqlx::query("DELETE FROM opinion_participants WHERE id = $1")
                .bind(int(r, "participant_id")?)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "UPDATE opinion_statements SET vote_count =
                   (SELECT COUNT(*) FROM opinion_votes v WHERE v.statement_id = opinion_statements.id)
                 WHERE conversation_id = $1",
            )
            .bind(conv)
            .execute(&mut **tx)
            .await?;
            super::bump_version(tx, conv).await?;
        }
        if !rows.is_empty() {
            self.audit_in(
                tx,
                Event {
                    space_id: Some(space_id),
                    user_id: None,
                    action: AuditAction::OpinionParticipantDelete,
                    target: format!("space:{space_id}"),
                    detail: format!("participants={} by=sms-keyword", rows.len()),
                },
            )
            .await?;
        }
        Ok(rows.len() as u64)
    }
}

/// The keyword list line of a conversation, for help and for the list of what is
/// open.
pub fn listing(c: &SmsConversation) -> String {
    let topic: String = c.conversation.topic.chars().take(40).collect();
    format!("{}: {topic}", c.keyword)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_in_any_script() {
        assert_eq!(parse_vote("1"), Some(Vote::Agree));
        assert_eq!(parse_vote(" ۲ "), Some(Vote::Disagree));
        assert_eq!(parse_vote("٣."), Some(Vote::Pass));
        assert_eq!(parse_vote("३"), Some(Vote::Pass));
        assert_eq!(parse_vote("Agree!"), Some(Vote::Agree));
        assert_eq!(parse_vote("4"), None);
        assert_eq!(parse_vote("12"), None);
        assert_eq!(parse_vote("we agree"), None);
    }
}
