//! Pledges' pages: the pledge (counts only, small ones suppressed), signing by web
//! (confirmed by e-mail) with the SMS keyword beside it, the confirmation page,
//! the organisers' form, and the public exits of the counts: a CSV, the API, and
//! an SVG counter other sites may show.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use convene_analysis::survey::Published;
use convene_domain::access::policy::may_organise;
use convene_domain::activities::unix_to_local;
use convene_domain::campaign::pledges::{
    Confirmed, NewPledge, Pledge, PledgeCounts, Status, WebSignature,
};
use convene_domain::model::Level;
use convene_domain::places::Place;
use convene_domain::spaces::Scope;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/campaign/pledges/new", get(new_form).post(create))
        .route("/s/{slug}/campaign/pledges/{id}", get(show))
        .route("/s/{slug}/campaign/pledges/{id}/sign", post(sign))
        .route(
            "/s/{slug}/campaign/pledges/{id}/confirm",
            get(confirm_form).post(confirm),
        )
        .route("/s/{slug}/campaign/pledges/{id}/counter.svg", get(counter))
        .route(
            "/s/{slug}/campaign/pledges/{id}/counts.csv",
            get(counts_csv),
        )
        .route("/api/v1/s/{slug}/campaign/pledges/{id}", get(api))
}

/// The status's label.
pub fn status_label(ctx: &Ctx, p: &Pledge) -> String {
    match (p.status, p.accepting) {
        (Status::Tipped, _) => ctx.t("pledge-status-tipped"),
        (Status::Failed, _) => ctx.t("pledge-status-failed"),
        (Status::Open, true) => ctx.t("pledge-status-open"),
        (Status::Open, false) => ctx.t("pledge-status-ended"),
    }
}

fn deadline_text(scope: &Scope, p: &Pledge) -> String {
    unix_to_local(p.deadline, &scope.space().time_zone).replace('T', " ")
}

/// A district's row of the counts table.
pub struct DistrictRow {
    pub name: String,
    pub count: String,
    pub hidden: bool,
}

fn district_rows(ctx: &Ctx, c: &PledgeCounts) -> Vec<DistrictRow> {
    c.districts
        .iter()
        .map(|(place, n)| DistrictRow {
            name: place.as_ref().map_or_else(
                || ctx.t("pledge-no-district"),
                |p: &Place| p.name_in(ctx.lang.code()).to_string(),
            ),
            count: n.text(c.threshold),
            hidden: n.is_hidden(),
        })
        .collect()
}

/// One district on the support map: its outline, its class (`s0` none, `s1`–`s4`
/// more signers, `sh` hidden) and what its tooltip says (the table's text).
pub struct SupportPath {
    pub d: String,
    pub class: &'static str,
    pub label: String,
}

