//! Import and export of the actor map: Convene's two-sheet CSV template, Kumu
//! spreadsheets (elements and connections) and Kumu JSON blueprints in; CSV, GEXF
//! 1.3, GraphML and a pseudonymised CSV out.
//!
//! Imports are checked whole before anything is stored: every bad row is reported
//! with its sheet, line and reason, and nothing is written unless all rows are
//! valid. References are never guessed: a tie to an unknown actor, a value out of
//! range, a date in the future or a duplicate actor is an error.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::{
    default_sign, tie_key, validate_actor, validate_observation, validate_tie, ActorMap, Envelope,
    Import, NewActor, NewObservation, NewTie, Provenance,
};
use crate::model::Level;

/// Columns of the actors sheet.
pub const ACTORS_COLUMNS: [&str; 7] = [
    "name", "kind", "tracks", "side", "location", "tags", "level",
];
/// Columns of the ties and observations sheet.
pub const RECORDS_COLUMNS: [&str; 17] = [
    "type",
    "actor",
    "other_actor",
    "date",
    "attitude",
    "influence",
    "interests",
    "values",
    "positions",
    "tie_kind",
    "sign",
    "strength",
    "direction",
    "status",
    "source",
    "confidence",
    "level",
];

pub use crate::error::RowError;

fn err(sheet: &'static str, line: u64, column: &str, key: &'static str) -> RowError {
    RowError {
        sheet,
        line,
        column: column.to_string(),
        key,
    }
}

/// A parsed file whose actor references are still names.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub actors: Vec<(u64, &'static str, NewActor, Level)>,
    pub observations: Vec<(u64, &'static str, String, NewObservation, Level)>,
    pub ties: Vec<(u64, &'static str, String, String, NewTie, Level)>,
    pub errors: Vec<RowError>,
}

/// Import options that apply to a whole file.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub level: Level,
    /// Date of observations and ties in Kumu files (which carry none).
    pub date: String,
    pub source: String,
    pub confidence: String,
    /// Today, `YYYY-MM-DD`: later dates are refused.
    pub today: String,
}

/// How names compare: trimmed, inner spaces collapsed, lower case.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn split_multi(s: &str) -> Vec<String> {
    s.split(['|', ','])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn normal_kind(s: &str) -> String {
    let k = s.trim().to_lowercase().replace([' ', '-'], "_");
    match k.as_str() {
        "organization" => "organisation".into(),
        "person" => "individual".into(),
        "communication_channel" => "communication".into(),
        "open_conflict" => "conflict".into(),
        _ => k,
    }
}

struct Sheet {
    name: &'static str,
    headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Sheet {
    fn get<'a>(&self, rec: &'a csv::StringRecord, col: &str) -> &'a str {
        self.headers
            .iter()
            .position(|h| h == col)
            .and_then(|i| rec.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
}

fn read_sheet(name: &'static str, text: &str, errors: &mut Vec<RowError>) -> Option<Sheet> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(_) => {
            errors.push(err(name, 1, "", "actors-import-unreadable"));
            return None;
        }
    };
    let mut rows = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map(|p| p.line()).unwrap_or(0);
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                rows.push((line, r));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(err(name, line, "", "actors-import-unreadable"));
            }
        }
    }
    Some(Sheet {
        name,
        headers,
        rows,
    })
}

fn require_columns(s: &Sheet, cols: &[&str], errors: &mut Vec<RowError>) -> bool {
    let mut ok = true;
    for c in cols {
        if !s.headers.iter().any(|h| h == c) {
            errors.push(err(s.name, 1, c, "actors-import-missing-column"));
            ok = false;
        }
    }
    ok
}

fn level_or(s: &str, default: Level) -> Option<Level> {
    if s.is_empty() {
        Some(default)
    } else {
        Level::parse(&s.to_lowercase())
    }
}

fn opt_num<T: std::str::FromStr>(s: &str) -> Result<Option<T>, ()> {
    match s.trim_start_matches('+') {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| ()),
    }
}

/// Field errors of the domain validation, mapped to the file's column names.
fn push_invalid(
    errors: &mut Vec<RowError>,
    sheet: &'static str,
    line: u64,
    invalid: Vec<crate::error::Invalid>,
    rename: &[(&str, &str)],
) {
    for i in invalid {
        let col = rename
            .iter()
            .find(|(f, _)| *f == i.field)
            .map(|(_, c)| *c)
            .unwrap_or(i.field);
        errors.push(err(sheet, line, col, i.key));
    }
}

fn actor_from(
    sheet: &'static str,
    line: u64,
    a: NewActor,
    level: Option<Level>,
    d: &mut Draft,
    rename: &[(&str, &str)],
) {
    let mut ok = true;
    if let Err(v) = validate_actor(&a) {
        push_invalid(&mut d.errors, sheet, line, v, rename);
        ok = false;
    }
    let Some(level) = level else {
        d.errors.push(err(sheet, line, "level", "error-invalid"));
        return;
    };
    if ok {
        d.actors.push((line, sheet, a, level));
    }
}

