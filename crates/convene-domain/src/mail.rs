//! E-mail, the shared outbox: every message the product sends (invitations,
//! confirmations, messages to representatives) is queued here, in the same
//! transaction as what it is about, and sent by the outbox's sender (in the web
//! crate) over SMTP.
//!
//! - **At least once, and in normal operation exactly once.** A message is claimed
//!   for a lease; it is marked sent only after the SMTP server accepted it. A server
//!   that dies between the two sends it again after the lease, under the same
//!   `Message-ID` (made when the message is queued) and the same `Date`, so the resend
//!   is recognisable as the same message.
//! - **Retried** with growing waits on a temporary failure (a 4xx answer, no
//!   connection); given up at once on a permanent one (a 5xx answer, an address that
//!   cannot be an address) and after [`MAX_ATTEMPTS`].
//! - **Sealed**: the recipient, subject and body are personal data, sealed like the
//!   rest; a sent message's texts are erased after [`KEEP_SENT_SECS`], its row (who
//!   sent what when, without the words) kept for the counts.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::storage::{int, Db};
use crate::util::{now, random_token};

pub const CTX_TO: &str = "mail_outbox.to";
pub const CTX_SUBJECT: &str = "mail_outbox.subject";
pub const CTX_BODY: &str = "mail_outbox.body";
pub const CTX_REPLY_TO: &str = "mail_outbox.reply_to";

/// How long a claimed message is reserved for the sender that claimed it, unless
/// the sender asks for another lease (its SMTP time-out and a margin).
pub const SEND_LEASE_SECS: i64 = 60;
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 12;
/// How long a sent message's texts are kept (for a resend after a crash).
pub const KEEP_SENT_SECS: i64 = 7 * 86_400;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// What it is for, e.g. `invitation` (kept, for the counts).
    pub purpose: &'static str,
    pub space_id: Option<i64>,
    /// Where replies go, when not to the product (a sender writing to a
    /// representative): its `Reply-To`.
    pub reply_to: Option<String>,
}

/// A claimed message, ready to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub id: i64,
    /// The local part of its `Message-ID` (`<token@domain>`), fixed when it was queued.
    pub token: String,
    /// When it was queued: its `Date`.
    pub created_at: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<String>,
    pub attempts: i64,
}

/// The outbox's state, for operators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MailCounts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

/// Whether `s` can be an e-mail address: one `@` with text on both sides, a dot in
/// the domain, no spaces or control characters, at most 254 characters.
pub fn plausible_address(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
}

/// The wait before attempt `attempts + 1`: 30 s, 1, 2, 4 … minutes, at most 6 hours.
pub fn backoff_secs(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 14) as u32;
    (30 * 2i64.pow(exp)).min(6 * 3600)
}

