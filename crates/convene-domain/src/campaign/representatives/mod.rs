//! Contact your representative: who represents a place, what they said about the
//! campaign's ask, and the messages the public writes to them ([`messages`]).
//!
//! - A **representative** is a record (kind `campaign_representative`, public by
//!   default): elected ones imported from Popolo JSON or CSV ([`import`]),
//!   community ones (elders, local councils) entered by organisers. Each has an
//!   area, a place of the gazetteer. Their e-mail, phone and postal address are
//!   sealed and never shown: messages reach them through Convene.
//! - A visitor **finds** their representatives by picking their place (never by
//!   geolocation): those of the place and of the places above it.
//! - Their public **stance** on the campaign's ask (committed, not yet, refused) is
//!   recorded by organisers with the date and the evidence; the latest is shown,
//!   with the history.

pub mod import;
pub mod messages;
pub mod sms;

use std::collections::HashMap;

use serde::Serialize;

use crate::access::envelope::{Envelope, NewRow};
use crate::access::{kinds, visible, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result, RowError};
use crate::model::{Level, Role};
use crate::places::Place;
use crate::storage::{bind_all, int, opt_int, text, Bind, Db};
use crate::util::now;

use import::RepSource;

/// Sealing contexts of a representative's contacts.
pub const CTX_EMAIL: &str = "representatives.email";
pub const CTX_PHONE: &str = "representatives.phone";
pub const CTX_ADDRESS: &str = "representatives.address";

/// A representative's stance on the campaign's ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StanceKind {
    Committed,
    NotYet,
    Refused,
}

impl StanceKind {
    pub const ALL: [StanceKind; 3] = [
        StanceKind::Committed,
        StanceKind::NotYet,
        StanceKind::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StanceKind::Committed => "committed",
            StanceKind::NotYet => "not_yet",
            StanceKind::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<StanceKind> {
        StanceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A stance as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stance {
    pub stance: StanceKind,
    /// `YYYY-MM-DD`.
    pub stated_on: String,
    /// What they said or did, and where (plain text).
    pub evidence: String,
    /// A link to the evidence, if any.
    pub evidence_url: String,
}

/// How a message reaches a representative: by e-mail, SMS, or a letter the
/// organisers print and post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
    Letter,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Letter => "letter",
        }
    }
}

/// A representative as the public sees them (their contacts never).
#[derive(Debug, Clone, Serialize)]
pub struct Representative {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub community: bool,
    pub place_id: Option<i64>,
    pub level: Level,
    /// How a message reaches them, if any way does.
    pub channel: Option<Channel>,
    /// The latest stance.
    pub stance: Option<Stance>,
}

/// A community representative to add (organisers).
#[derive(Debug, Clone, Default)]
pub struct NewRepresentative {
    pub name: String,
    pub role: String,
    pub organisation: String,
    /// A place's code.
    pub area: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub level: Option<Level>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RepImportSummary {
    pub added: usize,
    pub updated: usize,
}

/// The campaign's settings for writing to representatives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WritingSettings {
    /// The campaign's ask, which stances answer.
    pub ask: String,
    /// The suggested points, one per line.
    pub points: String,
    /// Days senders' personal data is kept.
    pub retention_days: i64,
    /// Messages one representative may be sent per day.
    pub rep_daily_limit: i64,
    /// Messages one sender may send per day.
    pub sender_daily_limit: i64,
    /// The SMS keyword that starts writing to a representative by SMS (empty:
    /// none).
    pub sms_keyword: String,
}

impl Default for WritingSettings {
    fn default() -> Self {
        WritingSettings {
            ask: String::new(),
            points: String::new(),
            retention_days: DEFAULT_RETENTION_DAYS,
            rep_daily_limit: 100,
            sender_daily_limit: 5,
            sms_keyword: String::new(),
        }
    }
}

