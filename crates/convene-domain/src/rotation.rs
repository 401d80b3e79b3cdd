//! Rotation of the sealing key: every sealed value is re-sealed under a new key while
//! the servers run (see docs/security.md, "Key rotation").
//!
//! 1. A new key is added to the key file and made the one that seals; the rotation
//!    is recorded in the database (`key_rotation`), so that it is resumed, not
//!    begun again, when the command is run after an interruption.
//! 2. After a grace period, in which every server sharing the key file reads it
//!    again (each looks once a second), values are re-sealed column by column, in
//!    small transactions. A value is rewritten only if it still holds what was read
//!    (compare and swap), so a write a server makes at the same moment is never
//!    lost; it is simply read again in the next batch.
//! 3. Progress needs no cursor: a value under the new key starts with that key's
//!    number, so what remains is found by its first bytes. The rotation ends when a
//!    whole pass finds nothing left; the old keys stay in the key file, and readable,
//!    until an operator retires them.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditAction, Event};
use crate::crypto::Keyring;
use crate::error::{Error, Result};
use crate::storage::{int, Db};
use crate::util::now;

/// A column of sealed bytes: its table, the columns that identify a row (with
/// whether each is text), and the context it is sealed under.
#[derive(Debug, Clone, Copy)]
pub struct SealedColumn {
    pub table: &'static str,
    pub keys: &'static [(&'static str, bool)],
    pub column: &'static str,
    pub context: &'static str,
}

const fn col(
    table: &'static str,
    keys: &'static [(&'static str, bool)],
    column: &'static str,
    context: &'static str,
) -> SealedColumn {
    SealedColumn {
        table,
        keys,
        column,
        context,
    }
}

const ID: &[(&str, bool)] = &[("id", false)];
const RECORD: &[(&str, bool)] = &[("record_id", false)];

/// Every column that holds sealed bytes. A test compares it with the schema's
/// binary columns, so a new sealed column cannot be forgotten here.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    col("key_check", ID, "sealed", "key_check.sealed"),
    col("users", ID, "totp_secret", "user.totp"),
    col("contact_details", RECORD, "name_enc", "contact.name"),
    col("contact_details", RECORD, "email_enc", "contact.email"),
    col("contact_details", RECORD, "phone_enc", "contact.phone"),
    col("actors", RECORD, "name_enc", "actor.name"),
    col("sms_channels", ID, "key_enc", "sms_channels.key"),
    col("sms_channels", ID, "secret_enc", "sms_channels.secret"),
    col("sms_inbound", ID, "phone_enc", "sms.phone"),
    col("sms_inbound", ID, "body_enc", "sms_inbound.body"),
    col("sms_outbound", ID, "phone_enc", "sms.phone"),
    col("sms_outbound", ID, "body_enc", "sms_outbound.body"),
    col("poll_respondents", ID, "phone_enc", "sms.phone"),
    col(
        "poll_answers",
        &[("respondent_id", false), ("question", true)],
        "text_enc",
        "poll_answers.text",
    ),
    col("activity_plans", RECORD, "venue_enc", "activity.venue"),
    col("activity_joins", ID, "phone_enc", "sms.phone"),
    col("activity_joins", ID, "email_enc", "activity_join.email"),
    col("activity_joins", ID, "name_enc", "activity_join.name"),
    col(
        "calendar_tokens",
        &[("space_id", false), ("user_id", false)],
        "token_enc",
        "calendar_tokens.token",
    ),
    col(
        "organisations",
        RECORD,
        "contact_enc",
        "organisation.contact",
    ),
    col("mail_outbox", ID, "to_enc", "mail_outbox.to"),
    col("mail_outbox", ID, "subject_enc", "mail_outbox.subject"),
    col("mail_outbox", ID, "body_enc", "mail_outbox.body"),
    col("mail_outbox", ID, "reply_to_enc", "mail_outbox.reply_to"),
    col(
        "representatives",
        RECORD,
        "email_enc",
        "representatives.email",
    ),
    col(
        "representatives",
        RECORD,
        "phone_enc",
        "representatives.phone",
    ),
    col(
        "representatives",
        RECORD,
        "address_enc",
        "representatives.address",
    ),
    col("call_signups", ID, "contact_enc", "call_signups.contact"),
    col("campaign_subscribers", ID, "phone_enc", "sms.phone"),
    col("rep_sms_drafts", ID, "name_enc", "rep_sms_drafts.name"),
    col("rep_sms_drafts", ID, "text_enc", "rep_sms_drafts.text"),
    col("rep_messages", ID, "name_enc", "rep_messages.name"),
    col("rep_messages", ID, "contact_enc", "rep_messages.contact"),
    col("rep_messages", ID, "body_enc", "rep_messages.body"),
    col(
        "dialogue_consultations",
        RECORD,
        "who_enc",
        "dialogue_consultations.who",
    ),
    col(
        "dialogue_consultations",
        RECORD,
        "summary_enc",
        "dialogue_consultations.summary",
    ),
    col("dialogue_notes", RECORD, "body_enc", "dialogue_notes.body"),
    col(
        "dialogue_participants",
        ID,
        "institution_enc",
        "dialogue_participants.institution",
    ),
    col(
        "pledge_signers",
        ID,
        "contact_enc",
        "pledge_signers.contact",
    ),
    col(
        "media_chunks",
        &[("variant_id", false), ("seq", false)],
        "bytes_enc",
        "media_chunks.bytes",
    ),
];

