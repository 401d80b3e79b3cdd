//! Poll results: the organisers' page (true numbers, weights on or off, margins
//! and convergence, splits and gaps, codes), and the exits that leave their view,
//! which all take a `Released` report only: the public results page, the printable
//! one-page summary, the CSV export with HXL hashtags, the JSON API and the SMS
//! summary.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use convene_analysis::survey::{
    Published, Released, ReleasedTally, Report, Shown, SpecKind, Tally,
};
use convene_domain::polls::results::{Computed, RECOMPUTE_AFTER_SECS};
use convene_domain::polls::{Poll, PollMargin};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::{format_date, Ctx};
use crate::error::{AppError, AppResult};
use crate::features::forms::FormErrors;
use crate::{page, page_with, redirect, AppState};

/// Print and table styles of the result pages, served from the binary.
pub const CSS: &str = include_str!("results.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/poll-results.css", get(css))
        .route("/s/{slug}/polls/{id}/results", get(organiser))
        .route("/s/{slug}/polls/{id}/results/recompute", post(recompute))
        .route("/s/{slug}/polls/{id}/results/margins", post(margins))
        .route(
            "/s/{slug}/polls/{id}/results/send-summary",
            post(send_summary),
        )
        .route("/s/{slug}/polls/{id}/summary", get(summary))
        .route("/s/{slug}/polls/{id}/results.csv", get(csv_export))
        .route("/api/v1/s/{slug}/polls/{id}/results", get(api))
        .route("/p/{poll}/results", get(public))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        CSS,
    )
}

pub(crate) async fn load(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    id: i64,
) -> AppResult<(Scope, Poll)> {
    let scope = state.db.scope(ctx.user.as_ref(), slug).await?;
    let poll = state.db.poll(&scope, id).await?;
    Ok((scope, poll))
}

use convene_domain::access::policy::may_analyse;

// ---------------------------------------------------------------------------
// Views: the same tables from a full report or a released one.

pub struct CellView {
    pub count: String,
    pub pct: String,
    pub ci: String,
    pub gap: String,
}

pub struct RowView {
    pub label: String,
    pub answered: String,
    pub mean: String,
    pub cells: Vec<CellView>,
}

pub struct TableView {
    /// The split's field ("" for everyone).
    pub field: String,
    pub caption: String,
    pub rows: Vec<RowView>,
    pub gaps: bool,
}

pub struct QuestionView {
    pub name: String,
    pub label: String,
    pub coded: bool,
    pub headers: Vec<String>,
    pub overall: TableView,
    pub splits: Vec<TableView>,
}

fn pct(p: f64) -> String {
    format!("{p:.0}%")
}

fn ci(low: f64, high: f64) -> String {
    format!("{low:.0}–{high:.0}")
}

fn gap_text(d: f64, low: f64, high: f64) -> String {
    format!("{d:+.0} ({low:+.0} … {high:+.0})")
}

