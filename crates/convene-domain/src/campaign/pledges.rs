//! Pledges: "I will … if N others will too" (as PledgeBank put it), with a target,
//! a deadline and, if the organisers give one, an SMS keyword.
//!
//! - A pledge is a record (kind `campaign_pledge`) at a level (never named people
//!   only: it is for a public). Organisers write it.
//! - **Signing** on the web takes an e-mail address and, if the signer chooses, a
//!   district; nothing counts until the link sent to that address is followed
//!   (within [`CONFIRM_SECS`]). By SMS, texting the keyword (with a district's name
//!   or code as a second word, if wanted) signs at once: the phone is the proof.
//!   One signature per address and per phone (a keyed hash of it).
//! - The confirmed signers are counted in the transaction that confirms one. When
//!   the count reaches the target the pledge **tips**: every signer is told (by
//!   e-mail or SMS, in the language they signed in) in that same transaction.
//!   When the deadline passes untipped, it **fails** and every signer is told.
//!   After the deadline, the signers' contacts are erased; only the counts stay.
//! - Public pages show **counts only**, never names, suppressed below the space's
//!   threshold with complementary suppression ([`suppress_one_way`]): no total
//!   gives a hidden district away by subtraction.
//! - Web signatures and confirmations are written by one group-commit writer, so
//!   that a burst (a campaign mentioned on television) commits many per
//!   transaction, each answered only once durable.

use std::collections::HashMap;
use std::sync::Arc;

use convene_analysis::survey::{suppress_one_way, Published};
use serde::Serialize;

use crate::access::envelope::{Envelope, NewRow};
use crate::access::{kinds, visible, Scope};
use crate::activities::{local_to_unix, unix_to_local};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::mail::{plausible_address, NewMail};
use crate::model::{Level, Role};
use crate::places::Place;
use crate::sms::flows::{self, Flow};
use crate::storage::group_commit::{GroupCommit, WhenLost, WriteBatch};
use crate::storage::space_cache::SpaceCache;
use crate::storage::{bind_all, int, opt_int, opt_text, text, Bind, Db};
use crate::util::{now, random_token};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Keyed-hash context of a signer's e-mail address or phone.
pub const HASH_SIGNER: &str = "pledge.signer";
/// Keyed-hash context of a confirmation token.
const HASH_TOKEN: &str = "pledge.confirm";
/// Sealing context of a signer's e-mail address or phone.
pub const CTX_CONTACT: &str = "pledge_signers.contact";
/// How long a confirmation link works.
pub const CONFIRM_SECS: i64 = 7 * 86_400;
/// The largest target.
pub const MAX_TARGET: i64 = 10_000_000;
/// Most web writes committed in one transaction.
const GROUP_COMMIT_MAX: usize = 512;

/// Where a pledge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Taking signatures; the target not reached.
    Open,
    /// The target was reached (signatures are still taken until the deadline).
    Tipped,
    /// The deadline passed before the target was reached.
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Tipped => "tipped",
            Status::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Status {
        match s {
            "tipped" => Status::Tipped,
            "failed" => Status::Failed,
            _ => Status::Open,
        }
    }
}

/// A pledge as a reader sees it. It carries no count: counts are read through
/// [`Db::pledge_counts`], which suppresses small ones.
#[derive(Debug, Clone, Serialize)]
pub struct Pledge {
    pub id: i64,
    /// What each signer will do.
    pub title: String,
    /// More about it (plain text).
    pub body: String,
    /// How many signers make it tip.
    pub target: i64,
    /// The end of signing (Unix time).
    pub deadline: i64,
    /// The SMS keyword, if any.
    pub keyword: Option<String>,
    pub status: Status,
    pub level: Level,
    /// Whether signatures are still taken.
    pub accepting: bool,
}