impl WritingSettings {
    /// The suggested points, one per non-empty line.
    pub fn point_list(&self) -> Vec<&str> {
        self.points
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Senders' data is kept this many days unless the space sets otherwise.
pub const DEFAULT_RETENTION_DAYS: i64 = 90;
/// The shortest retention: the "did you get a reply?" question goes out after
/// [`messages::ASK_AFTER_SECS`] and needs time to be answered.
pub const MIN_RETENTION_DAYS: i64 = 30;
pub const MAX_RETENTION_DAYS: i64 = 730;

const REP_COLS: &str =
    "r.id, r.title, r.confidentiality, p.role, p.organisation, p.community, p.place_id,
    CASE WHEN p.email_enc IS NOT NULL THEN 'email' WHEN p.phone_enc IS NOT NULL THEN 'sms'
         WHEN p.address_enc IS NOT NULL THEN 'letter' ELSE '' END AS channel";

fn rep_from_row(r: &sqlx::any::AnyRow) -> Result<Representative> {
    Ok(Representative {
        id: int(r, "id")?,
        name: text(r, "title")?,
        role: text(r, "role")?,
        organisation: text(r, "organisation")?,
        community: int(r, "community")? != 0,
        place_id: opt_int(r, "place_id")?,
        level: Level::from_i64(int(r, "confidentiality")?).unwrap_or(Level::Organisers),
        channel: match text(r, "channel")?.as_str() {
            "email" => Some(Channel::Email),
            "sms" => Some(Channel::Sms),
            "letter" => Some(Channel::Letter),
            _ => None,
        },
        stance: None,
    })
}

fn clean_phone(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !" -().".contains(*c)).collect();
    let digits = t.strip_prefix('+').unwrap_or(&t);
    (digits.len() >= 6 && digits.len() <= 16 && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(t)
}

/// Checks a representative's contacts; returns them cleaned (empty = none).
fn check_contacts(
    email: &str,
    phone: &str,
    address: &str,
) -> std::result::Result<(String, String, String), &'static str> {
    let email = email.trim().to_lowercase();
    if !email.is_empty() && !crate::mail::plausible_address(&email) {
        return Err("email");
    }
    let phone = if phone.trim().is_empty() {
        String::new()
    } else {
        clean_phone(phone).ok_or("phone")?
    };
    let address = address.trim();
    if address.chars().count() > 500 {
        return Err("address");
    }
    Ok((email, phone, address.to_string()))
}

impl Db {
    fn seal_opt(&self, ctx: &str, v: &str) -> Result<Option<Vec<u8>>> {
        if v.is_empty() {
            Ok(None)
        } else {
            Ok(Some(self.keys.seal(ctx, v)?))
        }
    }

