//! Coalitions: organisations around one or more concerns, with a charter,
//! coordinators and the history of who joined and left (docs/organisations.md).
//!
//! A coalition is a row of `records` (kind `coalition`): its level decides who sees
//! it. An organisation may belong without being named publicly: the coalition's
//! page names the members the viewer may see that agreed to be listed, and counts
//! the others only from the space's suppression threshold, so that a count cannot
//! single one out. Organisers and the coalition's coordinators change its members
//! and concerns; each change is audited.

use std::collections::HashMap;

use crate::access::envelope::NewRow;
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::{Kind, Level, Role};
use crate::storage::{bind_all, int, opt_text, text, Bind, Db};

/// A member of a coalition as its page shows it: (organisation id, name, side,
/// joined on, left on).
pub type MemberRow = (i64, String, String, String, Option<String>);

/// A coalition the viewer may see.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Coalition {
    pub id: i64,
    pub name: String,
    pub charter: String,
    pub level: Level,
    /// Current members the viewer may see that are listed.
    pub members: Vec<MemberRow>,
    /// Current members not named to this viewer, when at least the threshold.
    pub unnamed: i64,
    /// Who joined and left, among the named (the viewer's view), oldest first.
    pub history: Vec<MemberRow>,
    /// Concerns the viewer may see: (id, title).
    pub concerns: Vec<(i64, String)>,
    /// Whether the viewer coordinates it.
    pub coordinating: bool,
    /// Its coordinators' names (members of the space see them).
    pub coordinators: Vec<String>,
}