/// A pledge to write.
#[derive(Debug, Clone, Default)]
pub struct NewPledge {
    pub title: String,
    pub body: String,
    pub target: i64,
    /// The last day of signing, `YYYY-MM-DD`, in the space's time zone.
    pub deadline: String,
    /// Optional SMS keyword.
    pub keyword: String,
    pub level: Option<Level>,
}

/// A signature by web, waiting for its confirmation.
#[derive(Debug, Clone)]
pub struct WebSignature {
    pub email: String,
    /// A district (a place of level 2 of the space), if the signer gave one.
    pub district: Option<i64>,
    /// The signer's language (for the e-mails).
    pub lang: String,
    /// The confirmation page's absolute address; the token is appended as `?t=`.
    pub confirm_url: String,
}

/// What following a confirmation link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Confirmed {
    /// The signature counts now; `tipped` when it made the pledge tip.
    Counted { pledge: i64, tipped: bool },
    /// The link had been used: the signature already counted.
    AlreadyUsed { pledge: i64 },
    /// The link is older than [`CONFIRM_SECS`].
    Expired,
    /// The pledge's signing ended before the link was followed.
    Closed { pledge: i64 },
    /// No such link.
    Unknown,
}

/// Published counts of a pledge: the total and each district, suppressed.
#[derive(Debug, Clone, Serialize)]
pub struct PledgeCounts {
    pub threshold: u64,
    pub total: Published,
    /// Districts with signers, by name; `None` for signers who gave none.
    pub districts: Vec<(Option<Place>, Published)>,
}

impl PledgeCounts {
    /// The total as text ("<10" when hidden).
    pub fn total_text(&self) -> String {
        self.total.text(self.threshold)
    }

    /// The total when shown.
    pub fn shown_total(&self) -> Option<u64> {
        match self.total {
            Published::Shown(n) => Some(n),
            Published::Hidden(_) => None,
        }
    }
}

/// A pledge reachable by SMS.
#[derive(Debug, Clone)]
pub struct SmsPledge {
    pub id: i64,
    pub space_id: i64,
    pub title: String,
    pub keyword: String,
    pub deadline: i64,
}

/// The pledges of a space reachable by SMS, and its districts (id and the words
/// that name each: code and names, lower case).
#[derive(Debug, Clone, Default)]
pub struct SmsPledges {
    pub pledges: Vec<SmsPledge>,
    pub districts: Vec<(i64, Vec<String>)>,
    pub time_zone: String,
}

type PledgeCache = SpaceCache<SmsPledges>;

/// A web write prepared outside the writer (hashes and sealing done).
#[derive(Debug, Clone)]
enum WebWrite {
    Sign(Box<Signing>),
    Confirm { token_hash: String, t: i64 },
}

#[derive(Debug, Clone)]
struct Signing {
    pledge: i64,
    space_id: i64,
    who_hash: String,
    contact: Vec<u8>,
    token_hash: String,
    district: Option<i64>,
    lang: String,
    mail: NewMail,
    t: i64,
}

#[derive(Debug, Clone, Copy)]
enum WebDone {
    Signed,
    Confirmed(Confirmed),
}

struct PledgeQueue(GroupCommit<WebWrite, WebDone>);

fn say(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::reply(lang, key, args)
}

