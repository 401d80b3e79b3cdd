//! Coding free-text answers: a codebook per question (codes with descriptions
//! and per-language keyword or regular-expression rules), coding by the rules
//! (coder 0), review and recoding by analysts (coder = their user id), and the
//! answers two analysts both coded, for Cohen's kappa.
//!
//! Organisers and analysts only; every change is audited (without the texts) and
//! bumps the poll's version so that the results are recomputed.

use std::collections::BTreeMap;

use convene_analysis::survey::{Codebook, Matcher, Rule};

use super::{Poll, QuestionKind, CTX_TEXT, KIND};
use crate::access::{policy, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::storage::{int, opt_text, text, Db};
use crate::util::now;

/// The coder id of the codebook's rules.
pub const RULES: i64 = 0;

/// One rule of a code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeRule {
    /// The language it applies to ("" for any).
    #[serde(default)]
    pub language: String,
    /// A regular expression rather than a keyword.
    #[serde(default)]
    pub regex: bool,
    /// The keyword (or phrase) or the expression.
    pub text: String,
}

/// One code of a question's codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub code: String,
    pub description: String,
    pub rules: Vec<CodeRule>,
}

/// One free-text answer with its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedAnswer {
    pub respondent_id: i64,
    pub language: String,
    pub text: String,
    /// Codes given by the rules (`None`: not run yet).
    pub by_rules: Option<Vec<String>>,
    /// Codes given by each analyst (user id → codes).
    pub by_analysts: BTreeMap<i64, Vec<String>>,
}

/// A code name: one word of letters, digits, `-` or `_`, at most 40 characters.
pub fn valid_code(c: &str) -> bool {
    !c.is_empty()
        && c.chars().count() <= 40
        && c.chars()
            .all(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_')
}

/// Reads rules written one per line: `keyword`, `lang: keyword`, `/regex/` or
/// `lang: /regex/` (a language is 2 to 3 lower-case letters).
pub fn parse_rules(s: &str) -> Vec<CodeRule> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (language, rest) = match l.split_once(':') {
                Some((a, b))
                    if (2..=3).contains(&a.trim().len())
                        && a.trim().chars().all(|c| c.is_ascii_lowercase()) =>
                {
                    (a.trim().to_string(), b.trim())
                }
                _ => (String::new(), l),
            };
            let regex = rest.len() >= 2 && rest.starts_with('/') && rest.ends_with('/');
            let text = if regex {
                rest[1..rest.len() - 1].to_string()
            } else {
                rest.to_string()
            };
            CodeRule {
                language,
                regex,
                text,
            }
        })
        .collect()
}

