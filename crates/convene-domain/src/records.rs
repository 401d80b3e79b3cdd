//! Records and the one confidentiality rule that every read passes through.
//!
//! Every record kind is a row of `records` (space, kind, confidentiality level,
//! author, title, body) plus an optional details table. Lists, detail pages, search,
//! counts and exports all call [`Db::fetch_visible`] or [`Db::count_visible`], which
//! build their WHERE clause from [`visible`]. No other function reads `records`.

use crate::access::envelope::NewRow;
use crate::access::kinds::{self, RecordKind};
use crate::access::Scope;
use crate::access::{visible, Envelope};
use crate::audit::{AuditAction, Event};
use crate::crypto::normalise_phone;
use crate::error::{Error, Invalid, Result};
use crate::model::{Detail, Kind, Level, NewRecord, Record, Role};
use crate::storage::{bind_all, int, opt_blob, opt_int, opt_text, text, Bind, Db};

/// A selection of records within a scope.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<Kind>,
    pub id: Option<i64>,
    /// Case-insensitive substring of title, body and searchable details.
    pub query: Option<String>,
    pub limit: Option<i64>,
    pub offset: i64,
}

fn where_clause(scope: &Scope, f: &Filter, binds: &mut Vec<Bind>) -> String {
    let mut sql = visible(scope, binds);
    if let Some(k) = f.kind {
        binds.push(Bind::S(k.as_str().into()));
        sql.push_str(&format!(" AND r.kind = ${}", binds.len()));
    } else {
        // Kinds stored by other parts with their own details (opinion conversations)
        // are read through their own functions, over the same rule.
        let kinds: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        sql.push_str(&format!(" AND r.kind IN ({})", kinds.join(", ")));
    }
    if let Some(id) = f.id {
        binds.push(Bind::I(id));
        sql.push_str(&format!(" AND r.id = ${}", binds.len()));
    }
    if let Some(q) = f.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        binds.push(Bind::S(format!("%{escaped}%")));
        sql.push_str(&format!(
            " AND r.search_text LIKE ${} ESCAPE '\\'",
            binds.len()
        ));
    }
    sql
}

