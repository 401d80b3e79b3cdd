//! Local activities the public finds and joins.
//!
//! An activity is a row of `records` (kind `activity`: the confidentiality
//! envelope) with its plan in `activity_plans`: the place in the gazetteer, start
//! and end, a venue (sealed) or "online", whether the venue is sensitive, a
//! capacity, a status, and a short code to join by SMS. Plans are read only
//! through the visibility rule (`access::visible`).
//!
//! Joining (docs/activities.md): by web (a name and a phone or e-mail, sealed; or
//! "just count me") or by SMS (`JOIN code`). Within the capacity a joiner is
//! confirmed; beyond it they wait, and leaving moves the first waiting joiner up.
//! Joining twice, a full activity or a cancelled one changes nothing. A sensitive
//! venue is shown only to organisers and the activity's author, and sent by SMS to
//! confirmed joiners shortly before it starts.

pub mod ics;
pub mod sms;
pub mod threew;
pub mod threew_import;

use crate::access::envelope::NewRow;
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::crypto::normalise_phone;
use crate::error::{Error, Invalid, Result};
use crate::model::Level;
use crate::storage::{bind_all, int, opt_blob, opt_int, opt_text, text, Bind, Db};
use crate::util::{now, random_bytes};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

const CTX_VENUE: &str = "activity.venue";
const CTX_NAME: &str = "activity_join.name";
const CTX_EMAIL: &str = "activity_join.email";
const CTX_PHONE: &str = "sms.phone";
const HASH_SUBJECT: &str = "activity.joiner";
/// Letters and digits of join codes: no 0/O, 1/I/L, so a code read aloud or typed
/// on a keypad is not mistaken.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// How long before the start the sensitive venue is sent to confirmed joiners.
pub const VENUE_NOTICE_SECS: i64 = 3 * 3600;
/// How long before the start the reminder is sent.
pub const REMINDER_SECS: i64 = 24 * 3600;

/// Where an activity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Status {
    Scheduled,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::Cancelled => "cancelled",
        }
    }
    fn parse(s: &str) -> Status {
        if s == "cancelled" {
            Status::Cancelled
        } else {
            Status::Scheduled
        }
    }
}

/// What an organiser enters for an activity.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub title: String,
    pub body: String,
    pub level: Level,
    pub named: Vec<i64>,
    /// The P-code of its place in the gazetteer.
    pub place_code: String,
    /// Local date and time in the space's time zone, `YYYY-MM-DDTHH:MM`.
    pub starts: String,
    pub ends: String,
    pub venue: String,
    pub online: bool,
    pub venue_sensitive: bool,
    pub capacity: Option<i64>,
    /// One of the nine tracks.
    pub track: Option<i64>,
    /// The organising organisation, one of the space's.
    pub org: Option<i64>,
    /// Or its name as an imported file gave it.
    pub org_name: String,
}

/// An activity the viewer may see.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Activity {
    pub id: i64,
    pub level: Level,
    pub title: String,
    pub body: String,
    pub code: String,
    pub place_id: Option<i64>,
    pub place_code: Option<String>,
    pub place_name: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    /// The venue, when this viewer may read it (never a sensitive venue to the
    /// public).
    pub venue: Option<String>,
    pub online: bool,
    pub venue_sensitive: bool,
    pub capacity: Option<i64>,
    pub status: Status,
    pub track: Option<i64>,
    pub confirmed: i64,
    pub waiting: i64,
    pub attended: Option<i64>,
    pub author_id: Option<i64>,
    /// The organising organisation: (id, name) when it is one of the space's and
    /// the viewer may see it.
    pub org: Option<(i64, String)>,
    /// The organiser's name as an imported file gave it.
    pub org_name: String,
}

impl Activity {
    /// The organiser's name as the viewer may read it.
    pub fn organiser(&self) -> Option<&str> {
        match &self.org {
            Some((_, n)) => Some(n),
            None if !self.org_name.is_empty() => Some(&self.org_name),
            None => None,
        }
    }
}

impl Activity {
    /// Places left, when the activity has a capacity.
    pub fn places_left(&self) -> Option<i64> {
        self.capacity.map(|c| (c - self.confirmed).max(0))
    }
}

/// Who joins.
#[derive(Debug, Clone)]
pub enum Joiner {
    /// A name and a phone number or e-mail address (sealed).
    Contact {
        name: String,
        phone: Option<String>,
        email: Option<String>,
    },
    /// Counted only: nothing about them is kept.
    Anonymous,
    /// A phone texting JOIN.
    Sms {
        phone: String,
        phone_hash: String,
        channel_id: i64,
    },
}

