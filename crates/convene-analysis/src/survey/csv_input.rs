//! Respondents and margins in CSV, for `convene rake`.

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};

use super::error::SurveyError;
use super::rake::{rake, Margin, RakeOptions, Raked, Respondents};

/// Which input file a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The respondents file.
    Respondents,
    /// The margins file.
    Margins,
    /// The options (tolerance, iteration cap, trimming bounds).
    Options,
}

/// One problem in the input files, with its line when known (the header is line 1).
#[derive(Debug, Clone, PartialEq)]
pub struct InputProblem {
    /// The file.
    pub input: Input,
    /// The 1-based line.
    pub line: Option<u64>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// Respondents read from CSV, with the line where each category first occurs.
#[derive(Debug, Clone)]
pub struct RespondentsCsv {
    /// The respondents.
    pub respondents: Respondents,
    first_line: HashMap<(usize, String), u64>,
}

/// Margins read from CSV, with the line of each.
#[derive(Debug, Clone)]
pub struct MarginsCsv {
    /// The margins.
    pub margins: Vec<Margin>,
    lines: Vec<u64>,
}

fn reader<R: Read>(r: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .buffer_capacity(1 << 16)
        .from_reader(r)
}

/// Respondents are trimmed field by field (faster than trimming whole records).
fn untrimmed_reader<R: Read>(r: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(r)
}

fn problem(input: Input, line: Option<u64>, reason: impl Into<String>) -> InputProblem {
    InputProblem {
        input,
        line,
        reason: reason.into(),
    }
}

/// Read respondents: a header naming the variables, then one respondent per row.
/// Stops at the first problem.
pub fn read_respondents<R: Read>(r: R) -> Result<RespondentsCsv, InputProblem> {
    let inp = Input::Respondents;
    let mut rdr = untrimmed_reader(r);
    let mut header = rdr
        .headers()
        .map_err(|e| problem(inp, Some(1), e.to_string()))?
        .clone();
    header.trim();
    if header.is_empty() || header.iter().all(str::is_empty) {
        return Err(problem(inp, Some(1), "the file is empty (no header)"));
    }
    let mut seen = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            return Err(problem(
                inp,
                Some(1),
                format!("column {} has no name", i + 1),
            ));
        }
        if let Some(j) = seen.insert(h, i) {
            return Err(problem(
                inp,
                Some(1),
                format!(
                    "column {h:?} appears twice (columns {} and {})",
                    j + 1,
                    i + 1
                ),
            ));
        }
    }
    let mut respondents = Respondents::new(header.iter());
    let mut first_line = HashMap::new();
    let mut known: Vec<usize> = vec![0; header.len()];
    let mut record = csv::ByteRecord::new();
    loop {
        let before = rdr.position().line();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(before, csv::Position::line);
                return Err(problem(inp, Some(line), e.to_string()));
            }
        }
        let line = record.position().map_or(before, csv::Position::line);
        respondents
            .push_bytes(record.iter().map(<[u8]>::trim_ascii))
            .map_err(|e| problem(inp, Some(line), e.to_string()))?;
        for (col, value) in record.iter().map(<[u8]>::trim_ascii).enumerate() {
            let levels = respondents.level_count(col);
            if levels > known[col] {
                known[col] = levels;
                first_line.insert((col, String::from_utf8_lossy(value).into_owned()), line);
            }
        }
    }
    if respondents.is_empty() {
        return Err(problem(
            inp,
            None,
            "there are no respondents (only a header)",
        ));
    }
    Ok(RespondentsCsv {
        respondents,
        first_line,
    })
}

/// Read margins: a header `variable,category,share`, then one margin per row.
/// Shares are fractions (0.25) or percentages (`25%`).
pub fn read_margins<R: Read>(r: R) -> Result<MarginsCsv, InputProblem> {
    let inp = Input::Margins;
    let mut rdr = reader(r);
    let header = rdr
        .headers()
        .map_err(|e| problem(inp, Some(1), e.to_string()))?
        .clone();
    let cols: Vec<&str> = header.iter().collect();
    if cols != ["variable", "category", "share"] {
        return Err(problem(
            inp,
            Some(1),
            format!(
                "the header must be variable,category,share (found {})",
                cols.join(",")
            ),
        ));
    }
    let mut margins = Vec::new();
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = rdr.position().line();
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(before, csv::Position::line);
                return Err(problem(inp, Some(line), e.to_string()));
            }
        }
        let line = record.position().map_or(before, csv::Position::line);
        if record.len() != 3 {
            return Err(problem(
                inp,
                Some(line),
                format!("expected 3 fields, found {}", record.len()),
            ));
        }
        let (var, cat, text) = (&record[0], &record[1], &record[2]);
        if var.is_empty() {
            return Err(problem(inp, Some(line), "the variable is empty"));
        }
        let share = match text.strip_suffix('%') {
            Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
            None => text.parse::<f64>(),
        }
        .map_err(|_| problem(inp, Some(line), format!("share {text:?} is not a number")))?;
        margins.push(Margin::new(var, cat, share));
        lines.push(line);
    }
    if margins.is_empty() {
        return Err(problem(inp, None, "there are no margins (only a header)"));
    }
    Ok(MarginsCsv { margins, lines })
}