    /// Imports representatives read from a file: each area is matched to a place
    /// of the gazetteer (by code, then by a name in any language); a file whose
    /// area matches none is refused whole, naming where. A representative already
    /// imported from the same source is updated. Organisers; audited.
    pub async fn import_representatives(
        &self,
        scope: &Scope,
        reps: &[RepSource],
    ) -> Result<std::result::Result<RepImportSummary, Vec<RowError>>> {
        scope.require(Role::is_organiser)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let places = self.all_places(scope).await?;
        let mut by_key: HashMap<String, i64> = HashMap::new();
        for p in &places {
            by_key.insert(p.code.to_lowercase(), p.id);
        }
        for p in &places {
            for n in std::iter::once(&p.name).chain(p.names.values()) {
                by_key.entry(n.to_lowercase()).or_insert(p.id);
            }
        }
        let mut errs = Vec::new();
        let mut resolved = Vec::with_capacity(reps.len());
        for r in reps {
            let place = r
                .area
                .iter()
                .find_map(|k| by_key.get(&k.trim().to_lowercase()));
            match place {
                Some(&id) => resolved.push((r, id)),
                None => {
                    if !errs.contains(&r.at) {
                        errs.push(r.at.clone());
                    }
                }
            }
            if let Err(field) = check_contacts(&r.email, &r.phone, &r.address) {
                let mut at = r.at.clone();
                at.column = field.to_string();
                at.key = match field {
                    "email" => "error-email",
                    "phone" => "rep-error-phone",
                    _ => "error-too-long",
                };
                if at.sheet != "csv" {
                    at.sheet = "persons";
                    at.line = 0;
                }
                errs.push(at);
            }
        }
        if !errs.is_empty() {
            errs.truncate(200);
            return Ok(Err(errs));
        }
        let t = now();
        let mut summary = RepImportSummary::default();
        let mut tx = self.pool.begin().await?;
        for (r, place) in resolved {
            let (email, phone, address) =
                check_contacts(&r.email, &r.phone, &r.address).unwrap_or_default();
            let name: String = r.name.trim().chars().take(200).collect();
            let role: String = r.role.trim().chars().take(200).collect();
            let org: String = r.organisation.trim().chars().take(200).collect();
            let existing = sqlx::query(
                "SELECT record_id FROM representatives WHERE space_id = $1 AND source_id = $2",
            )
            .bind(scope.space.id)
            .bind(&r.source_id)
            .fetch_optional(&mut *tx)
            .await?;
            let id = match existing {
                Some(row) => {
                    let id = int(&row, "record_id")?;
                    sqlx::query(
                        "UPDATE records SET title = $1, search_text = $2, updated_at = $3 WHERE id = $4",
                    )
                    .bind(&name)
                    .bind(format!("{name}\n{role}\n{org}").to_lowercase())
                    .bind(t)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    summary.updated += 1;
                    id
                }
                None => {
                    let id = self
                        .insert_record(
                            &mut tx,
                            scope,
                            author,
                            NewRow {
                                kind: kinds::CAMPAIGN_REPRESENTATIVE,
                                title: &name,
                                body: "",
                                search: &format!("{name}\n{role}\n{org}").to_lowercase(),
                            },
                            &Envelope::at(Level::Public),
                        )
                        .await?;
                    sqlx::query(
                        "INSERT INTO representatives (record_id, space_id, source_id, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(scope.space.id)
                    .bind(&r.source_id)
                    .bind(t)
                    .execute(&mut *tx)
                    .await?;
                    summary.added += 1;
                    id
                }
            };
            sqlx::query(
                "UPDATE representatives SET community = $1, role = $2, organisation = $3, place_id = $4,
                     email_enc = $5, phone_enc = $6, address_enc = $7 WHERE record_id = $8",
            )
            .bind(i64::from(r.community))
            .bind(&role)
            .bind(&org)
            .bind(place)
            .bind(self.seal_opt(CTX_EMAIL, &email)?)
            .bind(self.seal_opt(CTX_PHONE, &phone)?)
            .bind(self.seal_opt(CTX_ADDRESS, &address)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::CampaignChange,
                target: "representatives".into(),
                detail: format!("import added={} updated={}", summary.added, summary.updated),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(summary))
    }

    /// Adds a representative by hand: a community representative (an elder, a
    /// local council) or one no file lists. Organisers; audited.
    pub async fn add_representative(&self, scope: &Scope, new: &NewRepresentative) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut problems = Vec::new();
        let name = new.name.trim();
        if name.is_empty() {
            problems.push(Invalid {
                field: "name",
                key: "error-required",
            });
        } else if name.chars().count() > 200 {
            problems.push(Invalid {
                field: "name",
                key: "error-too-long",
            });
        }
        for (field, v) in [("role", &new.role), ("organisation", &new.organisation)] {
            if v.trim().chars().count() > 200 {
                problems.push(Invalid {
                    field,
                    key: "error-too-long",
                });
            }
        }
        let place = match self.place(scope, new.area.trim()).await {
            Ok(p) => Some(p),
            Err(_) => {
                problems.push(Invalid {
                    field: "area",
                    key: "rep-error-area",
                });
                None
            }
        };
        let contacts = match check_contacts(&new.email, &new.phone, &new.address) {
            Ok(c) => Some(c),
            Err(field) => {
                problems.push(Invalid {
                    field,
                    key: match field {
                        "email" => "error-email",
                        "phone" => "rep-error-phone",
                        _ => "error-too-long",
                    },
                });
                None
            }
        };
        let level = new.level.unwrap_or(Level::Public);
        if level == Level::Named {
            problems.push(Invalid {
                field: "level",
                key: "campaign-error-level",
            });
        }
        let (Some(place), Some((email, phone, address)), true) =
            (place, contacts, problems.is_empty())
        else {
            return Err(Error::Invalid(problems));
        };
        let role = new.role.trim();
        let org = new.organisation.trim();
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::CAMPAIGN_REPRESENTATIVE,
                    title: name,
                    body: "",
                    search: &format!("{name}\n{role}\n{org}").to_lowercase(),
                },
                &Envelope::at(level),
            )
            .await?;
        sqlx::query(
            "INSERT INTO representatives (record_id, space_id, community, role, organisation, place_id,
                                          email_enc, phone_enc, address_enc, created_at)
             VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(scope.space.id)
        .bind(role)
        .bind(org)
        .bind(place.id)
        .bind(self.seal_opt(CTX_EMAIL, &email)?)
        .bind(self.seal_opt(CTX_PHONE, &phone)?)
        .bind(self.seal_opt(CTX_ADDRESS, &address)?)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::CampaignChange,
                target: format!("campaign_representative:{id}"),
                detail: format!("created community level={}", level.as_str()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn with_stances(&self, mut reps: Vec<Representative>) -> Result<Vec<Representative>> {
        if reps.is_empty() {
            return Ok(reps);
        }
        let ids: Vec<String> = reps.iter().map(|r| r.id.to_string()).collect();
        // Ids are integers read from the database: safe to inline.
        let rows = sqlx::query(&format!(
            "SELECT rep_id, stance, stated_on, evidence, evidence_url FROM representative_stances
             WHERE rep_id IN ({}) ORDER BY stated_on, id",
            ids.join(",")
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut latest: HashMap<i64, Stance> = HashMap::new();
        for r in &rows {
            if let Some(s) = stance_from_row(r)? {
                latest.insert(int(r, "rep_id")?, s);
            }
        }
        for r in &mut reps {
            r.stance = latest.remove(&r.id);
        }
        Ok(reps)
    }

    /// Every representative the viewer may see, by name.
    pub async fn representatives(&self, scope: &Scope) -> Result<Vec<Representative>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {REP_COLS} FROM records r JOIN representatives p ON p.record_id = r.id
             WHERE r.kind = 'campaign_representative' AND r.space_id = $1 AND {rule}
             ORDER BY r.title, r.id"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let reps = rows.iter().map(rep_from_row).collect::<Result<Vec<_>>>()?;
        self.with_stances(reps).await
    }

    /// One representative, if the viewer may see them.
    pub async fn representative(&self, scope: &Scope, id: i64) -> Result<Representative> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {REP_COLS} FROM records r JOIN representatives p ON p.record_id = r.id
             WHERE r.kind = 'campaign_representative' AND r.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let rep = rep_from_row(&row)?;
        Ok(self.with_stances(vec![rep]).await?.remove(0))
    }

    /// The representatives of a place: those of the place itself and of every
    /// place above it (a district's member, its region's, the whole country's),
    /// the nearest first.
    pub async fn representatives_of(
        &self,
        scope: &Scope,
        place: &Place,
    ) -> Result<Vec<Representative>> {
        let mut chain = vec![place.clone()];
        let mut up = self.place_ancestors(scope, place).await?;
        up.reverse();
        chain.extend(up);
        let all = self.representatives(scope).await?;
        let mut out = Vec::new();
        for p in &chain {
            out.extend(all.iter().filter(|r| r.place_id == Some(p.id)).cloned());
        }
        Ok(out)
    }

    /// The stances recorded for a representative, the latest first.
    pub async fn stances(&self, scope: &Scope, rep: i64) -> Result<Vec<Stance>> {
        self.representative(scope, rep).await?;
        let rows = sqlx::query(
            "SELECT stance, stated_on, evidence, evidence_url FROM representative_stances
             WHERE rep_id = $1 ORDER BY stated_on DESC, id DESC",
        )
        .bind(rep)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(stance_from_row)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect())
    }