/// What joining did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    Confirmed,
    /// On the waiting list, at this position.
    Waiting(i64),
    /// This phone or address had joined already (nothing changed).
    Already,
    /// The activity is cancelled (nothing changed).
    Cancelled,
    /// The activity has ended (nothing changed).
    Over,
}

/// What leaving did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveOutcome {
    Left,
    /// Not joined (nothing changed).
    NotJoined,
}

/// Parses a local `YYYY-MM-DDTHH:MM` in `tz` to a Unix time.
pub fn local_to_unix(s: &str, tz: &str) -> Option<i64> {
    let dt: jiff::civil::DateTime = s.trim().parse().ok()?;
    let tz = jiff::tz::TimeZone::get(tz).ok()?;
    dt.to_zoned(tz).ok().map(|z| z.timestamp().as_second())
}

/// A Unix time as a local `YYYY-MM-DDTHH:MM` in `tz`.
pub fn unix_to_local(t: i64, tz: &str) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(t) else {
        return String::new();
    };
    let tz = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    ts.to_zoned(tz).strftime("%Y-%m-%dT%H:%M").to_string()
}

fn validate(new: &NewActivity, tz: &str) -> Result<(i64, i64)> {
    let mut problems = Vec::new();
    let mut push = |field, key| problems.push(Invalid { field, key });
    let n = new.title.trim().chars().count();
    if n == 0 {
        push("title", "error-required");
    } else if n > 200 {
        push("title", "error-too-long");
    }
    if new.body.chars().count() > 20_000 {
        push("body", "error-too-long");
    }
    if new.place_code.trim().is_empty() {
        push("place", "error-required");
    }
    let starts = local_to_unix(&new.starts, tz);
    let ends = local_to_unix(&new.ends, tz);
    if starts.is_none() {
        push("starts", "error-datetime");
    }
    if ends.is_none() {
        push("ends", "error-datetime");
    }
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            push("ends", "activity-error-ends");
        }
    }
    if !new.online && new.venue.trim().is_empty() {
        push("venue", "activity-error-venue");
    }
    if new.venue.chars().count() > 500 {
        push("venue", "error-too-long");
    }
    if let Some(c) = new.capacity {
        if !(1..=1_000_000).contains(&c) {
            push("capacity", "activity-error-capacity");
        }
    }
    if let Some(t) = new.track {
        if !(1..=9).contains(&t) {
            push("track", "error-track");
        }
    }
    match (starts, ends, problems.is_empty()) {
        (Some(s), Some(e), true) => Ok((s, e)),
        _ => Err(Error::Invalid(problems)),
    }
}

fn new_code() -> Result<String> {
    let bytes = random_bytes(5)?;
    Ok(bytes
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect())
}