impl MarginsCsv {
    fn line_of(&self, variable: &str, category: Option<&str>) -> Option<u64> {
        self.margins
            .iter()
            .zip(&self.lines)
            .find(|(m, _)| m.variable == variable && category.is_none_or(|c| m.category == c))
            .map(|(_, &l)| l)
    }
}

/// The base weights held in column `column` of the respondents (positive numbers).
pub fn base_weights(resp: &RespondentsCsv, column: &str) -> Result<Vec<f64>, InputProblem> {
    let r = &resp.respondents;
    let col = r
        .variables()
        .iter()
        .position(|v| v == column)
        .ok_or_else(|| {
            problem(
                Input::Respondents,
                Some(1),
                format!("there is no column {column:?} for the base weights"),
            )
        })?;
    // Each distinct text is parsed once.
    let mut parsed = Vec::with_capacity(r.levels(col).len());
    for level in r.levels(col) {
        match level.parse::<f64>() {
            Ok(w) if w.is_finite() && w > 0.0 => parsed.push(w),
            _ => {
                return Err(problem(
                    Input::Respondents,
                    resp.first_line.get(&(col, level.clone())).copied(),
                    format!("base weight {level:?} in column {column:?} is not a positive number"),
                ))
            }
        }
    }
    Ok((0..r.len())
        .map(|i| r.code(i, col).map_or(1.0, |c| parsed[c as usize]))
        .collect())
}

/// Rake respondents read from CSV to margins read from CSV, from optional base
/// weights; a raking error is reported against the file and line it comes from.
pub fn rake_csv(
    resp: &RespondentsCsv,
    margins: &MarginsCsv,
    base: Option<&[f64]>,
    opts: &RakeOptions,
) -> Result<Raked, InputProblem> {
    rake(&resp.respondents, &margins.margins, base, opts).map_err(|e| {
        let reason = e.to_string();
        match &e {
            SurveyError::CategoryWithoutMargin { variable, category } => {
                let col = resp
                    .respondents
                    .variables()
                    .iter()
                    .position(|v| v == variable);
                let line = col.and_then(|c| resp.first_line.get(&(c, category.clone())).copied());
                problem(Input::Respondents, line, reason)
            }
            SurveyError::MarginWithoutRespondents { variable, category }
            | SurveyError::BadShare {
                variable, category, ..
            } => problem(
                Input::Margins,
                margins.line_of(variable, Some(category)),
                reason,
            ),
            SurveyError::DuplicateMargin { variable, category } => problem(
                Input::Margins,
                margins
                    .margins
                    .iter()
                    .zip(&margins.lines)
                    .filter(|(m, _)| &m.variable == variable && &m.category == category)
                    .nth(1)
                    .map(|(_, &l)| l),
                reason,
            ),
            SurveyError::SharesDoNotSumToOne { variable, .. }
            | SurveyError::UnknownVariable(variable) => {
                problem(Input::Margins, margins.line_of(variable, None), reason)
            }
            SurveyError::InvalidParameter(_) => problem(Input::Options, None, reason),
            _ => problem(Input::Margins, None, reason),
        }
    })
}

fn escape(field: &str) -> String {
    let needs = field.is_empty()
        || field.contains([',', '"', '\n', '\r'])
        || field.starts_with(' ')
        || field.ends_with(' ');
    if needs && !field.is_empty() {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Write the respondents back as CSV with a last column `weight`.
pub fn write_weighted<W: Write>(
    resp: &Respondents,
    weights: &[f64],
    out: W,
) -> Result<(), SurveyError> {
    if weights.len() != resp.len() {
        return Err(SurveyError::LengthMismatch(format!(
            "{} weights for {} respondents",
            weights.len(),
            resp.len()
        )));
    }
    let io = |e: std::io::Error| SurveyError::InvalidParameter(format!("cannot write: {e}"));
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let nvars = resp.variables().len();
    let mut header: Vec<String> = resp.variables().iter().map(|v| escape(v)).collect();
    header.push("weight".into());
    writeln!(out, "{}", header.join(",")).map_err(io)?;
    // Every category is escaped once, then rows are assembled from the pieces.
    let levels: Vec<Vec<String>> = (0..nvars)
        .map(|v| resp.levels(v).iter().map(|l| escape(l)).collect())
        .collect();
    let mut line: Vec<u8> = Vec::with_capacity(256);
    let mut ryu = ryu::Buffer::new();
    for (i, weight) in weights.iter().enumerate() {
        line.clear();
        for (v, lv) in levels.iter().enumerate() {
            let code = resp.code(i, v).unwrap_or(0) as usize;
            line.extend_from_slice(lv.get(code).map_or("", String::as_str).as_bytes());
            line.push(b',');
        }
        line.extend_from_slice(ryu.format(*weight).as_bytes());
        line.push(b'\n');
        out.write_all(&line).map_err(io)?;
    }
    out.flush().map_err(io)
}
