//! Results of a conversation: the analysis (cached per conversation version), the
//! opinion map as a server-rendered inline SVG, and the same facts as tables; and a
//! printable report. Groups smaller than the space's suppression threshold are shown
//! only to organisers.

use convene_domain::access::policy::may_organise;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use convene_analysis::opinion::{
    analyze, Direction, IndexedVote, OpinionError, Status, VoteMatrix,
};
use convene_domain::opinion::{Conversation, Status as StatementStatus, VoteData};
use convene_domain::spaces::Scope;
use serde::{Deserialize, Serialize};

use super::load;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::{page, AppState};

/// Seed of the k-means, fixed so that results are reproducible; the default of
/// `convene opinion analyze`, so that an export analysed there gives the same groups.
pub const SEED: u64 = 42;

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Counts {
    pub agree: u64,
    pub disagree: u64,
    pub pass: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.agree + self.disagree + self.pass
    }
    fn pct(&self, n: u64) -> u64 {
        (n * 100 + self.total() / 2)
            .checked_div(self.total())
            .unwrap_or(0)
    }
    pub fn agree_pct(&self) -> u64 {
        self.pct(self.agree)
    }
    pub fn disagree_pct(&self) -> u64 {
        self.pct(self.disagree)
    }
    pub fn pass_pct(&self) -> u64 {
        self.pct(self.pass)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rep {
    pub statement: i64,
    pub agree: bool,
    /// Share of the group voting that way, in percent.
    pub pct: u64,
    pub n: u64,
    pub of: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Group {
    pub index: usize,
    pub size: usize,
    /// Positions of the group's participants on the map.
    pub points: Vec<[f64; 2]>,
    pub repness: Vec<Rep>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatementRow {
    pub id: i64,
    pub body: String,
    pub all: Counts,
    /// Per group, in group order.
    pub groups: Vec<Counts>,
    pub gic: Option<f64>,
    pub point: Option<[f64; 2]>,
}

/// Everything the result pages show, computed at one conversation version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Results {
    pub grouped: bool,
    pub participants: usize,
    pub votes: usize,
    pub groups: Vec<Group>,
    pub statements: Vec<StatementRow>,
    pub consensus_agree: Vec<i64>,
    pub consensus_disagree: Vec<i64>,
    pub divisive: Vec<i64>,
    /// Statement ids by group-informed consensus, highest first.
    pub gic_order: Vec<i64>,
    /// Participant id → group, for exports.
    pub membership: Vec<(i64, Option<usize>)>,
}

/// The vote matrix of a conversation, with participants and statements ordered
/// by id (as a Polis export of it is read back), moderated-out statements excluded.
pub fn matrix(data: &VoteData) -> Result<(VoteMatrix, Vec<i64>, Vec<i64>), OpinionError> {
    let mut sids: Vec<i64> = data.statements.iter().map(|(s, _)| s.id).collect();
    sids.sort_unstable();
    let pids = data.participants.clone();
    let scol: HashMap<i64, u32> = sids
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();
    let prow: HashMap<i64, u32> = pids
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, i as u32))
        .collect();
    let votes: Vec<IndexedVote> = data
        .votes
        .iter()
        .filter_map(|(s, p, v, at)| {
            Some(IndexedVote {
                participant: *prow.get(p)?,
                statement: *scol.get(s)?,
                timestamp: *at,
                value: v.as_i64() as i8,
            })
        })
        .collect();
    let excluded: Vec<u32> = data
        .statements
        .iter()
        .filter(|(s, _)| s.status == StatementStatus::Rejected)
        .filter_map(|(s, _)| scol.get(&s.id).copied())
        .collect();
    let m = VoteMatrix::from_votes(
        pids.iter().map(i64::to_string).collect(),
        sids.iter().map(i64::to_string).collect(),
        &votes,
        &excluded,
    )?;
    Ok((m, pids, sids))
}

