//! Calendar feeds (RFC 5545): a space's activities, or a district's, as an
//! iCalendar file any calendar application subscribes to; one `.ics` per activity.
//!
//! - Times are in UTC; the space's time zone travels as `X-WR-TIMEZONE`.
//! - The public feed holds public activities only. A member's private feed (a
//!   revocable token in its address) holds what that member may read, and marks
//!   everything above the public level `CLASS:CONFIDENTIAL`.
//! - A sensitive venue is never in a feed: the location is the district.

use icalendar::{Calendar, Class, Component, EventLike};

use super::{Activity, Status};
use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::{Level, User};
use crate::storage::{opt_blob, Db};
use crate::util::{now, random_token, sha256_hex};

const CTX_TOKEN: &str = "calendar_tokens.token";

fn utc(t: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t, 0).unwrap_or_default()
}

/// The activities as an iCalendar file. `base` is the server's public address
/// (for each event's URL and UID), `name` the calendar's name.
pub fn calendar(name: &str, tz: &str, base: &str, slug: &str, activities: &[Activity]) -> String {
    let mut cal = Calendar::new();
    cal.name(name).timezone(tz);
    let host = base
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    for a in activities {
        let mut e = icalendar::Event::new();
        e.uid(&format!("activity-{}-{}@{host}", a.id, a.code))
            .summary(&a.title)
            .starts(utc(a.starts_at))
            .ends(utc(a.ends_at))
            .timestamp(utc(now()))
            .url(&format!(
                "{}/s/{slug}/activities/{}",
                base.trim_end_matches('/'),
                a.id
            ))
            .class(if a.level == Level::Public {
                Class::Public
            } else {
                Class::Confidential
            });
        if !a.body.trim().is_empty() {
            e.description(&a.body);
        }
        let place = a.place_name.clone().unwrap_or_default();
        let location = match (&a.venue, a.online) {
            (_, true) => "Online".to_string(),
            (Some(v), false) if !a.venue_sensitive => format!("{v}, {place}"),
            _ => place,
        };
        if !location.trim().is_empty() {
            e.location(location.trim_matches([',', ' ']));
        }
        e.add_property(
            "STATUS",
            if a.status == Status::Cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            },
        );
        cal.push(e.done());
    }
    cal.done().to_string()
}

impl Db {
    /// The viewer's private feed token in the space, made on first use (members).
    pub async fn calendar_token(&self, scope: &Scope) -> Result<String> {
        let uid = scope.viewer_id().ok_or(Error::Forbidden)?;
        scope.require(|_| true)?;
        let row = sqlx::query(
            "SELECT token_enc FROM calendar_tokens WHERE space_id = $1 AND user_id = $2",
        )
        .bind(scope.space.id)
        .bind(uid)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(b) = row
            .as_ref()
            .map(|r| opt_blob(r, "token_enc"))
            .transpose()?
            .flatten()
        {
            return self.keys.open(CTX_TOKEN, &b);
        }
        self.renew_calendar_token(scope).await
    }

    /// Replaces the viewer's feed token: the old address stops working (audited).
    pub async fn renew_calendar_token(&self, scope: &Scope) -> Result<String> {
        let uid = scope.viewer_id().ok_or(Error::Forbidden)?;
        scope.require(|_| true)?;
        let token = random_token(24)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM calendar_tokens WHERE space_id = $1 AND user_id = $2")
            .bind(scope.space.id)
            .bind(uid)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO calendar_tokens (space_id, user_id, token_hash, token_enc, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(scope.space.id)
        .bind(uid)
        .bind(sha256_hex(&token))
        .bind(self.keys.seal(CTX_TOKEN, &token)?)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(uid),
                action: AuditAction::CalendarToken,
                target: format!("user:{uid}"),
                detail: String::new(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The scope of the member whose feed token `token` is, in the space `slug`
    /// (`NotFound` for an unknown or revoked token, or a former member's).
    pub async fn scope_by_calendar_token(&self, slug: &str, token: &str) -> Result<Scope> {
        let row = sqlx::query(
            "SELECT t.user_id FROM calendar_tokens t JOIN spaces s ON s.id = t.space_id
             WHERE s.slug = $1 AND t.token_hash = $2",
        )
        .bind(slug)
        .bind(sha256_hex(token))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        let uid: i64 = crate::storage::int(&row, "user_id")?;
        let user: User = self.user_by_id(uid).await?.ok_or(Error::NotFound)?;
        let scope = self.scope(Some(&user), slug).await?;
        if scope.role().is_none() {
            return Err(Error::NotFound);
        }
        Ok(scope)
    }
}
