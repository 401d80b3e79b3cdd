//! Reading a 3W spreadsheet (CSV with HXL hashtags, as OCHA's 3W templates and
//! other coordinators' sheets carry them) into planned activities.
//!
//! Read: the activity (`#activity`, its name; `#activity+code` is not a name), the
//! place (`#adm3+code`, `#adm2+code` or `#adm1+code`: the deepest one given, which
//! must be in the gazetteer), the dates (`#date+start`, required, and `#date+end`,
//! as `YYYY-MM-DD`), the track (`#sector+track`, 1 to 9, optional) and the places
//! targeted (`#targeted`, a number, optional). Every other column is ignored. A file
//! with any problem is refused whole, each problem by line and column.

use std::collections::HashMap;

use super::NewActivity;
use crate::error::RowError;
use crate::model::Level;
use crate::places::gazetteer_csv::column_letter;

/// Most rows read from one file.
pub const MAX_ROWS: usize = 20_000;

const SHEET: &str = "threew";

fn problem(line: u64, col: Option<usize>, key: &'static str) -> RowError {
    RowError {
        sheet: SHEET,
        line,
        column: col.map(column_letter).unwrap_or_default(),
        key,
    }
}

/// A hashtag's name and attributes, lower case.
fn tag(cell: &str) -> Option<(String, Vec<String>)> {
    let t = cell.trim().to_lowercase();
    let mut parts = t
        .strip_prefix('#')?
        .split('+')
        .map(|p| p.trim().to_string());
    let name = parts.next().filter(|n| !n.is_empty())?;
    Some((name, parts.collect()))
}

fn valid_day(s: &str) -> bool {
    crate::records::valid_date(s)
}

