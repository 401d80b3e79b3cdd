//! SMS, the shared dispatcher: channels through a gateway (Twilio, Africa's
//! Talking, Kannel), opt-outs, and the outbound queue. What an inbound text causes
//! is decided by [`crate::inbound`], which routes it to the features that converse
//! by SMS; this module knows none of them.
//!
//! An inbound message is stored, with the opt-out keywords applied and any reply
//! queued, in one transaction; the web layer acknowledges the gateway only after it
//! commits, so an acknowledged message is never lost. The gateway's message id is
//! unique per channel, so a gateway's retry never creates a second message.
//! Phone numbers and texts are sealed; phone numbers are also kept as keyed hashes
//! for look-up.

pub mod flows;
pub mod keywords;
pub mod webhook;

use serde::{Deserialize, Serialize};

use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::crypto::normalise_phone;
use crate::error::{Error, Invalid, Result};
use crate::model::Role;
use crate::storage::{int, opt_text, text, Db};
use crate::util::{now, random_token, sha256_hex};

pub use keywords::Keyword;

/// Most attempts to send one message before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed outbound message is reserved for its sender, in seconds.
pub const SEND_LEASE_SECS: i64 = 60;
/// How long the texts and phone numbers of SMS conversations are kept, for
/// troubleshooting, before [`Db::sweep_sms_texts`] erases them: a week, as the
/// e-mail outbox keeps sent messages.
pub const KEEP_TEXTS_SECS: i64 = 7 * 86_400;

pub(crate) const CTX_PHONE: &str = "sms.phone";
pub(crate) const CTX_BODY_IN: &str = "sms_inbound.body";
pub(crate) const CTX_BODY_OUT: &str = "sms_outbound.body";
const CTX_SECRET: &str = "sms_channels.secret";
const CTX_KEY: &str = "sms_channels.key";
pub(crate) const HASH_PHONE: &str = "phone";

/// Milliseconds since the Unix epoch.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The SMS gateways Convene speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Gateway {
    Twilio,
    AfricasTalking,
    Kannel,
}

impl Gateway {
    pub const ALL: [Gateway; 3] = [Gateway::Twilio, Gateway::AfricasTalking, Gateway::Kannel];

    pub fn as_str(self) -> &'static str {
        match self {
            Gateway::Twilio => "twilio",
            Gateway::AfricasTalking => "africastalking",
            Gateway::Kannel => "kannel",
        }
    }

    pub fn parse(s: &str) -> Option<Gateway> {
        Gateway::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// Gateway-specific settings that are not secret.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Settings {
    /// Twilio: the account SID. Africa's Talking: the username. Kannel: the sendsms user.
    #[serde(default)]
    pub account: String,
}

/// An SMS channel of a space: one number (or short code) at one gateway.
#[derive(Clone)]
pub struct Channel {
    pub id: i64,
    pub space_id: i64,
    pub gateway: Gateway,
    pub name: String,
    pub number: String,
    pub settings: Settings,
    /// The gateway credential (Twilio auth token, Africa's Talking API key, Kannel
    /// sendsms password), decrypted.
    pub secret: String,
    /// Messages per second this channel may send.
    pub rate_per_sec: f64,
    /// Languages whose keywords are understood, besides English.
    pub languages: Vec<String>,
    /// The secret part of the channel's webhook addresses (for delivery-report URLs).
    pub key: String,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel")
            .field("id", &self.id)
            .field("gateway", &self.gateway)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What an organiser enters to add a channel.
#[derive(Debug, Clone)]
pub struct NewChannel {
    pub gateway: Gateway,
    pub name: String,
    pub number: String,
    pub settings: Settings,
    pub secret: String,
    pub rate_per_sec: f64,
    pub languages: Vec<String>,
}

/// A channel just created, with the secret part of its webhook addresses. The key is
/// shown once; only its hash is stored.
#[derive(Debug, Clone)]
pub struct CreatedChannel {
    pub id: i64,
    pub key: String,
}

/// An inbound text as a gateway delivered it.
#[derive(Debug, Clone)]
pub struct InboundSms {
    /// The gateway's own id of the message; a retry carries the same id.
    pub gateway_id: String,
    pub from: String,
    pub text: String,
}

/// How replies to an inbound message leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    /// In the response to the gateway's request (TwiML, Kannel's get-url body).
    Inline,
    /// Through the outbound queue.
    Queue,
}