    /// Records a representative's public stance, with its date and evidence
    /// (organisers; audited).
    pub async fn record_stance(&self, scope: &Scope, rep: i64, s: &Stance) -> Result<()> {
        scope.require(Role::is_organiser)?;
        self.representative(scope, rep).await?;
        let mut problems = Vec::new();
        if !super::is_date(s.stated_on.trim()) {
            problems.push(Invalid {
                field: "stated_on",
                key: "error-date",
            });
        } else if s.stated_on.trim() > crate::actors::today().as_str() {
            problems.push(Invalid {
                field: "stated_on",
                key: "rep-error-future",
            });
        }
        let evidence = s.evidence.trim();
        if evidence.is_empty() {
            problems.push(Invalid {
                field: "evidence",
                key: "rep-error-evidence",
            });
        } else if evidence.chars().count() > 2_000 {
            problems.push(Invalid {
                field: "evidence",
                key: "error-too-long",
            });
        }
        let url = s.evidence_url.trim();
        if !url.is_empty()
            && (!(url.starts_with("https://") || url.starts_with("http://"))
                || url.len() > 500
                || url
                    .chars()
                    .any(|c| c.is_whitespace() || c == '"' || c == '<'))
        {
            problems.push(Invalid {
                field: "evidence_url",
                key: "rep-error-url",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO representative_stances (rep_id, stance, stated_on, evidence, evidence_url, recorded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(rep)
        .bind(s.stance.as_str())
        .bind(s.stated_on.trim())
        .bind(evidence)
        .bind(url)
        .bind(scope.viewer_id())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: format!("campaign_representative:{rep}"),
                detail: format!("stance={} on={}", s.stance.as_str(), s.stated_on.trim()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The space's settings for writing to representatives (the defaults until
    /// organisers change them).
    pub async fn writing_settings(&self, space_id: i64) -> Result<WritingSettings> {
        let mut conn = self.pool.acquire().await?;
        self.writing_settings_in(&mut conn, space_id).await
    }

    /// [`Db::writing_settings`] on the caller's connection (inside a transaction).
    pub(crate) async fn writing_settings_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        space_id: i64,
    ) -> Result<WritingSettings> {
        let row = sqlx::query(
            "SELECT ask, points, retention_days, rep_daily_limit, sender_daily_limit, sms_keyword
             FROM campaign_settings WHERE space_id = $1",
        )
        .bind(space_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(r) = row else {
            return Ok(WritingSettings::default());
        };
        Ok(WritingSettings {
            ask: text(&r, "ask")?,
            points: text(&r, "points")?,
            retention_days: int(&r, "retention_days")?,
            rep_daily_limit: int(&r, "rep_daily_limit")?,
            sender_daily_limit: int(&r, "sender_daily_limit")?,
            sms_keyword: crate::storage::opt_text(&r, "sms_keyword")?.unwrap_or_default(),
        })
    }

    /// Changes the settings for writing (organisers; audited).
    pub async fn set_writing_settings(&self, scope: &Scope, s: &WritingSettings) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let mut problems = Vec::new();
        if s.ask.trim().chars().count() > 1_000 {
            problems.push(Invalid {
                field: "ask",
                key: "error-too-long",
            });
        }
        if s.points.trim().chars().count() > 5_000 {
            problems.push(Invalid {
                field: "points",
                key: "error-too-long",
            });
        }
        if !(MIN_RETENTION_DAYS..=MAX_RETENTION_DAYS).contains(&s.retention_days) {
            problems.push(Invalid {
                field: "retention_days",
                key: "rep-error-retention",
            });
        }
        if !(1..=100_000).contains(&s.rep_daily_limit) {
            problems.push(Invalid {
                field: "rep_daily_limit",
                key: "rep-error-limit",
            });
        }
        if !(1..=100).contains(&s.sender_daily_limit) {
            problems.push(Invalid {
                field: "sender_daily_limit",
                key: "rep-error-limit",
            });
        }
        let keyword = if s.sms_keyword.trim().is_empty() {
            None
        } else {
            match crate::sms::flows::normalise_keyword(&s.sms_keyword) {
                Some(k) => Some(k),
                None => {
                    problems.push(Invalid {
                        field: "sms_keyword",
                        key: "poll-error-keyword",
                    });
                    None
                }
            }
        };
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut tx = self.pool.begin().await?;
        crate::sms::flows::release_in(&mut tx, crate::sms::flows::Flow::Write, scope.space.id)
            .await?;
        if let Some(k) = &keyword {
            crate::sms::flows::reserve_in(
                &mut tx,
                scope.space.id,
                k,
                crate::sms::flows::Flow::Write,
                scope.space.id,
            )
            .await?;
        }
        sqlx::query(
            "INSERT INTO campaign_settings (space_id, ask, points, retention_days, rep_daily_limit, sender_daily_limit, sms_keyword)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (space_id) DO UPDATE SET ask = $2, points = $3, retention_days = $4,
                 rep_daily_limit = $5, sender_daily_limit = $6, sms_keyword = $7",
        )
        .bind(scope.space.id)
        .bind(s.ask.trim())
        .bind(s.points.trim())
        .bind(s.retention_days)
        .bind(s.rep_daily_limit)
        .bind(s.sender_daily_limit)
        .bind(keyword.as_deref())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: "writing_settings".into(),
                detail: format!(
                    "retention_days={} rep_daily_limit={} sender_daily_limit={}",
                    s.retention_days, s.rep_daily_limit, s.sender_daily_limit
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn stance_from_row(r: &sqlx::any::AnyRow) -> Result<Option<Stance>> {
    Ok(StanceKind::parse(&text(r, "stance")?).map(|stance| Stance {
        stance,
        stated_on: text(r, "stated_on").unwrap_or_default(),
        evidence: text(r, "evidence").unwrap_or_default(),
        evidence_url: text(r, "evidence_url").unwrap_or_default(),
    }))
}