/// Reads a 3W CSV into activities at `level`, each in `known` places (P-code →
/// name), 09:00 to 17:00 local on its days.
pub fn read(
    bytes: &[u8],
    known: &HashMap<String, String>,
    level: Level,
) -> Result<Vec<NewActivity>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => rows.push(r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(vec![problem(line, None, "places-error-csv")]);
            }
        }
        if rows.len() > MAX_ROWS {
            return Err(vec![problem(0, None, "places-error-too-many")]);
        }
    }
    let Some(hashtag_row) = rows
        .iter()
        .take(5)
        .position(|r| r.iter().any(|c| c.trim().starts_with('#')))
    else {
        return Err(vec![problem(0, None, "threew-error-hxl")]);
    };
    let tags: Vec<Option<(String, Vec<String>)>> = rows[hashtag_row].iter().map(tag).collect();
    let find = |name: &str, with: &[&str], without: &[&str]| {
        tags.iter().position(|t| {
            t.as_ref().is_some_and(|(n, attrs)| {
                n == name
                    && with.iter().all(|w| attrs.iter().any(|a| a == w))
                    && without.iter().all(|w| !attrs.iter().any(|a| a == w))
            })
        })
    };
    let activity = find("activity", &[], &["code", "id"]);
    let start = find("date", &["start"], &[]);
    let end = find("date", &["end"], &[]);
    let track = find("sector", &["track"], &[]);
    let targeted = find("targeted", &[], &[]);
    let org = find("org", &["name"], &[])
        .or_else(|| find("org", &[], &["acronym", "code", "id", "type"]));
    let places = [
        find("adm3", &["code"], &[]),
        find("adm2", &["code"], &[]),
        find("adm1", &["code"], &[]),
    ];
    let mut errors = Vec::new();
    if activity.is_none() {
        errors.push(problem(
            hashtag_row as u64 + 1,
            None,
            "threew-error-no-activity",
        ));
    }
    if start.is_none() {
        errors.push(problem(
            hashtag_row as u64 + 1,
            None,
            "threew-error-no-start",
        ));
    }
    if places.iter().all(Option::is_none) {
        errors.push(problem(
            hashtag_row as u64 + 1,
            None,
            "threew-error-no-place",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(hashtag_row + 1) {
        let line = r as u64 + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(str::trim).unwrap_or("");
        let title = cell(activity);
        if title.is_empty() || title.chars().count() > 200 {
            errors.push(problem(line, activity, "threew-error-activity"));
        }
        let place = places
            .iter()
            .find(|c| !cell(**c).is_empty())
            .map(|c| (*c, cell(*c).to_string()));
        let place_name = match &place {
            None => {
                errors.push(problem(
                    line,
                    places.iter().flatten().next().copied(),
                    "threew-error-place-missing",
                ));
                None
            }
            Some((col, code)) => match known.get(code) {
                Some(n) => Some(n.clone()),
                None => {
                    errors.push(problem(line, *col, "threew-error-place-unknown"));
                    None
                }
            },
        };
        let day0 = cell(start).chars().take(10).collect::<String>();
        if !valid_day(&day0) {
            errors.push(problem(line, start, "threew-error-date"));
        }
        let day1 = match cell(end) {
            "" => day0.clone(),
            d => d.chars().take(10).collect(),
        };
        if !valid_day(&day1) {
            errors.push(problem(line, end, "threew-error-date"));
        } else if valid_day(&day0) && day1 < day0 {
            errors.push(problem(line, end, "activity-error-ends"));
        }
        let track_v = match cell(track) {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(n) if (1..=9).contains(&n) => Some(n),
                _ => {
                    errors.push(problem(line, track, "error-track"));
                    None
                }
            },
        };
        let capacity = match cell(targeted).replace([',', ' '], "").as_str() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    errors.push(problem(line, targeted, "activity-error-capacity"));
                    None
                }
            },
        };
        if let (Some((_, code)), Some(name)) = (place, place_name) {
            out.push(NewActivity {
                title: title.to_string(),
                body: String::new(),
                level,
                named: vec![],
                place_code: code,
                starts: format!("{day0}T09:00"),
                ends: format!("{day1}T17:00"),
                venue: name,
                online: false,
                venue_sensitive: false,
                capacity,
                track: track_v,
                org: None,
                org_name: cell(org).chars().take(200).collect(),
            });
        }
    }
    if errors.is_empty() && out.is_empty() {
        errors.push(problem(0, None, "places-error-empty"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> HashMap<String, String> {
        [("VL01", "Upper Serran"), ("VL0102", "Bell Hill")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn an_ocha_layout_with_unknown_columns() {
        let csv = "Organisation,Acronym,Cluster,Activity,Admin 1,Admin 1 P-code,Admin 2,Admin 2 P-code,Status,Start date,End date,Beneficiaries,Notes\n\
                   #org+name,#org+acronym,#sector+cluster,#activity+description,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#status,#date+start,#date+end,#targeted,#meta+notes\n\
                   Women's Network,WN,Protection,Dialogue circle,Upper Serran,VL01,Bell Hill,VL0102,Planned,2027-01-10,2027-01-10,\"1,200\",x\n\
                   Traders,TR,Livelihoods,Market day,Upper Serran,VL01,,,Ongoing,2027-02-01,,,\n";
        let a = read(csv.as_bytes(), &known(), Level::Members).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "Dialogue circle");
        assert_eq!(a[0].place_code, "VL0102");
        assert_eq!(a[0].capacity, Some(1200));
        assert_eq!(a[0].starts, "2027-01-10T09:00");
        assert_eq!(a[1].place_code, "VL01", "the deepest code given");
        assert_eq!(a[1].ends, "2027-02-01T17:00");
        assert_eq!(a[1].level, Level::Members);
    }

    #[test]
    fn every_problem_by_line_and_column() {
        let csv = "#activity,#adm2+code,#date+start,#date+end,#sector+track\n\
                   Ok,VL0102,2027-01-10,,6\n\
                   ,ZZ99,10/01/2027,2027-01-01,12\n";
        let e = read(csv.as_bytes(), &known(), Level::Public).unwrap_err();
        let got: Vec<(u64, &str, &str)> = e
            .iter()
            .map(|e| (e.line, e.column.as_str(), e.key))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "A", "threew-error-activity"),
                (3, "B", "threew-error-place-unknown"),
                (3, "C", "threew-error-date"),
                (3, "E", "error-track"),
            ]
        );
        let e = read(b"a,b\n1,2\n", &known(), Level::Public).unwrap_err();
        assert_eq!(e[0].key, "threew-error-hxl");
    }
}
