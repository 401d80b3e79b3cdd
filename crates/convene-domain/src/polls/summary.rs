//! The results summary sent back by SMS to respondents who asked for it: the
//! organiser's text plus top-line released numbers, under 480 characters, built
//! from a [`Released`] report only.

use convene_analysis::survey::{Released, ReleasedQuestion, Shown};

use super::{Poll, KIND};
use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::Role;
use crate::storage::{int, Db};

/// The longest summary text (three SMS segments).
pub const MAX_SUMMARY_CHARS: usize = 480;

/// The context a respondent's phone number is sealed under in
/// `poll_respondents.phone_enc`.
pub const CTX_RESPONDENT_PHONE: &str = super::CTX_PHONE;

fn question_line(rel: &Released, q: &ReleasedQuestion) -> String {
    let parts: Vec<String> = q
        .categories
        .iter()
        .zip(&q.overall.cells)
        .map(|((_, label), c)| match c.percent {
            Shown::Value(p) => format!("{label} {p:.0}%"),
            Shown::Hidden => format!("{label} {}", rel.text(&c.count)),
        })
        .collect();
    format!("{}: {}.", q.label, parts.join(", "))
}

/// The summary text: `summary`, then one line per chosen question (in the poll's
/// order) as long as the whole stays within [`MAX_SUMMARY_CHARS`].
pub fn summary_text(summary: &str, rel: &Released, questions: &[String]) -> String {
    let mut out: String = summary.trim().chars().take(MAX_SUMMARY_CHARS).collect();
    for q in &rel.questions {
        if !questions.contains(&q.name) || q.categories.is_empty() {
            continue;
        }
        let line = question_line(rel, q);
        let sep = if out.is_empty() { "" } else { " " };
        if out.chars().count() + sep.len() + line.chars().count() <= MAX_SUMMARY_CHARS {
            out.push_str(sep);
            out.push_str(&line);
        }
    }
    out
}

impl Db {
    /// The summary text of a poll as it would be sent now.
    pub async fn poll_summary_text(
        &self,
        scope: &Scope,
        poll: &Poll,
        questions: &[String],
    ) -> Result<String> {
        let (rel, _) = self.released_poll_results(scope, poll).await?;
        Ok(summary_text(&poll.summary, &rel, questions))
    }

    /// Queues the summary to every respondent who asked for it and has not had it,
    /// over the SMS channel they answered on (organisers; audited). Numbers that
    /// opted out are skipped by the queue. Returns (queued, skipped).
    pub async fn send_poll_summary(
        &self,
        scope: &Scope,
        poll: &Poll,
        questions: &[String],
    ) -> Result<(usize, usize)> {
        scope.require(Role::is_organiser)?;
        let body = self.poll_summary_text(scope, poll, questions).await?;
        if body.is_empty() {
            return Err(Error::invalid("summary", "poll-error-summary-empty"));
        }
        let channels = self.sms_channels(scope).await?;
        let rows = sqlx::query(
            "SELECT id, sms_channel_id, phone_enc FROM poll_respondents
             WHERE poll_id = $1 AND summary_optin = 1 AND summary_sent = 0
               AND phone_enc IS NOT NULL AND sms_channel_id IS NOT NULL ORDER BY id",
        )
        .bind(poll.id)
        .fetch_all(&self.pool)
        .await?;
        let (mut queued, mut skipped) = (0, 0);
        // Queueing and marking as sent commit together, with the audit entry: a
        // failure part-way sends nothing twice and marks nothing unsent as sent.
        let mut tx = self.pool.begin().await?;
        for r in &rows {
            let id = int(r, "id")?;
            let ch_id = int(r, "sms_channel_id")?;
            let Some(ch) = channels.iter().find(|c| c.id == ch_id) else {
                skipped += 1;
                continue;
            };
            let sealed: Vec<u8> = sqlx::Row::try_get(r, "phone_enc")?;
            let phone = self.keys.open(CTX_RESPONDENT_PHONE, &sealed)?;
            match self.queue_sms_in(&mut tx, ch, &phone, &body).await? {
                Some(_) => queued += 1,
                None => skipped += 1,
            }
            sqlx::query("UPDATE poll_respondents SET summary_sent = 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollSummarySend,
                target: format!("{KIND}:{}", poll.id),
                detail: format!(
                    "queued={queued} skipped={skipped} chars={}",
                    body.chars().count()
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((queued, skipped))
    }
}
