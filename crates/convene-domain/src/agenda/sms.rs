//! Agenda rounds by SMS, inside the transaction that stores the inbound text (see
//! [`crate::inbound`]).
//!
//! - A round an outsider may read (public level, public space) with a keyword is
//!   started by texting the keyword: the reply lists the five best-ranked items,
//!   numbered, and the round becomes the phone's current flow.
//! - A bare number supports that item of the last list, as one member of the
//!   public (the phone's keyed hash is the voter): its support counts in the
//!   public's group exactly as a web participant's does.
//! - A text of two words or more is the phone's own item, which waits for
//!   moderation; one unreadable word gets the hint.
//! - DELETE removes the phone's views and its state; its proposals stay, as they
//!   carry nothing that names it.

use std::sync::Arc;

use super::{insert_item, load_round_rows, put_view, Source};
use crate::error::Result;
use crate::sms::flows::Flow;
use crate::storage::space_cache::SpaceCache;
use crate::storage::{int, text, Db};
use crate::util::{clean_word, fold_digits, reply_language};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// How many items one text offers.
pub const OFFERED: usize = 5;

/// A round reachable by SMS.
#[derive(Debug, Clone)]
pub struct SmsAgenda {
    pub id: i64,
    pub space_id: i64,
    pub title: String,
    pub keyword: String,
}

type AgendaCache = SpaceCache<Vec<SmsAgenda>>;

fn say(lang: &str, key: &str) -> String {
    crate::i18n::reply(lang, key, &[])
}

