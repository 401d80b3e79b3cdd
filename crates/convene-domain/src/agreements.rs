//! After an agreement: its provisions, their implementation status on the Peace
//! Accords Matrix scale (not started, minimal, intermediate, full) with dated
//! evidence, and the activities that implement each (docs/agreements.md).
//!
//! An agreement is a row of `records` (kind `agreement`): its level decides who sees
//! its tracker, through the one visibility rule. Organisers enter the provisions
//! (pasted, one per line, or a CSV), record statuses and link activities; each
//! change is audited. Linked activities are shown only to those who may read them.

use crate::access::envelope::NewRow;
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result, RowError};
use crate::model::{Level, Role};
use crate::storage::{bind_all, int, opt_int, text, Bind, Db};
use crate::util::now;

/// Implementation on the Peace Accords Matrix's scale (Joshi, Quinn & Regan 2015).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Implementation {
    NotStarted = 0,
    Minimal = 1,
    Intermediate = 2,
    Full = 3,
}

impl Implementation {
    pub const ALL: [Implementation; 4] = [
        Implementation::NotStarted,
        Implementation::Minimal,
        Implementation::Intermediate,
        Implementation::Full,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Implementation::NotStarted => "not-started",
            Implementation::Minimal => "minimal",
            Implementation::Intermediate => "intermediate",
            Implementation::Full => "full",
        }
    }
    pub fn parse(s: &str) -> Option<Implementation> {
        Implementation::ALL.into_iter().find(|i| i.as_str() == s)
    }
    fn from_i64(v: i64) -> Implementation {
        Implementation::ALL
            .into_iter()
            .find(|i| *i as i64 == v)
            .unwrap_or(Implementation::NotStarted)
    }
}

/// A provision as read from a file or pasted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProvision {
    pub number: String,
    pub body: String,
}

/// A dated status of a provision, with its evidence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusEntry {
    pub status: Implementation,
    pub as_of: String,
    pub evidence: String,
}

/// A provision with its current status, its history (newest first) and the
/// activities the viewer may read that implement it: (id, title, code).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Provision {
    pub id: i64,
    pub number: String,
    pub body: String,
    pub status: Implementation,
    pub history: Vec<StatusEntry>,
    pub activities: Vec<(i64, String, String)>,
}

/// An agreement's tracker.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Agreement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub signed_on: String,
    pub level: Level,
    pub provisions: Vec<Provision>,
}

impl Agreement {
    /// How many provisions stand at each status, in the scale's order.
    pub fn counts(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for p in &self.provisions {
            c[p.status as usize] += 1;
        }
        c
    }

    /// The Peace Accords Matrix's aggregate: the mean status over provisions, as a
    /// share of full implementation (0 to 100).
    pub fn implementation_pct(&self) -> u32 {
        if self.provisions.is_empty() {
            return 0;
        }
        let sum: usize = self.provisions.iter().map(|p| p.status as usize).sum();
        ((sum as f64 / (3.0 * self.provisions.len() as f64)) * 100.0).round() as u32
    }
}

const SHEET: &str = "provisions";
/// Most provisions in one agreement.
pub const MAX_PROVISIONS: usize = 2000;

fn problem(line: u64, column: &str, key: &'static str) -> RowError {
    RowError {
        sheet: SHEET,
        line,
        column: column.to_string(),
        key,
    }
}

/// Reads provisions pasted as text, one per line, each starting with its number
/// ("1.", "3.2", "Art. 4", "IV"): the number is the first word (without a trailing
/// dot or parenthesis), the rest is the text. Blank lines are skipped.
pub fn read_pasted(text: &str) -> std::result::Result<Vec<NewProvision>, Vec<RowError>> {
    let rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let l = l.trim();
            let (number, body) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (
                i as u64 + 1,
                number.trim_end_matches(['.', ')', ':']).to_string(),
                body.trim().to_string(),
            )
        })
        .collect();
    check(rows, "")
}

/// Reads provisions from a CSV: a column `number` and a column `text` (by header,
/// in any case, or the HXL hashtags `#provision+code` and `#provision+text`; else
/// the first two columns).
pub fn read_csv(bytes: &[u8]) -> std::result::Result<Vec<NewProvision>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    for rec in r.records() {
        match rec {
            Ok(rec) => records.push(rec),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(vec![problem(line, "", "places-error-csv")]);
            }
        }
        if records.len() > MAX_PROVISIONS + 2 {
            return Err(vec![problem(0, "", "places-error-too-many")]);
        }
    }
    let find = |row: &csv::StringRecord, names: &[&str]| {
        row.iter()
            .position(|c| names.contains(&c.trim().to_lowercase().as_str()))
    };
    let mut start = 0;
    let (mut num, mut body) = (0usize, 1usize);
    for (i, row) in records.iter().enumerate().take(2) {
        if let (Some(n), Some(b)) = (
            find(
                row,
                &["number", "no", "#provision+code", "#provision+number"],
            ),
            find(
                row,
                &["text", "provision", "#provision+text", "#provision+name"],
            ),
        ) {
            num = n;
            body = b;
            start = i + 1;
        }
    }
    let rows = records
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| {
            (
                i as u64 + 1,
                r.get(num).unwrap_or("").trim().to_string(),
                r.get(body).unwrap_or("").trim().to_string(),
            )
        })
        .collect();
    let col = crate::places::gazetteer_csv::column_letter;
    check(rows, "").map_err(|errs| {
        errs.into_iter()
            .map(|mut e| {
                e.column = match e.key {
                    "agreement-error-text" => col(body),
                    _ => col(num),
                };
                e
            })
            .collect()
    })
}

