//! Free-text coding: agreement between two analysts (Cohen's kappa) and a
//! codebook of keywords and regular expressions per language.

use std::collections::BTreeMap;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::error::SurveyError;

/// Agreement between two analysts who coded the same answers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Agreement {
    /// Number of answers.
    pub n: usize,
    /// Share of answers given the same code (p_o).
    pub observed: f64,
    /// Share expected by chance from each analyst's code frequencies (p_e).
    pub expected: f64,
    /// Cohen's kappa (p_o - p_e) / (1 - p_e); `None` when p_e = 1 (both analysts
    /// gave one and the same code to everything).
    pub kappa: Option<f64>,
}

/// Cohen's kappa of two analysts' codes for the same answers, in the same order.
pub fn cohen_kappa<S: AsRef<str>>(a: &[S], b: &[S]) -> Result<Agreement, SurveyError> {
    if a.len() != b.len() {
        return Err(SurveyError::LengthMismatch(format!(
            "{} codes from the first analyst, {} from the second",
            a.len(),
            b.len()
        )));
    }
    if a.is_empty() {
        return Err(SurveyError::Empty("no coded answers".into()));
    }
    let n = a.len() as f64;
    let mut fa: BTreeMap<&str, f64> = BTreeMap::new();
    let mut fb: BTreeMap<&str, f64> = BTreeMap::new();
    let mut same = 0.0;
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.as_ref(), y.as_ref());
        *fa.entry(x).or_default() += 1.0;
        *fb.entry(y).or_default() += 1.0;
        if x == y {
            same += 1.0;
        }
    }
    let observed = same / n;
    let expected: f64 = fa
        .iter()
        .map(|(code, ca)| ca * fb.get(code).copied().unwrap_or(0.0))
        .sum::<f64>()
        / (n * n);
    let kappa = (expected < 1.0).then(|| (observed - expected) / (1.0 - expected));
    Ok(Agreement {
        n: a.len(),
        observed,
        expected,
        kappa,
    })
}

/// Lower-cased Unicode words of a text (UAX #29 word boundaries, any script).
pub fn words(text: &str) -> Vec<String> {
    text.unicode_words().map(str::to_lowercase).collect()
}

/// One rule of a codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The code given when the rule matches.
    pub code: String,
    /// The language of the rule (for example "en", "ur"); `None` for any language.
    pub language: Option<String>,
    /// What to look for.
    pub matcher: Matcher,
}

/// How a rule looks for a code in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// A keyword or phrase: its words must appear one after another among the
    /// answer's words, ignoring case.
    Keyword(String),
    /// A regular expression (the `regex` crate's syntax), ignoring case.
    Pattern(String),
}

enum Compiled {
    Words(Vec<String>),
    Regex(Regex),
}

/// A compiled codebook.
pub struct Codebook {
    rules: Vec<(String, Option<String>, Compiled)>,
}

impl Codebook {
    /// Compile a codebook; a bad regular expression or an empty keyword is an error.
    pub fn new(rules: &[Rule]) -> Result<Self, SurveyError> {
        let mut out = Vec::with_capacity(rules.len());
        for r in rules {
            let compiled = match &r.matcher {
                Matcher::Keyword(k) => {
                    let w = words(k);
                    if w.is_empty() {
                        return Err(SurveyError::BadPattern {
                            code: r.code.clone(),
                            pattern: k.clone(),
                            reason: "the keyword has no words".into(),
                        });
                    }
                    Compiled::Words(w)
                }
                Matcher::Pattern(p) => Compiled::Regex(
                    regex::RegexBuilder::new(p)
                        .case_insensitive(true)
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| SurveyError::BadPattern {
                            code: r.code.clone(),
                            pattern: p.clone(),
                            reason: e.to_string(),
                        })?,
                ),
            };
            out.push((r.code.clone(), r.language.clone(), compiled));
        }
        Ok(Self { rules: out })
    }

    /// The codes of an answer (sorted, without repeats). Rules of another language
    /// than `language` are skipped; with `language` `None` every rule applies.
    pub fn code(&self, text: &str, language: Option<&str>) -> Vec<String> {
        let w = words(text);
        let mut codes: Vec<String> = self
            .rules
            .iter()
            .filter(|(_, lang, _)| match (lang, language) {
                (Some(l), Some(a)) => l == a,
                _ => true,
            })
            .filter(|(_, _, m)| match m {
                Compiled::Words(k) => w.windows(k.len()).any(|win| win == k.as_slice()),
                Compiled::Regex(re) => re.is_match(text),
            })
            .map(|(c, _, _)| c.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }
}
