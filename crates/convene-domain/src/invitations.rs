//! Invitations (docs/invitations.md): the product's one way to bring a person into
//! a space. An organiser makes a link that gives one role (and, if chosen, acting
//! for one organisation), expires after a number of days, and works once. The
//! person opens it, signs in or creates their account by setting a password, and
//! joins; nobody shares a login. Only a keyed hash of the token is stored, so the
//! link is shown once, when it is made. Making, revoking and accepting are audited.

use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::{Role, User};
use crate::storage::{int, opt_int, opt_text, text, Db};
use crate::util::{now, random_token};

const HASH_TOKEN: &str = "invitation";

/// Longest an invitation may stay open.
pub const MAX_DAYS: i64 = 30;

/// A new invitation.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub role: Role,
    /// Days until it expires (1 to [`MAX_DAYS`]).
    pub days: i64,
    /// The organisation the invitee will act for.
    pub org: Option<i64>,
    /// Whom it is for, as the organisers note it (not shown to the invitee).
    pub label: String,
    /// Send the link by e-mail, through the outbox, in the same transaction.
    pub mail: Option<InviteMail>,
}

/// An invitation sent by e-mail.
#[derive(Debug, Clone)]
pub struct InviteMail {
    pub to: String,
    /// The server's public address (`https://…`), which the link starts with.
    pub link_base: String,
    /// The language of the message (the inviter's).
    pub lang: crate::i18n::Lang,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitationState {
    Open,
    Used,
    Expired,
    Revoked,
}

impl InvitationState {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationState::Open => "open",
            InvitationState::Used => "used",
            InvitationState::Expired => "expired",
            InvitationState::Revoked => "revoked",
        }
    }
}

/// An invitation as the organisers' list shows it.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: i64,
    pub role: Role,
    pub org: Option<String>,
    pub label: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub state: InvitationState,
    /// Who accepted it.
    pub used_by: Option<String>,
}

/// An invitation as its link shows it to the invitee.
#[derive(Debug, Clone)]
pub struct Offer {
    pub space_slug: String,
    pub space_name: String,
    pub role: Role,
    pub org: Option<String>,
    pub expires_at: i64,
}

fn state_of(r: &sqlx::any::AnyRow, t: i64) -> Result<InvitationState> {
    Ok(if opt_int(r, "revoked_at")?.is_some() {
        InvitationState::Revoked
    } else if opt_int(r, "used_at")?.is_some() {
        InvitationState::Used
    } else if int(r, "expires_at")? <= t {
        InvitationState::Expired
    } else {
        InvitationState::Open
    })
}

fn refused(state: InvitationState) -> Error {
    Error::invalid(
        "token",
        match state {
            InvitationState::Used => "invite-error-used",
            InvitationState::Revoked => "invite-error-revoked",
            _ => "invite-error-expired",
        },
    )
}

