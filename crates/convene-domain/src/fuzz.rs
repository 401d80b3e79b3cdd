//! One entry point per fuzz target (the `fuzz/` folder at the repository's root):
//! each takes arbitrary bytes, hands them to the readers of outside input the target
//! covers, and must return without panicking, whatever the bytes. The regression
//! tests replay every input the fuzzers ever kept (`fuzz/regressions/`) through the
//! same functions, so a crash found once stays found.
//!
//! Where a reader takes several files, the input holds them separated by a NUL byte;
//! where one input feeds several readers, its first byte chooses the reader.

use std::collections::HashMap;

use crate::actors::interchange::{self, Defaults};
use crate::model::Level;
use crate::polls::engine::{self, Answers};
use crate::polls::PollDefinition;
use crate::sms::webhook;

/// The parts of an input separated by NUL bytes.
pub fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = data.splitn(n, |b| *b == 0).collect();
    out.resize(n, &[]);
    out
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The first byte (the reader to use) and the rest.
fn pick(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => (*b, rest),
        None => (0, data),
    }
}

/// An XLSForm workbook (.xlsx), as uploaded when a poll is created.
pub fn xlsform(data: &[u8]) {
    let _ = crate::polls::xlsform::read_xlsform(data);
}

/// A Polis export: comments, votes and participants-votes CSVs, separated by NUL; read
/// for an import and for an analysis.
pub fn polis(data: &[u8]) {
    let p = parts(data, 3);
    let votes = (!p[1].is_empty()).then_some(p[1]);
    let pv = (!p[2].is_empty()).then_some(p[2]);
    let _ = crate::opinion::polis::parse(p[0], votes, pv);
    let _ = convene_analysis::opinion::polis_records::parse_export(
        p[0],
        votes,
        pv,
        convene_analysis::opinion::polis_records::Strictness::Analysis,
    );
}

fn defaults() -> Defaults {
    Defaults {
        level: Level::Members,
        date: "2026-01-01".into(),
        source: "fuzz".into(),
        confidence: "medium".into(),
        today: "2026-12-01".into(),
    }
}

/// An actor map import: Convene's two CSVs, Kumu's two CSVs, or Kumu's JSON, chosen by
/// the first byte; the draft is then resolved against an empty map.
pub fn actors(data: &[u8]) {
    let (which, rest) = pick(data);
    let p = parts(rest, 2);
    let (a, b) = (text(p[0]), text(p[1]));
    let def = defaults();
    let _ = match which % 3 {
        0 => interchange::parse_convene(&a, &b, &def),
        1 => interchange::parse_kumu_csv(&a, &b, &def),
        _ => interchange::parse_kumu_json(&text(rest), &def),
    };
}

/// A gazetteer CSV, or (first byte odd) GeoJSON boundaries for two known places.
pub fn places(data: &[u8]) {
    let (which, rest) = pick(data);
    if which % 2 == 0 {
        let _ = crate::places::gazetteer_csv::read(rest);
    } else {
        let known: HashMap<String, u8> = [("VL01".to_string(), 1), ("VL0101".to_string(), 2)]
            .into_iter()
            .collect();
        let _ = crate::places::boundaries::read(rest, &known, None);
        let _ = crate::places::boundaries::read(rest, &known, Some("pcode"));
    }
}

/// A 3W CSV of activities (HXL tagged or with plain headers).
pub fn threew(data: &[u8]) {
    let known: HashMap<String, String> = [
        ("VL01".to_string(), "North".to_string()),
        ("VL0101".to_string(), "Harbour".to_string()),
    ]
    .into_iter()
    .collect();
    let _ = crate::activities::threew_import::read(data, &known, Level::Public);
}

/// An agreement's provisions: a CSV, or (first byte odd) pasted text.
pub fn agreements(data: &[u8]) {
    let (which, rest) = pick(data);
    if which % 2 == 0 {
        let _ = crate::agreements::read_csv(rest);
    } else {
        let _ = crate::agreements::read_pasted(&text(rest));
    }
}

/// The analysis CSVs: survey respondents, survey margins, and a network's edges
/// (directed or not), chosen by the first byte.
pub fn analysis_csv(data: &[u8]) {
    use convene_analysis::{network, survey};
    let (which, rest) = pick(data);
    let _ = match which % 4 {
        0 => survey::read_respondents(rest).map(|_| ()).map_err(|_| ()),
        1 => survey::read_margins(rest).map(|_| ()).map_err(|_| ()),
        2 => network::metrics_from_csv(rest, true)
            .map(|_| ())
            .map_err(|_| ()),
        _ => network::metrics_from_csv(rest, false)
            .map(|_| ())
            .map_err(|_| ()),
    };
}

