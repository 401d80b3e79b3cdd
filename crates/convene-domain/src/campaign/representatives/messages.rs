//! Messages from the public to their representatives.
//!
//! 1. **Written** from the campaign's suggested points, in the sender's own words:
//!    a name, an e-mail address or a phone, their place, the text. Nothing is sent
//!    yet; the sender gets a link by e-mail (or a six-digit code by SMS) to confirm
//!    it within [`CONFIRM_SECS`].
//! 2. **Confirmed**: the limits are checked again (per sender per day, per
//!    representative per day, and one message per sender to one representative in
//!    [`PER_ADDRESS_SECS`]); a text that is mostly the suggested points or mostly
//!    another sender's message is **held** for the organisers to review
//!    ([`crate::campaign::representatives`], [`convene_analysis::similarity`]);
//!    otherwise it is **delivered**: by e-mail through the outbox (the sender's
//!    address as `Reply-To`), by SMS for a representative with only a phone, or as
//!    a letter the organisers print and post.
//! 3. [`ASK_AFTER_SECS`] after delivery the sender is asked whether they got a
//!    reply; the answers make each representative's published reply rate, shown
//!    only once it rests on enough answers (the space's suppression threshold).
//! 4. The sender's name, contact and words are sealed, and erased after the
//!    retention period the space sets; the counts stay.

use std::collections::{HashMap, HashSet};

use convene_analysis::similarity;
use convene_analysis::survey::{suppress_one_way, Published};
use serde::Serialize;

use super::{Channel, Representative, CTX_ADDRESS, CTX_EMAIL, CTX_PHONE};
use crate::access::{policy, Scope};
use crate::audit::{AuditAction, Event};
use crate::campaign::pledges::PledgeCounts;
use crate::error::{Error, Invalid, Result};
use crate::mail::{plausible_address, NewMail};
use crate::model::Role;
use crate::places::Place;
use crate::storage::{int, opt_int, opt_text, text, Db};
use crate::util::{now, random_bytes, random_token};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// How long a confirmation link or code works.
pub const CONFIRM_SECS: i64 = 3 * 86_400;
/// When the sender is asked whether they got a reply.
pub const ASK_AFTER_SECS: i64 = 14 * 86_400;
/// One message from a sender to a representative in this time.
pub const PER_ADDRESS_SECS: i64 = 7 * 86_400;
/// Messages one sender may have waiting for confirmation in a day.
pub const MAX_UNCONFIRMED: i64 = 3;
/// Wrong codes before a message by phone is given up.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// The least and most a message may say.
pub const MIN_CHARS: usize = 80;
pub const MAX_CHARS: usize = 5_000;
/// A message whose shingles are at least this share of the suggested points', or
/// that resembles another sender's at least this much, is held for review.
pub const HOLD_SIMILARITY: f64 = 0.5;

pub const CTX_NAME: &str = "rep_messages.name";
pub const CTX_CONTACT: &str = "rep_messages.contact";
pub const CTX_BODY: &str = "rep_messages.body";
const HASH_SENDER: &str = "rep_messages.sender";
const HASH_TOKEN: &str = "rep_messages.confirm";
const HASH_CODE: &str = "rep_messages.code";
const HASH_ANSWER: &str = "rep_messages.answer";
const HASH_SHINGLE: &str = "rep_messages.shingle";

/// A message to write.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub rep: i64,
    pub name: String,
    /// The sender's e-mail address, or empty when they give a phone.
    pub email: String,
    /// The sender's phone, used when there is no e-mail address.
    pub phone: String,
    /// The sender's place (a place id of the space), if they give one.
    pub place: Option<i64>,
    pub body: String,
    pub lang: String,
    /// The absolute address of the messages' pages
    /// (`https://…/s/<space>/campaign/messages`): links to confirm and to answer
    /// are made from it.
    pub link_base: String,
}

/// How a written message is to be confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Written {
    /// A link went to the sender's e-mail address.
    ByLink,
    /// A code went by SMS; it is typed on the message's page.
    ByCode { message: i64 },
}

/// What a confirmation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Confirmation {
    /// Delivered (or queued for delivery) by this channel.
    Sent { rep: i64, channel: Channel },
    /// Held for the organisers' review: mostly copied.
    Held { rep: i64 },
    /// Over a limit (the message key says which); nothing is sent.
    OverLimit { rep: i64, key: &'static str },
    /// The link or code had been used.
    AlreadyUsed { rep: i64 },
    /// Older than [`CONFIRM_SECS`].
    Expired,
    /// A wrong code; `left` tries remain.
    WrongCode { left: i64 },
    /// No such link (or the representative can no longer be reached).
    Unknown,
}

/// What answering "did you get a reply?" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Answered {
    Counted { rep: i64 },
    AlreadyAnswered { rep: i64 },
    Unknown,
}

/// A message as organisers see it in the review queue or on a letter.
#[derive(Debug, Clone, Serialize)]
pub struct HeldMessage {
    pub id: i64,
    pub rep: i64,
    pub rep_name: String,
    pub name: String,
    pub body: String,
    pub place: Option<i64>,
    /// How much of it is copied (0–1).
    pub similarity: f64,
    pub created_at: i64,
    /// For a letter: the representative's postal address.
    pub address: String,
}

