//! Reading a gazetteer from a CSV file: the administrative levels of a country
//! (regions, districts, sub-districts) with their P-codes, in the OCHA convention.
//!
//! Two layouts are read (docs/places.md):
//! - **HXL**: a row of hashtags (`#adm1+code`, `#adm1+name`, `#adm2+code`,
//!   `#adm2+name`, `#adm3+code`, `#adm3+name`; a name in another language as
//!   `#adm1+name+i_ur`), with or without a row of headers above it. Columns with
//!   other hashtags, or none, are ignored.
//! - **COD tabular**: the column names of OCHA's common operational datasets
//!   (`ADM1_PCODE`, `ADM1_EN`, `ADM1_UR`, `ADM2_PCODE`…; also `admin1Pcode`,
//!   `admin1Name_en`).
//!
//! Each row names a place and its ancestors. A file with any problem is refused
//! whole, with every problem by line and column.

use std::collections::{BTreeMap, HashMap};

use crate::error::RowError;

/// Most rows read from one file.
pub const MAX_ROWS: usize = 200_000;
/// Most distinct places in one gazetteer.
pub const MAX_PLACES: usize = 50_000;
/// Deepest administrative level read.
pub const MAX_LEVEL: u8 = 3;

const SHEET: &str = "gazetteer";

/// A place as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlace {
    /// 1 region, 2 district, 3 sub-district.
    pub level: u8,
    pub code: String,
    /// The name in the file's default language.
    pub name: String,
    /// Names in other languages, by language code.
    pub names: BTreeMap<String, String>,
    pub parent: Option<String>,
}

/// A gazetteer read from a file: places ordered so that parents come first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gazetteer {
    pub places: Vec<NewPlace>,
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Col {
    Code(u8),
    Name(u8, Option<String>),
}

/// Reads an HXL hashtag: `#adm2+code`, `#adm2+name+i_ur`.
fn hxl_column(tag: &str) -> Option<Col> {
    let tag = tag.trim().to_lowercase();
    let mut parts = tag.strip_prefix('#')?.split('+').map(str::trim);
    let level = parts
        .next()?
        .strip_prefix("adm")?
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=MAX_LEVEL).contains(l))?;
    let attrs: Vec<&str> = parts.collect();
    let lang = attrs
        .iter()
        .find_map(|a| a.strip_prefix("i_"))
        .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()))
        .map(str::to_string);
    if attrs.contains(&"code") {
        Some(Col::Code(level))
    } else if attrs.contains(&"name") {
        Some(Col::Name(level, lang))
    } else {
        None
    }
}

/// Reads a COD column name: `ADM2_PCODE`, `ADM2_EN`, `admin2Pcode`, `admin2Name_ur`.
fn cod_column(header: &str) -> Option<Col> {
    let h = header.trim().to_lowercase();
    let (level, rest) = if let Some(r) = h.strip_prefix("admin") {
        (r.get(..1)?, r.get(1..)?)
    } else if let Some(r) = h.strip_prefix("adm") {
        (r.get(..1)?, r.get(1..)?)
    } else {
        return None;
    };
    let level = level
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=MAX_LEVEL).contains(l))?;
    let rest = rest.trim_start_matches('_');
    match rest {
        "pcode" | "code" => Some(Col::Code(level)),
        "name" => Some(Col::Name(level, None)),
        _ => {
            // COD suffixes are two-letter language codes (ADM1_EN, ADM1_PS);
            // ADM2_REF and the like are other columns.
            let lang = rest.strip_prefix("name_").unwrap_or(rest);
            (lang.len() == 2 && lang.chars().all(|c| c.is_ascii_lowercase()))
                .then(|| Col::Name(level, Some(lang.to_string())))
        }
    }
}