impl Db {
    /// The open rounds of a space an inbound text may reach: those an outsider may
    /// read that have a keyword. Reused for up to a second.
    pub(crate) async fn sms_agendas(&self, space_id: i64) -> Result<Arc<Vec<SmsAgenda>>> {
        let cache = self.extension(|_| AgendaCache::default());
        if let Some(c) = cache.fresh(space_id) {
            return Ok(c);
        }
        let rows = sqlx::query(
            "SELECT ref_id, keyword FROM sms_keywords WHERE space_id = $1 AND flow = $2",
        )
        .bind(space_id)
        .bind(Flow::Agenda.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        if !rows.is_empty() {
            let scope = self.outsider_scope_of(space_id).await?;
            let visible = self.agenda_rounds(&scope).await?;
            for r in &rows {
                let id = int(r, "ref_id")?;
                if let Some((_, title, true)) = visible.iter().find(|v| v.0 == id) {
                    out.push(SmsAgenda {
                        id,
                        space_id,
                        title: title.clone(),
                        keyword: text(r, "keyword")?,
                    });
                }
            }
        }
        let out = Arc::new(out);
        cache.put(space_id, out.clone());
        Ok(out)
    }

    pub(crate) fn forget_sms_agendas(&self, space_id: i64) {
        self.extension(|_| AgendaCache::default()).forget(space_id);
    }

    /// The best-ranked items as one text, remembered as the phone's offer.
    async fn agenda_offer_in(
        &self,
        tx: &mut Tx,
        a: &SmsAgenda,
        phone_hash: &str,
        lang: &str,
        t: i64,
    ) -> Result<String> {
        let loaded = load_round_rows(tx, a.id, a.space_id).await?;
        let top: Vec<(i64, String)> = loaded.ranked().into_iter().take(OFFERED).collect();
        let offered = top
            .iter()
            .map(|(id, _)| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(
            "INSERT INTO agenda_sms (round_id, phone_hash, space_id, offered, language, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (round_id, phone_hash) DO UPDATE SET offered = excluded.offered,
                 language = excluded.language, updated_at = excluded.updated_at",
        )
        .bind(a.id)
        .bind(phone_hash)
        .bind(a.space_id)
        .bind(&offered)
        .bind(lang)
        .bind(t)
        .execute(&mut **tx)
        .await?;
        if top.is_empty() {
            return Ok(say(lang, "agenda-sms-empty"));
        }
        let lines: Vec<String> = top
            .iter()
            .enumerate()
            .map(|(i, (_, title))| {
                let short: String = title.chars().take(60).collect();
                format!("{} {short}", i + 1)
            })
            .collect();
        Ok(format!(
            "{}\n{}",
            lines.join("\n"),
            say(lang, "agenda-sms-how")
        ))
    }

    /// Starts or resumes a round for the phone (its keyword was texted).
    pub(crate) async fn agenda_sms_start_in(
        &self,
        tx: &mut Tx,
        a: &SmsAgenda,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let lang = reply_language(typed);
        let offer = self.agenda_offer_in(tx, a, phone_hash, lang, t).await?;
        let title: String = a.title.chars().take(60).collect();
        Ok(vec![format!("{title}\n{offer}")])
    }

    /// Reads a text sent while the round is the phone's current flow.
    pub(crate) async fn agenda_sms_reply_in(
        &self,
        tx: &mut Tx,
        a: &SmsAgenda,
        phone_hash: &str,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        sqlx::query(
            "UPDATE agenda_sms SET updated_at = $1 WHERE round_id = $2 AND phone_hash = $3",
        )
        .bind(t)
        .bind(a.id)
        .bind(phone_hash)
        .execute(&mut **tx)
        .await?;
        let state = sqlx::query(
            "SELECT offered, language FROM agenda_sms WHERE round_id = $1 AND phone_hash = $2",
        )
        .bind(a.id)
        .bind(phone_hash)
        .fetch_optional(&mut **tx)
        .await?;
        let (offered, lang) = match &state {
            Some(r) => (text(r, "offered")?, text(r, "language")?),
            None => (String::new(), reply_language(typed).to_string()),
        };
        let offered: Vec<i64> = offered.split(',').filter_map(|s| s.parse().ok()).collect();
        let word = fold_digits(&clean_word(typed));
        if let Ok(n) = word.parse::<usize>() {
            if let Some(item) = n.checked_sub(1).and_then(|i| offered.get(i)) {
                let row = sqlx::query(
                    "SELECT title FROM agenda_items WHERE id = $1 AND round_id = $2 AND status = 'approved'",
                )
                .bind(item)
                .bind(a.id)
                .fetch_optional(&mut **tx)
                .await?;
                if let Some(r) = row {
                    let voter = format!("sms:{phone_hash}");
                    put_view(tx, *item, a.id, &voter, None, None, 1, "").await?;
                    let title: String = text(&r, "title")?.chars().take(60).collect();
                    return Ok(vec![crate::i18n::reply(
                        &lang,
                        "agenda-sms-supported",
                        &[("item", title)],
                    )]);
                }
            }
            return Ok(vec![say(&lang, "agenda-sms-hint")]);
        }
        if typed.split_whitespace().count() >= 2 {
            let body = typed.trim();
            if body.chars().count() > 300 {
                return Ok(vec![say(&lang, "opinion-sms-too-long")]);
            }
            insert_item(tx, a.id, body, "", "pending", Source::Proposal, None, true).await?;
            return Ok(vec![say(&lang, "agenda-sms-submitted")]);
        }
        Ok(vec![say(&lang, "agenda-sms-hint")])
    }

    /// Removes the phone's views and state in a space's rounds (DELETE); returns
    /// how many views.
    pub(crate) async fn agenda_sms_delete_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM agenda_views WHERE voter = $1 AND round_id IN
               (SELECT round_id FROM agenda_sms WHERE space_id = $2 AND phone_hash = $3)",
        )
        .bind(format!("sms:{phone_hash}"))
        .bind(space_id)
        .bind(phone_hash)
        .execute(&mut **tx)
        .await?;
        sqlx::query("DELETE FROM agenda_sms WHERE space_id = $1 AND phone_hash = $2")
            .bind(space_id)
            .bind(phone_hash)
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected())
    }
}

/// The keyword list line of a round, for help.
pub fn listing(a: &SmsAgenda) -> String {
    let title: String = a.title.chars().take(40).collect();
    format!("{}: {title}", a.keyword)
}
