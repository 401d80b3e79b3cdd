//! The campaign (use case 2): the process's milestones, shown as a public timeline,
//! and progress updates that document it.
//!
//! - A **milestone** belongs to the space (a phase, a title, what it means, the date it
//!   is planned for and, once reached, the date it was reached); organisers keep them.
//! - An **update** is a record (kind `campaign_update`) at a confidentiality level,
//!   written in one language, in the safe Markdown subset ([`markdown`]), tied to a
//!   milestone if the organisers choose. Until its publication time (the embargo)
//!   nobody but the organisers sees it, on any page, feed or link: the rule is
//!   [`policy::may_see_embargoed`], applied by every query here.

pub mod calls;
pub mod digest;
pub mod markdown;
pub mod pledges;
pub mod representatives;

use serde::Serialize;

use crate::access::envelope::{Envelope, NewRow};
use crate::access::{kinds, policy, visible, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::i18n::Lang;
use crate::media::{self, photo::Photo, Medium};
use crate::model::{Level, Role};
use crate::storage::{bind_all, int, opt_int, text, Bind, Db};
use crate::util::now;

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 20_000;

/// A milestone of the process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub id: i64,
    pub phase: String,
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`, or empty when not dated.
    pub due_on: String,
    /// `YYYY-MM-DD` when reached.
    pub reached_on: Option<String>,
    pub position: i64,
}

/// A milestone to add.
#[derive(Debug, Clone, Default)]
pub struct NewMilestone {
    pub phase: String,
    pub title: String,
    pub body: String,
    pub due_on: String,
}

/// A progress update as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub id: i64,
    pub title: String,
    /// The Markdown source.
    pub body: String,
    /// The body rendered within the safe subset.
    pub html: String,
    pub lang: String,
    pub milestone: Option<(i64, String)>,
    /// When it is, or was, published (the end of its embargo).
    pub publish_at: i64,
    pub created_at: i64,
    pub level: Level,
    /// Not yet published: only organisers see it.
    pub embargoed: bool,
    /// Its photos, in order.
    pub photos: Vec<Medium>,
}

impl Update {
    /// Whether anyone may keep a copy: public and published (caches, feeds).
    pub fn is_public(&self) -> bool {
        self.level == Level::Public && !self.embargoed
    }
}

/// An update to write.
#[derive(Debug, Clone)]
pub struct NewUpdate {
    pub title: String,
    pub body: String,
    pub lang: String,
    pub milestone: Option<i64>,
    /// Not shown outside the organisers before this time; `None`: at once.
    pub publish_at: Option<i64>,
    pub level: Level,
}

pub(crate) fn is_date(s: &str) -> bool {
    s.parse::<jiff::civil::Date>().is_ok() && s.len() == 10
}

fn check_text(
    problems: &mut Vec<Invalid>,
    field: &'static str,
    v: &str,
    max: usize,
    required: bool,
) {
    if required && v.trim().is_empty() {
        problems.push(Invalid {
            field,
            key: "error-required",
        });
    } else if v.chars().count() > max {
        problems.push(Invalid {
            field,
            key: "error-too-long",
        });
    }
}

fn done(problems: Vec<Invalid>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

const UPDATE_COLS: &str = "r.id, r.title, r.body, r.confidentiality, cu.lang, cu.milestone_id,
    m.title AS milestone_title, cu.publish_at, cu.created_at";

impl Db {
    /// Adds a milestone at the end of the timeline (organisers; audited).
    pub async fn add_milestone(&self, scope: &Scope, new: &NewMilestone) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let mut problems = Vec::new();
        check_text(&mut problems, "title", &new.title, MAX_TITLE, true);
        check_text(&mut problems, "phase", &new.phase, 100, false);
        check_text(&mut problems, "body", &new.body, 2_000, false);
        let due = new.due_on.trim();
        if !due.is_empty() && !is_date(due) {
            problems.push(Invalid {
                field: "due_on",
                key: "error-date",
            });
        }
        done(problems)?;
        let mut tx = self.pool.begin().await?;
        let pos = sqlx::query(
            "SELECT COALESCE(MAX(position), 0) + 1 AS p FROM campaign_milestones WHERE space_id = $1",
        )
        .bind(scope.space.id)
        .fetch_one(&mut *tx)
        .await?;
        let row = sqlx::query(
            "INSERT INTO campaign_milestones (space_id, phase, title, body, due_on, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(scope.space.id)
        .bind(new.phase.trim())
        .bind(new.title.trim())
        .bind(new.body.trim())
        .bind(due)
        .bind(int(&pos, "p")?)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: format!("milestone:{id}"),
                detail: "added".into(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a milestone reached on `on` (`YYYY-MM-DD`), or not reached (organisers;
    /// audited).
    pub async fn set_milestone_reached(
        &self,
        scope: &Scope,
        id: i64,
        on: Option<&str>,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        if let Some(d) = on {
            if !is_date(d.trim()) {
                return Err(Error::invalid("reached_on", "error-date"));
            }
        }
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query(
            "UPDATE campaign_milestones SET reached_on = $1 WHERE id = $2 AND space_id = $3",
        )
        .bind(on.map(str::trim))
        .bind(id)
        .bind(scope.space.id)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: format!("milestone:{id}"),
                detail: format!("reached={}", on.unwrap_or("no")),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The space's milestones, in timeline order (whoever may read the space).
    pub async fn milestones(&self, scope: &Scope) -> Result<Vec<Milestone>> {
        let rows = sqlx::query(
            "SELECT id, phase, title, body, due_on, reached_on, position FROM campaign_milestones
             WHERE space_id = $1 ORDER BY position, id",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Milestone {
                    id: int(r, "id")?,
                    phase: text(r, "phase")?,
                    title: text(r, "title")?,
                    body: text(r, "body")?,
                    due_on: text(r, "due_on")?,
                    reached_on: sqlx::Row::try_get(r, "reached_on")?,
                    position: int(r, "position")?,
                })
            })
            .collect()
    }

    /// Writes a progress update (organisers; audited). Returns its id.
    pub async fn create_update(&self, scope: &Scope, new: &NewUpdate) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut problems = Vec::new();
        check_text(&mut problems, "title", &new.title, MAX_TITLE, true);
        check_text(&mut problems, "body", &new.body, MAX_BODY, true);
        if Lang::parse(&new.lang).is_none() {
            problems.push(Invalid {
                field: "lang",
                key: "error-required",
            });
        }
        if new.level == Level::Named {
            problems.push(Invalid {
                field: "level",
                key: "campaign-error-level",
            });
        }
        if let Some(m) = new.milestone {
            let known =
                sqlx::query("SELECT id FROM campaign_milestones WHERE id = $1 AND space_id = $2")
                    .bind(m)
                    .bind(scope.space.id)
                    .fetch_optional(&self.pool)
                    .await?;
            if known.is_none() {
                problems.push(Invalid {
                    field: "milestone",
                    key: "campaign-error-milestone",
                });
            }
        }
        done(problems)?;
        let (title, body) = (new.title.trim(), new.body.trim());
        let t = now();
        let publish_at = new.publish_at.unwrap_or(t);
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::CAMPAIGN_UPDATE,
                    title,
                    body,
                    search: &format!("{title}\n{body}").to_lowercase(),
                },
                &Envelope::at(new.level),
            )
            .await?;
        sqlx::query(
            "INSERT INTO campaign_updates (record_id, lang, milestone_id, publish_at, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&new.lang)
        .bind(new.milestone)
        .bind(publish_at)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::CampaignChange,
                target: format!("campaign_update:{id}"),
                detail: format!(
                    "level={} lang={} publish_at={publish_at}",
                    new.level.as_str(),
                    new.lang
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The rule that keeps embargoed updates from whoever may not see them, as SQL
    /// over `cu` (campaign_updates); binds the time.
    fn embargo_rule(scope: &Scope, binds: &mut Vec<Bind>) -> String {
        if policy::may_see_embargoed(scope) {
            "1 = 1".into()
        } else {
            binds.push(Bind::I(now()));
            format!("cu.publish_at <= ${}", binds.len())
        }
    }

    /// The updates the viewer may see, newest publication first.
    pub async fn updates(&self, scope: &Scope, limit: i64) -> Result<Vec<Update>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let embargo = Self::embargo_rule(scope, &mut binds);
        let sql = format!(
            "SELECT {UPDATE_COLS} FROM records r JOIN campaign_updates cu ON cu.record_id = r.id
             LEFT JOIN campaign_milestones m ON m.id = cu.milestone_id
             WHERE r.kind = 'campaign_update' AND r.space_id = $1 AND {rule} AND {embargo}
             ORDER BY cu.publish_at DESC, r.id DESC LIMIT {}",
            limit.clamp(1, 500)
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let mut updates = rows
            .iter()
            .map(update_from_row)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<i64> = updates.iter().map(|u| u.id).collect();
        let mut photos = self.media_of(&ids).await?;
        for u in &mut updates {
            let (mine, rest): (Vec<_>, Vec<_>) =
                photos.into_iter().partition(|m| m.record_id == u.id);
            u.photos = mine;
            photos = rest;
        }
        Ok(updates)
    }

    /// One update, if the viewer may see it (not found otherwise, embargo included).
    pub async fn update(&self, scope: &Scope, id: i64) -> Result<Update> {
        let mut u = self.visible_update(scope, id).await?;
        u.photos = self.media_of(&[id]).await?;
        Ok(u)
    }

    /// Adds a photo, already processed by [`media::photo::process`], to an update
    /// (organisers; audited). The alt text is required: it is what a screen reader
    /// says, and what a reader on a slow link sees before choosing to load it.
    pub async fn add_update_photo(
        &self,
        scope: &Scope,
        update_id: i64,
        alt: &str,
        photo: &Photo,
    ) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let by = scope.viewer_id();
        let alt = alt.trim();
        let mut problems = Vec::new();
        check_text(&mut problems, "alt", alt, media::MAX_ALT, true);
        done(problems)?;
        self.visible_update(scope, update_id).await?;
        let mut tx = self.pool.begin().await?;
        let mid = self
            .store_photo_in(&mut tx, owner(scope, update_id, by), alt, photo)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: by,
                action: AuditAction::CampaignChange,
                target: format!("campaign_update:{update_id}"),
                detail: format!("photo added media:{mid} {}x{}", photo.width, photo.height),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(mid)
    }

    /// Adds a video, already prepared by [`media::video::prepare`], to an update
    /// (organisers; audited); its low-bitrate version follows from a job. The
    /// description is required, as a photo's.
    pub async fn add_update_video(
        &self,
        scope: &Scope,
        update_id: i64,
        alt: &str,
        video: &media::video::Prepared,
        captions: Option<&str>,
    ) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let by = scope.viewer_id();
        let alt = alt.trim();
        let mut problems = Vec::new();
        check_text(&mut problems, "alt", alt, media::MAX_ALT, true);
        done(problems)?;
        self.visible_update(scope, update_id).await?;
        let mut tx = self.pool.begin().await?;
        let mid = self
            .store_video_in(&mut tx, owner(scope, update_id, by), alt, video, captions)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: by,
                action: AuditAction::CampaignChange,
                target: format!("campaign_update:{update_id}"),
                detail: format!(
                    "video added media:{mid} {}x{} {} ms",
                    video.width, video.height, video.duration_ms
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(mid)
    }

    /// A medium's file to send in pieces (a video, its low version), to whoever may
    /// see the update (not found otherwise, embargo included), with whether the
    /// update is public and published.
    pub async fn update_media_stream(
        &self,
        scope: &Scope,
        update_id: i64,
        media_id: i64,
        variant: &str,
    ) -> Result<(media::Stream, bool)> {
        let u = self.visible_update(scope, update_id).await?;
        let s = self.media_stream(update_id, media_id, variant).await?;
        Ok((s, u.is_public() && scope.space.is_public))
    }

    /// Removes a photo from an update (organisers; audited).
    pub async fn remove_update_photo(
        &self,
        scope: &Scope,
        update_id: i64,
        media_id: i64,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        self.visible_update(scope, update_id).await?;
        let mut tx = self.pool.begin().await?;
        if !self.delete_medium_in(&mut tx, update_id, media_id).await? {
            return Err(Error::NotFound);
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: format!("campaign_update:{update_id}"),
                detail: format!("photo removed media:{media_id}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A photo's bytes at one of its widths, to whoever may see the update (not
    /// found otherwise, embargo included), with whether the update is public and
    /// published in a public space (so that caches may keep it).
    pub async fn update_photo(
        &self,
        scope: &Scope,
        update_id: i64,
        media_id: i64,
        variant: &str,
    ) -> Result<(media::Bytes, bool)> {
        let u = self.visible_update(scope, update_id).await?;
        let b = self.media_bytes(update_id, media_id, variant).await?;
        Ok((b, u.is_public() && scope.space.is_public))
    }

    async fn visible_update(&self, scope: &Scope, id: i64) -> Result<Update> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let embargo = Self::embargo_rule(scope, &mut binds);
        let sql = format!(
            "SELECT {UPDATE_COLS} FROM records r JOIN campaign_updates cu ON cu.record_id = r.id
             LEFT JOIN campaign_milestones m ON m.id = cu.milestone_id
             WHERE r.kind = 'campaign_update' AND r.space_id = $1 AND r.id = $2 AND {rule} AND {embargo}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        update_from_row(&row)
    }
}

fn owner(scope: &Scope, update_id: i64, by: Option<i64>) -> media::Owner {
    media::Owner {
        space_id: scope.space.id,
        record_id: update_id,
        by,
    }
}

fn update_from_row(r: &sqlx::any::AnyRow) -> Result<Update> {
    let body = text(r, "body")?;
    let publish_at = int(r, "publish_at")?;
    let milestone = match opt_int(r, "milestone_id")? {
        Some(id) => Some((id, text(r, "milestone_title")?)),
        None => None,
    };
    Ok(Update {
        id: int(r, "id")?,
        title: text(r, "title")?,
        html: markdown::render(&body),
        body,
        lang: text(r, "lang")?,
        milestone,
        publish_at,
        created_at: int(r, "created_at")?,
        level: Level::from_i64(int(r, "confidentiality")?).unwrap_or(Level::Organisers),
        embargoed: publish_at > now(),
        photos: Vec::new(),
    })
}
