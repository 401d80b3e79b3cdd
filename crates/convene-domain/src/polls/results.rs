//! A poll's results: the full report for organisers and analysts, the released
//! (suppressed) report for every exit, and the cache that keeps a page from
//! recomputing a large poll on every request.
//!
//! The report is computed by `convene_analysis::survey::compute` from the plain
//! answers and the final codes of coded free-text questions, and stored in
//! `poll_results` with the poll's version. A poll's version goes up with every
//! answer, deletion, margin or coding change. A cached report of an older
//! version is served as is (with its "as of" time) until it is
//! [`RECOMPUTE_AFTER_SECS`] old; then one request claims the recomputation (a
//! conditional update of `computed_at`, so that of several processes only one
//! recomputes) while the others keep serving the cached report.

use std::collections::{BTreeMap, HashMap};

use convene_analysis::survey::{
    compute, release, Margin, QuestionSpec, Released, Report, Row, SpecKind,
};

use super::engine::pick;
use super::{Poll, QuestionKind, KIND};
use crate::access::{policy, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::storage::{int, text, Db};
use crate::util::now;

/// A stale cached report is recomputed at most once per this many seconds.
pub const RECOMPUTE_AFTER_SECS: i64 = 30;

/// Reports computed for one version of a poll.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Computed {
    /// Without weights.
    pub unweighted: Report,
    /// Raked to the poll's margins (when it has margins and raking worked).
    pub weighted: Option<Report>,
    /// Why raking failed, if it did.
    pub weighting_error: Option<String>,
    /// The poll version the reports are of.
    pub version: i64,
    /// When they were computed (Unix seconds).
    pub computed_at: i64,
}

impl Computed {
    /// The report exits use: weighted when raking converged, else unweighted.
    pub fn published(&self) -> &Report {
        match &self.weighted {
            Some(w) if w.weighting.as_ref().is_some_and(|x| x.converged) => w,
            _ => &self.unweighted,
        }
    }
}

/// The question specifications of a poll (labels in its default language). Free
/// text is included as a coded question when it has codes.
pub fn specs(poll: &Poll, codes: &BTreeMap<String, Vec<(String, String)>>) -> Vec<QuestionSpec> {
    let def = &poll.definition;
    let lang = def.default_language.as_deref().unwrap_or("");
    let mut out = Vec::new();
    for q in &def.questions {
        let label = pick(&q.label, lang, def.default_language.as_deref()).to_string();
        let choices = |l: &super::xlsform::ChoiceList| -> Vec<(String, String)> {
            l.choices
                .iter()
                .map(|c| {
                    (
                        c.name.clone(),
                        pick(&c.label, lang, def.default_language.as_deref()).to_string(),
                    )
                })
                .collect()
        };
        let (kind, categories) = match &q.kind {
            QuestionKind::SelectOne(l) => (SpecKind::Single, choices(l)),
            QuestionKind::SelectMultiple(l) => (SpecKind::Multiple, choices(l)),
            QuestionKind::Integer | QuestionKind::Decimal => (SpecKind::Number, Vec::new()),
            QuestionKind::Scale { min, max } => (
                SpecKind::Scale,
                (*min..=*max)
                    .map(|v| (v.to_string(), v.to_string()))
                    .collect(),
            ),
            QuestionKind::Text => match codes.get(&q.name) {
                Some(c) if !c.is_empty() => (SpecKind::Coded, c.clone()),
                _ => continue,
            },
            QuestionKind::Note => continue,
        };
        out.push(QuestionSpec {
            name: q.name.clone(),
            label,
            kind,
            categories,
            demographic: q.demographic.is_some(),
        });
    }
    out
}

fn margins_of(poll: &Poll) -> Vec<Margin> {
    poll.margins
        .iter()
        .map(|m| Margin::new(&m.variable, &m.category, m.share))
        .collect()
}

