//! The gazetteer: a space's administrative places (regions, districts,
//! sub-districts) with their P-codes, names in several languages and optional
//! boundaries. Activities, concerns, polls' districts and the 3W map all point
//! at these places, so every part of the product speaks of the same districts.
//!
//! Places are not confidential records: whoever may see the space sees its
//! gazetteer. Organisers import it (one transaction: a file with a problem
//! changes nothing) and add boundaries; both are audited.

pub mod boundaries;
pub mod gazetteer_csv;

use std::collections::{BTreeMap, HashMap};

use convene_analysis::geo::Shape;

use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::Role;
use crate::storage::{int, opt_int, opt_text, text, Db};

pub use boundaries::Boundaries;
pub use gazetteer_csv::{Gazetteer, NewPlace};

/// A place of the gazetteer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Place {
    pub id: i64,
    /// 1 region, 2 district, 3 sub-district.
    pub level: u8,
    pub code: String,
    /// The name in the gazetteer's default language.
    pub name: String,
    /// Names in other languages, by language code.
    pub names: BTreeMap<String, String>,
    pub parent_id: Option<i64>,
    pub has_boundary: bool,
}

impl Place {
    /// The place's name in `lang`, or its default name.
    pub fn name_in(&self, lang: &str) -> &str {
        self.names.get(lang).map_or(&self.name, String::as_str)
    }
}

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
}

const PLACE_COLS: &str =
    "id, level, code, name, names, parent_id, CAST(CASE WHEN boundary IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_boundary";

fn place_from_row(r: &sqlx::any::AnyRow) -> Result<Place> {
    let names: BTreeMap<String, String> =
        serde_json::from_str(&text(r, "names")?).unwrap_or_default();
    Ok(Place {
        id: int(r, "id")?,
        level: u8::try_from(int(r, "level")?).unwrap_or(0),
        code: text(r, "code")?,
        name: text(r, "name")?,
        names,
        parent_id: opt_int(r, "parent_id")?,
        has_boundary: int(r, "has_boundary")? != 0,
    })
}

fn search_text(p: &NewPlace) -> String {
    let mut s = format!("{}\n{}", p.code, p.name);
    for n in p.names.values() {
        s.push('\n');
        s.push_str(n);
    }
    s.to_lowercase()
}

impl Db {
    /// Adds the file's places to the space's gazetteer and updates those it already
    /// has (by code); never removes one, since activities may point at it
    /// (organisers; one transaction; audited).
    pub async fn import_gazetteer(&self, scope: &Scope, g: &Gazetteer) -> Result<ImportSummary> {
        scope.require(Role::is_organiser)?;
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query("SELECT id, code FROM places WHERE space_id = $1")
            .bind(scope.space.id)
            .fetch_all(&mut *tx)
            .await?;
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(rows.len());
        for r in &rows {
            ids.insert(text(r, "code")?, int(r, "id")?);
        }
        let mut summary = ImportSummary::default();
        for p in &g.places {
            let parent = match &p.parent {
                Some(c) => Some(
                    *ids.get(c)
                        .ok_or_else(|| Error::Internal("a parent after its child".into()))?,
                ),
                None => None,
            };
            let names = serde_json::to_string(&p.names)
                .map_err(|e| Error::Internal(format!("place names: {e}")))?;
            match ids.get(&p.code) {
                Some(&id) => {
                    sqlx::query(
                        "UPDATE places SET level = $1, name = $2, names = $3, search_text = $4, parent_id = $5
                         WHERE id = $6",
                    )
                    .bind(i64::from(p.level))
                    .bind(&p.name)
                    .bind(names)
                    .bind(search_text(p))
                    .bind(parent)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    summary.updated += 1;
                }
                None => {
                    let row = sqlx::query(
                        "INSERT INTO places (space_id, level, code, name, names, search_text, parent_id)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(scope.space.id)
                    .bind(i64::from(p.level))
                    .bind(&p.code)
                    .bind(&p.name)
                    .bind(names)
                    .bind(search_text(p))
                    .bind(parent)
                    .fetch_one(&mut *tx)
                    .await?;
                    ids.insert(p.code.clone(), int(&row, "id")?);
                    summary.added += 1;
                }
            }
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PlacesImport,
                target: format!("space:{}", scope.space.id),
                detail: format!("added={} updated={}", summary.added, summary.updated),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The codes of the space's places with their levels (to match boundaries).
    pub async fn place_codes(&self, scope: &Scope) -> Result<HashMap<String, u8>> {
        let rows = sqlx::query("SELECT code, level FROM places WHERE space_id = $1")
            .bind(scope.space.id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    text(r, "code")?,
                    u8::try_from(int(r, "level")?).unwrap_or(0),
                ))
            })
            .collect()
    }

