//! Polling: polls, respondents and answers over web, SMS and USSD.
//!
//! A poll is a row of `records` (kind `poll`: the confidentiality envelope of
//! space, level and author) plus a row of `polls` holding its definition (the same
//! [`PollDefinition`] an XLSForm import produces). It is read only through the
//! records' visibility rule (`access::visible`). Respondents and answers are read
//! and written only through a [`Poll`], which only this module makes, after that
//! rule let the viewer see it.
//!
//! Who may answer: anyone with the poll's address (or, for SMS and USSD, its
//! keyword) when the poll is at the public level and open; with an invitation when
//! it is invitation-only; members of the space who read its level otherwise.
//! Respondents are known by a keyed hash of their web cookie, phone number or USSD
//! session; phone numbers are also kept sealed, for summaries sent back. Choice and
//! number answers are kept plain for counting; free-text answers are sealed.

pub mod builder;
pub mod coding;
pub mod engine;
pub mod results;
pub mod sms;
pub mod summary;
pub mod ussd;
pub mod xlsform;

use crate::access::envelope::NewRow;
use crate::access::{kinds, visible, Envelope};
use crate::access::{policy, Scope};
use crate::audit::{AuditAction, Event};
use crate::crypto::normalise_phone;
use crate::error::{Error, Invalid, Result};
use crate::model::{Level, Role};
use crate::sms::flows::Flow;
use crate::storage::{bind_all, Bind};
use crate::storage::{int, opt_blob, opt_int, opt_text, text, Db};
use crate::util::{now, random_token};

pub use engine::{Answer, Answers};
pub use xlsform::{PollDefinition, Question, QuestionKind};

/// The `records.kind` of a poll.
pub const KIND: &str = kinds::POLL.name;
pub(crate) const CTX_TEXT: &str = "poll_answers.text";
/// Respondents' phone numbers are sealed as the SMS layer seals them.
pub(crate) const CTX_PHONE: &str = "sms.phone";
pub(crate) const HASH_SUBJECT: &str = "poll.subject";
/// Most questions in one poll.
pub const MAX_QUESTIONS: usize = 200;

/// Who may answer a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Access {
    /// Anyone who reaches it (its address, its keyword).
    Open,
    /// Only holders of an invitation (a link's token, or an invited phone number).
    Invite,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Open => "open",
            Access::Invite => "invite",
        }
    }
    pub fn parse(s: &str) -> Option<Access> {
        match s {
            "open" => Some(Access::Open),
            "invite" => Some(Access::Invite),
            _ => None,
        }
    }
}

/// How a respondent answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Via {
    Web,
    Sms,
    Ussd,
}

impl Via {
    pub const ALL: [Via; 3] = [Via::Web, Via::Sms, Via::Ussd];
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Web => "web",
            Via::Sms => "sms",
            Via::Ussd => "ussd",
        }
    }
    pub fn parse(s: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Where a respondent is in a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Progress {
    /// Answering; `awaiting` names the question asked.
    Active,
    /// Reached the end.
    Complete,
    /// Left for another poll by SMS; answering resumes with the poll's keyword.
    Paused,
    /// Silent for longer than the poll's idle time-out.
    TimedOut,
}

impl Progress {
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Active => "active",
            Progress::Complete => "complete",
            Progress::Paused => "paused",
            Progress::TimedOut => "timed_out",
        }
    }
    pub fn parse(s: &str) -> Option<Progress> {
        [
            Progress::Active,
            Progress::Complete,
            Progress::Paused,
            Progress::TimedOut,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// A population margin for raking: the share of `category` of `variable` (a
/// demographic question's name).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PollMargin {
    pub variable: String,
    pub category: String,
    pub share: f64,
}

/// A poll the viewer may see. Only this module makes one (`non_exhaustive`): after
/// the visibility rule.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Poll {
    pub id: i64,
    pub space_id: i64,
    pub level: Level,
    pub title: String,
    pub description: String,
    /// The public part of its address, `/p/{slug}`.
    pub slug: String,
    /// The word that starts it by SMS or USSD (upper case), if any.
    pub keyword: Option<String>,
    pub definition: PollDefinition,
    pub access: Access,
    pub is_open: bool,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    /// An SMS conversation silent for this long is closed (answers kept).
    pub idle_timeout_secs: i64,
    /// Whether the (suppressed) results page is public.
    pub results_public: bool,
    pub margins: Vec<PollMargin>,
    /// The text sent to respondents who asked for the results (organisers write it).
    pub summary: String,
    /// Grows with every answer and deletion; the results cache key.
    pub version: i64,
    pub created_at: i64,
}

