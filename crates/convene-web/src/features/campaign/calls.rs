//! Calls to action: the call (counts by district, suppressed; sign-up by web and
//! SMS; the published reports with their photos and a link to flag abuse), the
//! confirmation page, the personal report form (text and a photo), the organisers'
//! form, the moderation queue (reports to publish, flags, messages held as
//! copies), and the counts' CSV and API.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use convene_domain::access::policy::{may_moderate, may_organise};
use convene_domain::campaign::calls::{
    Call, NewCall, NewReport, Report, SignupConfirmed, WebSignup,
};
use convene_domain::model::Level;
use convene_domain::places::Place;
use convene_domain::spaces::Scope;
use serde::{Deserialize, Serialize};

use super::pledges::{api_count, ApiCount};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::records::level_label;
use crate::{page, page_with, redirect, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/campaign/calls/new", get(new_form).post(create))
        .route("/s/{slug}/campaign/calls/{id}", get(show))
        .route("/s/{slug}/campaign/calls/{id}/signup", post(signup))
        .route(
            "/s/{slug}/campaign/calls/{id}/confirm",
            get(confirm_form).post(confirm),
        )
        .route(
            "/s/{slug}/campaign/calls/{id}/report",
            get(report_form)
                .post(report)
                .layer(axum::extract::DefaultBodyLimit::max(
                    convene_domain::media::video::MAX_UPLOAD as usize,
                )),
        )
        .route("/s/{slug}/campaign/calls/{id}/counts.csv", get(counts_csv))
        .route(
            "/s/{slug}/campaign/reports/{rid}/photos/{mid}/{file}",
            get(report_photo),
        )
        .route(
            "/s/{slug}/campaign/reports/{rid}/videos/{mid}/{file}",
            get(report_video),
        )
        .route(
            "/s/{slug}/campaign/reports/{rid}/flag",
            get(flag_form).post(flag),
        )
        .route("/s/{slug}/campaign/reports/{rid}/moderate", post(moderate))
        .route("/s/{slug}/campaign/moderation", get(moderation))
        .route("/api/v1/s/{slug}/campaign/calls/{id}", get(api))
}

/// A report's photo as a page shows it.
pub struct ReportPhoto {
    pub src: String,
    pub srcset: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub preview: String,
    pub preview_width: i64,
    pub preview_height: i64,
    pub kb: i64,
    /// For a video: its file (address and type) and its low-bitrate version.
    pub video: Option<(String, String)>,
    pub low: Option<String>,
}

/// A report as a page shows it.
pub struct ReportView {
    pub r: Report,
    pub place: String,
    pub when: String,
    pub photos: Vec<ReportPhoto>,
}

fn report_views(ctx: &Ctx, slug: &str, places: &[Place], reports: Vec<Report>) -> Vec<ReportView> {
    reports
        .into_iter()
        .map(|r| {
            let photos = r
                .photos
                .iter()
                .filter_map(|m| {
                    let base = format!("/s/{slug}/campaign/reports/{}/photos/{}", r.id, m.id);
                    let main = m.at_least(800)?;
                    let small = m.smallest()?;
                    Some(ReportPhoto {
                        src: format!("{base}/{}.jpg", main.name),
                        srcset: m
                            .image_variants()
                            .into_iter()
                            .map(|v| format!("{base}/{}.jpg {}w", v.name, v.width))
                            .collect::<Vec<_>>()
                            .join(", "),
                        width: main.width,
                        height: main.height,
                        alt: m.alt.clone(),
                        preview: format!("{base}/{}.jpg", small.name),
                        preview_width: small.width,
                        preview_height: small.height,
                        kb: (main.size + 1023) / 1024,
                        video: m.video().map(|v| {
                            let ext = if v.mime == "video/webm" {
                                "webm"
                            } else {
                                "mp4"
                            };
                            (
                                format!(
                                    "/s/{slug}/campaign/reports/{}/videos/{}/video.{ext}",
                                    r.id, m.id
                                ),
                                v.mime.clone(),
                            )
                        }),
                        low: m.low().map(|_| {
                            format!(
                                "/s/{slug}/campaign/reports/{}/videos/{}/low.mp4",
                                r.id, m.id
                            )
                        }),
                    })
                })
                .collect();
            ReportView {
                place: r
                    .place_id
                    .and_then(|id| places.iter().find(|p| p.id == id))
                    .map(|p| p.name_in(ctx.lang.code()).to_string())
                    .unwrap_or_default(),
                when: ctx.date(&r.created_at),
                photos,
                r,
            }
        })
        .collect()
}