fn full_row(
    label: String,
    t: &Tally,
    gaps: Option<&[Option<convene_analysis::survey::GapStat>]>,
) -> RowView {
    RowView {
        label,
        answered: t.answered.to_string(),
        mean: t.mean.map(|m| format!("{m:.2}")).unwrap_or_default(),
        cells: t
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| CellView {
                count: c.count.to_string(),
                pct: pct(c.proportion * 100.0),
                ci: ci(c.interval.low * 100.0, c.interval.high * 100.0),
                gap: gaps
                    .and_then(|g| g.get(i).copied().flatten())
                    .map(|g| {
                        gap_text(
                            g.difference * 100.0,
                            g.interval.low * 100.0,
                            g.interval.high * 100.0,
                        )
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// Tables of a full report (organisers and analysts only).
pub fn full_views(ctx: &Ctx, r: &Report) -> Vec<QuestionView> {
    r.questions
        .iter()
        .map(|q| QuestionView {
            name: q.name.clone(),
            label: q.label.clone(),
            coded: q.kind == SpecKind::Coded,
            headers: q.categories.iter().map(|(_, l)| l.clone()).collect(),
            overall: TableView {
                field: String::new(),
                caption: ctx.t("poll-results-everyone"),
                rows: vec![full_row(ctx.t("poll-results-everyone"), &q.overall, None)],
                gaps: false,
            },
            splits: q
                .splits
                .iter()
                .map(|s| TableView {
                    field: s.field.clone(),
                    caption: ctx.t1("poll-results-by", "field", &s.label),
                    gaps: true,
                    rows: s
                        .groups
                        .iter()
                        .map(|g| {
                            let label = if g.value.is_empty() {
                                ctx.t("poll-results-not-stated")
                            } else {
                                g.label.clone()
                            };
                            full_row(label, &g.tally, Some(&g.gaps))
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn released_row(
    rel: &Released,
    label: String,
    t: &ReleasedTally,
    gaps: Option<&[Shown<convene_analysis::survey::GapStat>]>,
) -> RowView {
    RowView {
        label,
        answered: rel.text(&t.answered),
        mean: t
            .mean
            .value()
            .map(|m| format!("{m:.2}"))
            .unwrap_or_default(),
        cells: t
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| CellView {
                count: rel.text(&c.count),
                pct: c.percent.value().map(pct).unwrap_or_default(),
                ci: c
                    .interval
                    .value()
                    .map(|b| ci(b.low, b.high))
                    .unwrap_or_default(),
                gap: gaps
                    .and_then(|g| g.get(i))
                    .and_then(|g| g.value())
                    .map(|g| gap_text(g.difference, g.interval.low, g.interval.high))
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// Tables of a released report (every exit).
pub fn released_views(ctx: &Ctx, rel: &Released) -> Vec<QuestionView> {
    rel.questions
        .iter()
        .map(|q| QuestionView {
            name: q.name.clone(),
            label: q.label.clone(),
            coded: q.kind == SpecKind::Coded,
            headers: q.categories.iter().map(|(_, l)| l.clone()).collect(),
            overall: TableView {
                field: String::new(),
                caption: ctx.t("poll-results-everyone"),
                rows: vec![released_row(
                    rel,
                    ctx.t("poll-results-everyone"),
                    &q.overall,
                    None,
                )],
                gaps: false,
            },
            splits: q
                .splits
                .iter()
                .map(|s| TableView {
                    field: s.field.clone(),
                    caption: ctx.t1("poll-results-by", "field", &s.label),
                    gaps: true,
                    rows: s
                        .groups
                        .iter()
                        .map(|g| {
                            let label = if g.value.is_empty() {
                                ctx.t("poll-results-not-stated")
                            } else {
                                g.label.clone()
                            };
                            released_row(rel, label, &g.tally, Some(&g.gaps))
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Labels in the viewer's language where the poll has them (reports keep the
/// poll's default language): question titles, choice headers, split captions and
/// group names.
pub fn relabel(ctx: &Ctx, poll: &Poll, views: &mut [QuestionView]) {
    use convene_domain::polls::engine::pick;
    use convene_domain::polls::QuestionKind;
    let def = &poll.definition;
    let lang = ctx.lang.code();
    let default = def.default_language.as_deref();
    let question = |name: &str| def.questions.iter().find(|q| q.name == name);
    let choices = |name: &str| -> Option<Vec<String>> {
        match &question(name)?.kind {
            QuestionKind::SelectOne(l) | QuestionKind::SelectMultiple(l) => Some(
                l.choices
                    .iter()
                    .map(|c| pick(&c.label, lang, default).to_string())
                    .collect(),
            ),
            _ => None,
        }
    };
    for v in views {
        if let Some(q) = question(&v.name) {
            v.label = pick(&q.label, lang, default).to_string();
        }
        if let Some(c) = choices(&v.name) {
            for (h, l) in v.headers.iter_mut().zip(c) {
                *h = l;
            }
        }
        for t in &mut v.splits {
            if let Some(q) = question(&t.field) {
                t.caption = ctx.t1("poll-results-by", "field", pick(&q.label, lang, default));
            }
            if let Some(c) = choices(&t.field) {
                for (r, l) in t.rows.iter_mut().zip(c) {
                    r.label = l;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The organisers' page.

pub struct MarginLine {
    pub text: String,
}

#[derive(Template)]
#[template(path = "features/polls/results.html")]
pub struct OrganiserPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub poll: Poll,
    pub as_of: String,
    pub stale: bool,
    pub respondents: u64,
    pub weighted: bool,
    pub has_weights: bool,
    pub weighting: Vec<String>,
    pub weighting_error: bool,
    pub converged: bool,
    pub margins_text: String,
    pub questions: Vec<QuestionView>,
    pub text_questions: Vec<(String, String)>,
    pub choice_questions: Vec<(String, String)>,
    pub summary_preview: String,
    pub errors: FormErrors,
    pub notice: String,
    pub threshold: i64,
    pub recompute_secs: i64,
}

#[derive(Deserialize, Default)]
pub struct ResultsQuery {
    #[serde(default)]
    weights: Option<String>,
    #[serde(default)]
    sent: Option<String>,
}

fn margins_text(poll: &Poll) -> String {
    poll.margins
        .iter()
        .map(|m| format!("{}, {}, {}", m.variable, m.category, m.share))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Margins written one per line: `question, category, share`.
pub fn parse_margins(s: &str) -> Option<Vec<PollMargin>> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split(',').map(str::trim).collect();
            match parts.as_slice() {
                [v, c, share] => Some(PollMargin {
                    variable: v.to_string(),
                    category: c.to_string(),
                    share: share.parse().ok()?,
                }),
                _ => None,
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn organiser_page(
    ctx: Ctx,
    scope: Scope,
    poll: Poll,
    c: Computed,
    weighted: bool,
    errors: FormErrors,
    notice: String,
    margins_input: Option<String>,
) -> AppResult<OrganiserPage> {
    let report = match (&c.weighted, weighted) {
        (Some(w), true) => w,
        _ => &c.unweighted,
    };
    let weighting = c
        .weighted
        .as_ref()
        .and_then(|w| w.weighting.as_ref())
        .map(|w| {
            let mut lines = vec![
                ctx.t1("poll-results-raked", "count", w.raked),
                ctx.t1(
                    "poll-results-effective-n",
                    "n",
                    format!("{:.1}", w.effective_n),
                ),
                ctx.t1(
                    "poll-results-weight-range",
                    "range",
                    format!("{:.2}–{:.2}", w.range.0, w.range.1),
                ),
                ctx.t1(
                    "poll-results-initial-error",
                    "error",
                    format!("{:.4}", w.initial_error),
                ),
            ];
            for (i, e) in w.history.iter().enumerate() {
                lines.push(format!(
                    "{} {}: {e:.6}",
                    ctx.t("poll-results-iteration"),
                    i + 1
                ));
            }
            lines
        })
        .unwrap_or_default();
    let converged = c
        .weighted
        .as_ref()
        .and_then(|w| w.weighting.as_ref())
        .is_some_and(|w| w.converged);
    let mut questions = full_views(&ctx, report);
    relabel(&ctx, &poll, &mut questions);
    let text_questions = poll
        .definition
        .questions
        .iter()
        .filter(|q| matches!(q.kind, convene_domain::polls::QuestionKind::Text))
        .map(|q| (q.name.clone(), label_of(&poll, &q.name)))
        .collect();
    let choice_questions = c
        .unweighted
        .questions
        .iter()
        .filter(|q| !q.categories.is_empty())
        .map(|q| (q.name.clone(), q.label.clone()))
        .collect::<Vec<_>>();
    let chosen: Vec<String> = choice_questions.iter().map(|(n, _)| n.clone()).collect();
    // The same text `send_poll_summary` builds, from the report already in hand.
    let threshold = u64::try_from(scope.space().suppression_threshold).unwrap_or(10);
    let summary_preview = convene_domain::polls::summary::summary_text(
        &poll.summary,
        &convene_analysis::survey::release(c.published(), threshold),
        &chosen,
    );
    Ok(OrganiserPage {
        as_of: format_date(c.computed_at),
        stale: c.version != poll.version,
        respondents: c.unweighted.respondents,
        weighted: weighted && c.weighted.is_some(),
        has_weights: c.weighted.is_some(),
        weighting,
        weighting_error: c.weighting_error.is_some(),
        converged,
        margins_text: margins_input.unwrap_or_else(|| margins_text(&poll)),
        questions,
        text_questions,
        choice_questions,
        summary_preview,
        errors,
        notice,
        threshold: scope.space().suppression_threshold,
        recompute_secs: RECOMPUTE_AFTER_SECS,
        ctx,
        scope,
        poll,
    })
}

fn label_of(poll: &Poll, name: &str) -> String {
    let def = &poll.definition;
    def.questions
        .iter()
        .find(|q| q.name == name)
        .map(|q| {
            convene_domain::polls::engine::pick(&q.label, "", def.default_language.as_deref())
                .to_string()
        })
        .unwrap_or_default()
}

pub async fn organiser(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ResultsQuery>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    if !may_analyse(&scope) {
        return Err(AppError::Forbidden);
    }
    let c = state.db.poll_results(&scope, &poll).await?;
    let weighted = q.weights.as_deref() != Some("off");
    let notice = match q.sent.as_deref() {
        Some(n) => ctx.t1("poll-results-summary-queued", "count", n),
        None => String::new(),
    };
    page(&organiser_page(
        ctx,
        scope,
        poll,
        c,
        weighted,
        FormErrors::default(),
        notice,
        None,
    )?)
}

pub async fn recompute(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    state.db.recompute_poll_results(&scope, &poll).await?;
    Ok(redirect(&format!("/s/{slug}/polls/{id}/results")))
}

#[derive(Deserialize)]
pub struct MarginsForm {
    #[serde(default)]
    margins: String,
}

pub async fn margins(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<MarginsForm>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let result = match parse_margins(&f.margins) {
        Some(m) => state.db.set_poll_margins(&scope, &poll, &m).await,
        None => Err(convene_domain::Error::invalid(
            "margins",
            "poll-error-margin-row",
        )),
    };
    match result {
        Ok(()) => {
            let poll = state.db.poll(&scope, id).await?;
            state.db.recompute_poll_results(&scope, &poll).await?;
            Ok(redirect(&format!("/s/{slug}/polls/{id}/results")))
        }
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let c = state.db.poll_results(&scope, &poll).await?;
            let p = organiser_page(
                ctx,
                scope,
                poll,
                c,
                true,
                errors,
                String::new(),
                Some(f.margins),
            )?;
            page_with(axum::http::StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn send_summary(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let questions: Vec<String> = f
        .into_iter()
        .filter(|(k, _)| k == "question")
        .map(|(_, v)| v)
        .collect();
    let (queued, _) = state
        .db
        .send_poll_summary(&scope, &poll, &questions)
        .await?;
    Ok(redirect(&format!(
        "/s/{slug}/polls/{id}/results?sent={queued}"
    )))
}

// ---------------------------------------------------------------------------
// Exits: released numbers only.

#[derive(Template)]
#[template(path = "features/polls/released.html")]
pub struct ReleasedPage {
    pub ctx: Ctx,
    pub title: String,
    pub description: String,
    pub summary: String,
    pub space_name: String,
    pub as_of: String,
    pub respondents: String,
    pub threshold: u64,
    pub weighted: bool,
    pub questions: Vec<QuestionView>,
    /// The printable one-page summary (no splits beyond the first).
    pub printable: bool,
    pub csv_link: String,
}

fn released_page(
    ctx: Ctx,
    scope: &Scope,
    poll: &Poll,
    rel: &Released,
    as_of: i64,
    printable: bool,
    csv_link: String,
) -> ReleasedPage {
    ReleasedPage {
        title: poll.title.clone(),
        description: poll.description.clone(),
        summary: poll.summary.clone(),
        space_name: scope.space().name.clone(),
        as_of: format_date(as_of),
        respondents: rel.text(&rel.respondents),
        threshold: rel.threshold,
        weighted: rel.weighted,
        questions: {
            let mut v = released_views(&ctx, rel);
            relabel(&ctx, poll, &mut v);
            v
        },
        printable,
        csv_link,
        ctx,
    }
}

pub async fn public(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (scope, poll) = state.db.poll_by_slug(ctx.user.as_ref(), &slug).await?;
    let (rel, as_of) = state.db.released_poll_results(&scope, &poll).await?;
    page(&released_page(
        ctx,
        &scope,
        &poll,
        &rel,
        as_of,
        false,
        String::new(),
    ))
}

pub async fn summary(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let (rel, as_of) = state.db.released_poll_results(&scope, &poll).await?;
    let link = format!("/s/{slug}/polls/{id}/results.csv");
    page(&released_page(ctx, &scope, &poll, &rel, as_of, true, link))
}

/// A row of cells, each through the one spreadsheet-formula guard (labels are
/// written by organisers and may start like a formula).
fn guarded<const N: usize>(row: [&str; N]) -> [String; N] {
    row.map(convene_domain::export::csv_cell)
}

/// The released report as CSV: one row per question, group and category, with an
/// HXL hashtag row under the header.
pub fn released_csv(rel: &Released) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "question",
        "question_label",
        "split_by",
        "group",
        "category",
        "category_label",
        "count",
        "answered",
        "percent",
        "ci_low",
        "ci_high",
        "gap_points",
    ];
    let hxl = [
        "#indicator+code",
        "#indicator+name",
        "#meta+split",
        "#group",
        "#indicator+category+code",
        "#indicator+category+name",
        "#affected+num",
        "#reached+num",
        "#indicator+pct",
        "#indicator+pct+ci_low",
        "#indicator+pct+ci_high",
        "#indicator+gap",
    ];
    let csv_err = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(csv_err)?;
    w.write_record(hxl).map_err(csv_err)?;
    let num = |s: Shown<f64>| s.value().map(|v| format!("{v:.1}")).unwrap_or_default();
    let text = |p: &Published| rel.text(p);
    for q in &rel.questions {
        let mut emit = |split: &str,
                        group: &str,
                        t: &ReleasedTally,
                        gaps: Option<&[Shown<convene_analysis::survey::GapStat>]>|
         -> AppResult<()> {
            for (i, ((v, l), c)) in q.categories.iter().zip(&t.cells).enumerate() {
                let gap = gaps
                    .and_then(|g| g.get(i))
                    .and_then(|g| g.value())
                    .map(|g| format!("{:.1}", g.difference))
                    .unwrap_or_default();
                w.write_record(guarded([
                    q.name.as_str(),
                    q.label.as_str(),
                    split,
                    group,
                    v.as_str(),
                    l.as_str(),
                    &text(&c.count),
                    &text(&t.answered),
                    &num(c.percent),
                    &num(c.interval.map_low()),
                    &num(c.interval.map_high()),
                    &gap,
                ]))
                .map_err(csv_err)?;
            }
            if q.categories.is_empty() {
                let mean = t
                    .mean
                    .value()
                    .map(|m| format!("{m:.2}"))
                    .unwrap_or_default();
                w.write_record(guarded([
                    q.name.as_str(),
                    q.label.as_str(),
                    split,
                    group,
                    "mean",
                    "mean",
                    "",
                    &text(&t.answered),
                    &mean,
                    "",
                    "",
                    "",
                ]))
                .map_err(csv_err)?;
            }
            Ok(())
        };
        emit("", "", &q.overall, None)?;
        for s in &q.splits {
            for g in &s.groups {
                emit(&s.field, &g.value, &g.tally, Some(&g.gaps))?;
            }
        }
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

trait BoundsParts {
    fn map_low(&self) -> Shown<f64>;
    fn map_high(&self) -> Shown<f64>;
}

impl BoundsParts for Shown<convene_analysis::survey::Bounds> {
    fn map_low(&self) -> Shown<f64> {
        self.value().map_or(Shown::Hidden, |b| Shown::Value(b.low))
    }
    fn map_high(&self) -> Shown<f64> {
        self.value().map_or(Shown::Hidden, |b| Shown::Value(b.high))
    }
}

pub async fn csv_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let (rel, _) = state.db.released_poll_results(&scope, &poll).await?;
    state.db.audit_results_export(&scope, &poll, "csv").await?;
    let body = released_csv(&rel)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"poll-{id}-results.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn api(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, poll) = load(&state, &ctx, &slug, id).await?;
    let (rel, as_of) = state.db.released_poll_results(&scope, &poll).await?;
    state.db.audit_results_export(&scope, &poll, "json").await?;
    Ok(Json(serde_json::json!({
        "poll": poll.id,
        "title": poll.title,
        "as_of": as_of,
        "results": rel,
    }))
    .into_response())
}
