//! Records of a space: list, search, detail, create, change confidentiality, export.
//! Every read goes through the storage layer's confidentiality rule via a `Scope`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use convene_domain::access::policy;
use convene_domain::model::{Detail, Kind, Level, NewRecord, Record};
use convene_domain::records::Filter;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::features::spaces::kind_label;
use crate::{page, page_with, redirect, AppState};

pub const PAGE_SIZE: i64 = 50;

pub fn parse_kind(slug: &str) -> AppResult<Kind> {
    Kind::from_slug(slug).ok_or(AppError::NotFound)
}

pub fn level_label(ctx: &Ctx, level: Level) -> String {
    ctx.t(&format!("level-{}", level.as_str()))
}

pub struct Row {
    pub record: Record,
    pub kind_slug: &'static str,
    pub level: String,
    pub summary: String,
}

fn row(ctx: &Ctx, r: Record) -> Row {
    let summary = match &r.detail {
        Detail::Activity {
            locality,
            starts_on,
            ..
        } => format!("{locality} · {starts_on}"),
        Detail::Contact { name, .. } => name.clone(),
        Detail::None => r.body.chars().take(160).collect(),
    };
    Row {
        kind_slug: r.kind.slug(),
        level: level_label(ctx, r.level),
        summary,
        record: r,
    }
}

#[derive(Template)]
#[template(path = "features/records/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub heading: String,
    pub kind_slug: String,
    pub rows: Vec<Row>,
    pub total: i64,
    pub query: String,
    pub page: i64,
    pub pages: i64,
    pub may_create: bool,
    pub may_export: bool,
    pub is_search: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, kind)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    render_list(&state, ctx, scope, Some(kind), q).await
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    render_list(&state, ctx, scope, None, q).await
}

async fn render_list(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    kind: Option<Kind>,
    q: ListQuery,
) -> AppResult<Response> {
    let query =
        q.q.unwrap_or_default()
            .chars()
            .take(200)
            .collect::<String>();
    let page_no = q.page.unwrap_or(1).clamp(1, 100_000);
    let f = Filter {
        kind,
        query: Some(query.clone()),
        limit: Some(PAGE_SIZE),
        offset: (page_no - 1) * PAGE_SIZE,
        ..Filter::default()
    };
    let total = state.db.count_visible(&scope, &f).await?;
    let rows = state
        .db
        .fetch_visible(&scope, &f)
        .await?
        .into_iter()
        .map(|r| row(&ctx, r))
        .collect();
    let heading = match kind {
        Some(k) => kind_label(&ctx, k),
        None => ctx.t("search-results"),
    };
    let role = scope.role();
    page(&ListPage {
        heading,
        kind_slug: kind.map(|k| k.slug().to_string()).unwrap_or_default(),
        rows,
        total,
        page: page_no,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        may_create: kind.is_some_and(|k| role.is_some_and(|r| r.may_create(k))),
        may_export: kind.is_some() && role.is_some_and(|r| r.may_export()),
        is_search: kind.is_none(),
        query,
        ctx,
        scope,
    })
}

#[derive(Template)]
#[template(path = "features/records/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub row: Row,
    pub kind_label: String,
    pub named: Vec<String>,
    pub may_change_level: bool,
    pub levels: Vec<(&'static str, String, bool)>,
    pub track: String,
    /// A concern's endorsements by organisations, and the organisations the viewer
    /// may endorse it for.
    pub endorsements: Option<convene_domain::organisations::Endorsements>,
    pub my_orgs: Vec<(i64, String)>,
    /// Where a concern came from or went.
    pub links: convene_domain::organisations::ConcernLinks,
    /// Other concerns to merge this one into (organisers): (id, title).
    pub merge_targets: Vec<(i64, String)>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, kind, id)): Path<(String, String, i64)>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    let record = state.db.get_record(&scope, kind, id).await?;
    let named = if record.level == Level::Named {
        state.db.record_named(&scope, kind, id).await?
    } else {
        vec![]
    };
    let may_change_level = policy::may_change_level(&scope, record.author_id);
    let levels = Level::ALL
        .iter()
        .map(|l| (l.as_str(), level_label(&ctx, *l), *l == record.level))
        .collect();
    let track = match &record.detail {
        Detail::Activity { track: Some(t), .. } => ctx.t(&format!("track-{t}")),
        _ => String::new(),
    };
    let (links, merge_targets) = if kind == Kind::Concern {
        let links = state.db.concern_links(&scope, id).await?;
        let targets = if policy::may_organise(&scope) {
            state
                .db
                .fetch_visible(
                    &scope,
                    &Filter {
                        kind: Some(Kind::Concern),
                        limit: Some(300),
                        ..Filter::default()
                    },
                )
                .await?
                .into_iter()
                .filter(|c| c.id != id)
                .map(|c| (c.id, c.title))
                .collect()
        } else {
            vec![]
        };
        (links, targets)
    } else {
        (Default::default(), vec![])
    };
    let (endorsements, my_orgs) = if kind == Kind::Concern {
        let e = state.db.endorsements(&scope, id).await?;
        let mine = state
            .db
            .my_organisations(&scope)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        (Some(e), mine)
    } else {
        (None, vec![])
    };
    let kl = kind_label(&ctx, kind);
    let row = row(&ctx, record);
    page(&ShowPage {
        ctx,
        scope,
        row,
        kind_label: kl,
        named,
        may_change_level,
        levels,
        track,
        endorsements,
        my_orgs,
        links,
        merge_targets,
    })
}

