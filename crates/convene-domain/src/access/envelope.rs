//! The envelope of every record: its row in `records` (space, kind, level, author,
//! title, body, search text) and, for named-people-only records, who is named.
//! This module is the only code that inserts into `records`, changes a record's
//! level, or writes `record_grants`; every feature calls it.

use sqlx::{Any, Transaction};

use crate::access::kinds::{self, RecordKind};
use crate::access::{policy, visible, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::Level;
use crate::storage::{bind_all, int, opt_int, text, Bind, Db};
use crate::util::now;

/// Where a record sits: its level and, for named-people-only records, who is named
/// besides its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub level: Level,
    pub named: Vec<i64>,
}

impl Envelope {
    pub fn at(level: Level) -> Self {
        Envelope {
            level,
            named: vec![],
        }
    }
}

/// A new record's row, besides its envelope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewRow<'a> {
    pub kind: RecordKind,
    pub title: &'a str,
    pub body: &'a str,
    /// Lower-cased text that search matches.
    pub search: &'a str,
}

/// A record whose level the viewer may change, as read before the change.
#[derive(Debug, Clone)]
pub(crate) struct LevelTarget {
    id: i64,
    kind: RecordKind,
    author: Option<i64>,
    old: Option<Level>,
}

impl Db {
    /// Inserts a record's row in the scope's space, written by `author`, with its
    /// grants (the author is always among the named). Refuses a level its kind may
    /// not have.
    pub(crate) async fn insert_record(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        author: i64,
        row: NewRow<'_>,
        env: &Envelope,
    ) -> Result<i64> {
        self.insert_record_by(tx, scope, Some(author), row, env)
            .await
    }

    /// Inserts a record written by `author`, or by a member of the public who is
    /// no user (`None`: a report on a call to action); such a record is never for
    /// named people only.
    pub(crate) async fn insert_record_by(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        author: Option<i64>,
        row: NewRow<'_>,
        env: &Envelope,
    ) -> Result<i64> {
        policy::level_allowed(row.kind, env.level)?;
        if env.level == Level::Named && author.is_none() {
            return Err(Error::invalid("level", "error-invalid"));
        }
        let inserted = sqlx::query(
            "INSERT INTO records (space_id, kind, confidentiality, author_id, title, body, search_text, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(scope.space().id)
        .bind(row.kind.name)
        .bind(env.level.as_i64())
        .bind(author)
        .bind(row.title)
        .bind(row.body)
        .bind(row.search)
        .bind(now())
        .fetch_one(&mut **tx)
        .await?;
        let id = int(&inserted, "id")?;
        if env.level == Level::Named {
            let mut named = env.named.clone();
            named.extend(author);
            self.write_grants(tx, id, named).await?;
        }
        Ok(id)
    }

    /// The record `id`, of one of `kinds`, whose level the viewer wants to change:
    /// `NotFound` unless the viewer sees it, `Forbidden` unless the policy lets
    /// the viewer change it. Call before looking anything else up.
    pub(crate) async fn level_target(
        &self,
        scope: &Scope,
        id: i64,
        kinds: &[RecordKind],
    ) -> Result<LevelTarget> {
        scope.viewer_id().ok_or(Error::NotFound)?;
        let mut binds = Vec::new();
        let wc = visible(scope, &mut binds);
        binds.push(Bind::I(id));
        let p_id = binds.len();
        let mut names = Vec::new();
        for k in kinds {
            binds.push(Bind::S(k.name.to_string()));
            names.push(format!("${}", binds.len()));
        }
        let sql = format!(
            "SELECT r.author_id, r.confidentiality, r.kind FROM records r \
             WHERE {wc} AND r.id = ${p_id} AND r.kind IN ({})",
            names.join(", ")
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let kind = kinds::RecordKind::by_name(&text(&row, "kind")?)
            .ok_or_else(|| Error::Internal("unknown record kind".into()))?;
        let author = opt_int(&row, "author_id")?;
        if !policy::may_change_level(scope, author) {
            return Err(Error::Forbidden);
        }
        Ok(LevelTarget {
            id,
            kind,
            author,
            old: Level::from_i64(int(&row, "confidentiality")?),
        })
    }

    /// Moves `target` to `env` (the viewer and the author stay named on a
    /// named-people-only record); audited in the same transaction.
    pub(crate) async fn change_level(
        &self,
        scope: &Scope,
        target: LevelTarget,
        env: &Envelope,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.change_level_in(&mut tx, scope, target, env).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Db::change_level`] inside the caller's transaction (a moderation that
    /// records its reason with the change).
    pub(crate) async fn change_level_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        target: LevelTarget,
        env: &Envelope,
    ) -> Result<()> {
        policy::level_allowed(target.kind, env.level)?;
        let viewer = scope.viewer_id().ok_or(Error::NotFound)?;
        sqlx::query("UPDATE records SET confidentiality = $1, updated_at = $2 WHERE id = $3")
            .bind(env.level.as_i64())
            .bind(now())
            .bind(target.id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM record_grants WHERE record_id = $1")
            .bind(target.id)
            .execute(&mut **tx)
            .await?;
        if env.level == Level::Named {
            let mut named = env.named.clone();
            named.push(viewer);
            named.extend(target.author);
            self.write_grants(tx, target.id, named).await?;
        }
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space().id),
                user_id: Some(viewer),
                action: AuditAction::LevelChange,
                target: format!("{}:{}", target.kind.name, target.id),
                detail: format!(
                    "{} -> {}",
                    target.old.map(Level::as_str).unwrap_or("?"),
                    env.level.as_str()
                ),
            },
        )
        .await?;
        Ok(())
    }

    /// Names `users` on record `id` (once each).
    async fn write_grants(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        mut users: Vec<i64>,
    ) -> Result<()> {
        users.sort_unstable();
        users.dedup();
        for uid in users {
            sqlx::query("INSERT INTO record_grants (record_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(uid)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}