/// What became of an inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub inbound_id: i64,
    /// The gateway had delivered this message before; nothing new was stored.
    pub duplicate: bool,
    pub keyword: Option<Keyword>,
    /// Replies to send in the response (inline mode only; queued replies are not here).
    pub inline_replies: Vec<String>,
}

/// A claimed outbound message, ready for its gateway.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub channel_id: i64,
    pub to: String,
    pub body: String,
    pub attempts: i64,
}

/// Delivery status of an outbound message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Delivered,
    Failed,
}

/// The result of trying to claim an outbound message of a channel.
#[derive(Debug, Clone)]
pub enum Claim {
    Message(Outgoing),
    /// The channel's rate allows the next message in this many milliseconds.
    Wait(i64),
    Empty,
}

fn validate_channel(new: &NewChannel) -> Result<()> {
    let mut problems = Vec::new();
    if new.name.trim().is_empty() || new.name.chars().count() > 100 {
        problems.push(Invalid {
            field: "name",
            key: "error-required",
        });
    }
    let digits = normalise_phone(&new.number);
    if digits.trim_start_matches('+').len() < 3 || digits.len() > 16 {
        problems.push(Invalid {
            field: "number",
            key: "error-sms-number",
        });
    }
    if new.secret.trim().is_empty() {
        problems.push(Invalid {
            field: "secret",
            key: "error-required",
        });
    }
    if !(new.rate_per_sec > 0.0 && new.rate_per_sec <= 1000.0) {
        problems.push(Invalid {
            field: "rate_per_sec",
            key: "error-sms-rate",
        });
    }
    if new
        .languages
        .iter()
        .any(|l| !keywords::LANGUAGES.contains(&l.as_str()))
    {
        problems.push(Invalid {
            field: "languages",
            key: "error-invalid",
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

impl Db {
    pub(crate) fn channel_from_row(&self, row: &sqlx::any::AnyRow) -> Result<Channel> {
        let gateway = Gateway::parse(&text(row, "gateway")?)
            .ok_or_else(|| Error::Internal("unknown gateway in sms_channels".into()))?;
        let settings: Settings = serde_json::from_str(&text(row, "settings")?)
            .map_err(|e| Error::Internal(format!("channel settings: {e}")))?;
        let secret_enc: Vec<u8> = sqlx::Row::try_get(row, "secret_enc")?;
        let key_enc: Vec<u8> = sqlx::Row::try_get(row, "key_enc")?;
        let languages = text(row, "languages")?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Channel {
            id: int(row, "id")?,
            space_id: int(row, "space_id")?,
            gateway,
            name: text(row, "name")?,
            number: text(row, "number")?,
            settings,
            secret: self.keys.open(CTX_SECRET, &secret_enc)?,
            rate_per_sec: sqlx::Row::try_get(row, "rate_per_sec")?,
            languages,
            key: self.keys.open(CTX_KEY, &key_enc)?,
        })
    }

    /// Adds an SMS channel to the scope's space (organisers and owners; audited).
    pub async fn create_sms_channel(
        &self,
        scope: &Scope,
        new: &NewChannel,
    ) -> Result<CreatedChannel> {
        scope.require(Role::is_organiser)?;
        validate_channel(new)?;
        let key = random_token(32)?;
        let settings = serde_json::to_string(&new.settings)
            .map_err(|e| Error::Internal(format!("channel settings: {e}")))?;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO sms_channels (space_id, gateway, name, number, key_hash, key_enc, secret_enc, settings, rate_per_sec, languages, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(scope.space.id)
        .bind(new.gateway.as_str())
        .bind(new.name.trim())
        .bind(normalise_phone(&new.number))
        .bind(sha256_hex(&key))
        .bind(self.keys.seal(CTX_KEY, &key)?)
        .bind(self.keys.seal(CTX_SECRET, new.secret.trim())?)
        .bind(settings)
        .bind(new.rate_per_sec)
        .bind(new.languages.join(","))
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::SmsChannelCreate,
                target: format!("sms_channel:{id}"),
                detail: new.gateway.as_str().to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(CreatedChannel { id, key })
    }

    /// The channels of the scope's space (organisers and owners).
    pub async fn sms_channels(&self, scope: &Scope) -> Result<Vec<Channel>> {
        scope.require(Role::is_organiser)?;
        let rows = sqlx::query("SELECT * FROM sms_channels WHERE space_id = $1 ORDER BY id")
            .bind(scope.space.id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| self.channel_from_row(r)).collect()
    }

    /// The channel whose webhook key is `key`, for the gateway's requests.
    pub async fn sms_channel_by_key(&self, key: &str) -> Result<Channel> {
        let row = sqlx::query("SELECT * FROM sms_channels WHERE key_hash = $1")
            .bind(sha256_hex(key))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        self.channel_from_row(&row)
    }

    /// Whether `phone` has opted out of the space's messages.
    pub async fn sms_opted_out(&self, space_id: i64, phone: &str) -> Result<bool> {
        let hash = self.keys.lookup_hash(HASH_PHONE, &normalise_phone(phone))?;
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM sms_optouts WHERE space_id = $1 AND phone_hash = $2",
        )
        .bind(space_id)
        .bind(hash)
        .fetch_one(&self.pool)
        .await?;
        Ok(int(&row, "n")? > 0)
    }

    /// Records an opt-out reported by the gateway itself (Africa's Talking's callback).
    pub async fn sms_gateway_opt_out(&self, ch: &Channel, phone: &str) -> Result<()> {
        let hash = self.keys.lookup_hash(HASH_PHONE, &normalise_phone(phone))?;
        let t = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sms_optouts (space_id, phone_hash, opted_out_at) VALUES ($1, $2, $3)
             ON CONFLICT (space_id, phone_hash) DO NOTHING",
        )
        .bind(ch.space_id)
        .bind(&hash)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE sms_outbound SET status = 'cancelled', updated_at = $1
             WHERE phone_hash = $2 AND status = 'queued' AND channel_id = $3",
        )
        .bind(t)
        .bind(&hash)
        .bind(ch.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The numbers the space's channels receive texts on (they are advertised
    /// beside every keyword, so whoever may read the space may see them).
    pub async fn sms_numbers(&self, scope: &Scope) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT number FROM sms_channels WHERE space_id = $1 AND number <> '' ORDER BY number",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| text(r, "number")).collect()
    }

    /// Queues a message to `to`; returns `None` (and queues nothing) when the number
    /// has opted out of the channel's space.
    pub async fn queue_sms(&self, ch: &Channel, to: &str, body: &str) -> Result<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let id = self.queue_sms_in(&mut tx, ch, to, body).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Db::queue_sms`] inside the caller's transaction.
    pub(crate) async fn queue_sms_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        ch: &Channel,
        to: &str,
        body: &str,
    ) -> Result<Option<i64>> {
        self.queue_sms_to_in(tx, ch.id, ch.space_id, to, body).await
    }

    /// Queues a message to `to` through channel `channel_id` of space `space_id`,
    /// inside the caller's transaction; `None` when the number opted out.
    pub(crate) async fn queue_sms_to_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        channel_id: i64,
        space_id: i64,
        to: &str,
        body: &str,
    ) -> Result<Option<i64>> {
        let phone = normalise_phone(to);
        if phone.trim_start_matches('+').len() < 3 {
            return Err(Error::invalid("to", "error-phone"));
        }
        if body.is_empty() || body.chars().count() > 1600 {
            return Err(Error::invalid("body", "error-too-long"));
        }
        let hash = self.keys.lookup_hash(HASH_PHONE, &phone)?;
        let t = now();
        let row = sqlx::query(
            "INSERT INTO sms_outbound (channel_id, phone_hash, phone_enc, body_enc, status, next_attempt_at, created_at, updated_at)
             SELECT $1, $2, $3, $4, 'queued', $5, $5, $5
             WHERE NOT EXISTS (SELECT 1 FROM sms_optouts WHERE space_id = $6 AND phone_hash = $2)
             RETURNING id",
        )
        .bind(channel_id)
        .bind(&hash)
        .bind(self.keys.seal(CTX_PHONE, &phone)?)
        .bind(self.keys.seal(CTX_BODY_OUT, body)?)
        .bind(t)
        .bind(space_id)
        .fetch_optional(&mut **tx)
        .await?;
        row.map(|r| int(&r, "id")).transpose()
    }

    /// The channels that have messages due now.
    pub async fn sms_channels_with_due(&self) -> Result<Vec<Channel>> {
        let t = now();
        let rows = sqlx::query(
            "SELECT * FROM sms_channels WHERE id IN (
                 SELECT DISTINCT channel_id FROM sms_outbound
                 WHERE status = 'queued' AND next_attempt_at <= $1 AND locked_until <= $1)
             ORDER BY id",
        )
        .bind(t)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| self.channel_from_row(r)).collect()
    }

    /// Claims the next due message of a channel, if the channel's rate allows one now.
    /// The rate is kept in the database, so several server processes share it.
    pub async fn claim_sms(&self, ch: &Channel) -> Result<Claim> {
        let t = now();
        let candidate = sqlx::query(
            "SELECT id FROM sms_outbound WHERE channel_id = $1 AND status = 'queued'
               AND next_attempt_at <= $2 AND locked_until <= $2 ORDER BY id LIMIT 1",
        )
        .bind(ch.id)
        .bind(t)
        .fetch_optional(&self.pool)
        .await?;
        let Some(candidate) = candidate else {
            return Ok(Claim::Empty);
        };
        let id = int(&candidate, "id")?;
        let interval = (1000.0 / ch.rate_per_sec.max(0.001)).ceil() as i64;
        let ms = now_ms();
        let token = sqlx::query(
            "UPDATE sms_channels SET next_send_ms = $1 WHERE id = $2 AND next_send_ms <= $3 RETURNING id",
        )
        .bind(ms + interval)
        .bind(ch.id)
        .bind(ms)
        .fetch_optional(&self.pool)
        .await?;
        if token.is_none() {
            let row = sqlx::query("SELECT next_send_ms FROM sms_channels WHERE id = $1")
                .bind(ch.id)
                .fetch_one(&self.pool)
                .await?;
            return Ok(Claim::Wait((int(&row, "next_send_ms")? - ms).max(1)));
        }
        let claimed = sqlx::query(
            "UPDATE sms_outbound SET locked_until = $1, attempts = attempts + 1, updated_at = $2
             WHERE id = $3 AND status = 'queued' AND locked_until <= $2
             RETURNING id, channel_id, phone_enc, body_enc, attempts",
        )
        .bind(t + SEND_LEASE_SECS)
        .bind(t)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = claimed else {
            // Another sender took it between the two statements.
            return Ok(Claim::Wait(1));
        };
        let phone_enc: Vec<u8> = sqlx::Row::try_get(&row, "phone_enc")?;
        let body_enc: Vec<u8> = sqlx::Row::try_get(&row, "body_enc")?;
        Ok(Claim::Message(Outgoing {
            id: int(&row, "id")?,
            channel_id: int(&row, "channel_id")?,
            to: self.keys.open(CTX_PHONE, &phone_enc)?,
            body: self.keys.open(CTX_BODY_OUT, &body_enc)?,
            attempts: int(&row, "attempts")?,
        }))
    }

    /// Records that the gateway accepted a claimed message.
    pub async fn sms_sent(&self, id: i64, gateway_id: Option<&str>) -> Result<()> {
        sqlx::query(
            "UPDATE sms_outbound SET status = 'sent', gateway_id = $1, locked_until = 0, updated_at = $2 WHERE id = $3",
        )
        .bind(gateway_id)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: retried with exponential backoff, failed for good
    /// after [`MAX_ATTEMPTS`].
    pub async fn sms_attempt_failed(&self, out: &Outgoing, error: &str) -> Result<()> {
        let t = now();
        let error: String = error.chars().take(300).collect();
        if out.attempts >= MAX_ATTEMPTS {
            sqlx::query(
                "UPDATE sms_outbound SET status = 'failed', last_error = $1, locked_until = 0, updated_at = $2 WHERE id = $3",
            )
            .bind(error)
            .bind(t)
            .bind(out.id)
            .execute(&self.pool)
            .await?;
        } else {
            let delay = 5i64.saturating_mul(1 << out.attempts.clamp(0, 12));
            sqlx::query(
                "UPDATE sms_outbound SET next_attempt_at = $1, last_error = $2, locked_until = 0, updated_at = $3 WHERE id = $4",
            )
            .bind(t + delay)
            .bind(error)
            .bind(t)
            .bind(out.id)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Records a delivery report. `reference` is the gateway's message id, or for
    /// Kannel (whose reports carry the URL Convene gave) the outbound id.
    pub async fn sms_delivery(
        &self,
        ch: &Channel,
        reference: &str,
        by_gateway_id: bool,
        status: Delivery,
    ) -> Result<bool> {
        let status = match status {
            Delivery::Sent => "sent",
            Delivery::Delivered => "delivered",
            Delivery::Failed => "failed",
        };
        let q = if by_gateway_id {
            sqlx::query(
                "UPDATE sms_outbound SET status = $1, updated_at = $2 WHERE channel_id = $3 AND gateway_id = $4 AND status <> 'delivered'",
            )
            .bind(status)
            .bind(now())
            .bind(ch.id)
            .bind(reference.to_string())
        } else {
            let Ok(id) = reference.parse::<i64>() else {
                return Ok(false);
            };
            sqlx::query(
                "UPDATE sms_outbound SET status = $1, updated_at = $2 WHERE channel_id = $3 AND id = $4 AND status <> 'delivered'",
            )
            .bind(status)
            .bind(now())
            .bind(ch.id)
            .bind(id)
        };
        let done = q.execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    /// Counts of outbound messages of a channel by status (for the organisers' page).
    pub async fn sms_outbound_counts(
        &self,
        scope: &Scope,
        channel_id: i64,
    ) -> Result<Vec<(String, i64)>> {
        scope.require(Role::is_organiser)?;
        let rows = sqlx::query(
            "SELECT o.status, COUNT(*) AS n FROM sms_outbound o JOIN sms_channels c ON c.id = o.channel_id
             WHERE c.space_id = $1 AND o.channel_id = $2 GROUP BY o.status ORDER BY o.status",
        )
        .bind(scope.space.id)
        .bind(channel_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((text(r, "status")?, int(r, "n")?)))
            .collect()
    }

    /// Erases the texts and phone numbers of SMS conversations older than
    /// [`KEEP_TEXTS_SECS`]: inbound messages by when they arrived, outbound ones once
    /// settled (sent, delivered, failed or cancelled) by when they last changed. The
    /// row stays, with its keyed phone hash, outcome and status, so counts and the
    /// gateway's retry check hold; a queued message keeps what it needs to be sent.
    /// Returns how many messages were erased.
    pub async fn sweep_sms_texts(&self) -> Result<u64> {
        let t = now();
        let before = t - KEEP_TEXTS_SECS;
        let a = sqlx::query(
            "UPDATE sms_inbound SET phone_enc = $1, body_enc = $2, erased_at = $3
             WHERE erased_at IS NULL AND received_at < $4",
        )
        .bind(self.keys.seal(CTX_PHONE, "")?)
        .bind(self.keys.seal(CTX_BODY_IN, "")?)
        .bind(t)
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let b = sqlx::query(
            "UPDATE sms_outbound SET phone_enc = $1, body_enc = $2, erased_at = $3
             WHERE erased_at IS NULL AND status <> 'queued' AND updated_at < $4",
        )
        .bind(self.keys.seal(CTX_PHONE, "")?)
        .bind(self.keys.seal(CTX_BODY_OUT, "")?)
        .bind(t)
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(a + b)
    }

    /// The number of inbound messages of a channel (for tests and the organisers' page).
    pub async fn sms_inbound_count(&self, channel_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM sms_inbound WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_one(&self.pool)
            .await?;
        int(&row, "n")
    }

    /// The number of a channel's inbound messages with an outcome (`stop`, `start`,
    /// `unmatched`).
    pub async fn sms_inbound_outcome_count(&self, channel_id: i64, outcome: &str) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM sms_inbound WHERE channel_id = $1 AND outcome = $2",
        )
        .bind(channel_id)
        .bind(outcome)
        .fetch_one(&self.pool)
        .await?;
        int(&row, "n")
    }

    /// The gateway ids of a channel's inbound messages (for the crash test).
    pub async fn sms_inbound_gateway_ids(&self, channel_id: i64) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT gateway_id FROM sms_inbound WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| text(r, "gateway_id")).collect()
    }

    /// The last error of an outbound message, if any (for the organisers' page).
    pub async fn sms_last_error(&self, id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT last_error FROM sms_outbound WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => opt_text(&r, "last_error")?,
            None => None,
        })
    }
}