/// Runs the analysis on a conversation's votes.
pub fn compute(data: &VoteData) -> Result<Results, OpinionError> {
    let (m, pids, sids) = matrix(data)?;
    let a = analyze(&m, SEED);
    let grouped = a.status == Status::Grouped;
    let n_groups = a.groups;
    let group_of: HashMap<i64, usize> = pids
        .iter()
        .zip(&a.participant_groups)
        .filter_map(|(p, g)| g.map(|g| (*p, g)))
        .collect();
    // Counts per statement, overall and per group.
    let mut all: HashMap<i64, Counts> = HashMap::new();
    let mut per: HashMap<(i64, usize), Counts> = HashMap::new();
    for (s, p, v, _) in &data.votes {
        let bump = |c: &mut Counts| match v {
            convene_domain::opinion::Vote::Agree => c.agree += 1,
            convene_domain::opinion::Vote::Disagree => c.disagree += 1,
            convene_domain::opinion::Vote::Pass => c.pass += 1,
        };
        bump(all.entry(*s).or_default());
        if let Some(g) = group_of.get(p) {
            bump(per.entry((*s, *g)).or_default());
        }
    }
    let mut groups: Vec<Group> = (0..n_groups)
        .map(|g| Group {
            index: g,
            size: 0,
            points: vec![],
            repness: vec![],
        })
        .collect();
    let mut max_abs = 0f64;
    for (g, p) in a.participant_groups.iter().zip(&a.projections) {
        if let (Some(g), Some(p)) = (g, p) {
            if let Some(gr) = groups.get_mut(*g) {
                gr.size += 1;
                gr.points.push(*p);
                max_abs = max_abs.max(p[0].abs()).max(p[1].abs());
            }
        } else if let Some(g) = g {
            if let Some(gr) = groups.get_mut(*g) {
                gr.size += 1;
            }
        }
    }
    for (g, list) in a.repness.iter().enumerate() {
        if let Some(gr) = groups.get_mut(g) {
            gr.repness = list
                .iter()
                .filter_map(|r| {
                    Some(Rep {
                        statement: *sids.get(r.statement)?,
                        agree: r.direction == Direction::Agree,
                        pct: (r.n_success * 100 + r.n_trials / 2)
                            .checked_div(r.n_trials)
                            .unwrap_or(0),
                        n: r.n_success,
                        of: r.n_trials,
                    })
                })
                .collect();
        }
    }
    // Statements placed by their loadings, scaled to the participants' spread.
    let loadings = a.pca.as_ref().map(|p| (p.pc1.clone(), p.pc2.clone()));
    let max_load = loadings
        .as_ref()
        .map(|(a, b)| a.iter().chain(b).fold(0f64, |m, v| m.max(v.abs())))
        .unwrap_or(0.0);
    let scale = if max_load > 0.0 && max_abs > 0.0 {
        max_abs / max_load
    } else {
        0.0
    };
    let gic: HashMap<usize, f64> = a
        .group_informed_consensus
        .iter()
        .enumerate()
        .map(|(i, v)| (i, *v))
        .collect();
    let mut statements = Vec::new();
    for (col, sid) in sids.iter().enumerate() {
        let Some((s, _)) = data.statements.iter().find(|(s, _)| s.id == *sid) else {
            continue;
        };
        if s.status != StatementStatus::Approved {
            continue;
        }
        let point = match (&loadings, grouped && scale > 0.0) {
            (Some((p1, p2)), true) => match (p1.get(col), p2.get(col)) {
                (Some(x), Some(y)) => Some([x * scale, y * scale]),
                _ => None,
            },
            _ => None,
        };
        statements.push(StatementRow {
            id: *sid,
            body: s.body.clone(),
            all: all.get(sid).cloned().unwrap_or_default(),
            groups: (0..n_groups)
                .map(|g| per.get(&(*sid, g)).cloned().unwrap_or_default())
                .collect(),
            gic: gic.get(&col).copied(),
            point,
        });
    }
    let ids = |cols: &[usize]| -> Vec<i64> {
        cols.iter().filter_map(|c| sids.get(*c).copied()).collect()
    };
    let mut gic_order: Vec<(i64, f64)> = statements
        .iter()
        .filter_map(|s| s.gic.map(|g| (s.id, g)))
        .collect();
    gic_order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(Results {
        grouped,
        participants: pids.len(),
        votes: data.votes.len(),
        groups,
        consensus_agree: ids(&a.consensus_agree),
        consensus_disagree: ids(&a.consensus_disagree),
        divisive: ids(&a.divisive),
        gic_order: gic_order.into_iter().map(|(s, _)| s).collect(),
        membership: pids
            .iter()
            .zip(&a.participant_groups)
            .map(|(p, g)| (*p, *g))
            .collect(),
        statements,
    })
}