impl Poll {
    /// Whether answers are taken at time `t` (seconds).
    pub fn accepting(&self, t: i64) -> bool {
        self.is_open && self.opens_at.is_none_or(|o| t >= o) && self.closes_at.is_none_or(|c| t < c)
    }

    /// The languages of the poll, the default first.
    pub fn languages(&self) -> Vec<String> {
        let mut v = self.definition.languages.clone();
        if let Some(d) = &self.definition.default_language {
            v.retain(|l| l != d);
            v.insert(0, d.clone());
        }
        v
    }
}

/// What an organiser supplies to create a poll.
#[derive(Debug, Clone)]
pub struct NewPoll {
    pub title: String,
    pub description: String,
    pub level: Level,
    pub definition: PollDefinition,
    pub access: Access,
    pub keyword: Option<String>,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub idle_timeout_secs: i64,
    pub results_public: bool,
}

/// Settings an organiser changes after creation.
#[derive(Debug, Clone)]
pub struct PollSettings {
    pub is_open: bool,
    pub results_public: bool,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub idle_timeout_secs: i64,
    pub summary: String,
}

/// One respondent of a poll.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Respondent {
    pub id: i64,
    pub poll_id: i64,
    pub via: Via,
    pub language: String,
    pub progress: Progress,
    /// The question asked and not yet answered.
    pub awaiting: Option<String>,
    /// Whether the awaited question was already asked again after an unreadable reply.
    pub reasked: bool,
    pub summary_optin: bool,
    pub started_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
}

/// Every answer of a poll, for the results: one entry per respondent.
#[derive(Debug, Clone, Default)]
pub struct AnswerData {
    pub respondents: Vec<RespondentRow>,
}

/// One respondent's answers, for the results.
#[derive(Debug, Clone)]
pub struct RespondentRow {
    pub id: i64,
    pub via: Via,
    pub language: String,
    pub complete: bool,
    /// Plain values by question (choice names separated by spaces, numbers).
    pub values: std::collections::BTreeMap<String, String>,
    /// Free-text answers by question (only when asked for, and allowed).
    pub texts: std::collections::BTreeMap<String, String>,
}

fn poll_from_row(r: &sqlx::any::AnyRow) -> Result<Poll> {
    let definition: PollDefinition = serde_json::from_str(&text(r, "definition")?)
        .map_err(|e| Error::Internal(format!("poll definition: {e}")))?;
    let margins: Vec<PollMargin> = serde_json::from_str(&text(r, "margins")?)
        .map_err(|e| Error::Internal(format!("poll margins: {e}")))?;
    Ok(Poll {
        id: int(r, "id")?,
        space_id: int(r, "space_id")?,
        level: Level::from_i64(int(r, "confidentiality")?)
            .ok_or_else(|| Error::Internal("unknown level".into()))?,
        title: text(r, "title")?,
        description: text(r, "body")?,
        slug: text(r, "slug")?,
        keyword: opt_text(r, "keyword")?,
        definition,
        access: Access::parse(&text(r, "access")?)
            .ok_or_else(|| Error::Internal("unknown poll access".into()))?,
        is_open: int(r, "is_open")? != 0,
        opens_at: opt_int(r, "opens_at")?,
        closes_at: opt_int(r, "closes_at")?,
        idle_timeout_secs: int(r, "idle_timeout_secs")?,
        results_public: int(r, "results_public")? != 0,
        margins,
        summary: text(r, "summary")?,
        version: int(r, "version")?,
        created_at: int(r, "created_at")?,
    })
}

