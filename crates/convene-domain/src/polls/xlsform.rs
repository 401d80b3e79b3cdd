//! XLSForm reader: a pure parser from an `.xlsx` workbook (sheets `survey`,
//! `choices`, `settings`, as in <https://xlsform.org>) to a typed poll definition.
//!
//! Supported: question types `select_one`, `select_multiple`, `integer`,
//! `decimal`, `text`, `note`; columns `type`, `name`, `label`, `hint`,
//! `constraint_message` (each optionally `::<language>`), `required` (yes/no,
//! true/false), `relevant` and `constraint` in the expression subset of [`Expr`].
//! Anything else that is used (another type, column, setting or function) is
//! reported, every occurrence with its sheet, row and column, together with
//! mistakes (unknown choice list, repeated name, reference to an unknown
//! question); then nothing is imported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// Texts by language: the key is the language given after `::` (its code when
/// written as `Name (code)`), or the empty string for a column without language.
pub type Translations = BTreeMap<String, String>;

/// A poll read from an XLSForm.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PollDefinition {
    /// `form_title` of the settings sheet.
    pub title: Option<String>,
    /// `form_id` of the settings sheet.
    pub form_id: Option<String>,
    /// `version` of the settings sheet.
    pub version: Option<String>,
    /// `default_language` of the settings sheet (as a language key).
    pub default_language: Option<String>,
    /// Every language used by a label or hint, sorted.
    pub languages: Vec<String>,
    /// The questions, in order.
    pub questions: Vec<Question>,
}

/// One question (or note).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Question {
    /// The unique name.
    pub name: String,
    /// The type.
    pub kind: QuestionKind,
    /// The label in each language.
    pub label: Translations,
    /// The hint in each language (may be empty).
    pub hint: Translations,
    /// Whether an answer is required.
    pub required: bool,
    /// Shown only when this holds.
    pub relevant: Option<Expr>,
    /// The answer (`.`) must satisfy this.
    pub constraint: Option<Expr>,
    /// Message when the constraint fails, in each language.
    pub constraint_message: Translations,
    /// The spreadsheet row of the question on the survey sheet (1-based; 0 for a
    /// question made in Convene's poll builder).
    pub row: u32,
    /// Part of the demographic block: the field's name (`gender`, `age_band`,
    /// `region`, `groups`), used to split results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demographic: Option<String>,
}

/// Question types.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum QuestionKind {
    /// One choice of a list.
    SelectOne(ChoiceList),
    /// Any number of choices of a list.
    SelectMultiple(ChoiceList),
    /// A whole number.
    Integer,
    /// A decimal number.
    Decimal,
    /// Free text.
    Text,
    /// Text shown, no answer.
    Note,
    /// A whole number on a scale from `min` to `max` (Convene's poll builder; not
    /// an XLSForm type).
    Scale { min: i64, max: i64 },
}

/// A named list of choices.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChoiceList {
    /// The list name.
    pub name: String,
    /// Its choices, in order.
    pub choices: Vec<Choice>,
}

/// One choice.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    /// The value stored.
    pub name: String,
    /// The label in each language.
    pub label: Translations,
}

/// A skip-logic or constraint expression (the supported subset of XLSForm's).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Expr {
    /// `a or b`
    Or(Box<Expr>, Box<Expr>),
    /// `a and b`
    And(Box<Expr>, Box<Expr>),
    /// `not(a)`
    Not(Box<Expr>),
    /// `left op right`
    Compare(Operand, CmpOp, Operand),
    /// `selected(${question}, 'value')`
    Selected(String, String),
    /// `true()` or `false()`
    Bool(bool),
}