/// A district's count.
pub struct CountRow {
    pub name: String,
    pub count: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct SignupForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub district: i64,
}

#[derive(Template)]
#[template(path = "features/campaign/call.html")]
pub struct CallPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub call: Call,
    pub closes: String,
    pub total: String,
    pub counts: Vec<CountRow>,
    pub threshold: u64,
    pub choices: Vec<(i64, String)>,
    pub numbers: Vec<String>,
    pub web_signup: bool,
    pub reports: Vec<ReportView>,
    pub level: String,
    pub organiser: bool,
    pub moderator: bool,
    pub form: SignupForm,
    pub errors: FormErrors,
    pub sent: bool,
    pub flagged: bool,
}

#[allow(clippy::too_many_arguments)]
async fn call_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    form: SignupForm,
    errors: FormErrors,
    sent: bool,
    flagged: bool,
) -> AppResult<CallPage> {
    let call = state.db.call(&scope, id).await?;
    let counts = state.db.call_counts(&scope, id).await?;
    let places = state.db.all_places(&scope).await?;
    let reports = state.db.call_reports(&scope, id).await?;
    let moderator = may_moderate(&scope);
    let public: Vec<Report> = reports
        .into_iter()
        .filter(|r| r.status == "published")
        .collect();
    Ok(CallPage {
        closes: call
            .closes_at
            .map(|c| {
                convene_domain::activities::unix_to_local(c, &scope.space().time_zone)
                    .replace('T', " ")
            })
            .unwrap_or_default(),
        total: counts.total_text(),
        counts: counts
            .districts
            .iter()
            .map(|(p, n)| CountRow {
                name: p.as_ref().map_or_else(
                    || ctx.t("pledge-no-district"),
                    |p| p.name_in(ctx.lang.code()).to_string(),
                ),
                count: n.text(counts.threshold),
            })
            .collect(),
        threshold: counts.threshold,
        choices: places
            .iter()
            .filter(|p| p.level == 2)
            .map(|p| (p.id, p.name_in(ctx.lang.code()).to_string()))
            .collect(),
        numbers: state.db.sms_numbers(&scope).await?,
        web_signup: state.cfg.mail_enabled && state.cfg.public_url.is_some(),
        reports: report_views(&ctx, &scope.space().slug, &places, public),
        level: level_label(&ctx, call.level),
        organiser: may_organise(&scope),
        moderator,
        call,
        form,
        errors,
        sent,
        flagged,
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    pub flagged: Option<u8>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    page(
        &call_page(
            &state,
            ctx,
            scope,
            id,
            SignupForm::default(),
            FormErrors::default(),
            false,
            q.flagged.is_some(),
        )
        .await?,
    )
}

pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<SignupForm>,
) -> AppResult<Response> {
    let Some(base) = state
        .cfg
        .public_url
        .as_deref()
        .filter(|_| state.cfg.mail_enabled)
    else {
        return Err(AppError::NotFound);
    };
    let done = state
        .db
        .sign_up_for_call(
            &scope,
            id,
            &WebSignup {
                email: f.email.clone(),
                district: (f.district > 0).then_some(f.district),
                lang: ctx.lang.code().to_string(),
                link_base: format!(
                    "{}/s/{slug}/campaign/calls/{id}",
                    base.trim_end_matches('/')
                ),
            },
        )
        .await;
    match done {
        Ok(()) => page(
            &call_page(
                &state,
                ctx,
                scope,
                id,
                SignupForm::default(),
                FormErrors::default(),
                true,
                false,
            )
            .await?,
        ),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &call_page(&state, ctx, scope, id, f, errors, false, false).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/campaign/call_confirm.html")]
pub struct ConfirmPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub id: i64,
    pub title: String,
    pub token: String,
    pub outcome: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    pub t: String,
}

pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    let title = state.db.call(&scope, id).await?.title;
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
    let title = state.db.call(&scope, id).await?.title;
    let (status, key) = match state.db.confirm_call_signup(&q.t).await? {
        SignupConfirmed::Counted { call } if call == id => (StatusCode::OK, "call-confirmed"),
        SignupConfirmed::AlreadyUsed { call } if call == id => {
            (StatusCode::GONE, "pledge-confirm-used")
        }
        SignupConfirmed::Closed { call } if call == id => (StatusCode::GONE, "call-error-closed"),
        SignupConfirmed::Expired => (StatusCode::GONE, "pledge-confirm-expired"),
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

#[derive(Template)]
#[template(path = "features/campaign/call_report.html")]
pub struct ReportPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub id: i64,
    pub title: String,
    pub token: String,
    pub body: String,
    pub alt: String,
    pub errors: FormErrors,
    pub done: bool,
    pub unknown: bool,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    pub r: String,
}

async fn report_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    id: i64,
    token: &str,
) -> AppResult<ReportPage> {
    let title = state.db.call(&scope, id).await?.title;
    let known = state
        .db
        .report_link(token)
        .await?
        .is_some_and(|(call, space)| call == id && space == scope.space().id);
    Ok(ReportPage {
        ctx,
        scope,
        id,
        title,
        token: if known {
            token.to_string()
        } else {
            String::new()
        },
        body: String::new(),
        alt: String::new(),
        errors: FormErrors::default(),
        done: false,
        unknown: !known,
    })
}

/// `GET …/report?r=`: the personal form to report what one did.
pub async fn report_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let p = report_page(&state, ctx, scope, id, &q.r).await?;
    if p.unknown {
        return page_with(StatusCode::NOT_FOUND, &p);
    }
    page(&p)
}