pub(crate) fn respondent_from_row(r: &sqlx::any::AnyRow) -> Result<Respondent> {
    Ok(Respondent {
        id: int(r, "id")?,
        poll_id: int(r, "poll_id")?,
        via: Via::parse(&text(r, "channel")?)
            .ok_or_else(|| Error::Internal("unknown respondent channel".into()))?,
        language: text(r, "language")?,
        progress: Progress::parse(&text(r, "status")?)
            .ok_or_else(|| Error::Internal("unknown respondent status".into()))?,
        awaiting: opt_text(r, "awaiting")?,
        reasked: int(r, "reasked")? != 0,
        summary_optin: int(r, "summary_optin")? != 0,
        started_at: int(r, "started_at")?,
        updated_at: int(r, "updated_at")?,
        completed_at: opt_int(r, "completed_at")?,
    })
}

pub(crate) const POLL_COLS: &str = "r.id, r.space_id, r.confidentiality, r.title, r.body, r.created_at, \
     p.slug, p.keyword, p.definition, p.access, p.is_open, p.opens_at, p.closes_at, p.idle_timeout_secs, \
     p.results_public, p.margins, p.summary, p.version";
pub(crate) const RESPONDENT_COLS: &str =
    "id, poll_id, channel, language, status, awaiting, reasked, \
     summary_optin, started_at, updated_at, completed_at";

pub use crate::sms::flows::normalise_keyword;