/// How a rotation runs.
#[derive(Debug, Clone)]
pub struct RotateOptions {
    /// Values re-sealed per transaction.
    pub batch: usize,
    /// Wait after the new key is written, for the servers to read the key file.
    pub grace: Duration,
    /// Pause between batches, to spare a busy server.
    pub pause: Duration,
    /// Stop after this many batches (the rotation stays under way; for tests).
    pub stop_after: Option<usize>,
}

impl Default for RotateOptions {
    fn default() -> Self {
        RotateOptions {
            batch: 200,
            grace: Duration::from_secs(3),
            pause: Duration::ZERO,
            stop_after: None,
        }
    }
}

/// The rotation under way or last finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub target_key: u32,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    /// Values re-sealed so far.
    pub resealed: i64,
}

/// What a run of [`Db::rotate_sealing_key`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationReport {
    pub target_key: u32,
    /// It continued a rotation an earlier run began.
    pub resumed: bool,
    /// Values this run re-sealed.
    pub resealed: i64,
    /// Every value is under the target key; the rotation is over.
    pub finished: bool,
}

#[derive(Debug, Clone)]
enum KeyValue {
    Int(i64),
    Text(String),
}

impl Db {
    /// The rotation under way or last finished, if any.
    pub async fn rotation(&self) -> Result<Option<Rotation>> {
        let row = sqlx::query(
            "SELECT target_key, started_at, finished_at, resealed FROM key_rotation WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let finished: Option<i64> = r.try_get("finished_at")?;
        Ok(Some(Rotation {
            target_key: u32::try_from(int(&r, "target_key")?)
                .map_err(|_| Error::Internal("key number out of range".into()))?,
            started_at: int(&r, "started_at")?,
            finished_at: finished,
            resealed: int(&r, "resealed")?,
        }))
    }

    /// How many sealed values each key holds, over every sealed column.
    pub async fn sealed_values_by_key(&self) -> Result<BTreeMap<u32, i64>> {
        let mut out = BTreeMap::new();
        for c in SEALED_COLUMNS {
            let sql = format!(
                "SELECT {col} AS v FROM {t} WHERE {col} IS NOT NULL",
                col = c.column,
                t = c.table
            );
            let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
            for r in rows {
                let v: Vec<u8> = r.try_get("v")?;
                *out.entry(Keyring::key_of(&v)).or_insert(0) += 1;
            }
        }
        Ok(out)
    }

    /// Re-seals every sealed value under a new key (see the module's documentation).
    /// Resumes the rotation under way, if there is one; `key_file` is the file the
    /// servers share.
    pub async fn rotate_sealing_key(
        &self,
        key_file: &Path,
        opts: &RotateOptions,
    ) -> Result<RotationReport> {
        let (target, resumed) = match self.rotation().await? {
            Some(r) if r.finished_at.is_none() => {
                self.keys.reload();
                if !self.keys.key_numbers().contains(&r.target_key) {
                    return Err(Error::KeyFile(format!(
                        "{} lacks sealing key {}, which the rotation under way seals with: \
                         use the key file the rotation began with",
                        key_file.display(),
                        r.target_key
                    )));
                }
                (r.target_key, true)
            }
            _ => {
                let n = Keyring::add_sealing_key(key_file)?;
                self.keys.reload();
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM key_rotation")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO key_rotation (id, target_key, started_at, resealed) VALUES (1, $1, $2, 0)",
                )
                .bind(i64::from(n))
                .bind(now())
                .execute(&mut *tx)
                .await?;
                self.audit_in(
                    &mut tx,
                    Event {
                        space_id: None,
                        user_id: None,
                        action: AuditAction::KeyRotation,
                        target: format!("key:{n}"),
                        detail: "started".into(),
                    },
                )
                .await?;
                tx.commit().await?;
                (n, false)
            }
        };
        if self.keys.active_key() != target {
            return Err(Error::KeyFile(format!(
                "{} does not seal with key {target}, which the rotation under way moves every \
                 value to",
                key_file.display()
            )));
        }
        tokio::time::sleep(opts.grace).await;

        let prefix = Keyring::prefix_of_key(target).to_vec();
        let mut resealed = 0i64;
        let mut batches = 0usize;
        loop {
            let mut found_any = false;
            for c in SEALED_COLUMNS {
                loop {
                    if opts.stop_after.is_some_and(|s| batches >= s) {
                        return Ok(RotationReport {
                            target_key: target,
                            resumed,
                            resealed,
                            finished: false,
                        });
                    }
                    let n = self.reseal_batch(c, &prefix, target, opts.batch).await?;
                    if n.found == 0 {
                        break;
                    }
                    found_any = true;
                    batches += 1;
                    resealed += n.resealed;
                    if !opts.pause.is_zero() {
                        tokio::time::sleep(opts.pause).await;
                    }
                }
            }
            if !found_any {
                break;
            }
        }
        let mut tx = self.pool.begin().await?;
        let done = now();
        sqlx::query("UPDATE key_rotation SET finished_at = $1 WHERE id = 1")
            .bind(done)
            .execute(&mut *tx)
            .await?;
        let total: i64 = sqlx::query("SELECT resealed FROM key_rotation WHERE id = 1")
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get::<i64, _>("resealed"))?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: None,
                user_id: None,
                action: AuditAction::KeyRotation,
                target: format!("key:{target}"),
                detail: format!("finished resealed={total}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(RotationReport {
            target_key: target,
            resumed,
            resealed,
            finished: true,
        })
    }

    /// Re-seals up to `limit` values of column `c` not yet under `target`, in one
    /// transaction that also counts them in `key_rotation`.
    async fn reseal_batch(
        &self,
        c: &SealedColumn,
        prefix: &[u8],
        target: u32,
        limit: usize,
    ) -> Result<Batch> {
        let keys: Vec<&str> = c.keys.iter().map(|(k, _)| *k).collect();
        let sql = format!(
            "SELECT {keys}, {col} AS v FROM {t} WHERE {col} IS NOT NULL AND substr({col}, 1, 6) <> $1 LIMIT {limit}",
            keys = keys.join(", "),
            col = c.column,
            t = c.table,
        );
        let rows: Vec<AnyRow> = sqlx::query(&sql)
            .bind(prefix.to_vec())
            .fetch_all(&self.pool)
            .await?;
        if rows.is_empty() {
            return Ok(Batch::default());
        }
        let conditions: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} = ${}", i + 2))
            .collect();
        let update = format!(
            "UPDATE {t} SET {col} = $1 WHERE {cond} AND {col} = ${last}",
            t = c.table,
            col = c.column,
            cond = conditions.join(" AND "),
            last = keys.len() + 2,
        );
        let mut tx = self.pool.begin().await?;
        let mut resealed = 0i64;
        for r in &rows {
            let old: Vec<u8> = r.try_get("v")?;
            let fresh = match self.keys.reseal(c.context, &old, target) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(_) => {
                    return Err(Error::KeyFile(format!(
                        "a value in {}.{} opens with none of the key file's keys",
                        c.table, c.column
                    )))
                }
            };
            let mut q = sqlx::query(&update).bind(fresh);
            for (k, is_text) in c.keys {
                q = match key_value(r, k, *is_text)? {
                    KeyValue::Int(v) => q.bind(v),
                    KeyValue::Text(v) => q.bind(v),
                };
            }
            resealed += q.bind(old).execute(&mut *tx).await?.rows_affected() as i64;
        }
        sqlx::query("UPDATE key_rotation SET resealed = resealed + $1 WHERE id = 1")
            .bind(resealed)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Batch {
            found: rows.len(),
            resealed,
        })
    }

    /// Removes from `key_file` every sealing key but the one that seals, once no
    /// value is sealed under them and no rotation is under way. Returns the numbers
    /// removed.
    pub async fn retire_sealing_keys(&self, key_file: &Path) -> Result<Vec<u32>> {
        if let Some(r) = self.rotation().await? {
            if r.finished_at.is_none() {
                return Err(Error::KeyFile(
                    "a rotation is under way: finish it with `convene key rotate` first".into(),
                ));
            }
        }
        self.keys.reload();
        let active = self.keys.active_key();
        let counts = self.sealed_values_by_key().await?;
        let still: i64 = counts
            .iter()
            .filter(|(k, _)| **k != active)
            .map(|(_, n)| *n)
            .sum();
        if still > 0 {
            return Err(Error::KeyFile(format!(
                "{still} values are still sealed under older keys: run `convene key rotate`"
            )));
        }
        Keyring::retire_sealing_keys(key_file, active)
    }
}

#[derive(Debug, Default)]
struct Batch {
    found: usize,
    resealed: i64,
}

fn key_value(r: &AnyRow, name: &str, is_text: bool) -> Result<KeyValue> {
    Ok(if is_text {
        KeyValue::Text(r.try_get(name)?)
    } else {
        KeyValue::Int(int(r, name)?)
    })
}
