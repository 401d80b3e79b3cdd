//! Inbound texts: each text a gateway delivers is stored and routed, in one
//! transaction, to what it causes: the opt-out keywords first, then DELETE and
//! HELP, then a flow's keyword (a poll's, a conversation's), which makes that flow
//! the phone's current one and pauses the one before, and otherwise the current
//! flow, which alone reads bare replies. Concurrent webhooks share one transaction
//! (group commit), and each is answered only after it commits.
//!
//! This module sits above the SMS dispatcher ([`crate::sms`]) and the features it
//! routes to, so that the dispatcher depends on none of them.

use crate::crypto::normalise_phone;
use crate::error::{Error, Invalid, Result};
use crate::opinion::sms::{listing, SmsConversation};
use crate::sms::flows::{self, Flow};
use crate::sms::{
    keywords, Channel, InboundSms, Keyword, Receipt, ReplyMode, CTX_BODY_IN, CTX_BODY_OUT,
    CTX_PHONE, HASH_PHONE,
};
use crate::storage::group_commit::{GroupCommit, WhenLost, WriteBatch};
use crate::storage::{int, Db};
use crate::util::now;
use crate::util::{clean_word, reply_language};
use std::sync::Arc;

/// An inbound message checked and prepared outside the transaction: the polls it may
/// reach are read through the visibility rule before.
#[derive(Debug, Clone)]
pub(crate) struct PendingSms {
    ch: Channel,
    gateway_id: String,
    text: String,
    mode: ReplyMode,
    phone: String,
    phone_hash: String,
    keyword: Option<Keyword>,
    outcome: &'static str,
    polls: Arc<Vec<crate::polls::Poll>>,
    conversations: Arc<Vec<SmsConversation>>,
    agendas: Arc<Vec<crate::agenda::sms::SmsAgenda>>,
    pledges: Arc<crate::campaign::pledges::SmsPledges>,
    /// An activity command (ACT, JOIN, LEAVE) with what it needs, and the space's
    /// time zone.
    activity: Option<(crate::activities::sms::Command, String)>,
    t: i64,
}

/// Most inbound messages committed in one transaction.
const GROUP_COMMIT_MAX: usize = 256;

/// The process' inbound writer: concurrent webhooks share one transaction (group
/// commit), and each caller is answered only after that transaction committed.
struct SmsQueue(GroupCommit<PendingSms, Receipt>);

impl SmsQueue {
    fn start(db: Db) -> SmsQueue {
        let write: WriteBatch<PendingSms, Receipt> = Arc::new(move |batch| {
            let db = db.clone();
            Box::pin(async move { db.store_batch(&batch).await })
        });
        // Whether a message whose writer stopped was stored is unknown: the gateway
        // is not acknowledged, and retries it.
        SmsQueue(GroupCommit::start(GROUP_COMMIT_MAX, WhenLost::Fail, write))
    }
}