/// Checks a poll definition made by the builder or an import.
pub fn validate_definition(def: &PollDefinition) -> Result<()> {
    let mut problems = Vec::new();
    let asks = def.questions.iter().filter(|q| engine::asks(q)).count();
    if asks == 0 || def.questions.len() > MAX_QUESTIONS {
        problems.push(Invalid {
            field: "questions",
            key: "poll-error-questions",
        });
    }
    let mut names = std::collections::BTreeSet::new();
    for q in &def.questions {
        let name_ok = !q.name.is_empty()
            && q.name.len() <= 64
            && q.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
        if !name_ok || !names.insert(q.name.as_str()) {
            problems.push(Invalid {
                field: "questions",
                key: "poll-error-question-name",
            });
        }
        if q.label.values().all(|l| l.trim().is_empty()) {
            problems.push(Invalid {
                field: "questions",
                key: "poll-error-label",
            });
        }
        let bad_kind = match &q.kind {
            QuestionKind::SelectOne(l) | QuestionKind::SelectMultiple(l) => {
                (l.choices.is_empty() || l.choices.len() > 99).then_some("poll-error-choices")
            }
            QuestionKind::Scale { min, max } => {
                (!(min < max && max - min <= 20)).then_some("poll-error-scale")
            }
            _ => None,
        };
        if let Some(key) = bad_kind {
            problems.push(Invalid {
                field: "questions",
                key,
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.dedup_by(|a, b| a.key == b.key);
        Err(Error::Invalid(problems))
    }
}

fn validate_new(new: &NewPoll) -> Result<()> {
    let mut problems = Vec::new();
    let n = new.title.trim().chars().count();
    if n == 0 || n > 200 {
        problems.push(Invalid {
            field: "title",
            key: "error-required",
        });
    }
    if new.description.chars().count() > 5000 {
        problems.push(Invalid {
            field: "description",
            key: "error-too-long",
        });
    }
    if let Some(k) = &new.keyword {
        if normalise_keyword(k).is_none() {
            problems.push(Invalid {
                field: "keyword",
                key: "poll-error-keyword",
            });
        }
    }
    if let (Some(o), Some(c)) = (new.opens_at, new.closes_at) {
        if c <= o {
            problems.push(Invalid {
                field: "closes_at",
                key: "poll-error-dates",
            });
        }
    }
    if !(60..=30 * 86400).contains(&new.idle_timeout_secs) {
        problems.push(Invalid {
            field: "idle_timeout",
            key: "poll-error-timeout",
        });
    }
    if let Err(Error::Invalid(more)) = validate_definition(&new.definition) {
        problems.extend(more);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Checks raking margins: known variables, shares in [0, 1] summing to 1 per variable.
pub fn validate_margins(def: &PollDefinition, margins: &[PollMargin]) -> Result<()> {
    let mut sums: std::collections::BTreeMap<&str, f64> = Default::default();
    for m in margins {
        let known = def.questions.iter().any(|q| {
            q.name == m.variable
                && matches!(
                    q.kind,
                    QuestionKind::SelectOne(_) | QuestionKind::Scale { .. }
                )
        });
        if !known || !(0.0..=1.0).contains(&m.share) || m.category.trim().is_empty() {
            return Err(Error::invalid("margins", "poll-error-margin-row"));
        }
        *sums.entry(m.variable.as_str()).or_default() += m.share;
    }
    if sums.values().any(|s| (s - 1.0).abs() > 1e-6) {
        return Err(Error::invalid("margins", "poll-error-margin-sum"));
    }
    Ok(())
}

impl Db {
    /// Creates a poll in the scope's space (organisers; audited).
    pub async fn create_poll(&self, scope: &Scope, new: &NewPoll) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        validate_new(new)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let keyword = new.keyword.as_deref().and_then(normalise_keyword);
        let definition = serde_json::to_string(&new.definition)
            .map_err(|e| Error::Internal(format!("poll definition: {e}")))?;
        let search = format!("{}\n{}", new.title.trim(), new.description.trim()).to_lowercase();
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::POLL,
                    title: new.title.trim(),
                    body: new.description.trim(),
                    search: &search,
                },
                &Envelope::at(new.level),
            )
            .await?;
        let slug = random_token(9)?;
        let inserted = sqlx::query(
            "INSERT INTO polls (record_id, slug, keyword, space_id, definition, access, is_open, opens_at, closes_at,
                                idle_timeout_secs, results_public)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(&slug)
        .bind(keyword.as_deref())
        .bind(scope.space.id)
        .bind(definition)
        .bind(new.access.as_str())
        .bind(new.opens_at)
        .bind(new.closes_at)
        .bind(new.idle_timeout_secs)
        .bind(new.results_public as i64)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if crate::storage::is_unique_violation(&e) => {
                return Err(Error::invalid("keyword", "error-sms-keyword-taken"))
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(k) = &keyword {
            crate::sms::flows::reserve_in(&mut tx, scope.space.id, k, Flow::Poll, id).await?;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("{KIND}:{id}"),
                detail: format!(
                    "level={} questions={}",
                    new.level.as_str(),
                    new.definition.questions.len()
                ),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_sms_polls(scope.space.id);
        Ok(id)
    }

    async fn fetch_polls(&self, scope: &Scope, extra: Option<(&str, Bind)>) -> Result<Vec<Poll>> {
        let mut binds = vec![Bind::S(KIND.into())];
        let rule = visible(scope, &mut binds);
        let cond = match extra {
            Some((col, b)) => {
                binds.push(b);
                format!(" AND {col} = ${}", binds.len())
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT {POLL_COLS} FROM records r JOIN polls p ON p.record_id = r.id
             WHERE r.kind = $1 AND {rule}{cond} ORDER BY r.created_at DESC, r.id DESC"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(poll_from_row).collect()
    }

    /// The polls of the scope's space the viewer may see, newest first.
    pub async fn polls(&self, scope: &Scope) -> Result<Vec<Poll>> {
        self.fetch_polls(scope, None).await
    }

    /// One poll: `NotFound` when it does not exist, is elsewhere, or is hidden.
    pub async fn poll(&self, scope: &Scope, id: i64) -> Result<Poll> {
        self.fetch_polls(scope, Some(("r.id", Bind::I(id))))
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)
    }

    /// The poll at `/p/{slug}` and the scope to answer it in. A signed-in member of
    /// the poll's space answers in their own scope; anyone else in the scope of an
    /// outsider, who sees only polls at the public level (also in a closed space:
    /// its address or keyword is the way in, not the space).
    pub async fn poll_by_slug(
        &self,
        viewer: Option<&crate::model::User>,
        slug: &str,
    ) -> Result<(Scope, Poll)> {
        let row = sqlx::query(
            "SELECT s.slug FROM polls p JOIN spaces s ON s.id = p.space_id WHERE p.slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        let space_slug = text(&row, "slug")?;
        let scope = match self.scope(viewer, &space_slug).await {
            Ok(s) if s.role.is_some() => s,
            Ok(_) | Err(Error::NotFound) => self.outsider_scope(&space_slug).await?,
            Err(e) => return Err(e),
        };
        let poll = self
            .fetch_polls(&scope, Some(("p.slug", Bind::S(slug.to_string()))))
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        Ok((scope, poll))
    }

    /// The polls of a space that an outsider may answer by SMS or USSD (those at the
    /// public level), with the outsider's scope.
    pub async fn outsider_polls(&self, space_id: i64) -> Result<(Scope, Vec<Poll>)> {
        let scope = self.outsider_scope_of(space_id).await?;
        let polls = self.fetch_polls(&scope, None).await?;
        Ok((scope, polls))
    }

    /// Changes a poll's settings (organisers; audited).
    pub async fn update_poll(&self, scope: &Scope, poll: &Poll, s: &PollSettings) -> Result<()> {
        scope.require(Role::is_organiser)?;
        if let (Some(o), Some(c)) = (s.opens_at, s.closes_at) {
            if c <= o {
                return Err(Error::invalid("closes_at", "poll-error-dates"));
            }
        }
        if !(60..=30 * 86400).contains(&s.idle_timeout_secs) {
            return Err(Error::invalid("idle_timeout", "poll-error-timeout"));
        }
        if s.summary.chars().count() > 480 {
            return Err(Error::invalid("summary", "error-too-long"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE polls SET is_open = $1, results_public = $2, opens_at = $3, closes_at = $4,
                              idle_timeout_secs = $5, summary = $6 WHERE record_id = $7",
        )
        .bind(s.is_open as i64)
        .bind(s.results_public as i64)
        .bind(s.opens_at)
        .bind(s.closes_at)
        .bind(s.idle_timeout_secs)
        .bind(s.summary.trim())
        .bind(poll.id)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollSettings,
                target: format!("{KIND}:{}", poll.id),
                detail: format!("open={} results_public={}", s.is_open, s.results_public),
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_sms_polls(scope.space.id);
        Ok(())
    }

    /// Sets the population margins results are raked to (organisers and analysts;
    /// audited). An empty list turns weighting off.
    pub async fn set_poll_margins(
        &self,
        scope: &Scope,
        poll: &Poll,
        margins: &[PollMargin],
    ) -> Result<()> {
        policy::require(scope, policy::may_analyse)?;
        validate_margins(&poll.definition, margins)?;
        let json =
            serde_json::to_string(margins).map_err(|e| Error::Internal(format!("margins: {e}")))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE polls SET margins = $1, version = version + 1 WHERE record_id = $2")
            .bind(json)
            .bind(poll.id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollMargins,
                target: format!("{KIND}:{}", poll.id),
                detail: format!("margins={}", margins.len()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes `n` invitation tokens for a poll (organisers; audited). The tokens are
    /// returned once; only their hashes are kept.
    pub async fn create_poll_invites(
        &self,
        scope: &Scope,
        poll: &Poll,
        n: usize,
    ) -> Result<Vec<String>> {
        scope.require(Role::is_organiser)?;
        if n == 0 || n > 10_000 {
            return Err(Error::invalid("count", "poll-error-invites"));
        }
        let t = now();
        let mut tokens = Vec::with_capacity(n);
        let mut tx = self.pool.begin().await?;
        for _ in 0..n {
            let token = random_token(12)?;
            sqlx::query(
                "INSERT INTO poll_invites (poll_id, token_hash, created_at) VALUES ($1, $2, $3)",
            )
            .bind(poll.id)
            .bind(self.keys.lookup_hash("poll.invite", &token)?)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            tokens.push(token);
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollInvites,
                target: format!("{KIND}:{}", poll.id),
                detail: format!("count={n}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// Invites phone numbers to an invitation-only poll answered by SMS (organisers;
    /// audited; the numbers are kept only as keyed hashes).
    pub async fn invite_poll_phones(
        &self,
        scope: &Scope,
        poll: &Poll,
        phones: &[String],
    ) -> Result<usize> {
        scope.require(Role::is_organiser)?;
        let t = now();
        let mut tx = self.pool.begin().await?;
        let mut n = 0;
        for p in phones {
            let phone = normalise_phone(p);
            if !(3..=16).contains(&phone.trim_start_matches('+').len()) {
                return Err(Error::invalid("phones", "error-phone"));
            }
            let done = sqlx::query(
                "INSERT INTO poll_invites (poll_id, token_hash, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (poll_id, token_hash) DO NOTHING",
            )
            .bind(poll.id)
            .bind(
                self.keys
                    .lookup_hash("poll.invite", &format!("phone:{phone}"))?,
            )
            .bind(t)
            .execute(&mut *tx)
            .await?;
            n += done.rows_affected() as usize;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollInvites,
                target: format!("{KIND}:{}", poll.id),
                detail: format!("phones={n}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Whether `token` (a link's token, or `phone:<number>`) is an invitation to `poll`.
    pub async fn poll_invited(&self, poll: &Poll, token: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM poll_invites WHERE poll_id = $1 AND token_hash = $2",
        )
        .bind(poll.id)
        .bind(self.keys.lookup_hash("poll.invite", token)?)
        .fetch_one(&self.pool)
        .await?;
        Ok(int(&row, "n")? > 0)
    }

    /// Whether the scope may answer the poll now (open, within its dates, and
    /// readable by the scope: the poll was fetched through it).
    pub fn may_answer(&self, poll: &Poll) -> bool {
        poll.accepting(now())
    }

    /// The web respondent known by `cookie` (a random secret kept in the browser).
    pub async fn find_web_respondent(
        &self,
        poll: &Poll,
        cookie: &str,
    ) -> Result<Option<Respondent>> {
        let subject = self
            .keys
            .lookup_hash(HASH_SUBJECT, &format!("web:{cookie}"))?;
        let row = sqlx::query(&format!(
            "SELECT {RESPONDENT_COLS} FROM poll_respondents WHERE poll_id = $1 AND subject_hash = $2"
        ))
        .bind(poll.id)
        .bind(subject)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(respondent_from_row).transpose()
    }

    /// Starts a web respondent (or returns the one the cookie already has). An
    /// invitation-only poll needs a valid `invite`.
    pub async fn start_web_respondent(
        &self,
        poll: &Poll,
        cookie: &str,
        language: &str,
        invite: Option<&str>,
    ) -> Result<Respondent> {
        if cookie.len() < 16 {
            return Err(Error::Forbidden);
        }
        if let Some(r) = self.find_web_respondent(poll, cookie).await? {
            return Ok(r);
        }
        if !self.may_answer(poll) {
            return Err(Error::Conflict("poll-closed"));
        }
        if poll.access == Access::Invite {
            match invite {
                Some(t) if self.poll_invited(poll, t).await? => {}
                _ => return Err(Error::Forbidden),
            }
        }
        let language = if poll.definition.languages.iter().any(|l| l == language) {
            language.to_string()
        } else {
            poll.languages().into_iter().next().unwrap_or_default()
        };
        let first =
            engine::next_question(&poll.definition, &Answers::new(), None).map(|q| q.name.clone());
        let subject = self
            .keys
            .lookup_hash(HASH_SUBJECT, &format!("web:{cookie}"))?;
        let t = now();
        let inserted = sqlx::query(
            "INSERT INTO poll_respondents (poll_id, space_id, channel, subject_hash, language, status, awaiting, started_at, updated_at)
             VALUES ($1, $2, 'web', $3, $4, 'active', $5, $6, $6)",
        )
        .bind(poll.id)
        .bind(poll.space_id)
        .bind(&subject)
        .bind(&language)
        .bind(first)
        .bind(t)
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if crate::storage::is_unique_violation(&e) => {}
            Err(e) => return Err(e.into()),
        }
        self.find_web_respondent(poll, cookie)
            .await?
            .ok_or_else(|| Error::Internal("respondent vanished".into()))
    }

    /// A respondent's answers so far (free text opened).
    pub async fn respondent_answers(&self, respondent_id: i64) -> Result<Answers> {
        let rows = sqlx::query(
            "SELECT question, value, text_enc FROM poll_answers WHERE respondent_id = $1",
        )
        .bind(respondent_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Answers::new();
        for r in &rows {
            let q = text(r, "question")?;
            let value = opt_text(r, "value")?;
            let sealed = opt_blob(r, "text_enc")?;
            out.insert(q, self.stored_answer(value, sealed)?);
        }
        Ok(out)
    }

    /// Turns a stored row back into an answer. A plain value with spaces is a
    /// multiple choice, a number is a number; the caller's definition decides when
    /// it matters ([`Db::respondent_answers`] is for skip logic, where XLSForm
    /// compares texts).
    fn stored_answer(&self, value: Option<String>, sealed: Option<Vec<u8>>) -> Result<Answer> {
        Ok(match (value, sealed) {
            (_, Some(s)) => Answer::Text(self.keys.open(CTX_TEXT, &s)?),
            (Some(v), None) => {
                if let Ok(n) = v.parse::<f64>() {
                    Answer::Number(n)
                } else if v.contains(' ') {
                    Answer::Choices(v.split(' ').map(str::to_string).collect())
                } else {
                    Answer::Choice(v)
                }
            }
            (None, None) => Answer::Skipped,
        })
    }

    /// Records an answer and what is asked next (`None`: the respondent is done),
    /// in one transaction; bumps the poll's version.
    pub async fn save_answer(
        &self,
        poll: &Poll,
        respondent: &Respondent,
        question: &str,
        answer: &Answer,
        next: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.save_answer_in(&mut tx, poll.id, respondent.id, question, answer, next)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn save_answer_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        poll_id: i64,
        respondent_id: i64,
        question: &str,
        answer: &Answer,
        next: Option<&str>,
    ) -> Result<()> {
        let t = now();
        let sealed = match answer {
            Answer::Text(s) => Some(self.keys.seal(CTX_TEXT, s)?),
            _ => None,
        };
        sqlx::query(
            "INSERT INTO poll_answers (respondent_id, poll_id, question, value, text_enc, answered_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (respondent_id, question) DO UPDATE SET value = excluded.value,
                 text_enc = excluded.text_enc, answered_at = excluded.answered_at",
        )
        .bind(respondent_id)
        .bind(poll_id)
        .bind(question)
        .bind(answer.value())
        .bind(sealed)
        .bind(t)
        .execute(&mut **tx)
        .await?;
        let (status, completed) = match next {
            Some(_) => ("active", None),
            None => ("complete", Some(t)),
        };
        sqlx::query(
            "UPDATE poll_respondents SET awaiting = $1, reasked = 0, status = $2, updated_at = $3,
                    completed_at = COALESCE(completed_at, $4) WHERE id = $5",
        )
        .bind(next)
        .bind(status)
        .bind(t)
        .bind(completed)
        .bind(respondent_id)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE polls SET version = version + 1 WHERE record_id = $1")
            .bind(poll_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Sets whether a respondent wants the results summary sent back.
    pub async fn set_summary_optin(&self, respondent_id: i64, optin: bool) -> Result<()> {
        sqlx::query("UPDATE poll_respondents SET summary_optin = $1 WHERE id = $2")
            .bind(optin as i64)
            .bind(respondent_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The respondents of a poll, newest first (organisers and analysts).
    pub async fn poll_respondents(
        &self,
        scope: &Scope,
        poll: &Poll,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Respondent>> {
        policy::require(scope, policy::may_analyse)?;
        let rows = sqlx::query(&format!(
            "SELECT {RESPONDENT_COLS} FROM poll_respondents WHERE poll_id = $1
             ORDER BY started_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(poll.id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(respondent_from_row).collect()
    }

    /// Counts of a poll's respondents: (all, complete).
    pub async fn poll_respondent_counts(&self, poll: &Poll) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END), 0) AS c
             FROM poll_respondents WHERE poll_id = $1",
        )
        .bind(poll.id)
        .fetch_one(&self.pool)
        .await?;
        Ok((int(&row, "n")?, int(&row, "c")?))
    }

    /// Deletes one respondent and every answer and code of theirs (organisers;
    /// audited without personal data).
    pub async fn delete_poll_respondent(
        &self,
        scope: &Scope,
        poll: &Poll,
        respondent_id: i64,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM poll_respondents WHERE id = $1 AND poll_id = $2")
            .bind(respondent_id)
            .bind(poll.id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        sqlx::query("UPDATE polls SET version = version + 1 WHERE record_id = $1")
            .bind(poll.id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollRespondentDelete,
                target: format!("{KIND}:{}", poll.id),
                detail: format!("respondent={respondent_id} by=organiser"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes every answer a phone number gave in the scope's space, on the
    /// person's request passed on by an organiser (audited; the number is not
    /// logged). Returns how many respondents were deleted.
    pub async fn delete_poll_respondents_by_phone(
        &self,
        scope: &Scope,
        phone: &str,
    ) -> Result<u64> {
        scope.require(Role::is_organiser)?;
        let phone = normalise_phone(phone);
        if !(3..=16).contains(&phone.trim_start_matches('+').len()) {
            return Err(Error::invalid("phone", "error-phone"));
        }
        let hash = self.keys.lookup_hash("phone", &phone)?;
        let mut tx = self.pool.begin().await?;
        let n = self
            .delete_by_phone_hash_in(&mut tx, scope.space.id, &hash)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollRespondentDelete,
                target: format!("space:{}", scope.space.id),
                detail: format!("respondents={n} by=organiser-phone"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Deletes the respondents with this phone hash in a space (inside a transaction
    /// the caller audits); bumps the versions of the polls concerned.
    pub(crate) async fn delete_by_phone_hash_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        space_id: i64,
        phone_hash: &str,
    ) -> Result<u64> {
        sqlx::query(
            "UPDATE polls SET version = version + 1 WHERE record_id IN
               (SELECT poll_id FROM poll_respondents WHERE space_id = $1 AND phone_hash = $2)",
        )
        .bind(space_id)
        .bind(phone_hash)
        .execute(&mut **tx)
        .await?;
        let done =
            sqlx::query("DELETE FROM poll_respondents WHERE space_id = $1 AND phone_hash = $2")
                .bind(space_id)
                .bind(phone_hash)
                .execute(&mut **tx)
                .await?;
        Ok(done.rows_affected())
    }

    /// Every answer of a poll, for the results. Free texts are opened only when
    /// `with_text` and the viewer is an organiser or analyst.
    pub async fn poll_answer_data(
        &self,
        scope: &Scope,
        poll: &Poll,
        with_text: bool,
    ) -> Result<AnswerData> {
        let open_text = with_text && policy::may_analyse(scope);
        let rows = sqlx::query(
            "SELECT id, channel, language, status FROM poll_respondents WHERE poll_id = $1 ORDER BY id",
        )
        .bind(poll.id)
        .fetch_all(&self.pool)
        .await?;
        let mut index = std::collections::HashMap::with_capacity(rows.len());
        let mut data = AnswerData::default();
        for r in &rows {
            let id = int(r, "id")?;
            index.insert(id, data.respondents.len());
            data.respondents.push(RespondentRow {
                id,
                via: Via::parse(&text(r, "channel")?).unwrap_or(Via::Web),
                language: text(r, "language")?,
                complete: text(r, "status")? == "complete",
                values: Default::default(),
                texts: Default::default(),
            });
        }
        let sql = if open_text {
            "SELECT respondent_id, question, value, text_enc FROM poll_answers WHERE poll_id = $1"
        } else {
            "SELECT respondent_id, question, value, NULL AS text_enc FROM poll_answers WHERE poll_id = $1 AND value IS NOT NULL"
        };
        let rows = sqlx::query(sql).bind(poll.id).fetch_all(&self.pool).await?;
        for r in &rows {
            let Some(&i) = index.get(&int(r, "respondent_id")?) else {
                continue;
            };
            let q = text(r, "question")?;
            if let Some(v) = opt_text(r, "value")? {
                data.respondents[i].values.insert(q.clone(), v);
            }
            if open_text {
                if let Some(s) = opt_blob(r, "text_enc")? {
                    data.respondents[i]
                        .texts
                        .insert(q, self.keys.open(CTX_TEXT, &s)?);
                }
            }
        }
        Ok(data)
    }
}