/// The support map, drawn on the server over the gazetteer's districts: exactly
/// what the table shows (hidden cells hatched, never shaded by their count).
pub struct SupportMap {
    pub width: String,
    pub height: String,
    pub paths: Vec<SupportPath>,
    /// (class, label) of each legend entry.
    pub legend: Vec<(&'static str, String)>,
}

const SUPPORT_WIDTH: f64 = 600.0;

/// The support map of `counts`, when the space's districts have boundaries.
pub async fn support_map(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    counts: &PledgeCounts,
) -> AppResult<Option<SupportMap>> {
    use convene_analysis::geo::{bbox, Projection};
    use convene_analysis::survey::Published;
    let districts: Vec<Place> = state
        .db
        .all_places(scope)
        .await?
        .into_iter()
        .filter(|p| p.level == 2)
        .collect();
    let ids: Vec<i64> = districts.iter().map(|p| p.id).collect();
    let shapes = state.db.place_shapes(scope, &ids).await?;
    let refs: Vec<_> = shapes.iter().map(|(_, s)| s).collect();
    let Some(b) = bbox(&refs) else {
        return Ok(None);
    };
    let proj = Projection::fit(b, SUPPORT_WIDTH);
    let of = |id: i64| {
        counts
            .districts
            .iter()
            .find(|(p, _)| p.as_ref().is_some_and(|p| p.id == id))
            .map(|(_, n)| n)
    };
    let max = counts
        .districts
        .iter()
        .filter_map(|(_, n)| match n {
            Published::Shown(v) => Some(*v),
            Published::Hidden(_) => None,
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let bin = |v: u64| -> &'static str {
        match (v * 4).div_ceil(max) {
            0 | 1 => "s1",
            2 => "s2",
            3 => "s3",
            _ => "s4",
        }
    };
    let paths = shapes
        .iter()
        .filter_map(|(id, shape)| {
            let p = districts.iter().find(|p| p.id == *id)?;
            let name = p.name_in(ctx.lang.code());
            let (class, count) = match of(*id) {
                None => ("s0", "0".to_string()),
                Some(Published::Hidden(_)) => ("sh", ctx.t("pledge-map-hidden")),
                Some(Published::Shown(v)) => (bin(*v), v.to_string()),
            };
            Some(SupportPath {
                d: proj.path(shape),
                class,
                label: format!("{name}: {count}"),
            })
        })
        .collect();
    // Band k holds the counts v with (k-1)·max/4 < v ≤ k·max/4, as `bin` shades them.
    let step = |k: u64| max * k / 4;
    let mut legend = vec![("s0", ctx.t("pledge-map-none"))];
    for (k, class) in [(1, "s1"), (2, "s2"), (3, "s3"), (4, "s4")] {
        let (low, high) = (step(k - 1) + 1, step(k));
        if low <= high {
            legend.push((class, format!("{low}–{high}")));
        }
    }
    legend.push(("sh", ctx.t("pledge-map-hidden")));
    Ok(Some(SupportMap {
        width: format!("{}", proj.width.round()),
        height: format!("{}", proj.height.round()),
        paths,
        legend,
    }))
}

#[derive(Template)]
#[template(path = "features/campaign/pledge.html")]
pub struct PledgePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub pledge: Pledge,
    pub status: String,
    pub deadline: String,
    pub total: String,
    /// Percent of the target, when the total is shown.
    pub percent: Option<u64>,
    pub districts: Vec<DistrictRow>,
    pub map: Option<SupportMap>,
    pub threshold: u64,
    /// Districts a signer may choose.
    pub choices: Vec<(i64, String)>,
    pub numbers: Vec<String>,
    /// Whether signing by web works here (e-mail and the public address set up).
    pub web_signing: bool,
    pub url: Option<String>,
    pub shares: Vec<(String, String)>,
    pub level: String,
    pub organiser: bool,
    pub errors: FormErrors,
    pub form: SignForm,
    /// The signature was taken: the confirmation e-mail is on its way.
    pub sent: bool,
}

#[allow(clippy::too_many_arguments)]
async fn pledge_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    form: SignForm,
    errors: FormErrors,
    sent: bool,
) -> AppResult<PledgePage> {
    let pledge = state.db.pledge(&scope, id).await?;
    let counts = state.db.pledge_counts(&scope, id).await?;
    let choices = state
        .db
        .all_places(&scope)
        .await?
        .into_iter()
        .filter(|p| p.level == 2)
        .map(|p| (p.id, p.name_in(ctx.lang.code()).to_string()))
        .collect();
    let slug = &scope.space().slug;
    let url = state
        .cfg
        .public_url
        .as_deref()
        .map(|b| format!("{}/s/{slug}/campaign/pledges/{id}", b.trim_end_matches('/')));
    let shareable = pledge.level == Level::Public && scope.space().is_public;
    let shares = match (&url, shareable) {
        (Some(u), true) => super::share_links(u, &pledge.title)
            .into_iter()
            .map(|(name, href)| {
                let name = if href.starts_with("mailto:") {
                    ctx.t("campaign-share-email")
                } else {
                    name.to_string()
                };
                (name, href)
            })
            .collect(),
        _ => vec![],
    };
    Ok(PledgePage {
        status: status_label(&ctx, &pledge),
        deadline: deadline_text(&scope, &pledge),
        total: counts.total_text(),
        percent: counts
            .shown_total()
            .map(|n| (n.saturating_mul(100) / pledge.target.max(1) as u64).min(100)),
        districts: district_rows(&ctx, &counts),
        map: support_map(state, &ctx, &scope, &counts).await?,
        threshold: counts.threshold,
        choices,
        numbers: state.db.sms_numbers(&scope).await?,
        web_signing: state.cfg.mail_enabled && state.cfg.public_url.is_some(),
        url,
        shares,
        level: level_label(&ctx, pledge.level),
        organiser: may_organise(&scope),
        pledge,
        errors,
        form,
        sent,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    page(
        &pledge_page(
            &state,
            ctx,
            scope,
            id,
            SignForm::default(),
            FormErrors::default(),
            false,
        )
        .await?,
    )
}

#[derive(Deserialize, Default, Clone)]
pub struct SignForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub district: i64,
}

pub async fn sign(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<SignForm>,
) -> AppResult<Response> {
    let Some(base) = state
        .cfg
        .public_url
        .as_deref()
        .filter(|_| state.cfg.mail_enabled)
    else {
        return Err(AppError::NotFound);
    };
    let signed = state
        .db
        .sign_pledge(
            &scope,
            id,
            &WebSignature {
                email: f.email.clone(),
                district: (f.district > 0).then_some(f.district),
                lang: ctx.lang.code().to_string(),
                confirm_url: format!(
                    "{}/s/{slug}/campaign/pledges/{id}/confirm",
                    base.trim_end_matches('/')
                ),
            },
        )
        .await;
    match signed {
        Ok(()) => page(
            &pledge_page(
                &state,
                ctx,
                scope,
                id,
                SignForm::default(),
                FormErrors::default(),
                true,
            )
            .await?,
        ),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &pledge_page(&state, ctx, scope, id, f, errors, false).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    pub t: String,
}

#[derive(Template)]
#[template(path = "features/campaign/pledge_confirm.html")]
pub struct ConfirmPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub id: i64,
    pub title: String,
    pub token: String,
    /// The outcome's message, once the form was sent.
    pub outcome: Option<String>,
}

/// `GET …/confirm?t=`: a page with one button, so that a mail scanner following
/// the link confirms nothing.
pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    let title = state.db.pledge(&scope, id).await?.title;
    page(&ConfirmPage {
        ctx,
        scope,
        id,
        title,
        token: q.t,
        outcome: None,
    })
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Form(q): Form<TokenQuery>,
) -> AppResult<Response> {
    let title = state.db.pledge(&scope, id).await?.title;
    let done = state.db.confirm_pledge(&q.t).await?;
    let (status, key) = match done {
        Confirmed::Counted { pledge, tipped } if pledge == id => (
            StatusCode::OK,
            if tipped {
                "pledge-confirmed-tipped"
            } else {
                "pledge-confirmed"
            },
        ),
        Confirmed::AlreadyUsed { pledge } if pledge == id => {
            (StatusCode::GONE, "pledge-confirm-used")
        }
        Confirmed::Closed { pledge } if pledge == id => (StatusCode::GONE, "pledge-confirm-closed"),
        Confirmed::Expired => (StatusCode::GONE, "pledge-confirm-expired"),
        _ => (StatusCode::NOT_FOUND, "pledge-confirm-unknown"),
    };
    page_with(
        status,
        &ConfirmPage {
            outcome: Some(ctx.t(key)),
            ctx,
            scope,
            id,
            title,
            token: String::new(),
        },
    )
}