fn short(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

const PLEDGE_COLS: &str = "r.id, r.title, r.body, r.confidentiality, p.target, p.deadline, p.keyword, p.status, p.closed_at";

fn pledge_from_row(r: &sqlx::any::AnyRow, t: i64) -> Result<Pledge> {
    let deadline = int(r, "deadline")?;
    let status = Status::parse(&text(r, "status")?);
    Ok(Pledge {
        id: int(r, "id")?,
        title: text(r, "title")?,
        body: text(r, "body")?,
        target: int(r, "target")?,
        deadline,
        keyword: opt_text(r, "keyword")?,
        status,
        level: Level::from_i64(int(r, "confidentiality")?).unwrap_or(Level::Organisers),
        accepting: deadline > t && opt_int(r, "closed_at")?.is_none(),
    })
}

/// Counts one more confirmed signer of `pledge`; when that reaches the target of
/// an open pledge, it tips and every signer is told. Returns whether it tipped.
async fn count_in(db: &Db, tx: &mut Tx, pledge: i64, t: i64) -> Result<bool> {
    let row = sqlx::query(
        "UPDATE pledges SET signers = signers + 1 WHERE record_id = $1
         RETURNING signers, target, status",
    )
    .bind(pledge)
    .fetch_one(&mut **tx)
    .await?;
    if int(&row, "signers")? < int(&row, "target")? || text(&row, "status")? != "open" {
        return Ok(false);
    }
    let tipped = sqlx::query(
        "UPDATE pledges SET status = 'tipped', tipped_at = $1 WHERE record_id = $2 AND status = 'open'",
    )
    .bind(t)
    .bind(pledge)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if tipped {
        db.notify_signers_in(tx, pledge, "pledge-tipped").await?;
        let space_id = space_of_in(tx, pledge).await?;
        db.audit_in(
            tx,
            Event {
                space_id,
                user_id: None,
                action: AuditAction::CampaignChange,
                target: format!("campaign_pledge:{pledge}"),
                detail: "tipped".into(),
            },
        )
        .await?;
    }
    Ok(tipped)
}

async fn space_of_in(tx: &mut Tx, pledge: i64) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT space_id FROM pledges WHERE record_id = $1")
        .bind(pledge)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| int(&r, "space_id")).transpose()
}

