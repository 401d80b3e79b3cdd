//! Local activities the public finds and joins: the upcoming activities by region
//! and district (and by date), an activity's page with its join and leave forms,
//! planning an activity at a place of the gazetteer, the organisers' tools
//! (joiners, attendance, cancellation) and the calendar feeds.

pub mod threew;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::may_organise;
use convene_domain::activities::{
    self, ics, unix_to_local, Activity, JoinOutcome, Joiner, LeaveOutcome, NewActivity, Status,
};
use convene_domain::model::Level;
use convene_domain::places::Place;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/activities/upcoming", get(upcoming))
        .route("/s/{slug}/activities/3w", get(threew::page_3w))
        .route("/s/{slug}/activities/3w/cell", get(threew::cell))
        .route("/s/{slug}/activities/3w.csv", get(threew::export))
        .route("/s/{slug}/activities/3w/import", post(threew::import))
        .route("/s/{slug}/activities.ics", get(feed))
        .route("/s/{slug}/activities/plan", get(plan_form).post(plan))
        .route("/s/{slug}/activities/{id}/join", get(show).post(join))
        .route("/s/{slug}/activities/{id}/leave", post(leave))
        .route("/s/{slug}/activities/{id}/calendar.ics", get(one_ics))
        .route("/s/{slug}/activities/{id}/cancel", post(cancel))
        .route("/s/{slug}/activities/{id}/attendance", post(attendance))
        .route(
            "/s/{slug}/calendar",
            get(calendar_page).post(renew_calendar),
        )
}

/// An activity as a list shows it.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    pub level: String,
    pub public: bool,
    pub status: String,
    pub cancelled: bool,
}

/// A district (or region) to choose, grouped under its region.
pub struct PlaceGroup {
    pub region: (String, String),
    pub districts: Vec<(String, String)>,
}

fn when(a: &Activity, tz: &str) -> String {
    let s = unix_to_local(a.starts_at, tz).replace('T', " ");
    let e = unix_to_local(a.ends_at, tz);
    match (s.get(..10), e.get(..10)) {
        (Some(d1), Some(d2)) if d1 == d2 => format!("{s}–{}", e.get(11..).unwrap_or("")),
        _ => format!("{s} – {}", e.replace('T', " ")),
    }
}

fn status_of(ctx: &Ctx, a: &Activity) -> String {
    if a.status == Status::Cancelled {
        return ctx.t("activity-cancelled");
    }
    match a.places_left() {
        Some(0) => ctx.t1("activity-full", "waiting", a.waiting),
        Some(n) => ctx.t1("activity-places-left", "count", n),
        None => String::new(),
    }
}

pub fn row(ctx: &Ctx, tz: &str, a: &Activity) -> Row {
    Row {
        id: a.id,
        title: a.title.clone(),
        when: when(a, tz),
        place: a.place_name.clone().unwrap_or_default(),
        level: level_label(ctx, a.level),
        public: a.level == Level::Public,
        status: status_of(ctx, a),
        cancelled: a.status == Status::Cancelled,
    }
}

/// The regions with their districts, for the place selects.
fn groups(ctx: &Ctx, places: &[Place]) -> Vec<PlaceGroup> {
    let lang = ctx.lang.code();
    places
        .iter()
        .filter(|p| p.parent_id.is_none())
        .map(|r| PlaceGroup {
            region: (r.code.clone(), r.name_in(lang).to_string()),
            districts: places
                .iter()
                .filter(|d| d.parent_id == Some(r.id))
                .map(|d| (d.code.clone(), d.name_in(lang).to_string()))
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "features/activities/upcoming.html")]
pub struct UpcomingPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub groups: Vec<PlaceGroup>,
    pub district: String,
    pub place_name: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<Row>,
    pub may_plan: bool,
    pub member: bool,
}