/// Normalises a typed code: upper case, without spaces and dashes.
pub fn normalise_code(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

const ACTIVITY_COLS: &str = "r.id, r.confidentiality, r.title, r.body, r.author_id, a.code, a.place_id, a.starts_at, a.ends_at,
     a.venue_enc, a.online, a.venue_sensitive, a.capacity, a.status, a.attended, d.track,
     a.org_id, a.org_name, o.title AS org_title, o.confidentiality AS org_level,
     p.code AS place_code, p.name AS place_name, p.names AS place_names,
     (SELECT COUNT(*) FROM activity_joins j WHERE j.activity_id = r.id AND j.status = 'confirmed') AS confirmed,
     (SELECT COUNT(*) FROM activity_joins j WHERE j.activity_id = r.id AND j.status = 'waiting') AS waiting";

const ACTIVITY_FROM: &str = "records r JOIN activity_plans a ON a.record_id = r.id
     LEFT JOIN activity_details d ON d.record_id = r.id
     LEFT JOIN places p ON p.id = a.place_id
     LEFT JOIN records o ON o.id = a.org_id";

impl Db {
    fn activity_from_row(
        &self,
        scope: &Scope,
        r: &sqlx::any::AnyRow,
        lang: &str,
    ) -> Result<Activity> {
        let sensitive = int(r, "venue_sensitive")? != 0;
        let author_id = opt_int(r, "author_id")?;
        let may_see_venue = !sensitive
            || scope.is_organiser()
            || (author_id.is_some() && author_id == scope.viewer_id());
        let venue = match (may_see_venue, opt_blob(r, "venue_enc")?) {
            (true, Some(b)) => Some(self.keys.open(CTX_VENUE, &b)?),
            _ => None,
        };
        let place_name = match (opt_text(r, "place_name")?, opt_text(r, "place_names")?) {
            (Some(n), Some(names)) => {
                let map: std::collections::BTreeMap<String, String> =
                    serde_json::from_str(&names).unwrap_or_default();
                Some(map.get(lang).cloned().unwrap_or(n))
            }
            (n, _) => n,
        };
        Ok(Activity {
            id: int(r, "id")?,
            level: Level::from_i64(int(r, "confidentiality")?)
                .ok_or_else(|| Error::Internal("unknown level".into()))?,
            title: text(r, "title")?,
            body: text(r, "body")?,
            code: text(r, "code")?,
            place_id: opt_int(r, "place_id")?,
            place_code: opt_text(r, "place_code")?,
            place_name,
            starts_at: int(r, "starts_at")?,
            ends_at: int(r, "ends_at")?,
            venue,
            online: int(r, "online")? != 0,
            venue_sensitive: sensitive,
            capacity: opt_int(r, "capacity")?,
            status: Status::parse(&text(r, "status")?),
            track: opt_int(r, "track")?,
            confirmed: int(r, "confirmed")?,
            waiting: int(r, "waiting")?,
            attended: opt_int(r, "attended")?,
            author_id,
            // An organisation is named to those who read its level (never one
            // kept for named people only).
            org: match (opt_int(r, "org_id")?, opt_int(r, "org_level")?) {
                (Some(id), Some(l))
                    if Level::from_i64(l)
                        .is_some_and(|l| l != Level::Named && l <= scope.reads_up_to) =>
                {
                    opt_text(r, "org_title")?.map(|t| (id, t))
                }
                _ => None,
            },
            org_name: text(r, "org_name")?,
        })
    }

    /// Creates an activity in the scope's space (roles that may create activities;
    /// one transaction; audited).
    pub async fn create_activity(&self, scope: &Scope, new: &NewActivity) -> Result<i64> {
        let ids = self
            .create_activities(scope, std::slice::from_ref(new))
            .await?;
        ids.into_iter()
            .next()
            .ok_or_else(|| Error::Internal("no activity created".into()))
    }

    /// Creates activities, all or none (one transaction; each audited). The first
    /// activity with a problem refuses them all, its problems named.
    pub async fn create_activities(&self, scope: &Scope, list: &[NewActivity]) -> Result<Vec<i64>> {
        let role = scope.require(|r| r.may_create(crate::model::Kind::Activity))?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut checked = Vec::with_capacity(list.len());
        // An imported organiser's name that is one of the space's organisations
        // (as the viewer sees them) becomes that organisation.
        let by_name: std::collections::HashMap<String, i64> =
            if list.iter().any(|n| !n.org_name.trim().is_empty()) {
                self.organisations(scope, None)
                    .await?
                    .into_iter()
                    .map(|o| (o.name.trim().to_lowercase(), o.id))
                    .collect()
            } else {
                std::collections::HashMap::new()
            };
        for new in list {
            let times = validate(new, &scope.space.time_zone)?;
            let place = self
                .place(scope, new.place_code.trim())
                .await
                .map_err(|e| match e {
                    Error::NotFound => Error::invalid("place", "activity-error-place"),
                    e => e,
                })?;
            if let Some(o) = new.org {
                if self.organisations(scope, Some(o)).await?.is_empty() {
                    return Err(Error::invalid("org", "activity-error-org"));
                }
            }
            if new.org_name.chars().count() > 200 {
                return Err(Error::invalid("org", "error-too-long"));
            }
            let mut new = new.clone();
            if new.org.is_none() {
                if let Some(id) = by_name.get(&new.org_name.trim().to_lowercase()) {
                    new.org = Some(*id);
                    new.org_name.clear();
                }
            }
            checked.push((new, times, place));
        }
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(list.len());
        for (new, (starts, ends), place) in checked {
            ids.push(
                self.insert_activity_in(&mut tx, scope, author, role, &new, starts, ends, &place)
                    .await?,
            );
        }
        tx.commit().await?;
        self.forget_three_w(scope.space.id);
        Ok(ids)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_activity_in(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        author: i64,
        role: crate::model::Role,
        new: &NewActivity,
        starts: i64,
        ends: i64,
        place: &crate::places::Place,
    ) -> Result<i64> {
        let search = format!(
            "{}\n{}\n{}\n{}",
            new.title.trim(),
            new.body,
            place.name,
            place.code
        )
        .to_lowercase();
        let id = self
            .insert_record(
                tx,
                scope,
                author,
                NewRow {
                    kind: kinds::ACTIVITY,
                    title: new.title.trim(),
                    body: new.body.trim(),
                    search: &search,
                },
                &Envelope {
                    level: new.level,
                    named: new.named.clone(),
                },
            )
            .await?;
        let day = unix_to_local(starts, &scope.space.time_zone);
        sqlx::query(
            "INSERT INTO activity_details (record_id, locality, starts_on, track) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&place.name)
        .bind(day.get(..10).unwrap_or(""))
        .bind(new.track)
        .execute(&mut **tx)
        .await?;
        let venue = new.venue.trim();
        let venue_enc = (!venue.is_empty())
            .then(|| self.keys.seal(CTX_VENUE, venue))
            .transpose()?;
        let mut inserted = false;
        for _ in 0..8 {
            let code = new_code()?;
            let done = sqlx::query(
                "INSERT INTO activity_plans (record_id, space_id, code, place_id, starts_at, ends_at, venue_enc, online,
                                             venue_sensitive, capacity, status, org_id, org_name)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'scheduled', $11, $12)
                 ON CONFLICT (space_id, code) DO NOTHING",
            )
            .bind(id)
            .bind(scope.space.id)
            .bind(&code)
            .bind(place.id)
            .bind(starts)
            .bind(ends)
            .bind(venue_enc.clone())
            .bind(new.online as i64)
            .bind(new.venue_sensitive as i64)
            .bind(new.capacity)
            .bind(new.org)
            .bind(new.org_name.trim())
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 1 {
                inserted = true;
                break;
            }
        }
        if !inserted {
            return Err(Error::Internal("no free activity code".into()));
        }
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("activity:{id}"),
                detail: format!("level={} role={}", new.level.as_str(), role.as_str()),
            },
        )
        .await?;
        Ok(id)
    }

    /// Sets or clears an activity's organising organisation, one the viewer sees
    /// (organisers and the activity's author; audited).
    pub async fn set_activity_org(&self, scope: &Scope, id: i64, org: Option<i64>) -> Result<()> {
        let a = self.activity(scope, id, "en").await?;
        if !(scope.is_organiser() || (a.author_id.is_some() && a.author_id == scope.viewer_id())) {
            return Err(Error::Forbidden);
        }
        if let Some(o) = org {
            if self.organisations(scope, Some(o)).await?.is_empty() {
                return Err(Error::invalid("org", "activity-error-org"));
            }
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE activity_plans SET org_id = $1, org_name = '' WHERE record_id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ActivityOrganiser,
                target: format!("activity:{id}"),
                detail: format!("organisation:{}", org.unwrap_or(0)),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_three_w(scope.space.id);
        Ok(())
    }

    async fn fetch_activities(
        &self,
        scope: &Scope,
        cond: &str,
        mut binds: Vec<Bind>,
        order_limit: &str,
        lang: &str,
    ) -> Result<Vec<Activity>> {
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {ACTIVITY_COLS} FROM {ACTIVITY_FROM} WHERE r.kind = 'activity' AND {rule}{cond} {order_limit}"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| self.activity_from_row(scope, r, lang))
            .collect()
    }

    /// One activity: `NotFound` unless the viewer may see it.
    pub async fn activity(&self, scope: &Scope, id: i64, lang: &str) -> Result<Activity> {
        self.fetch_activities(scope, " AND r.id = $1", vec![Bind::I(id)], "", lang)
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)
    }

    /// One activity by its join code: `NotFound` unless the viewer may see it.
    pub async fn activity_by_code(
        &self,
        scope: &Scope,
        code: &str,
        lang: &str,
    ) -> Result<Activity> {
        self.fetch_activities(
            scope,
            " AND a.space_id = $1 AND a.code = $2",
            vec![Bind::I(scope.space.id), Bind::S(normalise_code(code))],
            "",
            lang,
        )
        .await?
        .into_iter()
        .next()
        .ok_or(Error::NotFound)
    }

    /// Activities the viewer may see that end after `from` (and start before
    /// `until`, when given), in `place` or the places under it, soonest first.
    pub async fn upcoming_activities(
        &self,
        scope: &Scope,
        place: Option<i64>,
        from: i64,
        until: Option<i64>,
        limit: i64,
        lang: &str,
    ) -> Result<Vec<Activity>> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(from)];
        let mut cond = String::from(" AND a.space_id = $1 AND a.ends_at > $2");
        if let Some(u) = until {
            binds.push(Bind::I(u));
            cond.push_str(&format!(" AND a.starts_at < ${}", binds.len()));
        }
        let mut order_by = "a.starts_at";
        if let Some(p) = place {
            // The place and the places under it (two levels), read first: a short
            // list of ids lets the database walk the place index, where a subquery
            // made it walk every upcoming activity of the space in time order.
            let rows = sqlx::query(
                "SELECT id FROM places WHERE space_id = $1 AND id = $2
                 UNION ALL SELECT id FROM places WHERE space_id = $1 AND parent_id = $2
                 UNION ALL SELECT id FROM places WHERE space_id = $1 AND parent_id IN
                    (SELECT id FROM places WHERE space_id = $1 AND parent_id = $2)",
            )
            .bind(scope.space.id)
            .bind(p)
            .fetch_all(&self.pool)
            .await?;
            let ids = rows
                .iter()
                .map(|r| int(r, "id").map(|i| i.to_string()))
                .collect::<Result<Vec<_>>>()?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            // Integers read from the database: safe to inline.
            cond.push_str(&format!(" AND a.place_id IN ({})", ids.join(",")));
            // Sorting the place's few activities beats walking the time index.
            order_by = "+a.starts_at";
        }
        let order = format!("ORDER BY {order_by}, r.id LIMIT {}", limit.clamp(1, 1000));
        self.fetch_activities(scope, &cond, binds, &order, lang)
            .await
    }

    /// Cancels an activity (organisers, or its author; audited) and tells its
    /// joiners by SMS, through `channel` when one is given.
    pub async fn cancel_activity(
        &self,
        scope: &Scope,
        id: i64,
        channel: Option<&crate::sms::Channel>,
        message: &str,
    ) -> Result<usize> {
        let a = self.activity(scope, id, "en").await?;
        if !(scope.is_organiser() || (a.author_id.is_some() && a.author_id == scope.viewer_id())) {
            return Err(Error::Forbidden);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE activity_plans SET status = 'cancelled', version = version + 1 WHERE record_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut told = 0;
        if let Some(ch) = channel {
            let rows = sqlx::query(
                "SELECT phone_enc FROM activity_joins WHERE activity_id = $1 AND status IN ('confirmed', 'waiting')
                 AND phone_enc IS NOT NULL",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
                if let Some(b) = opt_blob(r, "phone_enc")? {
                    let phone = self.keys.open(CTX_PHONE, &b)?;
                    if self
                        .queue_sms_in(&mut tx, ch, &phone, message)
                        .await?
                        .is_some()
                    {
                        told += 1;
                    }
                }
            }
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ActivityCancel,
                target: format!("activity:{id}"),
                detail: format!("told={told}"),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_three_w(scope.space.id);
        Ok(told)
    }

    /// Joins an activity the scope may see (web).
    pub async fn join_activity(&self, scope: &Scope, id: i64, who: &Joiner) -> Result<JoinOutcome> {
        let a = self.activity(scope, id, "en").await?;
        let mut tx = self.pool.begin().await?;
        let out = self
            .join_in(&mut tx, &a, scope.space.id, who, now())
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The keyed hash by which a joiner is known, if any.
    fn joiner_subject(&self, who: &Joiner) -> Result<Option<String>> {
        Ok(match who {
            Joiner::Anonymous => None,
            Joiner::Sms { phone, .. } => Some(
                self.keys
                    .lookup_hash(HASH_SUBJECT, &format!("phone:{phone}"))?,
            ),
            Joiner::Contact { phone, email, .. } => {
                match (
                    phone.as_deref().map(str::trim).filter(|p| !p.is_empty()),
                    email.as_deref().map(str::trim).filter(|e| !e.is_empty()),
                ) {
                    (Some(p), _) => Some(
                        self.keys
                            .lookup_hash(HASH_SUBJECT, &format!("phone:{}", normalise_phone(p)))?,
                    ),
                    (None, Some(e)) => Some(
                        self.keys
                            .lookup_hash(HASH_SUBJECT, &format!("email:{}", e.to_lowercase()))?,
                    ),
                    (None, None) => None,
                }
            }
        })
    }

    /// Joins inside the caller's transaction: confirmed within the capacity, else
    /// waiting. The activity's row is written first, so concurrent joins queue on
    /// it (PostgreSQL's row lock, SQLite's write lock) and never exceed the capacity.
    pub(crate) async fn join_in(
        &self,
        tx: &mut Tx,
        a: &Activity,
        space_id: i64,
        who: &Joiner,
        t: i64,
    ) -> Result<JoinOutcome> {
        if let Joiner::Contact { name, phone, email } = who {
            let mut problems = Vec::new();
            if name.trim().is_empty() || name.chars().count() > 200 {
                problems.push(Invalid {
                    field: "name",
                    key: "error-required",
                });
            }
            let phone = phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
            let email = email.as_deref().map(str::trim).filter(|e| !e.is_empty());
            if phone.is_none() && email.is_none() {
                problems.push(Invalid {
                    field: "phone",
                    key: "activity-error-contact",
                });
            }
            if let Some(p) = phone {
                let digits = normalise_phone(p).trim_start_matches('+').len();
                if !(6..=15).contains(&digits) {
                    problems.push(Invalid {
                        field: "phone",
                        key: "error-phone",
                    });
                }
            }
            if let Some(e) = email {
                if !e.contains('@') || e.contains(char::is_whitespace) || e.len() > 254 {
                    problems.push(Invalid {
                        field: "email",
                        key: "error-email",
                    });
                }
            }
            if !problems.is_empty() {
                return Err(Error::Invalid(problems));
            }
        }
        sqlx::query("UPDATE activity_plans SET version = version + 1 WHERE record_id = $1")
            .bind(a.id)
            .execute(&mut **tx)
            .await?;
        let row = sqlx::query(
            "SELECT status, capacity, ends_at FROM activity_plans WHERE record_id = $1",
        )
        .bind(a.id)
        .fetch_one(&mut **tx)
        .await?;
        if Status::parse(&text(&row, "status")?) == Status::Cancelled {
            return Ok(JoinOutcome::Cancelled);
        }
        if int(&row, "ends_at")? <= t {
            return Ok(JoinOutcome::Over);
        }
        let capacity = opt_int(&row, "capacity")?;
        let subject = self.joiner_subject(who)?;
        if let Some(s) = &subject {
            let existing = sqlx::query(
                "SELECT id, status FROM activity_joins WHERE activity_id = $1 AND subject_hash = $2",
            )
            .bind(a.id)
            .bind(s)
            .fetch_optional(&mut **tx)
            .await?;
            if let Some(e) = existing {
                if text(&e, "status")? != "left" {
                    return Ok(JoinOutcome::Already);
                }
                // Joining again after leaving: the old row goes, a new one queues.
                sqlx::query("DELETE FROM activity_joins WHERE id = $1")
                    .bind(int(&e, "id")?)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        let counts = sqlx::query(
            "SELECT COUNT(*) AS n FROM activity_joins WHERE activity_id = $1 AND status = 'confirmed'",
        )
        .bind(a.id)
        .fetch_one(&mut **tx)
        .await?;
        let confirmed = int(&counts, "n")?;
        let status = match capacity {
            Some(c) if confirmed >= c => "waiting",
            _ => "confirmed",
        };
        let (phone_hash, phone_enc, email_enc, name_enc, channel, ch_id) = match who {
            Joiner::Anonymous => (None, None, None, None, "web", None),
            Joiner::Sms {
                phone,
                phone_hash,
                channel_id,
            } => (
                Some(phone_hash.clone()),
                Some(self.keys.seal(CTX_PHONE, phone)?),
                None,
                None,
                "sms",
                Some(*channel_id),
            ),
            Joiner::Contact { name, phone, email } => {
                let phone = phone
                    .as_deref()
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(normalise_phone);
                let email = email.as_deref().map(str::trim).filter(|e| !e.is_empty());
                (
                    phone
                        .as_deref()
                        .map(|p| self.keys.lookup_hash("phone", p))
                        .transpose()?,
                    phone
                        .as_deref()
                        .map(|p| self.keys.seal(CTX_PHONE, p))
                        .transpose()?,
                    email.map(|e| self.keys.seal(CTX_EMAIL, e)).transpose()?,
                    Some(self.keys.seal(CTX_NAME, name.trim())?),
                    "web",
                    None,
                )
            }
        };
        sqlx::query(
            "INSERT INTO activity_joins (activity_id, space_id, subject_hash, phone_hash, phone_enc, email_enc, name_enc,
                                         channel, sms_channel_id, status, joined_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(a.id)
        .bind(space_id)
        .bind(subject)
        .bind(phone_hash)
        .bind(phone_enc)
        .bind(email_enc)
        .bind(name_enc)
        .bind(channel)
        .bind(ch_id)
        .bind(status)
        .bind(t)
        .execute(&mut **tx)
        .await?;
        if status == "confirmed" {
            return Ok(JoinOutcome::Confirmed);
        }
        let pos = sqlx::query(
            "SELECT COUNT(*) AS n FROM activity_joins WHERE activity_id = $1 AND status = 'waiting'",
        )
        .bind(a.id)
        .fetch_one(&mut **tx)
        .await?;
        Ok(JoinOutcome::Waiting(int(&pos, "n")?))
    }

    /// Leaves an activity inside the caller's transaction; the first waiting joiner
    /// moves up into a confirmed place freed. Returns what happened and, when
    /// someone moved up by SMS, their phone and channel (to tell them).
    pub(crate) async fn leave_in(
        &self,
        tx: &mut Tx,
        activity_id: i64,
        subject: &str,
    ) -> Result<(LeaveOutcome, Option<(String, i64)>)> {
        sqlx::query("UPDATE activity_plans SET version = version + 1 WHERE record_id = $1")
            .bind(activity_id)
            .execute(&mut **tx)
            .await?;
        let row = sqlx::query(
            "SELECT id, status FROM activity_joins WHERE activity_id = $1 AND subject_hash = $2 AND status <> 'left'",
        )
        .bind(activity_id)
        .bind(subject)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(row) = row else {
            return Ok((LeaveOutcome::NotJoined, None));
        };
        let was_confirmed = text(&row, "status")? == "confirmed";
        sqlx::query("UPDATE activity_joins SET status = 'left' WHERE id = $1")
            .bind(int(&row, "id")?)
            .execute(&mut **tx)
            .await?;
        if !was_confirmed {
            return Ok((LeaveOutcome::Left, None));
        }
        let next = sqlx::query(
            "SELECT id, phone_enc, sms_channel_id FROM activity_joins WHERE activity_id = $1 AND status = 'waiting'
             ORDER BY id LIMIT 1",
        )
        .bind(activity_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(next) = next else {
            return Ok((LeaveOutcome::Left, None));
        };
        sqlx::query("UPDATE activity_joins SET status = 'confirmed' WHERE id = $1")
            .bind(int(&next, "id")?)
            .execute(&mut **tx)
            .await?;
        let tell = match (
            opt_blob(&next, "phone_enc")?,
            opt_int(&next, "sms_channel_id")?,
        ) {
            (Some(b), Some(ch)) => Some((self.keys.open(CTX_PHONE, &b)?, ch)),
            _ => None,
        };
        Ok((LeaveOutcome::Left, tell))
    }

    /// Leaves an activity (web), by the phone or e-mail address it was joined with.
    pub async fn leave_activity(
        &self,
        scope: &Scope,
        id: i64,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<LeaveOutcome> {
        let a = self.activity(scope, id, "en").await?;
        let who = Joiner::Contact {
            name: String::new(),
            phone: phone.map(str::to_string),
            email: email.map(str::to_string),
        };
        let Some(subject) = self.joiner_subject(&who)? else {
            return Ok(LeaveOutcome::NotJoined);
        };
        let mut tx = self.pool.begin().await?;
        let (out, tell) = self.leave_in(&mut tx, a.id, &subject).await?;
        if let Some((phone, ch_id)) = tell {
            self.tell_moved_up_in(&mut tx, ch_id, &phone, &a).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Queues the text telling a waiting joiner they have a place now.
    pub(crate) async fn tell_moved_up_in(
        &self,
        tx: &mut Tx,
        channel_id: i64,
        phone: &str,
        a: &Activity,
    ) -> Result<()> {
        let row = sqlx::query("SELECT * FROM sms_channels WHERE id = $1")
            .bind(channel_id)
            .fetch_optional(&mut **tx)
            .await?;
        if let Some(r) = row {
            let ch = self.channel_from_row(&r)?;
            let title: String = a.title.chars().take(60).collect();
            let body = crate::i18n::reply(
                "en",
                "activity-sms-moved-up",
                &[("code", a.code.clone()), ("title", title)],
            );
            self.queue_sms_in(tx, &ch, phone, &body).await?;
        }
        Ok(())
    }

    /// Records attendance after an activity: a count (organisers or the author).
    pub async fn record_attendance(&self, scope: &Scope, id: i64, count: i64) -> Result<()> {
        let a = self.activity(scope, id, "en").await?;
        if !(scope.is_organiser() || (a.author_id.is_some() && a.author_id == scope.viewer_id())) {
            return Err(Error::Forbidden);
        }
        if !(0..=1_000_000).contains(&count) {
            return Err(Error::invalid("attended", "activity-error-capacity"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE activity_plans SET attended = $1 WHERE record_id = $2")
            .bind(count)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ActivityAttendance,
                target: format!("activity:{id}"),
                detail: format!("attended={count}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The joiners of an activity, for its organisers: (name, contact, status),
    /// decrypted; "just count me" joiners are counted, not listed.
    pub async fn activity_joiners(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<Vec<(String, String, String)>> {
        let a = self.activity(scope, id, "en").await?;
        if !(scope.is_organiser() || (a.author_id.is_some() && a.author_id == scope.viewer_id())) {
            return Err(Error::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT name_enc, phone_enc, email_enc, status FROM activity_joins
             WHERE activity_id = $1 AND status <> 'left' AND subject_hash IS NOT NULL ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let name = opt_blob(r, "name_enc")?
                .map(|b| self.keys.open(CTX_NAME, &b))
                .transpose()?
                .unwrap_or_default();
            let contact = match (opt_blob(r, "phone_enc")?, opt_blob(r, "email_enc")?) {
                (Some(p), _) => self.keys.open(CTX_PHONE, &p)?,
                (None, Some(e)) => self.keys.open(CTX_EMAIL, &e)?,
                _ => String::new(),
            };
            out.push((name, contact, text(r, "status")?));
        }
        Ok(out)
    }

    /// Sends the reminders and venue notices that are due: the day before, a
    /// reminder to each confirmed joiner by SMS; shortly before, the venue of a
    /// sensitive activity to its confirmed joiners. Returns how many were queued.
    /// Run periodically by the server; each message is queued once.
    pub async fn sweep_activity_reminders(&self) -> Result<usize> {
        let t = now();
        let rows = sqlx::query(
            "SELECT j.id, j.phone_enc, j.sms_channel_id, j.reminded, j.venue_sent, a.record_id, a.starts_at,
                    a.venue_sensitive, a.venue_enc, a.code, a.online, r.title, s.time_zone
             FROM activity_joins j JOIN activity_plans a ON a.record_id = j.activity_id
             JOIN records r ON r.id = a.record_id JOIN spaces s ON s.id = a.space_id
             WHERE j.status = 'confirmed' AND j.phone_enc IS NOT NULL AND j.sms_channel_id IS NOT NULL
               AND a.status = 'scheduled' AND a.starts_at > $1 AND a.starts_at <= $2
               AND (j.reminded = 0 OR (a.venue_sensitive = 1 AND j.venue_sent = 0 AND a.starts_at <= $3))",
        )
        .bind(t)
        .bind(t + REMINDER_SECS)
        .bind(t + VENUE_NOTICE_SECS)
        .fetch_all(&self.pool)
        .await?;
        let mut queued = 0;
        for r in &rows {
            let mut tx = self.pool.begin().await?;
            let Some(ch_row) = sqlx::query("SELECT * FROM sms_channels WHERE id = $1")
                .bind(int(r, "sms_channel_id")?)
                .fetch_optional(&mut *tx)
                .await?
            else {
                continue;
            };
            let ch = self.channel_from_row(&ch_row)?;
            let phone = match opt_blob(r, "phone_enc")? {
                Some(b) => self.keys.open(CTX_PHONE, &b)?,
                None => continue,
            };
            let starts =
                unix_to_local(int(r, "starts_at")?, &text(r, "time_zone")?).replace('T', " ");
            let title: String = text(r, "title")?.chars().take(60).collect();
            let code = text(r, "code")?;
            let sensitive = int(r, "venue_sensitive")? != 0;
            let venue = match opt_blob(r, "venue_enc")? {
                Some(b) if int(r, "online")? == 0 => self.keys.open(CTX_VENUE, &b)?,
                _ => String::new(),
            };
            let jid = int(r, "id")?;
            if int(r, "reminded")? == 0 {
                let body = if sensitive || venue.is_empty() {
                    crate::i18n::reply(
                        "en",
                        "activity-sms-reminder",
                        &[
                            ("title", title.clone()),
                            ("when", starts.clone()),
                            ("code", code.clone()),
                        ],
                    )
                } else {
                    crate::i18n::reply(
                        "en",
                        "activity-sms-reminder-venue",
                        &[
                            ("title", title.clone()),
                            ("when", starts.clone()),
                            ("venue", venue.clone()),
                            ("code", code.clone()),
                        ],
                    )
                };
                if self
                    .queue_sms_in(&mut tx, &ch, &phone, &body)
                    .await?
                    .is_some()
                {
                    queued += 1;
                }
                sqlx::query("UPDATE activity_joins SET reminded = 1 WHERE id = $1")
                    .bind(jid)
                    .execute(&mut *tx)
                    .await?;
            }
            if sensitive
                && int(r, "venue_sent")? == 0
                && int(r, "starts_at")? <= t + VENUE_NOTICE_SECS
                && !venue.is_empty()
            {
                let body = crate::i18n::reply(
                    "en",
                    "activity-sms-venue",
                    &[("title", title), ("venue", venue), ("when", starts)],
                );
                if self
                    .queue_sms_in(&mut tx, &ch, &phone, &body)
                    .await?
                    .is_some()
                {
                    queued += 1;
                }
                sqlx::query("UPDATE activity_joins SET venue_sent = 1 WHERE id = $1")
                    .bind(jid)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(queued)
    }
}

/// Whether the scope's role may create activities (for the pages' links).
pub fn may_create(scope: &Scope) -> bool {
    scope
        .role()
        .is_some_and(|r| r.may_create(crate::model::Kind::Activity))
}