impl Db {
    /// Makes an invitation (those who manage members; an organiser's role only
    /// by an owner; audited). Returns its id and the token for the link, which is
    /// not kept.
    pub async fn create_invitation(
        &self,
        scope: &Scope,
        new: &NewInvitation,
    ) -> Result<(i64, String)> {
        let actor = scope.require(Role::may_manage_members)?;
        if new.role == Role::Owner || (new.role.is_organiser() && actor != Role::Owner) {
            return Err(Error::Forbidden);
        }
        if !(1..=MAX_DAYS).contains(&new.days) {
            return Err(Error::invalid("days", "invite-error-days"));
        }
        if new.label.chars().count() > 200 {
            return Err(Error::invalid("label", "error-too-long"));
        }
        if let Some(o) = new.org {
            if self.organisations(scope, Some(o)).await?.is_empty() {
                return Err(Error::invalid("org", "activity-error-org"));
            }
        }
        let token = random_token(24)?;
        let hash = self.keys.lookup_hash(HASH_TOKEN, &token)?;
        let t = now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO invitations (space_id, token_hash, role, org_id, label, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(scope.space.id)
        .bind(&hash)
        .bind(new.role.as_str())
        .bind(new.org)
        .bind(new.label.trim())
        .bind(scope.viewer_id())
        .bind(t)
        .bind(t + new.days * 86_400)
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        if let Some(m) = &new.mail {
            let cat = crate::i18n::catalog();
            let inviter = scope
                .viewer
                .as_ref()
                .map(|u| u.display_name.clone())
                .unwrap_or_default();
            let link = format!("{}/invite/{token}", m.link_base.trim_end_matches('/'));
            let role_key = format!("role-{}", new.role.as_str().replace('_', "-"));
            let args = [
                ("space", scope.space.name.clone()),
                ("inviter", inviter),
                ("role", cat.get(m.lang, &role_key, &[])),
                ("days", new.days.to_string()),
                ("link", link),
            ];
            self.queue_mail_in(
                &mut tx,
                &crate::mail::NewMail {
                    to: m.to.clone(),
                    subject: cat.get(m.lang, "invite-mail-subject", &args),
                    body: cat.get(m.lang, "invite-mail-body", &args),
                    purpose: "invitation",
                    space_id: Some(scope.space.id),
                    reply_to: None,
                },
            )
            .await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::InvitationCreate,
                target: format!("invitation:{id}"),
                detail: format!(
                    "role={} days={} organisation:{}{}",
                    new.role.as_str(),
                    new.days,
                    new.org.unwrap_or(0),
                    if new.mail.is_some() { " by=e-mail" } else { "" }
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((id, token))
    }

    /// The space's invitations, newest first (those who manage members).
    pub async fn invitations(&self, scope: &Scope) -> Result<Vec<Invitation>> {
        scope.require(Role::may_manage_members)?;
        let rows = sqlx::query(
            "SELECT i.id, i.role, i.label, i.created_at, i.expires_at, i.used_at, i.revoked_at,
                    o.title AS org, u.display_name AS used_by
             FROM invitations i LEFT JOIN records o ON o.id = i.org_id
             LEFT JOIN users u ON u.id = i.used_by
             WHERE i.space_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT 200",
        )
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        let t = now();
        rows.iter()
            .map(|r| {
                Ok(Invitation {
                    id: int(r, "id")?,
                    role: Role::parse(&text(r, "role")?)
                        .ok_or_else(|| Error::Internal("unknown role".into()))?,
                    org: opt_text(r, "org")?,
                    label: text(r, "label")?,
                    created_at: int(r, "created_at")?,
                    expires_at: int(r, "expires_at")?,
                    state: state_of(r, t)?,
                    used_by: opt_text(r, "used_by")?,
                })
            })
            .collect()
    }

    /// Revokes an open invitation (those who manage members; audited).
    pub async fn revoke_invitation(&self, scope: &Scope, id: i64) -> Result<()> {
        scope.require(Role::may_manage_members)?;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE invitations SET revoked_at = $1
             WHERE id = $2 AND space_id = $3 AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .bind(scope.space.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::InvitationRevoke,
                target: format!("invitation:{id}"),
                detail: String::new(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What a link offers: `NotFound` for a token that was never made; `Invalid`
    /// naming why for one used, revoked or expired.
    pub async fn invitation_offer(&self, token: &str) -> Result<Offer> {
        let hash = self.keys.lookup_hash(HASH_TOKEN, token.trim())?;
        let row = sqlx::query(
            "SELECT i.role, i.expires_at, i.used_at, i.revoked_at, o.title AS org, s.slug, s.name
             FROM invitations i JOIN spaces s ON s.id = i.space_id
             LEFT JOIN records o ON o.id = i.org_id WHERE i.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        let state = state_of(&row, now())?;
        if state != InvitationState::Open {
            return Err(refused(state));
        }
        Ok(Offer {
            space_slug: text(&row, "slug")?,
            space_name: text(&row, "name")?,
            role: Role::parse(&text(&row, "role")?)
                .ok_or_else(|| Error::Internal("unknown role".into()))?,
            org: opt_text(&row, "org")?,
            expires_at: int(&row, "expires_at")?,
        })
    }

    /// Accepts an invitation for `user`, once: the user joins the space with the
    /// invitation's role (keeping a higher role they already have) and acts for
    /// its organisation. Returns the space's slug. Two people racing for one link:
    /// the first wins, the second is told it was used.
    pub async fn accept_invitation(&self, token: &str, user: &User) -> Result<String> {
        let hash = self.keys.lookup_hash(HASH_TOKEN, token.trim())?;
        let t = now();
        let mut tx = self.pool.begin().await?;
        let taken = sqlx::query(
            "UPDATE invitations SET used_at = $1, used_by = $2
             WHERE token_hash = $3 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1
             RETURNING id, space_id, role, org_id",
        )
        .bind(t)
        .bind(user.id)
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = taken else {
            drop(tx);
            // Why not: the offer says (or NotFound).
            self.invitation_offer(token).await?;
            return Err(refused(InvitationState::Used));
        };
        let (id, space_id) = (int(&row, "id")?, int(&row, "space_id")?);
        let role = Role::parse(&text(&row, "role")?)
            .ok_or_else(|| Error::Internal("unknown role".into()))?;
        let current =
            sqlx::query("SELECT role FROM memberships WHERE space_id = $1 AND user_id = $2")
                .bind(space_id)
                .bind(user.id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| text(&r, "role"))
                .transpose()?
                .and_then(|r| Role::parse(&r));
        // Roles run from the owner down (`Role::ALL`): keep the higher one.
        let rank = |r: Role| Role::ALL.iter().position(|x| *x == r).unwrap_or(usize::MAX);
        let keep = match current {
            Some(c) if rank(c) < rank(role) => c,
            _ => role,
        };
        if current != Some(keep) {
            sqlx::query("DELETE FROM memberships WHERE space_id = $1 AND user_id = $2")
                .bind(space_id)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO memberships (space_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(space_id)
            .bind(user.id)
            .bind(keep.as_str())
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(org) = opt_int(&row, "org_id")? {
            sqlx::query(
                "INSERT INTO organisation_members (org_id, user_id) VALUES ($1, $2) ON CONFLICT (org_id, user_id) DO NOTHING",
            )
            .bind(org)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(space_id),
                user_id: Some(user.id),
                action: AuditAction::InvitationAccept,
                target: format!("invitation:{id}"),
                detail: format!(
                    "{} -> {}",
                    current.map(Role::as_str).unwrap_or("none"),
                    keep.as_str()
                ),
            },
        )
        .await?;
        tx.commit().await?;
        let slug = sqlx::query("SELECT slug FROM spaces WHERE id = $1")
            .bind(space_id)
            .fetch_one(&self.pool)
            .await?;
        text(&slug, "slug")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Keyring;

    #[tokio::test]
    async fn an_expired_link_admits_nobody_and_a_link_admits_once() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keyring::from_master(&[7u8; 32]).unwrap();
        let db = Db::connect(&crate::storage::sqlite_url(dir.path()), keys)
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let owner = db
            .create_user("o@example.org", "Owner", "a long enough password", false)
            .await
            .unwrap();
        db.create_space("closed", "Closed", "", false, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "closed").await.unwrap();
        let new = NewInvitation {
            role: Role::Member,
            days: 1,
            org: None,
            label: String::new(),
            mail: None,
        };
        let (id, token) = db.create_invitation(&so, &new).await.unwrap();
        let a = db
            .create_user("a@example.org", "A", "a long enough password", false)
            .await
            .unwrap();
        // A day and a second later.
        sqlx::query("UPDATE invitations SET expires_at = $1 WHERE id = $2")
            .bind(now() - 1)
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
        let got = db.accept_invitation(&token, &a).await;
        assert!(
            matches!(&got, Err(Error::Invalid(v)) if v[0].key == "invite-error-expired"),
            "{got:?}"
        );
        assert!(matches!(
            db.scope(Some(&a), "closed").await,
            Err(Error::NotFound)
        ));
        // A fresh one: the first to accept is in, the second is told it was used.
        let (_, token) = db.create_invitation(&so, &new).await.unwrap();
        let b = db
            .create_user("b@example.org", "B", "a long enough password", false)
            .await
            .unwrap();
        assert_eq!(db.accept_invitation(&token, &a).await.unwrap(), "closed");
        let got = db.accept_invitation(&token, &b).await;
        assert!(
            matches!(&got, Err(Error::Invalid(v)) if v[0].key == "invite-error-used"),
            "{got:?}"
        );
        assert_eq!(
            db.scope(Some(&a), "closed").await.unwrap().role(),
            Some(Role::Member)
        );
        assert!(matches!(
            db.scope(Some(&b), "closed").await,
            Err(Error::NotFound)
        ));
        // An owner accepting a member's link stays owner.
        let (_, token) = db.create_invitation(&so, &new).await.unwrap();
        db.accept_invitation(&token, &owner).await.unwrap();
        assert_eq!(
            db.scope(Some(&owner), "closed").await.unwrap().role(),
            Some(Role::Owner)
        );
    }
}
