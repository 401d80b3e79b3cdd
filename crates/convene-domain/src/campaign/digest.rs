//! The SMS digest of a campaign's updates, for people without internet.
//!
//! - Organisers give the campaign a **keyword**; texting it subscribes (opt-in:
//!   nobody is subscribed by anything else). DELETE unsubscribes; STOP, as for
//!   polls, ends every message of the space (the dispatcher sends nothing to a
//!   number that said STOP).
//! - At most **one digest a day**, and only when there is news: the titles of the
//!   updates the public may read (never an embargoed one, never one for members or
//!   organisers) published since the last digest, at most three, and the link to
//!   the campaign. Each subscriber gets it in the language they subscribed in.

use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::Role;
use crate::sms::flows::{self, Flow};
use crate::storage::{int, text, Db};
use crate::util::now;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The least time between two digests.
pub const DIGEST_EVERY_SECS: i64 = 86_400;
/// Titles in one digest.
pub const MAX_TITLES: usize = 3;

fn say(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::reply(lang, key, args)
}

impl Db {
    /// Sets the keyword that subscribes to the digest (organisers; audited); `link`
    /// is the campaign's public address, sent in each digest. An empty keyword ends
    /// subscribing (the subscribers stay until they leave).
    pub async fn set_digest_keyword(&self, scope: &Scope, keyword: &str, link: &str) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let keyword = if keyword.trim().is_empty() {
            None
        } else {
            Some(
                flows::normalise_keyword(keyword)
                    .ok_or(Error::invalid("keyword", "poll-error-keyword"))?,
            )
        };
        let mut tx = self.pool.begin().await?;
        flows::release_in(&mut tx, Flow::Digest, scope.space.id).await?;
        match &keyword {
            Some(k) => {
                flows::reserve_in(&mut tx, scope.space.id, k, Flow::Digest, scope.space.id).await?;
                // Only news from now on: the updates before are not sent.
                sqlx::query(
                    "INSERT INTO campaign_digests (space_id, keyword, link, last_sent_at, last_update_at)
                     VALUES ($1, $2, $3, 0, $4)
                     ON CONFLICT (space_id) DO UPDATE SET keyword = $2, link = $3",
                )
                .bind(scope.space.id)
                .bind(k)
                .bind(link)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM campaign_digests WHERE space_id = $1")
                    .bind(scope.space.id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::CampaignChange,
                target: "digest".into(),
                detail: format!("keyword={}", keyword.as_deref().unwrap_or("-")),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The digest's keyword and its number of subscribers, if it has a keyword.
    pub async fn digest(&self, space_id: i64) -> Result<Option<(String, i64)>> {
        let row = sqlx::query(
            "SELECT d.keyword, (SELECT COUNT(*) FROM campaign_subscribers s WHERE s.space_id = d.space_id) AS n
             FROM campaign_digests d WHERE d.space_id = $1",
        )
        .bind(space_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((text(&r, "keyword")?, int(&r, "n")?)))
            .transpose()
    }

    /// Subscribes a phone that texted the digest's keyword.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn digest_sms_subscribe_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        channel_id: i64,
        phone: &str,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let lang = crate::util::reply_language(typed);
        let added = sqlx::query(
            "INSERT INTO campaign_subscribers (space_id, phone_hash, phone_enc, channel_id, lang, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (space_id, phone_hash) DO NOTHING RETURNING id",
        )
        .bind(space_id)
        .bind(phone_hash)
        .bind(self.keys.seal(crate::sms::CTX_PHONE, phone)?)
        .bind(channel_id)
        .bind(lang)
        .bind(t)
        .fetch_optional(&mut **tx)
        .await?;
        Ok(vec![say(
            lang,
            if added.is_some() {
                "digest-sms-subscribed"
            } else {
                "digest-sms-already"
            },
            &[],
        )])
    }

    /// Unsubscribes a phone (DELETE).
    pub(crate) async fn digest_sms_delete_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<()> {
        sqlx::query("DELETE FROM campaign_subscribers WHERE space_id = $1 AND phone_hash = $2")
            .bind(space_id)
            .bind(phone_hash)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Sends the day's digest of every space that has news and whose last digest
    /// is a day old; returns how many texts were queued. Safe from several
    /// processes (a space's digest is claimed once).
    pub async fn send_digests(&self) -> Result<usize> {
        let t = now();
        let due = sqlx::query(
            "SELECT space_id, link, last_sent_at, last_update_at FROM campaign_digests WHERE last_sent_at <= $1",
        )
        .bind(t - DIGEST_EVERY_SECS)
        .fetch_all(&self.pool)
        .await?;
        let mut queued = 0;
        for d in &due {
            let space_id = int(d, "space_id")?;
            let since = int(d, "last_update_at")?;
            let scope = self.outsider_scope_of(space_id).await?;
            if !scope.space.is_public {
                continue;
            }
            let news: Vec<_> = self
                .updates(&scope, 20)
                .await?
                .into_iter()
                .filter(|u| u.publish_at > since && u.publish_at <= t && u.is_public())
                .collect();
            let Some(newest) = news.iter().map(|u| u.publish_at).max() else {
                continue;
            };
            let mut tx = self.pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE campaign_digests SET last_sent_at = $1, last_update_at = $2
                 WHERE space_id = $3 AND last_sent_at = $4",
            )
            .bind(t)
            .bind(newest)
            .bind(space_id)
            .bind(int(d, "last_sent_at")?)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                continue;
            }
            let titles: Vec<String> = news
                .iter()
                .take(MAX_TITLES)
                .map(|u| format!("- {}", u.title.chars().take(70).collect::<String>()))
                .collect();
            let more = news.len().saturating_sub(MAX_TITLES);
            let subscribers = sqlx::query(
                "SELECT phone_enc, channel_id, lang FROM campaign_subscribers WHERE space_id = $1",
            )
            .bind(space_id)
            .fetch_all(&mut *tx)
            .await?;
            for s in &subscribers {
                let lang = text(s, "lang")?;
                let sealed: Vec<u8> = sqlx::Row::try_get(s, "phone_enc")?;
                let phone = self.keys.open(crate::sms::CTX_PHONE, &sealed)?;
                let mut body = say(
                    &lang,
                    "digest-sms",
                    &[("space", scope.space.name.chars().take(40).collect())],
                );
                for line in &titles {
                    body.push('\n');
                    body.push_str(line);
                }
                if more > 0 {
                    body.push('\n');
                    body.push_str(&say(&lang, "digest-sms-more", &[("n", more.to_string())]));
                }
                let link = text(d, "link")?;
                if !link.is_empty() {
                    body.push('\n');
                    body.push_str(&link);
                }
                body.push('\n');
                body.push_str(&say(&lang, "digest-sms-stop", &[]));
                if self
                    .queue_sms_to_in(&mut tx, int(s, "channel_id")?, space_id, &phone, &body)
                    .await?
                    .is_some()
                {
                    queued += 1;
                }
            }
            tx.commit().await?;
        }
        Ok(queued)
    }
}