fn parse_tracks(s: &str) -> Option<Vec<u8>> {
    s.split(['|', ',', ' ', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<u8>().ok())
        .collect()
}

fn parse_positions(s: &str) -> Option<Vec<(String, String)>> {
    s.split(['|', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (i, st) = p.split_once(['=', ':'])?;
            Some((i.trim().to_string(), st.trim().to_lowercase()))
        })
        .collect()
}

/// Parses Convene's template: the actors sheet and the ties/observations sheet
/// (either may be empty).
pub fn parse_convene(actors_csv: &str, records_csv: &str, def: &Defaults) -> Draft {
    let mut d = Draft::default();
    if !actors_csv.trim().is_empty() {
        if let Some(s) = read_sheet("actors", actors_csv, &mut d.errors) {
            if require_columns(&s, &["name", "kind"], &mut d.errors) {
                for (line, r) in &s.rows {
                    let Some(tracks) = parse_tracks(s.get(r, "tracks")) else {
                        d.errors.push(err("actors", *line, "tracks", "error-track"));
                        continue;
                    };
                    let a = NewActor {
                        name: s.get(r, "name").to_string(),
                        kind: normal_kind(s.get(r, "kind")),
                        tracks,
                        side: s.get(r, "side").to_string(),
                        location: s.get(r, "location").to_string(),
                        tags: split_multi(s.get(r, "tags")),
                    };
                    let level = level_or(s.get(r, "level"), def.level);
                    actor_from("actors", *line, a, level, &mut d, &[]);
                }
            }
        }
    }
    if !records_csv.trim().is_empty() {
        if let Some(s) = read_sheet("records", records_csv, &mut d.errors) {
            if require_columns(&s, &["type", "actor", "date", "source"], &mut d.errors) {
                for (line, r) in &s.rows {
                    records_row(&s, *line, r, def, &mut d);
                }
            }
        }
    }
    d
}

fn records_row(s: &Sheet, line: u64, r: &csv::StringRecord, def: &Defaults, d: &mut Draft) {
    let sheet = s.name;
    let Some(level) = level_or(s.get(r, "level"), def.level) else {
        d.errors.push(err(sheet, line, "level", "error-invalid"));
        return;
    };
    let confidence = match s.get(r, "confidence") {
        "" => def.confidence.clone(),
        c => c.to_lowercase(),
    };
    let prov = Provenance {
        wave_id: None,
        observed_on: s.get(r, "date").to_string(),
        source: s.get(r, "source").to_string(),
        confidence,
        supersedes: None,
    };
    let actor = s.get(r, "actor").to_string();
    if actor.is_empty() {
        d.errors.push(err(sheet, line, "actor", "error-required"));
        return;
    }
    match s.get(r, "type").to_lowercase().as_str() {
        "observation" => {
            let attitude = match opt_num::<i8>(s.get(r, "attitude")) {
                Ok(v) => v,
                Err(()) => {
                    d.errors
                        .push(err(sheet, line, "attitude", "actors-error-attitude"));
                    return;
                }
            };
            let influence = match opt_num::<u8>(s.get(r, "influence")) {
                Ok(v) => v,
                Err(()) => {
                    d.errors
                        .push(err(sheet, line, "influence", "actors-error-influence"));
                    return;
                }
            };
            let Some(positions) = parse_positions(s.get(r, "positions")) else {
                d.errors
                    .push(err(sheet, line, "positions", "actors-error-position"));
                return;
            };
            let o = NewObservation {
                actor_id: 0,
                attitude,
                influence,
                interests: s.get(r, "interests").to_string(),
                values: split_multi(s.get(r, "values")),
                positions,
                prov,
            };
            match validate_observation(&o, &def.today) {
                Ok(()) => d.observations.push((line, sheet, actor, o, level)),
                Err(v) => push_invalid(&mut d.errors, sheet, line, v, &[("observed_on", "date")]),
            }
        }
        "tie" => {
            let other = s.get(r, "other_actor").to_string();
            if other.is_empty() {
                d.errors
                    .push(err(sheet, line, "other_actor", "error-required"));
                return;
            }
            let kind = normal_kind(s.get(r, "tie_kind"));
            tie_row(
                sheet,
                line,
                actor,
                other,
                kind,
                s.get(r, "sign"),
                s.get(r, "strength"),
                s.get(r, "direction"),
                s.get(r, "status"),
                prov,
                level,
                def,
                d,
            );
        }
        _ => d
            .errors
            .push(err(sheet, line, "type", "actors-import-bad-type")),
    }
}

#[allow(clippy::too_many_arguments)]
fn tie_row(
    sheet: &'static str,
    line: u64,
    actor: String,
    other: String,
    kind: String,
    sign: &str,
    strength: &str,
    direction: &str,
    status: &str,
    prov: Provenance,
    level: Level,
    def: &Defaults,
    d: &mut Draft,
) {
    let sign = match sign.to_lowercase().as_str() {
        "" => default_sign(&kind),
        "+" | "+1" | "1" | "positive" => 1,
        "-" | "-1" | "negative" => -1,
        _ => {
            d.errors.push(err(sheet, line, "sign", "error-invalid"));
            return;
        }
    };
    let strength = match strength {
        "" => 2,
        s => match s.parse::<f64>() {
            Ok(v) if v.fract() == 0.0 && (1.0..=3.0).contains(&v) => v as u8,
            _ => {
                d.errors
                    .push(err(sheet, line, "strength", "actors-error-strength"));
                return;
            }
        },
    };
    let directed = match direction.to_lowercase().as_str() {
        "" | "mutual" | "undirected" => false,
        "directed" => true,
        _ => {
            d.errors
                .push(err(sheet, line, "direction", "error-invalid"));
            return;
        }
    };
    let active = match status.to_lowercase().as_str() {
        "" | "active" => true,
        "ended" => false,
        _ => {
            d.errors.push(err(sheet, line, "status", "error-invalid"));
            return;
        }
    };
    let t = NewTie {
        source_actor: 1,
        target_actor: if name_key(&actor) == name_key(&other) {
            1
        } else {
            2
        },
        kind,
        sign,
        strength,
        directed,
        active,
        prov,
    };
    match validate_tie(&t, &def.today) {
        Ok(()) => d.ties.push((line, sheet, actor, other, t, level)),
        Err(v) => push_invalid(
            &mut d.errors,
            sheet,
            line,
            v,
            &[
                ("observed_on", "date"),
                ("kind", "tie_kind"),
                ("target", "other_actor"),
            ],
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn kumu_observation(
    sheet: &'static str,
    line: u64,
    name: &str,
    attitude: &str,
    influence: &str,
    def: &Defaults,
    level: Level,
    d: &mut Draft,
) {
    if attitude.is_empty() && influence.is_empty() {
        return;
    }
    let attitude = match opt_num::<i8>(attitude) {
        Ok(v) => v,
        Err(()) => {
            d.errors
                .push(err(sheet, line, "attitude", "actors-error-attitude"));
            return;
        }
    };
    let influence = match opt_num::<u8>(influence) {
        Ok(v) => v,
        Err(()) => {
            d.errors
                .push(err(sheet, line, "influence", "actors-error-influence"));
            return;
        }
    };
    let o = NewObservation {
        actor_id: 0,
        attitude,
        influence,
        prov: Provenance {
            wave_id: None,
            observed_on: def.date.clone(),
            source: def.source.clone(),
            confidence: def.confidence.clone(),
            supersedes: None,
        },
        ..NewObservation::default()
    };
    match validate_observation(&o, &def.today) {
        Ok(()) => d
            .observations
            .push((line, sheet, name.to_string(), o, level)),
        Err(v) => push_invalid(&mut d.errors, sheet, line, v, &[("observed_on", "date")]),
    }
}

fn kumu_prov(def: &Defaults) -> Provenance {
    Provenance {
        wave_id: None,
        observed_on: def.date.clone(),
        source: def.source.clone(),
        confidence: def.confidence.clone(),
        supersedes: None,
    }
}

/// Parses a Kumu spreadsheet export: elements (`Label`, `Type`, optional
/// `Tags`, `Side`, `Tracks`, `Location`, `Attitude`, `Influence`) and connections
/// (`From`, `To`, `Type`, optional `Direction`, `Strength`, `Sign`, `Status`).
pub fn parse_kumu_csv(elements_csv: &str, connections_csv: &str, def: &Defaults) -> Draft {
    let mut d = Draft::default();
    if !elements_csv.trim().is_empty() {
        if let Some(s) = read_sheet("elements", elements_csv, &mut d.errors) {
            if require_columns(&s, &["label", "type"], &mut d.errors) {
                for (line, r) in &s.rows {
                    let Some(tracks) = parse_tracks(s.get(r, "tracks")) else {
                        d.errors
                            .push(err("elements", *line, "tracks", "error-track"));
                        continue;
                    };
                    let a = NewActor {
                        name: s.get(r, "label").to_string(),
                        kind: normal_kind(s.get(r, "type")),
                        tracks,
                        side: s.get(r, "side").to_string(),
                        location: s.get(r, "location").to_string(),
                        tags: split_multi(s.get(r, "tags")),
                    };
                    let name = a.name.clone();
                    actor_from(
                        "elements",
                        *line,
                        a,
                        Some(def.level),
                        &mut d,
                        &[("name", "label"), ("kind", "type")],
                    );
                    kumu_observation(
                        "elements",
                        *line,
                        &name,
                        s.get(r, "attitude"),
                        s.get(r, "influence"),
                        def,
                        def.level,
                        &mut d,
                    );
                }
            }
        }
    }
    if !connections_csv.trim().is_empty() {
        if let Some(s) = read_sheet("connections", connections_csv, &mut d.errors) {
            if require_columns(&s, &["from", "to", "type"], &mut d.errors) {
                for (line, r) in &s.rows {
                    tie_row(
                        "connections",
                        *line,
                        s.get(r, "from").to_string(),
                        s.get(r, "to").to_string(),
                        normal_kind(s.get(r, "type")),
                        s.get(r, "sign"),
                        s.get(r, "strength"),
                        s.get(r, "direction"),
                        s.get(r, "status"),
                        kumu_prov(def),
                        def.level,
                        def,
                        &mut d,
                    );
                }
            }
        }
    }
    d
}

fn json_str(v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        _ => String::new(),
    }
}

/// Parses a Kumu JSON blueprint (`elements` with `attributes` such as `label`,
/// `element type`, `tags`; `connections` with `from`, `to`, `direction` and
/// `attributes` such as `connection type`). Connections refer to elements by
/// `_id` or by label. The "line" of an error is the 1-based position in its list.
pub fn parse_kumu_json(text: &str, def: &Defaults) -> Draft {
    let mut d = Draft::default();
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        d.errors
            .push(err("json", 0, "", "actors-import-unreadable"));
        return d;
    };
    let mut ids: HashMap<String, String> = HashMap::new();
    let empty = Vec::new();
    let elements = v
        .get("elements")
        .and_then(|e| e.as_array())
        .unwrap_or(&empty);
    for (i, e) in elements.iter().enumerate() {
        let line = i as u64 + 1;
        let attrs = e.get("attributes").unwrap_or(e);
        let get = |k: &str| json_str(attrs.get(k));
        let name = get("label");
        if let Some(id) = e.get("_id").and_then(|x| x.as_str()) {
            ids.insert(id.to_string(), name.clone());
        }
        let kind = {
            let t = get("element type");
            if t.is_empty() {
                get("type")
            } else {
                t
            }
        };
        let Some(tracks) = parse_tracks(&get("tracks")) else {
            d.errors.push(err("json", line, "tracks", "error-track"));
            continue;
        };
        let a = NewActor {
            name: name.clone(),
            kind: normal_kind(&kind),
            tracks,
            side: get("side"),
            location: get("location"),
            tags: split_multi(&get("tags")),
        };
        actor_from(
            "json",
            line,
            a,
            Some(def.level),
            &mut d,
            &[("name", "label"), ("kind", "element type")],
        );
        kumu_observation(
            "json",
            line,
            &name,
            &get("attitude"),
            &get("influence"),
            def,
            def.level,
            &mut d,
        );
    }
    let connections = v
        .get("connections")
        .and_then(|e| e.as_array())
        .unwrap_or(&empty);
    for (i, c) in connections.iter().enumerate() {
        let line = (elements.len() + i) as u64 + 1;
        let attrs = c.get("attributes").unwrap_or(c);
        let get = |k: &str| json_str(attrs.get(k));
        let end = |k: &str| {
            let raw = json_str(c.get(k));
            ids.get(&raw).cloned().unwrap_or(raw)
        };
        let kind = {
            let t = get("connection type");
            if t.is_empty() {
                get("type")
            } else {
                t
            }
        };
        let direction = {
            let x = json_str(c.get("direction"));
            if x.is_empty() {
                get("direction")
            } else {
                x
            }
        };
        tie_row(
            "json",
            line,
            end("from"),
            end("to"),
            normal_kind(&kind),
            &get("sign"),
            &get("strength"),
            &direction,
            &get("status"),
            kumu_prov(def),
            def.level,
            def,
            &mut d,
        );
    }
    d
}

/// Resolves names: actors of the file become new actors (−1 is the first), other
/// names must be visible actors (`existing`: name key → id). `taken` says whether a
/// name is already used in the space (visible or not). Returns every error found.
pub fn resolve(
    d: Draft,
    existing: &HashMap<String, i64>,
    taken: &dyn Fn(&str) -> bool,
) -> Result<Import, Vec<RowError>> {
    let mut errors = d.errors;
    let mut new_index: HashMap<String, i64> = HashMap::new();
    let mut import = Import::default();
    for (line, sheet, a, level) in d.actors {
        let key = name_key(&a.name);
        if new_index.contains_key(&key) || existing.contains_key(&key) || taken(&a.name) {
            errors.push(err(sheet, line, "name", "actors-error-duplicate"));
            continue;
        }
        new_index.insert(key, -(import.actors.len() as i64) - 1);
        import.actors.push((a, Envelope::at(level)));
    }
    let find = |name: &str| -> Option<i64> {
        let k = name_key(name);
        new_index.get(&k).or_else(|| existing.get(&k)).copied()
    };
    for (line, sheet, name, mut o, level) in d.observations {
        match find(&name) {
            Some(id) => {
                o.actor_id = id;
                import.observations.push((o, Envelope::at(level)));
            }
            None => errors.push(err(sheet, line, "actor", "actors-error-unknown-actor")),
        }
    }
    for (line, sheet, a, b, mut t, level) in d.ties {
        let (col_a, col_b) = if sheet == "records" {
            ("actor", "other_actor")
        } else {
            ("from", "to")
        };
        match (find(&a), find(&b)) {
            (Some(x), Some(y)) => {
                t.source_actor = x;
                t.target_actor = y;
                import.ties.push((t, Envelope::at(level)));
            }
            (x, y) => {
                if x.is_none() {
                    errors.push(err(sheet, line, col_a, "actors-error-unknown-actor"));
                }
                if y.is_none() {
                    errors.push(err(sheet, line, col_b, "actors-error-unknown-actor"));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(import)
    } else {
        errors.sort_by(|a, b| (a.sheet, a.line).cmp(&(b.sheet, b.line)));
        Err(errors)
    }
}

// ---------------------------------------------------------------- exports

use crate::export::csv_cell as cell;

/// How an actor is named in an export: its name, or a stable code.
pub type Namer<'a> = &'a dyn Fn(i64) -> String;

fn csv_string(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r.iter().map(|c| cell(c)));
    }
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The actors sheet. With `pseudonymous`, location is left out.
pub fn actors_csv(map: &ActorMap, name: Namer, pseudonymous: bool) -> String {
    let mut rows = vec![ACTORS_COLUMNS.iter().map(|c| c.to_string()).collect()];
    for a in &map.actors {
        rows.push(vec![
            name(a.id),
            a.kind.clone(),
            a.tracks
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join("|"),
            a.side.clone(),
            if pseudonymous {
                String::new()
            } else {
                a.location.clone()
            },
            a.tags.join("|"),
            a.level.as_str().to_string(),
        ]);
    }
    csv_string(rows)
}

/// The ties and observations sheet. With `pseudonymous`, free text that may name
/// people (interests, source) is left out.
pub fn records_csv(map: &ActorMap, name: Namer, pseudonymous: bool) -> String {
    let mut rows = vec![RECORDS_COLUMNS.iter().map(|c| c.to_string()).collect()];
    let free = |s: &str| {
        if pseudonymous {
            String::new()
        } else {
            s.to_string()
        }
    };
    let mut obs: Vec<_> = map.observations.iter().collect();
    obs.sort_by(|a, b| {
        (a.prov.observed_on.as_str(), a.id).cmp(&(b.prov.observed_on.as_str(), b.id))
    });
    for o in obs {
        rows.push(vec![
            "observation".into(),
            name(o.actor_id),
            String::new(),
            o.prov.observed_on.clone(),
            o.attitude.map(|v| v.to_string()).unwrap_or_default(),
            o.influence.map(|v| v.to_string()).unwrap_or_default(),
            free(&o.interests),
            o.values.join("|"),
            o.positions
                .iter()
                .map(|(i, s)| format!("{i}={s}"))
                .collect::<Vec<_>>()
                .join("|"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            free(&o.prov.source),
            o.prov.confidence.clone(),
            o.level.as_str().to_string(),
        ]);
    }
    let mut ties: Vec<_> = map.ties.iter().collect();
    ties.sort_by(|a, b| {
        (a.prov.observed_on.as_str(), a.id).cmp(&(b.prov.observed_on.as_str(), b.id))
    });
    for t in ties {
        rows.push(vec![
            "tie".into(),
            name(t.source_actor),
            name(t.target_actor),
            t.prov.observed_on.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            t.kind.clone(),
            if t.sign < 0 { "-".into() } else { "+".into() },
            t.strength.to_string(),
            if t.directed { "directed" } else { "mutual" }.into(),
            if t.active { "active" } else { "ended" }.into(),
            free(&t.prov.source),
            t.prov.confidence.clone(),
            t.level.as_str().to_string(),
        ]);
    }
    csv_string(rows)
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// GraphML of the network as of `date`, readable by networkx and Gephi. One
/// undirected graph; each edge is one tie (pair and kind) with its kind, sign,
/// strength and whether it is directed.
pub fn graphml(map: &ActorMap, date: &str, name: Namer) -> String {
    let snap = map.as_of(date);
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
    for (id, for_, ty) in [
        ("label", "node", "string"),
        ("kind", "node", "string"),
        ("side", "node", "string"),
        ("tracks", "node", "string"),
        ("tags", "node", "string"),
        ("attitude", "node", "int"),
        ("influence", "node", "int"),
        ("tie_kind", "edge", "string"),
        ("sign", "edge", "int"),
        ("strength", "edge", "int"),
        ("directed", "edge", "boolean"),
    ] {
        let _ = writeln!(
            s,
            "  <key id=\"{id}\" for=\"{for_}\" attr.name=\"{id}\" attr.type=\"{ty}\"/>"
        );
    }
    let _ = writeln!(
        s,
        "  <graph id=\"actors-{}\" edgedefault=\"undirected\">",
        xml_escape(date)
    );
    for (id, st) in &snap.actors {
        let Some(a) = map.actor(*id) else { continue };
        let _ = write!(s, "    <node id=\"n{id}\">");
        let _ = write!(s, "<data key=\"label\">{}</data>", xml_escape(&name(*id)));
        let _ = write!(s, "<data key=\"kind\">{}</data>", xml_escape(&a.kind));
        let _ = write!(s, "<data key=\"side\">{}</data>", xml_escape(&a.side));
        let tracks = a
            .tracks
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join("|");
        let _ = write!(s, "<data key=\"tracks\">{tracks}</data>");
        let _ = write!(
            s,
            "<data key=\"tags\">{}</data>",
            xml_escape(&a.tags.join("|"))
        );
        if let Some(v) = st.attitude {
            let _ = write!(s, "<data key=\"attitude\">{v}</data>");
        }
        if let Some(v) = st.influence {
            let _ = write!(s, "<data key=\"influence\">{v}</data>");
        }
        s.push_str("</node>\n");
    }
    for t in &snap.ties {
        let _ = writeln!(
            s,
            "    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\"><data key=\"tie_kind\">{}</data><data key=\"sign\">{}</data><data key=\"strength\">{}</data><data key=\"directed\">{}</data></edge>",
            t.observation_id,
            t.source,
            t.target,
            xml_escape(&t.kind),
            t.sign,
            t.strength,
            t.directed
        );
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// GEXF 1.3 of the whole history: nodes and edges carry spells (from the first
/// observation; a tie's spells end when it is observed to have ended), and
/// attitude and influence are dynamic attributes, one value per observation.
pub fn gexf(map: &ActorMap, name: Namer) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n");
    s.push_str("  <meta><creator>Convene</creator><description>Actor map</description></meta>\n");
    s.push_str("  <graph defaultedgetype=\"undirected\" mode=\"dynamic\" timeformat=\"date\" timerepresentation=\"interval\">\n");
    s.push_str("    <attributes class=\"node\" mode=\"static\">\n      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n      <attribute id=\"side\" title=\"side\" type=\"string\"/>\n      <attribute id=\"tracks\" title=\"tracks\" type=\"string\"/>\n      <attribute id=\"tags\" title=\"tags\" type=\"string\"/>\n    </attributes>\n");
    s.push_str("    <attributes class=\"node\" mode=\"dynamic\">\n      <attribute id=\"attitude\" title=\"attitude\" type=\"integer\"/>\n      <attribute id=\"influence\" title=\"influence\" type=\"integer\"/>\n    </attributes>\n");
    s.push_str("    <attributes class=\"edge\" mode=\"static\">\n      <attribute id=\"tie_kind\" title=\"tie_kind\" type=\"string\"/>\n      <attribute id=\"sign\" title=\"sign\" type=\"integer\"/>\n      <attribute id=\"directed\" title=\"directed\" type=\"boolean\"/>\n    </attributes>\n");
    // Per actor: effective observations (a later record of the same date wins).
    let mut by_actor: BTreeMap<i64, BTreeMap<String, &super::Observation>> = BTreeMap::new();
    for o in &map.observations {
        let e = by_actor.entry(o.actor_id).or_default();
        let keep = e.get(&o.prov.observed_on).is_none_or(|cur| o.id > cur.id);
        if keep {
            e.insert(o.prov.observed_on.clone(), o);
        }
    }
    let mut first_tie: BTreeMap<i64, String> = BTreeMap::new();
    for t in &map.ties {
        for a in [t.source_actor, t.target_actor] {
            let e = first_tie
                .entry(a)
                .or_insert_with(|| t.prov.observed_on.clone());
            if t.prov.observed_on < *e {
                *e = t.prov.observed_on.clone();
            }
        }
    }
    s.push_str("    <nodes>\n");
    for a in &map.actors {
        let obs = by_actor.get(&a.id);
        let start = [
            obs.and_then(|o| o.keys().next().cloned()),
            first_tie.get(&a.id).cloned(),
        ]
        .into_iter()
        .flatten()
        .min();
        let Some(start) = start else { continue };
        let _ = writeln!(
            s,
            "      <node id=\"n{}\" label=\"{}\" start=\"{}\">",
            a.id,
            xml_escape(&name(a.id)),
            xml_escape(&start)
        );
        s.push_str("        <attvalues>\n");
        let tracks = a
            .tracks
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join("|");
        for (k, v) in [
            ("kind", a.kind.clone()),
            ("side", a.side.clone()),
            ("tracks", tracks),
            ("tags", a.tags.join("|")),
        ] {
            let _ = writeln!(
                s,
                "          <attvalue for=\"{k}\" value=\"{}\"/>",
                xml_escape(&v)
            );
        }
        if let Some(obs) = obs {
            let dated: Vec<(&String, &&super::Observation)> = obs.iter().collect();
            for field in ["attitude", "influence"] {
                let vals: Vec<(&String, i64)> = dated
                    .iter()
                    .filter_map(|(d, o)| {
                        let v = if field == "attitude" {
                            o.attitude.map(i64::from)
                        } else {
                            o.influence.map(i64::from)
                        };
                        v.map(|v| (*d, v))
                    })
                    .collect();
                for (i, (d, v)) in vals.iter().enumerate() {
                    let end = vals
                        .get(i + 1)
                        .map(|(n, _)| format!(" endopen=\"{}\"", xml_escape(n)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        s,
                        "          <attvalue for=\"{field}\" value=\"{v}\" start=\"{}\"{end}/>",
                        xml_escape(d)
                    );
                }
            }
        }
        s.push_str("        </attvalues>\n      </node>\n");
    }
    s.push_str("    </nodes>\n    <edges>\n");
    // Per tie (pair and kind): its observations in order give the spells.
    let mut by_tie: BTreeMap<(i64, i64, String), Vec<&super::TieObservation>> = BTreeMap::new();
    for t in &map.ties {
        by_tie
            .entry(tie_key(t.source_actor, t.target_actor, &t.kind))
            .or_default()
            .push(t);
    }
    for (n, ((a, b, kind), mut obs)) in by_tie.into_iter().enumerate() {
        obs.sort_by(|x, y| {
            (x.prov.observed_on.as_str(), x.id).cmp(&(y.prov.observed_on.as_str(), y.id))
        });
        let mut spells = Vec::new();
        let mut open: Option<String> = None;
        for t in &obs {
            match (t.active, &open) {
                (true, None) => open = Some(t.prov.observed_on.clone()),
                (false, Some(start)) => {
                    spells.push((start.clone(), Some(t.prov.observed_on.clone())));
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(start) = open {
            spells.push((start, None));
        }
        if spells.is_empty() {
            continue;
        }
        let Some(last) = obs.last() else { continue };
        let _ = writeln!(
            s,
            "      <edge id=\"e{n}\" source=\"n{a}\" target=\"n{b}\" weight=\"{}\">",
            last.strength
        );
        let _ = writeln!(
            s,
            "        <attvalues><attvalue for=\"tie_kind\" value=\"{}\"/><attvalue for=\"sign\" value=\"{}\"/><attvalue for=\"directed\" value=\"{}\"/></attvalues>",
            xml_escape(&kind),
            last.sign,
            last.directed
        );
        s.push_str("        <spells>");
        for (start, end) in spells {
            let end = end
                .map(|e| format!(" endopen=\"{}\"", xml_escape(&e)))
                .unwrap_or_default();
            let _ = write!(s, "<spell start=\"{}\"{end}/>", xml_escape(&start));
        }
        s.push_str("</spells>\n      </edge>\n");
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    s
}

/// The empty template sheets, with one example row each.
pub fn template(file: &str) -> Option<String> {
    match file {
        "actors.csv" => Some(csv_string(vec![
            ACTORS_COLUMNS.iter().map(|c| c.to_string()).collect(),
            [
                "Elder of the valley",
                "religious",
                "4|7",
                "Veluna",
                "Serran",
                "elders|north",
                "members",
            ]
            .iter()
            .map(|c| c.to_string())
            .collect(),
        ])),
        "records.csv" => Some(csv_string(vec![
            RECORDS_COLUMNS.iter().map(|c| c.to_string()).collect(),
            [
                "observation",
                "Elder of the valley",
                "",
                "2026-01-15",
                "1",
                "3",
                "grazing land",
                "faith|family",
                "ceasefire=support",
                "",
                "",
                "",
                "",
                "",
                "focus group, District X",
                "medium",
                "members",
            ]
            .iter()
            .map(|c| c.to_string())
            .collect(),
        ])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def() -> Defaults {
        Defaults {
            level: Level::Members,
            date: "2026-01-01".into(),
            source: "Kumu import".into(),
            confidence: "medium".into(),
            today: "2026-06-01".into(),
        }
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_reason() {
        let actors = "name,kind,tracks,side\nElder,religious,4,Veluna\nCommander,armed group,1,Kestria\nelder ,individual,,\nGhost,wizard,,\n";
        let records = "type,actor,other_actor,date,attitude,influence,tie_kind,source\n\
observation,Elder,,2026-01-01,4,2,,fg\n\
observation,Elder,,2027-01-01,1,2,,fg\n\
tie,Elder,Nobody,2026-01-01,,,alliance,fg\n\
tie,Elder,Commander,2026-01-01,,,alliance,fg\n\
observation,Commander,,2026-01-01,-2,5,,fg\n";
        let d = parse_convene(actors, records, &def());
        let r = resolve(d, &HashMap::new(), &|_| false);
        let errs = r.err().unwrap_or_default();
        let got: Vec<(&str, u64, &str, &str)> = errs
            .iter()
            .map(|e| (e.sheet, e.line, e.column.as_str(), e.key))
            .collect();
        assert_eq!(
            got,
            vec![
                ("actors", 4, "name", "actors-error-duplicate"),
                ("actors", 5, "kind", "error-invalid"),
                ("records", 2, "attitude", "actors-error-attitude"),
                ("records", 3, "date", "actors-error-future-date"),
                ("records", 4, "other_actor", "actors-error-unknown-actor"),
            ]
        );
    }

    #[test]
    fn valid_file_resolves_names_to_new_and_existing_actors() {
        let actors = "name,kind\nElder,religious\n";
        let records = "type,actor,other_actor,date,tie_kind,source,sign\ntie,Elder,Governor,2026-01-01,rivalry,fg,\n";
        let mut existing = HashMap::new();
        existing.insert("governor".to_string(), 7);
        let imp = resolve(parse_convene(actors, records, &def()), &existing, &|_| {
            false
        })
        .unwrap_or_default();
        assert_eq!(imp.actors.len(), 1);
        assert_eq!(imp.ties.len(), 1);
        assert_eq!(
            (imp.ties[0].0.source_actor, imp.ties[0].0.target_actor),
            (-1, 7)
        );
        assert_eq!(imp.ties[0].0.sign, -1);
        // A name used by an actor the importer cannot see is still a duplicate.
        let hidden = resolve(parse_convene(actors, "", &def()), &HashMap::new(), &|n| {
            n == "Elder"
        });
        assert!(hidden.is_err());
    }

    #[test]
    fn kumu_csv_and_json() {
        let el = "Label,Type,Tags,Attitude,Influence\nA,Person,x|y,2,3\nB,Organization,,,\n";
        let co = "From,To,Type,Direction\nA,B,Funding,directed\n";
        let imp = resolve(parse_kumu_csv(el, co, &def()), &HashMap::new(), &|_| false)
            .unwrap_or_default();
        assert_eq!(imp.actors.len(), 2);
        assert_eq!(imp.actors[0].0.kind, "individual");
        assert_eq!(imp.actors[0].0.tags, ["x", "y"]);
        assert_eq!(imp.observations.len(), 1);
        assert!(imp.ties[0].0.directed);
        let json = r#"{"elements":[{"_id":"e1","attributes":{"label":"A","element type":"Armed group"}},
            {"_id":"e2","attributes":{"label":"B","element type":"Media"}}],
            "connections":[{"from":"e1","to":"e2","direction":"mutual","attributes":{"connection type":"Communication channel"}},
            {"from":"e1","to":"e9","attributes":{"connection type":"alliance"}}]}"#;
        let r = resolve(parse_kumu_json(json, &def()), &HashMap::new(), &|_| false);
        let errs = r.err().unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!(
            (errs[0].line, errs[0].key),
            (4, "actors-error-unknown-actor")
        );
        assert!(!parse_kumu_json("{not json", &def()).errors.is_empty());
    }

    #[test]
    fn formulas_are_neutralised_and_xml_escaped() {
        assert_eq!(cell("=HYPERLINK()"), "'=HYPERLINK()");
        assert_eq!(cell("-2"), "-2");
        assert_eq!(xml_escape("a<b&\"c\u{1}"), "a&lt;b&amp;&quot;c");
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text in any sheet: parsing never panics, and an error always names
        /// a line within the file.
        #[test]
        fn parsing_never_panics(a in ".{0,300}", r in ".{0,300}") {
            let d = Defaults {
                level: Level::Members,
                date: "2026-01-01".into(),
                source: "s".into(),
                confidence: "low".into(),
                today: "2026-06-01".into(),
            };
            let lines = (a.lines().count().max(r.lines().count()) + 2) as u64;
            let draft = parse_convene(&a, &r, &d);
            for e in &draft.errors {
                prop_assert!(e.line <= lines);
            }
            let _ = parse_kumu_csv(&a, &r, &d);
            let _ = parse_kumu_json(&a, &d);
        }

        /// Names with any spacing and case resolve to the same actor.
        #[test]
        fn name_keys_ignore_spacing_and_case(name in "[A-Za-z]{1,8}( [A-Za-z]{1,8}){0,2}") {
            let spaced = format!("  {}  ", name.to_uppercase().replace(' ', "   "));
            prop_assert_eq!(name_key(&name), name_key(&spaced));
        }
    }
}
