//! Writing to a representative by SMS, for people without internet: the message is
//! taken in parts, confirmed, and then goes the way a web message goes (limits,
//! copy review, delivery by e-mail, SMS or letter, the reply question).
//!
//! 1. The campaign's keyword (`WRITE`, with a place as a second word if wanted).
//! 2. The place: a name or code of the gazetteer.
//! 3. The representative: a number from the list of that place's (at most nine).
//! 4. The sender's name, as the representative will see it.
//! 5. The words, in as many texts as needed; `DONE` when done.
//! 6. `YES` sends, `NO` cancels. The phone is the proof: no code is needed.
//!
//! The draft (its name and words sealed) is kept per phone until it is sent,
//! cancelled, or a day old.

use super::messages::{Confirmation, CTX_BODY, CTX_CONTACT, CTX_NAME, MAX_CHARS, MIN_CHARS};
use super::Channel;
use crate::error::Result;
use crate::sms::flows::{self, Flow};
use crate::storage::{int, opt_int, opt_text, text, Db};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

const CTX_DRAFT_NAME: &str = "rep_sms_drafts.name";
const CTX_DRAFT_TEXT: &str = "rep_sms_drafts.text";
/// A draft is dropped after this long without a text.
pub const DRAFT_SECS: i64 = 86_400;

fn say(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::reply(lang, key, args)
}