/// The results of a conversation: from the cache when it was computed at the
/// current version, otherwise computed now (on a blocking thread) and stored.
pub async fn results_for(state: &AppState, conv: &Conversation) -> AppResult<Results> {
    if let Some(json) = state.db.cached_analysis(conv).await? {
        if let Ok(r) = serde_json::from_str::<Results>(&json) {
            return Ok(r);
        }
    }
    let data = state.db.vote_data(conv).await?;
    let r = tokio::task::spawn_blocking(move || compute(&data))
        .await
        .map_err(|e| AppError::Internal(format!("analysis task: {e}")))?
        .map_err(|e| AppError::Internal(format!("analysis: {e}")))?;
    if let Ok(json) = serde_json::to_string(&r) {
        state.db.store_analysis(conv, conv.version, &json).await?;
    }
    Ok(r)
}

/// Group indices the viewer may see: all for organisers, otherwise those with at
/// least the space's suppression threshold of participants.
pub fn shown_groups(scope: &Scope, r: &Results) -> Vec<usize> {
    let min = scope.space().suppression_threshold.max(0) as usize;
    r.groups
        .iter()
        .filter(|g| may_organise(scope) || g.size >= min)
        .map(|g| g.index)
        .collect()
}

pub fn group_letter(g: usize) -> String {
    char::from_u32('A' as u32 + (g as u32 % 26))
        .map(String::from)
        .unwrap_or_default()
}

const COLOURS: [&str; 5] = ["#0b5563", "#b35900", "#6a3d9a", "#1d6b2f", "#9b1c1c"];
const SHAPES: usize = 5;

/// The opinion map as an inline SVG: each shown group's participants as points
/// (colour and shape by group), statements as numbered squares.
pub fn svg(ctx: &Ctx, r: &Results, shown: &[usize]) -> String {
    use std::fmt::Write;
    let mut extent = 0f64;
    for g in r.groups.iter().filter(|g| shown.contains(&g.index)) {
        for p in &g.points {
            extent = extent.max(p[0].abs()).max(p[1].abs());
        }
    }
    for s in &r.statements {
        if let Some(p) = s.point {
            extent = extent.max(p[0].abs()).max(p[1].abs());
        }
    }
    let extent = if extent > 0.0 { extent * 1.08 } else { 1.0 };
    let xy = |p: &[f64; 2]| (200.0 + p[0] / extent * 190.0, 200.0 - p[1] / extent * 190.0);
    let mut out = String::with_capacity(16 * 1024);
    let title = esc(&ctx.t("opinion-map-title"));
    let desc = esc(&ctx.t("opinion-map-desc"));
    let _ = write!(
        out,
        "<svg class=\"map\" viewBox=\"0 0 400 400\" role=\"img\" aria-labelledby=\"map-t map-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"map-t\">{title}</title><desc id=\"map-d\">{desc}</desc>\
         <line x1=\"200\" y1=\"8\" x2=\"200\" y2=\"392\" stroke=\"#ddd\"/><line x1=\"8\" y1=\"200\" x2=\"392\" y2=\"200\" stroke=\"#ddd\"/>"
    );
    for g in r.groups.iter().filter(|g| shown.contains(&g.index)) {
        let colour = COLOURS[g.index % COLOURS.len()];
        let _ = write!(out, "<g fill=\"{colour}\" fill-opacity=\"0.7\">");
        for p in &g.points {
            let (x, y) = xy(p);
            match g.index % SHAPES {
                1 => {
                    let _ = write!(
                        out,
                        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"6\" height=\"6\"/>",
                        x - 3.0,
                        y - 3.0
                    );
                }
                2 => {
                    let _ = write!(out, "<path d=\"M{:.1} {:.1}l4 7h-8z\"/>", x, y - 4.0);
                }
                _ => {
                    let _ = write!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"/>");
                }
            }
        }
        out.push_str("</g>");
        if !g.points.is_empty() {
            let n = g.points.len() as f64;
            let cx = g.points.iter().map(|p| p[0]).sum::<f64>() / n;
            let cy = g.points.iter().map(|p| p[1]).sum::<f64>() / n;
            let (x, y) = xy(&[cx, cy]);
            let _ = write!(
                out,
                "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"22\" font-weight=\"700\" fill=\"#1a1a1a\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" text-anchor=\"middle\">{}</text>",
                group_letter(g.index)
            );
        }
    }
    out.push_str("<g fill=\"#fff\" stroke=\"#1a1a1a\" font-size=\"9\">");
    for s in &r.statements {
        if let Some(p) = s.point {
            let (x, y) = xy(&p);
            let _ = write!(
                out,
                "<g><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"5\" height=\"5\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#4a4a4a\" stroke=\"none\">{}</text></g>",
                esc(&s.body),
                x - 2.5,
                y - 2.5,
                x + 4.0,
                y + 3.0,
                s.id
            );
        }
    }
    out.push_str("</g></svg>");
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub struct GroupView {
    pub letter: String,
    pub index: usize,
    pub size: usize,
    pub reps: Vec<RepView>,
}