#[derive(Template)]
#[template(path = "features/records/new.html")]
pub struct NewPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub kind_slug: &'static str,
    pub kind_label: String,
    pub is_activity: bool,
    pub is_contact: bool,
    pub form: RecordForm,
    pub levels: Vec<(&'static str, String)>,
    pub tracks: Vec<(String, String)>,
    pub errors: FormErrors,
    pub is_concern: bool,
    /// The gazetteer's places, as (P-code, "Region › District").
    pub places: Vec<(String, String)>,
}

#[derive(Deserialize, Default, Clone)]
pub struct RecordForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub locality: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub track: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub named: String,
    /// Where a concern is about: a P-code of the gazetteer.
    #[serde(default)]
    pub place: String,
}

async fn new_page(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    kind: Kind,
    form: RecordForm,
    errors: FormErrors,
) -> AppResult<NewPage> {
    let all = if kind == Kind::Concern {
        state.db.all_places(&scope).await?
    } else {
        vec![]
    };
    let lang = ctx.lang.code();
    let places = all
        .iter()
        .map(|p| {
            let parent = all.iter().find(|q| Some(q.id) == p.parent_id);
            let label = match parent {
                Some(q) => format!("{} › {}", q.name_in(lang), p.name_in(lang)),
                None => p.name_in(lang).to_string(),
            };
            (p.code.clone(), label)
        })
        .collect();
    let levels = Level::ALL
        .iter()
        .map(|l| (l.as_str(), level_label(&ctx, *l)))
        .collect();
    let tracks = (1..=9)
        .map(|t| (t.to_string(), ctx.t(&format!("track-{t}"))))
        .collect();
    Ok(NewPage {
        kind_slug: kind.slug(),
        kind_label: kind_label(&ctx, kind),
        is_activity: kind == Kind::Activity,
        is_contact: kind == Kind::Contact,
        is_concern: kind == Kind::Concern,
        places,
        form,
        levels,
        tracks,
        errors,
        ctx,
        scope,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((_, kind)): Path<(String, String)>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    if !scope.role().is_some_and(|r| r.may_create(kind)) {
        return Err(if ctx.user.is_none() {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    }
    let form = RecordForm {
        level: "members".into(),
        ..RecordForm::default()
    };
    page(&new_page(&state, ctx, scope, kind, form, FormErrors::default()).await?)
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, kind)): Path<(String, String)>,
    Form(f): Form<RecordForm>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    // The right to create is checked before anything is looked up: the addresses
    // in `named` must tell nothing to someone who may not create.
    if !policy::may_create(&scope, kind) {
        return Err(AppError::Forbidden);
    }
    let Some(level) = Level::parse(&f.level) else {
        let errors = FormErrors::one(&ctx, "level", "error-invalid");
        return page_with(
            StatusCode::BAD_REQUEST,
            &new_page(&state, ctx, scope, kind, f, errors).await?,
        );
    };
    let track = match f.track.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let errors = FormErrors::one(&ctx, "track", "error-track");
                return page_with(
                    StatusCode::BAD_REQUEST,
                    &new_page(&state, ctx, scope, kind, f, errors).await?,
                );
            }
        },
    };
    let mut named = Vec::new();
    for email in f
        .named
        .split([',', '\n', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        match state.db.user_by_email(email).await? {
            Some(u) => named.push(u.id),
            None => {
                let errors = FormErrors::one(&ctx, "named", "error-no-such-user");
                return page_with(
                    StatusCode::BAD_REQUEST,
                    &new_page(&state, ctx, scope, kind, f, errors).await?,
                );
            }
        }
    }
    let detail = match kind {
        Kind::Concern => Detail::None,
        Kind::Activity => Detail::Activity {
            locality: f.locality.clone(),
            starts_on: f.starts_on.trim().to_string(),
            track,
        },
        Kind::Contact => Detail::Contact {
            name: f.name.clone(),
            email: opt(&f.email),
            phone: opt(&f.phone),
        },
    };
    // Where a concern is about: checked before anything is written.
    let place = f.place.trim().to_string();
    if kind == Kind::Concern && !place.is_empty() && state.db.place(&scope, &place).await.is_err() {
        let errors = FormErrors::one(&ctx, "place", "activity-error-place");
        return page_with(
            StatusCode::BAD_REQUEST,
            &new_page(&state, ctx, scope, kind, f, errors).await?,
        );
    }
    let new = NewRecord {
        kind,
        level,
        title: f.title.clone(),
        body: f.body.clone(),
        detail,
        named,
    };
    match state.db.create_record(&scope, new).await {
        Ok(id) => {
            if kind == Kind::Concern && !place.is_empty() {
                state.db.set_record_place(&scope, id, &place).await?;
            }
            Ok(redirect(&format!("/s/{slug}/{}/{id}", kind.slug())))
        }
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            page_with(
                StatusCode::BAD_REQUEST,
                &new_page(&state, ctx, scope, kind, f, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LevelForm {
    #[serde(default)]
    level: String,
    #[serde(default)]
    named: String,
}

pub async fn set_level(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, kind, id)): Path<(String, String, i64)>,
    Form(f): Form<LevelForm>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    let level = Level::parse(&f.level).ok_or(AppError::BadRequest)?;
    let named: Vec<String> = f
        .named
        .split([',', '\n', ' '])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    state.db.set_level(&scope, kind, id, level, &named).await?;
    Ok(redirect(&format!("/s/{slug}/{}/{id}", kind.slug())))
}

use convene_domain::export::csv_cell as cell;

pub async fn export_csv(
    State(state): State<AppState>,
    SpaceScope(scope): SpaceScope,
    Path((slug, kind)): Path<(String, String)>,
) -> AppResult<Response> {
    let kind = parse_kind(&kind)?;
    let records = state.db.export_records(&scope, kind).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "kind",
        "confidentiality",
        "title",
        "body",
        "author",
        "created_at",
        "locality",
        "starts_on",
        "track",
        "name",
        "email",
        "phone",
    ];
    let hxl = [
        "#meta+id",
        "#meta+kind",
        "#meta+confidentiality",
        "#description+title",
        "#description",
        "#contact+author",
        "#date+created",
        "#loc+name",
        "#date+start",
        "#sector+track",
        "#contact+name",
        "#contact+email",
        "#contact+phone",
    ];
    let csv_err = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(csv_err)?;
    w.write_record(hxl).map_err(csv_err)?;
    for r in records {
        let (locality, starts_on, track, name, email, phone) = match &r.detail {
            Detail::Activity {
                locality,
                starts_on,
                track,
            } => (
                locality.clone(),
                starts_on.clone(),
                track.map(|t| t.to_string()).unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
            ),
            Detail::Contact { name, email, phone } => (
                String::new(),
                String::new(),
                String::new(),
                name.clone(),
                email.clone().unwrap_or_default(),
                phone.clone().unwrap_or_default(),
            ),
            Detail::None => Default::default(),
        };
        w.write_record([
            r.id.to_string(),
            r.kind.as_str().to_string(),
            r.level.as_str().to_string(),
            cell(&r.title),
            cell(&r.body),
            cell(r.author.as_deref().unwrap_or("")),
            crate::context::format_date(r.created_at),
            cell(&locality),
            starts_on,
            track,
            cell(&name),
            cell(&email),
            cell(&phone),
        ])
        .map_err(csv_err)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-{}.csv\"", kind.slug()),
            ),
        ],
        body,
    )
        .into_response())
}
