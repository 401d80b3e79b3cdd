//! The campaign's pages: the timeline of milestones with the latest progress
//! updates, one update (with plain share links and Open Graph tags), the form
//! organisers write updates in (with an embargo), and the space's Atom feed of
//! public updates.

pub mod calls;
pub mod pledges;
pub mod representatives;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use convene_domain::access::policy::{may_organise, may_see_embargoed};
use convene_domain::activities::{local_to_unix, unix_to_local};
use convene_domain::campaign::{markdown, Milestone, NewMilestone, NewUpdate, Update};
use convene_domain::i18n::Lang;
use convene_domain::model::Level;
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
        .route("/s/{slug}/campaign", get(show))
        .route("/s/{slug}/campaign/milestones", post(add_milestone))
        .route(
            "/s/{slug}/campaign/milestones/{id}/reached",
            post(milestone_reached),
        )
        .route(
            "/s/{slug}/campaign/updates/new",
            get(new_update_form).post(create_update),
        )
        .route("/s/{slug}/campaign/updates/{id}", get(show_update))
        .route(
            "/s/{slug}/campaign/updates/{id}/photos",
            post(add_photo).layer(axum::extract::DefaultBodyLimit::max(
                convene_domain::media::photo::MAX_UPLOAD as usize,
            )),
        )
        .route(
            "/s/{slug}/campaign/updates/{id}/videos",
            post(add_video).layer(axum::extract::DefaultBodyLimit::max(
                convene_domain::media::video::MAX_UPLOAD as usize,
            )),
        )
        .route(
            "/s/{slug}/campaign/updates/{id}/videos/{mid}/{file}",
            get(video_file),
        )
        .route(
            "/s/{slug}/campaign/updates/{id}/photos/{mid}/remove",
            post(remove_photo),
        )
        .route(
            "/s/{slug}/campaign/updates/{id}/photos/{mid}/{file}",
            get(photo_file),
        )
        .route("/s/{slug}/campaign/feed.atom", get(feed))
        .route("/s/{slug}/campaign/digest", post(set_digest))
        .merge(pledges::routes())
        .merge(representatives::routes())
        .merge(calls::routes())
}

/// A pledge as the campaign page lists it.
pub struct PledgeRow {
    pub pledge: convene_domain::campaign::pledges::Pledge,
    pub status: String,
    pub deadline: String,
}

/// An update as a list shows it.
pub struct UpdateRow {
    pub update: Update,
    pub summary: String,
    pub when: String,
    pub lang_name: &'static str,
    /// The first photo, shown small in lists.
    pub thumb: Option<PhotoView>,
}

fn lang_name(code: &str) -> &'static str {
    Lang::parse(code).map_or("", Lang::native_name)
}

fn local(scope: &Scope, t: i64) -> String {
    unix_to_local(t, &scope.space().time_zone).replace('T', " ")
}

fn row(scope: &Scope, u: Update) -> UpdateRow {
    UpdateRow {
        thumb: photo_views(&scope.space().slug, &u).into_iter().next(),
        summary: markdown::plain(&u.body, 240),
        when: local(scope, u.publish_at),
        lang_name: lang_name(&u.lang),
        update: u,
    }
}

#[derive(Template)]
#[template(path = "features/campaign/show.html")]
pub struct CampaignPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub milestones: Vec<Milestone>,
    pub updates: Vec<UpdateRow>,
    pub pledges: Vec<PledgeRow>,
    pub calls: Vec<convene_domain::campaign::calls::Call>,
    /// The SMS digest's keyword and subscribers, and the numbers to text.
    pub digest: Option<(String, i64)>,
    pub numbers: Vec<String>,
    pub organiser: bool,
    pub moderator: bool,
    pub errors: FormErrors,
    pub form: MilestoneForm,
}

