//! Spaces, memberships and the viewer's scope in a space.

use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::model::{Level, Member, Role, Space, User};
use crate::storage::{int, text, Db};
use crate::util::now;

pub use crate::access::Scope;

/// What one viewer may read in one space. It can only be made by [`Db::scope`], and
/// every read of records takes one, so the confidentiality rule is applied in one
/// place (`access::visible`).
fn space_from_row(row: &sqlx::any::AnyRow) -> Result<Space> {
    Ok(Space {
        id: int(row, "id")?,
        slug: text(row, "slug")?,
        name: text(row, "name")?,
        description: text(row, "description")?,
        is_public: int(row, "is_public")? != 0,
        chatham_house: int(row, "chatham_house")? != 0,
        require_totp: int(row, "require_totp")? != 0,
        suppression_threshold: int(row, "suppression_threshold")?,
        time_zone: text(row, "time_zone")?,
    })
}

const SPACE_COLS: &str = "s.id, s.slug, s.name, s.description, s.is_public, s.chatham_house, s.require_totp, s.suppression_threshold, s.time_zone";

fn validate_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 60
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Db {
    /// Creates a space from the web form. A closed space's address is the one asked
    /// for followed by eight random letters and digits, so that nobody can learn
    /// that a closed space exists by trying addresses: "this address is taken" is
    /// then only ever said of a public space, which anyone may see anyway.
    pub async fn create_space_from_form(
        &self,
        slug: &str,
        name: &str,
        description: &str,
        is_public: bool,
        owner: &User,
    ) -> Result<Space> {
        if is_public || !validate_slug(slug) {
            return self
                .create_space(slug, name, description, is_public, owner)
                .await;
        }
        let mut last = Error::Conflict("slug");
        for _ in 0..3 {
            let suffix: String = crate::util::random_token(16)?
                .chars()
                .map(|c| c.to_ascii_lowercase())
                .filter(char::is_ascii_alphanumeric)
                .take(8)
                .collect();
            let base: String = slug.chars().take(60 - 1 - suffix.len()).collect();
            let base = base.trim_end_matches('-');
            match self
                .create_space(&format!("{base}-{suffix}"), name, description, false, owner)
                .await
            {
                Err(Error::Conflict(f)) => last = Error::Conflict(f),
                done => return done,
            }
        }
        Err(last)
    }

    /// Creates a space with `owner` as its owner.
    pub async fn create_space(
        &self,
        slug: &str,
        name: &str,
        description: &str,
        is_public: bool,
        owner: &User,
    ) -> Result<Space> {
        let mut problems = Vec::new();
        if !validate_slug(slug) {
            problems.push(Invalid {
                field: "slug",
                key: "error-slug",
            });
        }
        if name.trim().is_empty() || name.chars().count() > 200 {
            problems.push(Invalid {
                field: "name",
                key: "error-required",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO spaces (slug, name, description, is_public, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(slug)
        .bind(name.trim())
        .bind(description.trim())
        .bind(is_public as i64)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| if crate::storage::is_unique_violation(&e) { Error::Conflict("slug") } else { e.into() })?;
        let id = int(&row, "id")?;
        sqlx::query(
            "INSERT INTO memberships (space_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(owner.id)
        .bind(Role::Owner.as_str())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(id),
                user_id: Some(owner.id),
                action: AuditAction::SpaceCreate,
                target: format!("space:{id}"),
                detail: if is_public {
                    "public".into()
                } else {
                    "closed".into()
                },
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Space {
            id,
            slug: slug.to_string(),
            name: name.trim().to_string(),
            description: description.trim().to_string(),
            is_public,
            chatham_house: false,
            require_totp: false,
            suppression_threshold: 10,
            time_zone: "UTC".into(),
        })
    }

    async fn role_of(&self, space_id: i64, user_id: i64) -> Result<Option<Role>> {
        let row = sqlx::query("SELECT role FROM memberships WHERE space_id = $1 AND user_id = $2")
            .bind(space_id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Role::parse(&text(&r, "role")?),
            None => None,
        })
    }

    /// The scope of someone from outside the space (a respondent, a texter): no account, no role,
    /// reading the public level only.
    pub(crate) async fn outsider_scope(&self, space_slug: &str) -> Result<Scope> {
        let space = self.space_by_slug(space_slug).await?;
        Ok(Scope {
            space,
            viewer: None,
            role: None,
            reads_up_to: Level::Public,
        })
    }

    /// [`Db::outsider_scope`] of the space `space_id`.
    pub(crate) async fn outsider_scope_of(&self, space_id: i64) -> Result<Scope> {
        let row = sqlx::query("SELECT slug FROM spaces WHERE id = $1")
            .bind(space_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        self.outsider_scope(&text(&row, "slug")?).await
    }

    /// A space by its slug, with no regard to the viewer (for building an
    /// outsider's scope; never shown as is).
    pub(crate) async fn space_by_slug(&self, slug: &str) -> Result<Space> {
        let row = sqlx::query(&format!(
            "SELECT {SPACE_COLS} FROM spaces s WHERE s.slug = $1"
        ))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        space_from_row(&row)
    }

    /// The id of the space at `slug`, for the server's operator (command line).
    pub async fn space_id_by_slug(&self, slug: &str) -> Result<Option<i64>> {
        match self.space_by_slug(slug).await {
            Ok(s) => Ok(Some(s.id)),
            Err(Error::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The viewer's scope in a space. A closed space is `NotFound` to non-members,
    /// so its existence is not revealed. An organiser of a space that requires a
    /// second factor, without one, reads as a plain member until they set it up.
    pub async fn scope(&self, viewer: Option<&User>, slug: &str) -> Result<Scope> {
        let row = sqlx::query(&format!(
            "SELECT {SPACE_COLS} FROM spaces s WHERE s.slug = $1"
        ))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Err(Error::NotFound);
        };
        let space = space_from_row(&row)?;
        let mut role = match viewer {
            Some(u) => self.role_of(space.id, u.id).await?,
            None => None,
        };
        if role.is_none() && !space.is_public {
            return Err(Error::NotFound);
        }
        if let (Some(r), Some(u)) = (role, viewer) {
            if space.require_totp && r.is_organiser() && !u.totp_enabled {
                role = Some(Role::Member);
            }
        }
        let reads_up_to = role.map(Role::reads_up_to).unwrap_or(Level::Public);
        Ok(Scope {
            space,
            viewer: viewer.cloned(),
            role,
            reads_up_to,
        })
    }

    /// Whether the viewer's organiser rights are held back for want of a second factor.
    pub async fn totp_required_for(&self, viewer: &User, space_id: i64) -> Result<bool> {
        let row = sqlx::query("SELECT require_totp FROM spaces WHERE id = $1")
            .bind(space_id)
            .fetch_optional(&self.pool)
            .await?;
        let required = match row {
            Some(r) => int(&r, "require_totp")? != 0,
            None => false,
        };
        let role = self.role_of(space_id, viewer.id).await?;
        Ok(required && role.map(Role::is_organiser).unwrap_or(false) && !viewer.totp_enabled)
    }

    /// Spaces the viewer may see: every public space and the viewer's own.
    pub async fn visible_spaces(
        &self,
        viewer: Option<&User>,
    ) -> Result<Vec<(Space, Option<Role>)>> {
        let uid = viewer.map(|u| u.id).unwrap_or(-1);
        let rows = sqlx::query(&format!(
            "SELECT {SPACE_COLS}, m.role FROM spaces s
             LEFT JOIN memberships m ON m.space_id = s.id AND m.user_id = $1
             WHERE s.is_public = 1 OR m.user_id IS NOT NULL ORDER BY s.name"
        ))
        .bind(uid)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: Option<String> = sqlx::Row::try_get(r, "role")?;
                Ok((space_from_row(r)?, role.as_deref().and_then(Role::parse)))
            })
            .collect()
    }

    /// The members of a space; organisers only.
    pub async fn members(&self, scope: &Scope) -> Result<Vec<Member>> {
        scope.require(Role::may_manage_members)?;
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.display_name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.space_id = $1 ORDER BY u.display_name",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Member {
                    user_id: int(r, "id")?,
                    email: text(r, "email")?,
                    display_name: text(r, "display_name")?,
                    role: Role::parse(&text(r, "role")?).unwrap_or(Role::Member),
                })
            })
            .collect()
    }

    /// Adds a user to a space or changes their role (audited). Organisers manage
    /// members, analysts and focal points; only owners make or unmake organisers and owners.
    pub async fn set_role(&self, scope: &Scope, email: &str, role: Option<Role>) -> Result<()> {
        let actor = scope.require(Role::may_manage_members)?;
        let Some(user) = self.user_by_email(email).await? else {
            return Err(Error::invalid("email", "error-no-such-user"));
        };
        let current = self.role_of(scope.space.id, user.id).await?;
        let touches_organisers = current.map(Role::is_organiser).unwrap_or(false)
            || role.map(Role::is_organiser).unwrap_or(false);
        if touches_organisers && actor != Role::Owner {
            return Err(Error::Forbidden);
        }
        if current == Some(Role::Owner) && role != Some(Role::Owner) {
            let owners = sqlx::query(
                "SELECT COUNT(*) AS n FROM memberships WHERE space_id = $1 AND role = 'owner'",
            )
            .bind(scope.space.id)
            .fetch_one(&self.pool)
            .await?;
            if int(&owners, "n")? <= 1 {
                return Err(Error::invalid("role", "error-last-owner"));
            }
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM memberships WHERE space_id = $1 AND user_id = $2")
            .bind(scope.space.id)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        if let Some(r) = role {
            sqlx::query("INSERT INTO memberships (space_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
                .bind(scope.space.id)
                .bind(user.id)
                .bind(r.as_str())
                .bind(now())
                .execute(&mut *tx)
                .await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::RoleChange,
                target: format!("user:{}", user.id),
                detail: format!(
                    "{} -> {}",
                    current.map(Role::as_str).unwrap_or("none"),
                    role.map(Role::as_str).unwrap_or("none")
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a space's settings (owners only, audited).
    pub async fn update_space_settings(
        &self,
        scope: &Scope,
        is_public: bool,
        chatham_house: bool,
        require_totp: bool,
        suppression_threshold: i64,
    ) -> Result<()> {
        scope.require(Role::may_manage_settings)?;
        if suppression_threshold < 5 {
            return Err(Error::invalid("suppression_threshold", "error-threshold"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE spaces SET is_public = $1, chatham_house = $2, require_totp = $3, suppression_threshold = $4 WHERE id = $5")
            .bind(is_public as i64)
            .bind(chatham_house as i64)
            .bind(require_totp as i64)
            .bind(suppression_threshold)
            .bind(scope.space.id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::SpaceSettings,
                target: format!("space:{}", scope.space.id),
                detail: format!("public={is_public} chatham_house={chatham_house} require_totp={require_totp} threshold={suppression_threshold}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the audit log of a space (organisers only). In a Chatham House space
    /// no entry names who acted: nothing shown in the product ties a contribution
    /// to its author. The chain keeps the account id; `convene audit show` on the
    /// server prints it.
    pub async fn space_audit(&self, scope: &Scope, limit: i64) -> Result<Vec<crate::audit::Entry>> {
        self.space_audit_before(scope, None, limit).await
    }

    /// [`Db::space_audit`], the entries before sequence number `before` (a page of
    /// older entries).
    pub async fn space_audit_before(
        &self,
        scope: &Scope,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<crate::audit::Entry>> {
        scope.require(Role::may_read_audit)?;
        let mut entries = self
            .audit_for_space_before(scope.space.id, before.unwrap_or(i64::MAX), limit)
            .await?;
        if scope.space.chatham_house {
            for e in &mut entries {
                e.user_id = None;
                e.user_email = None;
            }
        }
        Ok(entries)
    }

    /// Sets the space's time zone, an IANA name such as `Asia/Karachi`
    /// (owners and organisers; audited).
    pub async fn set_time_zone(&self, scope: &Scope, tz: &str) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let tz = tz.trim();
        if tz.is_empty() || tz.len() > 64 || jiff::tz::TimeZone::get(tz).is_err() {
            return Err(Error::invalid("time_zone", "error-time-zone"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE spaces SET time_zone = $1 WHERE id = $2")
            .bind(tz)
            .bind(scope.space.id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::SpaceSettings,
                target: format!("space:{}", scope.space.id),
                detail: format!("time_zone={tz}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