impl Db {
    /// The place of the space a word names (a code, or a name in any language);
    /// districts before regions.
    async fn place_named_in(&self, tx: &mut Tx, space_id: i64, word: &str) -> Result<Option<i64>> {
        let w = word.trim().to_lowercase();
        if w.is_empty() {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT id, code, name, names FROM places WHERE space_id = $1 ORDER BY level DESC, id",
        )
        .bind(space_id)
        .fetch_all(&mut **tx)
        .await?;
        for p in &rows {
            let names: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&text(p, "names")?).unwrap_or_default();
            if text(p, "code")?.to_lowercase() == w
                || text(p, "name")?.to_lowercase() == w
                || names.values().any(|n| n.to_lowercase() == w)
            {
                return Ok(Some(int(p, "id")?));
            }
        }
        Ok(None)
    }

    /// The representatives the public may write to for a place (its own and those
    /// above it, nearest first), at most nine: (id, name, role). Read in the
    /// inbound transaction: public representatives of a public space only.
    async fn reps_for_sms_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        place: i64,
    ) -> Result<Vec<(i64, String, String)>> {
        let public = sqlx::query("SELECT is_public FROM spaces WHERE id = $1")
            .bind(space_id)
            .fetch_one(&mut **tx)
            .await?;
        if int(&public, "is_public")? == 0 {
            return Ok(vec![]);
        }
        let mut out = Vec::new();
        let mut next = Some(place);
        for _ in 0..8 {
            let Some(p) = next else { break };
            let rows = sqlx::query(
                "SELECT r.id, r.title, rp.role FROM records r JOIN representatives rp ON rp.record_id = r.id
                 WHERE r.space_id = $1 AND rp.place_id = $2 AND r.confidentiality = $3
                   AND (rp.email_enc IS NOT NULL OR rp.phone_enc IS NOT NULL OR rp.address_enc IS NOT NULL)
                 ORDER BY r.title, r.id",
            )
            .bind(space_id)
            .bind(p)
            .bind(crate::model::Level::Public.as_i64())
            .fetch_all(&mut **tx)
            .await?;
            for r in &rows {
                out.push((int(r, "id")?, text(r, "title")?, text(r, "role")?));
            }
            next = sqlx::query("SELECT parent_id FROM places WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut **tx)
                .await?
                .and_then(|r| opt_int(&r, "parent_id").ok().flatten());
        }
        out.truncate(9);
        Ok(out)
    }

    /// Starts (or starts again) a draft: the keyword was texted.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn rep_sms_start_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        channel_id: i64,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let lang = crate::util::reply_language(typed);
        sqlx::query("DELETE FROM rep_sms_drafts WHERE space_id = $1 AND phone_hash = $2")
            .bind(space_id)
            .bind(phone_hash)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO rep_sms_drafts (space_id, phone_hash, channel_id, step, lang, updated_at)
             VALUES ($1, $2, $3, 'place', $4, $5)",
        )
        .bind(space_id)
        .bind(phone_hash)
        .bind(channel_id)
        .bind(lang)
        .bind(t)
        .execute(&mut **tx)
        .await?;
        flows::set_current_in(tx, space_id, phone_hash, Flow::Write, space_id, t).await?;
        match typed.split_whitespace().nth(1) {
            Some(w) => {
                self.rep_sms_place_in(tx, space_id, phone_hash, lang, w, t)
                    .await
            }
            None => Ok(vec![say(lang, "rep-sms-ask-place", &[])]),
        }
    }

    async fn rep_sms_place_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
        lang: &str,
        word: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let Some(place) = self.place_named_in(tx, space_id, word).await? else {
            return Ok(vec![say(lang, "rep-sms-no-place", &[])]);
        };
        let reps = self.reps_for_sms_in(tx, space_id, place).await?;
        if reps.is_empty() {
            return Ok(vec![say(lang, "rep-sms-no-reps", &[])]);
        }
        let ids: Vec<String> = reps.iter().map(|r| r.0.to_string()).collect();
        sqlx::query(
            "UPDATE rep_sms_drafts SET step = 'rep', place_id = $1, choices = $2, updated_at = $3
             WHERE space_id = $4 AND phone_hash = $5",
        )
        .bind(place)
        .bind(ids.join(","))
        .bind(t)
        .bind(space_id)
        .bind(phone_hash)
        .execute(&mut **tx)
        .await?;
        let mut out = say(lang, "rep-sms-ask-rep", &[]);
        for (k, (_, name, role)) in reps.iter().enumerate() {
            let role: String = role.chars().take(30).collect();
            out.push_str(&format!(
                "\n{} {name}{}",
                k + 1,
                if role.is_empty() {
                    String::new()
                } else {
                    format!(" ({role})")
                }
            ));
        }
        Ok(vec![out])
    }

    /// A reply to the phone's draft.
    pub(crate) async fn rep_sms_reply_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone: &str,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let row = sqlx::query(
            "SELECT id, channel_id, step, place_id, rep_id, choices, name_enc, text_enc, lang, updated_at
             FROM rep_sms_drafts WHERE space_id = $1 AND phone_hash = $2",
        )
        .bind(space_id)
        .bind(phone_hash)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(d) = row.filter(|d| int(d, "updated_at").is_ok_and(|u| u + DRAFT_SECS > t)) else {
            flows::clear_current_in(tx, space_id, phone_hash).await?;
            let lang = crate::util::reply_language(typed);
            return Ok(vec![say(lang, "rep-sms-expired", &[])]);
        };
        let id = int(&d, "id")?;
        let lang = text(&d, "lang")?;
        let word = typed.trim();
        let upper = word.to_uppercase();
        match text(&d, "step")?.as_str() {
            "answer" => {
                let replied = match upper.as_str() {
                    "YES" => true,
                    "NO" => false,
                    _ => return Ok(vec![say(&lang, "rep-sms-yes-no", &[])]),
                };
                let message: i64 = text(&d, "choices")?.parse().unwrap_or(0);
                self.drop_draft_in(tx, id, space_id, phone_hash).await?;
                sqlx::query(
                    "UPDATE rep_messages SET replied = $1, answered_at = $2 WHERE id = $3 AND replied IS NULL",
                )
                .bind(if replied { "yes" } else { "no" })
                .bind(t)
                .bind(message)
                .execute(&mut **tx)
                .await?;
                Ok(vec![say(&lang, "rep-reply-thanks", &[])])
            }
            "place" => {
                self.rep_sms_place_in(tx, space_id, phone_hash, &lang, word, t)
                    .await
            }
            "rep" => {
                let choices: Vec<i64> = text(&d, "choices")?
                    .split(',')
                    .filter_map(|c| c.parse().ok())
                    .collect();
                let pick = crate::util::fold_digits(word)
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|n| choices.get(n).copied());
                let Some(rep) = pick else {
                    return Ok(vec![say(&lang, "rep-sms-pick-number", &[])]);
                };
                sqlx::query("UPDATE rep_sms_drafts SET step = 'name', rep_id = $1, updated_at = $2 WHERE id = $3")
                    .bind(rep)
                    .bind(t)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                Ok(vec![say(&lang, "rep-sms-ask-name", &[])])
            }
            "name" => {
                let name: String = word.chars().take(120).collect();
                if name.is_empty() {
                    return Ok(vec![say(&lang, "rep-sms-ask-name", &[])]);
                }
                sqlx::query("UPDATE rep_sms_drafts SET step = 'text', name_enc = $1, updated_at = $2 WHERE id = $3")
                    .bind(self.keys.seal(CTX_DRAFT_NAME, &name)?)
                    .bind(t)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                Ok(vec![say(
                    &lang,
                    "rep-sms-ask-text",
                    &[("min", MIN_CHARS.to_string())],
                )])
            }
            "text" => {
                let so_far = match sqlx::Row::try_get::<Option<Vec<u8>>, _>(&d, "text_enc")? {
                    Some(v) => self.keys.open(CTX_DRAFT_TEXT, &v)?,
                    None => String::new(),
                };
                if upper == "DONE" {
                    let n = so_far.chars().count();
                    if n < MIN_CHARS {
                        return Ok(vec![say(
                            &lang,
                            "rep-sms-too-short",
                            &[("n", n.to_string()), ("min", MIN_CHARS.to_string())],
                        )]);
                    }
                    sqlx::query(
                        "UPDATE rep_sms_drafts SET step = 'confirm', updated_at = $1 WHERE id = $2",
                    )
                    .bind(t)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                    let rep = sqlx::query("SELECT title FROM records WHERE id = $1")
                        .bind(opt_int(&d, "rep_id")?)
                        .fetch_one(&mut **tx)
                        .await?;
                    let start: String = so_far.chars().take(100).collect();
                    return Ok(vec![say(
                        &lang,
                        "rep-sms-confirm",
                        &[
                            ("rep", text(&rep, "title")?),
                            ("start", start),
                            ("n", n.to_string()),
                        ],
                    )]);
                }
                let joined = if so_far.is_empty() {
                    word.to_string()
                } else {
                    format!("{so_far} {word}")
                };
                if joined.chars().count() > MAX_CHARS {
                    return Ok(vec![say(
                        &lang,
                        "rep-sms-too-long",
                        &[("max", MAX_CHARS.to_string())],
                    )]);
                }
                sqlx::query(
                    "UPDATE rep_sms_drafts SET text_enc = $1, updated_at = $2 WHERE id = $3",
                )
                .bind(self.keys.seal(CTX_DRAFT_TEXT, &joined)?)
                .bind(t)
                .bind(id)
                .execute(&mut **tx)
                .await?;
                Ok(vec![say(
                    &lang,
                    "rep-sms-more",
                    &[("n", joined.chars().count().to_string())],
                )])
            }
            "confirm" if upper == "NO" => {
                self.drop_draft_in(tx, id, space_id, phone_hash).await?;
                Ok(vec![say(&lang, "rep-sms-cancelled", &[])])
            }
            "confirm" if upper == "YES" => {
                let name = match sqlx::Row::try_get::<Option<Vec<u8>>, _>(&d, "name_enc")? {
                    Some(v) => self.keys.open(CTX_DRAFT_NAME, &v)?,
                    None => String::new(),
                };
                let body = match sqlx::Row::try_get::<Option<Vec<u8>>, _>(&d, "text_enc")? {
                    Some(v) => self.keys.open(CTX_DRAFT_TEXT, &v)?,
                    None => String::new(),
                };
                let rep = opt_int(&d, "rep_id")?.unwrap_or(0);
                let place = opt_int(&d, "place_id")?;
                let channel = int(&d, "channel_id")?;
                self.drop_draft_in(tx, id, space_id, phone_hash).await?;
                let normal = crate::crypto::normalise_phone(phone);
                let sender_hash = self
                    .keys
                    .lookup_hash("rep_messages.sender", &format!("phone:{normal}"))?;
                let row = sqlx::query(
                    "INSERT INTO rep_messages (space_id, rep_id, place_id, sender_hash, via, lang, name_enc, contact_enc,
                                               body_enc, channel_id, status, link_base, created_at)
                     VALUES ($1, $2, $3, $4, 'phone', $5, $6, $7, $8, $9, 'unconfirmed', $10, $11) RETURNING id",
                )
                .bind(space_id)
                .bind(rep)
                .bind(place)
                .bind(&sender_hash)
                .bind(&lang)
                .bind(self.keys.seal(CTX_NAME, &name)?)
                .bind(self.keys.seal(CTX_CONTACT, &normal)?)
                .bind(self.keys.seal(CTX_BODY, &body)?)
                .bind(channel)
                .bind(self.digest_link_in(tx, space_id).await?)
                .bind(t)
                .fetch_one(&mut **tx)
                .await?;
                let settings = self.writing_settings_in(tx, space_id).await?;
                let outcome = self
                    .confirm_message_in(tx, int(&row, "id")?, rep, &settings, None, t)
                    .await?;
                let key = match outcome {
                    Confirmation::Sent {
                        channel: Channel::Email,
                        ..
                    } => "rep-sent-email",
                    Confirmation::Sent {
                        channel: Channel::Sms,
                        ..
                    } => "rep-sent-sms",
                    Confirmation::Sent {
                        channel: Channel::Letter,
                        ..
                    } => "rep-sent-letter",
                    Confirmation::Held { .. } => "rep-held",
                    Confirmation::OverLimit { key, .. } => key,
                    _ => "rep-error-unreachable",
                };
                Ok(vec![say(&lang, key, &[])])
            }
            _ => Ok(vec![say(&lang, "rep-sms-yes-no", &[])]),
        }
    }

    async fn drop_draft_in(
        &self,
        tx: &mut Tx,
        id: i64,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<()> {
        sqlx::query("DELETE FROM rep_sms_drafts WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        flows::clear_current_in(tx, space_id, phone_hash).await
    }

    /// The messages' address for a sender by SMS (the reply question's link), from
    /// the campaign's public address when the digest has one.
    async fn digest_link_in(&self, tx: &mut Tx, space_id: i64) -> Result<String> {
        let row = sqlx::query("SELECT link FROM campaign_digests WHERE space_id = $1")
            .bind(space_id)
            .fetch_optional(&mut **tx)
            .await?;
        Ok(row
            .and_then(|r| opt_text(&r, "link").ok().flatten())
            .filter(|l| !l.is_empty())
            .map(|l| format!("{l}/messages"))
            .unwrap_or_default())
    }

    /// Asks a sender by SMS whether `rep` replied to message `message`: their next
    /// YES or NO answers (a draft they were writing is set aside).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn rep_sms_ask_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        channel_id: i64,
        phone: &str,
        message: i64,
        rep: &str,
        lang: &str,
        t: i64,
    ) -> Result<bool> {
        let phone_hash = self.keys.lookup_hash(
            crate::sms::HASH_PHONE,
            &crate::crypto::normalise_phone(phone),
        )?;
        let pending = sqlx::query(
            "SELECT COUNT(*) AS n FROM rep_sms_drafts WHERE space_id = $1 AND phone_hash = $2 AND step = 'answer'
               AND updated_at > $3",
        )
        .bind(space_id)
        .bind(&phone_hash)
        .bind(t - DRAFT_SECS)
        .fetch_one(&mut **tx)
        .await?;
        if int(&pending, "n")? > 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM rep_sms_drafts WHERE space_id = $1 AND phone_hash = $2")
            .bind(space_id)
            .bind(&phone_hash)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO rep_sms_drafts (space_id, phone_hash, channel_id, step, choices, lang, updated_at)
             VALUES ($1, $2, $3, 'answer', $4, $5, $6)",
        )
        .bind(space_id)
        .bind(&phone_hash)
        .bind(channel_id)
        .bind(message.to_string())
        .bind(lang)
        .bind(t)
        .execute(&mut **tx)
        .await?;
        flows::set_current_in(tx, space_id, &phone_hash, Flow::Write, space_id, t).await?;
        self.queue_sms_to_in(
            tx,
            channel_id,
            space_id,
            phone,
            &say(lang, "rep-sms-ask-yes-no", &[("rep", rep.to_string())]),
        )
        .await?;
        Ok(true)
    }

    /// Drops drafts a day old (and DELETE drops a phone's).
    pub(crate) async fn rep_sms_delete_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<()> {
        sqlx::query("DELETE FROM rep_sms_drafts WHERE space_id = $1 AND phone_hash = $2")
            .bind(space_id)
            .bind(phone_hash)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Drops every draft untouched for [`DRAFT_SECS`].
    pub async fn sweep_rep_sms_drafts(&self) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM rep_sms_drafts WHERE updated_at < $1")
                .bind(crate::util::now() - DRAFT_SECS)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