/// One row of the reply-rate table.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyRow {
    pub rep: Representative,
    /// Messages delivered, suppressed.
    pub sent: Published,
    /// Share of answering senders who got a reply, once enough answered.
    pub rate: Option<f64>,
    /// Whether the rate rests on enough answers.
    pub enough: bool,
}

/// The reply-rate table.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyRates {
    pub threshold: u64,
    pub rows: Vec<ReplyRow>,
    pub total: Published,
}

fn say(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::reply(lang, key, args)
}

fn six_digits() -> Result<String> {
    let b = random_bytes(4)?;
    let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) % 1_000_000;
    Ok(format!("{n:06}"))
}

/// What counts against the limits: messages confirmed (held, sent, or waiting to
/// be printed).
const COUNTED: &str = "status IN ('held', 'sent', 'letter')";

impl Db {
    fn shingle_hashes(&self, space_id: i64, text: &str) -> Result<Vec<u64>> {
        similarity::shingles(text)
            .iter()
            .map(|s| {
                let h = self
                    .keys
                    .lookup_hash(HASH_SHINGLE, &format!("{space_id}:{s}"))?;
                Ok(u64::from_str_radix(h.get(..16).unwrap_or("0"), 16).unwrap_or(0))
            })
            .collect()
    }

    /// The limit a new message from `sender_hash` to `rep` would break, if any.
    async fn limit_broken(
        &self,
        conn: &mut sqlx::AnyConnection,
        s: &super::WritingSettings,
        space_id: i64,
        rep: i64,
        sender_hash: &str,
        t: i64,
    ) -> Result<Option<&'static str>> {
        let n = |row: sqlx::any::AnyRow| int(&row, "n");
        let same = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM rep_messages WHERE rep_id = $1 AND sender_hash = $2 AND {COUNTED}
               AND confirmed_at > $3"
        ))
        .bind(rep)
        .bind(sender_hash)
        .bind(t - PER_ADDRESS_SECS)
        .fetch_one(&mut *conn)
        .await?;
        if n(same)? > 0 {
            return Ok(Some("rep-limit-address"));
        }
        let by_sender = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM rep_messages WHERE space_id = $1 AND sender_hash = $2 AND {COUNTED}
               AND confirmed_at > $3"
        ))
        .bind(space_id)
        .bind(sender_hash)
        .bind(t - 86_400)
        .fetch_one(&mut *conn)
        .await?;
        if n(by_sender)? >= s.sender_daily_limit {
            return Ok(Some("rep-limit-sender"));
        }
        let to_rep = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM rep_messages WHERE rep_id = $1 AND {COUNTED} AND confirmed_at > $2"
        ))
        .bind(rep)
        .bind(t - 86_400)
        .fetch_one(&mut *conn)
        .await?;
        if n(to_rep)? >= s.rep_daily_limit {
            return Ok(Some("rep-limit-rep"));
        }
        Ok(None)
    }

    /// The first SMS channel of a space, if it has one.
    async fn sms_channel_of(&self, space_id: i64) -> Result<Option<i64>> {
        let row =
            sqlx::query("SELECT id FROM sms_channels WHERE space_id = $1 ORDER BY id LIMIT 1")
                .bind(space_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| int(&r, "id")).transpose()
    }

    /// Writes a message to a representative: checked, sealed, and kept until the
    /// sender confirms it. The same answer whether or not the limits allow it
    /// would be a lie here: the sender is told at once when one is reached.
    pub async fn write_to_representative(&self, scope: &Scope, m: &NewMessage) -> Result<Written> {
        let rep = self.representative(scope, m.rep).await?;
        let channel = rep
            .channel
            .ok_or(Error::invalid("rep", "rep-error-unreachable"))?;
        let mut problems = Vec::new();
        let name = m.name.trim();
        if name.is_empty() {
            problems.push(Invalid {
                field: "name",
                key: "error-required",
            });
        } else if name.chars().count() > 120 {
            problems.push(Invalid {
                field: "name",
                key: "error-too-long",
            });
        }
        let email = m.email.trim().to_lowercase();
        let phone = crate::crypto::normalise_phone(m.phone.trim());
        let by_phone = email.is_empty();
        if by_phone {
            if m.phone.trim().is_empty() {
                problems.push(Invalid {
                    field: "email",
                    key: "rep-error-contact",
                });
            } else if phone.trim_start_matches('+').len() < 6
                || super::clean_phone(&phone).is_none()
            {
                problems.push(Invalid {
                    field: "phone",
                    key: "error-phone",
                });
            }
        } else if !plausible_address(&email) {
            problems.push(Invalid {
                field: "email",
                key: "error-email",
            });
        }
        let body = m.body.trim();
        let chars = body.chars().count();
        if chars < MIN_CHARS {
            problems.push(Invalid {
                field: "body",
                key: "rep-error-short",
            });
        } else if chars > MAX_CHARS {
            problems.push(Invalid {
                field: "body",
                key: "error-too-long",
            });
        }
        if let Some(p) = m.place {
            if self.place_by_id(scope, p).await.is_err() {
                problems.push(Invalid {
                    field: "place",
                    key: "rep-error-area",
                });
            }
        }
        let sms_channel = self.sms_channel_of(scope.space.id).await?;
        if by_phone && sms_channel.is_none() && problems.is_empty() {
            problems.push(Invalid {
                field: "email",
                key: "rep-error-no-sms",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let sender = if by_phone {
            format!("phone:{phone}")
        } else {
            format!("email:{email}")
        };
        let sender_hash = self.keys.lookup_hash(HASH_SENDER, &sender)?;
        let t = now();
        // Codes and links go only to a sender who has not many waiting already: a
        // form cannot be used to flood someone's phone or inbox.
        let waiting = sqlx::query(
            "SELECT COUNT(*) AS n FROM rep_messages WHERE space_id = $1 AND sender_hash = $2
               AND status = 'unconfirmed' AND created_at > $3",
        )
        .bind(scope.space.id)
        .bind(&sender_hash)
        .bind(t - 86_400)
        .fetch_one(&self.pool)
        .await?;
        if int(&waiting, "n")? >= MAX_UNCONFIRMED {
            return Err(Error::invalid("body", "rep-limit-unconfirmed"));
        }
        {
            let settings = self.writing_settings(scope.space.id).await?;
            let mut conn = self.pool.acquire().await?;
            if let Some(key) = self
                .limit_broken(
                    &mut conn,
                    &settings,
                    scope.space.id,
                    rep.id,
                    &sender_hash,
                    t,
                )
                .await?
            {
                return Err(Error::invalid("body", key));
            }
        }
        let lang = crate::i18n::Lang::parse(&m.lang)
            .unwrap_or(crate::i18n::Lang::En)
            .code();
        let contact = if by_phone {
            phone.clone()
        } else {
            email.clone()
        };
        let token = random_token(24)?;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO rep_messages (space_id, rep_id, place_id, sender_hash, via, lang, name_enc, contact_enc,
                                       body_enc, channel_id, status, token_hash, link_base, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'unconfirmed', $11, $12, $13) RETURNING id",
        )
        .bind(scope.space.id)
        .bind(rep.id)
        .bind(m.place)
        .bind(&sender_hash)
        .bind(if by_phone { "phone" } else { "email" })
        .bind(lang)
        .bind(self.keys.seal(CTX_NAME, name)?)
        .bind(self.keys.seal(CTX_CONTACT, &contact)?)
        .bind(self.keys.seal(CTX_BODY, body)?)
        .bind(if by_phone { sms_channel } else { None })
        .bind(self.keys.lookup_hash(HASH_TOKEN, &token)?)
        .bind(m.link_base.trim_end_matches('/'))
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        let args = [
            ("rep", rep.name.clone()),
            ("space", scope.space.name.clone()),
        ];
        let written = if by_phone {
            let code = six_digits()?;
            sqlx::query("UPDATE rep_messages SET code_hash = $1 WHERE id = $2")
                .bind(self.keys.lookup_hash(HASH_CODE, &format!("{id}:{code}"))?)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let mut a = args.to_vec();
            // Shown as "057 212": easier to read, and never taken for a number.
            a.push(("code", format!("{} {}", &code[..3], &code[3..])));
            if let Some(ch) = sms_channel {
                self.queue_sms_to_in(
                    &mut tx,
                    ch,
                    scope.space.id,
                    &phone,
                    &say(lang, "rep-sms-code", &a),
                )
                .await?;
            }
            Written::ByCode { message: id }
        } else {
            let mut a = args.to_vec();
            a.push((
                "link",
                format!("{}/confirm?t={token}", m.link_base.trim_end_matches('/')),
            ));
            self.queue_mail_in(
                &mut tx,
                &NewMail {
                    to: email.clone(),
                    subject: say(lang, "rep-mail-confirm-subject", &a),
                    body: say(lang, "rep-mail-confirm-body", &a),
                    purpose: "representative-confirm",
                    space_id: Some(scope.space.id),
                    reply_to: None,
                },
            )
            .await?;
            Written::ByLink
        };
        tx.commit().await?;
        let _ = channel;
        Ok(written)
    }

    /// Follows a confirmation link.
    pub async fn confirm_message_link(&self, token: &str) -> Result<Confirmation> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Ok(Confirmation::Unknown);
        }
        let hash = self.keys.lookup_hash(HASH_TOKEN, token)?;
        let row = sqlx::query("SELECT id FROM rep_messages WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => self.confirm_message(int(&r, "id")?, None).await,
            None => Ok(Confirmation::Unknown),
        }
    }

    /// Confirms a message by the code sent to the sender's phone.
    /// Spaces and dashes in the code are ignored.
    pub async fn confirm_message_code(&self, id: i64, code: &str) -> Result<Confirmation> {
        let digits: String = code
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        self.confirm_message(id, Some(&digits)).await
    }

    /// Confirms a message as its sender would (the demo's held messages).
    pub(crate) async fn confirm_message_as_demo(&self, id: i64) -> Result<Confirmation> {
        self.confirm_message(id, None).await
    }

    async fn confirm_message(&self, id: i64, code: Option<&str>) -> Result<Confirmation> {
        let row = sqlx::query("SELECT space_id, rep_id FROM rep_messages WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(Confirmation::Unknown);
        };
        let rep = int(&row, "rep_id")?;
        let settings = self.writing_settings(int(&row, "space_id")?).await?;
        let mut tx = self.pool.begin().await?;
        let out = self
            .confirm_message_in(&mut tx, id, rep, &settings, code, now())
            .await?;
        // What it changed (a wrong code counted, a refusal, a delivery) is kept.
        tx.commit().await?;
        Ok(out)
    }

    /// Confirms message `id` to `rep` inside the caller's transaction.
    pub(crate) async fn confirm_message_in(
        &self,
        tx: &mut Tx,
        id: i64,
        rep: i64,
        settings: &super::WritingSettings,
        code: Option<&str>,
        t: i64,
    ) -> Result<Confirmation> {
        // Every confirmation to a representative passes one at a time, so that two
        // at once cannot both slip under a limit.
        sqlx::query("UPDATE representatives SET created_at = created_at WHERE record_id = $1")
            .bind(rep)
            .execute(&mut **tx)
            .await?;
        let m = sqlx::query(
            "SELECT space_id, sender_hash, status, code_hash, code_attempts, created_at, erased_at
             FROM rep_messages WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        let space_id = int(&m, "space_id")?;
        let status = text(&m, "status")?;
        if opt_int(&m, "erased_at")?.is_some() {
            return Ok(Confirmation::Expired);
        }
        if status != "unconfirmed" {
            return Ok(Confirmation::AlreadyUsed { rep });
        }
        if int(&m, "created_at")? + CONFIRM_SECS < t {
            return Ok(Confirmation::Expired);
        }
        if let Some(code) = code {
            let Some(expected) = opt_text(&m, "code_hash")? else {
                return Ok(Confirmation::Unknown);
            };
            let attempts = int(&m, "code_attempts")?;
            if attempts >= MAX_CODE_ATTEMPTS {
                return Ok(Confirmation::Expired);
            }
            let given = self.keys.lookup_hash(HASH_CODE, &format!("{id}:{code}"))?;
            if given != expected {
                sqlx::query(
                    "UPDATE rep_messages SET code_attempts = code_attempts + 1 WHERE id = $1",
                )
                .bind(id)
                .execute(&mut **tx)
                .await?;
                return Ok(Confirmation::WrongCode {
                    left: (MAX_CODE_ATTEMPTS - attempts - 1).max(0),
                });
            }
        }
        let sender_hash = text(&m, "sender_hash")?;
        if let Some(key) = self
            .limit_broken(tx, settings, space_id, rep, &sender_hash, t)
            .await?
        {
            sqlx::query(
                "UPDATE rep_messages SET status = 'refused', moderation_reason = $1, confirmed_at = $2 WHERE id = $3",
            )
            .bind(key)
            .bind(t)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            return Ok(Confirmation::OverLimit { rep, key });
        }
        // How much is copied: from the suggested points, or from another sender.
        let body = self.message_text(tx, id, "body_enc", CTX_BODY).await?;
        let hashes = self.shingle_hashes(space_id, &body)?;
        let template: HashSet<u64> = self
            .shingle_hashes(space_id, &settings.point_list().join("\n"))?
            .into_iter()
            .collect();
        let mut score = similarity::containment(&hashes, &template);
        let sig = similarity::signature(&hashes);
        if let Some(sig) = &sig {
            let bands = similarity::bands(sig);
            let list: Vec<String> = bands.iter().map(i64::to_string).collect();
            // Band keys are integers computed here: safe to inline.
            let candidates = sqlx::query(&format!(
                "SELECT DISTINCT m.id, m.signature FROM rep_message_bands b JOIN rep_messages m ON m.id = b.message_id
                 WHERE b.space_id = $1 AND b.band IN ({}) AND m.sender_hash <> $2 AND m.signature IS NOT NULL",
                list.join(",")
            ))
            .bind(space_id)
            .bind(&sender_hash)
            .fetch_all(&mut **tx)
            .await?;
            for c in &candidates {
                let text: String = sqlx::Row::try_get(c, "signature")?;
                if let Some(other) = similarity::signature_from_hex(&text) {
                    score = score.max(similarity::resemblance(sig, &other));
                }
            }
            sqlx::query("UPDATE rep_messages SET signature = $1 WHERE id = $2")
                .bind(similarity::signature_hex(sig))
                .bind(id)
                .execute(&mut **tx)
                .await?;
            for b in bands {
                sqlx::query("INSERT INTO rep_message_bands (message_id, space_id, band) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(space_id)
                    .bind(b)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        sqlx::query(
            "UPDATE rep_messages SET confirmed_at = $1, similarity = $2, code_hash = NULL WHERE id = $3",
        )
        .bind(t)
        .bind(score)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        let outcome = if score >= HOLD_SIMILARITY {
            sqlx::query("UPDATE rep_messages SET status = 'held' WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            Confirmation::Held { rep }
        } else {
            match self.deliver_in(tx, id, t).await? {
                Some(channel) => Confirmation::Sent { rep, channel },
                None => Confirmation::Unknown,
            }
        };
        Ok(outcome)
    }

    async fn message_text(&self, tx: &mut Tx, id: i64, col: &str, ctx: &str) -> Result<String> {
        let row = sqlx::query(&format!(
            "SELECT {col} AS v FROM rep_messages WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        let v: Option<Vec<u8>> = sqlx::Row::try_get(&row, "v")?;
        match v {
            Some(v) => self.keys.open(ctx, &v),
            None => Ok(String::new()),
        }
    }

    /// Sends a confirmed message the way its representative is reached; returns
    /// the way, or `None` when none is left (the message is then refused).
    async fn deliver_in(&self, tx: &mut Tx, id: i64, t: i64) -> Result<Option<Channel>> {
        let m = sqlx::query(
            "SELECT m.space_id, m.rep_id, m.place_id, m.via, m.lang, r.title AS rep_name, s.name AS space_name,
                    p.email_enc, p.phone_enc, p.address_enc
             FROM rep_messages m JOIN records r ON r.id = m.rep_id JOIN representatives p ON p.record_id = m.rep_id
             JOIN spaces s ON s.id = m.space_id WHERE m.id = $1",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        let space_id = int(&m, "space_id")?;
        let name = self.message_text(tx, id, "name_enc", CTX_NAME).await?;
        let contact = self
            .message_text(tx, id, "contact_enc", CTX_CONTACT)
            .await?;
        let body = self.message_text(tx, id, "body_enc", CTX_BODY).await?;
        let place = match opt_int(&m, "place_id")? {
            Some(p) => sqlx::query("SELECT name FROM places WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| text(&r, "name"))
                .transpose()?
                .unwrap_or_default(),
            None => String::new(),
        };
        let by_email = text(&m, "via")? == "email";
        let sealed = |col: &str| -> Result<Option<Vec<u8>>> { Ok(sqlx::Row::try_get(&m, col)?) };
        let rep_lang = "en";
        let args = [
            ("rep", text(&m, "rep_name")?),
            ("space", text(&m, "space_name")?),
            ("name", name.clone()),
            ("place", if place.is_empty() { "-".into() } else { place }),
            ("contact", contact.clone()),
            ("body", body.clone()),
        ];
        let (channel, mail_id) = if let Some(e) = sealed("email_enc")? {
            let to = self.keys.open(CTX_EMAIL, &e)?;
            let mail = self
                .queue_mail_in(
                    tx,
                    &NewMail {
                        to,
                        subject: say(rep_lang, "rep-mail-subject", &args),
                        body: say(
                            rep_lang,
                            if by_email {
                                "rep-mail-body"
                            } else {
                                "rep-mail-body-phone"
                            },
                            &args,
                        ),
                        purpose: "representative",
                        space_id: Some(space_id),
                        reply_to: by_email.then(|| contact.clone()),
                    },
                )
                .await?;
            (Channel::Email, Some(mail))
        } else if let (Some(ph), Some(ch)) = (
            sealed("phone_enc")?,
            self.sms_channel_in(tx, space_id).await?,
        ) {
            let to = self.keys.open(CTX_PHONE, &ph)?;
            let mut text_out = say(rep_lang, "rep-sms-body", &args);
            if text_out.chars().count() > 1_600 {
                text_out = text_out.chars().take(1_597).collect::<String>() + "...";
            }
            self.queue_sms_to_in(tx, ch, space_id, &to, &text_out)
                .await?;
            (Channel::Sms, None)
        } else if sealed("address_enc")?.is_some() {
            sqlx::query(
                "UPDATE rep_messages SET status = 'letter', delivery = 'letter' WHERE id = $1",
            )
            .bind(id)
            .execute(&mut **tx)
            .await?;
            return Ok(Some(Channel::Letter));
        } else {
            sqlx::query(
                "UPDATE rep_messages SET status = 'refused', moderation_reason = 'rep-error-unreachable' WHERE id = $1",
            )
            .bind(id)
            .execute(&mut **tx)
            .await?;
            return Ok(None);
        };
        sqlx::query(
            "UPDATE rep_messages SET status = 'sent', delivery = $1, delivered_at = $2, mail_id = $3 WHERE id = $4",
        )
        .bind(channel.as_str())
        .bind(t)
        .bind(mail_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(Some(channel))
    }

    async fn sms_channel_in(&self, tx: &mut Tx, space_id: i64) -> Result<Option<i64>> {
        let row =
            sqlx::query("SELECT id FROM sms_channels WHERE space_id = $1 ORDER BY id LIMIT 1")
                .bind(space_id)
                .fetch_optional(&mut **tx)
                .await?;
        row.map(|r| int(&r, "id")).transpose()
    }

    /// The messages the organisers are to review (held as copies), oldest first.
    pub async fn held_messages(&self, scope: &Scope) -> Result<Vec<HeldMessage>> {
        policy::require(scope, policy::may_moderate)?;
        self.organiser_messages(scope, "held", false).await
    }

    /// The letters waiting to be printed and posted, oldest first (organisers).
    pub async fn pending_letters(&self, scope: &Scope) -> Result<Vec<HeldMessage>> {
        scope.require(Role::is_organiser)?;
        self.organiser_messages(scope, "letter", true).await
    }

    async fn organiser_messages(
        &self,
        scope: &Scope,
        status: &str,
        with_address: bool,
    ) -> Result<Vec<HeldMessage>> {
        let rows = sqlx::query(
            "SELECT m.id, m.rep_id, m.place_id, m.similarity, m.created_at, m.name_enc, m.body_enc, r.title,
                    p.address_enc
             FROM rep_messages m JOIN records r ON r.id = m.rep_id JOIN representatives p ON p.record_id = m.rep_id
             WHERE m.space_id = $1 AND m.status = $2 AND m.erased_at IS NULL ORDER BY m.created_at, m.id LIMIT 500",
        )
        .bind(scope.space.id)
        .bind(status)
        .fetch_all(&self.pool)
        .await?;
        let visible: HashSet<i64> = self
            .representatives(scope)
            .await?
            .iter()
            .map(|r| r.id)
            .collect();
        let mut out = Vec::new();
        for r in &rows {
            let rep = int(r, "rep_id")?;
            if !visible.contains(&rep) {
                continue;
            }
            let open = |col: &str, ctx: &str| -> Result<String> {
                let v: Option<Vec<u8>> = sqlx::Row::try_get(r, col)?;
                v.map(|v| self.keys.open(ctx, &v))
                    .transpose()
                    .map(Option::unwrap_or_default)
            };
            out.push(HeldMessage {
                id: int(r, "id")?,
                rep,
                rep_name: text(r, "title")?,
                name: open("name_enc", CTX_NAME)?,
                body: open("body_enc", CTX_BODY)?,
                place: opt_int(r, "place_id")?,
                similarity: sqlx::Row::try_get::<f64, _>(r, "similarity")?,
                created_at: int(r, "created_at")?,
                address: if with_address {
                    open("address_enc", CTX_ADDRESS)?
                } else {
                    String::new()
                },
            });
        }
        Ok(out)
    }

    /// Releases a held message (it is delivered now) or rejects it with a reason
    /// the sender is told. Moderators; audited.
    pub async fn moderate_message(
        &self,
        scope: &Scope,
        id: i64,
        release: bool,
        reason: &str,
    ) -> Result<()> {
        policy::require(scope, policy::may_moderate)?;
        let reason = reason.trim();
        if !release && reason.is_empty() {
            return Err(Error::invalid("reason", "rep-error-reason"));
        }
        if reason.chars().count() > 500 {
            return Err(Error::invalid("reason", "error-too-long"));
        }
        let held = self.held_messages(scope).await?;
        let Some(h) = held.into_iter().find(|h| h.id == id) else {
            return Err(Error::NotFound);
        };
        let t = now();
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE rep_messages SET status = $1, moderated_by = $2, moderation_reason = $3
             WHERE id = $4 AND status = 'held'",
        )
        .bind(if release { "releasing" } else { "rejected" })
        .bind(scope.viewer_id())
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Err(Error::NotFound);
        }
        if release {
            self.deliver_in(&mut tx, id, t).await?;
        } else {
            let m = sqlx::query("SELECT via, lang FROM rep_messages WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            if text(&m, "via")? == "email" {
                let to = self
                    .message_text(&mut tx, id, "contact_enc", CTX_CONTACT)
                    .await?;
                let lang = text(&m, "lang")?;
                let args = [("rep", h.rep_name.clone()), ("reason", reason.to_string())];
                self.queue_mail_in(
                    &mut tx,
                    &NewMail {
                        to,
                        subject: say(&lang, "rep-mail-rejected-subject", &args),
                        body: say(&lang, "rep-mail-rejected-body", &args),
                        purpose: "representative-moderation",
                        space_id: Some(scope.space.id),
                        reply_to: None,
                    },
                )
                .await?;
            }
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: format!("rep_message:{id}"),
                detail: if release {
                    "released".into()
                } else {
                    "rejected".into()
                },
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks letters as printed and posted (organisers; audited). Returns how many.
    pub async fn letters_posted(&self, scope: &Scope, ids: &[i64]) -> Result<usize> {
        let pending: HashSet<i64> = self
            .pending_letters(scope)
            .await?
            .iter()
            .map(|l| l.id)
            .collect();
        let t = now();
        let mut tx = self.pool.begin().await?;
        let mut n = 0;
        for id in ids.iter().filter(|i| pending.contains(i)) {
            n += sqlx::query(
                "UPDATE rep_messages SET status = 'sent', delivered_at = $1 WHERE id = $2 AND status = 'letter'",
            )
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: "letters".into(),
                detail: format!("posted={n}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Asks every sender whose message was delivered [`ASK_AFTER_SECS`] ago
    /// whether they got a reply (by e-mail, or by SMS with the link). Safe to run
    /// from several processes (each message is asked once). Returns how many.
    pub async fn ask_about_replies(&self) -> Result<usize> {
        let t = now();
        let due = sqlx::query(
            "SELECT m.id FROM rep_messages m WHERE m.status = 'sent' AND m.asked_at IS NULL
               AND m.delivered_at <= $1 AND m.erased_at IS NULL AND m.contact_enc IS NOT NULL
             ORDER BY m.delivered_at LIMIT 500",
        )
        .bind(t - ASK_AFTER_SECS)
        .fetch_all(&self.pool)
        .await?;
        let mut asked = 0;
        for d in &due {
            let id = int(d, "id")?;
            let mut tx = self.pool.begin().await?;
            let token = random_token(24)?;
            let claimed = sqlx::query(
                "UPDATE rep_messages SET asked_at = $1, answer_hash = $2 WHERE id = $3 AND asked_at IS NULL",
            )
            .bind(t)
            .bind(self.keys.lookup_hash(HASH_ANSWER, &token)?)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                continue;
            }
            let m = sqlx::query(
                "SELECT m.space_id, m.via, m.lang, m.link_base, m.channel_id, r.title FROM rep_messages m
                 JOIN records r ON r.id = m.rep_id WHERE m.id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let lang = text(&m, "lang")?;
            let contact = self
                .message_text(&mut tx, id, "contact_enc", CTX_CONTACT)
                .await?;
            let link = format!("{}/reply?t={token}", text(&m, "link_base")?);
            let args = [("rep", text(&m, "title")?), ("link", link)];
            let space_id = int(&m, "space_id")?;
            if text(&m, "via")? == "email" {
                self.queue_mail_in(
                    &mut tx,
                    &NewMail {
                        to: contact,
                        subject: say(&lang, "rep-mail-ask-subject", &args),
                        body: say(&lang, "rep-mail-ask-body", &args),
                        purpose: "representative-reply",
                        space_id: Some(space_id),
                        reply_to: None,
                    },
                )
                .await?;
            } else if let Some(ch) = opt_int(&m, "channel_id")? {
                // A sender by phone answers by SMS: YES or NO.
                // One question at a time per phone: a phone still to answer
                // another is asked at a later sweep.
                if !self
                    .rep_sms_ask_in(&mut tx, space_id, ch, &contact, id, &args[0].1, &lang, t)
                    .await?
                {
                    continue;
                }
            }
            tx.commit().await?;
            asked += 1;
        }
        Ok(asked)
    }

    /// The representative a "did you get a reply?" link is about, if it is valid.
    pub async fn reply_question(&self, token: &str) -> Result<Option<(i64, i64)>> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Ok(None);
        }
        let row = sqlx::query("SELECT space_id, rep_id FROM rep_messages WHERE answer_hash = $1")
            .bind(self.keys.lookup_hash(HASH_ANSWER, token)?)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((int(&r, "space_id")?, int(&r, "rep_id")?)))
            .transpose()
    }

    /// Records a sender's answer to "did you get a reply?" (once).
    pub async fn answer_reply(&self, token: &str, replied: bool) -> Result<Answered> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Ok(Answered::Unknown);
        }
        let hash = self.keys.lookup_hash(HASH_ANSWER, token)?;
        let row =
            sqlx::query("SELECT id, rep_id, replied FROM rep_messages WHERE answer_hash = $1")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?;
        let Some(r) = row else {
            return Ok(Answered::Unknown);
        };
        let rep = int(&r, "rep_id")?;
        let done = sqlx::query(
            "UPDATE rep_messages SET replied = $1, answered_at = $2 WHERE id = $3 AND replied IS NULL",
        )
        .bind(if replied { "yes" } else { "no" })
        .bind(now())
        .bind(int(&r, "id")?)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(if done == 1 {
            Answered::Counted { rep }
        } else {
            Answered::AlreadyAnswered { rep }
        })
    }

    /// Each visible representative's messages delivered (suppressed, with
    /// complementary suppression over the table and its total) and reply rate
    /// (shown once as many senders answered as the suppression threshold).
    pub async fn reply_rates(&self, scope: &Scope) -> Result<ReplyRates> {
        let reps = self.representatives(scope).await?;
        let rows = sqlx::query(
            "SELECT rep_id, COUNT(*) AS n,
                    SUM(CASE WHEN replied IS NOT NULL THEN 1 ELSE 0 END) AS answered,
                    SUM(CASE WHEN replied = 'yes' THEN 1 ELSE 0 END) AS yes
             FROM rep_messages WHERE space_id = $1 AND status = 'sent' GROUP BY rep_id",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        let mut by_rep: HashMap<i64, (u64, u64, u64)> = HashMap::new();
        for r in &rows {
            let get = |c: &str| int(r, c).map(|v| v.max(0) as u64);
            by_rep.insert(
                int(r, "rep_id")?,
                (get("n")?, get("answered")?, get("yes")?),
            );
        }
        let counts: Vec<u64> = reps
            .iter()
            .map(|r| by_rep.get(&r.id).map_or(0, |c| c.0))
            .collect();
        let threshold = scope.space.suppression_threshold.max(0) as u64;
        let s = suppress_one_way(&counts, threshold);
        let cells = s.cells.first().cloned().unwrap_or_default();
        let rows = reps
            .into_iter()
            .zip(cells)
            .map(|(rep, sent)| {
                let (_, answered, yes) = by_rep.get(&rep.id).copied().unwrap_or_default();
                let enough = answered >= s.threshold;
                ReplyRow {
                    rate: enough.then(|| yes as f64 / answered as f64),
                    enough,
                    sent,
                    rep,
                }
            })
            .collect();
        Ok(ReplyRates {
            threshold: s.threshold,
            rows,
            total: s.total,
        })
    }

    /// Messages delivered, by the senders' districts (as pledges' counts are:
    /// suppressed, no hidden count given away by the total).
    pub async fn message_counts(&self, scope: &Scope) -> Result<PledgeCounts> {
        let rows = sqlx::query(
            "SELECT place_id, COUNT(*) AS n FROM rep_messages WHERE space_id = $1 AND status = 'sent'
             GROUP BY place_id",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        let places: HashMap<i64, Place> = self
            .all_places(scope)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        // A sender's place may be below a district: counted in its district.
        let district_of = |mut id: i64| -> Option<&Place> {
            for _ in 0..8 {
                let p = places.get(&id)?;
                if p.level <= 2 {
                    return Some(p);
                }
                id = p.parent_id?;
            }
            None
        };
        let mut by: HashMap<Option<i64>, u64> = HashMap::new();
        for r in &rows {
            let n = int(r, "n")?.max(0) as u64;
            let d = opt_int(r, "place_id")?.and_then(district_of).map(|p| p.id);
            *by.entry(d).or_insert(0) += n;
        }
        let mut cells: Vec<(Option<Place>, u64)> = by
            .into_iter()
            .map(|(d, n)| (d.and_then(|d| places.get(&d).cloned()), n))
            .collect();
        cells.sort_by(|a, b| {
            let key = |c: &(Option<Place>, u64)| c.0.as_ref().map(|p| p.name.clone());
            (a.0.is_none(), key(a)).cmp(&(b.0.is_none(), key(b)))
        });
        let counts: Vec<u64> = cells.iter().map(|c| c.1).collect();
        let s = suppress_one_way(&counts, scope.space.suppression_threshold.max(0) as u64);
        let published = s.cells.first().cloned().unwrap_or_default();
        Ok(PledgeCounts {
            threshold: s.threshold,
            total: s.total,
            districts: cells.into_iter().map(|c| c.0).zip(published).collect(),
        })
    }

    /// Erases senders' personal data past each space's retention period (their
    /// name, contact, words, and the links and signature made from them), and
    /// messages never confirmed after their link's time. The counts stay. Returns
    /// how many messages were erased.
    pub async fn erase_expired_senders(&self) -> Result<u64> {
        let t = now();
        let mut n = sqlx::query(
            "UPDATE rep_messages SET status = 'expired', name_enc = NULL, contact_enc = NULL, body_enc = NULL,
                 token_hash = NULL, code_hash = NULL, erased_at = $1
             WHERE status = 'unconfirmed' AND created_at < $2",
        )
        .bind(t)
        .bind(t - CONFIRM_SECS)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let spaces = sqlx::query(
            "SELECT DISTINCT m.space_id, COALESCE(c.retention_days, $1) AS days FROM rep_messages m
             LEFT JOIN campaign_settings c ON c.space_id = m.space_id WHERE m.erased_at IS NULL",
        )
        .bind(super::DEFAULT_RETENTION_DAYS)
        .fetch_all(&self.pool)
        .await?;
        for s in &spaces {
            let space_id = int(s, "space_id")?;
            let before = t - int(s, "days")? * 86_400;
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "DELETE FROM rep_message_bands WHERE message_id IN
                   (SELECT id FROM rep_messages WHERE space_id = $1 AND erased_at IS NULL
                      AND COALESCE(delivered_at, created_at) < $2)",
            )
            .bind(space_id)
            .bind(before)
            .execute(&mut *tx)
            .await?;
            n += sqlx::query(
                "UPDATE rep_messages SET name_enc = NULL, contact_enc = NULL, body_enc = NULL, signature = NULL,
                     token_hash = NULL, code_hash = NULL, answer_hash = NULL, sender_hash = '', erased_at = $1,
                     status = CASE WHEN status IN ('held', 'letter') THEN 'expired' ELSE status END
                 WHERE space_id = $2 AND erased_at IS NULL AND COALESCE(delivered_at, created_at) < $3",
            )
            .bind(t)
            .bind(space_id)
            .bind(before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
        }
        Ok(n)
    }

    /// The sweep of the writing: ask about replies, erase what is past its time.
    pub async fn representatives_sweep(&self) -> Result<()> {
        self.ask_about_replies().await?;
        self.sweep_rep_sms_drafts().await?;
        self.erase_expired_senders().await?;
        Ok(())
    }
}