#[derive(Deserialize, Default)]
pub struct UpcomingQuery {
    #[serde(default)]
    district: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The Unix time of local midnight starting `date` (`YYYY-MM-DD`) in `tz`.
fn day_start(date: &str, tz: &str) -> Option<i64> {
    activities::local_to_unix(&format!("{}T00:00", date.trim()), tz)
}

pub async fn upcoming(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<UpcomingQuery>,
) -> AppResult<Response> {
    let tz = scope.space().time_zone.clone();
    let places = state.db.all_places(&scope).await?;
    let place = places.iter().find(|p| p.code == q.district.trim());
    let from = day_start(&q.from, &tz).unwrap_or_else(convene_domain::util::now);
    let until = day_start(&q.to, &tz).map(|t| t + 86_400);
    let list = state
        .db
        .upcoming_activities(
            &scope,
            place.map(|p| p.id),
            from,
            until,
            200,
            ctx.lang.code(),
        )
        .await?;
    page(&UpcomingPage {
        groups: groups(&ctx, &places),
        district: place.map(|p| p.code.clone()).unwrap_or_default(),
        place_name: place
            .map(|p| p.name_in(ctx.lang.code()).to_string())
            .unwrap_or_default(),
        from: q.from.trim().chars().take(10).collect(),
        to: q.to.trim().chars().take(10).collect(),
        rows: list.iter().map(|a| row(&ctx, &tz, a)).collect(),
        may_plan: activities::may_create(&scope),
        member: scope.role().is_some(),
        ctx,
        scope,
    })
}

#[derive(Template)]
#[template(path = "features/activities/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub a: Activity,
    pub row: Row,
    pub venue: String,
    pub manage: bool,
    pub joiners: Vec<(String, String, String)>,
    pub errors: FormErrors,
    pub form: JoinForm,
    pub notice: String,
    pub region: String,
    pub track: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct JoinForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub count_only: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    done: String,
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    errors: FormErrors,
    form: JoinForm,
    notice: String,
) -> AppResult<ShowPage> {
    let a = state.db.activity(&scope, id, ctx.lang.code()).await?;
    let tz = scope.space().time_zone.clone();
    let manage =
        may_organise(&scope) || (a.author_id.is_some() && a.author_id == scope.viewer_id());
    let joiners = if manage {
        state.db.activity_joiners(&scope, id).await?
    } else {
        vec![]
    };
    let venue = match (&a.venue, a.online, a.venue_sensitive) {
        (_, true, _) => ctx.t("activity-online"),
        (Some(v), false, _) => v.clone(),
        (None, false, true) => ctx.t("activity-venue-sensitive"),
        (None, false, false) => String::new(),
    };
    let region = match a.place_code.as_deref() {
        Some(code) => {
            let p = state.db.place(&scope, code).await?;
            state
                .db
                .place_ancestors(&scope, &p)
                .await?
                .first()
                .map(|r| r.name_in(ctx.lang.code()).to_string())
                .unwrap_or_default()
        }
        None => String::new(),
    };
    let track = a
        .track
        .map(|t| ctx.t(&format!("track-{t}")))
        .unwrap_or_default();
    Ok(ShowPage {
        row: row(&ctx, &tz, &a),
        venue,
        manage,
        joiners,
        errors,
        form,
        notice,
        region,
        track,
        a,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let notice = match q.done.as_str() {
        "confirmed" | "waiting" | "already" | "left" | "not-joined" | "cancelled"
        | "attendance" => ctx.t(&format!("activity-done-{}", q.done)),
        _ => String::new(),
    };
    page(
        &show_page(
            &state,
            ctx,
            scope,
            id,
            FormErrors::default(),
            JoinForm::default(),
            notice,
        )
        .await?,
    )
}

pub async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<JoinForm>,
) -> AppResult<Response> {
    let who = if f.count_only.is_some() {
        Joiner::Anonymous
    } else {
        Joiner::Contact {
            name: f.name.clone(),
            phone: Some(f.phone.clone()),
            email: Some(f.email.clone()),
        }
    };
    let done = match state.db.join_activity(&scope, id, &who).await {
        Ok(JoinOutcome::Confirmed) => "confirmed",
        Ok(JoinOutcome::Waiting(_)) => "waiting",
        Ok(JoinOutcome::Already) => "already",
        Ok(JoinOutcome::Cancelled | JoinOutcome::Over) => "cancelled",
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let p = show_page(&state, ctx, scope, id, errors, f, String::new()).await?;
            return page_with(StatusCode::BAD_REQUEST, &p);
        }
        Err(e) => return Err(e.into()),
    };
    Ok(redirect(&format!(
        "/s/{slug}/activities/{id}/join?done={done}#status"
    )))
}