pub struct RepView {
    pub id: i64,
    pub body: String,
    pub agree: bool,
    pub pct: u64,
    pub n: u64,
    pub of: u64,
}

pub struct StatementView {
    pub id: i64,
    pub body: String,
    pub all: Counts,
    pub groups: Vec<Counts>,
    pub gic: String,
}

#[derive(Template)]
#[template(path = "features/opinion/results.html")]
pub struct ResultsPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub conv: Conversation,
    pub r: Results,
    pub map: String,
    pub groups: Vec<GroupView>,
    pub hidden_groups: usize,
    pub consensus: Vec<StatementView>,
    pub divisive: Vec<StatementView>,
    pub gic: Vec<StatementView>,
    pub table: Vec<StatementView>,
    pub report: bool,
}

fn build(ctx: Ctx, scope: Scope, conv: Conversation, r: Results, report: bool) -> ResultsPage {
    let shown = shown_groups(&scope, &r);
    let body = |id: i64| {
        r.statements
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.body.clone())
            .unwrap_or_default()
    };
    let view = |id: i64| -> Option<StatementView> {
        let s = r.statements.iter().find(|s| s.id == id)?;
        Some(StatementView {
            id,
            body: s.body.clone(),
            all: s.all.clone(),
            groups: shown
                .iter()
                .map(|g| s.groups.get(*g).cloned().unwrap_or_default())
                .collect(),
            gic: s.gic.map(|v| format!("{v:.3}")).unwrap_or_default(),
        })
    };
    let groups = r
        .groups
        .iter()
        .filter(|g| shown.contains(&g.index))
        .map(|g| GroupView {
            letter: group_letter(g.index),
            index: g.index,
            size: g.size,
            reps: g
                .repness
                .iter()
                .map(|x| RepView {
                    id: x.statement,
                    body: body(x.statement),
                    agree: x.agree,
                    pct: x.pct,
                    n: x.n,
                    of: x.of,
                })
                .collect(),
        })
        .collect();
    let consensus = r
        .consensus_agree
        .iter()
        .chain(&r.consensus_disagree)
        .filter_map(|id| view(*id))
        .collect();
    let divisive = r.divisive.iter().filter_map(|id| view(*id)).collect();
    let gic = r
        .gic_order
        .iter()
        .take(10)
        .filter_map(|id| view(*id))
        .collect();
    let table = r.statements.iter().filter_map(|s| view(s.id)).collect();
    let map = if r.grouped {
        svg(&ctx, &r, &shown)
    } else {
        String::new()
    };
    ResultsPage {
        hidden_groups: r.groups.len() - shown.len(),
        groups,
        consensus,
        divisive,
        gic,
        table,
        map,
        report,
        ctx,
        scope,
        conv,
        r,
    }
}

impl ResultsPage {
    pub fn shown_letters(&self) -> Vec<(usize, String)> {
        self.groups
            .iter()
            .map(|g| (g.index, g.letter.clone()))
            .collect()
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    let r = results_for(&state, &conv).await?;
    page(&build(ctx, scope, conv, r, false))
}

pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (scope, conv) = load(&state, &ctx, &slug, id).await?;
    let r = results_for(&state, &conv).await?;
    page(&build(ctx, scope, conv, r, true))
}
