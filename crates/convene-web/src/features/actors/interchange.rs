//! Import (Convene template, Kumu spreadsheets, Kumu JSON) and export (CSV, GEXF,
//! GraphML, pseudonymised CSV) of the actor map. Imports are all or nothing;
//! exports read what the viewer may see and are audited.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use convene_domain::actors::interchange::{
    actors_csv, gexf, graphml, name_key, parse_convene, parse_kumu_csv, parse_kumu_json,
    records_csv, resolve, template as template_csv, Defaults, RowError,
};
use convene_domain::actors::{today, ActorMap, ImportSummary};
use convene_domain::model::Level;
use convene_domain::spaces::Scope;
use serde::Deserialize;

use super::{confidence_options, deny, level_options, may_export, may_record, Options};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::{page, page_with, AppState};

#[derive(Deserialize, Default, Clone)]
pub struct ImportForm {
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub first: String,
    #[serde(default)]
    pub second: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub named: String,
}

pub struct ErrorRow {
    pub sheet: String,
    pub line: u64,
    pub column: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "features/actors/import.html")]
pub struct ImportPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub may_record: bool,
    pub may_export: bool,
    pub form: ImportForm,
    pub formats: Options,
    pub levels: Options,
    pub confidences: Options,
    pub rows: Vec<ErrorRow>,
    pub errors: FormErrors,
    pub done: Option<ImportSummary>,
    pub today: String,
}

fn import_page(
    ctx: Ctx,
    scope: Scope,
    form: ImportForm,
    rows: Vec<ErrorRow>,
    errors: FormErrors,
    done: Option<ImportSummary>,
) -> ImportPage {
    let formats = ["convene", "kumu-csv", "kumu-json"]
        .iter()
        .map(|f| (f.to_string(), ctx.t(&format!("actors-format-{f}"))))
        .collect();
    ImportPage {
        may_record: may_record(&scope),
        may_export: may_export(&scope),
        levels: level_options(&ctx),
        confidences: confidence_options(&ctx),
        formats,
        form,
        rows,
        errors,
        done,
        today: today(),
        ctx,
        scope,
    }
}

pub async fn import_form(ctx: Ctx, SpaceScope(scope): SpaceScope) -> AppResult<Response> {
    if !may_record(&scope) && !may_export(&scope) {
        return Err(deny(&ctx));
    }
    let form = ImportForm {
        format: "convene".into(),
        date: today(),
        confidence: "medium".into(),
        level: "members".into(),
        ..ImportForm::default()
    };
    page(&import_page(
        ctx,
        scope,
        form,
        vec![],
        FormErrors::default(),
        None,
    ))
}

fn error_rows(ctx: &Ctx, errs: &[RowError]) -> Vec<ErrorRow> {
    errs.iter()
        .map(|e| ErrorRow {
            sheet: ctx.t(&format!("actors-sheet-{}", e.sheet)),
            line: e.line,
            column: e.column.clone(),
            reason: ctx.t(e.key),
        })
        .collect()
}

pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Form(f): Form<ImportForm>,
) -> AppResult<Response> {
    if !may_record(&scope) {
        return Err(deny(&ctx));
    }
    let Some(level) = Level::parse(&f.level) else {
        let errors = FormErrors::one(&ctx, "level", "error-invalid");
        return page_with(
            StatusCode::BAD_REQUEST,
            &import_page(ctx, scope, f, vec![], errors, None),
        );
    };
    let kumu = f.format != "convene";
    if kumu
        && (!convene_domain::records::valid_date(f.date.trim()) || f.date.trim() > today().as_str())
    {
        let errors = FormErrors::one(&ctx, "date", "error-date");
        return page_with(
            StatusCode::BAD_REQUEST,
            &import_page(ctx, scope, f, vec![], errors, None),
        );
    }
    let def = Defaults {
        level,
        date: f.date.trim().to_string(),
        source: if f.source.trim().is_empty() {
            ctx.t("actors-import-default-source")
        } else {
            f.source.trim().to_string()
        },
        confidence: if f.confidence.is_empty() {
            "medium".into()
        } else {
            f.confidence.clone()
        },
        today: today(),
    };
    if !matches!(f.format.as_str(), "convene" | "kumu-csv" | "kumu-json") {
        return Err(AppError::BadRequest);
    }
    let (format, first, second, defaults) = (
        f.format.clone(),
        f.first.clone(),
        f.second.clone(),
        def.clone(),
    );
    let parsed = crate::upload::parse(move || match format.as_str() {
        "convene" => parse_convene(&first, &second, &defaults),
        "kumu-csv" => parse_kumu_csv(&first, &second, &defaults),
        _ => parse_kumu_json(&first, &defaults),
    })
    .await;
    let draft = match parsed {
        Ok(d) => d,
        Err(e) => {
            let errors = FormErrors::one(&ctx, "first", e.key());
            return page_with(
                StatusCode::BAD_REQUEST,
                &import_page(ctx, scope, f, vec![], errors, None),
            );
        }
    };
    let map = state.db.actor_map(&scope).await?;
    let existing: HashMap<String, i64> = map
        .actors
        .iter()
        .map(|a| (name_key(&a.name), a.id))
        .collect();
    // Names already used by actors this viewer cannot see are duplicates too.
    let mut taken = std::collections::HashSet::new();
    for (_, _, a, _) in &draft.actors {
        if !existing.contains_key(&name_key(&a.name))
            && state.db.actor_name_taken(&scope, &a.name).await?
        {
            taken.insert(name_key(&a.name));
        }
    }
    let resolved = resolve(draft, &existing, &|n| taken.contains(&name_key(n)));
    match resolved {
        Err(errs) => {
            let rows = error_rows(&ctx, &errs);
            let errors = FormErrors::one(&ctx, "first", "actors-import-rejected");
            page_with(
                StatusCode::BAD_REQUEST,
                &import_page(ctx, scope, f, rows, errors, None),
            )
        }
        Ok(import)
            if import.actors.is_empty()
                && import.observations.is_empty()
                && import.ties.is_empty() =>
        {
            let errors = FormErrors::one(&ctx, "first", "actors-import-empty");
            page_with(
                StatusCode::BAD_REQUEST,
                &import_page(ctx, scope, f, vec![], errors, None),
            )
        }
        Ok(import) => {
            let summary = state.db.import_actor_map(&scope, import).await?;
            let form = ImportForm {
                format: f.format,
                date: f.date,
                confidence: f.confidence,
                level: f.level,
                ..ImportForm::default()
            };
            page(&import_page(
                ctx,
                scope,
                form,
                vec![],
                FormErrors::default(),
                Some(summary),
            ))
        }
    }
}

pub async fn template(Path((_slug, file)): Path<(String, String)>) -> AppResult<Response> {
    let body = template_csv(&file).ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"actor-map-template-{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    as_of: Option<String>,
}

/// A stable code for an actor (a keyed hash of its id), the same in every export.
fn code(state: &AppState, space: i64, id: i64) -> String {
    state
        .db
        .keys()
        .lookup_hash("actor.code", &format!("{space}:{id}"))
        .map(|h| format!("A-{}", h.chars().take(8).collect::<String>().to_uppercase()))
        .unwrap_or_else(|_| format!("A-{id}"))
}

pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Path((slug, file)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> AppResult<Response> {
    let known = [
        "actors.csv",
        "records.csv",
        "network.gexf",
        "network.graphml",
        "pseudonymised-actors.csv",
        "pseudonymised-records.csv",
    ];
    if !known.contains(&file.as_str()) {
        return Err(AppError::NotFound);
    }
    if !may_export(&scope) {
        return Err(deny(&ctx));
    }
    let as_of = super::as_of_or_today(q.as_of.as_deref())?;
    let map: ActorMap = state.db.export_actor_map(&scope, &file).await?;
    let space_id = scope.space().id;
    let names: HashMap<i64, String> = map.actors.iter().map(|a| (a.id, a.name.clone())).collect();
    let by_name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let by_code = |id: i64| code(&state, space_id, id);
    let (body, mime) = match file.as_str() {
        "actors.csv" => (actors_csv(&map, &by_name, false), "text/csv"),
        "records.csv" => (records_csv(&map, &by_name, false), "text/csv"),
        "pseudonymised-actors.csv" => (actors_csv(&map, &by_code, true), "text/csv"),
        "pseudonymised-records.csv" => (records_csv(&map, &by_code, true), "text/csv"),
        "network.gexf" => (gexf(&map, &by_name), "application/gexf+xml"),
        _ => (graphml(&map, &as_of, &by_name), "application/graphml+xml"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, format!("{mime}; charset=utf-8")),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}