impl Db {
    /// Queues a message in its own transaction; see [`Db::queue_mail_in`].
    pub async fn queue_mail(&self, m: &NewMail) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.queue_mail_in(&mut tx, m).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Queues a message inside `tx`, so it is sent if and only if what it is about
    /// is committed.
    pub async fn queue_mail_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        m: &NewMail,
    ) -> Result<i64> {
        let to = m.to.trim();
        if !plausible_address(to) {
            return Err(Error::invalid("email", "error-email"));
        }
        let reply_to = match m.reply_to.as_deref().map(str::trim) {
            Some(r) if !plausible_address(r) => {
                return Err(Error::invalid("reply_to", "error-email"))
            }
            Some(r) => Some(self.keys.seal(CTX_REPLY_TO, r)?),
            None => None,
        };
        let t = now();
        let row = sqlx::query(
            "INSERT INTO mail_outbox (token, purpose, space_id, to_enc, subject_enc, body_enc,
                                      status, attempts, next_attempt_at, locked_until, created_at, reply_to_enc)
             VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, 0, $7, $8) RETURNING id",
        )
        .bind(random_token(16)?)
        .bind(m.purpose)
        .bind(m.space_id)
        .bind(self.keys.seal(CTX_TO, to)?)
        .bind(self.keys.seal(CTX_SUBJECT, &m.subject)?)
        .bind(self.keys.seal(CTX_BODY, &m.body)?)
        .bind(t)
        .bind(reply_to)
        .fetch_one(&mut **tx)
        .await?;
        int(&row, "id")
    }

    /// Claims the next due message for [`SEND_LEASE_SECS`], if any.
    pub async fn claim_mail(&self) -> Result<Option<OutgoingMail>> {
        self.claim_mail_for(SEND_LEASE_SECS).await
    }

    /// Claims the next due message for `lease` seconds, if any.
    pub async fn claim_mail_for(&self, lease: i64) -> Result<Option<OutgoingMail>> {
        let t = now();
        let candidates = sqlx::query(
            "SELECT id FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $1
               AND locked_until <= $1 ORDER BY next_attempt_at, id LIMIT 5",
        )
        .bind(t)
        .fetch_all(&self.pool)
        .await?;
        for c in candidates {
            let claimed = sqlx::query(
                "UPDATE mail_outbox SET locked_until = $1, attempts = attempts + 1
                 WHERE id = $2 AND status = 'queued' AND locked_until <= $3
                 RETURNING id, token, created_at, to_enc, subject_enc, body_enc, reply_to_enc, attempts",
            )
            .bind(t + lease.max(1))
            .bind(int(&c, "id")?)
            .bind(t)
            .fetch_optional(&self.pool)
            .await?;
            let Some(row) = claimed else { continue };
            let sealed = |col: &str| -> Result<Vec<u8>> { Ok(sqlx::Row::try_get(&row, col)?) };
            return Ok(Some(OutgoingMail {
                id: int(&row, "id")?,
                token: sqlx::Row::try_get(&row, "token")?,
                created_at: int(&row, "created_at")?,
                to: self.keys.open(CTX_TO, &sealed("to_enc")?)?,
                subject: self.keys.open(CTX_SUBJECT, &sealed("subject_enc")?)?,
                body: self.keys.open(CTX_BODY, &sealed("body_enc")?)?,
                reply_to: match sqlx::Row::try_get::<Option<Vec<u8>>, _>(&row, "reply_to_enc")? {
                    Some(v) => Some(self.keys.open(CTX_REPLY_TO, &v)?),
                    None => None,
                },
                attempts: int(&row, "attempts")?,
            }));
        }
        Ok(None)
    }

    /// Records that the SMTP server accepted a claimed message.
    pub async fn mail_sent(&self, id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE mail_outbox SET status = 'sent', sent_at = $1, locked_until = 0, last_error = NULL WHERE id = $2",
        )
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: retried later, or given up when `permanent` or after
    /// [`MAX_ATTEMPTS`]. `error` is the server's answer, never the message's text.
    pub async fn mail_attempt_failed(
        &self,
        m: &OutgoingMail,
        error: &str,
        permanent: bool,
    ) -> Result<()> {
        let give_up = permanent || m.attempts >= MAX_ATTEMPTS;
        let error: String = error.chars().take(300).collect();
        sqlx::query(
            "UPDATE mail_outbox SET status = $1, next_attempt_at = $2, locked_until = 0, last_error = $3 WHERE id = $4",
        )
        .bind(if give_up { "failed" } else { "queued" })
        .bind(now() + backoff_secs(m.attempts - 1))
        .bind(error)
        .bind(m.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many messages are queued, sent and given up.
    pub async fn mail_counts(&self) -> Result<MailCounts> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        let mut c = MailCounts::default();
        for r in rows {
            let status: String = sqlx::Row::try_get(&r, "status")?;
            let n = int(&r, "n")?;
            match status.as_str() {
                "queued" => c.queued = n,
                "sent" | "erased" => c.sent += n,
                _ => c.failed += n,
            }
        }
        Ok(c)
    }

    /// The last error of a message, for operators and tests.
    pub async fn mail_last_error(&self, id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT last_error FROM mail_outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(sqlx::Row::try_get(&row, "last_error")?)
    }

    /// Erases the texts of messages sent more than [`KEEP_SENT_SECS`] ago (the
    /// recipient, subject and body); returns how many.
    pub async fn sweep_sent_mail(&self) -> Result<u64> {
        let blank = |ctx: &str| self.keys.seal(ctx, "");
        let r = sqlx::query(
            "UPDATE mail_outbox SET to_enc = $1, subject_enc = $2, body_enc = $3, reply_to_enc = NULL, status = 'erased'
             WHERE status = 'sent' AND sent_at < $4",
        )
        .bind(blank(CTX_TO)?)
        .bind(blank(CTX_SUBJECT)?)
        .bind(blank(CTX_BODY)?)
        .bind(now() - KEEP_SENT_SECS)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_waits() {
        for ok in ["a@example.org", "first.last+tag@mail.example.co.tz"] {
            assert!(plausible_address(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@example.org",
            "a@.org",
            "a b@example.org",
            "a@example.org.",
            "<a@example.org>",
            "a@b@example.org",
        ] {
            assert!(!plausible_address(bad), "{bad}");
        }
        assert_eq!(backoff_secs(0), 30);
        assert_eq!(backoff_secs(1), 60);
        assert_eq!(backoff_secs(20), 6 * 3600);
    }
}