impl Db {
    /// Computes a poll's reports now (no cache).
    async fn compute_poll_results(&self, scope: &Scope, poll: &Poll) -> Result<Computed> {
        let data = self.poll_answer_data(scope, poll, false).await?;
        let codes = self.poll_code_lists(poll).await?;
        let coded = self.final_codes(poll).await?;
        let specs = specs(poll, &codes);
        let multi: Vec<&str> = specs
            .iter()
            .filter(|s| matches!(s.kind, SpecKind::Multiple))
            .map(|s| s.name.as_str())
            .collect();
        let mut rows: Vec<Row> = Vec::with_capacity(data.respondents.len());
        for r in &data.respondents {
            let mut row = Row::new();
            for (q, v) in &r.values {
                let vals = if multi.contains(&q.as_str()) {
                    v.split_whitespace().map(str::to_string).collect()
                } else {
                    vec![v.clone()]
                };
                row.insert(q.clone(), vals);
            }
            if let Some(c) = coded.get(&r.id) {
                for (q, codes) in c {
                    row.insert(q.clone(), codes.clone());
                }
            }
            rows.push(row);
        }
        let unweighted = compute(&specs, &rows, &[])
            .map_err(|e| Error::Internal(format!("poll results: {e}")))?;
        let margins = margins_of(poll);
        let (weighted, weighting_error) = if margins.is_empty() {
            (None, None)
        } else {
            match compute(&specs, &rows, &margins) {
                Ok(r) => (Some(r), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        Ok(Computed {
            unweighted,
            weighted,
            weighting_error,
            version: poll.version,
            computed_at: now(),
        })
    }

    async fn store_poll_results(&self, poll: &Poll, c: &Computed) -> Result<()> {
        let json =
            serde_json::to_string(c).map_err(|e| Error::Internal(format!("poll results: {e}")))?;
        sqlx::query(
            "INSERT INTO poll_results (poll_id, version, computed_at, result) VALUES ($1, $2, $3, $4)
             ON CONFLICT (poll_id) DO UPDATE SET version = excluded.version,
               computed_at = excluded.computed_at, result = excluded.result",
        )
        .bind(poll.id)
        .bind(c.version)
        .bind(c.computed_at)
        .bind(json)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The cached reports of a poll, if any (any version).
    pub async fn cached_poll_results(&self, poll: &Poll) -> Result<Option<Computed>> {
        let row =
            sqlx::query("SELECT version, computed_at, result FROM poll_results WHERE poll_id = $1")
                .bind(poll.id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(r) = row else { return Ok(None) };
        // The columns, not the stored JSON, say which version it is and when it was
        // last computed or claimed for recomputation.
        Ok(serde_json::from_str::<Computed>(&text(&r, "result")?)
            .ok()
            .map(|mut c| {
                c.version = int(&r, "version").unwrap_or(c.version);
                c.computed_at = int(&r, "computed_at").unwrap_or(c.computed_at);
                c
            }))
    }

    /// The poll's reports from the cache, recomputed when there is none, or when it
    /// is of an older version and at least [`RECOMPUTE_AFTER_SECS`] old (and no
    /// other request claimed the recomputation first).
    async fn poll_results_cached(&self, scope: &Scope, poll: &Poll) -> Result<Computed> {
        let Some(c) = self.cached_poll_results(poll).await? else {
            let c = self.compute_poll_results(scope, poll).await?;
            self.store_poll_results(poll, &c).await?;
            return Ok(c);
        };
        let t = now();
        if c.version == poll.version || t - c.computed_at < RECOMPUTE_AFTER_SECS {
            return Ok(c);
        }
        let claimed = sqlx::query(
            "UPDATE poll_results SET computed_at = $1 WHERE poll_id = $2 AND computed_at = $3",
        )
        .bind(t)
        .bind(poll.id)
        .bind(c.computed_at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(c);
        }
        let fresh = self.compute_poll_results(scope, poll).await?;
        self.store_poll_results(poll, &fresh).await?;
        Ok(fresh)
    }

    /// The full reports, true counts included (organisers and analysts).
    pub async fn poll_results(&self, scope: &Scope, poll: &Poll) -> Result<Computed> {
        policy::require(scope, policy::may_analyse)?;
        self.poll_results_cached(scope, poll).await
    }

    /// Recomputes the reports now, whatever the cache holds (organisers and
    /// analysts).
    pub async fn recompute_poll_results(&self, scope: &Scope, poll: &Poll) -> Result<Computed> {
        policy::require(scope, policy::may_analyse)?;
        let c = self.compute_poll_results(scope, poll).await?;
        self.store_poll_results(poll, &c).await?;
        Ok(c)
    }

    /// The released report (suppressed at the space's threshold) and the time it
    /// was computed: the only results that leave the organisers' view. Who may
    /// have it is [`policy::may_read_released_results`]; to anyone else the
    /// results do not exist (`NotFound`).
    pub async fn released_poll_results(
        &self,
        scope: &Scope,
        poll: &Poll,
    ) -> Result<(Released, i64)> {
        if !policy::may_read_released_results(scope, poll.results_public) {
            return Err(Error::NotFound);
        }
        let c = self.poll_results_cached(scope, poll).await?;
        let threshold = u64::try_from(scope.space().suppression_threshold).unwrap_or(10);
        Ok((release(c.published(), threshold), c.computed_at))
    }

    /// Records a results export (CSV, API) in the audit log.
    pub async fn audit_results_export(&self, scope: &Scope, poll: &Poll, what: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollResultsExport,
                target: format!("{KIND}:{}", poll.id),
                detail: format!("format={what} released=true"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The final codes of every coded answer: by respondent, question → codes. The
    /// latest analyst's coding wins over the rules (coder 0).
    pub(crate) async fn final_codes(
        &self,
        poll: &Poll,
    ) -> Result<HashMap<i64, BTreeMap<String, Vec<String>>>> {
        let rows = sqlx::query(
            "SELECT respondent_id, question, coder, codes, coded_at FROM poll_codings
             WHERE poll_id = $1 ORDER BY respondent_id, question, coder = 0 DESC, coded_at, coder",
        )
        .bind(poll.id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<i64, BTreeMap<String, Vec<String>>> = HashMap::new();
        for r in &rows {
            let codes: Vec<String> = text(r, "codes")?
                .split_whitespace()
                .map(str::to_string)
                .collect();
            out.entry(int(r, "respondent_id")?)
                .or_default()
                .insert(text(r, "question")?, codes);
        }
        Ok(out)
    }

    /// The code lists of every coded question: question → (code, description).
    pub(crate) async fn poll_code_lists(
        &self,
        poll: &Poll,
    ) -> Result<BTreeMap<String, Vec<(String, String)>>> {
        let rows = sqlx::query(
            "SELECT question, code, description FROM poll_codes WHERE poll_id = $1 ORDER BY question, id",
        )
        .bind(poll.id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for r in &rows {
            out.entry(text(r, "question")?)
                .or_default()
                .push((text(r, "code")?, text(r, "description")?));
        }
        Ok(out)
    }
}
