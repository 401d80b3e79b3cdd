//! Collaborative agenda-setting: the rounds of a space, one round with its ranked
//! items (proposing, supporting or objecting, moderating, merging, the SMS
//! keyword, closing), and the brief the round closes into: a printable page of at
//! most two A4 sides, and the whole of it as Markdown and JSON.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::may_organise;
use convene_domain::agenda::{Item, Participant, Round, Source};
use convene_domain::model::{Kind, Level};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::{cookie, Ctx};
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::opinion::PARTICIPANT_COOKIE;
use crate::features::records::level_label;
use crate::security::set_cookie;
use crate::{page, page_with, redirect, with_cookie, AppState};

/// Items the printed brief lists in full; the rest are counted, and are all in
/// the Markdown and JSON.
pub const PRINTED_ITEMS: usize = 10;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/agenda", get(list).post(create))
        .route("/s/{slug}/agenda/{id}", get(show))
        .route("/s/{slug}/agenda/{id}/propose", post(propose))
        .route("/s/{slug}/agenda/{id}/items/{item}/view", post(view))
        .route(
            "/s/{slug}/agenda/{id}/items/{item}/moderate",
            post(moderate),
        )
        .route("/s/{slug}/agenda/{id}/merge", post(merge))
        .route("/s/{slug}/agenda/{id}/keyword", post(keyword))
        .route("/s/{slug}/agenda/{id}/close", post(close))
        .route("/s/{slug}/agenda/{id}/brief", get(brief))
        .route("/s/{slug}/agenda/{id}/brief.md", get(brief_md))
        .route("/s/{slug}/agenda/{id}/brief.json", get(brief_json))
}

#[derive(Template)]
#[template(path = "features/agenda/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<(i64, String, bool)>,
    pub organiser: bool,
    pub errors: FormErrors,
    pub title: String,
    pub body: String,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    page(&ListPage {
        rows: state.db.agenda_rounds(&scope).await?,
        organiser: may_organise(&scope),
        errors: FormErrors::default(),
        title: String::new(),
        body: String::new(),
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct RoundForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    level: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<RoundForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    match state
        .db
        .create_agenda_round(&scope, &f.title, &f.body, level)
        .await
    {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/agenda/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => page_with(
            StatusCode::BAD_REQUEST,
            &ListPage {
                rows: state.db.agenda_rounds(&scope).await?,
                organiser: may_organise(&scope),
                errors: FormErrors::from_invalid(&ctx, &v),
                title: f.title,
                body: f.body,
                ctx,
                scope,
            },
        ),
        Err(e) => Err(e.into()),
    }
}

/// An item with the words the page shows for it.
pub struct ItemRow {
    pub item: Item,
    /// "Water sharing (Veluna), Kestria Youth (Kestria), 3 people of the public"
    pub support: String,
    pub against: String,
    /// Where it came from, with a link when the viewer may follow it.
    pub source: Option<(String, Option<String>)>,
}

fn item_row(ctx: &Ctx, slug: &str, it: Item) -> ItemRow {
    let mut support: Vec<String> = it
        .groups_for
        .iter()
        .map(|(n, s)| format!("{n} ({s})"))
        .collect();
    if it.unnamed_for > 0 {
        support.push(ctx.t1("agenda-unnamed", "count", it.unnamed_for));
    }
    if it.public_for > 0 {
        support.push(ctx.t1("agenda-public-count", "count", it.public_for));
    }
    let mut against: Vec<String> = it
        .groups_against
        .iter()
        .map(|(n, s, note)| {
            if note.is_empty() {
                format!("{n} ({s})")
            } else {
                format!("{n} ({s}): “{note}”")
            }
        })
        .collect();
    if it.unnamed_against > 0 {
        against.push(ctx.t1("agenda-unnamed", "count", it.unnamed_against));
    }
    if it.public_against > 0 {
        against.push(ctx.t1("agenda-public-count", "count", it.public_against));
    }
    let source = match (it.source, &it.source_title) {
        (Source::Proposal, _) => None,
        (s, title) => {
            let (key, href) = match s {
                Source::Concern(id) => {
                    ("agenda-source-concern", format!("/s/{slug}/concerns/{id}"))
                }
                Source::Poll(id) => (
                    "agenda-source-poll",
                    format!("/s/{slug}/polls/{id}/results"),
                ),
                Source::Statement(_) => ("agenda-source-statement", String::new()),
                Source::Proposal => ("", String::new()),
            };
            let label = match title {
                Some(t) => format!("{}: {t}", ctx.t(key)),
                None => ctx.t(key),
            };
            Some((label, (title.is_some() && !href.is_empty()).then_some(href)))
        }
    };
    ItemRow {
        support: support.join("; "),
        against: against.join("; "),
        source,
        item: it,
    }
}

#[derive(Template)]
#[template(path = "features/agenda/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub round: Round,
    pub rows: Vec<ItemRow>,
    pub pending: Vec<ItemRow>,
    pub level: String,
    pub organiser: bool,
    /// Whether the viewer may propose and give views.
    pub takes_part: bool,
    /// Organisations the viewer acts for.
    pub my_orgs: Vec<(i64, String)>,
    /// What an item may come from: (value, label).
    pub sources: Vec<(String, String)>,
    pub errors: FormErrors,
    pub sides: String,
    /// The public's item was received and waits for moderation.
    pub proposed: bool,
}

