//! Inbound texts: each text a gateway delivers is stored and routed, in one
//! transaction, to what it causes: the opt-out keywords first, then DELETE, then the
//! features that converse by SMS (polls today). Concurrent webhooks share one
//! transaction (group commit), and each is answered only after it commits.
//!
//! This module sits above the SMS dispatcher ([`crate::sms`]) and the features it
//! routes to, so that the dispatcher depends on none of them.

use crate::crypto::normalise_phone;
use crate::error::{Error, Invalid, Result};
use crate::sms::{
    keywords, Channel, InboundSms, Keyword, Receipt, ReplyMode, CTX_BODY_IN, CTX_BODY_OUT,
    CTX_PHONE, HASH_PHONE,
};
use crate::storage::group_commit::{GroupCommit, WhenLost, WriteBatch};
use crate::storage::{int, Db};
use crate::util::now;
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
    polls: std::sync::Arc<Vec<crate::polls::Poll>>,
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
    let arabic_script = text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    let lang = if arabic_script { "ur" } else { "en" };
    match kw {
        Keyword::Stop => crate::i18n::reply(lang, "sms-reply-stop", &[]),
        Keyword::Start => crate::i18n::reply(lang, "sms-reply-start", &[]),
        Keyword::Delete => crate::polls::sms::deleted_reply(text),
    }
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
            None => "unmatched",
        };
        // Polls are read before the transaction, through the visibility rule.
        let polls = match keyword {
            None => self.sms_polls(ch.space_id).await?,
            Some(_) => Default::default(),
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
                replies.push(crate::polls::sms::deleted_reply(&p.text));
            }
            None => {
                if let Some(more) = self
                    .sms_converse_in(tx, ch, phone, phone_hash, &p.text, t, &p.polls)
                    .await?
                {
                    replies.extend(more);
                }
            }
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
}