/// The spreadsheet letter of a 0-based column (A, B, … Z, AA…).
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn valid_code(code: &str) -> bool {
    (1..=30).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn problem(line: u64, column: String, key: &'static str) -> RowError {
    RowError {
        sheet: SHEET,
        line,
        column,
        key,
    }
}

/// The columns of a file: from its hashtag row, or from its header.
/// Returns (columns by index, the 0-based row where data starts, the default
/// language's column per level when names come in several languages).
fn layout(rows: &[csv::StringRecord]) -> Option<(Vec<(usize, Col)>, usize)> {
    for (r, row) in rows.iter().enumerate().take(3) {
        if row.iter().any(|c| c.trim().starts_with('#')) {
            let cols: Vec<(usize, Col)> = row
                .iter()
                .enumerate()
                .filter_map(|(i, c)| hxl_column(c).map(|col| (i, col)))
                .collect();
            return Some((cols, r + 1));
        }
    }
    let header = rows.first()?;
    let cols: Vec<(usize, Col)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, c)| cod_column(c).map(|col| (i, col)))
        .collect();
    Some((cols, 1))
}

/// Reads a gazetteer from CSV bytes (UTF-8, with or without a byte-order mark).
pub fn read(bytes: &[u8]) -> Result<Gazetteer, Vec<RowError>> {
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
                let key = if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    "places-error-encoding"
                } else {
                    "places-error-csv"
                };
                return Err(vec![problem(line, String::new(), key)]);
            }
        }
        if rows.len() > MAX_ROWS {
            return Err(vec![problem(0, String::new(), "places-error-too-many")]);
        }
    }
    let Some((cols, start)) = layout(&rows) else {
        return Err(vec![problem(0, String::new(), "places-error-empty")]);
    };
    let code_col = |level: u8| {
        cols.iter()
            .find(|(_, c)| *c == Col::Code(level))
            .map(|(i, _)| *i)
    };
    let levels: Vec<u8> = (1..=MAX_LEVEL).filter(|l| code_col(*l).is_some()).collect();
    // Levels must start at 1 and have no gap: a district needs its region.
    if levels.is_empty() || levels.iter().enumerate().any(|(i, l)| *l as usize != i + 1) {
        return Err(vec![problem(1, String::new(), "places-error-levels")]);
    }
    let mut errors = Vec::new();
    let mut places: Vec<NewPlace> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (r, row) in rows.iter().enumerate().skip(start) {
        let line = r as u64 + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| row.get(i).map(str::trim).unwrap_or("");
        let mut parent: Option<String> = None;
        for &level in &levels {
            let Some(ci) = code_col(level) else { break };
            let code = cell(ci);
            let mut name = String::new();
            let mut names = BTreeMap::new();
            for (i, c) in &cols {
                match c {
                    Col::Name(l, None) if *l == level => name = cell(*i).to_string(),
                    Col::Name(l, Some(lang)) if *l == level && !cell(*i).is_empty() => {
                        names.insert(lang.clone(), cell(*i).to_string());
                    }
                    _ => {}
                }
            }
            if code.is_empty() {
                // A row may stop at a higher level (a region without districts);
                // a name without a code cannot be placed.
                if !name.is_empty() || !names.is_empty() {
                    errors.push(problem(
                        line,
                        column_letter(ci),
                        "places-error-code-missing",
                    ));
                }
                break;
            }
            if !valid_code(code) {
                errors.push(problem(line, column_letter(ci), "places-error-code"));
                break;
            }
            // A file naming only English names per language (ADM1_EN) has no
            // default name: the first language's name is the default.
            if name.is_empty() {
                if let Some((_, n)) = names.iter().next() {
                    name = n.clone();
                }
            }
            if name.is_empty() {
                name = code.to_string();
            }
            if name.chars().count() > 200 {
                errors.push(problem(line, column_letter(ci), "error-too-long"));
                break;
            }
            match index.get(code) {
                Some(&k) => {
                    let known = &places[k];
                    if known.level != level || known.parent != parent || known.name != name {
                        errors.push(problem(
                            line,
                            column_letter(ci),
                            "places-error-code-conflict",
                        ));
                        break;
                    }
                }
                None => {
                    if places.len() >= MAX_PLACES {
                        return Err(vec![problem(line, String::new(), "places-error-too-many")]);
                    }
                    index.insert(code.to_string(), places.len());
                    places.push(NewPlace {
                        level,
                        code: code.to_string(),
                        name,
                        names,
                        parent: parent.clone(),
                    });
                }
            }
            parent = Some(code.to_string());
        }
    }
    if places.is_empty() && errors.is_empty() {
        errors.push(problem(0, String::new(), "places-error-empty"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    places.sort_by_key(|p| p.level);
    Ok(Gazetteer { places })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_and_cod_names() {
        assert_eq!(hxl_column("#adm1+code"), Some(Col::Code(1)));
        assert_eq!(hxl_column(" #ADM2 +name "), Some(Col::Name(2, None)));
        assert_eq!(
            hxl_column("#adm2+name+i_ur"),
            Some(Col::Name(2, Some("ur".into())))
        );
        assert_eq!(hxl_column("#adm4+code"), None);
        assert_eq!(hxl_column("#org"), None);
        assert_eq!(cod_column("ADM2_PCODE"), Some(Col::Code(2)));
        assert_eq!(cod_column("ADM1_EN"), Some(Col::Name(1, Some("en".into()))));
        assert_eq!(
            cod_column("admin1Name_ur"),
            Some(Col::Name(1, Some("ur".into())))
        );
        assert_eq!(cod_column("admin3Pcode"), Some(Col::Code(3)));
        assert_eq!(cod_column("ADM2_REF"), None);
        assert_eq!(cod_column("date"), None);
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn an_hxl_file_with_headers_and_urdu_names() {
        let csv = "Region,Region code,District,District (Urdu),District code,Notes\n\
                   #adm1+name,#adm1+code,#adm2+name,#adm2+name+i_ur,#adm2+code,\n\
                   North,R1,Hill,پہاڑ,R1D1,x\n\
                   North,R1,Lake,,R1D2,\n\
                   South,R2,,,,\n";
        let g = read(csv.as_bytes()).unwrap();
        let codes: Vec<&str> = g.places.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, vec!["R1", "R2", "R1D1", "R1D2"]);
        assert_eq!(g.places[2].parent.as_deref(), Some("R1"));
        assert_eq!(
            g.places[2].names.get("ur").map(String::as_str),
            Some("پہاڑ")
        );
        assert_eq!(g.places[3].level, 2);
    }

    #[test]
    fn every_problem_by_line_and_column() {
        let csv = "#adm1+code,#adm1+name,#adm2+code,#adm2+name\n\
                   R1,North,D1,Hill\n\
                   R1,Nord,D2,Lake\n\
                   R2,South,,Orphan\n\
                   R3,East,bad code!,X\n\
                   R2,South,D1,Hill\n";
        let errs = read(csv.as_bytes()).unwrap_err();
        let got: Vec<(u64, &str, &str)> = errs
            .iter()
            .map(|e| (e.line, e.column.as_str(), e.key))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "A", "places-error-code-conflict"),
                (4, "C", "places-error-code-missing"),
                (5, "C", "places-error-code"),
                (6, "C", "places-error-code-conflict"),
            ]
        );
    }

    #[test]
    fn levels_without_their_parents_and_empty_files_are_refused() {
        let e = read(b"#adm2+code,#adm2+name\nD1,Hill\n").unwrap_err();
        assert_eq!(e[0].key, "places-error-levels");
        let e = read(b"").unwrap_err();
        assert_eq!(e[0].key, "places-error-empty");
        let e = read(b"name,code\nx,y\n").unwrap_err();
        assert_eq!(e[0].key, "places-error-levels");
    }

    #[test]
    fn cod_tabular_names() {
        let csv = "ADM2_EN,ADM2_UR,ADM2_PCODE,ADM1_EN,ADM1_PCODE\nHill,پہاڑ,R1D1,North,R1\n";
        let g = read(csv.as_bytes()).unwrap();
        assert_eq!(g.places.len(), 2);
        assert_eq!(g.places[0].name, "North");
        assert_eq!(g.places[1].name, "Hill");
        assert_eq!(
            g.places[1].names.get("ur").map(String::as_str),
            Some("پہاڑ")
        );
    }
}