#[derive(Deserialize, Default)]
pub struct LeaveForm {
    #[serde(default)]
    contact: String,
}

pub async fn leave(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<LeaveForm>,
) -> AppResult<Response> {
    let c = f.contact.trim();
    let (phone, email) = if c.contains('@') {
        (None, Some(c))
    } else {
        (Some(c), None)
    };
    let done = match state.db.leave_activity(&scope, id, phone, email).await? {
        LeaveOutcome::Left => "left",
        LeaveOutcome::NotJoined => "not-joined",
    };
    Ok(redirect(&format!(
        "/s/{slug}/activities/{id}/join?done={done}#status"
    )))
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let a = state.db.activity(&scope, id, "en").await?;
    let channel = if may_organise(&scope) {
        state.db.sms_channels(&scope).await?.into_iter().next()
    } else {
        None
    };
    let title: String = a.title.chars().take(60).collect();
    let message = convene_domain::i18n::catalog().get(
        ctx.lang,
        "activity-sms-cancel-notice",
        &[("title", title)],
    );
    state
        .db
        .cancel_activity(&scope, id, channel.as_ref(), &message)
        .await?;
    Ok(redirect(&format!(
        "/s/{slug}/activities/{id}/join?done=cancelled#status"
    )))
}

#[derive(Deserialize, Default)]
pub struct AttendanceForm {
    #[serde(default)]
    attended: String,
}

pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<AttendanceForm>,
) -> AppResult<Response> {
    let Ok(n) = f.attended.trim().parse::<i64>() else {
        let errors = FormErrors::one(&ctx, "attended", "activity-error-capacity");
        let p = show_page(
            &state,
            ctx,
            scope,
            id,
            errors,
            JoinForm::default(),
            String::new(),
        )
        .await?;
        return page_with(StatusCode::BAD_REQUEST, &p);
    };
    state.db.record_attendance(&scope, id, n).await?;
    Ok(redirect(&format!(
        "/s/{slug}/activities/{id}/join?done=attendance#status"
    )))
}

#[derive(Template)]
#[template(path = "features/activities/plan.html")]
pub struct PlanPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub groups: Vec<PlaceGroup>,
    pub levels: Vec<(String, String)>,
    pub tracks: Vec<(String, String)>,
    /// The organisations the viewer may name as organiser: (id, name).
    pub orgs: Vec<(String, String)>,
    pub form: PlanForm,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default, Clone)]
pub struct PlanForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub online: Option<String>,
    #[serde(default)]
    pub sensitive: Option<String>,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub track: String,
    #[serde(default)]
    pub org: String,
}

async fn plan_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    form: PlanForm,
    errors: FormErrors,
) -> AppResult<PlanPage> {
    let places = state.db.all_places(&scope).await?;
    Ok(PlanPage {
        groups: groups(&ctx, &places),
        levels: [Level::Public, Level::Members, Level::Organisers]
            .into_iter()
            .map(|l| (l.as_str().to_string(), level_label(&ctx, l)))
            .collect(),
        tracks: (1..=9)
            .map(|t| (t.to_string(), ctx.t(&format!("track-{t}"))))
            .collect(),
        orgs: state
            .db
            .organisations(&scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id.to_string(), o.name))
            .collect(),
        form,
        errors,
        ctx,
        scope,
    })
}

