//! Organisations (stakeholder groups) and the concerns they endorse: "we share
//! this", and the **common concerns** ranked so that common ground across the divide
//! comes first (docs/organisations.md).
//!
//! An organisation is a row of `records` (kind `organisation`): its level decides who
//! sees it, through the one visibility rule. Its contact details are sealed.
//! Organisers add organisations and say which members act for each; a member
//! endorses a concern on behalf of an organisation they act for, through their own
//! account, so the audit log names a person.
//!
//! Endorsements by organisations the viewer may not see are counted, never named,
//! and only from the space's suppression threshold ("and 12 organisations that are
//! not named"), so that a count cannot single one out.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::access::envelope::NewRow;
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::model::{Level, Role};
use crate::storage::{bind_all, int, opt_blob, opt_int, text, Bind, Db};
use crate::util::now;

const CTX_CONTACT: &str = "organisation.contact";

/// What an organiser enters for an organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub description: String,
    /// The side or community it belongs to, e.g. "Veluna", "Kestria".
    pub side: String,
    pub sector: String,
    pub track: Option<i64>,
    /// How to reach it (sealed).
    pub contact: String,
    pub level: Level,
}

/// An organisation the viewer may see.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub side: String,
    pub sector: String,
    pub track: Option<i64>,
    pub level: Level,
    /// Shown to organisers only.
    pub contact: Option<String>,
}

/// An endorsement as a concern's page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Endorsement {
    pub org_id: i64,
    pub org: String,
    pub side: String,
    pub note: String,
}

/// The endorsements of a concern: those the viewer may see, and how many others
/// (0 below the suppression threshold).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Endorsements {
    pub named: Vec<Endorsement>,
    pub unnamed: i64,
}

/// A concern's place among the common concerns.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommonConcern {
    pub id: i64,
    pub title: String,
    /// Sides with at least one endorsing organisation.
    pub sides: Vec<String>,
    /// Sectors of the endorsing organisations.
    pub sectors: usize,
    /// Endorsing organisations.
    pub endorsers: usize,
    /// Each side weighs the same; within a side each organisation the same.
    pub balance: f64,
}

