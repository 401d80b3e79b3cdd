//! Reading the actor map: the list with filters, an actor's page, the change
//! between two dates, and the analysis tables. All without JavaScript.

use convene_domain::access::policy::may_organise;
use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use convene_domain::actors::{diff, ActorMap, Snapshot, TieState};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::analysis::{analyse, category_key, common_ground, grid};
use super::{
    actor_row, as_of_or_today, kind_options, may_export, may_record, name_of, sign_label, signed,
    tie_label, track_options, unsigned, ActorRow, Options,
};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::records::level_label;
use crate::{page, AppState};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    kind: Option<String>,
    track: Option<String>,
    side: Option<String>,
    tag: Option<String>,
    as_of: Option<String>,
}

#[derive(Template)]
#[template(path = "features/actors/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rows: Vec<ActorRow>,
    pub total: usize,
    pub as_of: String,
    pub kind: String,
    pub track: String,
    pub side: String,
    pub tag: String,
    pub kinds: Options,
    pub tracks: Options,
    pub sides: Vec<String>,
    pub tags: Vec<String>,
    pub may_record: bool,
    pub may_export: bool,
    pub waves: usize,
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().unwrap_or("").trim().to_string()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    let as_of = as_of_or_today(q.as_of.as_deref())?;
    let snap = map.as_of(&as_of);
    let (kind, track, side, tag) = (opt(&q.kind), opt(&q.track), opt(&q.side), opt(&q.tag));
    let track_n: Option<u8> = track.parse().ok();
    let sides: BTreeSet<String> = map
        .actors
        .iter()
        .map(|a| a.side.clone())
        .filter(|s| !s.is_empty())
        .collect();
    let tags: BTreeSet<String> = map.actors.iter().flat_map(|a| a.tags.clone()).collect();
    let rows: Vec<ActorRow> = map
        .actors
        .iter()
        .filter(|a| kind.is_empty() || a.kind == kind)
        .filter(|a| track_n.is_none_or(|t| a.tracks.contains(&t)))
        .filter(|a| side.is_empty() || a.side == side)
        .filter(|a| tag.is_empty() || a.tags.contains(&tag))
        .map(|a| {
            let s = snap.actors.get(&a.id);
            actor_row(
                &ctx,
                a,
                s.and_then(|s| s.attitude),
                s.and_then(|s| s.influence),
            )
        })
        .collect();
    page(&ListPage {
        total: rows.len(),
        rows,
        kinds: kind_options(&ctx),
        tracks: track_options(&ctx),
        sides: sides.into_iter().collect(),
        tags: tags.into_iter().collect(),
        may_record: may_record(&scope),
        may_export: may_export(&scope),
        waves: map.waves.len(),
        as_of,
        kind,
        track,
        side,
        tag,
        ctx,
        scope,
    })
}

pub struct HistoryRow {
    pub id: i64,
    pub date: String,
    pub wave: String,
    pub attitude: String,
    pub influence: String,
    pub interests: String,
    pub values: String,
    pub positions: String,
    pub source: String,
    pub confidence: String,
    pub level: String,
    pub author: String,
    pub supersedes: String,
    pub current: bool,
    pub level_key: &'static str,
}

pub struct TieRow {
    pub other_id: i64,
    pub other: String,
    pub kind: String,
    pub sign: String,
    pub negative: bool,
    pub strength: u8,
    pub direction: String,
    pub date: String,
    pub status: String,
    pub source: String,
    pub level: String,
}

pub struct MetricRow {
    pub label: String,
    pub value: String,
}

pub struct Ranked {
    pub id: i64,
    pub name: String,
    pub score: String,
}

#[derive(Template)]
#[template(path = "features/actors/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub actor: ActorRow,
    pub as_of: String,
    pub category: String,
    pub history: Vec<HistoryRow>,
    pub ties_now: Vec<TieRow>,
    pub tie_history: Vec<TieRow>,
    pub metrics: Vec<MetricRow>,
    pub influencers: Vec<Ranked>,
    pub values: String,
    pub interests: String,
    pub positions: String,
    pub may_record: bool,
    pub may_change_level: bool,
    pub levels: Options,
}