/// A value in a comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Operand {
    /// `${name}`: the answer to another question.
    Field(String),
    /// `.`: the answer to this question.
    Current,
    /// A quoted text.
    Text(String),
    /// A number.
    Number(f64),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// One problem found in a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The sheet.
    pub sheet: String,
    /// The spreadsheet row (1-based; 0 when the problem is the sheet itself).
    pub row: u32,
    /// The column, as its header (or its letter when it has none); empty when
    /// the problem is the whole row or sheet.
    pub column: String,
    /// Whether the form uses something Convene does not support (rather than
    /// making a mistake).
    pub unsupported: bool,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.unsupported {
            "not supported"
        } else {
            "error"
        };
        match (self.row, self.column.is_empty()) {
            (0, _) => write!(f, "sheet {}: {what}: {}", self.sheet, self.message),
            (r, true) => write!(f, "sheet {}, row {r}: {what}: {}", self.sheet, self.message),
            (r, false) => write!(
                f,
                "sheet {}, row {r}, column {}: {what}: {}",
                self.sheet, self.column, self.message
            ),
        }
    }
}

/// Why a form could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XlsFormError {
    /// The bytes are not an `.xlsx` workbook.
    #[error("not an .xlsx workbook: {0}")]
    NotAWorkbook(String),
    /// The form uses unsupported features or has mistakes; every one is listed.
    #[error("{} problem(s):\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rejected(Vec<Problem>),
}

/// Deepest nesting of parentheses, `not` and operators accepted in an expression.
const MAX_DEPTH: usize = 32;

// ---------------------------------------------------------------- expressions

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Field(String),
    Dot,
    Text(String),
    Number(f64),
    Op(CmpOp),
    Word(String),
    Open,
    Close,
    Comma,
}

