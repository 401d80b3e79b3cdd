//! Exports of a conversation (a results CSV, JSON, and the Polis export files) and
//! import of a Polis export. Exports are for roles that may export, respect the
//! confidentiality rule through the conversation, and are audited.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use convene_domain::access::policy::may_organise;
use convene_domain::model::Level;
use convene_domain::opinion::{polis, Conversation, NewConversation, VoteData};
use convene_domain::spaces::Scope;

use super::results::{compute, results_for, shown_groups, Results};
use super::{conversation_levels, load};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::i18n::catalog;
use crate::{page, page_with, redirect, AppState};

use convene_domain::export::csv_cell as cell;

fn csv_bytes(rows: Vec<Vec<String>>) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r)
            .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

/// `comments.csv` of the Polis export format.
pub fn comments_csv(data: &VoteData) -> AppResult<Vec<u8>> {
    let mut rows = vec![[
        "timestamp",
        "datetime",
        "comment-id",
        "author-id",
        "agrees",
        "disagrees",
        "moderated",
        "comment-body",
    ]
    .map(String::from)
    .to_vec()];
    for (s, author) in &data.statements {
        let agrees = data
            .votes
            .iter()
            .filter(|v| v.0 == s.id && v.2 == convene_domain::opinion::Vote::Agree)
            .count();
        let disagrees = data
            .votes
            .iter()
            .filter(|v| v.0 == s.id && v.2 == convene_domain::opinion::Vote::Disagree)
            .count();
        rows.push(vec![
            (s.created_at * 1000).to_string(),
            crate::context::format_date(s.created_at),
            s.id.to_string(),
            author.map(|a| a.to_string()).unwrap_or_default(),
            agrees.to_string(),
            disagrees.to_string(),
            s.status.polis().to_string(),
            cell(&s.body),
        ]);
    }
    csv_bytes(rows)
}

/// `votes.csv` of the Polis export format (the latest vote of each pair).
pub fn votes_csv(data: &VoteData) -> AppResult<Vec<u8>> {
    let mut rows = vec![["timestamp", "datetime", "comment-id", "voter-id", "vote"]
        .map(String::from)
        .to_vec()];
    let mut votes = data.votes.clone();
    votes.sort_by_key(|v| (v.3, v.1, v.0));
    for (s, p, v, at) in votes {
        rows.push(vec![
            (at * 1000).to_string(),
            crate::context::format_date(at),
            s.to_string(),
            p.to_string(),
            v.as_i64().to_string(),
        ]);
    }
    csv_bytes(rows)
}

/// `participants-votes.csv` of the Polis export format; groups the viewer may not
/// see are left blank.
pub fn participants_votes_csv(data: &VoteData, r: &Results, shown: &[usize]) -> AppResult<Vec<u8>> {
    let sids: Vec<i64> = data.statements.iter().map(|(s, _)| s.id).collect();
    let mut header: Vec<String> = [
        "participant",
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
    ]
    .map(String::from)
    .to_vec();
    header.extend(sids.iter().map(|s| s.to_string()));
    let mut rows = vec![header];
    let col: std::collections::HashMap<i64, usize> =
        sids.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let group: std::collections::HashMap<i64, usize> = r
        .membership
        .iter()
        .filter_map(|(p, g)| g.filter(|g| shown.contains(g)).map(|g| (*p, g)))
        .collect();
    for p in &data.participants {
        let mut cells = vec![String::new(); sids.len()];
        let (mut n, mut a, mut d) = (0, 0, 0);
        for (s, _, v, _) in data.votes.iter().filter(|v| v.1 == *p) {
            if let Some(c) = col.get(s) {
                cells[*c] = v.as_i64().to_string();
            }
            n += 1;
            match v {
                convene_domain::opinion::Vote::Agree => a += 1,
                convene_domain::opinion::Vote::Disagree => d += 1,
                convene_domain::opinion::Vote::Pass => {}
            }
        }
        let written = data
            .statements
            .iter()
            .filter(|(_, au)| *au == Some(*p))
            .count();
        let mut row = vec![
            p.to_string(),
            group.get(p).map(|g| g.to_string()).unwrap_or_default(),
            written.to_string(),
            n.to_string(),
            a.to_string(),
            d.to_string(),
        ];
        row.extend(cells);
        rows.push(row);
    }
    csv_bytes(rows)
}

