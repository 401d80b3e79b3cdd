//! Calls to action: confidence-building measures people sign up for, later report
//! on, and the moderation of what the public writes.
//!
//! - A **call** is a record (kind `campaign_call`, for a public) with, if the
//!   organisers give them, an SMS keyword and a closing date.
//! - **Signing up** on the web takes an e-mail address and, if the person
//!   chooses, a district; it counts once the link sent to the address is followed.
//!   By SMS, texting the keyword (with a district as a second word, if wanted)
//!   signs up at once. One sign-up per address and per phone (a keyed hash).
//!   Confirming sends a personal link to **report** what one did.
//! - A **report** is a record (kind `campaign_report`) written by no user: its
//!   text and, if the person likes, a photo (through the media pipeline, so every
//!   piece of metadata is gone). It is kept at the organisers' level until a
//!   moderator **publishes** it (its level becomes public, through the envelope) or
//!   rejects it, with a reason; both audited.
//! - Anyone may **flag** a published report as abusive, with a reason; moderators
//!   **hide** it (back to the organisers' level, the reason kept) or dismiss the
//!   flag, and may show a hidden report again. Audited.
//! - Counts only, by district, suppressed as pledges' are, on every public exit.

use serde::Serialize;

use crate::access::envelope::{Envelope, NewRow};
use crate::access::{kinds, policy, visible, Scope};
use crate::activities::local_to_unix;
use crate::audit::{AuditAction, Event};
use crate::campaign::pledges::PledgeCounts;
use crate::error::{Error, Invalid, Result};
use crate::mail::{plausible_address, NewMail};
use crate::media::{self, photo::Photo, Medium};
use crate::model::{Level, Role};
use crate::sms::flows::{self, Flow};
use crate::storage::{bind_all, int, opt_int, opt_text, text, Bind, Db};
use crate::util::{now, random_token};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

const HASH_WHO: &str = "call.signup";
const HASH_TOKEN: &str = "call.confirm";
const HASH_REPORT: &str = "call.report";
pub const CTX_CONTACT: &str = "call_signups.contact";
/// How long a confirmation link works.
pub const CONFIRM_SECS: i64 = 7 * 86_400;
/// Reports one sign-up may send.
pub const MAX_REPORTS: i64 = 3;
/// How much a report may say.
pub const MAX_REPORT_CHARS: usize = 3_000;
/// Contacts of a call with no closing date are erased this long after it began.
pub const KEEP_OPEN_SECS: i64 = 366 * 86_400;
/// Personal report links work this long after sign-ups close (people report what
/// they did after signing up ends).
pub const REPORT_AFTER_CLOSE_SECS: i64 = 90 * 86_400;

/// A call to action.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub keyword: Option<String>,
    /// The end of sign-ups (Unix time), if any.
    pub closes_at: Option<i64>,
    pub level: Level,
    pub accepting: bool,
}

/// A call to write.
#[derive(Debug, Clone, Default)]
pub struct NewCall {
    pub title: String,
    pub body: String,
    pub keyword: String,
    /// The last day of sign-ups, `YYYY-MM-DD` in the space's zone; empty for none.
    pub closes_on: String,
    pub level: Option<Level>,
}

/// A sign-up by web.
#[derive(Debug, Clone, Default)]
pub struct WebSignup {
    pub email: String,
    pub district: Option<i64>,
    pub lang: String,
    /// The call's absolute address; `/confirm?t=` and `/report?r=` are added.
    pub link_base: String,
}

/// What following a confirmation link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SignupConfirmed {
    Counted { call: i64 },
    AlreadyUsed { call: i64 },
    Expired,
    Closed { call: i64 },
    Unknown,
}

/// A report as readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: i64,
    pub call_id: i64,
    pub body: String,
    pub place_id: Option<i64>,
    /// `pending`, `published`, `rejected` or `hidden`.
    pub status: String,
    pub reason: String,
    pub photos: Vec<Medium>,
    pub created_at: i64,
}

/// A flag raised on a published report.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    pub id: i64,
    pub record_id: i64,
    pub reason: String,
    pub created_at: i64,
    pub report: Option<Report>,
}

/// A report to send through a personal link: its text, and a photo or a video
/// with its description, if the person sends one.
#[derive(Debug, Clone, Default)]
pub struct NewReport {
    pub body: String,
    pub photo: Option<(Photo, String)>,
    pub video: Option<(media::video::Prepared, String)>,
}