fn participant_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, PARTICIPANT_COOKIE)
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    cookie: Option<&str>,
    errors: FormErrors,
    forms: bool,
) -> AppResult<ShowPage> {
    let round = state.db.agenda_round(&scope, id, cookie).await?;
    let slug = scope.space().slug.clone();
    let organiser = may_organise(&scope);
    let member = scope.role().is_some();
    let takes_part =
        round.is_open && (member || (round.level == Level::Public && scope.space().is_public));
    let my_orgs = state
        .db
        .my_organisations(&scope)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut sources = Vec::new();
    // What an item may come from is read only for the round's page (its form),
    // not for the brief, which shows no form.
    if forms && takes_part && member {
        for r in state
            .db
            .fetch_visible(
                &scope,
                &convene_domain::records::Filter {
                    kind: Some(Kind::Concern),
                    limit: Some(200),
                    ..Default::default()
                },
            )
            .await?
        {
            sources.push((
                format!("concern:{}", r.id),
                format!("{}: {}", ctx.t("agenda-source-concern"), r.title),
            ));
        }
        for p in state.db.polls(&scope).await? {
            sources.push((
                format!("poll:{}", p.id),
                format!("{}: {}", ctx.t("agenda-source-poll"), p.title),
            ));
        }
        // Statements of the conversations the viewer sees (the newest ten), so that
        // common ground found there can be put on the agenda.
        for conv in state.db.conversations(&scope).await?.into_iter().take(10) {
            for st in state
                .db
                .approved_statements(&conv)
                .await?
                .into_iter()
                .take(30)
            {
                let body: String = st.body.chars().take(120).collect();
                sources.push((
                    format!("statement:{}", st.id),
                    format!("{}: {body}", ctx.t("agenda-source-statement")),
                ));
            }
        }
    }
    let sides = round
        .sides
        .iter()
        .map(|(s, n)| {
            if s == convene_domain::agenda::PUBLIC_GROUP {
                ctx.t1("agenda-public-count", "count", round.public_people)
            } else {
                format!("{s} ({})", ctx.t1("agenda-groups", "count", n))
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let rows = round
        .items
        .iter()
        .cloned()
        .map(|it| item_row(&ctx, &slug, it))
        .collect();
    let pending = round
        .pending
        .iter()
        .cloned()
        .map(|it| item_row(&ctx, &slug, it))
        .collect();
    Ok(ShowPage {
        level: level_label(&ctx, round.level),
        rows,
        pending,
        organiser,
        takes_part,
        my_orgs,
        sources,
        errors,
        sides,
        round,
        proposed: false,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    headers: HeaderMap,
    Path((_slug, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let c = participant_cookie(&headers);
    let mut p = show_page(
        &state,
        ctx,
        scope,
        id,
        c.as_deref(),
        FormErrors::default(),
        true,
    )
    .await?;
    p.proposed = q.proposed.is_some();
    page(&p)
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    proposed: Option<String>,
}

/// The viewer as a participant: a member (for an organisation when `org` is
/// one), or in a public space someone known by a cookie, made when there is none
/// (returned to be set).
fn participant(
    ctx: &Ctx,
    scope: &Scope,
    headers: &HeaderMap,
    org: i64,
) -> AppResult<(Participant, Option<String>)> {
    if ctx.user.is_some() {
        return Ok((
            Participant::Member {
                org: (org > 0).then_some(org),
            },
            None,
        ));
    }
    if !scope.space().is_public {
        return Err(AppError::Forbidden);
    }
    match participant_cookie(headers) {
        Some(c) => Ok((Participant::Cookie(c), None)),
        None => {
            let c = convene_domain::util::random_token(24)?;
            Ok((Participant::Cookie(c.clone()), Some(c)))
        }
    }
}

/// After a change: back to the round (setting a new participant's cookie), or the
/// page again with the problems.
#[allow(clippy::too_many_arguments)]
async fn after(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    who: Option<&Participant>,
    new_cookie: Option<String>,
    done: convene_domain::Result<()>,
    anchor: &str,
) -> AppResult<Response> {
    match done {
        Ok(()) => {
            let res = redirect(&format!("/s/{}/agenda/{id}{anchor}", scope.space().slug));
            Ok(match new_cookie {
                Some(c) => with_cookie(
                    res,
                    set_cookie(state, PARTICIPANT_COOKIE, &c, Some(365 * 24 * 3600)),
                ),
                None => res,
            })
        }
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let c = match who {
                Some(Participant::Cookie(c)) => Some(c.clone()),
                _ => None,
            };
            page_with(
                StatusCode::BAD_REQUEST,
                &show_page(state, ctx, scope, id, c.as_deref(), errors, true).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ProposeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    org: i64,
    #[serde(default)]
    source: String,
}

fn parse_source(s: &str) -> Source {
    match s.split_once(':') {
        Some(("concern", id)) => id.parse().map(Source::Concern).unwrap_or(Source::Proposal),
        Some(("poll", id)) => id.parse().map(Source::Poll).unwrap_or(Source::Proposal),
        Some(("statement", id)) => id
            .parse()
            .map(Source::Statement)
            .unwrap_or(Source::Proposal),
        _ => Source::Proposal,
    }
}

pub async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    headers: HeaderMap,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<ProposeForm>,
) -> AppResult<Response> {
    let (who, new_cookie) = participant(&ctx, &scope, &headers, f.org)?;
    let done = state
        .db
        .propose_agenda_item(&scope, id, &who, &f.title, &f.body, parse_source(&f.source))
        .await
        .map(|_| ());
    // The public's items wait for moderation: the page says so.
    let anchor = if scope.role().is_some() {
        "#items"
    } else {
        "?proposed=1#propose"
    };
    after(&state, ctx, scope, id, Some(&who), new_cookie, done, anchor).await
}

#[derive(Deserialize, Default)]
pub struct ViewForm {
    #[serde(default)]
    stance: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    org: i64,
}

pub async fn view(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    headers: HeaderMap,
    Path((_slug, id, item)): Path<(String, i64, i64)>,
    Form(f): Form<ViewForm>,
) -> AppResult<Response> {
    let stance = match f.stance.as_str() {
        "support" => 1,
        "object" => -1,
        _ => return Err(AppError::BadRequest),
    };
    let (who, new_cookie) = participant(&ctx, &scope, &headers, f.org)?;
    let done = state
        .db
        .agenda_view(&scope, item, &who, stance, &f.note)
        .await;
    let anchor = format!("#item-{item}");
    after(
        &state,
        ctx,
        scope,
        id,
        Some(&who),
        new_cookie,
        done,
        &anchor,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ModerateForm {
    #[serde(default)]
    decision: String,
}

pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, item)): Path<(String, i64, i64)>,
    Form(f): Form<ModerateForm>,
) -> AppResult<Response> {
    let done = state
        .db
        .moderate_agenda_item(&scope, item, f.decision == "approve")
        .await;
    after(&state, ctx, scope, id, None, None, done, "#pending").await
}

#[derive(Deserialize, Default)]
pub struct MergeForm {
    #[serde(default)]
    from: i64,
    #[serde(default)]
    into: i64,
}

pub async fn merge(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<MergeForm>,
) -> AppResult<Response> {
    let done = state.db.merge_agenda_item(&scope, f.from, f.into).await;
    after(&state, ctx, scope, id, None, None, done, "#items").await
}

#[derive(Deserialize, Default)]
pub struct KeywordForm {
    #[serde(default)]
    keyword: String,
}

pub async fn keyword(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Form(f): Form<KeywordForm>,
) -> AppResult<Response> {
    let done = state
        .db
        .set_agenda_keyword(&scope, id, Some(&f.keyword))
        .await;
    after(&state, ctx, scope, id, None, None, done, "#organise").await
}

#[derive(Deserialize, Default)]
pub struct CloseForm {
    #[serde(default)]
    summary: String,
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<CloseForm>,
) -> AppResult<Response> {
    match state.db.close_agenda_round(&scope, id, &f.summary).await {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/agenda/{id}/brief"))),
        done => after(&state, ctx, scope, id, None, None, done, "#organise").await,
    }
}

#[derive(Template)]
#[template(path = "features/agenda/brief.html")]
pub struct BriefPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub round: Round,
    pub rows: Vec<ItemRow>,
    pub more: usize,
    pub sides: String,
    pub closed_on: String,
}

fn closed_on(scope: &Scope, round: &Round) -> String {
    round
        .closed_at
        .map(|t| {
            convene_domain::activities::unix_to_local(t, &scope.space().time_zone)
                .chars()
                .take(10)
                .collect()
        })
        .unwrap_or_default()
}

pub async fn brief(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let p = show_page(&state, ctx, scope, id, None, FormErrors::default(), false).await?;
    let more = p.rows.len().saturating_sub(PRINTED_ITEMS);
    let mut rows = p.rows;
    rows.truncate(PRINTED_ITEMS);
    // Two A4 sides at most: long words are cut here and whole in the Markdown.
    for r in &mut rows {
        r.support = clip(&r.support, 300);
        r.against = clip(&r.against, 400);
        r.item.body.clear();
        r.item.public_dissent = r
            .item
            .public_dissent
            .iter()
            .take(3)
            .map(|d| clip(d, 160))
            .collect();
    }
    page(&BriefPage {
        closed_on: closed_on(&p.scope, &p.round),
        round: p.round,
        rows,
        more,
        sides: p.sides,
        ctx: p.ctx,
        scope: p.scope,
    })
}

/// The brief as Markdown: every item, with who supports it across groups, where
/// it came from and the dissent.
pub async fn brief_md(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let p = show_page(&state, ctx, scope, id, None, FormErrors::default(), false).await?;
    let ctx = &p.ctx;
    let mut out = format!("# {}\n\n", md_line(&p.round.title));
    if !p.round.body.is_empty() {
        out.push_str(&format!("{}\n\n", md_line(&p.round.body)));
    }
    let status = if p.round.is_open {
        ctx.t("agenda-brief-draft")
    } else {
        format!(
            "{} {}",
            ctx.t("agenda-closed-on"),
            closed_on(&p.scope, &p.round)
        )
    };
    out.push_str(&format!("*{}*\n\n", status));
    out.push_str(&format!("{}: {}\n\n", ctx.t("agenda-taking-part"), p.sides));
    if !p.round.summary.is_empty() {
        out.push_str(&format!(
            "## {}\n\n{}\n\n",
            ctx.t("agenda-summary"),
            md_line(&p.round.summary)
        ));
    }
    for r in &p.rows {
        let it = &r.item;
        out.push_str(&format!("## {}. {}\n\n", it.rank, md_line(&it.title)));
        if !it.body.is_empty() {
            out.push_str(&format!("{}\n\n", md_line(&it.body)));
        }
        out.push_str(&format!(
            "- {}: {:.2}; {}: {}\n",
            ctx.t("agenda-score"),
            it.score,
            ctx.t("agenda-sides-for"),
            it.sides_for.join(", ")
        ));
        if !r.support.is_empty() {
            out.push_str(&format!(
                "- {}: {}\n",
                ctx.t("agenda-supported-by"),
                md_line(&r.support)
            ));
        }
        if !r.against.is_empty() {
            out.push_str(&format!(
                "- {}: {}\n",
                ctx.t("agenda-dissent"),
                md_line(&r.against)
            ));
        }
        for d in &it.public_dissent {
            out.push_str(&format!("  - “{}”\n", md_line(d)));
        }
        if let Some((label, _)) = &r.source {
            out.push_str(&format!("- {}: {}\n", ctx.t("agenda-from"), md_line(label)));
        }
        if let Some(by) = &it.proposed_by {
            out.push_str(&format!(
                "- {}: {}\n",
                ctx.t("agenda-proposed-by"),
                md_line(by)
            ));
        }
        if !it.merged.is_empty() {
            out.push_str(&format!(
                "- {}: {}\n",
                ctx.t("agenda-merged"),
                md_line(&it.merged.join("; "))
            ));
        }
        out.push('\n');
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"agenda-{id}-brief.md\""),
            ),
        ],
        out,
    )
        .into_response())
}

/// At most `n` characters, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n).collect();
        out.push('…');
        out
    }
}

/// One line of user text for Markdown: line breaks become spaces and the
/// characters Markdown reads as markup are escaped.
fn md_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        if "\\`*_{}[]<>()#+-.!|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The brief as JSON: the round and every item as the domain holds them.
pub async fn brief_json(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let _ = ctx;
    let round = state.db.agenda_round(&scope, id, None).await?;
    let body =
        serde_json::to_vec_pretty(&round).map_err(|e| AppError::Internal(format!("json: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"agenda-{id}-brief.json\""),
            ),
        ],
        body,
    )
        .into_response())
}