impl Db {
    /// Writes a pledge (organisers; audited). Returns its id.
    pub async fn create_pledge(&self, scope: &Scope, new: &NewPledge) -> Result<i64> {
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
        if !(2..=MAX_TARGET).contains(&new.target) {
            problems.push(Invalid {
                field: "target",
                key: "pledge-error-target",
            });
        }
        let t = now();
        let deadline = local_to_unix(
            &format!("{}T23:59:59", new.deadline.trim()),
            &scope.space.time_zone,
        )
        .filter(|_| new.deadline.trim().len() == 10);
        match deadline {
            None => problems.push(Invalid {
                field: "deadline",
                key: "error-date",
            }),
            Some(d) if d <= t || d > t + 2 * 366 * 86_400 => problems.push(Invalid {
                field: "deadline",
                key: "pledge-error-deadline",
            }),
            Some(_) => {}
        }
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
        let deadline = deadline.unwrap_or(t);
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::CAMPAIGN_PLEDGE,
                    title,
                    body,
                    search: &format!("{title}\n{body}").to_lowercase(),
                },
                &Envelope::at(level),
            )
            .await?;
        sqlx::query(
            "INSERT INTO pledges (record_id, space_id, target, deadline, keyword, status, signers, created_at)
             VALUES ($1, $2, $3, $4, $5, 'open', 0, $6)",
        )
        .bind(id)
        .bind(scope.space.id)
        .bind(new.target)
        .bind(deadline)
        .bind(keyword.as_deref())
        .bind(t)
        .execute(&mut *tx)
        .await?;
        if let Some(k) = &keyword {
            flows::reserve_in(&mut tx, scope.space.id, k, Flow::Pledge, id).await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::CampaignChange,
                target: format!("campaign_pledge:{id}"),
                detail: format!(
                    "created level={} target={} deadline={deadline}",
                    level.as_str(),
                    new.target
                ),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_sms_pledges(scope.space.id);
        Ok(id)
    }

    /// The pledges the viewer may see, the open ones first, by deadline.
    pub async fn pledges(&self, scope: &Scope) -> Result<Vec<Pledge>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {PLEDGE_COLS} FROM records r JOIN pledges p ON p.record_id = r.id
             WHERE r.kind = 'campaign_pledge' AND r.space_id = $1 AND {rule}
             ORDER BY CASE WHEN p.closed_at IS NULL THEN 0 ELSE 1 END, p.deadline, r.id"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let t = now();
        rows.iter().map(|r| pledge_from_row(r, t)).collect()
    }

    /// One pledge, if the viewer may see it.
    pub async fn pledge(&self, scope: &Scope, id: i64) -> Result<Pledge> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {PLEDGE_COLS} FROM records r JOIN pledges p ON p.record_id = r.id
             WHERE r.kind = 'campaign_pledge' AND r.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        pledge_from_row(&row, now())
    }

    /// The pledge's published counts (for whoever may see it): the total and each
    /// district's, suppressed below the space's threshold, with complementary
    /// suppression so that no hidden count can be worked out from the others.
    pub async fn pledge_counts(&self, scope: &Scope, id: i64) -> Result<PledgeCounts> {
        self.pledge(scope, id).await?;
        let rows = sqlx::query(
            "SELECT place_id, COUNT(*) AS n FROM pledge_signers
             WHERE pledge_id = $1 AND confirmed_at IS NOT NULL GROUP BY place_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        self.counts_by_place(scope, &rows).await
    }

    /// Published counts from rows of (`place_id`, `n`): each place's count and the
    /// total, suppressed below the space's threshold with complementary
    /// suppression; rows without a known place are counted together, last.
    pub(crate) async fn counts_by_place(
        &self,
        scope: &Scope,
        rows: &[sqlx::any::AnyRow],
    ) -> Result<PledgeCounts> {
        let places: HashMap<i64, Place> = self
            .all_places(scope)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut cells: Vec<(Option<Place>, u64)> = Vec::new();
        let mut unknown = 0u64;
        for r in rows {
            let n = int(r, "n")?.max(0) as u64;
            match opt_int(r, "place_id")?.and_then(|p| places.get(&p)) {
                Some(p) => cells.push((Some(p.clone()), n)),
                None => unknown += n,
            }
        }
        cells.sort_by(|a, b| {
            let name = |c: &(Option<Place>, u64)| c.0.as_ref().map(|p| p.name.clone());
            name(a).cmp(&name(b))
        });
        if unknown > 0 {
            cells.push((None, unknown));
        }
        let counts: Vec<u64> = cells.iter().map(|c| c.1).collect();
        let s = suppress_one_way(&counts, scope.space.suppression_threshold.max(0) as u64);
        let published = s.cells.first().cloned().unwrap_or_default();
        Ok(PledgeCounts {
            threshold: s.threshold,
            total: s.total,
            districts: cells.into_iter().map(|c| c.0).zip(published).collect(),
        })
    }

    /// Checks that `district` is a district (level 2) of the space.
    async fn check_district(&self, scope: &Scope, district: Option<i64>) -> Result<()> {
        if let Some(d) = district {
            match self.place_by_id(scope, d).await {
                Ok(p) if p.level == 2 => {}
                _ => return Err(Error::invalid("district", "pledge-error-district")),
            }
        }
        Ok(())
    }

    /// Signs a pledge by web: nothing counts until the link sent to the address is
    /// followed. The answer is the same whether or not the address had signed
    /// (an address that had is told so by e-mail), so that the form reveals nobody.
    pub async fn sign_pledge(&self, scope: &Scope, id: i64, s: &WebSignature) -> Result<()> {
        let p = self.pledge(scope, id).await?;
        let email = s.email.trim().to_lowercase();
        let mut problems = Vec::new();
        if !plausible_address(&email) {
            problems.push(Invalid {
                field: "email",
                key: "error-email",
            });
        }
        if self.check_district(scope, s.district).await.is_err() {
            problems.push(Invalid {
                field: "district",
                key: "pledge-error-district",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        if !p.accepting {
            return Err(Error::invalid("pledge", "pledge-error-closed"));
        }
        let token = random_token(24)?;
        let lang = crate::i18n::Lang::parse(&s.lang)
            .unwrap_or(crate::i18n::Lang::En)
            .code();
        let deadline = unix_to_local(p.deadline, &scope.space.time_zone);
        let mail = NewMail {
            to: email.clone(),
            subject: say(
                lang,
                "pledge-mail-confirm-subject",
                &[("title", short(&p.title, 80))],
            ),
            body: say(
                lang,
                "pledge-mail-confirm-body",
                &[
                    ("title", p.title.clone()),
                    ("link", format!("{}?t={token}", s.confirm_url)),
                    ("deadline", deadline.replace('T', " ")),
                ],
            ),
            purpose: "pledge",
            space_id: Some(scope.space.id),
            reply_to: None,
        };
        let write = WebWrite::Sign(Box::new(Signing {
            pledge: id,
            space_id: scope.space.id,
            who_hash: format!(
                "web:{}",
                self.keys
                    .lookup_hash(HASH_SIGNER, &format!("email:{email}"))?
            ),
            contact: self.keys.seal(CTX_CONTACT, &email)?,
            token_hash: self.keys.lookup_hash(HASH_TOKEN, &token)?,
            district: s.district,
            lang: lang.to_string(),
            mail,
            t: now(),
        }));
        match self.pledge_queue().0.submit(write).await? {
            WebDone::Signed => Ok(()),
            WebDone::Confirmed(_) => Err(Error::Internal("unexpected answer".into())),
        }
    }

    /// Follows a confirmation link: the signature counts from now on (and the
    /// pledge tips if it reaches its target).
    pub async fn confirm_pledge(&self, token: &str) -> Result<Confirmed> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Ok(Confirmed::Unknown);
        }
        let write = WebWrite::Confirm {
            token_hash: self.keys.lookup_hash(HASH_TOKEN, token)?,
            t: now(),
        };
        match self.pledge_queue().0.submit(write).await? {
            WebDone::Confirmed(c) => Ok(c),
            WebDone::Signed => Err(Error::Internal("unexpected answer".into())),
        }
    }

    fn pledge_queue(&self) -> Arc<PledgeQueue> {
        self.extension(|db| {
            let db = db.clone();
            let write: WriteBatch<WebWrite, WebDone> = Arc::new(move |batch| {
                let db = db.clone();
                Box::pin(async move { db.write_pledge_batch(&batch).await })
            });
            // A write whose writer stopped is written again alone: a second
            // signature or confirmation of the same changes nothing.
            PledgeQueue(GroupCommit::start(
                GROUP_COMMIT_MAX,
                WhenLost::WriteAgain,
                write,
            ))
        })
    }

    async fn write_pledge_batch(&self, batch: &[WebWrite]) -> Result<Vec<WebDone>> {
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(batch.len());
        for w in batch {
            out.push(match w {
                WebWrite::Sign(sig) => {
                    self.sign_in(&mut tx, sig).await?;
                    WebDone::Signed
                }
                WebWrite::Confirm { token_hash, t } => {
                    WebDone::Confirmed(self.confirm_in(&mut tx, token_hash, *t).await?)
                }
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn sign_in(&self, tx: &mut Tx, w: &Signing) -> Result<()> {
        let Signing {
            pledge,
            space_id,
            who_hash,
            contact,
            token_hash,
            district,
            lang,
            mail,
            t,
        } = w;
        let existing = sqlx::query(
            "SELECT id, confirmed_at FROM pledge_signers WHERE pledge_id = $1 AND who_hash = $2",
        )
        .bind(pledge)
        .bind(who_hash)
        .fetch_optional(&mut **tx)
        .await?;
        match existing {
            Some(r) if opt_int(&r, "confirmed_at")?.is_some() => {
                // Signed before: say so to the address, and change nothing.
                let title = sqlx::query("SELECT title FROM records WHERE id = $1")
                    .bind(pledge)
                    .fetch_one(&mut **tx)
                    .await?;
                let title = text(&title, "title")?;
                self.queue_mail_in(
                    tx,
                    &NewMail {
                        to: mail.to.clone(),
                        subject: say(
                            lang,
                            "pledge-mail-confirm-subject",
                            &[("title", short(&title, 80))],
                        ),
                        body: say(lang, "pledge-mail-already", &[("title", title)]),
                        purpose: "pledge",
                        space_id: Some(*space_id),
                        reply_to: None,
                    },
                )
                .await?;
            }
            Some(r) => {
                // Not confirmed yet: a new link replaces the old one.
                sqlx::query(
                    "UPDATE pledge_signers SET token_hash = $1, place_id = $2, lang = $3, contact_enc = $4,
                         created_at = $5 WHERE id = $6",
                )
                .bind(token_hash)
                .bind(district)
                .bind(lang)
                .bind(contact.as_slice())
                .bind(t)
                .bind(int(&r, "id")?)
                .execute(&mut **tx)
                .await?;
                self.queue_mail_in(tx, mail).await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO pledge_signers (pledge_id, who_hash, via, contact_enc, place_id, lang, token_hash, created_at)
                     VALUES ($1, $2, 'web', $3, $4, $5, $6, $7)",
                )
                .bind(pledge)
                .bind(who_hash)
                .bind(contact.as_slice())
                .bind(district)
                .bind(lang)
                .bind(token_hash)
                .bind(t)
                .execute(&mut **tx)
                .await?;
                self.queue_mail_in(tx, mail).await?;
            }
        }
        Ok(())
    }

    async fn confirm_in(&self, tx: &mut Tx, token_hash: &str, t: i64) -> Result<Confirmed> {
        let row = sqlx::query(
            "SELECT s.id, s.pledge_id, s.confirmed_at, s.created_at, p.deadline, p.closed_at
             FROM pledge_signers s JOIN pledges p ON p.record_id = s.pledge_id
             WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(r) = row else {
            return Ok(Confirmed::Unknown);
        };
        let pledge = int(&r, "pledge_id")?;
        if opt_int(&r, "confirmed_at")?.is_some() {
            return Ok(Confirmed::AlreadyUsed { pledge });
        }
        if int(&r, "deadline")? <= t || opt_int(&r, "closed_at")?.is_some() {
            return Ok(Confirmed::Closed { pledge });
        }
        if int(&r, "created_at")? + CONFIRM_SECS < t {
            return Ok(Confirmed::Expired);
        }
        let done = sqlx::query(
            "UPDATE pledge_signers SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL",
        )
        .bind(t)
        .bind(int(&r, "id")?)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(Confirmed::AlreadyUsed { pledge });
        }
        let tipped = count_in(self, tx, pledge, t).await?;
        Ok(Confirmed::Counted { pledge, tipped })
    }

    /// Queues `key` (`pledge-tipped` or `pledge-failed`) to every confirmed signer
    /// whose contact is still kept, each in their language, by the way they
    /// signed.
    async fn notify_signers_in(&self, tx: &mut Tx, pledge: i64, key: &str) -> Result<usize> {
        let p = sqlx::query(
            "SELECT r.title, r.space_id, p.signers, p.target FROM records r JOIN pledges p ON p.record_id = r.id
             WHERE r.id = $1",
        )
        .bind(pledge)
        .fetch_one(&mut **tx)
        .await?;
        let (title, space_id) = (text(&p, "title")?, int(&p, "space_id")?);
        let target = int(&p, "target")?.to_string();
        let signers = sqlx::query(
            "SELECT via, contact_enc, channel_id, lang FROM pledge_signers
             WHERE pledge_id = $1 AND confirmed_at IS NOT NULL AND contact_enc IS NOT NULL",
        )
        .bind(pledge)
        .fetch_all(&mut **tx)
        .await?;
        let mut n = 0;
        for s in &signers {
            let lang = text(s, "lang")?;
            let sealed: Vec<u8> = sqlx::Row::try_get(s, "contact_enc")?;
            let contact = self.keys.open(CTX_CONTACT, &sealed)?;
            let args = [("title", short(&title, 60)), ("target", target.clone())];
            match text(s, "via")?.as_str() {
                "web" => {
                    self.queue_mail_in(
                        tx,
                        &NewMail {
                            to: contact,
                            subject: say(&lang, &format!("{key}-subject"), &args),
                            body: say(&lang, &format!("{key}-body"), &args),
                            purpose: "pledge",
                            space_id: Some(space_id),
                            reply_to: None,
                        },
                    )
                    .await?;
                    n += 1;
                }
                _ => {
                    if let Some(ch) = opt_int(s, "channel_id")? {
                        let body = say(&lang, &format!("{key}-sms"), &args);
                        if self
                            .queue_sms_to_in(tx, ch, space_id, &contact, &body)
                            .await?
                            .is_some()
                        {
                            n += 1;
                        }
                    }
                }
            }
        }
        Ok(n)
    }

    /// Ends the pledges whose deadline has passed: an untipped one fails and its
    /// signers are told; then every signer's contact is erased and unconfirmed
    /// signatures are deleted. Safe to run from several processes at once (a
    /// pledge is ended by one). Returns how many ended.
    pub async fn close_due_pledges(&self) -> Result<usize> {
        let t = now();
        let due = sqlx::query(
            "SELECT record_id, space_id, status FROM pledges WHERE closed_at IS NULL AND deadline <= $1",
        )
        .bind(t)
        .fetch_all(&self.pool)
        .await?;
        let mut ended = 0;
        for d in &due {
            let id = int(d, "record_id")?;
            let mut tx = self.pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE pledges SET closed_at = $1,
                     status = CASE WHEN status = 'open' THEN 'failed' ELSE status END
                 WHERE record_id = $2 AND closed_at IS NULL",
            )
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                continue;
            }
            let failed = text(d, "status")? == "open";
            if failed {
                self.notify_signers_in(&mut tx, id, "pledge-failed").await?;
            }
            sqlx::query("DELETE FROM pledge_signers WHERE pledge_id = $1 AND confirmed_at IS NULL")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE pledge_signers SET contact_enc = NULL, token_hash = NULL WHERE pledge_id = $1",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sms_keywords WHERE flow = $1 AND ref_id = $2")
                .bind(Flow::Pledge.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.audit_in(
                &mut tx,
                Event {
                    space_id: Some(int(d, "space_id")?),
                    user_id: None,
                    action: AuditAction::CampaignChange,
                    target: format!("campaign_pledge:{id}"),
                    detail: if failed { "failed" } else { "ended" }.into(),
                },
            )
            .await?;
            tx.commit().await?;
            self.forget_sms_pledges(int(d, "space_id")?);
            ended += 1;
        }
        // Links never followed are of no use after their week.
        sqlx::query("DELETE FROM pledge_signers WHERE confirmed_at IS NULL AND created_at < $1")
            .bind(t - CONFIRM_SECS)
            .execute(&self.pool)
            .await?;
        Ok(ended)
    }

    /// The open pledges of a space an inbound text may reach (those an outsider
    /// may read that have a keyword), and the space's districts. Reused for up to
    /// a second.
    pub(crate) async fn sms_pledges(&self, space_id: i64) -> Result<Arc<SmsPledges>> {
        let cache = self.extension(|_| PledgeCache::default());
        if let Some(c) = cache.fresh(space_id) {
            return Ok(c);
        }
        let rows = sqlx::query(
            "SELECT ref_id, keyword FROM sms_keywords WHERE space_id = $1 AND flow = $2",
        )
        .bind(space_id)
        .bind(Flow::Pledge.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut out = SmsPledges::default();
        if !rows.is_empty() {
            let scope = self.outsider_scope_of(space_id).await?;
            out.time_zone = scope.space.time_zone.clone();
            let visible = self.pledges(&scope).await?;
            for r in &rows {
                let id = int(r, "ref_id")?;
                if let Some(p) = visible.iter().find(|p| p.id == id && p.accepting) {
                    out.pledges.push(SmsPledge {
                        id,
                        space_id,
                        title: p.title.clone(),
                        keyword: text(r, "keyword")?,
                        deadline: p.deadline,
                    });
                }
            }
            if !out.pledges.is_empty() {
                for p in self.all_places(&scope).await? {
                    if p.level == 2 {
                        let mut words = vec![p.code.to_lowercase(), p.name.to_lowercase()];
                        words.extend(p.names.values().map(|n| n.to_lowercase()));
                        out.districts.push((p.id, words));
                    }
                }
            }
        }
        let out = Arc::new(out);
        cache.put(space_id, out.clone());
        Ok(out)
    }

    pub(crate) fn forget_sms_pledges(&self, space_id: i64) {
        self.extension(|_| PledgeCache::default()).forget(space_id);
    }

    /// Signs a pledge by SMS (its keyword was texted, with a district as a second
    /// word if the signer wanted): counted at once, once per phone.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn pledge_sms_sign_in(
        &self,
        tx: &mut Tx,
        set: &SmsPledges,
        p: &SmsPledge,
        channel_id: i64,
        phone: &str,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let lang = crate::util::reply_language(typed);
        let title = short(&p.title, 60);
        if p.deadline <= t {
            return Ok(vec![say(lang, "pledge-sms-closed", &[("title", title)])]);
        }
        let second = typed
            .split_whitespace()
            .nth(1)
            .map(|w| crate::util::clean_word(w).to_lowercase());
        let district = second.as_ref().and_then(|w| {
            set.districts
                .iter()
                .find(|(_, names)| names.iter().any(|n| n == w))
                .map(|(id, _)| *id)
        });
        let inserted = sqlx::query(
            "INSERT INTO pledge_signers (pledge_id, who_hash, via, contact_enc, channel_id, place_id, lang, confirmed_at, created_at)
             VALUES ($1, $2, 'sms', $3, $4, $5, $6, $7, $7)
             ON CONFLICT (pledge_id, who_hash) DO NOTHING RETURNING id",
        )
        .bind(p.id)
        .bind(format!("sms:{phone_hash}"))
        .bind(self.keys.seal(CTX_CONTACT, phone)?)
        .bind(channel_id)
        .bind(district)
        .bind(lang)
        .bind(t)
        .fetch_optional(&mut **tx)
        .await?;
        if inserted.is_none() {
            return Ok(vec![say(lang, "pledge-sms-already", &[("title", title)])]);
        }
        count_in(self, tx, p.id, t).await?;
        let deadline = unix_to_local(p.deadline, &set.time_zone);
        let mut reply = say(
            lang,
            "pledge-sms-signed",
            &[
                ("title", title),
                ("deadline", deadline.get(..10).unwrap_or("").to_string()),
            ],
        );
        if second.is_some() && district.is_none() {
            reply.push('\n');
            reply.push_str(&say(lang, "pledge-sms-no-district", &[]));
        }
        Ok(vec![reply])
    }

    /// Withdraws the phone's signatures from the space's pledges still taking them
    /// (DELETE); returns how many.
    pub(crate) async fn pledge_sms_delete_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<u64> {
        let rows = sqlx::query(
            "SELECT s.id, s.pledge_id FROM pledge_signers s JOIN pledges p ON p.record_id = s.pledge_id
             WHERE p.space_id = $1 AND s.who_hash = $2 AND p.closed_at IS NULL",
        )
        .bind(space_id)
        .bind(format!("sms:{phone_hash}"))
        .fetch_all(&mut **tx)
        .await?;
        for r in &rows {
            sqlx::query("DELETE FROM pledge_signers WHERE id = $1")
                .bind(int(r, "id")?)
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE pledges SET signers = signers - 1 WHERE record_id = $1")
                .bind(int(r, "pledge_id")?)
                .execute(&mut **tx)
                .await?;
        }
        Ok(rows.len() as u64)
    }
}

/// The keyword list line of a pledge, for help.
pub fn listing(p: &SmsPledge) -> String {
    format!("{}: {}", p.keyword, short(&p.title, 40))
}