fn say(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::reply(lang, key, args)
}

const CALL_COLS: &str =
    "r.id, r.title, r.body, r.confidentiality, c.keyword, c.closes_at, c.erased_at";

fn call_from_row(r: &sqlx::any::AnyRow, t: i64) -> Result<Call> {
    let closes_at = opt_int(r, "closes_at")?;
    Ok(Call {
        id: int(r, "id")?,
        title: text(r, "title")?,
        body: text(r, "body")?,
        keyword: opt_text(r, "keyword")?,
        closes_at,
        level: Level::from_i64(int(r, "confidentiality")?).unwrap_or(Level::Organisers),
        accepting: closes_at.is_none_or(|c| c > t) && opt_int(r, "erased_at")?.is_none(),
    })
}

const REPORT_COLS: &str =
    "r.id, r.body, cr.call_id, cr.place_id, cr.status, cr.reason, cr.created_at";

fn report_from_row(r: &sqlx::any::AnyRow) -> Result<Report> {
    Ok(Report {
        id: int(r, "id")?,
        call_id: int(r, "call_id")?,
        body: text(r, "body")?,
        place_id: opt_int(r, "place_id")?,
        status: text(r, "status")?,
        reason: text(r, "reason")?,
        photos: vec![],
        created_at: int(r, "created_at")?,
    })
}