    /// Sets the boundaries of places (organisers; one transaction; audited).
    pub async fn set_boundaries(&self, scope: &Scope, b: &Boundaries) -> Result<usize> {
        scope.require(Role::is_organiser)?;
        let mut tx = self.pool.begin().await?;
        let mut n = 0;
        for (code, shape) in &b.shapes {
            let json = serde_json::to_string(shape)
                .map_err(|e| Error::Internal(format!("boundary: {e}")))?;
            let done =
                sqlx::query("UPDATE places SET boundary = $1 WHERE space_id = $2 AND code = $3")
                    .bind(json)
                    .bind(scope.space.id)
                    .bind(code)
                    .execute(&mut *tx)
                    .await?;
            n += done.rows_affected() as usize;
        }
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PlacesBoundaries,
                target: format!("space:{}", scope.space.id),
                detail: format!("places={n} unmatched={}", b.unmatched),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The places directly under `parent` (the regions when `None`), by name.
    pub async fn places_under(&self, scope: &Scope, parent: Option<i64>) -> Result<Vec<Place>> {
        let rows = match parent {
            Some(p) => sqlx::query(&format!(
                "SELECT {PLACE_COLS} FROM places WHERE space_id = $1 AND parent_id = $2 ORDER BY name, code"
            ))
            .bind(scope.space.id)
            .bind(p)
            .fetch_all(&self.pool)
            .await?,
            None => sqlx::query(&format!(
                "SELECT {PLACE_COLS} FROM places WHERE space_id = $1 AND parent_id IS NULL ORDER BY name, code"
            ))
            .bind(scope.space.id)
            .fetch_all(&self.pool)
            .await?,
        };
        rows.iter().map(place_from_row).collect()
    }

    /// Every place of the space, regions first, then by name.
    pub async fn all_places(&self, scope: &Scope) -> Result<Vec<Place>> {
        let rows = sqlx::query(&format!(
            "SELECT {PLACE_COLS} FROM places WHERE space_id = $1 ORDER BY level, name, code"
        ))
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(place_from_row).collect()
    }

    /// The place with `code` in the space.
    pub async fn place(&self, scope: &Scope, code: &str) -> Result<Place> {
        let row = sqlx::query(&format!(
            "SELECT {PLACE_COLS} FROM places WHERE space_id = $1 AND code = $2"
        ))
        .bind(scope.space.id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        place_from_row(&row)
    }

    /// The place with id `id` in the space.
    pub async fn place_by_id(&self, scope: &Scope, id: i64) -> Result<Place> {
        let row = sqlx::query(&format!(
            "SELECT {PLACE_COLS} FROM places WHERE space_id = $1 AND id = $2"
        ))
        .bind(scope.space.id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        place_from_row(&row)
    }

    /// The place's ancestors, the region first.
    pub async fn place_ancestors(&self, scope: &Scope, place: &Place) -> Result<Vec<Place>> {
        let mut out = Vec::new();
        let mut next = place.parent_id;
        while let Some(id) = next {
            if out.len() > 8 {
                break;
            }
            let p = self.place_by_id(scope, id).await?;
            next = p.parent_id;
            out.push(p);
        }
        out.reverse();
        Ok(out)
    }

    /// Places whose code or name (in any language) contains `q`, regions first.
    pub async fn search_places(&self, scope: &Scope, q: &str, limit: i64) -> Result<Vec<Place>> {
        let q = q.trim().to_lowercase();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let rows = sqlx::query(&format!(
            "SELECT {PLACE_COLS} FROM places WHERE space_id = $1 AND search_text LIKE $2 ESCAPE '\\'
             ORDER BY level, name, code LIMIT $3"
        ))
        .bind(scope.space.id)
        .bind(pattern)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(place_from_row).collect()
    }

    /// How many places each of `ids` has directly under it (those with none are
    /// left out).
    pub async fn place_child_counts(
        &self,
        scope: &Scope,
        ids: &[i64],
    ) -> Result<HashMap<i64, i64>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        // Integers: safe to inline.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(&format!(
            "SELECT parent_id, COUNT(*) AS n FROM places WHERE space_id = $1 AND parent_id IN ({list})
             GROUP BY parent_id"
        ))
        .bind(scope.space.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((int(r, "parent_id")?, int(r, "n")?)))
            .collect()
    }