pub async fn plan_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    if !activities::may_create(&scope) {
        return Err(if ctx.user.is_none() {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    }
    let form = PlanForm {
        level: "public".into(),
        ..PlanForm::default()
    };
    page(&plan_page(&state, ctx, scope, form, FormErrors::default()).await?)
}

pub async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<PlanForm>,
) -> AppResult<Response> {
    if !activities::may_create(&scope) {
        return Err(AppError::Forbidden);
    }
    let mut bad = Vec::new();
    let level = Level::parse(&f.level).filter(|l| *l != Level::Named);
    if level.is_none() {
        bad.push(convene_domain::error::Invalid {
            field: "level",
            key: "error-invalid",
        });
    }
    let capacity = match f.capacity.trim() {
        "" => None,
        c => match c.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                bad.push(convene_domain::error::Invalid {
                    field: "capacity",
                    key: "activity-error-capacity",
                });
                None
            }
        },
    };
    let track = f.track.trim().parse::<i64>().ok();
    let new = NewActivity {
        title: f.title.clone(),
        body: f.body.clone(),
        level: level.unwrap_or(Level::Public),
        named: vec![],
        place_code: f.place.clone(),
        starts: f.starts.replace(' ', "T"),
        ends: f.ends.replace(' ', "T"),
        venue: f.venue.clone(),
        online: f.online.is_some(),
        venue_sensitive: f.sensitive.is_some(),
        capacity,
        track,
        org: f.org.trim().parse::<i64>().ok().filter(|o| *o > 0),
        org_name: String::new(),
    };
    let result = if bad.is_empty() {
        state.db.create_activity(&scope, &new).await
    } else {
        Err(convene_domain::Error::Invalid(bad))
    };
    match result {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/activities/{id}/join"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &plan_page(&state, ctx, scope, f, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize, Default)]
pub struct FeedQuery {
    #[serde(default)]
    district: String,
    #[serde(default)]
    token: String,
}

/// The space's calendar feed, or a district's: public activities; with a member's
/// token, what that member may read.
pub async fn feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<FeedQuery>,
) -> AppResult<Response> {
    let scope = if q.token.is_empty() {
        state.db.scope(None, &slug).await?
    } else {
        state.db.scope_by_calendar_token(&slug, &q.token).await?
    };
    let place = match q.district.trim() {
        "" => None,
        code => Some(state.db.place(&scope, code).await?),
    };
    // A feed reaches back a month, so that a subscriber sees what just happened.
    let from = convene_domain::util::now() - 30 * 86_400;
    let list = state
        .db
        .upcoming_activities(&scope, place.as_ref().map(|p| p.id), from, None, 1000, "en")
        .await?;
    let name = match &place {
        Some(p) => format!("{} · {}", scope.space().name, p.name),
        None => scope.space().name.clone(),
    };
    let base = state.cfg.public_url.clone().unwrap_or_default();
    let body = ics::calendar(&name, &scope.space().time_zone, &base, &slug, &list);
    Ok(ics_response(body, &format!("{slug}-activities.ics")))
}

pub async fn one_ics(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let a = state.db.activity(&scope, id, "en").await?;
    let base = state.cfg.public_url.clone().unwrap_or_default();
    let body = ics::calendar(
        &scope.space().name,
        &scope.space().time_zone,
        &base,
        &slug,
        &[a],
    );
    Ok(ics_response(body, &format!("activity-{id}.ics")))
}

#[derive(Template)]
#[template(path = "features/activities/calendar.html")]
pub struct CalendarPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub private_feed: String,
    pub public_feed: String,
}

fn feed_base(state: &AppState, slug: &str) -> String {
    format!(
        "{}/s/{slug}/activities.ics",
        state
            .cfg
            .public_url
            .clone()
            .unwrap_or_default()
            .trim_end_matches('/')
    )
}

/// The calendar feeds: the public one, and for members their private one.
pub async fn calendar_page(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let slug = scope.space().slug.clone();
    let private_feed = if scope.role().is_some() {
        let token = state.db.calendar_token(&scope).await?;
        format!("{}?token={token}", feed_base(&state, &slug))
    } else {
        String::new()
    };
    page(&CalendarPage {
        public_feed: feed_base(&state, &slug),
        private_feed,
        ctx,
        scope,
    })
}

/// Replaces the member's private feed address (the old one stops working).
pub async fn renew_calendar(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    if scope.role().is_none() {
        return Err(AppError::Forbidden);
    }
    state.db.renew_calendar_token(&scope).await?;
    Ok(redirect(&format!("/s/{}/calendar", scope.space().slug)))
}