fn validate_inbound(msg: &InboundSms) -> Result<String> {
    let mut problems = Vec::new();
    if msg.gateway_id.trim().is_empty() || msg.gateway_id.len() > 200 {
        problems.push(Invalid {
            field: "id",
            key: "error-required",
        });
    }
    let phone = normalise_phone(&msg.from);
    let digits = phone.trim_start_matches('+').len();
    if !(3..=16).contains(&digits) {
        problems.push(Invalid {
            field: "from",
            key: "error-phone",
        });
    }
    if msg.text.chars().count() > 1600 {
        problems.push(Invalid {
            field: "text",
            key: "error-too-long",
        });
    }
    if problems.is_empty() {
        Ok(phone)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The confirmation sent after a keyword, in the keyword's language when known.
fn keyword_reply(kw: Keyword, text: &str) -> String {
    let lang = reply_language(text);
    match kw {
        Keyword::Stop => crate::i18n::reply(lang, "sms-reply-stop", &[]),
        Keyword::Start => crate::i18n::reply(lang, "sms-reply-start", &[]),
        Keyword::Delete => crate::polls::sms::deleted_reply(text),
        Keyword::Help => crate::i18n::reply(lang, "sms-reply-help-none", &[]),
    }
}

/// The keywords of the conversations and agenda rounds a phone may start, one per
/// line.
fn conversation_lines(p: &PendingSms) -> Vec<String> {
    p.conversations
        .iter()
        .filter(|c| c.conversation.is_open)
        .map(listing)
        .chain(p.agendas.iter().map(crate::agenda::sms::listing))
        .chain(
            p.pledges
                .pledges
                .iter()
                .map(crate::campaign::pledges::listing),
        )
        .collect()
}

impl Db {
    /// Stores an inbound message and everything it causes, in one transaction.
    ///
    /// Opt-out and opt-in keywords are applied before anything else sees the text.
    /// A message the gateway delivered before (same gateway id) changes nothing.
    pub async fn receive_sms(
        &self,
        ch: &Channel,
        msg: &InboundSms,
        mode: ReplyMode,
    ) -> Result<Receipt> {
        let phone = validate_inbound(msg)?;
        let phone_hash = self.keys.lookup_hash(HASH_PHONE, &phone)?;
        let keyword = keywords::parse(&msg.text, &ch.languages);
        let outcome = match keyword {
            Some(Keyword::Stop) => "stop",
            Some(Keyword::Start) => "start",
            Some(Keyword::Delete) => "delete",
            Some(Keyword::Help) => "help",
            None => "unmatched",
        };
        // What a text may reach is read before the transaction, through the
        // visibility rule.
        let (polls, conversations, agendas, pledges) = match keyword {
            None | Some(Keyword::Help) => (
                self.sms_polls(ch.space_id).await?,
                self.sms_conversations(ch.space_id).await?,
                self.sms_agendas(ch.space_id).await?,
                self.sms_pledges(ch.space_id).await?,
            ),
            Some(_) => Default::default(),
        };
        let activity = match keyword {
            None => {
                self.prepare_activity_command(
                    ch.space_id,
                    &phone_hash,
                    &msg.text,
                    reply_language(&msg.text),
                )
                .await?
            }
            Some(_) => None,
        };
        let pending = PendingSms {
            ch: ch.clone(),
            gateway_id: msg.gateway_id.trim().to_string(),
            text: msg.text.clone(),
            mode,
            phone,
            phone_hash,
            keyword,
            outcome,
            polls,
            conversations,
            agendas,
            pledges,
            activity,
            t: now(),
        };
        self.store_inbound(pending).await
    }

    /// Stores prepared inbound messages in one transaction, in order.
    async fn store_batch(&self, batch: &[PendingSms]) -> Result<Vec<Receipt>> {
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(batch.len());
        for p in batch {
            out.push(self.receive_in(&mut tx, p).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Hands a prepared message to the writer and waits until it is committed.
    async fn store_inbound(&self, p: PendingSms) -> Result<Receipt> {
        let queue = self.extension(|db| SmsQueue::start(db.clone()));
        queue.0.submit(p).await
    }

    /// Stores one prepared inbound message and everything it causes inside `tx`.
    pub(crate) async fn receive_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        p: &PendingSms,
    ) -> Result<Receipt> {
        let (ch, t, keyword, mode) = (&p.ch, p.t, p.keyword, p.mode);
        let (phone, phone_hash, outcome) = (&p.phone, &p.phone_hash, p.outcome);
        let inserted = sqlx::query(
            "INSERT INTO sms_inbound (channel_id, gateway_id, phone_hash, phone_enc, body_enc, outcome, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (channel_id, gateway_id) DO NOTHING RETURNING id",
        )
        .bind(ch.id)
        .bind(p.gateway_id.as_str())
        .bind(phone_hash)
        .bind(self.keys.seal(CTX_PHONE, phone)?)
        .bind(self.keys.seal(CTX_BODY_IN, &p.text)?)
        .bind(outcome)
        .bind(t)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(row) = inserted else {
            let row =
                sqlx::query("SELECT id FROM sms_inbound WHERE channel_id = $1 AND gateway_id = $2")
                    .bind(ch.id)
                    .bind(p.gateway_id.as_str())
                    .fetch_one(&mut **tx)
                    .await?;
            return Ok(Receipt {
                inbound_id: int(&row, "id")?,
                duplicate: true,
                keyword,
                inline_replies: Vec::new(),
            });
        };
        let inbound_id = int(&row, "id")?;
        let mut replies = Vec::new();
        match keyword {
            Some(Keyword::Stop) => {
                sqlx::query(
                    "INSERT INTO sms_optouts (space_id, phone_hash, opted_out_at) VALUES ($1, $2, $3)
                     ON CONFLICT (space_id, phone_hash) DO NOTHING",
                )
                .bind(ch.space_id)
                .bind(phone_hash)
                .bind(t)
                .execute(&mut **tx)
                .await?;
                // Nothing still queued for this number leaves after a stop.
                sqlx::query(
                    "UPDATE sms_outbound SET status = 'cancelled', updated_at = $1
                     WHERE phone_hash = $2 AND status = 'queued'
                       AND channel_id IN (SELECT id FROM sms_channels WHERE space_id = $3)",
                )
                .bind(t)
                .bind(phone_hash)
                .bind(ch.space_id)
                .execute(&mut **tx)
                .await?;
                self.sms_pause_in(tx, ch.space_id, phone_hash, t).await?;
                flows::clear_current_in(tx, ch.space_id, phone_hash).await?;
                replies.push(keyword_reply(Keyword::Stop, &p.text));
            }
            Some(Keyword::Start) => {
                sqlx::query("DELETE FROM sms_optouts WHERE space_id = $1 AND phone_hash = $2")
                    .bind(ch.space_id)
                    .bind(phone_hash)
                    .execute(&mut **tx)
                    .await?;
                replies.push(keyword_reply(Keyword::Start, &p.text));
            }
            Some(Keyword::Delete) => {
                self.sms_delete_in(tx, ch, phone_hash).await?;
                self.opinion_sms_delete_in(tx, ch.space_id, phone_hash)
                    .await?;
                self.agenda_sms_delete_in(tx, ch.space_id, phone_hash)
                    .await?;
                self.pledge_sms_delete_in(tx, ch.space_id, phone_hash)
                    .await?;
                self.call_sms_delete_in(tx, ch.space_id, phone_hash).await?;
                self.digest_sms_delete_in(tx, ch.space_id, phone_hash)
                    .await?;
                self.rep_sms_delete_in(tx, ch.space_id, phone_hash).await?;
                flows::clear_current_in(tx, ch.space_id, phone_hash).await?;
                replies.push(crate::polls::sms::deleted_reply(&p.text));
            }
            Some(Keyword::Help) => {
                if !self.sms_opted_out_in(tx, ch.space_id, phone_hash).await? {
                    replies.push(help_reply(p));
                }
            }
            None => replies.extend(self.dispatch_in(tx, p).await?),
        }

        for body in &replies {
            let status = match mode {
                ReplyMode::Inline => "sent",
                ReplyMode::Queue => "queued",
            };
            sqlx::query(
                "INSERT INTO sms_outbound (channel_id, inbound_id, phone_hash, phone_enc, body_enc, status, next_attempt_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)",
            )
            .bind(ch.id)
            .bind(inbound_id)
            .bind(phone_hash)
            .bind(self.keys.seal(CTX_PHONE, phone)?)
            .bind(self.keys.seal(CTX_BODY_OUT, body)?)
            .bind(status)
            .bind(t)
            .execute(&mut **tx)
            .await?;
        }
        Ok(Receipt {
            inbound_id,
            duplicate: false,
            keyword,
            inline_replies: if mode == ReplyMode::Inline {
                replies
            } else {
                Vec::new()
            },
        })
    }

    /// Whether the phone opted out of the space (its texts are then stored only).
    async fn sms_opted_out_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM sms_optouts WHERE space_id = $1 AND phone_hash = $2",
        )
        .bind(space_id)
        .bind(phone_hash)
        .fetch_one(&mut **tx)
        .await?;
        Ok(int(&row, "n")? > 0)
    }

    /// Routes a text that is no STOP, START, DELETE or HELP word: a flow's keyword
    /// starts that flow; anything else goes to the current flow only.
    async fn dispatch_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        p: &PendingSms,
    ) -> Result<Vec<String>> {
        let (ch, t, phone_hash) = (&p.ch, p.t, p.phone_hash.as_str());
        if self.sms_opted_out_in(tx, ch.space_id, phone_hash).await? {
            return Ok(Vec::new());
        }
        // Commands (ACT, JOIN, LEAVE) answer at once and leave the current flow be.
        if let Some((cmd, tz)) = &p.activity {
            return self
                .activity_command_in(
                    tx,
                    ch,
                    &p.phone,
                    phone_hash,
                    cmd,
                    t,
                    reply_language(&p.text),
                    tz,
                )
                .await;
        }
        let words: Vec<&str> = p.text.split_whitespace().collect();
        let keyword = match words.as_slice() {
            [first] | [first, _] => flows::normalise_keyword(&clean_word(first)),
            _ => None,
        };
        let target = match &keyword {
            Some(k) => flows::by_keyword_in(tx, ch.space_id, k).await?,
            None => None,
        };
        let conversation = |id: i64| p.conversations.iter().find(|c| c.conversation.id == id);
        let agenda = |id: i64| p.agendas.iter().find(|a| a.id == id);
        match target {
            Some((Flow::Pledge, id)) => {
                if let Some(pl) = p.pledges.pledges.iter().find(|pl| pl.id == id) {
                    // Signing is one text: the current flow stays as it was.
                    return self
                        .pledge_sms_sign_in(
                            tx, &p.pledges, pl, ch.id, &p.phone, phone_hash, &p.text, t,
                        )
                        .await;
                }
            }
            Some((Flow::Write, _)) => {
                // Writing takes several texts: it becomes the current flow.
                self.sms_pause_in(tx, ch.space_id, phone_hash, t).await?;
                return self
                    .rep_sms_start_in(tx, ch.space_id, ch.id, phone_hash, &p.text, t)
                    .await;
            }
            Some((Flow::Digest, _)) => {
                return self
                    .digest_sms_subscribe_in(
                        tx,
                        ch.space_id,
                        ch.id,
                        &p.phone,
                        phone_hash,
                        &p.text,
                        t,
                    )
                    .await;
            }
            Some((Flow::Call, id)) => {
                // Signing up is one text: the current flow stays as it was.
                if let Some(replies) = self
                    .call_sms_sign_in(tx, ch.space_id, id, ch.id, &p.phone, phone_hash, &p.text, t)
                    .await?
                {
                    return Ok(replies);
                }
            }
            Some((Flow::Agenda, id)) => {
                if let Some(a) = agenda(id) {
                    self.sms_pause_in(tx, ch.space_id, phone_hash, t).await?;
                    flows::set_current_in(tx, ch.space_id, phone_hash, Flow::Agenda, id, t).await?;
                    return self
                        .agenda_sms_start_in(tx, a, phone_hash, &p.text, t)
                        .await;
                }
            }
            Some((Flow::Opinion, id)) => {
                if let Some(c) = conversation(id) {
                    // A new flow pauses the one before.
                    self.sms_pause_in(tx, ch.space_id, phone_hash, t).await?;
                    flows::set_current_in(tx, ch.space_id, phone_hash, Flow::Opinion, id, t)
                        .await?;
                    return self
                        .opinion_sms_start_in(tx, c, phone_hash, &p.text, t)
                        .await;
                }
            }
            Some((Flow::Poll, id)) if p.polls.iter().any(|poll| poll.id == id) => {
                flows::set_current_in(tx, ch.space_id, phone_hash, Flow::Poll, id, t).await?;
            }
            _ => {}
        }
        let current = flows::current_in(tx, ch.space_id, phone_hash).await?;
        if let (Some((Flow::Write, _)), None) = (current, target) {
            return self
                .rep_sms_reply_in(tx, ch.space_id, &p.phone, phone_hash, &p.text, t)
                .await;
        }
        if let (Some((Flow::Agenda, id)), None) = (current, target) {
            return match agenda(id) {
                Some(a) => {
                    self.agenda_sms_reply_in(tx, a, phone_hash, &p.text, t)
                        .await
                }
                None => {
                    flows::clear_current_in(tx, ch.space_id, phone_hash).await?;
                    Ok(vec![crate::i18n::reply(
                        reply_language(&p.text),
                        "agenda-sms-closed",
                        &[],
                    )])
                }
            };
        }
        if let Some((Flow::Opinion, id)) = current {
            if target.is_none() {
                return match conversation(id) {
                    Some(c) => {
                        self.opinion_sms_reply_in(tx, c, phone_hash, &p.text, t)
                            .await
                    }
                    None => {
                        // The conversation is no longer reachable by SMS.
                        flows::clear_current_in(tx, ch.space_id, phone_hash).await?;
                        Ok(vec![crate::i18n::reply(
                            reply_language(&p.text),
                            "opinion-sms-closed",
                            &[],
                        )])
                    }
                };
            }
        }
        let others = conversation_lines(p);
        self.sms_converse_in(tx, ch, &p.phone, phone_hash, &p.text, t, &p.polls, &others)
            .await
    }
}

/// The reply to HELP: every keyword the phone may text now, and how to stop.
fn help_reply(p: &PendingSms) -> String {
    let lang = reply_language(&p.text);
    let mut lines: Vec<String> = p
        .polls
        .iter()
        .filter(|poll| poll.accepting(p.t))
        .filter_map(|poll| {
            poll.keyword.as_ref().map(|k| {
                let title: String = poll.title.chars().take(40).collect();
                format!("{k}: {title}")
            })
        })
        .collect();
    lines.extend(conversation_lines(p));
    if lines.is_empty() {
        return crate::i18n::reply(lang, "sms-reply-help-none", &[]);
    }
    format!(
        "{}\n{}",
        crate::i18n::reply(lang, "sms-reply-help", &[]),
        lines.join("\n")
    )
}