impl Db {
    /// Writes a call to action (organisers; audited).
    pub async fn create_call(&self, scope: &Scope, new: &NewCall) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut problems = Vec::new();
        let (title, body) = (new.title.trim(), new.body.trim());
        if title.is_empty() {
            problems.push(Invalid {
                field: "title",
                key: "error-required",
            });
        } else if title.chars().count() > 200 {
            problems.push(Invalid {
                field: "title",
                key: "error-too-long",
            });
        }
        if body.chars().count() > 5_000 {
            problems.push(Invalid {
                field: "body",
                key: "error-too-long",
            });
        }
        let t = now();
        let closes_at = if new.closes_on.trim().is_empty() {
            None
        } else {
            match local_to_unix(
                &format!("{}T23:59:59", new.closes_on.trim()),
                &scope.space.time_zone,
            )
            .filter(|_| new.closes_on.trim().len() == 10)
            {
                Some(c) if c > t => Some(c),
                Some(_) => {
                    problems.push(Invalid {
                        field: "closes_on",
                        key: "pledge-error-deadline",
                    });
                    None
                }
                None => {
                    problems.push(Invalid {
                        field: "closes_on",
                        key: "error-date",
                    });
                    None
                }
            }
        };
        let keyword = if new.keyword.trim().is_empty() {
            None
        } else {
            match flows::normalise_keyword(&new.keyword) {
                Some(k) => Some(k),
                None => {
                    problems.push(Invalid {
                        field: "keyword",
                        key: "poll-error-keyword",
                    });
                    None
                }
            }
        };
        let level = new.level.unwrap_or(Level::Public);
        if level == Level::Named {
            problems.push(Invalid {
                field: "level",
                key: "campaign-error-level",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::CAMPAIGN_CALL,
                    title,
                    body,
                    search: &format!("{title}\n{body}").to_lowercase(),
                },
                &Envelope::at(level),
            )
            .await?;
        sqlx::query(
            "INSERT INTO calls (record_id, space_id, keyword, closes_at, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(scope.space.id)
        .bind(keyword.as_deref())
        .bind(closes_at)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        if let Some(k) = &keyword {
            flows::reserve_in(&mut tx, scope.space.id, k, Flow::Call, id).await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::CampaignChange,
                target: format!("campaign_call:{id}"),
                detail: format!("created level={}", level.as_str()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The calls the viewer may see, the newest first.
    pub async fn calls(&self, scope: &Scope) -> Result<Vec<Call>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {CALL_COLS} FROM records r JOIN calls c ON c.record_id = r.id
             WHERE r.kind = 'campaign_call' AND r.space_id = $1 AND {rule} ORDER BY r.id DESC"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let t = now();
        rows.iter().map(|r| call_from_row(r, t)).collect()
    }

    /// One call, if the viewer may see it.
    pub async fn call(&self, scope: &Scope, id: i64) -> Result<Call> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {CALL_COLS} FROM records r JOIN calls c ON c.record_id = r.id
             WHERE r.kind = 'campaign_call' AND r.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        call_from_row(&row, now())
    }

    /// Signs up by web: counts once the link sent to the address is followed. The
    /// answer is the same whether or not the address had signed up.
    pub async fn sign_up_for_call(&self, scope: &Scope, id: i64, s: &WebSignup) -> Result<()> {
        let call = self.call(scope, id).await?;
        let email = s.email.trim().to_lowercase();
        let mut problems = Vec::new();
        if !plausible_address(&email) {
            problems.push(Invalid {
                field: "email",
                key: "error-email",
            });
        }
        if let Some(d) = s.district {
            if !matches!(self.place_by_id(scope, d).await, Ok(p) if p.level == 2) {
                problems.push(Invalid {
                    field: "district",
                    key: "pledge-error-district",
                });
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        if !call.accepting {
            return Err(Error::invalid("call", "call-error-closed"));
        }
        let lang = crate::i18n::Lang::parse(&s.lang)
            .unwrap_or(crate::i18n::Lang::En)
            .code();
        let who = format!(
            "web:{}",
            self.keys.lookup_hash(HASH_WHO, &format!("email:{email}"))?
        );
        let token = random_token(24)?;
        let base = s.link_base.trim_end_matches('/');
        let args = [
            ("title", call.title.chars().take(80).collect::<String>()),
            ("link", format!("{base}/confirm?t={token}")),
        ];
        let t = now();
        let mut tx = self.pool.begin().await?;
        let existing = sqlx::query(
            "SELECT id, confirmed_at FROM call_signups WHERE call_id = $1 AND who_hash = $2",
        )
        .bind(id)
        .bind(&who)
        .fetch_optional(&mut *tx)
        .await?;
        let (key, send) = match existing {
            Some(r) if opt_int(&r, "confirmed_at")?.is_some() => ("call-mail-already", true),
            Some(r) => {
                sqlx::query(
                    "UPDATE call_signups SET token_hash = $1, place_id = $2, lang = $3, link_base = $4, created_at = $5 WHERE id = $6",
                )
                .bind(self.keys.lookup_hash(HASH_TOKEN, &token)?)
                .bind(s.district)
                .bind(lang)
                .bind(base)
                .bind(t)
                .bind(int(&r, "id")?)
                .execute(&mut *tx)
                .await?;
                ("call-mail-confirm-body", true)
            }
            None => {
                sqlx::query(
                    "INSERT INTO call_signups (call_id, who_hash, via, contact_enc, place_id, lang, link_base, token_hash, created_at)
                     VALUES ($1, $2, 'web', $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(&who)
                .bind(self.keys.seal(CTX_CONTACT, &email)?)
                .bind(s.district)
                .bind(lang)
                .bind(base)
                .bind(self.keys.lookup_hash(HASH_TOKEN, &token)?)
                .bind(t)
                .execute(&mut *tx)
                .await?;
                ("call-mail-confirm-body", true)
            }
        };
        if send {
            self.queue_mail_in(
                &mut tx,
                &NewMail {
                    to: email,
                    subject: say(lang, "call-mail-confirm-subject", &args),
                    body: say(lang, key, &args),
                    purpose: "call",
                    space_id: Some(scope.space.id),
                    reply_to: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Follows a sign-up's confirmation link: it counts from now, and a personal
    /// link to report what one did goes to the address.
    pub async fn confirm_call_signup(&self, token: &str) -> Result<SignupConfirmed> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Ok(SignupConfirmed::Unknown);
        }
        let t = now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT s.id, s.call_id, s.confirmed_at, s.created_at, s.contact_enc, s.lang, s.link_base,
                    c.closes_at, c.erased_at, c.space_id, r.title
             FROM call_signups s JOIN calls c ON c.record_id = s.call_id JOIN records r ON r.id = s.call_id
             WHERE s.token_hash = $1",
        )
        .bind(self.keys.lookup_hash(HASH_TOKEN, token)?)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = row else {
            return Ok(SignupConfirmed::Unknown);
        };
        let call = int(&r, "call_id")?;
        if opt_int(&r, "confirmed_at")?.is_some() {
            return Ok(SignupConfirmed::AlreadyUsed { call });
        }
        if opt_int(&r, "closes_at")?.is_some_and(|c| c <= t) || opt_int(&r, "erased_at")?.is_some()
        {
            return Ok(SignupConfirmed::Closed { call });
        }
        if int(&r, "created_at")? + CONFIRM_SECS < t {
            return Ok(SignupConfirmed::Expired);
        }
        let report = random_token(24)?;
        let done = sqlx::query(
            "UPDATE call_signups SET confirmed_at = $1, report_hash = $2 WHERE id = $3 AND confirmed_at IS NULL",
        )
        .bind(t)
        .bind(self.keys.lookup_hash(HASH_REPORT, &report)?)
        .bind(int(&r, "id")?)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(SignupConfirmed::AlreadyUsed { call });
        }
        sqlx::query("UPDATE calls SET signups = signups + 1 WHERE record_id = $1")
            .bind(call)
            .execute(&mut *tx)
            .await?;
        let lang = text(&r, "lang")?;
        let sealed: Option<Vec<u8>> = sqlx::Row::try_get(&r, "contact_enc")?;
        if let Some(sealed) = sealed {
            let args = [
                (
                    "title",
                    text(&r, "title")?.chars().take(80).collect::<String>(),
                ),
                (
                    "link",
                    format!("{}/report?r={report}", text(&r, "link_base")?),
                ),
            ];
            self.queue_mail_in(
                &mut tx,
                &NewMail {
                    to: self.keys.open(CTX_CONTACT, &sealed)?,
                    subject: say(&lang, "call-mail-report-subject", &args),
                    body: say(&lang, "call-mail-report-body", &args),
                    purpose: "call",
                    space_id: Some(int(&r, "space_id")?),
                    reply_to: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(SignupConfirmed::Counted { call })
    }

    /// The call's sign-ups by district, suppressed (complementary suppression: no
    /// total gives a hidden district away).
    pub async fn call_counts(&self, scope: &Scope, id: i64) -> Result<PledgeCounts> {
        self.call(scope, id).await?;
        let rows = sqlx::query(
            "SELECT place_id, COUNT(*) AS n FROM call_signups WHERE call_id = $1 AND confirmed_at IS NOT NULL
             GROUP BY place_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        self.counts_by_place(scope, &rows).await
    }

    /// The call and space a personal report link is for, while it works.
    pub async fn report_link(&self, token: &str) -> Result<Option<(i64, i64)>> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT s.call_id, c.space_id FROM call_signups s JOIN calls c ON c.record_id = s.call_id
             WHERE s.report_hash = $1",
        )
        .bind(self.keys.lookup_hash(HASH_REPORT, token)?)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((int(&r, "call_id")?, int(&r, "space_id")?)))
            .transpose()
    }

    /// How many more reports a personal link may send (0 for an unknown link).
    pub async fn reports_left(&self, token: &str) -> Result<i64> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Ok(0);
        }
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM call_reports r WHERE r.signup_id = s.id) AS n
             FROM call_signups s WHERE s.report_hash = $1",
        )
        .bind(self.keys.lookup_hash(HASH_REPORT, token)?)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => (MAX_REPORTS - int(&r, "n")?).max(0),
            None => 0,
        })
    }

    /// Sends a report through a personal link: kept for the moderators, with its
    /// photo (metadata already gone), until one publishes it.
    pub async fn submit_report(&self, scope: &Scope, token: &str, r: &NewReport) -> Result<i64> {
        let Some((call_id, space_id)) = self.report_link(token).await? else {
            return Err(Error::NotFound);
        };
        if space_id != scope.space.id {
            return Err(Error::NotFound);
        }
        let body = r.body.trim();
        let mut problems = Vec::new();
        if body.is_empty() {
            problems.push(Invalid {
                field: "body",
                key: "error-required",
            });
        } else if body.chars().count() > MAX_REPORT_CHARS {
            problems.push(Invalid {
                field: "body",
                key: "error-too-long",
            });
        }
        let alt = r
            .photo
            .as_ref()
            .map(|p| &p.1)
            .or(r.video.as_ref().map(|v| &v.1));
        if let Some(alt) = alt {
            let alt = alt.trim();
            if alt.is_empty() {
                problems.push(Invalid {
                    field: "alt",
                    key: "error-required",
                });
            } else if alt.chars().count() > media::MAX_ALT {
                problems.push(Invalid {
                    field: "alt",
                    key: "error-too-long",
                });
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let signup = sqlx::query("SELECT id, place_id FROM call_signups WHERE report_hash = $1")
            .bind(self.keys.lookup_hash(HASH_REPORT, token.trim())?)
            .fetch_one(&self.pool)
            .await?;
        let signup_id = int(&signup, "id")?;
        let sent = sqlx::query("SELECT COUNT(*) AS n FROM call_reports WHERE signup_id = $1")
            .bind(signup_id)
            .fetch_one(&self.pool)
            .await?;
        if int(&sent, "n")? >= MAX_REPORTS {
            return Err(Error::invalid("body", "call-error-reports"));
        }
        let title: String = body.chars().take(80).collect();
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record_by(
                &mut tx,
                scope,
                None,
                NewRow {
                    kind: kinds::CAMPAIGN_REPORT,
                    title: &title,
                    body,
                    search: &body.to_lowercase(),
                },
                &Envelope::at(Level::Organisers),
            )
            .await?;
        sqlx::query(
            "INSERT INTO call_reports (record_id, call_id, signup_id, place_id, status, created_at)
             VALUES ($1, $2, $3, $4, 'pending', $5)",
        )
        .bind(id)
        .bind(call_id)
        .bind(signup_id)
        .bind(opt_int(&signup, "place_id")?)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        if let Some((photo, alt)) = &r.photo {
            self.store_photo_in(
                &mut tx,
                media::Owner {
                    space_id: scope.space.id,
                    record_id: id,
                    by: None,
                },
                alt.trim(),
                photo,
            )
            .await?;
        }
        if let Some((video, alt)) = &r.video {
            self.store_video_in(
                &mut tx,
                media::Owner {
                    space_id: scope.space.id,
                    record_id: id,
                    by: None,
                },
                alt.trim(),
                video,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn with_photos(&self, mut reports: Vec<Report>) -> Result<Vec<Report>> {
        let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
        let media = self.media_of(&ids).await?;
        for r in &mut reports {
            r.photos = media
                .iter()
                .filter(|m| m.record_id == r.id)
                .cloned()
                .collect();
        }
        Ok(reports)
    }

    /// The call's reports the viewer may see: the public sees the published ones;
    /// moderators see every one.
    pub async fn call_reports(&self, scope: &Scope, call_id: i64) -> Result<Vec<Report>> {
        self.call(scope, call_id).await?;
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(call_id)];
        let rule = visible(scope, &mut binds);
        let published = if policy::may_moderate(scope) {
            ""
        } else {
            "AND cr.status = 'published'"
        };
        let sql = format!(
            "SELECT {REPORT_COLS} FROM records r JOIN call_reports cr ON cr.record_id = r.id
             WHERE r.kind = 'campaign_report' AND r.space_id = $1 AND cr.call_id = $2 AND {rule} {published}
             ORDER BY cr.created_at DESC, r.id DESC"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let reports = rows
            .iter()
            .map(report_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.with_photos(reports).await
    }

    /// The reports waiting for a moderator, oldest first.
    pub async fn pending_reports(&self, scope: &Scope) -> Result<Vec<Report>> {
        policy::require(scope, policy::may_moderate)?;
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLS} FROM records r JOIN call_reports cr ON cr.record_id = r.id
             WHERE r.space_id = $1 AND cr.status = 'pending' ORDER BY cr.created_at, r.id LIMIT 200"
        ))
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        let reports = rows
            .iter()
            .map(report_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.with_photos(reports).await
    }

    /// A report's photo, if the viewer may see the report; and whether it may be
    /// cached by others (a published report of a public call in a public space).
    pub async fn report_photo(
        &self,
        scope: &Scope,
        report_id: i64,
        media_id: i64,
        variant: &str,
    ) -> Result<(media::Bytes, bool)> {
        let public = self.visible_report(scope, report_id).await?;
        Ok((
            self.media_bytes(report_id, media_id, variant).await?,
            public,
        ))
    }

    /// A report's video (or its low version), in pieces, under the same rule as
    /// its photos.
    pub async fn report_media_stream(
        &self,
        scope: &Scope,
        report_id: i64,
        media_id: i64,
        variant: &str,
    ) -> Result<(media::Stream, bool)> {
        let public = self.visible_report(scope, report_id).await?;
        Ok((
            self.media_stream(report_id, media_id, variant).await?,
            public,
        ))
    }

    /// Whether the viewer may see the report's media (`NotFound` if not), and
    /// whether others may cache them.
    async fn visible_report(&self, scope: &Scope, report_id: i64) -> Result<bool> {
        // The call must be visible too.
        let call = sqlx::query("SELECT call_id FROM call_reports WHERE record_id = $1")
            .bind(report_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        self.call(scope, int(&call, "call_id")?).await?;
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(report_id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.confidentiality, cr.status FROM records r JOIN call_reports cr ON cr.record_id = r.id
             WHERE r.kind = 'campaign_report' AND r.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let status = text(&row, "status")?;
        if status != "published" && !policy::may_moderate(scope) {
            return Err(Error::NotFound);
        }
        Ok(int(&row, "confidentiality")? == Level::Public.as_i64()
            && status == "published"
            && scope.space.is_public)
    }

    /// Moves a report to `status` at `level`, with the reason, audited.
    async fn set_report_status(
        &self,
        scope: &Scope,
        id: i64,
        from: &[&str],
        status: &str,
        level: Level,
        reason: &str,
    ) -> Result<()> {
        policy::require(scope, policy::may_moderate)?;
        let target = self
            .level_target(scope, id, &[kinds::CAMPAIGN_REPORT])
            .await?;
        let mut tx = self.pool.begin().await?;
        let current = sqlx::query("SELECT status FROM call_reports WHERE record_id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound)?;
        if !from.contains(&text(&current, "status")?.as_str()) {
            return Err(Error::invalid("status", "call-error-status"));
        }
        sqlx::query(
            "UPDATE call_reports SET status = $1, reason = $2, moderated_by = $3, moderated_at = $4 WHERE record_id = $5",
        )
        .bind(status)
        .bind(reason)
        .bind(scope.viewer_id())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        self.change_level_in(&mut tx, scope, target, &Envelope::at(level))
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: format!("campaign_report:{id}"),
                detail: status.to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a pending report (moderators; audited), or rejects it with a
    /// reason.
    pub async fn moderate_report(
        &self,
        scope: &Scope,
        id: i64,
        publish: bool,
        reason: &str,
    ) -> Result<()> {
        let reason = reason.trim();
        if !publish && reason.is_empty() {
            return Err(Error::invalid("reason", "rep-error-reason"));
        }
        if reason.chars().count() > 500 {
            return Err(Error::invalid("reason", "error-too-long"));
        }
        let (status, level) = if publish {
            ("published", self.call_level_of_report(scope, id).await?)
        } else {
            ("rejected", Level::Organisers)
        };
        self.set_report_status(scope, id, &["pending"], status, level, reason)
            .await
    }

    /// Flags a published report as abusive (anyone who sees it), with a reason.
    pub async fn flag_report(&self, scope: &Scope, id: i64, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("reason", "call-error-flag"));
        }
        if reason.chars().count() > 500 {
            return Err(Error::invalid("reason", "error-too-long"));
        }
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id FROM records r JOIN call_reports cr ON cr.record_id = r.id
             WHERE r.kind = 'campaign_report' AND r.space_id = $1 AND r.id = $2 AND cr.status = 'published' AND {rule}"
        );
        bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        // At most fifty open flags on one report: more add nothing to read.
        let open = sqlx::query(
            "SELECT COUNT(*) AS n FROM abuse_flags WHERE record_id = $1 AND status = 'open'",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        if int(&open, "n")? >= 50 {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO abuse_flags (space_id, record_id, reason, status, created_at) VALUES ($1, $2, $3, 'open', $4)",
        )
        .bind(scope.space.id)
        .bind(id)
        .bind(reason)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The open flags, oldest first, each with its report (moderators).
    pub async fn open_flags(&self, scope: &Scope) -> Result<Vec<Flag>> {
        policy::require(scope, policy::may_moderate)?;
        let rows = sqlx::query(
            "SELECT id, record_id, reason, created_at FROM abuse_flags
             WHERE space_id = $1 AND status = 'open' ORDER BY created_at, id LIMIT 200",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let record_id = int(r, "record_id")?;
            let report = sqlx::query(&format!(
                "SELECT {REPORT_COLS} FROM records r JOIN call_reports cr ON cr.record_id = r.id WHERE r.id = $1"
            ))
            .bind(record_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|row| report_from_row(&row))
            .transpose()?;
            out.push(Flag {
                id: int(r, "id")?,
                record_id,
                reason: text(r, "reason")?,
                created_at: int(r, "created_at")?,
                report,
            });
        }
        Ok(out)
    }

    /// Hides a published report (moderators; audited): back to the organisers'
    /// level, with the reason; its open flags are settled.
    pub async fn hide_report(&self, scope: &Scope, id: i64, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("reason", "rep-error-reason"));
        }
        self.set_report_status(
            scope,
            id,
            &["published"],
            "hidden",
            Level::Organisers,
            reason,
        )
        .await?;
        self.settle_flags(scope, id, "acted").await
    }

    /// Shows a hidden report again, with a reason (moderators; audited).
    pub async fn unhide_report(&self, scope: &Scope, id: i64, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("reason", "rep-error-reason"));
        }
        let level = self.call_level_of_report(scope, id).await?;
        self.set_report_status(scope, id, &["hidden"], "published", level, reason)
            .await
    }

    /// The level a report is published at: its call's (a members' call's reports
    /// are for the members).
    async fn call_level_of_report(&self, scope: &Scope, id: i64) -> Result<Level> {
        let row = sqlx::query(
            "SELECT c.confidentiality FROM call_reports cr JOIN records c ON c.id = cr.call_id
             WHERE cr.record_id = $1 AND c.space_id = $2",
        )
        .bind(id)
        .bind(scope.space.id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        Ok(Level::from_i64(int(&row, "confidentiality")?)
            .filter(|l| *l != Level::Named)
            .unwrap_or(Level::Organisers))
    }

    /// Dismisses the open flags of a report, leaving it shown (moderators; audited).
    pub async fn dismiss_flags(&self, scope: &Scope, id: i64) -> Result<()> {
        policy::require(scope, policy::may_moderate)?;
        self.settle_flags(scope, id, "dismissed").await?;
        self.audit(Event {
            space_id: Some(scope.space.id),
            user_id: scope.viewer_id(),
            action: AuditAction::CampaignChange,
            target: format!("campaign_report:{id}"),
            detail: "flags dismissed".into(),
        })
        .await?;
        Ok(())
    }

    async fn settle_flags(&self, scope: &Scope, id: i64, how: &str) -> Result<()> {
        sqlx::query(
            "UPDATE abuse_flags SET status = $1, handled_by = $2, handled_at = $3
             WHERE space_id = $4 AND record_id = $5 AND status = 'open'",
        )
        .bind(how)
        .bind(scope.viewer_id())
        .bind(now())
        .bind(scope.space.id)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Erases the contacts of calls whose sign-ups ended (or that began more than
    /// [`KEEP_OPEN_SECS`] ago) and unconfirmed sign-ups older than their link;
    /// the counts and the reports stay. Returns how many calls were closed.
    pub async fn close_due_calls(&self) -> Result<usize> {
        let t = now();
        let due = sqlx::query(
            "SELECT record_id FROM calls WHERE erased_at IS NULL
               AND ((closes_at IS NOT NULL AND closes_at <= $1) OR created_at <= $2)",
        )
        .bind(t)
        .bind(t - KEEP_OPEN_SECS)
        .fetch_all(&self.pool)
        .await?;
        for d in &due {
            let id = int(d, "record_id")?;
            let mut tx: Tx = self.pool.begin().await?;
            sqlx::query("DELETE FROM call_signups WHERE call_id = $1 AND confirmed_at IS NULL")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE call_signups SET contact_enc = NULL, token_hash = NULL WHERE call_id = $1",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE calls SET erased_at = $1 WHERE record_id = $2")
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sms_keywords WHERE flow = $1 AND ref_id = $2")
                .bind(Flow::Call.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        sqlx::query("DELETE FROM call_signups WHERE confirmed_at IS NULL AND created_at < $1")
            .bind(t - CONFIRM_SECS)
            .execute(&self.pool)
            .await?;
        // The report links, a while after sign-ups ended.
        sqlx::query(
            "UPDATE call_signups SET report_hash = NULL WHERE report_hash IS NOT NULL AND call_id IN
               (SELECT record_id FROM calls WHERE erased_at IS NOT NULL AND erased_at < $1)",
        )
        .bind(t - REPORT_AFTER_CLOSE_SECS)
        .execute(&self.pool)
        .await?;
        Ok(due.len())
    }

    /// Signs up by SMS (the call's keyword, with a district's name or code as a
    /// second word if wanted): counted at once, once per phone.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn call_sms_sign_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        call_id: i64,
        channel_id: i64,
        phone: &str,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Option<Vec<String>>> {
        let lang = crate::util::reply_language(typed);
        let row = sqlx::query(
            "SELECT r.title, r.confidentiality, c.closes_at, c.erased_at FROM records r
             JOIN calls c ON c.record_id = r.id JOIN spaces s ON s.id = r.space_id
             WHERE r.id = $1 AND r.space_id = $2",
        )
        .bind(call_id)
        .bind(space_id)
        .fetch_optional(&mut **tx)
        .await?;
        // Only a public call is for anyone who texts.
        let Some(row) =
            row.filter(|r| int(r, "confidentiality").is_ok_and(|l| l == Level::Public.as_i64()))
        else {
            return Ok(None);
        };
        let title: String = text(&row, "title")?.chars().take(60).collect();
        if opt_int(&row, "closes_at")?.is_some_and(|c| c <= t)
            || opt_int(&row, "erased_at")?.is_some()
        {
            return Ok(Some(vec![say(
                lang,
                "call-sms-closed",
                &[("title", title)],
            )]));
        }
        let second = typed
            .split_whitespace()
            .nth(1)
            .map(|w| crate::util::clean_word(w).to_lowercase());
        let mut district = None;
        if let Some(w) = &second {
            let places = sqlx::query(
                "SELECT id, code, name, names FROM places WHERE space_id = $1 AND level = 2",
            )
            .bind(space_id)
            .fetch_all(&mut **tx)
            .await?;
            for p in &places {
                let names: std::collections::BTreeMap<String, String> =
                    serde_json::from_str(&opt_text(p, "names")?.unwrap_or_default())
                        .unwrap_or_default();
                if text(p, "code")?.to_lowercase() == *w
                    || text(p, "name")?.to_lowercase() == *w
                    || names.values().any(|n| n.to_lowercase() == *w)
                {
                    district = Some(int(p, "id")?);
                    break;
                }
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO call_signups (call_id, who_hash, via, contact_enc, channel_id, place_id, lang, confirmed_at, created_at)
             VALUES ($1, $2, 'sms', $3, $4, $5, $6, $7, $7)
             ON CONFLICT (call_id, who_hash) DO NOTHING RETURNING id",
        )
        .bind(call_id)
        .bind(format!("sms:{phone_hash}"))
        .bind(self.keys.seal(CTX_CONTACT, phone)?)
        .bind(channel_id)
        .bind(district)
        .bind(lang)
        .bind(t)
        .fetch_optional(&mut **tx)
        .await?;
        if inserted.is_none() {
            return Ok(Some(vec![say(
                lang,
                "call-sms-already",
                &[("title", title)],
            )]));
        }
        sqlx::query("UPDATE calls SET signups = signups + 1 WHERE record_id = $1")
            .bind(call_id)
            .execute(&mut **tx)
            .await?;
        let mut reply = say(lang, "call-sms-signed", &[("title", title)]);
        if second.is_some() && district.is_none() {
            reply.push('\n');
            reply.push_str(&say(lang, "pledge-sms-no-district", &[]));
        }
        Ok(Some(vec![reply]))
    }

    /// Withdraws the phone's sign-ups from the space's calls still taking them
    /// (DELETE); returns how many.
    pub(crate) async fn call_sms_delete_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<u64> {
        let rows = sqlx::query(
            "SELECT s.id, s.call_id FROM call_signups s JOIN calls c ON c.record_id = s.call_id
             WHERE c.space_id = $1 AND s.who_hash = $2 AND c.erased_at IS NULL",
        )
        .bind(space_id)
        .bind(format!("sms:{phone_hash}"))
        .fetch_all(&mut **tx)
        .await?;
        for r in &rows {
            sqlx::query("DELETE FROM call_signups WHERE id = $1")
                .bind(int(r, "id")?)
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE calls SET signups = signups - 1 WHERE record_id = $1")
                .bind(int(r, "call_id")?)
                .execute(&mut **tx)
                .await?;
        }
        Ok(rows.len() as u64)
    }
}