#[derive(Deserialize, Default, Clone)]
pub struct PledgeForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub keyword: String,
    #[serde(default)]
    pub level: String,
}

#[derive(Template)]
#[template(path = "features/campaign/pledge_new.html")]
pub struct NewPledgePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub form: PledgeForm,
    pub errors: FormErrors,
    pub levels: Vec<(&'static str, String)>,
}

fn new_page(
    ctx: Ctx,
    scope: Scope,
    form: PledgeForm,
    errors: FormErrors,
) -> AppResult<NewPledgePage> {
    if !may_organise(&scope) {
        return Err(AppError::NotFound);
    }
    let levels = [Level::Public, Level::Members, Level::Organisers]
        .into_iter()
        .map(|l| (l.as_str(), level_label(&ctx, l)))
        .collect();
    Ok(NewPledgePage {
        ctx,
        scope,
        form,
        errors,
        levels,
    })
}

pub async fn new_form(ctx: Ctx, SpaceScope(scope): SpaceScope) -> AppResult<Response> {
    let form = PledgeForm {
        level: "public".into(),
        ..PledgeForm::default()
    };
    page(&new_page(ctx, scope, form, FormErrors::default())?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<PledgeForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    let new = NewPledge {
        title: f.title.clone(),
        body: f.body.clone(),
        // Not a number: refused as out of range, with the other fields.
        target: f.target.trim().parse().unwrap_or(0),
        deadline: f.deadline.clone(),
        keyword: f.keyword.clone(),
        level: Some(level),
    };
    match state.db.create_pledge(&scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/campaign/pledges/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(StatusCode::BAD_REQUEST, &new_page(ctx, scope, f, errors)?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Escapes text for XML.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET …/counter.svg`: the public's count of a public pledge, as an image other
/// sites may show (the one response with a cross-origin resource policy that
/// lets them). The count is suppressed as on every other exit.
pub async fn counter(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let scope = state.db.scope(None, &slug).await?;
    let p = state.db.pledge(&scope, id).await?;
    let c = state.db.pledge_counts(&scope, id).await?;
    let title: String = p.title.chars().take(48).collect();
    let line = ctx.t1("pledge-counter", "target", p.target);
    let count = c.total_text();
    let bar = c.shown_total().map_or(0, |n| {
        (n.saturating_mul(300) / p.target.max(1) as u64).min(300)
    });
    let dir = ctx.dir();
    let anchor = if dir == "rtl" { "end" } else { "start" };
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="84" viewBox="0 0 320 84" role="img" aria-label="{label}" direction="{dir}">
<title>{label}</title>
<rect width="320" height="84" rx="6" fill="#ffffff" stroke="#555555"/>
<text x="{x}" y="24" font-family="sans-serif" font-size="13" fill="#222222" text-anchor="{anchor}">{title}</text>
<text x="{x}" y="52" font-family="sans-serif" font-size="20" font-weight="bold" fill="#0b5d1e" text-anchor="{anchor}">{count}</text>
<text x="{x2}" y="52" font-family="sans-serif" font-size="12" fill="#222222" text-anchor="{anchor}">{line}</text>
<rect x="10" y="64" width="300" height="10" fill="#dddddd"/>
<rect x="{barx}" y="64" width="{bar}" height="10" fill="#0b5d1e"/>
</svg>"##,
        label = xml(&format!("{title}: {count} {line}")),
        title = xml(&title),
        count = xml(&count),
        line = xml(&line),
        x = if dir == "rtl" { 310 } else { 10 },
        x2 = if dir == "rtl" { 230 } else { 90 },
        barx = if dir == "rtl" { 310 - bar } else { 10 },
    );
    let mut res = (
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response();
    res.headers_mut().insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    Ok(res)
}

/// `GET …/counts.csv`: the counts by district as the viewer may see the pledge,
/// suppressed ("<10").
pub async fn counts_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let c = state.db.pledge_counts(&scope, id).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let row = |w: &mut csv::Writer<Vec<u8>>, cells: [&str; 3]| {
        w.write_record(cells)
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    row(&mut w, ["district_code", "district", "signers"])?;
    for (place, n) in &c.districts {
        let (code, name) = match place {
            Some(p) => (p.code.clone(), p.name_in(ctx.lang.code()).to_string()),
            None => (String::new(), ctx.t("pledge-no-district")),
        };
        row(&mut w, [&code, &name, &n.text(c.threshold)])?;
    }
    row(&mut w, ["", "total", &c.total_text()])?;
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"pledge-counts.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// A count as the API gives it: the number, or `null` with `hidden` set.
#[derive(Serialize)]
pub struct ApiCount {
    pub value: Option<u64>,
    pub hidden: bool,
}

pub fn api_count(n: &Published) -> ApiCount {
    match n {
        Published::Shown(v) => ApiCount {
            value: Some(*v),
            hidden: false,
        },
        Published::Hidden(_) => ApiCount {
            value: None,
            hidden: true,
        },
    }
}

#[derive(Serialize)]
pub struct ApiDistrict {
    pub code: Option<String>,
    pub name: Option<String>,
    pub signers: ApiCount,
}

#[derive(Serialize)]
pub struct ApiPledge {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub target: i64,
    pub deadline: i64,
    pub status: Status,
    pub accepting: bool,
    pub keyword: Option<String>,
    pub threshold: u64,
    pub signers: ApiCount,
    pub districts: Vec<ApiDistrict>,
}

/// `GET /api/v1/s/{slug}/campaign/pledges/{id}`: the pledge and its suppressed
/// counts, for whoever may see it.
pub async fn api(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Json<ApiPledge>> {
    let p = state.db.pledge(&scope, id).await?;
    let c = state.db.pledge_counts(&scope, id).await?;
    Ok(Json(ApiPledge {
        id: p.id,
        title: p.title,
        body: p.body,
        target: p.target,
        deadline: p.deadline,
        status: p.status,
        accepting: p.accepting,
        keyword: p.keyword,
        threshold: c.threshold,
        signers: api_count(&c.total),
        districts: c
            .districts
            .iter()
            .map(|(place, n)| ApiDistrict {
                code: place.as_ref().map(|p| p.code.clone()),
                name: place.as_ref().map(|p| p.name.clone()),
                signers: api_count(n),
            })
            .collect(),
    }))
}