fn check(
    rows: Vec<(u64, String, String)>,
    _: &str,
) -> std::result::Result<Vec<NewProvision>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (line, number, body) in rows {
        if number.is_empty() || number.chars().count() > 20 {
            errors.push(problem(line, "", "agreement-error-number"));
            continue;
        }
        if body.is_empty() || body.chars().count() > 5000 {
            errors.push(problem(line, "", "agreement-error-text"));
            continue;
        }
        if !seen.insert(number.to_lowercase()) {
            errors.push(problem(line, "", "agreement-error-twice"));
            continue;
        }
        out.push(NewProvision { number, body });
    }
    if out.len() > MAX_PROVISIONS {
        errors.push(problem(0, "", "places-error-too-many"));
    }
    if errors.is_empty() && out.is_empty() {
        errors.push(problem(0, "", "places-error-empty"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl Db {
    /// Enters an agreement with its provisions (organisers; one transaction;
    /// audited).
    pub async fn create_agreement(
        &self,
        scope: &Scope,
        title: &str,
        signed_on: &str,
        level: Level,
        provisions: &[NewProvision],
    ) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let mut problems = Vec::new();
        if title.trim().is_empty() || title.chars().count() > 200 {
            problems.push(Invalid {
                field: "title",
                key: "error-required",
            });
        }
        if !crate::records::valid_date(signed_on.trim()) {
            problems.push(Invalid {
                field: "signed_on",
                key: "error-date",
            });
        }
        if provisions.is_empty() {
            problems.push(Invalid {
                field: "provisions",
                key: "places-error-empty",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::AGREEMENT,
                    title: title.trim(),
                    body: "",
                    search: &title.trim().to_lowercase(),
                },
                &Envelope::at(level),
            )
            .await?;
        sqlx::query("INSERT INTO agreements (record_id, space_id, signed_on) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(scope.space.id)
            .bind(signed_on.trim())
            .execute(&mut *tx)
            .await?;
        for (i, p) in provisions.iter().enumerate() {
            sqlx::query("INSERT INTO provisions (agreement_id, number, body, position) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(&p.number)
                .bind(&p.body)
                .bind(i as i64)
                .execute(&mut *tx)
                .await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("agreement:{id}"),
                detail: format!("level={} provisions={}", level.as_str(), provisions.len()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The agreements the viewer may see: (id, title, signed on).
    pub async fn agreements(&self, scope: &Scope) -> Result<Vec<(i64, String, String)>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, a.signed_on FROM records r JOIN agreements a ON a.record_id = r.id
             WHERE r.kind = 'agreement' AND a.space_id = $1 AND {rule} ORDER BY a.signed_on DESC, r.id"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((int(r, "id")?, text(r, "title")?, text(r, "signed_on")?)))
            .collect()
    }

    /// An agreement's tracker: `NotFound` unless the viewer may see it.
    pub async fn agreement(&self, scope: &Scope, id: i64) -> Result<Agreement> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, r.body, r.confidentiality, a.signed_on FROM records r
             JOIN agreements a ON a.record_id = r.id
             WHERE r.kind = 'agreement' AND a.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let rows = sqlx::query(
            "SELECT id, number, body FROM provisions WHERE agreement_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let statuses = sqlx::query(
            "SELECT s.provision_id, s.status, s.as_of, s.evidence FROM provision_status s
             JOIN provisions p ON p.id = s.provision_id WHERE p.agreement_id = $1
             ORDER BY s.as_of DESC, s.id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        // Linked activities, read through the visibility rule.
        let mut binds = vec![Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT l.provision_id, r.id, r.title, a.code FROM provision_links l
             JOIN provisions p ON p.id = l.provision_id JOIN records r ON r.id = l.record_id
             LEFT JOIN activity_plans a ON a.record_id = r.id
             WHERE p.agreement_id = $1 AND {rule} ORDER BY r.title"
        );
        let links = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let mut provisions = Vec::with_capacity(rows.len());
        for r in &rows {
            let pid = int(r, "id")?;
            let history: Vec<StatusEntry> = statuses
                .iter()
                .filter(|s| int(s, "provision_id").ok() == Some(pid))
                .map(|s| {
                    Ok(StatusEntry {
                        status: Implementation::from_i64(int(s, "status")?),
                        as_of: text(s, "as_of")?,
                        evidence: text(s, "evidence")?,
                    })
                })
                .collect::<Result<_>>()?;
            let activities = links
                .iter()
                .filter(|l| int(l, "provision_id").ok() == Some(pid))
                .map(|l| {
                    Ok((
                        int(l, "id")?,
                        text(l, "title")?,
                        crate::storage::opt_text(l, "code")?.unwrap_or_default(),
                    ))
                })
                .collect::<Result<_>>()?;
            provisions.push(Provision {
                id: pid,
                number: text(r, "number")?,
                body: text(r, "body")?,
                status: history
                    .first()
                    .map_or(Implementation::NotStarted, |h| h.status),
                history,
                activities,
            });
        }
        Ok(Agreement {
            id,
            title: text(&row, "title")?,
            body: text(&row, "body")?,
            signed_on: text(&row, "signed_on")?,
            level: Level::from_i64(int(&row, "confidentiality")?)
                .ok_or_else(|| Error::Internal("unknown level".into()))?,
            provisions,
        })
    }

    async fn provision_of(&self, scope: &Scope, agreement: i64, provision: i64) -> Result<()> {
        self.agreement(scope, agreement).await?;
        let row = sqlx::query("SELECT agreement_id FROM provisions WHERE id = $1")
            .bind(provision)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        if opt_int(&row, "agreement_id")? != Some(agreement) {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Records a provision's status as of a date, with its evidence (organisers;
    /// audited). The latest date is the current status; earlier ones stay as history.
    pub async fn set_provision_status(
        &self,
        scope: &Scope,
        agreement: i64,
        provision: i64,
        status: Implementation,
        as_of: &str,
        evidence: &str,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        self.provision_of(scope, agreement, provision).await?;
        let mut problems = Vec::new();
        if !crate::records::valid_date(as_of.trim()) {
            problems.push(Invalid {
                field: "as_of",
                key: "error-date",
            });
        }
        if evidence.trim().is_empty() || evidence.chars().count() > 5000 {
            problems.push(Invalid {
                field: "evidence",
                key: "agreement-error-evidence",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO provision_status (provision_id, status, as_of, evidence, user_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(provision)
        .bind(status as i64)
        .bind(as_of.trim())
        .bind(evidence.trim())
        .bind(scope.viewer_id())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ProvisionStatus,
                target: format!("provision:{provision}"),
                detail: format!("{} as of {}", status.as_str(), as_of.trim()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Links an activity the viewer may read (by its join code) to a provision it
    /// implements (organisers; audited).
    pub async fn link_provision(
        &self,
        scope: &Scope,
        agreement: i64,
        provision: i64,
        code: &str,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        self.provision_of(scope, agreement, provision).await?;
        let a = self
            .activity_by_code(scope, code, "en")
            .await
            .map_err(|_| Error::invalid("code", "agreement-error-code"))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO provision_links (provision_id, record_id) VALUES ($1, $2) ON CONFLICT (provision_id, record_id) DO NOTHING",
        )
        .bind(provision)
        .bind(a.id)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ProvisionLink,
                target: format!("provision:{provision}"),
                detail: format!("activity:{}", a.id),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_provisions_with_numbers() {
        let p = read_pasted("1. The parties agree to a ceasefire.\n\n1.2) Monitors are deployed.\nIV Refugees return.\n").unwrap();
        assert_eq!(
            p.iter().map(|p| p.number.as_str()).collect::<Vec<_>>(),
            ["1", "1.2", "IV"]
        );
        assert_eq!(p[1].body, "Monitors are deployed.");
        let e = read_pasted("1 A\n1. B\n2\n").unwrap_err();
        let got: Vec<(u64, &str)> = e.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            got,
            [(2, "agreement-error-twice"), (3, "agreement-error-text")]
        );
    }

    #[test]
    fn csv_provisions_by_header_or_hxl() {
        let p = read_csv(b"Number,Text\n1,Ceasefire\n2,\"Monitors, deployed\"\n").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].body, "Monitors, deployed");
        let p =
            read_csv(b"Art,Provision text\n#provision+code,#provision+text\n3.1,Return\n").unwrap();
        assert_eq!(p[0].number, "3.1");
        let e = read_csv(b"number,text\n1,\n").unwrap_err();
        assert_eq!(
            (e[0].line, e[0].column.as_str(), e[0].key),
            (2, "B", "agreement-error-text")
        );
    }

    #[test]
    fn the_aggregate_is_the_mean_status() {
        let prov = |s| Provision {
            id: 0,
            number: String::new(),
            body: String::new(),
            status: s,
            history: vec![],
            activities: vec![],
        };
        let a = Agreement {
            id: 1,
            title: String::new(),
            body: String::new(),
            signed_on: String::new(),
            level: Level::Public,
            provisions: vec![
                prov(Implementation::Full),
                prov(Implementation::NotStarted),
                prov(Implementation::Intermediate),
            ],
        };
        assert_eq!(a.counts(), [1, 0, 1, 1]);
        assert_eq!(a.implementation_pct(), 56);
    }
}