fn results_csv(r: &Results, shown: &[usize]) -> AppResult<Vec<u8>> {
    let mut header: Vec<String> = [
        "statement-id",
        "statement",
        "agree",
        "disagree",
        "pass",
        "group-informed-consensus",
        "consensus",
        "divisive",
    ]
    .map(String::from)
    .to_vec();
    // HXL hashtags as the second row, as in the other CSV exports.
    let mut hxl: Vec<String> = [
        "#meta+id",
        "#description",
        "#indicator+agree+num",
        "#indicator+disagree+num",
        "#indicator+pass+num",
        "#indicator+consensus+group_informed",
        "#indicator+consensus",
        "#indicator+divisive",
    ]
    .map(String::from)
    .to_vec();
    for g in shown {
        let letter = super::results::group_letter(*g);
        header.push(format!("group-{letter}-agree"));
        header.push(format!("group-{letter}-disagree"));
        let tag = letter.to_lowercase();
        hxl.push(format!("#indicator+agree+num+group_{tag}"));
        hxl.push(format!("#indicator+disagree+num+group_{tag}"));
    }
    let mut rows = vec![header, hxl];
    for s in &r.statements {
        let consensus = if r.consensus_agree.contains(&s.id) {
            "agree"
        } else if r.consensus_disagree.contains(&s.id) {
            "disagree"
        } else {
            ""
        };
        let mut row = vec![
            s.id.to_string(),
            cell(&s.body),
            s.all.agree.to_string(),
            s.all.disagree.to_string(),
            s.all.pass.to_string(),
            s.gic.map(|g| format!("{g:.6}")).unwrap_or_default(),
            consensus.into(),
            if r.divisive.contains(&s.id) { "1" } else { "" }.into(),
        ];
        for g in shown {
            let c = s.groups.get(*g).cloned().unwrap_or_default();
            row.push(c.agree.to_string());
            row.push(c.disagree.to_string());
        }
        rows.push(row);
    }
    csv_bytes(rows)
}

fn json_export(
    conv: &Conversation,
    data: &VoteData,
    r: &Results,
    shown: &[usize],
) -> serde_json::Value {
    let statements: Vec<_> = data
        .statements
        .iter()
        .map(|(s, _)| {
            serde_json::json!({
                "id": s.id, "body": s.body, "status": s.status.as_str(),
                "seed": s.is_seed, "created_at": s.created_at,
            })
        })
        .collect();
    let votes: Vec<_> = data
        .votes
        .iter()
        .map(|(s, p, v, at)| serde_json::json!({"statement": s, "participant": p, "vote": v.as_i64(), "at": at}))
        .collect();
    let groups: Vec<_> = r
        .groups
        .iter()
        .filter(|g| shown.contains(&g.index))
        .map(|g| serde_json::json!({"group": g.index, "size": g.size, "representative": g.repness}))
        .collect();
    serde_json::json!({
        "conversation": {
            "id": conv.id, "topic": conv.topic, "description": conv.description,
            "level": conv.level.as_str(), "open": conv.is_open,
        },
        "statements": statements,
        "votes": votes,
        "results": {
            "grouped": r.grouped,
            "groups": groups,
            "consensus_agree": r.consensus_agree,
            "consensus_disagree": r.consensus_disagree,
            "divisive": r.divisive,
            "group_informed_consensus": r.statements.iter().filter_map(|s| s.gic.map(|g| (s.id.to_string(), serde_json::json!(g)))).collect::<serde_json::Map<String, serde_json::Value>>(),
        },
    })
}

pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id, file)): Path<(String, i64, String)>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    if !matches!(
        file.as_str(),
        "comments.csv"
            | "votes.csv"
            | "participants-votes.csv"
            | "results.csv"
            | "conversation.json"
    ) {
        return Err(AppError::NotFound);
    }
    if !scope.role().is_some_and(|r| r.may_export()) {
        return Err(if scope.role().is_none() {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    }
    let data = state.db.vote_data(&conv).await?;
    let r = results_for(&state, &conv).await?;
    let shown = shown_groups(&scope, &r);
    state.db.audit_opinion_export(&scope, &conv, &file).await?;
    let (body, ctype) = match file.as_str() {
        "comments.csv" => (comments_csv(&data)?, "text/csv; charset=utf-8"),
        "votes.csv" => (votes_csv(&data)?, "text/csv; charset=utf-8"),
        "participants-votes.csv" => (
            participants_votes_csv(&data, &r, &shown)?,
            "text/csv; charset=utf-8",
        ),
        "results.csv" => (results_csv(&r, &shown)?, "text/csv; charset=utf-8"),
        _ => (
            serde_json::to_vec_pretty(&json_export(&conv, &data, &r, &shown))
                .map_err(|e| AppError::Internal(format!("json: {e}")))?,
            "application/json",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"conversation-{id}-{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "features/opinion/import.html")]
pub struct ImportPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub topic: String,
    pub levels: Vec<(&'static str, String)>,
    pub level: String,
    pub error: String,
}

fn import_page(ctx: Ctx, scope: Scope, topic: String, level: String, error: String) -> ImportPage {
    ImportPage {
        levels: conversation_levels(&ctx),
        ctx,
        scope,
        topic,
        level,
        error,
    }
}

pub async fn import_form(ctx: Ctx, SpaceScope(scope): SpaceScope) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    page(&import_page(
        ctx,
        scope,
        String::new(),
        "members".into(),
        String::new(),
    ))
}

pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let (mut topic, mut level) = (String::new(), String::new());
    let (mut comments, mut votes, mut pv) = (None, None, None);
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        let file = (!bytes.is_empty()).then(|| bytes.to_vec());
        match name.as_str() {
            "topic" => topic = String::from_utf8_lossy(&bytes).into_owned(),
            "level" => level = String::from_utf8_lossy(&bytes).into_owned(),
            "comments" => comments = file,
            "votes" => votes = file,
            "participants_votes" => pv = file,
            _ => {}
        }
    }
    let fail = |ctx: Ctx, scope: Scope, topic: String, level: String, error: String| {
        page_with(
            StatusCode::BAD_REQUEST,
            &import_page(ctx, scope, topic, level, error),
        )
    };
    let Some(lvl) = Level::parse(&level).filter(|l| *l != Level::Named) else {
        let e = ctx.t("error-invalid");
        return fail(ctx, scope, topic, level, e);
    };
    let Some(comments) = comments else {
        let e = ctx.t1("opinion-import-missing-file", "file", "comments.csv");
        return fail(ctx, scope, topic, level, e);
    };
    let parsed =
        crate::upload::parse(move || polis::parse(&comments, votes.as_deref(), pv.as_deref()))
            .await;
    let data = match parsed {
        Err(e) => {
            let msg = ctx.t(e.key());
            return fail(ctx, scope, topic, level, msg);
        }
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            let msg = catalog().get(
                ctx.lang,
                e.problem.key(),
                &[
                    ("file", e.file.to_string()),
                    ("line", e.line.to_string()),
                    ("detail", e.problem.detail().to_string()),
                ],
            );
            return fail(ctx, scope, topic, level, msg);
        }
    };
    let new = NewConversation {
        topic: topic.clone(),
        description: String::new(),
        level: lvl,
        is_open: true,
        allow_statements: true,
    };
    match state.db.import_polis(&scope, &new, &data).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/opinion/{id}/results"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let e = v.first().map(|i| ctx.t(i.key)).unwrap_or_default();
            fail(ctx, scope, topic, level, e)
        }
        Err(e) => Err(e.into()),
    }
}

/// The analysis of a conversation computed straight from its data (for tests).
pub fn analyse(data: &VoteData) -> AppResult<Results> {
    compute(data).map_err(|e| AppError::Internal(e.to_string()))
}