    /// Says where a record is about (or nowhere, with an empty code): the record's
    /// author or an organiser, for a record the viewer sees.
    pub async fn set_record_place(&self, scope: &Scope, record_id: i64, code: &str) -> Result<()> {
        let row = {
            let mut binds = Vec::new();
            let rule = crate::access::visible(scope, &mut binds);
            binds.push(crate::storage::Bind::I(record_id));
            let sql = format!(
                "SELECT r.author_id FROM records r WHERE {rule} AND r.id = ${}",
                binds.len()
            );
            crate::storage::bind_all(sqlx::query(&sql), binds)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(Error::NotFound)?
        };
        if !crate::access::policy::may_change_level(scope, opt_int(&row, "author_id")?) {
            return Err(Error::Forbidden);
        }
        let code = code.trim();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM record_places WHERE record_id = $1")
            .bind(record_id)
            .execute(&mut *tx)
            .await?;
        if !code.is_empty() {
            let place = self
                .place(scope, code)
                .await
                .map_err(|_| Error::invalid("place", "activity-error-place"))?;
            sqlx::query("INSERT INTO record_places (record_id, place_id) VALUES ($1, $2)")
                .bind(record_id)
                .bind(place.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.forget_three_w(scope.space.id);
        Ok(())
    }

    /// The boundaries of places, by id (those that have one).
    pub async fn place_shapes(&self, scope: &Scope, ids: &[i64]) -> Result<Vec<(i64, Shape)>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(200) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT id, boundary FROM places WHERE space_id = $1 AND boundary IS NOT NULL AND id IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(scope.space.id);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                if let Some(b) = opt_text(&r, "boundary")? {
                    if let Ok(shape) = serde_json::from_str::<Shape>(&b) {
                        out.push((int(&r, "id")?, shape));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The gazetteer as an HXL CSV that imports again: one row per place, its
/// ancestors' codes and names beside it, a column per other language.
pub fn gazetteer_hxl(places: &[Place]) -> String {
    use crate::export::csv_cell;
    let by_id: HashMap<i64, &Place> = places.iter().map(|p| (p.id, p)).collect();
    let depth = places
        .iter()
        .map(|p| p.level)
        .max()
        .unwrap_or(1)
        .clamp(1, 3);
    let langs: Vec<String> = {
        let mut l: Vec<String> = places
            .iter()
            .flat_map(|p| p.names.keys().cloned())
            .collect();
        l.sort();
        l.dedup();
        l
    };
    let mut head = Vec::new();
    let mut tags = Vec::new();
    for level in 1..=depth {
        head.push(format!("Admin {level} P-code"));
        tags.push(format!("#adm{level}+code"));
        head.push(format!("Admin {level} name"));
        tags.push(format!("#adm{level}+name"));
        for l in &langs {
            head.push(format!("Admin {level} name ({l})"));
            tags.push(format!("#adm{level}+name+i_{l}"));
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&head);
    let _ = w.write_record(&tags);
    for p in places {
        let mut chain = vec![p];
        let mut next = p.parent_id;
        while let Some(id) = next {
            match by_id.get(&id) {
                Some(a) if chain.len() < 3 => {
                    chain.push(a);
                    next = a.parent_id;
                }
                _ => break,
            }
        }
        chain.reverse();
        let mut row = Vec::new();
        for level in 1..=depth {
            match chain.iter().find(|c| c.level == level) {
                Some(c) => {
                    row.push(csv_cell(&c.code));
                    row.push(csv_cell(&c.name));
                    for l in &langs {
                        row.push(csv_cell(c.names.get(l).map_or("", String::as_str)));
                    }
                }
                None => row.extend(std::iter::repeat_n(String::new(), 2 + langs.len())),
            }
        }
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