impl Db {
    /// Creates a coalition (organisers; audited).
    pub async fn create_coalition(
        &self,
        scope: &Scope,
        name: &str,
        charter: &str,
        level: Level,
    ) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        if name.trim().is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid("name", "error-required"));
        }
        if charter.chars().count() > 20_000 {
            return Err(Error::invalid("charter", "error-too-long"));
        }
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::COALITION,
                    title: name.trim(),
                    body: charter.trim(),
                    search: &format!("{}\n{}", name.trim(), charter).to_lowercase(),
                },
                &Envelope::at(level),
            )
            .await?;
        sqlx::query("INSERT INTO coalition_coordinators (coalition_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(author)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("coalition:{id}"),
                detail: format!("level={}", level.as_str()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The coalitions the viewer may see: (id, name).
    pub async fn coalitions(&self, scope: &Scope) -> Result<Vec<(i64, String)>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title FROM records r WHERE r.kind = 'coalition' AND r.space_id = $1 AND {rule} ORDER BY r.title"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((int(r, "id")?, text(r, "title")?)))
            .collect()
    }

    /// One coalition: `NotFound` unless the viewer may see it.
    pub async fn coalition(&self, scope: &Scope, id: i64) -> Result<Coalition> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, r.body, r.confidentiality FROM records r
             WHERE r.kind = 'coalition' AND r.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let orgs: HashMap<i64, (String, String)> = self
            .organisations(scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, (o.name, o.side)))
            .collect();
        let rows = sqlx::query(
            "SELECT org_id, listed, joined_on, left_on FROM coalition_orgs WHERE coalition_id = $1 ORDER BY joined_on, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let organiser = scope.is_organiser();
        let (mut members, mut history, mut unnamed) = (Vec::new(), Vec::new(), 0);
        for r in &rows {
            let org = int(r, "org_id")?;
            let listed = int(r, "listed")? != 0;
            let left = opt_text(r, "left_on")?;
            match orgs.get(&org).filter(|_| listed || organiser) {
                Some((name, side)) => {
                    let m = (
                        org,
                        name.clone(),
                        side.clone(),
                        text(r, "joined_on")?,
                        left.clone(),
                    );
                    if left.is_none() {
                        members.push(m.clone());
                    }
                    history.push(m);
                }
                None if left.is_none() => unnamed += 1,
                None => {}
            }
        }
        if unnamed < scope.space.suppression_threshold.max(1) {
            unnamed = 0;
        }
        let mut binds = vec![Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title FROM coalition_concerns c JOIN records r ON r.id = c.concern_id
             WHERE c.coalition_id = $1 AND {rule} ORDER BY r.title"
        );
        let concerns = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((int(r, "id")?, text(r, "title")?)))
            .collect::<Result<_>>()?;
        let coordinating = match scope.viewer_id() {
            Some(uid) => {
                sqlx::query("SELECT user_id FROM coalition_coordinators WHERE coalition_id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(uid)
                    .fetch_optional(&self.pool)
                    .await?
                    .is_some()
                    && scope.role().is_some()
            }
            None => false,
        };
        let coordinators = if scope.role().is_some() && !scope.space.chatham_house {
            sqlx::query(
                "SELECT u.display_name FROM coalition_coordinators c JOIN users u ON u.id = c.user_id
                 WHERE c.coalition_id = $1 ORDER BY u.display_name",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| text(r, "display_name"))
            .collect::<Result<_>>()?
        } else {
            Vec::new()
        };
        Ok(Coalition {
            coordinators,
            id,
            name: text(&row, "title")?,
            charter: text(&row, "body")?,
            level: Level::from_i64(int(&row, "confidentiality")?)
                .ok_or_else(|| Error::Internal("unknown level".into()))?,
            members,
            unnamed,
            history,
            concerns,
            coordinating,
        })
    }

    async fn may_change_coalition(&self, scope: &Scope, id: i64) -> Result<Coalition> {
        let c = self.coalition(scope, id).await?;
        if !(scope.is_organiser() || c.coordinating) {
            return Err(Error::Forbidden);
        }
        Ok(c)
    }

    async fn coalition_audit(
        &self,
        scope: &Scope,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        id: i64,
        detail: String,
    ) -> Result<()> {
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CoalitionChange,
                target: format!("coalition:{id}"),
                detail,
            },
        )
        .await?;
        Ok(())
    }

    /// An organisation joins on `on` (YYYY-MM-DD), listed publicly or not
    /// (organisers and coordinators; audited). Joining again while a member
    /// changes nothing.
    pub async fn coalition_join(
        &self,
        scope: &Scope,
        id: i64,
        org: i64,
        listed: bool,
        on: &str,
    ) -> Result<()> {
        self.may_change_coalition(scope, id).await?;
        self.organisations(scope, Some(org))
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        if !crate::records::valid_date(on.trim()) {
            return Err(Error::invalid("on", "error-date"));
        }
        let mut tx = self.pool.begin().await?;
        let current = sqlx::query("SELECT id FROM coalition_orgs WHERE coalition_id = $1 AND org_id = $2 AND left_on IS NULL")
            .bind(id)
            .bind(org)
            .fetch_optional(&mut *tx)
            .await?;
        if current.is_none() {
            sqlx::query("INSERT INTO coalition_orgs (coalition_id, org_id, listed, joined_on) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(org)
                .bind(listed as i64)
                .bind(on.trim())
                .execute(&mut *tx)
                .await?;
            self.coalition_audit(
                scope,
                &mut tx,
                id,
                format!("join organisation:{org} listed={listed}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// An organisation leaves on `on` (organisers and coordinators; audited); its
    /// membership stays in the history.
    pub async fn coalition_leave(&self, scope: &Scope, id: i64, org: i64, on: &str) -> Result<()> {
        self.may_change_coalition(scope, id).await?;
        if !crate::records::valid_date(on.trim()) {
            return Err(Error::invalid("on", "error-date"));
        }
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE coalition_orgs SET left_on = $1 WHERE coalition_id = $2 AND org_id = $3 AND left_on IS NULL")
            .bind(on.trim())
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.coalition_audit(scope, &mut tx, id, format!("leave organisation:{org}"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes a member of the space a coordinator (organisers and coordinators;
    /// audited).
    pub async fn add_coalition_coordinator(
        &self,
        scope: &Scope,
        id: i64,
        email: &str,
    ) -> Result<()> {
        self.may_change_coalition(scope, id).await?;
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
            "INSERT INTO coalition_coordinators (coalition_id, user_id) VALUES ($1, $2)
             ON CONFLICT (coalition_id, user_id) DO NOTHING",
        )
        .bind(id)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
        self.coalition_audit(scope, &mut tx, id, format!("coordinator user:{}", user.id))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a concern the viewer sees to the coalition (organisers and
    /// coordinators; audited).
    pub async fn coalition_concern(&self, scope: &Scope, id: i64, concern: i64) -> Result<()> {
        self.may_change_coalition(scope, id).await?;
        self.get_record(scope, Kind::Concern, concern).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO coalition_concerns (coalition_id, concern_id) VALUES ($1, $2) ON CONFLICT (coalition_id, concern_id) DO NOTHING",
        )
        .bind(id)
        .bind(concern)
        .execute(&mut *tx)
        .await?;
        self.coalition_audit(scope, &mut tx, id, format!("concern:{concern}"))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