fn validate(new: &NewOrganisation) -> Result<()> {
    let mut problems = Vec::new();
    let n = new.name.trim().chars().count();
    if n == 0 || n > 200 {
        problems.push(Invalid {
            field: "name",
            key: "error-required",
        });
    }
    if new.side.trim().is_empty() || new.side.chars().count() > 100 {
        problems.push(Invalid {
            field: "side",
            key: "error-required",
        });
    }
    if new.sector.chars().count() > 100
        || new.description.chars().count() > 5000
        || new.contact.chars().count() > 1000
    {
        problems.push(Invalid {
            field: "description",
            key: "error-too-long",
        });
    }
    if let Some(t) = new.track {
        if !(1..=9).contains(&t) {
            problems.push(Invalid {
                field: "track",
                key: "error-track",
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Ranks concerns by common ground (pure; docs/organisations.md). `endorsed` is
/// (concern, organisation); `orgs` gives each organisation's (side, sector).
pub fn rank(
    concerns: &[(i64, String)],
    endorsed: &[(i64, i64)],
    orgs: &HashMap<i64, (String, String)>,
) -> Vec<CommonConcern> {
    let mut per_side: BTreeMap<&str, usize> = BTreeMap::new();
    for (side, _) in orgs.values() {
        *per_side.entry(side.as_str()).or_default() += 1;
    }
    let n_sides = per_side.len().max(1) as f64;
    let mut out: Vec<CommonConcern> = concerns
        .iter()
        .map(|(id, title)| {
            let by: Vec<&(String, String)> = endorsed
                .iter()
                .filter(|(c, _)| c == id)
                .filter_map(|(_, o)| orgs.get(o))
                .collect();
            let mut sides: BTreeMap<&str, usize> = BTreeMap::new();
            for (side, _) in &by {
                *sides.entry(side.as_str()).or_default() += 1;
            }
            let sectors: HashSet<&str> = by.iter().map(|(_, s)| s.as_str()).collect();
            let balance = sides
                .iter()
                .map(|(s, n)| *n as f64 / per_side.get(s).copied().unwrap_or(1).max(1) as f64)
                .sum::<f64>()
                / n_sides;
            CommonConcern {
                id: *id,
                title: title.clone(),
                sides: sides.keys().map(|s| s.to_string()).collect(),
                sectors: sectors.len(),
                endorsers: by.len(),
                balance,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.sides
            .len()
            .cmp(&a.sides.len())
            .then(b.balance.total_cmp(&a.balance))
            .then(b.sectors.cmp(&a.sectors))
            .then(a.id.cmp(&b.id))
    });
    out
}

impl Db {
    /// Adds an organisation (organisers; audited).
    pub async fn create_organisation(&self, scope: &Scope, new: &NewOrganisation) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        validate(new)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let search = format!(
            "{}\n{}\n{}\n{}",
            new.name.trim(),
            new.description,
            new.side,
            new.sector
        )
        .to_lowercase();
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::ORGANISATION,
                    title: new.name.trim(),
                    body: new.description.trim(),
                    search: &search,
                },
                &Envelope::at(new.level),
            )
            .await?;
        let contact = new.contact.trim();
        sqlx::query(
            "INSERT INTO organisations (record_id, space_id, side, sector, track, contact_enc) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(scope.space.id)
        .bind(new.side.trim())
        .bind(new.sector.trim())
        .bind(new.track)
        .bind((!contact.is_empty()).then(|| self.keys.seal(CTX_CONTACT, contact)).transpose()?)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("organisation:{id}"),
                detail: format!("level={}", new.level.as_str()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The organisations the viewer may see, by name (`id` for one).
    pub async fn organisations(&self, scope: &Scope, id: Option<i64>) -> Result<Vec<Organisation>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let by_id = match id {
            Some(i) => {
                binds.push(Bind::I(i));
                format!(" AND r.id = ${}", binds.len())
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT r.id, r.title, r.body, r.confidentiality, o.side, o.sector, o.track, o.contact_enc
             FROM records r JOIN organisations o ON o.record_id = r.id
             WHERE r.kind = 'organisation' AND o.space_id = $1 AND {rule}{by_id} ORDER BY r.title, r.id"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let organiser = scope.is_organiser();
        rows.iter()
            .map(|r| {
                Ok(Organisation {
                    id: int(r, "id")?,
                    name: text(r, "title")?,
                    description: text(r, "body")?,
                    side: text(r, "side")?,
                    sector: text(r, "sector")?,
                    track: opt_int(r, "track")?,
                    level: Level::from_i64(int(r, "confidentiality")?)
                        .ok_or_else(|| Error::Internal("unknown level".into()))?,
                    contact: match (organiser, opt_blob(r, "contact_enc")?) {
                        (true, Some(b)) => Some(self.keys.open(CTX_CONTACT, &b)?),
                        _ => None,
                    },
                })
            })
            .collect()
    }

    /// Says that a member acts for an organisation (organisers; audited).
    pub async fn add_org_member(&self, scope: &Scope, org: i64, email: &str) -> Result<()> {
        scope.require(Role::is_organiser)?;
        self.organisations(scope, Some(org))
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        let user = self
            .user_by_email(email.trim())
            .await?
            .ok_or_else(|| Error::invalid("email", "error-no-such-user"))?;
        let member = self.scope(Some(&user), &scope.space.slug).await?;
        if member.role().is_none() {
            return Err(Error::invalid("email", "org-error-not-member"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO organisation_members (org_id, user_id) VALUES ($1, $2) ON CONFLICT (org_id, user_id) DO NOTHING",
        )
        .bind(org)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::OrgMember,
                target: format!("organisation:{org}"),
                detail: format!("user:{}", user.id),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisations the viewer acts for (and may see).
    pub async fn my_organisations(&self, scope: &Scope) -> Result<Vec<Organisation>> {
        let Some(uid) = scope.viewer_id() else {
            return Ok(vec![]);
        };
        if scope.role().is_none() {
            return Ok(vec![]);
        }
        let rows = sqlx::query("SELECT org_id FROM organisation_members WHERE user_id = $1")
            .bind(uid)
            .fetch_all(&self.pool)
            .await?;
        let mine: HashSet<i64> = rows
            .iter()
            .map(|r| int(r, "org_id"))
            .collect::<Result<_>>()?;
        Ok(self
            .organisations(scope, None)
            .await?
            .into_iter()
            .filter(|o| mine.contains(&o.id))
            .collect())
    }

    /// Endorses a concern the viewer sees on behalf of an organisation the viewer
    /// acts for ("we share this", with a note); endorsing again replaces the note.
    pub async fn endorse(&self, scope: &Scope, concern: i64, org: i64, note: &str) -> Result<()> {
        let uid = scope.viewer_id().ok_or(Error::Forbidden)?;
        self.get_record(scope, crate::model::Kind::Concern, concern)
            .await?;
        if !self
            .my_organisations(scope)
            .await?
            .iter()
            .any(|o| o.id == org)
        {
            return Err(Error::Forbidden);
        }
        let note = note.trim();
        if note.chars().count() > 1000 {
            return Err(Error::invalid("note", "error-too-long"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO concern_endorsements (concern_id, org_id, user_id, note, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (concern_id, org_id) DO UPDATE SET note = excluded.note, user_id = excluded.user_id",
        )
        .bind(concern)
        .bind(org)
        .bind(uid)
        .bind(note)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(uid),
                action: AuditAction::Endorse,
                target: format!("concern:{concern}"),
                detail: format!("organisation:{org}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The endorsements of a concern the viewer sees.
    pub async fn endorsements(&self, scope: &Scope, concern: i64) -> Result<Endorsements> {
        let f = crate::records::Filter {
            kind: Some(crate::model::Kind::Concern),
            id: Some(concern),
            limit: Some(1),
            ..Default::default()
        };
        if self.count_visible(scope, &f).await? == 0 {
            return Err(Error::NotFound);
        }
        let rows = sqlx::query("SELECT org_id, note FROM concern_endorsements WHERE concern_id = $1 ORDER BY created_at")
            .bind(concern)
            .fetch_all(&self.pool)
            .await?;
        let seen: HashMap<i64, Organisation> = self
            .organisations(scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let mut out = Endorsements::default();
        let mut hidden = 0;
        for r in &rows {
            let id = int(r, "org_id")?;
            match seen.get(&id) {
                Some(o) => out.named.push(Endorsement {
                    org_id: id,
                    org: o.name.clone(),
                    side: o.side.clone(),
                    note: text(r, "note")?,
                }),
                None => hidden += 1,
            }
        }
        if hidden >= scope.space.suppression_threshold.max(1) {
            out.unnamed = hidden;
        }
        Ok(out)
    }

    /// The common concerns: concerns the viewer sees endorsed by organisations of
    /// several sides or sectors, common ground across the divide first. Counts use
    /// the organisations the viewer sees.
    pub async fn common_concerns(&self, scope: &Scope) -> Result<Vec<CommonConcern>> {
        let concerns = self
            .fetch_visible(
                scope,
                &crate::records::Filter {
                    kind: Some(crate::model::Kind::Concern),
                    limit: Some(5000),
                    ..Default::default()
                },
            )
            .await?;
        let orgs: HashMap<i64, (String, String)> = self
            .organisations(scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, (o.side, o.sector)))
            .collect();
        let rows = sqlx::query(
            "SELECT e.concern_id, e.org_id FROM concern_endorsements e JOIN records r ON r.id = e.concern_id
             WHERE r.space_id = $1",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        let endorsed: Vec<(i64, i64)> = rows
            .iter()
            .map(|r| Ok((int(r, "concern_id")?, int(r, "org_id")?)))
            .collect::<Result<_>>()?;
        let list: Vec<(i64, String)> = concerns.into_iter().map(|c| (c.id, c.title)).collect();
        Ok(rank(&list, &endorsed, &orgs)
            .into_iter()
            .filter(|c| c.sides.len() >= 2 || c.sectors >= 2)
            .collect())
    }
}

/// Where a concern came from or went: merged into another, or promoted from an
/// opinion statement.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConcernLinks {
    /// The concern this one was merged into (id, title), if the viewer sees it.
    pub merged_into: Option<(i64, String)>,
    /// The conversation (id, topic) whose statement this concern was promoted from,
    /// if the viewer sees it.
    pub from_conversation: Option<(i64, String)>,
}

impl Db {
    /// Merges a duplicate concern into another (organisers; one transaction;
    /// audited): its endorsements are carried over (an organisation that endorsed
    /// both keeps one endorsement) and it points to the one it was merged into.
    pub async fn merge_concern(&self, scope: &Scope, from: i64, into: i64) -> Result<()> {
        scope.require(Role::is_organiser)?;
        if from == into {
            return Err(Error::invalid("into", "concern-error-merge-self"));
        }
        self.get_record(scope, crate::model::Kind::Concern, from)
            .await?;
        self.get_record(scope, crate::model::Kind::Concern, into)
            .await
            .map_err(|_| Error::invalid("into", "concern-error-merge-target"))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO concern_endorsements (concern_id, org_id, user_id, note, created_at)
             SELECT $1, org_id, user_id, note, created_at FROM concern_endorsements WHERE concern_id = $2
             ON CONFLICT (concern_id, org_id) DO NOTHING",
        )
        .bind(into)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM concern_endorsements WHERE concern_id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO concern_merges (from_id, into_id, user_id, merged_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (from_id) DO UPDATE SET into_id = excluded.into_id",
        )
        .bind(from)
        .bind(into)
        .bind(scope.viewer_id())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ConcernMerge,
                target: format!("concern:{from}"),
                detail: format!("into concern:{into}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Promotes an approved statement of a conversation the viewer sees to a concern
    /// at the conversation's level, keeping the link (organisers; audited).
    pub async fn promote_statement(
        &self,
        scope: &Scope,
        conv: &crate::opinion::Conversation,
        statement: i64,
        note: &str,
    ) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let s = self
            .approved_statements(conv)
            .await?
            .into_iter()
            .find(|s| s.id == statement)
            .ok_or(Error::NotFound)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let title: String = s.body.chars().take(200).collect();
        let body = format!("{}\n\n{}", conv.topic, note.trim());
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::CONCERN,
                    title: &title,
                    body: body.trim(),
                    search: &format!("{title}\n{body}").to_lowercase(),
                },
                &Envelope::at(conv.level),
            )
            .await?;
        sqlx::query("INSERT INTO concern_sources (concern_id, conversation_id, statement_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(conv.id)
            .bind(statement)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::ConcernPromote,
                target: format!("concern:{id}"),
                detail: format!("statement:{statement} conversation:{}", conv.id),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Where a concern the viewer sees came from or went.
    pub async fn concern_links(&self, scope: &Scope, concern: i64) -> Result<ConcernLinks> {
        let mut out = ConcernLinks::default();
        if let Some(r) = sqlx::query("SELECT into_id FROM concern_merges WHERE from_id = $1")
            .bind(concern)
            .fetch_optional(&self.pool)
            .await?
        {
            let into = int(&r, "into_id")?;
            if let Ok(rec) = self
                .get_record(scope, crate::model::Kind::Concern, into)
                .await
            {
                out.merged_into = Some((into, rec.title));
            }
        }
        if let Some(r) =
            sqlx::query("SELECT conversation_id FROM concern_sources WHERE concern_id = $1")
                .bind(concern)
                .fetch_optional(&self.pool)
                .await?
        {
            if let Ok(c) = self.conversation(scope, int(&r, "conversation_id")?).await {
                out.from_conversation = Some((c.id, c.topic));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs() -> HashMap<i64, (String, String)> {
        let mut m = HashMap::new();
        for i in 1..=6 {
            m.insert(i, ("Veluna".to_string(), format!("sector{}", i % 3)));
        }
        for i in 7..=8 {
            m.insert(i, ("Kestria".to_string(), "women".to_string()));
        }
        m
    }

    #[test]
    fn common_ground_across_the_divide_comes_first() {
        let concerns = vec![
            (1, "one side, many".to_string()),
            (2, "both sides, few".to_string()),
            (3, "none".to_string()),
        ];
        // Concern 1: all six Velunan groups. Concern 2: one Velunan, one Kestrian.
        let mut endorsed: Vec<(i64, i64)> = (1..=6).map(|o| (1, o)).collect();
        endorsed.extend([(2, 1), (2, 7)]);
        let r = rank(&concerns, &endorsed, &orgs());
        assert_eq!(r.iter().map(|c| c.id).collect::<Vec<_>>(), vec![2, 1, 3]);
        assert_eq!(
            r[0].sides,
            vec!["Kestria".to_string(), "Veluna".to_string()]
        );
        // Each side weighs the same: one of two Kestrian groups is worth three of
        // six Velunan groups.
        let a = rank(&[(1, "a".into())], &[(1, 7)], &orgs())[0].balance;
        let b = rank(&[(1, "b".into())], &[(1, 1), (1, 2), (1, 3)], &orgs())[0].balance;
        assert!((a - b).abs() < 1e-12, "{a} {b}");
    }
}