/// Writes rules back in the form [`parse_rules`] reads.
pub fn format_rules(rules: &[CodeRule]) -> String {
    rules
        .iter()
        .map(|r| {
            let body = if r.regex {
                format!("/{}/", r.text)
            } else {
                r.text.clone()
            };
            if r.language.is_empty() {
                body
            } else {
                format!("{}: {body}", r.language)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn codebook(codes: &[Code]) -> std::result::Result<Codebook, String> {
    let rules: Vec<Rule> = codes
        .iter()
        .flat_map(|c| {
            c.rules.iter().map(|r| Rule {
                code: c.code.clone(),
                language: (!r.language.is_empty()).then(|| r.language.clone()),
                matcher: if r.regex {
                    Matcher::Pattern(r.text.clone())
                } else {
                    Matcher::Keyword(r.text.clone())
                },
            })
        })
        .collect();
    Codebook::new(&rules).map_err(|e| e.to_string())
}

/// The rules' codes and each analyst's codes of one answer.
type Codings = (Option<Vec<String>>, BTreeMap<i64, Vec<String>>);

fn require_coder(scope: &Scope) -> Result<()> {
    policy::require(scope, policy::may_analyse)
}

fn text_question(poll: &Poll, question: &str) -> Result<()> {
    poll.definition
        .questions
        .iter()
        .find(|q| q.name == question && matches!(q.kind, QuestionKind::Text))
        .map(|_| ())
        .ok_or(Error::NotFound)
}

impl Db {
    async fn audit_coding(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        poll: &Poll,
        action: AuditAction,
        detail: String,
    ) -> Result<()> {
        sqlx::query("UPDATE polls SET version = version + 1 WHERE record_id = $1")
            .bind(poll.id)
            .execute(&mut **tx)
            .await?;
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action,
                target: format!("{KIND}:{}", poll.id),
                detail,
            },
        )
        .await?;
        Ok(())
    }

    /// The codebook of a free-text question, in the order codes were made.
    pub async fn poll_codebook(
        &self,
        scope: &Scope,
        poll: &Poll,
        question: &str,
    ) -> Result<Vec<Code>> {
        require_coder(scope)?;
        text_question(poll, question)?;
        let rows = sqlx::query(
            "SELECT code, description, rules FROM poll_codes WHERE poll_id = $1 AND question = $2 ORDER BY id",
        )
        .bind(poll.id)
        .bind(question)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Code {
                    code: text(r, "code")?,
                    description: text(r, "description")?,
                    rules: serde_json::from_str(&text(r, "rules")?).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Adds a code or changes one (same name) in a question's codebook (audited).
    pub async fn save_poll_code(
        &self,
        scope: &Scope,
        poll: &Poll,
        question: &str,
        code: &Code,
    ) -> Result<()> {
        require_coder(scope)?;
        text_question(poll, question)?;
        if !valid_code(&code.code) {
            return Err(Error::invalid("code", "poll-error-code-name"));
        }
        if code.description.trim().is_empty() || code.description.chars().count() > 500 {
            return Err(Error::invalid("description", "poll-error-code-description"));
        }
        if codebook(std::slice::from_ref(code)).is_err() {
            return Err(Error::invalid("rules", "poll-error-code-rule"));
        }
        let rules = serde_json::to_string(&code.rules)
            .map_err(|e| Error::Internal(format!("code rules: {e}")))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO poll_codes (poll_id, question, code, description, rules) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (poll_id, question, code) DO UPDATE SET description = excluded.description, rules = excluded.rules",
        )
        .bind(poll.id)
        .bind(question)
        .bind(&code.code)
        .bind(code.description.trim())
        .bind(rules)
        .execute(&mut *tx)
        .await?;
        self.audit_coding(
            &mut tx,
            scope,
            poll,
            AuditAction::PollCodeSave,
            format!(
                "question={question} code={} rules={}",
                code.code,
                code.rules.len()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Codes every answer to a free-text question by the codebook's rules (coder 0;
    /// audited). Returns how many answers got at least one code.
    pub async fn run_poll_coding_rules(
        &self,
        scope: &Scope,
        poll: &Poll,
        question: &str,
    ) -> Result<usize> {
        let codes = self.poll_codebook(scope, poll, question).await?;
        let book = codebook(&codes).map_err(|_| Error::invalid("rules", "poll-error-code-rule"))?;
        let answers = self.poll_text_answers(poll, question).await?;
        let t = now();
        let mut tx = self.pool.begin().await?;
        let mut coded = 0;
        for (id, language, text) in &answers {
            let c = book.code(text, Some(language));
            coded += usize::from(!c.is_empty());
            sqlx::query(
                "INSERT INTO poll_codings (respondent_id, poll_id, question, coder, codes, coded_at)
                 VALUES ($1, $2, $3, 0, $4, $5)
                 ON CONFLICT (respondent_id, question, coder) DO UPDATE SET codes = excluded.codes, coded_at = excluded.coded_at",
            )
            .bind(id)
            .bind(poll.id)
            .bind(question)
            .bind(c.join(" "))
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        self.audit_coding(
            &mut tx,
            scope,
            poll,
            AuditAction::PollCodingRules,
            format!(
                "question={question} answers={} coded={coded}",
                answers.len()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(coded)
    }

    /// (respondent, language, opened text) of every answer to a question.
    async fn poll_text_answers(
        &self,
        poll: &Poll,
        question: &str,
    ) -> Result<Vec<(i64, String, String)>> {
        let rows = sqlx::query(
            "SELECT a.respondent_id, r.language, a.text_enc FROM poll_answers a
             JOIN poll_respondents r ON r.id = a.respondent_id
             WHERE a.poll_id = $1 AND a.question = $2 AND a.text_enc IS NOT NULL ORDER BY a.respondent_id",
        )
        .bind(poll.id)
        .bind(question)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let sealed: Vec<u8> = sqlx::Row::try_get(r, "text_enc")?;
            out.push((
                int(r, "respondent_id")?,
                text(r, "language")?,
                self.keys.open(CTX_TEXT, &sealed)?,
            ));
        }
        Ok(out)
    }

    /// Every answer to a free-text question with the rules' and analysts' codes.
    pub async fn poll_coded_answers(
        &self,
        scope: &Scope,
        poll: &Poll,
        question: &str,
    ) -> Result<Vec<CodedAnswer>> {
        require_coder(scope)?;
        text_question(poll, question)?;
        let answers = self.poll_text_answers(poll, question).await?;
        let rows = sqlx::query(
            "SELECT respondent_id, coder, codes FROM poll_codings WHERE poll_id = $1 AND question = $2",
        )
        .bind(poll.id)
        .bind(question)
        .fetch_all(&self.pool)
        .await?;
        let mut by: BTreeMap<i64, Codings> = BTreeMap::new();
        for r in &rows {
            let codes: Vec<String> = opt_text(r, "codes")?
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let e = by.entry(int(r, "respondent_id")?).or_default();
            match int(r, "coder")? {
                RULES => e.0 = Some(codes),
                a => {
                    e.1.insert(a, codes);
                }
            }
        }
        Ok(answers
            .into_iter()
            .map(|(id, language, text)| {
                let (by_rules, by_analysts) = by.remove(&id).unwrap_or_default();
                CodedAnswer {
                    respondent_id: id,
                    language,
                    text,
                    by_rules,
                    by_analysts,
                }
            })
            .collect())
    }

    /// Sets the viewer's codes for one answer (review, recode, or second coding;
    /// audited). Every code must be in the codebook.
    pub async fn recode_poll_answer(
        &self,
        scope: &Scope,
        poll: &Poll,
        question: &str,
        respondent_id: i64,
        codes: &[String],
    ) -> Result<()> {
        let book = self.poll_codebook(scope, poll, question).await?;
        let coder = scope.viewer_id().ok_or(Error::Forbidden)?;
        if codes.iter().any(|c| !book.iter().any(|b| &b.code == c)) {
            return Err(Error::invalid("codes", "poll-error-code-unknown"));
        }
        let exists = sqlx::query(
            "SELECT 1 AS one FROM poll_answers WHERE poll_id = $1 AND question = $2 AND respondent_id = $3 AND text_enc IS NOT NULL",
        )
        .bind(poll.id)
        .bind(question)
        .bind(respondent_id)
        .fetch_optional(&self.pool)
        .await?;
        if exists.is_none() {
            return Err(Error::NotFound);
        }
        let mut sorted = codes.to_vec();
        sorted.sort();
        sorted.dedup();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO poll_codings (respondent_id, poll_id, question, coder, codes, coded_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (respondent_id, question, coder) DO UPDATE SET codes = excluded.codes, coded_at = excluded.coded_at",
        )
        .bind(respondent_id)
        .bind(poll.id)
        .bind(question)
        .bind(coder)
        .bind(sorted.join(" "))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit_coding(
            &mut tx,
            scope,
            poll,
            AuditAction::PollCodingRecode,
            format!(
                "question={question} respondent={respondent_id} codes={}",
                sorted.len()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The answers two analysts both coded, as their two labels (codes joined by
/// "+", "-" for none), for Cohen's kappa; the pair of analysts with the most
/// answers in common is chosen.
pub fn double_coded(answers: &[CodedAnswer]) -> Option<(i64, i64, Vec<String>, Vec<String>)> {
    let mut coders: Vec<i64> = answers
        .iter()
        .flat_map(|a| a.by_analysts.keys().copied())
        .collect();
    coders.sort_unstable();
    coders.dedup();
    let label = |c: &Vec<String>| {
        if c.is_empty() {
            "-".to_string()
        } else {
            c.join("+")
        }
    };
    let mut best: Option<(i64, i64, Vec<String>, Vec<String>)> = None;
    for (i, &a) in coders.iter().enumerate() {
        for &b in &coders[i + 1..] {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            for ans in answers {
                if let (Some(ca), Some(cb)) = (ans.by_analysts.get(&a), ans.by_analysts.get(&b)) {
                    x.push(label(ca));
                    y.push(label(cb));
                }
            }
            if !x.is_empty() && best.as_ref().is_none_or(|bst| x.len() > bst.2.len()) {
                best = Some((a, b, x, y));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_round_trip() {
        let r = parse_rules("water\nur: پانی\n/wells?/\nen: /dam(s)?/\n");
        assert_eq!(r.len(), 4);
        assert_eq!(r[1].language, "ur");
        assert!(r[2].regex && r[2].language.is_empty() && r[2].text == "wells?");
        assert!(r[3].regex && r[3].language == "en");
        assert_eq!(parse_rules(&format_rules(&r)), r);
        assert!(valid_code("land_rights") && !valid_code("two words") && !valid_code(""));
    }
}