async fn campaign_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    errors: FormErrors,
    form: MilestoneForm,
) -> AppResult<CampaignPage> {
    let updates = state
        .db
        .updates(&scope, 50)
        .await?
        .into_iter()
        .map(|u| row(&scope, u))
        .collect();
    let pledges = state
        .db
        .pledges(&scope)
        .await?
        .into_iter()
        .map(|p| PledgeRow {
            status: pledges::status_label(&ctx, &p),
            deadline: local(&scope, p.deadline),
            pledge: p,
        })
        .collect();
    Ok(CampaignPage {
        milestones: state.db.milestones(&scope).await?,
        updates,
        pledges,
        calls: state.db.calls(&scope).await?,
        digest: state.db.digest(scope.space().id).await?,
        numbers: state.db.sms_numbers(&scope).await?,
        organiser: may_organise(&scope),
        moderator: convene_domain::access::policy::may_moderate(&scope),
        errors,
        form,
        ctx,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    page(
        &campaign_page(
            &state,
            ctx,
            scope,
            FormErrors::default(),
            MilestoneForm::default(),
        )
        .await?,
    )
}

#[derive(Deserialize, Default)]
pub struct MilestoneForm {
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub due_on: String,
}

pub async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<MilestoneForm>,
) -> AppResult<Response> {
    let new = NewMilestone {
        phase: f.phase.clone(),
        title: f.title.clone(),
        body: f.body.clone(),
        due_on: f.due_on.clone(),
    };
    match state.db.add_milestone(&scope, &new).await {
        Ok(_) => Ok(redirect(&format!("/s/{slug}/campaign#timeline"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &campaign_page(&state, ctx, scope, errors, f).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ReachedForm {
    #[serde(default)]
    reached_on: String,
}

pub async fn milestone_reached(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<ReachedForm>,
) -> AppResult<Response> {
    let on = f.reached_on.trim();
    state
        .db
        .set_milestone_reached(&scope, id, (!on.is_empty()).then_some(on))
        .await?;
    Ok(redirect(&format!("/s/{slug}/campaign#timeline")))
}

#[derive(Deserialize, Default, Clone)]
pub struct UpdateForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub milestone: i64,
    #[serde(default)]
    pub level: String,
    /// Local time in the space's time zone, `YYYY-MM-DDTHH:MM`; empty: at once.
    #[serde(default)]
    pub publish_at: String,
}

#[derive(Template)]
#[template(path = "features/campaign/new.html")]
pub struct NewUpdatePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub milestones: Vec<Milestone>,
    pub form: UpdateForm,
    pub errors: FormErrors,
    pub levels: Vec<(&'static str, String)>,
    pub langs: Vec<(&'static str, &'static str)>,
}

async fn new_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    form: UpdateForm,
    errors: FormErrors,
) -> AppResult<NewUpdatePage> {
    if !may_organise(&scope) {
        return Err(AppError::NotFound);
    }
    let levels = [Level::Public, Level::Members, Level::Organisers]
        .into_iter()
        .map(|l| (l.as_str(), level_label(&ctx, l)))
        .collect();
    Ok(NewUpdatePage {
        milestones: state.db.milestones(&scope).await?,
        levels,
        langs: Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name()))
            .collect(),
        form,
        errors,
        ctx,
        scope,
    })
}

pub async fn new_update_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    let form = UpdateForm {
        lang: ctx.lang.code().to_string(),
        level: "public".into(),
        ..UpdateForm::default()
    };
    page(&new_page(&state, ctx, scope, form, FormErrors::default()).await?)
}

pub async fn create_update(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<UpdateForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)
        .filter(|l| *l != Level::Named)
        .ok_or(AppError::BadRequest)?;
    let when = f.publish_at.trim();
    let publish_at = if when.is_empty() {
        Ok(None)
    } else {
        local_to_unix(when, &scope.space().time_zone)
            .map(Some)
            .ok_or_else(|| convene_domain::Error::invalid("publish_at", "error-datetime"))
    };
    let made = match publish_at {
        Ok(publish_at) => {
            let new = NewUpdate {
                title: f.title.clone(),
                body: f.body.clone(),
                lang: f.lang.clone(),
                milestone: (f.milestone > 0).then_some(f.milestone),
                publish_at,
                level,
            };
            state.db.create_update(&scope, &new).await
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(id) => Ok(redirect(&format!("/s/{slug}/campaign/updates/{id}"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &new_page(&state, ctx, scope, f, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "features/campaign/update.html")]
pub struct UpdatePage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub row: UpdateRow,
    pub level: String,
    /// The update's absolute address, when the server knows its public address.
    pub url: Option<String>,
    /// (name, address) of plain share links, for public published updates.
    pub shares: Vec<(String, String)>,
    pub organiser: bool,
    pub photos: Vec<PhotoView>,
    /// The photo shown when the page is shared (absolute address, size, alt text).
    pub og_image: Option<(String, i64, i64, String)>,
    pub errors: FormErrors,
    /// What the photo form and the video form were sent with, shown again with
    /// their errors.
    pub alt: String,
    pub video_alt: String,
    /// What was just added: `photo` or `video` (or nothing).
    pub added: String,
    pub max_mb: u64,
    pub video_mb: u64,
}

/// A photo as a page shows it: its addresses at every width, ready for `srcset`.
pub struct PhotoView {
    pub id: i64,
    pub alt: String,
    /// The default `src` (about 800 pixels wide) and its size.
    pub src: String,
    pub width: i64,
    pub height: i64,
    pub srcset: String,
    /// The low-bandwidth preview (the smallest width) and its size.
    pub preview: String,
    pub preview_width: i64,
    pub preview_height: i64,
    /// Kilobytes of the default `src`, said beside the link in light mode.
    pub kb: i64,
    /// For a video: its file (address, type, kilobytes) and its low-bitrate version
    /// once made.
    pub video: Option<(String, String, i64)>,
    pub low: Option<(String, i64)>,
    /// A video whose low-bitrate version is still being made.
    pub low_pending: bool,
    /// A video's captions (WebVTT), when given.
    pub captions: Option<String>,
}

fn video_base(slug: &str, update_id: i64, media_id: i64) -> String {
    format!("/s/{slug}/campaign/updates/{update_id}/videos/{media_id}")
}

fn photo_base(slug: &str, update_id: i64, media_id: i64) -> String {
    format!("/s/{slug}/campaign/updates/{update_id}/photos/{media_id}")
}

/// The views of an update's photos.
pub fn photo_views(slug: &str, u: &Update) -> Vec<PhotoView> {
    u.photos
        .iter()
        .filter_map(|m| {
            let base = photo_base(slug, u.id, m.id);
            let main = m.at_least(800)?;
            let small = m.smallest()?;
            Some(PhotoView {
                id: m.id,
                alt: m.alt.clone(),
                src: format!("{base}/{}.jpg", main.name),
                width: main.width,
                height: main.height,
                srcset: m
                    .image_variants()
                    .into_iter()
                    .map(|v| format!("{base}/{}.jpg {}w", v.name, v.width))
                    .collect::<Vec<_>>()
                    .join(", "),
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
                        format!("{}/video.{ext}", video_base(slug, u.id, m.id)),
                        v.mime.clone(),
                        (v.size + 1023) / 1024,
                    )
                }),
                captions: m
                    .captions()
                    .map(|_| format!("{}/captions.vtt", video_base(slug, u.id, m.id))),
                low_pending: m.is_video() && m.low().is_none(),
                // Offered only when it is smaller: a short, simple video may already
                // be lighter than its low-bitrate version.
                low: m
                    .low()
                    .filter(|l| m.video().is_some_and(|v| l.size < v.size))
                    .map(|v| {
                        (
                            format!("{}/low.mp4", video_base(slug, u.id, m.id)),
                            (v.size + 1023) / 1024,
                        )
                    }),
            })
        })
        .collect()
}

/// `s` encoded for a query string (spaces as `+`).
fn encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// Plain links that share `url` in messaging apps and social networks: no script of
/// theirs is loaded; the reader's click leaves the site.
pub fn share_links(url: &str, title: &str) -> Vec<(&'static str, String)> {
    let (u, t) = (encode(url), encode(title));
    vec![
        ("WhatsApp", format!("https://wa.me/?text={t}+{u}")),
        (
            "Telegram",
            format!("https://t.me/share/url?url={u}&text={t}"),
        ),
        (
            "Facebook",
            format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        ),
        (
            "X",
            format!("https://twitter.com/intent/tweet?url={u}&text={t}"),
        ),
        ("E-mail", format!("mailto:?subject={t}&body={u}")),
    ]
}

pub async fn show_update(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    axum::extract::Query(added): axum::extract::Query<AddedQuery>,
) -> AppResult<Response> {
    let u = state.db.update(&scope, id).await?;
    let url = state
        .cfg
        .public_url
        .as_deref()
        .map(|b| format!("{}/s/{slug}/campaign/updates/{id}", b.trim_end_matches('/')));
    let shareable = u.level == Level::Public && !u.embargoed && scope.space().is_public;
    let shares = match (&url, shareable) {
        (Some(url), true) => share_links(url, &u.title)
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
    let p = update_page(
        &state,
        ctx,
        scope,
        u,
        url,
        shares,
        FormErrors::default(),
        (String::new(), String::new()),
    );
    let mut p = p;
    p.added = match added.added.as_deref() {
        Some("video") => "video".into(),
        Some(_) => "photo".into(),
        None => String::new(),
    };
    page(&p)
}

#[allow(clippy::too_many_arguments)]
fn update_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    u: Update,
    url: Option<String>,
    shares: Vec<(String, String)>,
    errors: FormErrors,
    (alt, video_alt): (String, String),
) -> UpdatePage {
    let slug = scope.space().slug.clone();
    let photos = photo_views(&slug, &u);
    let shareable = u.is_public() && scope.space().is_public;
    let og_image = match (&state.cfg.public_url, shareable, u.photos.first()) {
        (Some(base), true, Some(m)) => m.at_least(1200).map(|v| {
            (
                format!(
                    "{}{}/{}.jpg",
                    base.trim_end_matches('/'),
                    photo_base(&slug, u.id, m.id),
                    v.name
                ),
                v.width,
                v.height,
                m.alt.clone(),
            )
        }),
        _ => None,
    };
    UpdatePage {
        level: level_label(&ctx, u.level),
        row: row(&scope, u),
        url,
        shares,
        organiser: may_see_embargoed(&scope),
        photos,
        og_image,
        errors,
        alt,
        video_alt,
        added: String::new(),
        max_mb: convene_domain::media::photo::MAX_UPLOAD / (1024 * 1024),
        video_mb: convene_domain::media::video::MAX_UPLOAD / (1024 * 1024),
        ctx,
        scope,
    }
}

#[derive(Deserialize, Default)]
pub struct AddedQuery {
    pub added: Option<String>,
}

/// The update's page again, 400, with a refused upload's problems and what its
/// form was sent with (`alts`: the photo form's description, the video form's).
fn refused_upload(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    u: Update,
    problems: &[(&'static str, &'static str)],
    alts: (String, String),
) -> AppResult<Response> {
    let invalid: Vec<_> = problems
        .iter()
        .map(|(f, k)| convene_domain::error::Invalid { field: f, key: k })
        .collect();
    let errors = FormErrors::from_invalid(&ctx, &invalid);
    let p = update_page(state, ctx, scope, u, None, vec![], errors, alts);
    page_with(StatusCode::BAD_REQUEST, &p)
}

/// `POST /s/{slug}/campaign/updates/{id}/photos` (multipart: `file`, `alt`):
/// organisers add a photo. The file is read off the async threads within the
/// upload budget, decoded, turned upright and saved anew at a few widths; a file
/// that is not a readable photo, or a missing description, is refused with the
/// form shown again and nothing stored.
pub async fn add_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    mut form: Multipart,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let mut file: Option<Vec<u8>> = None;
    let mut alt = String::new();
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        match name.as_str() {
            "file" if !bytes.is_empty() => file = Some(bytes.to_vec()),
            "alt" => alt = String::from_utf8_lossy(&bytes).trim().to_string(),
            _ => {}
        }
    }
    let u = state.db.update(&scope, id).await?;
    let mut problems = Vec::new();
    if alt.is_empty() {
        problems.push(("alt", "error-required"));
    }
    let processed = match file {
        None => {
            problems.push(("file", "media-error-file-missing"));
            None
        }
        Some(bytes) if problems.is_empty() => {
            match crate::upload::parse(move || convene_domain::media::photo::process(&bytes)).await
            {
                Err(e) => {
                    problems.push(("file", e.key()));
                    None
                }
                Ok(Err(e)) => {
                    problems.push(("file", e.key()));
                    None
                }
                Ok(Ok(p)) => Some(p),
            }
        }
        Some(_) => None,
    };
    let photo = match processed {
        Some(p) if problems.is_empty() => p,
        _ => return refused_upload(&state, ctx, scope, u, &problems, (alt, String::new())),
    };
    match state.db.add_update_photo(&scope, id, &alt, &photo).await {
        Ok(_) => Ok(redirect(&format!(
            "/s/{slug}/campaign/updates/{id}?added=photo#photos"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            let p: Vec<_> = v.iter().map(|i| (i.field, i.key)).collect();
            refused_upload(&state, ctx, scope, u, &p, (alt, String::new()))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /s/{slug}/campaign/updates/{id}/videos` (multipart: `file`, `alt`):
/// organisers add a video. The file is written to a private temporary directory as
/// it arrives (never held whole in memory), then checked, stripped of its metadata
/// and given a poster by ffmpeg off the request threads; its low-bitrate version
/// follows from a background job.
pub async fn add_video(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, id)): Path<(String, i64)>,
    mut form: Multipart,
) -> AppResult<Response> {
    use convene_domain::media::{tool::WorkDir, video};
    use tokio::io::AsyncWriteExt;
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let dir = WorkDir::new("upload").ok_or(AppError::BadRequest)?;
    let mut got_file = false;
    let mut alt = String::new();
    let mut captions: Option<Vec<u8>> = None;
    while let Some(mut field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name().unwrap_or("") {
            "file" => {
                let mut f = tokio::fs::File::create(dir.path().join("in.bin"))
                    .await
                    .map_err(|_| AppError::BadRequest)?;
                let mut n = 0usize;
                while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                    n += chunk.len();
                    f.write_all(&chunk)
                        .await
                        .map_err(|_| AppError::BadRequest)?;
                }
                f.flush().await.map_err(|_| AppError::BadRequest)?;
                got_file = n > 0;
            }
            "video_alt" => {
                let b = field.bytes().await.map_err(|_| AppError::BadRequest)?;
                alt = String::from_utf8_lossy(&b).trim().to_string();
            }
            "captions" => {
                let b = field.bytes().await.map_err(|_| AppError::BadRequest)?;
                if !b.is_empty() {
                    captions = Some(b.to_vec());
                }
            }
            _ => {}
        }
    }
    let u = state.db.update(&scope, id).await?;
    let mut problems: Vec<(&'static str, &'static str)> = Vec::new();
    let captions = match captions.map(|c| video::check_captions(&c)) {
        None => None,
        Some(Ok(text)) => Some(text),
        Some(Err(e)) => {
            problems.push(("captions", e.key()));
            None
        }
    };
    if alt.is_empty() {
        problems.push(("video_alt", "error-required"));
    }
    if !got_file {
        problems.push(("video", "media-error-video-missing"));
    }
    let mut prepared = None;
    if problems.is_empty() {
        let path = dir.path().to_path_buf();
        match crate::upload::parse_within(video::DEADLINE * 2, move || {
            video::prepare(&path, "in.bin")
        })
        .await
        {
            Err(e) => problems.push(("video", e.key())),
            Ok(Err(e)) => problems.push(("video", e.key())),
            Ok(Ok(v)) => prepared = Some(v),
        }
    }
    drop(dir);
    let refuse = |ctx, scope, u, problems: &[(&'static str, &'static str)], alt| {
        refused_upload(&state, ctx, scope, u, problems, (String::new(), alt))
    };
    let Some(v) = prepared.filter(|_| problems.is_empty()) else {
        return refuse(ctx, scope, u, &problems, alt);
    };
    match state
        .db
        .add_update_video(&scope, id, &alt, &v, captions.as_deref())
        .await
    {
        Ok(_) => Ok(redirect(&format!(
            "/s/{slug}/campaign/updates/{id}?added=video#photos"
        ))),
        Err(convene_domain::Error::Invalid(v)) => {
            // The domain names the description `alt`; on this form it is `video_alt`.
            let p: Vec<_> = v
                .iter()
                .map(|i| {
                    (
                        if i.field == "alt" {
                            "video_alt"
                        } else {
                            i.field
                        },
                        i.key,
                    )
                })
                .collect();
            refuse(ctx, scope, u, &p, alt)
        }
        Err(e) => Err(e.into()),
    }
}

/// One byte range of a `Range` header against a file of `size` bytes: the first and
/// last byte, or `None` when the header asks for nothing this file has (416).
fn byte_range(header: &str, size: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    // Several ranges are answered with the first (allowed: a server may ignore the rest).
    let first = spec.split(',').next()?.trim();
    let (a, b) = first.split_once('-')?;
    if size == 0 {
        return None;
    }
    let (start, end) = if a.is_empty() {
        let n: u64 = b.parse().ok()?;
        if n == 0 {
            return None;
        }
        (size.saturating_sub(n), size - 1)
    } else {
        let start: u64 = a.parse().ok()?;
        let end = if b.is_empty() {
            size - 1
        } else {
            b.parse::<u64>().ok()?.min(size - 1)
        };
        (start, end)
    };
    (start <= end && start < size).then_some((start, end))
}

/// `GET …/videos/{mid}/video.mp4|video.webm|low.mp4`: a video, to whoever may see
/// the update, in full or by byte ranges (what a `<video>` element asks for), read
/// chunk by chunk so that a large file is never held in memory.
pub async fn video_file(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, mid, file)): Path<(String, i64, i64, String)>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let name = match file.as_str() {
        "video.mp4" | "video.webm" => "video",
        "low.mp4" => "low",
        "captions.vtt" => "captions",
        _ => return Err(AppError::NotFound),
    };
    let (s, public) = state.db.update_media_stream(&scope, id, mid, name).await?;
    stream_medium(&state, &headers, s, public)
}

/// A stored medium's file in pieces, honouring one byte range (206, or 416 when it
/// asks for nothing the file has), cacheable by others only when `public`.
pub(crate) fn stream_medium(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    s: convene_domain::media::Stream,
    public: bool,
) -> AppResult<Response> {
    let size = s.size.max(0) as u64;
    let cache = if public {
        "public, max-age=600"
    } else {
        "private, no-store"
    };
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|h| byte_range(h, size));
    let (status, start, end) = match range {
        None => (StatusCode::OK, 0, size.saturating_sub(1)),
        Some(Some((a, b))) => (StatusCode::PARTIAL_CONTENT, a, b),
        Some(None) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [
                    (header::CONTENT_RANGE, format!("bytes */{size}")),
                    (header::CACHE_CONTROL, cache.to_string()),
                ],
            )
                .into_response())
        }
    };
    let len = if size == 0 { 0 } else { end - start + 1 };
    let chunk = convene_domain::media::CHUNK as u64;
    let db = state.db.clone();
    let mime = s.mime.clone();
    let stream = futures_util::stream::unfold((start, len), move |(at, left)| {
        let db = db.clone();
        let s = s.clone();
        async move {
            if left == 0 {
                return None;
            }
            let seq = at / chunk;
            let piece = match db.media_chunk(&s, seq as i64).await {
                Ok(p) => p,
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), (at, 0))),
            };
            let from = (at - seq * chunk) as usize;
            let take = (left as usize).min(piece.len().saturating_sub(from));
            if take == 0 {
                return Some((
                    Err(std::io::Error::other("a stored video is short")),
                    (at, 0),
                ));
            }
            let out = bytes::Bytes::copy_from_slice(&piece[from..from + take]);
            Some((Ok(out), (at + take as u64, left - take as u64)))
        }
    });
    // Fused: a stream polled again after its end (as compression may) stays ended.
    let stream = futures_util::StreamExt::fuse(stream);
    let mut res = axum::body::Body::from_stream(stream).into_response();
    *res.status_mut() = status;
    let h = res.headers_mut();
    let hv = |v: String| axum::http::HeaderValue::from_str(&v).ok();
    if let Some(v) = hv(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Some(v) = hv(len.to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    h.insert(
        header::ACCEPT_RANGES,
        axum::http::HeaderValue::from_static("bytes"),
    );
    if let Some(v) = hv(cache.to_string()) {
        h.insert(header::CACHE_CONTROL, v);
    }
    if status == StatusCode::PARTIAL_CONTENT {
        if let Some(v) = hv(format!("bytes {start}-{end}/{size}")) {
            h.insert(header::CONTENT_RANGE, v);
        }
    }
    Ok(res)
}

/// `POST …/photos/{mid}/remove`: organisers remove a photo.
pub async fn remove_photo(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, id, mid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    state.db.remove_update_photo(&scope, id, mid).await?;
    Ok(redirect(&format!("/s/{slug}/campaign/updates/{id}#photos")))
}

/// `GET …/photos/{mid}/w{width}.jpg`: a photo at one width, to whoever may see the
/// update (an embargoed update's photos are not found by the public, like the
/// update). Public published photos may be cached; others are not kept.
pub async fn photo_file(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((_slug, id, mid, file)): Path<(String, i64, i64, String)>,
) -> AppResult<Response> {
    let name = file.strip_suffix(".jpg").ok_or(AppError::NotFound)?;
    let valid = name
        .strip_prefix('w')
        .is_some_and(|w| !w.is_empty() && w.len() <= 5 && w.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return Err(AppError::NotFound);
    }
    let (b, public) = state.db.update_photo(&scope, id, mid, name).await?;
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

/// `GET /s/{slug}/campaign/feed.atom`: the public updates of a public space, as the
/// public sees them (never an embargoed one, whoever asks).
pub async fn feed(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let scope = state.db.scope(None, &slug).await?;
    let updates = state.db.updates(&scope, 50).await?;
    let base = state
        .cfg
        .public_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    let id_of = |path: &str| {
        if base.is_empty() {
            format!(
                "urn:convene:{}",
                path.trim_start_matches('/').replace('/', ":")
            )
        } else {
            format!("{base}{path}")
        }
    };
    let when = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap_or_default()
            .fixed_offset()
    };
    let page_path = format!("/s/{slug}/campaign");
    let mut feed = atom_syndication::Feed {
        title: atom_syndication::Text::plain(scope.space().name.clone()),
        id: id_of(&page_path),
        updated: when(updates.first().map_or(0, |u| u.publish_at)),
        links: vec![
            atom_syndication::Link {
                href: format!("{base}{page_path}"),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
            atom_syndication::Link {
                href: format!("{base}{page_path}/feed.atom"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    for u in updates {
        let path = format!("{page_path}/updates/{}", u.id);
        feed.entries.push(atom_syndication::Entry {
            title: atom_syndication::Text::plain(u.title.clone()),
            id: id_of(&path),
            updated: when(u.publish_at),
            published: Some(when(u.publish_at)),
            links: std::iter::once(atom_syndication::Link {
                href: format!("{base}{path}"),
                rel: "alternate".into(),
                hreflang: Some(u.lang.clone()),
                mime_type: Some("text/html".into()),
                ..Default::default()
            })
            .chain(u.photos.iter().filter_map(|m| {
                if let Some(v) = m.video() {
                    let ext = if v.mime == "video/webm" {
                        "webm"
                    } else {
                        "mp4"
                    };
                    return Some(atom_syndication::Link {
                        href: format!("{base}{}/video.{ext}", video_base(&slug, u.id, m.id)),
                        rel: "enclosure".into(),
                        mime_type: Some(v.mime.clone()),
                        length: Some(v.size.to_string()),
                        title: Some(m.alt.clone()),
                        ..Default::default()
                    });
                }
                let v = m.at_least(800)?;
                Some(atom_syndication::Link {
                    href: format!("{base}{}/{}.jpg", photo_base(&slug, u.id, m.id), v.name),
                    rel: "enclosure".into(),
                    mime_type: Some(v.mime.clone()),
                    length: Some(v.size.to_string()),
                    title: Some(m.alt.clone()),
                    ..Default::default()
                })
            }))
            .collect(),
            summary: Some(atom_syndication::Text::plain(markdown::plain(&u.body, 300))),
            content: Some(atom_syndication::Content {
                value: Some(u.html.clone()),
                content_type: Some("html".into()),
                lang: Some(u.lang.clone()),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    // Pledges and calls to action, with their counts as every public exit shows
    // them: suppressed, the hidden ones never given as numbers.
    let now = when(convene_domain::util::now());
    let counted = |path: String, title: String, summary: String| atom_syndication::Entry {
        title: atom_syndication::Text::plain(title),
        id: id_of(&path),
        updated: now,
        links: vec![atom_syndication::Link {
            href: format!("{base}{path}"),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        }],
        summary: Some(atom_syndication::Text::plain(summary)),
        ..Default::default()
    };
    for p in state.db.pledges(&scope).await? {
        let c = state.db.pledge_counts(&scope, p.id).await?;
        let summary = convene_domain::i18n::reply(
            "en",
            "feed-pledge-summary",
            &[("count", c.total_text()), ("target", p.target.to_string())],
        );
        feed.entries.push(counted(
            format!("{page_path}/pledges/{}", p.id),
            p.title,
            summary,
        ));
    }
    for call in state.db.calls(&scope).await? {
        let c = state.db.call_counts(&scope, call.id).await?;
        let summary =
            convene_domain::i18n::reply("en", "feed-call-summary", &[("count", c.total_text())]);
        feed.entries.push(counted(
            format!("{page_path}/calls/{}", call.id),
            call.title,
            summary,
        ));
    }
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct DigestForm {
    #[serde(default)]
    pub keyword: String,
}

/// `POST /s/{slug}/campaign/digest`: organisers set the SMS digest's keyword.
pub async fn set_digest(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path(slug): Path<String>,
    Form(f): Form<DigestForm>,
) -> AppResult<Response> {
    let link = state
        .cfg
        .public_url
        .as_deref()
        .map(|b| format!("{}/s/{slug}/campaign", b.trim_end_matches('/')))
        .unwrap_or_default();
    match state.db.set_digest_keyword(&scope, &f.keyword, &link).await {
        Ok(()) => Ok(redirect(&format!("/s/{slug}/campaign#digest"))),
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            let p = campaign_page(&state, ctx, scope, errors, MilestoneForm::default()).await?;
            page_with(StatusCode::BAD_REQUEST, &p)
        }
        Err(e) => Err(e.into()),
    }
}