fn wave_title(map: &ActorMap, id: Option<i64>) -> String {
    id.and_then(|w| map.waves.iter().find(|x| x.id == w))
        .map(|w| w.title.clone())
        .unwrap_or_default()
}

fn positions_text(ctx: &Ctx, p: &[(String, String)]) -> String {
    p.iter()
        .map(|(i, s)| format!("{i}: {}", ctx.t(&format!("actors-stance-{s}"))))
        .collect::<Vec<_>>()
        .join("; ")
}

fn f3(v: f64) -> String {
    format!("{v:.3}")
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    let actor = map.actor(id).ok_or(AppError::NotFound)?;
    let as_of = as_of_or_today(q.as_of.as_deref())?;
    let snap = map.as_of(&as_of);
    let state_now = snap.actors.get(&id);
    let current_obs = state_now.and_then(|s| s.observation_id);
    let mut obs: Vec<_> = map
        .observations
        .iter()
        .filter(|o| o.actor_id == id)
        .collect();
    obs.sort_by(|a, b| {
        (b.prov.observed_on.as_str(), b.id).cmp(&(a.prov.observed_on.as_str(), a.id))
    });
    let history = obs
        .iter()
        .map(|o| HistoryRow {
            id: o.id,
            date: o.prov.observed_on.clone(),
            wave: wave_title(&map, o.prov.wave_id),
            attitude: signed(o.attitude),
            influence: unsigned(o.influence),
            interests: o.interests.clone(),
            values: o.values.join(", "),
            positions: positions_text(&ctx, &o.positions),
            source: o.prov.source.clone(),
            confidence: ctx.t(&format!("actors-confidence-{}", o.prov.confidence)),
            level: level_label(&ctx, o.level),
            author: o.author.clone().unwrap_or_default(),
            supersedes: o.prov.supersedes.map(|s| s.to_string()).unwrap_or_default(),
            current: Some(o.id) == current_obs,
            level_key: o.level.as_str(),
        })
        .collect();
    let tie_row =
        |other: i64, kind: &str, sign: i8, strength: u8, directed: bool, outgoing: bool| TieRow {
            other_id: other,
            other: name_of(&map, other),
            kind: tie_label(&ctx, kind),
            sign: sign_label(&ctx, sign),
            negative: sign < 0,
            strength,
            direction: if !directed {
                ctx.t("actors-direction-mutual")
            } else if outgoing {
                ctx.t("actors-direction-out")
            } else {
                ctx.t("actors-direction-in")
            },
            date: String::new(),
            status: String::new(),
            source: String::new(),
            level: String::new(),
        };
    let ties_now = snap
        .ties
        .iter()
        .filter(|t| t.source == id || t.target == id)
        .map(|t| {
            let out = t.source == id;
            let other = if out { t.target } else { t.source };
            tie_row(other, &t.kind, t.sign, t.strength, t.directed, out)
        })
        .collect();
    let mut tobs: Vec<_> = map
        .ties
        .iter()
        .filter(|t| t.source_actor == id || t.target_actor == id)
        .collect();
    tobs.sort_by(|a, b| {
        (b.prov.observed_on.as_str(), b.id).cmp(&(a.prov.observed_on.as_str(), a.id))
    });
    let tie_history = tobs
        .iter()
        .map(|t| {
            let out = t.source_actor == id;
            let other = if out { t.target_actor } else { t.source_actor };
            let mut r = tie_row(other, &t.kind, t.sign, t.strength, t.directed, out);
            r.date = t.prov.observed_on.clone();
            r.status = if t.active {
                ctx.t("actors-tie-active")
            } else {
                ctx.t("actors-tie-ended")
            };
            r.source = t.prov.source.clone();
            r.level = level_label(&ctx, t.level);
            r
        })
        .collect();
    let an = analyse(&snap);
    let mut metrics = Vec::new();
    let mut influencers = Vec::new();
    if let Some(m) = an.metrics.get(&id) {
        metrics = vec![
            MetricRow {
                label: ctx.t("actors-metric-degree"),
                value: f3(m.degree),
            },
            MetricRow {
                label: ctx.t("actors-metric-betweenness"),
                value: f3(m.betweenness),
            },
            MetricRow {
                label: ctx.t("actors-metric-closeness"),
                value: f3(m.closeness),
            },
            MetricRow {
                label: ctx.t("actors-metric-pagerank"),
                value: f3(m.pagerank),
            },
            MetricRow {
                label: ctx.t("actors-metric-constraint"),
                value: m.constraint.map(f3).unwrap_or_else(|| "—".into()),
            },
            MetricRow {
                label: ctx.t("actors-metric-community"),
                value: (m.community + 1).to_string(),
            },
            MetricRow {
                label: ctx.t("actors-metric-broker"),
                value: if m.cut_point {
                    ctx.t("actors-yes")
                } else {
                    ctx.t("actors-no")
                },
            },
            MetricRow {
                label: ctx.t("actors-metric-connector"),
                value: if m.connector {
                    ctx.t("actors-yes")
                } else {
                    ctx.t("actors-no")
                },
            },
        ];
        influencers = an
            .influencers_of(id)
            .into_iter()
            .take(10)
            .map(|(aid, s)| Ranked {
                id: aid,
                name: name_of(&map, aid),
                score: f3(s),
            })
            .collect();
    }
    let (_, cats) = grid(&snap);
    let row = actor_row(
        &ctx,
        actor,
        state_now.and_then(|s| s.attitude),
        state_now.and_then(|s| s.influence),
    );
    let cur = current_obs.and_then(|c| map.observations.iter().find(|o| o.id == c));
    page(&ShowPage {
        category: cats.get(&id).map(|k| ctx.t(k)).unwrap_or_default(),
        values: cur.map(|o| o.values.join(", ")).unwrap_or_default(),
        interests: cur.map(|o| o.interests.clone()).unwrap_or_default(),
        positions: cur
            .map(|o| positions_text(&ctx, &o.positions))
            .unwrap_or_default(),
        actor: row,
        as_of,
        history,
        ties_now,
        tie_history,
        metrics,
        influencers,
        may_record: may_record(&scope),
        may_change_level: may_organise(&scope),
        levels: super::level_options(&ctx),
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct ChangeQuery {
    from: Option<String>,
    to: Option<String>,
}

pub struct MovedRow {
    pub id: i64,
    pub name: String,
    pub from: String,
    pub to: String,
    pub up: bool,
}

pub struct TieChangeRow {
    pub a: String,
    pub a_id: i64,
    pub b: String,
    pub b_id: i64,
    pub kind: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "features/actors/changes.html")]
pub struct ChangesPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub from: String,
    pub to: String,
    pub from_wave: String,
    pub to_wave: String,
    pub waves: Vec<(String, String)>,
    pub attitudes: Vec<MovedRow>,
    pub influence: Vec<MovedRow>,
    pub new_actors: Vec<(i64, String)>,
    /// (caption, ties): added, removed, sign changed, strength changed.
    pub tie_sections: Vec<(String, Vec<TieChangeRow>)>,
    pub empty: bool,
    pub no_waves: bool,
}

fn tie_change(ctx: &Ctx, map: &ActorMap, t: &TieState, detail: String) -> TieChangeRow {
    TieChangeRow {
        a: name_of(map, t.source),
        a_id: t.source,
        b: name_of(map, t.target),
        b_id: t.target,
        kind: tie_label(ctx, &t.kind),
        detail,
    }
}

pub async fn changes(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<ChangeQuery>,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    let valid = |d: &Option<String>| -> AppResult<Option<String>> {
        match d.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) if convene_domain::records::valid_date(s) => Ok(Some(s.to_string())),
            Some(_) => Err(AppError::BadRequest),
        }
    };
    let (from, to) = (valid(&q.from)?, valid(&q.to)?);
    let default = map
        .last_two_waves()
        .map(|(a, b)| (a.held_on.clone(), b.held_on.clone()));
    let today = convene_domain::actors::today();
    let (from, to) = match (from, to, default) {
        (Some(f), Some(t), _) => (f, t),
        (f, t, Some((df, dt))) => (f.unwrap_or(df), t.unwrap_or(dt)),
        (f, t, None) => (f.unwrap_or_else(|| today.clone()), t.unwrap_or(today)),
    };
    let before: Snapshot = map.as_of(&from);
    let after: Snapshot = map.as_of(&to);
    let ch = diff(&before, &after);
    let wave_on = |d: &str| {
        map.waves
            .iter()
            .rev()
            .find(|w| w.held_on == d)
            .map(|w| w.title.clone())
            .unwrap_or_default()
    };
    let moved = |id: i64, from: String, to: String, up: bool| MovedRow {
        id,
        name: name_of(&map, id),
        from,
        to,
        up,
    };
    page(&ChangesPage {
        from_wave: wave_on(&from),
        to_wave: wave_on(&to),
        waves: map
            .waves
            .iter()
            .map(|w| (w.held_on.clone(), format!("{} · {}", w.held_on, w.title)))
            .collect(),
        attitudes: ch
            .attitudes
            .iter()
            .map(|m| {
                moved(
                    m.actor_id,
                    signed(m.from),
                    signed(m.to),
                    m.to.unwrap_or(0) > m.from.unwrap_or(0),
                )
            })
            .collect(),
        influence: ch
            .influence
            .iter()
            .map(|m| {
                moved(
                    m.actor_id,
                    unsigned(m.from),
                    unsigned(m.to),
                    m.to.unwrap_or(0) > m.from.unwrap_or(0),
                )
            })
            .collect(),
        new_actors: ch
            .new_actors
            .iter()
            .map(|id| (*id, name_of(&map, *id)))
            .collect(),
        tie_sections: vec![
            (
                ctx.t("actors-change-ties-added"),
                ch.ties_added
                    .iter()
                    .map(|t| tie_change(&ctx, &map, t, sign_label(&ctx, t.sign)))
                    .collect(),
            ),
            (
                ctx.t("actors-change-ties-removed"),
                ch.ties_removed
                    .iter()
                    .map(|t| tie_change(&ctx, &map, t, sign_label(&ctx, t.sign)))
                    .collect(),
            ),
            (
                ctx.t("actors-change-sign"),
                ch.sign_changed
                    .iter()
                    .map(|c| {
                        let d = format!(
                            "{} → {}",
                            sign_label(&ctx, c.before.sign),
                            sign_label(&ctx, c.after.sign)
                        );
                        tie_change(&ctx, &map, &c.after, d)
                    })
                    .collect(),
            ),
            (
                ctx.t("actors-change-strength"),
                ch.strength_changed
                    .iter()
                    .map(|c| {
                        let d = format!("{} → {}", c.before.strength, c.after.strength);
                        tie_change(&ctx, &map, &c.after, d)
                    })
                    .collect(),
            ),
        ],
        empty: ch.is_empty(),
        no_waves: map.waves.len() < 2,
        from,
        to,
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct AnalysisQuery {
    as_of: Option<String>,
    target: Option<i64>,
}

pub struct MetricsRow {
    pub id: i64,
    pub name: String,
    pub side: String,
    pub attitude: String,
    pub influence: String,
    pub category: String,
    pub degree: String,
    pub betweenness: String,
    pub closeness: String,
    pub pagerank: String,
    pub constraint: String,
    pub community: usize,
    pub broker: bool,
    pub connector: bool,
}

pub struct GridRow {
    pub influence: u8,
    pub cells: Vec<Vec<(i64, String)>>,
}

#[derive(Template)]
#[template(path = "features/actors/analysis.html")]
pub struct AnalysisPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub as_of: String,
    pub rows: Vec<MetricsRow>,
    pub grid: Vec<GridRow>,
    pub connectors: Vec<(i64, String, String)>,
    pub brokers: Vec<(i64, String)>,
    /// (a, name, b, name, Jaccard, shared) across negative ties.
    pub common: Vec<(i64, String, i64, String, String, String)>,
    pub triangles: u64,
    pub balanced: u64,
    pub unbalanced: u64,
    pub ratio: String,
    pub actors: Vec<(i64, String)>,
    pub target: i64,
    pub target_name: String,
    pub influencers: Vec<Ranked>,
}

pub async fn analysis(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<AnalysisQuery>,
) -> AppResult<Response> {
    let map = state.db.actor_map(&scope).await?;
    let as_of = as_of_or_today(q.as_of.as_deref())?;
    let snap = map.as_of(&as_of);
    let an = analyse(&snap);
    let (cells, cats) = grid(&snap);
    let mut rows: Vec<MetricsRow> = an
        .metrics
        .iter()
        .filter_map(|(id, m)| {
            let a = map.actor(*id)?;
            let s = snap.actors.get(id);
            Some(MetricsRow {
                id: *id,
                name: a.name.clone(),
                side: a.side.clone(),
                attitude: signed(s.and_then(|s| s.attitude)),
                influence: unsigned(s.and_then(|s| s.influence)),
                category: cats.get(id).map(|k| ctx.t(k)).unwrap_or_default(),
                degree: f3(m.degree),
                betweenness: f3(m.betweenness),
                closeness: f3(m.closeness),
                pagerank: f3(m.pagerank),
                constraint: m.constraint.map(f3).unwrap_or_else(|| "—".into()),
                community: m.community + 1,
                broker: m.cut_point,
                connector: m.connector,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.betweenness.cmp(&a.betweenness).then(a.name.cmp(&b.name)));
    let grid_rows = cells
        .into_iter()
        .enumerate()
        .map(|(i, row)| GridRow {
            influence: 5 - u8::try_from(i).unwrap_or(0),
            cells: row
                .into_iter()
                .map(|ids| ids.into_iter().map(|id| (id, name_of(&map, id))).collect())
                .collect(),
        })
        .collect();
    let target = q
        .target
        .filter(|t| snap.actors.contains_key(t))
        .or_else(|| {
            // By default: the actor most at risk of spoiling, if any.
            cats.iter()
                .find(|(_, k)| {
                    **k == category_key(convene_analysis::network::GridCategory::SpoilerRisk)
                })
                .map(|(id, _)| *id)
        })
        .unwrap_or(0);
    let influencers = an
        .influencers_of(target)
        .into_iter()
        .take(10)
        .map(|(id, s)| Ranked {
            id,
            name: name_of(&map, id),
            score: f3(s),
        })
        .collect();
    let common = common_ground(&an, &snap)
        .into_iter()
        .take(30)
        .map(|(a, b, j, shared)| {
            (
                a,
                name_of(&map, a),
                b,
                name_of(&map, b),
                f3(j),
                shared.join(", "),
            )
        })
        .collect();
    page(&AnalysisPage {
        common,
        connectors: an
            .connectors
            .iter()
            .map(|(id, cs)| {
                (
                    *id,
                    name_of(&map, *id),
                    cs.iter()
                        .map(|c| (c + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
            .collect(),
        brokers: rows
            .iter()
            .filter(|r| r.broker)
            .map(|r| (r.id, r.name.clone()))
            .collect(),
        triangles: an.balance.triangles,
        balanced: an.balance.balanced,
        unbalanced: an.balance.unbalanced,
        ratio: an.balance.ratio.map(f3).unwrap_or_else(|| "—".into()),
        actors: snap
            .actors
            .keys()
            .map(|id| (*id, name_of(&map, *id)))
            .collect(),
        target_name: name_of(&map, target),
        target,
        influencers,
        rows,
        grid: grid_rows,
        as_of,
        ctx,
        scope,
    })
}