fn validate(new: &NewRecord) -> Result<()> {
    let mut problems = Vec::new();
    let title_len = new.title.trim().chars().count();
    if title_len == 0 {
        problems.push(Invalid {
            field: "title",
            key: "error-required",
        });
    } else if title_len > 200 {
        problems.push(Invalid {
            field: "title",
            key: "error-too-long",
        });
    }
    if new.body.chars().count() > 20_000 {
        problems.push(Invalid {
            field: "body",
            key: "error-too-long",
        });
    }
    match (&new.kind, &new.detail) {
        (Kind::Concern, Detail::None) => {}
        (
            Kind::Activity,
            Detail::Activity {
                locality,
                starts_on,
                track,
            },
        ) => {
            if locality.trim().is_empty() {
                problems.push(Invalid {
                    field: "locality",
                    key: "error-required",
                });
            }
            if !valid_date(starts_on) {
                problems.push(Invalid {
                    field: "starts_on",
                    key: "error-date",
                });
            }
            if let Some(t) = track {
                if !(1..=9).contains(t) {
                    problems.push(Invalid {
                        field: "track",
                        key: "error-track",
                    });
                }
            }
        }
        (Kind::Contact, Detail::Contact { name, email, phone }) => {
            if name.trim().is_empty() {
                problems.push(Invalid {
                    field: "name",
                    key: "error-required",
                });
            }
            if let Some(e) = email.as_deref().filter(|e| !e.trim().is_empty()) {
                if !e.contains('@') || e.contains(char::is_whitespace) {
                    problems.push(Invalid {
                        field: "email",
                        key: "error-email",
                    });
                }
            }
            if let Some(p) = phone.as_deref().filter(|p| !p.trim().is_empty()) {
                let digits = normalise_phone(p).trim_start_matches('+').len();
                if !(6..=15).contains(&digits)
                    || p.chars()
                        .any(|c| !(c.is_ascii_digit() || " +-().".contains(c)))
                {
                    problems.push(Invalid {
                        field: "phone",
                        key: "error-phone",
                    });
                }
            }
        }
        _ => problems.push(Invalid {
            field: "kind",
            key: "error-invalid",
        }),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        parts[0].parse::<u32>(),
        parts[1].parse::<u32>(),
        parts[2].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && d >= 1 && d <= days
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The envelope's kind of a coordination record.
fn record_kind(kind: Kind) -> RecordKind {
    match kind {
        Kind::Concern => kinds::CONCERN,
        Kind::Activity => kinds::ACTIVITY,
        Kind::Contact => kinds::CONTACT,
    }
}

impl Db {
    /// Creates a record in the scope's space. Checks the role may create this kind;
    /// seals personal data; names the author (and `named`) on named-only records.
    pub async fn create_record(&self, scope: &Scope, new: NewRecord) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.create_record_in(&mut tx, scope, &new).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Db::create_record`] inside the caller's transaction (a dialogue
    /// participant's contact is made with its participant row).
    pub(crate) async fn create_record_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        new: &NewRecord,
    ) -> Result<i64> {
        let role = scope.require(|r| r.may_create(new.kind))?;
        validate(new)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut search = format!("{}\n{}", new.title.trim(), new.body);
        if let Detail::Activity { locality, .. } = &new.detail {
            search.push('\n');
            search.push_str(locality);
        }
        let search = search.to_lowercase();
        let id = self
            .insert_record(
                tx,
                scope,
                author,
                NewRow {
                    kind: record_kind(new.kind),
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
        match &new.detail {
            Detail::None => {}
            Detail::Activity {
                locality,
                starts_on,
                track,
            } => {
                sqlx::query("INSERT INTO activity_details (record_id, locality, starts_on, track) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(locality.trim())
                    .bind(starts_on)
                    .bind(*track)
                    .execute(&mut **tx)
                    .await?;
            }
            Detail::Contact { name, email, phone } => {
                let email_enc = non_empty(email)
                    .map(|e| self.keys.seal("contact.email", e))
                    .transpose()?;
                let phone_norm = non_empty(phone).map(normalise_phone);
                let phone_enc = phone_norm
                    .as_deref()
                    .map(|p| self.keys.seal("contact.phone", p))
                    .transpose()?;
                let phone_hash = phone_norm
                    .as_deref()
                    .map(|p| self.keys.lookup_hash("phone", p))
                    .transpose()?;
                sqlx::query("INSERT INTO contact_details (record_id, name_enc, email_enc, phone_enc, phone_hash) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(self.keys.seal("contact.name", name.trim())?)
                    .bind(email_enc)
                    .bind(phone_enc)
                    .bind(phone_hash)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("{}:{id}", new.kind.as_str()),
                detail: format!("level={} role={}", new.level.as_str(), role.as_str()),
            },
        )
        .await?;
        Ok(id)
    }

    /// The records the scope may see that match the filter, newest first.
    pub async fn fetch_visible(&self, scope: &Scope, f: &Filter) -> Result<Vec<Record>> {
        let mut binds = Vec::new();
        let wc = where_clause(scope, f, &mut binds);
        let limit = f.limit.unwrap_or(1000).clamp(1, 100_000);
        let sql = format!(
            "SELECT r.id, r.space_id, r.kind, r.confidentiality, r.author_id, u.display_name AS author_name, r.title, r.body,
                    r.created_at, r.updated_at, a.locality, a.starts_on, a.track, c.name_enc, c.email_enc, c.phone_enc
             FROM records r
             LEFT JOIN users u ON u.id = r.author_id
             LEFT JOIN activity_details a ON a.record_id = r.id
             LEFT JOIN contact_details c ON c.record_id = r.id
             WHERE {wc} ORDER BY r.created_at DESC, r.id DESC LIMIT {limit} OFFSET {}",
            f.offset.max(0)
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| self.record_from_row(scope, row))
            .collect()
    }

    /// How many records the scope may see that match the filter.
    pub async fn count_visible(&self, scope: &Scope, f: &Filter) -> Result<i64> {
        let mut binds = Vec::new();
        let wc = where_clause(scope, f, &mut binds);
        let sql = format!("SELECT COUNT(*) AS n FROM records r WHERE {wc}");
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_one(&self.pool)
            .await?;
        int(&row, "n")
    }

    fn record_from_row(&self, scope: &Scope, row: &sqlx::any::AnyRow) -> Result<Record> {
        let kind = Kind::parse(&text(row, "kind")?)
            .ok_or(Error::Internal("unknown record kind".into()))?;
        let level = Level::from_i64(int(row, "confidentiality")?)
            .ok_or(Error::Internal("unknown level".into()))?;
        let detail = match kind {
            Kind::Concern => Detail::None,
            Kind::Activity => Detail::Activity {
                locality: opt_text(row, "locality")?.unwrap_or_default(),
                starts_on: opt_text(row, "starts_on")?.unwrap_or_default(),
                track: opt_int(row, "track")?,
            },
            Kind::Contact => Detail::Contact {
                name: match opt_blob(row, "name_enc")? {
                    Some(b) => self.keys.open("contact.name", &b)?,
                    None => String::new(),
                },
                email: opt_blob(row, "email_enc")?
                    .map(|b| self.keys.open("contact.email", &b))
                    .transpose()?,
                phone: opt_blob(row, "phone_enc")?
                    .map(|b| self.keys.open("contact.phone", &b))
                    .transpose()?,
            },
        };
        let author = if scope.space.chatham_house {
            None
        } else {
            opt_text(row, "author_name")?
        };
        Ok(Record {
            id: int(row, "id")?,
            space_id: int(row, "space_id")?,
            kind,
            level,
            author,
            author_id: opt_int(row, "author_id")?,
            title: text(row, "title")?,
            body: text(row, "body")?,
            created_at: int(row, "created_at")?,
            updated_at: int(row, "updated_at")?,
            detail,
        })
    }

    /// One record for a detail page: `NotFound` when it does not exist, belongs to
    /// another space or kind, or the viewer may not see it. Views of named-people-only
    /// records are audited.
    pub async fn get_record(&self, scope: &Scope, kind: Kind, id: i64) -> Result<Record> {
        let f = Filter {
            kind: Some(kind),
            id: Some(id),
            limit: Some(1),
            ..Filter::default()
        };
        let rec = self
            .fetch_visible(scope, &f)
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        if rec.level == Level::Named {
            self.audit(Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::RecordView,
                target: format!("{}:{id}", kind.as_str()),
                detail: "named".into(),
            })
            .await?;
        }
        Ok(rec)
    }

    /// Every visible record of a kind, for export (roles that may export; audited).
    pub async fn export_records(&self, scope: &Scope, kind: Kind) -> Result<Vec<Record>> {
        scope.require(Role::may_export)?;
        let f = Filter {
            kind: Some(kind),
            limit: Some(100_000),
            ..Filter::default()
        };
        let recs = self.fetch_visible(scope, &f).await?;
        self.audit(Event {
            space_id: Some(scope.space.id),
            user_id: scope.viewer_id(),
            action: AuditAction::Export,
            target: kind.slug().into(),
            detail: format!("{} records", recs.len()),
        })
        .await?;
        Ok(recs)
    }

    /// Users named on a record (for its detail page); only for those who see it.
    pub async fn record_named(&self, scope: &Scope, kind: Kind, id: i64) -> Result<Vec<String>> {
        let f = Filter {
            kind: Some(kind),
            id: Some(id),
            limit: Some(1),
            ..Filter::default()
        };
        if self.count_visible(scope, &f).await? == 0 {
            return Err(Error::NotFound);
        }
        // In a Chatham House space the author, always among the named, is not shown.
        let hide_author = i64::from(scope.space.chatham_house);
        let rows = sqlx::query(
            "SELECT u.display_name FROM record_grants g JOIN users u ON u.id = g.user_id
             JOIN records r ON r.id = g.record_id
             WHERE g.record_id = $1 AND ($2 = 0 OR r.author_id IS NULL OR g.user_id <> r.author_id)
             ORDER BY u.display_name",
        )
        .bind(id)
        .bind(hide_author)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| text(r, "display_name")).collect()
    }

    /// Changes a record's confidentiality (organisers, or the author; audited).
    pub async fn set_level(
        &self,
        scope: &Scope,
        kind: Kind,
        id: i64,
        level: Level,
        named_emails: &[String],
    ) -> Result<()> {
        let target = self.level_target(scope, id, &[record_kind(kind)]).await?;
        // Addresses are looked up only once the viewer may change the level.
        let mut named = Vec::new();
        for e in named_emails
            .iter()
            .map(|e| e.trim())
            .filter(|e| !e.is_empty())
        {
            match self.user_by_email(e).await? {
                Some(u) => named.push(u.id),
                None => return Err(Error::invalid("named", "error-no-such-user")),
            }
        }
        self.change_level(scope, target, &Envelope { level, named })
            .await?;
        if kind == Kind::Activity {
            // The public's 3W map counts activities by level.
            self.forget_three_w(scope.space.id);
        }
        Ok(())
    }

    /// Finds visible contacts by phone number, through the keyed hash.
    pub async fn contacts_by_phone(&self, scope: &Scope, phone: &str) -> Result<Vec<Record>> {
        let hash = self.keys.lookup_hash("phone", &normalise_phone(phone))?;
        let rows = sqlx::query("SELECT record_id FROM contact_details WHERE phone_hash = $1")
            .bind(hash)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in rows {
            let id = int(&r, "record_id")?;
            let f = Filter {
                kind: Some(Kind::Contact),
                id: Some(id),
                limit: Some(1),
                ..Filter::default()
            };
            out.extend(self.fetch_visible(scope, &f).await?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::valid_date;

    #[test]
    fn dates() {
        assert!(valid_date("2026-02-28"));
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2026-02-29"));
        assert!(!valid_date("2026-13-01"));
        assert!(!valid_date("26-01-01"));
        assert!(!valid_date("2026-1-01"));
        assert!(!valid_date("abcd-ef-gh"));
    }
}