fn tokenize(s: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '$' => {
                if chars.get(i + 1) != Some(&'{') {
                    return Err("'$' must start a ${name} reference".into());
                }
                let start = i + 2;
                let end = (start..chars.len())
                    .find(|&j| chars[j] == '}')
                    .ok_or("unclosed ${ reference")?;
                let name: String = chars[start..end].iter().collect();
                if !valid_name(&name) {
                    return Err(format!("${{{name}}} is not a valid question name"));
                }
                out.push(Token::Field(name));
                i = end + 1;
            }
            '\'' | '"' => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j] == c)
                    .ok_or("unclosed quoted text")?;
                out.push(Token::Text(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            ',' => {
                out.push(Token::Comma);
                i += 1;
            }
            '=' => {
                out.push(Token::Op(CmpOp::Eq));
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Token::Op(CmpOp::Ne));
                i += 2;
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                out.push(Token::Op(match (c, eq) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    ('>', false) => CmpOp::Gt,
                    _ => CmpOp::Ge,
                }));
                i += if eq { 2 } else { 1 };
            }
            '.' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                out.push(Token::Dot);
                i += 1;
            }
            c if c.is_ascii_digit() || c == '.' || c == '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n: f64 = text
                    .parse()
                    .map_err(|_| format!("{text:?} is not a number"))?;
                out.push(Token::Number(n));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-' | ':'))
                {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
            other => return Err(format!("{other:?} is not supported in expressions")),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expect(&mut self, t: &Token, what: &str) -> Result<(), String> {
        match self.next() {
            Some(ref x) if x == t => Ok(()),
            _ => Err(format!("expected {what}")),
        }
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("the expression is nested too deeply".into());
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.deeper()?;
        let mut left = self.and()?;
        while matches!(self.peek(), Some(Token::Word(w)) if w == "or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while matches!(self.peek(), Some(Token::Word(w)) if w == "and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek().cloned() {
            Some(Token::Open) => {
                self.pos += 1;
                let e = self.or()?;
                self.expect(&Token::Close, "')'")?;
                Ok(e)
            }
            Some(Token::Word(w)) if self.tokens.get(self.pos + 1) == Some(&Token::Open) => {
                self.pos += 2;
                let e = match w.as_str() {
                    "not" => Expr::Not(Box::new(self.or()?)),
                    "selected" => {
                        let Some(Token::Field(q)) = self.next() else {
                            return Err("selected() takes a ${question} first".into());
                        };
                        self.expect(&Token::Comma, "',' in selected()")?;
                        let v = match self.next() {
                            Some(Token::Text(v)) => v,
                            Some(Token::Number(n)) => number_text(n),
                            _ => return Err("selected() takes a quoted value second".into()),
                        };
                        Expr::Selected(q, v)
                    }
                    "true" => Expr::Bool(true),
                    "false" => Expr::Bool(false),
                    other => return Err(format!("the function {other}() is not supported")),
                };
                self.expect(&Token::Close, "')'")?;
                Ok(e)
            }
            _ => {
                let left = self.operand()?;
                let Some(Token::Op(op)) = self.next() else {
                    return Err("expected a comparison (=, !=, <, <=, >, >=)".into());
                };
                let right = self.operand()?;
                Ok(Expr::Compare(left, op, right))
            }
        }
    }

    fn operand(&mut self) -> Result<Operand, String> {
        match self.next() {
            Some(Token::Field(n)) => Ok(Operand::Field(n)),
            Some(Token::Dot) => Ok(Operand::Current),
            Some(Token::Text(t)) => Ok(Operand::Text(t)),
            Some(Token::Number(n)) => Ok(Operand::Number(n)),
            Some(Token::Word(w)) => Err(format!("{w:?} is not supported in expressions")),
            Some(_) => Err("expected a value".into()),
            None => Err("the expression ends too early".into()),
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Parse an expression of the supported subset: comparisons (`=`, `!=`, `<`,
/// `<=`, `>`, `>=`) between `${name}`, `.`, quoted texts and numbers; `and`,
/// `or`, `not(...)`, `selected(${name}, 'value')`, `true()`, `false()` and
/// parentheses.
pub fn parse_expr(s: &str) -> Result<Expr, String> {
    let tokens = tokenize(s)?;
    if tokens.is_empty() {
        return Err("the expression is empty".into());
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    if p.pos < p.tokens.len() {
        return Err("unexpected text after the expression".into());
    }
    Ok(e)
}

impl Expr {
    /// The question names referred to with `${name}`.
    pub fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Or(a, b) | Expr::And(a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Not(a) => a.collect(out),
            Expr::Compare(l, _, r) => {
                for o in [l, r] {
                    if let Operand::Field(n) = o {
                        out.push(n);
                    }
                }
            }
            Expr::Selected(q, _) => out.push(q),
            Expr::Bool(_) => {}
        }
    }
}

// ---------------------------------------------------------------- sheets

fn valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn column_letter(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(char::from(b'A' + (col % 26) as u8));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.iter().rev().collect()
}

/// A sheet as rows of texts, with the header split off.
struct Sheet {
    name: String,
    /// Header texts (lower-cased, trimmed), by column.
    header: Vec<String>,
    /// Data rows: (spreadsheet row, texts by column).
    rows: Vec<(u32, Vec<String>)>,
}

impl Sheet {
    /// A sheet from its non-empty cells, read one at a time so that nothing is
    /// allocated for the cells a workbook declares but does not fill: a sheet
    /// whose cells lie beyond [`MAX_ROW`] or [`MAX_COLUMN`] is refused, naming the
    /// first such cell, before anything grows with its position.
    fn from_cells<'a>(
        name: &str,
        cells: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, XlsFormError>,
    ) -> Result<Self, XlsFormError> {
        let mut next = cells;
        let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
        let mut count = 0usize;
        while let Some(cell) = next()? {
            let (r, c) = cell.get_position();
            let text = cell_text(&Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            if r >= MAX_ROW || c >= MAX_COLUMN {
                return Err(too_large(
                    name,
                    format!(
                        "cell {}{} lies beyond the largest form Convene reads \
                         ({MAX_ROW} rows, columns A to {})",
                        column_letter(c),
                        u64::from(r) + 1,
                        column_letter(MAX_COLUMN - 1)
                    ),
                ));
            }
            count += 1;
            if count > MAX_CELLS {
                return Err(too_large(
                    name,
                    format!("the sheet fills more than {MAX_CELLS} cells"),
                ));
            }
            by_row.entry(r).or_default().push((c, text));
        }
        let mut header = Vec::new();
        let mut rows = Vec::new();
        let mut header_done = false;
        for (r, cells) in by_row {
            // Positions stay absolute (column A is index 0); the row is only as
            // wide as its last filled cell, at most MAX_COLUMN.
            let width = cells
                .iter()
                .map(|(c, _)| *c as usize + 1)
                .max()
                .unwrap_or(0);
            let mut texts = vec![String::new(); width];
            for (c, t) in cells {
                if let Some(slot) = texts.get_mut(c as usize) {
                    *slot = t;
                }
            }
            if !header_done {
                header = texts.iter().map(|t| t.trim().to_string()).collect();
                header_done = true;
            } else {
                rows.push((r + 1, texts));
            }
        }
        Ok(Self {
            name: name.to_string(),
            header,
            rows,
        })
    }

    fn column_name(&self, col: usize) -> String {
        match self.header.get(col) {
            Some(h) if !h.is_empty() => h.clone(),
            _ => column_letter(u32::try_from(col).unwrap_or(u32::MAX)),
        }
    }
}

/// What a column of the survey or choices sheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Col {
    Type,
    Name,
    ListName,
    Label(String),
    Hint(String),
    ConstraintMessage(String),
    Required,
    Relevant,
    Constraint,
    Other,
}

/// The language key of a `label::English (en)` column: `en`; of `label::Urdu`: `Urdu`.
fn language_key(s: &str) -> String {
    let s = s.trim();
    match (s.rfind('('), s.ends_with(')')) {
        (Some(open), true) if open + 1 < s.len() - 1 => s[open + 1..s.len() - 1].trim().to_string(),
        _ => s.to_string(),
    }
}

fn classify(header: &str, allowed: &[&str]) -> Col {
    let h = header.trim();
    let (base, lang) = match h.split_once("::") {
        Some((b, l)) => (b.trim().to_ascii_lowercase(), Some(language_key(l))),
        None => (h.to_ascii_lowercase(), None),
    };
    if !allowed.contains(&base.as_str()) {
        return Col::Other;
    }
    let lang = lang.unwrap_or_default();
    match base.as_str() {
        "type" => Col::Type,
        "name" => Col::Name,
        "list_name" => Col::ListName,
        "label" => Col::Label(lang),
        "hint" => Col::Hint(lang),
        "constraint_message" => Col::ConstraintMessage(lang),
        "required" => Col::Required,
        "relevant" => Col::Relevant,
        "constraint" => Col::Constraint,
        _ => Col::Other,
    }
}

struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, sheet: &Sheet, row: u32, col: Option<usize>, unsupported: bool, msg: String) {
        self.0.push(Problem {
            sheet: sheet.name.clone(),
            row,
            column: col.map(|c| sheet.column_name(c)).unwrap_or_default(),
            unsupported,
            message: msg,
        });
    }
}

fn find_sheet(names: &[String], wanted: &str) -> Option<String> {
    names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(wanted))
        .cloned()
}

type Sheets = (Option<Sheet>, Option<Sheet>, Option<Sheet>);

/// Rows beyond this one (1-based row 20,000) are refused: the largest forms seen
/// in the field (long lists of villages) have a few thousand rows.
pub const MAX_ROW: u32 = 20_000;
/// Columns beyond this one (column GR) are refused: a form in many languages has
/// a few dozen columns.
pub const MAX_COLUMN: u32 = 200;
/// At most this many filled cells per sheet.
pub const MAX_CELLS: usize = 400_000;
/// At most this many bytes of a workbook's parts, once uncompressed.
pub const MAX_UNCOMPRESSED: u64 = 64 * 1024 * 1024;
/// At most this many parts in a workbook.
pub const MAX_PARTS: usize = 2_000;

fn too_large(sheet: &str, message: String) -> XlsFormError {
    XlsFormError::Rejected(vec![Problem {
        sheet: sheet.to_string(),
        row: 0,
        column: String::new(),
        unsupported: false,
        message,
    }])
}

/// Refuse a workbook whose parts would grow beyond [`MAX_UNCOMPRESSED`] once
/// uncompressed (a "zip bomb"), by streaming every part through a counter
/// without keeping it: the sizes a zip file declares are not trusted.
fn check_archive(bytes: &[u8]) -> Result<(), XlsFormError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| XlsFormError::NotAWorkbook(e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(too_large(
            "",
            format!("the workbook has more than {MAX_PARTS} parts"),
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index(i)
            .map_err(|e| XlsFormError::NotAWorkbook(e.to_string()))?;
        let room = MAX_UNCOMPRESSED - total;
        let read = std::io::copy(
            &mut std::io::Read::take(part, room + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| XlsFormError::NotAWorkbook(e.to_string()))?;
        total += read;
        if total > MAX_UNCOMPRESSED {
            return Err(too_large(
                "",
                format!(
                    "the workbook holds more than {} MB once uncompressed",
                    MAX_UNCOMPRESSED / 1024 / 1024
                ),
            ));
        }
    }
    Ok(())
}

/// The survey, choices and settings sheets of a workbook, those that exist.
fn load_sheets(bytes: &[u8]) -> Result<Sheets, XlsFormError> {
    check_archive(bytes)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| XlsFormError::NotAWorkbook(e.to_string()))?;
    let names = book.sheet_names();
    let mut load = |wanted: &str| -> Result<Option<Sheet>, XlsFormError> {
        let Some(n) = find_sheet(&names, wanted) else {
            return Ok(None);
        };
        let damaged =
            |e: calamine::XlsxError| XlsFormError::NotAWorkbook(format!("sheet {n}: {e}"));
        let mut reader = book.worksheet_cells_reader(&n).map_err(damaged)?;
        Sheet::from_cells(wanted, || reader.next_cell().map_err(damaged)).map(Some)
    };
    Ok((load("survey")?, load("choices")?, load("settings")?))
}

/// Read an XLSForm from the bytes of an `.xlsx` file.
pub fn read_xlsform(bytes: &[u8]) -> Result<PollDefinition, XlsFormError> {
    // The spreadsheet reader is third-party code that has been seen to panic on
    // damaged files (an integer overflow on a broken dimension); outside input must
    // get an answer, not bring the request down.
    let (survey, choices, settings) = std::panic::catch_unwind(|| load_sheets(bytes))
        .unwrap_or_else(|_| Err(XlsFormError::NotAWorkbook("the workbook is damaged".into())))?;
    let mut problems = Problems(Vec::new());
    let Some(survey) = survey else {
        return Err(XlsFormError::Rejected(vec![Problem {
            sheet: "survey".into(),
            row: 0,
            column: String::new(),
            unsupported: false,
            message: "the workbook has no survey sheet".into(),
        }]));
    };
    let mut languages: HashSet<String> = HashSet::new();
    let lists = choices
        .as_ref()
        .map(|c| read_choices(c, &mut problems, &mut languages))
        .unwrap_or_default();
    let (title, form_id, version, default_language) = settings
        .as_ref()
        .map(|s| read_settings(s, &mut problems))
        .unwrap_or_default();
    let questions = read_survey(&survey, &lists, &mut problems, &mut languages);
    if !problems.0.is_empty() {
        return Err(XlsFormError::Rejected(problems.0));
    }
    let mut languages: Vec<String> = languages.into_iter().collect();
    languages.sort();
    Ok(PollDefinition {
        title,
        form_id,
        version,
        default_language,
        languages,
        questions,
    })
}

type Settings = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn read_settings(sheet: &Sheet, problems: &mut Problems) -> Settings {
    let mut out: Settings = (None, None, None, None);
    let Some((row, values)) = sheet.rows.first() else {
        return out;
    };
    for (col, h) in sheet.header.iter().enumerate() {
        let v = values.get(col).cloned().unwrap_or_default();
        if v.is_empty() {
            continue;
        }
        match h.to_ascii_lowercase().as_str() {
            "form_title" => out.0 = Some(v),
            "form_id" => out.1 = Some(v),
            "version" => out.2 = Some(v),
            "default_language" => out.3 = Some(language_key(&v)),
            _ => problems.add(
                sheet,
                *row,
                Some(col),
                true,
                format!("the setting {h:?} is not supported"),
            ),
        }
    }
    for (row, _) in sheet.rows.iter().skip(1) {
        problems.add(
            sheet,
            *row,
            None,
            false,
            "the settings sheet has more than one row of values".into(),
        );
    }
    out
}

fn read_choices(
    sheet: &Sheet,
    problems: &mut Problems,
    languages: &mut HashSet<String>,
) -> HashMap<String, (u32, Vec<Choice>)> {
    let cols: Vec<Col> = sheet
        .header
        .iter()
        .map(|h| {
            if h.eq_ignore_ascii_case("list name") {
                Col::ListName
            } else {
                classify(h, &["list_name", "name", "label"])
            }
        })
        .collect();
    let list_col = cols.iter().position(|c| *c == Col::ListName);
    let name_col = cols.iter().position(|c| *c == Col::Name);
    if list_col.is_none() || name_col.is_none() {
        problems.add(
            sheet,
            1,
            None,
            false,
            "the choices sheet needs the columns list_name and name".into(),
        );
    }
    let mut lists: HashMap<String, (u32, Vec<Choice>)> = HashMap::new();
    for (row, values) in &sheet.rows {
        let get = |c: Option<usize>| c.and_then(|c| values.get(c)).cloned().unwrap_or_default();
        for (col, v) in values.iter().enumerate() {
            if !v.is_empty() && cols.get(col).is_none_or(|c| *c == Col::Other) {
                problems.add(
                    sheet,
                    *row,
                    Some(col),
                    true,
                    format!("the column {:?} is not supported", sheet.column_name(col)),
                );
            }
        }
        let list = get(list_col);
        let name = get(name_col);
        if list.is_empty() || name.is_empty() {
            problems.add(
                sheet,
                *row,
                None,
                false,
                "a choice needs a list_name and a name".into(),
            );
            continue;
        }
        let mut label = Translations::new();
        for (col, c) in cols.iter().enumerate() {
            if let Col::Label(lang) = c {
                let v = values.get(col).cloned().unwrap_or_default();
                if !v.is_empty() {
                    languages.insert(lang.clone());
                    label.insert(lang.clone(), v);
                }
            }
        }
        let entry = lists.entry(list.clone()).or_insert((*row, Vec::new()));
        if entry.1.iter().any(|c| c.name == name) {
            problems.add(
                sheet,
                *row,
                name_col,
                false,
                format!("the choice {name:?} appears twice in the list {list:?}"),
            );
            continue;
        }
        entry.1.push(Choice { name, label });
    }
    lists
}

const SURVEY_COLUMNS: [&str; 8] = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
];

fn read_survey(
    sheet: &Sheet,
    lists: &HashMap<String, (u32, Vec<Choice>)>,
    problems: &mut Problems,
    languages: &mut HashSet<String>,
) -> Vec<Question> {
    let cols: Vec<Col> = sheet
        .header
        .iter()
        .map(|h| classify(h, &SURVEY_COLUMNS))
        .collect();
    let type_col = cols.iter().position(|c| *c == Col::Type);
    let name_col = cols.iter().position(|c| *c == Col::Name);
    if type_col.is_none() || name_col.is_none() {
        problems.add(
            sheet,
            1,
            None,
            false,
            "the survey sheet needs the columns type and name".into(),
        );
        return Vec::new();
    }
    let mut questions: Vec<Question> = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut refs: Vec<(u32, usize, String)> = Vec::new();
    for (row, values) in &sheet.rows {
        let row = *row;
        let get = |c: Option<usize>| c.and_then(|c| values.get(c)).cloned().unwrap_or_default();
        for (col, v) in values.iter().enumerate() {
            if !v.is_empty() && cols.get(col).is_none_or(|c| *c == Col::Other) {
                problems.add(
                    sheet,
                    row,
                    Some(col),
                    true,
                    format!("the column {:?} is not supported", sheet.column_name(col)),
                );
            }
        }
        let type_text = get(type_col);
        let name = get(name_col);
        let mut words = type_text.split_whitespace();
        let base = words.next().unwrap_or_default().to_ascii_lowercase();
        let arg = words.next().map(str::to_string);
        let extra = words.next().is_some();
        let mut known_type = true;
        let kind = match (base.as_str(), arg, extra) {
            ("select_one" | "select_multiple", Some(list), false) => match lists.get(&list) {
                Some((_, choices)) if !choices.is_empty() => {
                    let l = ChoiceList {
                        name: list,
                        choices: choices.clone(),
                    };
                    Some(if base == "select_one" {
                        QuestionKind::SelectOne(l)
                    } else {
                        QuestionKind::SelectMultiple(l)
                    })
                }
                _ => {
                    problems.add(
                        sheet,
                        row,
                        type_col,
                        false,
                        format!("the choice list {list:?} is not on the choices sheet"),
                    );
                    None
                }
            },
            ("integer" | "int", None, false) => Some(QuestionKind::Integer),
            ("decimal", None, false) => Some(QuestionKind::Decimal),
            ("text", None, false) => Some(QuestionKind::Text),
            ("note", None, false) => Some(QuestionKind::Note),
            ("", _, _) => {
                problems.add(sheet, row, type_col, false, "the type is empty".into());
                None
            }
            _ => {
                problems.add(
                    sheet,
                    row,
                    type_col,
                    true,
                    format!("the type {type_text:?} is not supported"),
                );
                known_type = false;
                None
            }
        };
        // Rows of unsupported types (groups, calculations...) follow other rules
        // for names and labels: only their type is reported.
        if !known_type {
            if valid_name(&name) {
                seen.entry(name).or_insert(row);
            }
            continue;
        }
        if !valid_name(&name) {
            problems.add(
                sheet,
                row,
                name_col,
                false,
                format!(
                    "{name:?} is not a valid name (a letter or _, then letters, digits, _, - or .)"
                ),
            );
        } else if let Some(first) = seen.get(&name) {
            problems.add(
                sheet,
                row,
                name_col,
                false,
                format!("the name {name:?} is already used on row {first}"),
            );
        }
        let mut q = Question {
            name: name.clone(),
            kind: QuestionKind::Note,
            label: Translations::new(),
            hint: Translations::new(),
            required: false,
            relevant: None,
            constraint: None,
            constraint_message: Translations::new(),
            row,
            demographic: None,
        };
        for (col, c) in cols.iter().enumerate() {
            let v = values.get(col).cloned().unwrap_or_default();
            if v.is_empty() {
                continue;
            }
            match c {
                Col::Label(lang) => {
                    languages.insert(lang.clone());
                    q.label.insert(lang.clone(), v);
                }
                Col::Hint(lang) => {
                    languages.insert(lang.clone());
                    q.hint.insert(lang.clone(), v);
                }
                Col::ConstraintMessage(lang) => {
                    q.constraint_message.insert(lang.clone(), v);
                }
                Col::Required => match v.to_ascii_lowercase().as_str() {
                    "yes" | "true" | "true()" => q.required = true,
                    "no" | "false" | "false()" => q.required = false,
                    _ => problems.add(
                        sheet,
                        row,
                        Some(col),
                        true,
                        format!("required {v:?} is not supported (use yes or no)"),
                    ),
                },
                Col::Relevant | Col::Constraint => match parse_expr(&v) {
                    Ok(e) => {
                        for f in e.fields() {
                            refs.push((row, col, f.to_string()));
                        }
                        if *c == Col::Relevant {
                            if e_uses_current(&e) {
                                problems.add(
                                    sheet,
                                    row,
                                    Some(col),
                                    false,
                                    "'.' may only be used in a constraint".into(),
                                );
                            }
                            q.relevant = Some(e);
                        } else {
                            q.constraint = Some(e);
                        }
                    }
                    Err(why) => problems.add(
                        sheet,
                        row,
                        Some(col),
                        true,
                        format!("the expression {v:?} is not supported: {why}"),
                    ),
                },
                _ => {}
            }
        }
        if q.label.is_empty() {
            problems.add(
                sheet,
                row,
                None,
                false,
                format!("the question {name:?} has no label"),
            );
        }
        if valid_name(&name) {
            seen.entry(name).or_insert(row);
        }
        if let Some(kind) = kind {
            q.kind = kind;
            questions.push(q);
        }
    }
    for (row, col, name) in refs {
        if !seen.contains_key(&name) {
            problems.add(
                sheet,
                row,
                Some(col),
                false,
                format!("${{{name}}} refers to no question"),
            );
        }
    }
    questions
}

fn e_uses_current(e: &Expr) -> bool {
    match e {
        Expr::Or(a, b) | Expr::And(a, b) => e_uses_current(a) || e_uses_current(b),
        Expr::Not(a) => e_uses_current(a),
        Expr::Compare(l, _, r) => *l == Operand::Current || *r == Operand::Current,
        Expr::Selected(..) | Expr::Bool(_) => false,
    }
}