/// `POST …/report?r=&_csrf=` (multipart: `body`, and optionally `file`, `alt`):
/// the link is checked before the body is read; the photo goes through the media
/// pipeline (every piece of metadata gone); the report waits for a moderator.
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ReportQuery>,
    mut form: Multipart,
) -> AppResult<Response> {
    let mut p = report_page(&state, ctx, scope, id, &q.r).await?;
    if p.unknown {
        return page_with(StatusCode::NOT_FOUND, &p);
    }
    // Checked before a byte of the upload is read.
    if state.db.reports_left(&q.r).await? == 0 {
        p.errors = FormErrors::one(&p.ctx, "body", "call-error-reports");
        return page_with(StatusCode::BAD_REQUEST, &p);
    }
    use convene_domain::media::{photo, tool::WorkDir, video};
    use tokio::io::AsyncWriteExt;
    // The file is written to a private directory as it arrives (never held whole),
    // then read as a photo or a video by what it is.
    let dir = WorkDir::new("report").ok_or(AppError::BadRequest)?;
    let mut size = 0usize;
    while let Some(mut field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name().unwrap_or("") {
            "file" => {
                let mut f = tokio::fs::File::create(dir.path().join("in.bin"))
                    .await
                    .map_err(|_| AppError::BadRequest)?;
                while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                    size += chunk.len();
                    f.write_all(&chunk)
                        .await
                        .map_err(|_| AppError::BadRequest)?;
                }
                f.flush().await.map_err(|_| AppError::BadRequest)?;
            }
            "body" => {
                let b = field.bytes().await.map_err(|_| AppError::BadRequest)?;
                p.body = String::from_utf8_lossy(&b).trim().to_string();
            }
            "alt" => {
                let b = field.bytes().await.map_err(|_| AppError::BadRequest)?;
                p.alt = String::from_utf8_lossy(&b).trim().to_string();
            }
            _ => {}
        }
    }
    let mut new = NewReport {
        body: p.body.clone(),
        photo: None,
        video: None,
    };
    if size > 0 {
        let path = dir.path().join("in.bin");
        let head = {
            use std::io::Read;
            let mut h = [0u8; 16];
            let n = std::fs::File::open(&path)
                .and_then(|mut f| f.read(&mut h))
                .unwrap_or(0);
            h[..n].to_vec()
        };
        let refused = |p: &mut ReportPage, key: &'static str| {
            p.errors = FormErrors::one(&p.ctx, "file", key);
        };
        if photo::sniff(&head).is_some() {
            if size as u64 > convene_domain::media::photo::MAX_UPLOAD {
                refused(&mut p, "call-error-photo-size");
                return page_with(StatusCode::BAD_REQUEST, &p);
            }
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|_| AppError::BadRequest)?;
            match crate::upload::parse(move || photo::process(&bytes)).await {
                Err(e) => refused(&mut p, e.key()),
                Ok(Err(e)) => refused(&mut p, e.key()),
                Ok(Ok(ph)) => new.photo = Some((ph, p.alt.clone())),
            }
        } else {
            let d = dir.path().to_path_buf();
            match crate::upload::parse_within(video::DEADLINE * 2, move || {
                video::prepare(&d, "in.bin")
            })
            .await
            {
                Err(e) => refused(&mut p, e.key()),
                // Neither a photo nor a video: say both are taken.
                Ok(Err(video::VideoError::NotAVideo)) => refused(&mut p, "call-error-not-media"),
                Ok(Err(e)) => refused(&mut p, e.key()),
                Ok(Ok(v)) => new.video = Some((v, p.alt.clone())),
            }
        }
        if !p.errors.is_empty() {
            return page_with(StatusCode::BAD_REQUEST, &p);
        }
    }
    drop(dir);
    match state.db.submit_report(&p.scope, &q.r, &new).await {
        Ok(_) => {
            p.done = true;
            p.body.clear();
            p.alt.clear();
            page(&p)
        }
        Err(convene_domain::Error::Invalid(v)) => {
            p.errors = FormErrors::from_invalid(&p.ctx, &v);
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /s/{slug}/campaign/reports/{rid}/photos/{mid}/w{n}.jpg`.
pub async fn report_photo(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_slug, rid, mid, file)): Path<(String, i64, i64, String)>,
) -> AppResult<Response> {
    let name = file.strip_suffix(".jpg").ok_or(AppError::NotFound)?;
    let valid = name
        .strip_prefix('w')
        .is_some_and(|w| !w.is_empty() && w.len() <= 5 && w.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return Err(AppError::NotFound);
    }
    let (b, public) = state.db.report_photo(&scope, rid, mid, name).await?;
    let cache = if public {
        "public, max-age=600"
    } else {
        "private, no-store"
    };
    Ok((
        [
            (header::CONTENT_TYPE, b.mime),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        b.bytes,
    )
        .into_response())
}

/// `GET /s/{slug}/campaign/reports/{rid}/videos/{mid}/video.mp4|video.webm|low.mp4`:
/// a report's video by ranges, under the report's rule.
pub async fn report_video(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_slug, rid, mid, file)): Path<(String, i64, i64, String)>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let name = match file.as_str() {
        "video.mp4" | "video.webm" => "video",
        "low.mp4" => "low",
        _ => return Err(AppError::NotFound),
    };
    let (s, public) = state.db.report_media_stream(&scope, rid, mid, name).await?;
    super::stream_medium(&state, &headers, s, public)
}

#[derive(Template)]
#[template(path = "features/campaign/flag.html")]
pub struct FlagPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub rid: i64,
    pub call_id: i64,
    pub errors: FormErrors,
}

async fn report_call(state: &AppState, scope: &Scope, rid: i64) -> AppResult<i64> {
    for c in state.db.calls(scope).await? {
        if state
            .db
            .call_reports(scope, c.id)
            .await?
            .iter()
            .any(|r| r.id == rid && r.status == "published")
        {
            return Ok(c.id);
        }
    }
    Err(AppError::NotFound)
}

pub async fn flag_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, rid)): Path<(String, i64)>,
) -> AppResult<Response> {
    let call_id = report_call(&state, &scope, rid).await?;
    page(&FlagPage {
        ctx,
        scope,
        rid,
        call_id,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize, Default)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub decision: String,
}

pub async fn flag(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, rid)): Path<(String, i64)>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Response> {
    let call_id = report_call(&state, &scope, rid).await?;
    match state.db.flag_report(&scope, rid, &f.reason).await {
        Ok(()) => Ok(redirect(&format!(
            "/s/{slug}/campaign/calls/{call_id}?flagged=1#reports"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &FlagPage {
                    ctx,
                    scope,
                    rid,
                    call_id,
                    errors,
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// A flag as the moderation page shows it.
pub struct FlagView {
    pub record_id: i64,
    pub reason: String,
    pub when: String,
    pub report: Option<String>,
}

#[derive(Template)]
#[template(path = "features/campaign/moderation.html")]
pub struct ModerationPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub pending: Vec<ReportView>,
    pub flags: Vec<FlagView>,
    pub held: usize,
    pub problems: Vec<String>,
    pub notice: bool,
}

async fn moderation_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    problems: Vec<String>,
    notice: bool,
) -> AppResult<ModerationPage> {
    if !may_moderate(&scope) {
        return Err(AppError::NotFound);
    }
    let places = state.db.all_places(&scope).await?;
    let pending = state.db.pending_reports(&scope).await?;
    let flags = state
        .db
        .open_flags(&scope)
        .await?
        .into_iter()
        .map(|f| FlagView {
            record_id: f.record_id,
            reason: f.reason,
            when: ctx.date(&f.created_at),
            report: f.report.map(|r| r.body),
        })
        .collect();
    Ok(ModerationPage {
        pending: report_views(&ctx, &scope.space().slug, &places, pending),
        flags,
        held: state.db.held_messages(&scope).await?.len(),
        problems,
        notice,
        ctx,
        scope,
    })
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: Option<u8>,
}

pub async fn moderation(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    page(&moderation_page(&state, ctx, scope, vec![], q.done.is_some()).await?)
}

/// `POST …/reports/{rid}/moderate` (`decision`: publish, reject, hide, unhide,
/// dismiss; `reason`).
pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, rid)): Path<(String, i64)>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Response> {
    if !may_moderate(&scope) {
        return Err(AppError::Forbidden);
    }
    let done = match f.decision.as_str() {
        "publish" => state.db.moderate_report(&scope, rid, true, &f.reason).await,
        "reject" => {
            state
                .db
                .moderate_report(&scope, rid, false, &f.reason)
                .await
        }
        "hide" => state.db.hide_report(&scope, rid, &f.reason).await,
        "unhide" => state.db.unhide_report(&scope, rid, &f.reason).await,
        "dismiss" => state.db.dismiss_flags(&scope, rid).await,
        _ => return Err(AppError::BadRequest),
    };
    match done {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/campaign/moderation?done=1"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let problems = v.iter().map(|i| ctx.t(i.key)).collect();
            page_with(
                StatusCode::BAD_REQUEST,
                &moderation_page(&state, ctx, scope, problems, false).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct CallForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub keyword: String,
    #[serde(default)]
    pub closes_on: String,
    #[serde(default)]
    pub level: String,
}

#[derive(Template)]
#[template(path = "features/campaign/call_new.html")]
pub struct NewCallPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub form: CallForm,
    pub errors: FormErrors,
    pub levels: Vec<(&'static str, String)>,
}

fn new_page(ctx: Ctx, scope: Scope, form: CallForm, errors: FormErrors) -> AppResult<NewCallPage> {
    if !may_organise(&scope) {
        return Err(AppError::NotFound);
    }
    let levels = [Level::Public, Level::Members, Level::Organisers]
        .into_iter()
        .map(|l| (l.as_str(), level_label(&ctx, l)))
        .collect();
    Ok(NewCallPage {
        ctx,
        scope,
        form,
        errors,
        levels,
    })
}

pub async fn new_form(ctx: Ctx, SpaceScope(scope): SpaceScope) -> AppResult<Response> {
    let form = CallForm {
        level: "public".into(),
        ..CallForm::default()
    };
    page(&new_page(ctx, scope, form, FormErrors::default())?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<CallForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    let new = NewCall {
        title: f.title.clone(),
        body: f.body.clone(),
        keyword: f.keyword.clone(),
        closes_on: f.closes_on.clone(),
        level: Some(level),
    };
    match state.db.create_call(&scope, &new).await {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/campaign/calls/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(StatusCode::BAD_REQUEST, &new_page(ctx, scope, f, errors)?)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET …/calls/{id}/counts.csv`: sign-ups by district, suppressed.
pub async fn counts_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let c = state.db.call_counts(&scope, id).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |cells: [&str; 3]| {
        w.write_record(cells)
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    row(["district_code", "district", "signups"])?;
    for (place, n) in &c.districts {
        let (code, name) = match place {
            Some(p) => (p.code.clone(), p.name_in(ctx.lang.code()).to_string()),
            None => (String::new(), ctx.t("pledge-no-district")),
        };
        row([&code, &name, &n.text(c.threshold)])?;
    }
    row(["", "total", &c.total_text()])?;
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"call-signups.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Serialize)]
pub struct ApiDistrict {
    pub code: Option<String>,
    pub signups: ApiCount,
}

#[derive(Serialize)]
pub struct ApiCall {
    pub id: i64,
    pub title: String,
    pub accepting: bool,
    pub keyword: Option<String>,
    pub threshold: u64,
    pub signups: ApiCount,
    pub districts: Vec<ApiDistrict>,
    pub reports_published: usize,
}

/// `GET /api/v1/s/{slug}/campaign/calls/{id}`: the call and its suppressed counts.
pub async fn api(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Json<ApiCall>> {
    let call = state.db.call(&scope, id).await?;
    let c = state.db.call_counts(&scope, id).await?;
    let reports = state.db.call_reports(&scope, id).await?;
    Ok(Json(ApiCall {
        id: call.id,
        title: call.title,
        accepting: call.accepting,
        keyword: call.keyword,
        threshold: c.threshold,
        signups: api_count(&c.total),
        districts: c
            .districts
            .iter()
            .map(|(p, n)| ApiDistrict {
                code: p.as_ref().map(|p| p.code.clone()),
                signups: api_count(n),
            })
            .collect(),
        reports_published: reports.iter().filter(|r| r.status == "published").count(),
    }))
}
