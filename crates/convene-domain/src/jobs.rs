//! Background jobs, kept in the database so that any server process may run them.
//!
//! A job is claimed by setting `locked_until` in one conditional UPDATE; the process
//! that changed the row owns the job until the lock expires, so a crashed process's
//! job is picked up again by another after the lease.

use crate::error::Result;
use crate::storage::{int, text, Db};
use crate::util::now;

/// How long a claimed job is reserved for its runner.
pub const LEASE_SECS: i64 = 300;

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

impl Db {
    pub async fn enqueue_job(&self, kind: &str, payload: &str, run_at: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO jobs (kind, payload, run_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(kind)
        .bind(payload)
        .bind(run_at)
        .fetch_one(&self.pool)
        .await?;
        int(&row, "id")
    }

    /// Enqueues `kind` unless an unfinished job of that kind exists.
    pub async fn ensure_job(&self, kind: &str, run_at: i64) -> Result<()> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM jobs WHERE kind = $1 AND done_at IS NULL")
            .bind(kind)
            .fetch_one(&self.pool)
            .await?;
        if int(&row, "n")? == 0 {
            self.enqueue_job(kind, "", run_at).await?;
        }
        Ok(())
    }

    /// Claims the next due job, if any.
    pub async fn claim_job(&self) -> Result<Option<Job>> {
        let t = now();
        let candidates = sqlx::query(
            "SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $1 AND locked_until <= $1 ORDER BY run_at, id LIMIT 5",
        )
        .bind(t)
        .fetch_all(&self.pool)
        .await?;
        for c in candidates {
            let id = int(&c, "id")?;
            let claimed = sqlx::query(
                "UPDATE jobs SET locked_until = $1, attempts = attempts + 1
                 WHERE id = $2 AND done_at IS NULL AND locked_until <= $3
                 RETURNING id, kind, payload, attempts",
            )
            .bind(t + LEASE_SECS)
            .bind(id)
            .bind(t)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = claimed {
                return Ok(Some(Job {
                    id: int(&row, "id")?,
                    kind: text(&row, "kind")?,
                    payload: text(&row, "payload")?,
                    attempts: int(&row, "attempts")?,
                }));
            }
        }
        Ok(None)
    }

    pub async fn complete_job(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET done_at = $1 WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failure and schedules a retry with exponential backoff.
    pub async fn fail_job(&self, id: i64, attempts: i64, error: &str) -> Result<()> {
        let delay = 10i64.saturating_mul(1 << attempts.clamp(0, 12));
        sqlx::query("UPDATE jobs SET locked_until = 0, run_at = $1, last_error = $2 WHERE id = $3")
            .bind(now() + delay)
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Runs one due job, if any; returns whether one ran. Known kinds:
    /// `cleanup` (expired sessions and rate-limit windows, SMS texts past their week; re-enqueues itself every
    /// ten minutes), `pledges` (ends the pledges whose deadline passed; every
    /// minute), `representatives` (asks senders whether they got a reply, erases
    /// senders' data past its retention; every ten minutes), `calls` (erases the
    /// contacts of calls to action whose sign-ups ended; every ten minutes), `digest`
    /// (sends campaigns' SMS digests of updates, at most daily; checked every ten
    /// minutes) and `video_low` (makes a video's low-bitrate version).
    pub async fn run_one_job(&self) -> Result<bool> {
        let Some(job) = self.claim_job().await? else {
            return Ok(false);
        };
        let outcome = match job.kind.as_str() {
            "cleanup" => match self.cleanup_expired().await {
                Ok(_) => self.sweep_sms_texts().await.map(|_| ()),
                Err(e) => Err(e),
            },
            "pledges" => self.close_due_pledges().await.map(|_| ()),
            "representatives" => self.representatives_sweep().await,
            "calls" => self.close_due_calls().await.map(|_| ()),
            "digest" => self.send_digests().await.map(|_| ()),
            "video_low" => match job.payload.parse::<i64>() {
                Ok(id) => self.make_low_video(id).await,
                Err(_) => Ok(()),
            },
            other => Err(crate::error::Error::Internal(format!(
                "unknown job kind {other}"
            ))),
        };
        match outcome {
            Ok(()) => {
                self.complete_job(job.id).await?;
                if job.kind == "cleanup" {
                    self.ensure_job("cleanup", now() + 600).await?;
                }
                if job.kind == "pledges" {
                    self.ensure_job("pledges", now() + 60).await?;
                }
                if job.kind == "digest" {
                    self.ensure_job("digest", now() + 600).await?;
                }
                if job.kind == "calls" {
                    self.ensure_job("calls", now() + 600).await?;
                }
                if job.kind == "representatives" {
                    self.ensure_job("representatives", now() + 600).await?;
                }
            }
            Err(e) => {
                tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
                self.fail_job(job.id, job.attempts, &e.to_string()).await?;
            }
        }
        Ok(true)
    }
}