/// A gateway's request body (Twilio, Africa's Talking, Kannel), read as each of the
/// requests the gateways send; the first byte chooses which.
pub fn webhooks(data: &[u8]) {
    let (which, rest) = pick(data);
    let Ok(params) = webhook::form(rest) else {
        return;
    };
    let _ = match which % 8 {
        0 => webhook::twilio_inbound(&params).map(|_| ()),
        1 => webhook::twilio_status(&params).map(|_| ()),
        2 => webhook::at_inbound(&params).map(|_| ()),
        3 => webhook::at_ussd(&params).map(|_| ()),
        4 => webhook::at_delivery(&params).map(|_| ()),
        5 => webhook::at_optout(&params).map(|_| ()),
        6 => webhook::kannel_inbound(&params).map(|_| ()),
        _ => webhook::kannel_dlr(&params).map(|_| ()),
    };
}

/// What a respondent sends: the answering form's body (`question=…&v=…`), checked
/// against `definition` as the web form's answer is; with the first byte odd, the same
/// text as an SMS or USSD answer, a keyword, an opinion vote and a skip-logic
/// expression.
pub fn answers(definition: &PollDefinition, data: &[u8]) {
    let (which, rest) = pick(data);
    let languages = vec!["en".to_string(), "ur".to_string()];
    let mut answers = Answers::new();
    if which % 2 == 0 {
        let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(rest) else {
            return;
        };
        let values: Vec<String> = form
            .iter()
            .filter(|(k, _)| k == "v")
            .map(|(_, v)| v.clone())
            .collect();
        for (k, name) in &form {
            if k != "question" {
                continue;
            }
            if let Some(q) = engine::question(definition, name) {
                if let Ok(a) = engine::check_answer(q, &values, &answers) {
                    answers.insert(name.clone(), a);
                    let _ = engine::next_question(definition, &answers, Some(name));
                }
            }
        }
    } else {
        let typed = text(rest);
        for q in &definition.questions {
            if let Ok(a) = engine::parse_answer(q, &typed, &answers, &languages) {
                answers.insert(q.name.clone(), a);
            }
        }
        let _ = engine::next_question(definition, &answers, None);
        let _ = crate::sms::keywords::parse(&typed, &languages);
        let _ = crate::opinion::sms::parse_vote(&typed);
        let _ = crate::polls::xlsform::parse_expr(&typed);
        let _ = crate::polls::coding::parse_rules(&typed);
    }
}

/// A campaign update's text: the Markdown subset rendered, and its plain summary.
pub fn markdown(data: &[u8]) {
    let src = text(data);
    let _ = crate::campaign::markdown::render(&src);
    let _ = crate::campaign::markdown::plain(&src, 240);
}

/// An uploaded photo: decoded within its limits, turned upright, saved anew at
/// every width (HEIC, which is handed to a separate converter, is left out).
pub fn photos(data: &[u8]) {
    if crate::media::photo::sniff(data) == Some(crate::media::photo::Kind::Heic) {
        return;
    }
    let _ = crate::media::photo::process(data);
}

/// A file of representatives: Popolo JSON and CSV, each read as both (an upload
/// is read as JSON when it starts with `{`).
pub fn representatives(data: &[u8]) {
    let _ = crate::campaign::representatives::import::read_popolo(data, "2026-12-07");
    let _ = crate::campaign::representatives::import::read_csv(data);
    let _ = convene_analysis::similarity::shingles(&text(data));
}

/// Every target by name, for the regression tests.
pub const TARGETS: &[&str] = &[
    "xlsform",
    "polis",
    "actors",
    "places",
    "threew",
    "agreements",
    "analysis_csv",
    "webhooks",
    "answers",
    "markdown",
    "photos",
    "representatives",
];

/// Runs the target called `name` on `data` (`answers` with `definition`); false for an
/// unknown name.
pub fn run(name: &str, definition: &PollDefinition, data: &[u8]) -> bool {
    match name {
        "xlsform" => xlsform(data),
        "polis" => polis(data),
        "actors" => actors(data),
        "places" => places(data),
        "threew" => threew(data),
        "agreements" => agreements(data),
        "analysis_csv" => analysis_csv(data),
        "webhooks" => webhooks(data),
        "answers" => answers(definition, data),
        "markdown" => markdown(data),
        "photos" => photos(data),
        "representatives" => representatives(data),
        _ => return false,
    }
    true
}
