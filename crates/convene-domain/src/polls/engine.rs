//! The poll engine, pure: which question comes next (skip logic), reading an answer
//! typed on a phone (numbers, letters, choice names or labels in any of the poll's
//! languages, digits in any script), constraints, and the texts of an SMS or USSD
//! prompt. The web form, the SMS conversation and the USSD menu all use it, so a
//! poll behaves the same on every channel.

use std::collections::BTreeMap;

use super::xlsform::{CmpOp, Expr, Operand, PollDefinition, Question, QuestionKind, Translations};

/// The value stored for the demographic items' "prefer not to say".
pub const PREFER_NOT: &str = "prefer_not_to_say";

/// One answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Answer {
    /// A choice's name.
    Choice(String),
    /// Choices' names, in the list's order.
    Choices(Vec<String>),
    /// A number (integer, decimal or scale).
    Number(f64),
    /// Free text.
    Text(String),
    /// The respondent passed on an optional question.
    Skipped,
}

impl Answer {
    /// The plain value kept for analysis (`None` for free text and skips): a
    /// choice's name, choices' names separated by spaces, or a number.
    pub fn value(&self) -> Option<String> {
        match self {
            Answer::Choice(c) => Some(c.clone()),
            Answer::Choices(cs) => Some(cs.join(" ")),
            Answer::Number(n) => Some(number_text(*n)),
            Answer::Text(_) | Answer::Skipped => None,
        }
    }

    /// The value as XLSForm expressions see it: '' when unanswered or skipped.
    fn expr_text(&self) -> String {
        match self {
            Answer::Text(t) => t.clone(),
            other => other.value().unwrap_or_default(),
        }
    }
}

/// A respondent's answers so far, by question name.
pub type Answers = BTreeMap<String, Answer>;

/// Why a typed answer could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Nothing was typed.
    Empty,
    /// Not one of the choices.
    NotAChoice,
    /// Not a number (or not a whole one).
    NotANumber,
    /// A number outside the allowed range.
    OutOfRange,
    /// The question's constraint does not hold.
    Constraint,
}

impl Unreadable {
    /// The message key (locales' `polls.ftl`) explaining it.
    pub fn key(self) -> &'static str {
        match self {
            Unreadable::Empty => "poll-error-empty",
            Unreadable::NotAChoice => "poll-error-choice",
            Unreadable::NotANumber => "poll-error-number",
            Unreadable::OutOfRange => "poll-error-range",
            Unreadable::Constraint => "poll-error-constraint",
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

/// The text of `t` in `lang`, else the default language, else the text without a
/// language, else any.
pub fn pick<'a>(t: &'a Translations, lang: &str, default: Option<&str>) -> &'a str {
    t.get(lang)
        .or_else(|| default.and_then(|d| t.get(d)))
        .or_else(|| t.get(""))
        .or_else(|| t.values().next())
        .map(String::as_str)
        .unwrap_or("")
}

pub use crate::util::fold_digits;

fn normalise(s: &str) -> String {
    fold_digits(s.trim())
        .to_lowercase()
        .trim_matches(|c: char| c.is_whitespace() || ".!?؟۔".contains(c))
        .to_string()
}

/// Whether `q` is shown given the answers so far (its `relevant` holds).
pub fn is_relevant(q: &Question, answers: &Answers) -> bool {
    q.relevant.as_ref().is_none_or(|e| eval(e, answers, None))
}

/// Evaluates an expression as XLSForm does: an unanswered question is the empty
/// text; comparisons are numeric when both sides are numbers, textual otherwise.
pub fn eval(e: &Expr, answers: &Answers, current: Option<&Answer>) -> bool {
    match e {
        Expr::Or(a, b) => eval(a, answers, current) || eval(b, answers, current),
        Expr::And(a, b) => eval(a, answers, current) && eval(b, answers, current),
        Expr::Not(a) => !eval(a, answers, current),
        Expr::Bool(b) => *b,
        Expr::Selected(q, v) => match answers.get(q) {
            Some(Answer::Choices(cs)) => cs.iter().any(|c| c == v),
            Some(Answer::Choice(c)) => c == v,
            _ => false,
        },
        Expr::Compare(l, op, r) => {
            let value = |o: &Operand| -> String {
                match o {
                    Operand::Field(n) => answers.get(n).map(Answer::expr_text).unwrap_or_default(),
                    Operand::Current => current.map(Answer::expr_text).unwrap_or_default(),
                    Operand::Text(t) => t.clone(),
                    Operand::Number(n) => number_text(*n),
                }
            };
            let (a, b) = (value(l), value(r));
            let ord = match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                (Ok(x), Ok(y)) => x.partial_cmp(&y),
                _ => Some(a.cmp(&b)),
            };
            let Some(ord) = ord else { return false };
            use std::cmp::Ordering::*;
            match op {
                CmpOp::Eq => ord == Equal,
                CmpOp::Ne => ord != Equal,
                CmpOp::Lt => ord == Less,
                CmpOp::Le => ord != Greater,
                CmpOp::Gt => ord == Greater,
                CmpOp::Ge => ord != Less,
            }
        }
    }
}

/// Whether the question takes an answer (a note does not).
pub fn asks(q: &Question) -> bool {
    !matches!(q.kind, QuestionKind::Note)
}

/// The next question to ask after `after` (from the start when `None`): the first
/// later question that takes an answer and is relevant. Notes are not returned;
/// see [`notes_before`].
pub fn next_question<'a>(
    def: &'a PollDefinition,
    answers: &Answers,
    after: Option<&str>,
) -> Option<&'a Question> {
    let start = match after {
        Some(name) => def.questions.iter().position(|q| q.name == name)? + 1,
        None => 0,
    };
    def.questions[start..]
        .iter()
        .find(|q| asks(q) && is_relevant(q, answers))
}

/// The relevant notes between `after` and `question`, to show with it.
pub fn notes_before<'a>(
    def: &'a PollDefinition,
    answers: &Answers,
    after: Option<&str>,
    question: &str,
) -> Vec<&'a Question> {
    let start = match after {
        Some(name) => def
            .questions
            .iter()
            .position(|q| q.name == name)
            .map_or(0, |p| p + 1),
        None => 0,
    };
    def.questions[start..]
        .iter()
        .take_while(|q| q.name != question)
        .filter(|q| !asks(q) && is_relevant(q, answers))
        .collect()
}

/// The question called `name`.
pub fn question<'a>(def: &'a PollDefinition, name: &str) -> Option<&'a Question> {
    def.questions.iter().find(|q| q.name == name)
}

/// Checks a value against the question's constraint.
pub fn satisfies(q: &Question, answers: &Answers, a: &Answer) -> bool {
    match (&q.constraint, a) {
        (_, Answer::Skipped) | (None, _) => true,
        (Some(c), a) => eval(c, answers, Some(a)),
    }
}

fn choice_index(
    choices: &[super::xlsform::Choice],
    token: &str,
    languages: &[String],
) -> Option<usize> {
    let t = normalise(token);
    if t.is_empty() {
        return None;
    }
    if let Ok(n) = t.parse::<usize>() {
        return (1..=choices.len()).contains(&n).then(|| n - 1);
    }
    // A single Latin letter: a = first choice.
    let mut cs = t.chars();
    if let (Some(c), None) = (cs.next(), cs.clone().next()) {
        if c.is_ascii_lowercase() {
            let i = (c as u8 - b'a') as usize;
            return (i < choices.len()).then_some(i);
        }
    }
    choices.iter().position(|ch| {
        normalise(&ch.name) == t
            || ch.label.iter().any(|(l, text)| {
                (l.is_empty() || languages.is_empty() || languages.contains(l))
                    && normalise(text) == t
            })
    })
}

/// Words that pass on an optional question ("skip" and its equivalents).
const SKIP_WORDS: [&str; 6] = ["skip", "pass", "passer", "ruka", "تخطي", "چھوڑیں"];

/// Reads an answer typed on a phone. `languages` are the languages whose labels
/// are accepted (all when empty).
pub fn parse_answer(
    q: &Question,
    typed: &str,
    answers: &Answers,
    languages: &[String],
) -> Result<Answer, Unreadable> {
    let t = normalise(typed);
    if t.is_empty() {
        return Err(Unreadable::Empty);
    }
    if !q.required && SKIP_WORDS.contains(&t.as_str()) {
        return Ok(Answer::Skipped);
    }
    let answer = match &q.kind {
        QuestionKind::SelectOne(list) => {
            let i = choice_index(&list.choices, &t, languages).ok_or(Unreadable::NotAChoice)?;
            Answer::Choice(list.choices[i].name.clone())
        }
        QuestionKind::SelectMultiple(list) => {
            // "1 3", "1,3", "a c" or one label.
            let whole = choice_index(&list.choices, &t, languages);
            let mut picked: Vec<usize> = match whole {
                Some(i) => vec![i],
                None => {
                    let mut v = Vec::new();
                    for tok in t
                        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                        .filter(|s| !s.is_empty())
                    {
                        v.push(
                            choice_index(&list.choices, tok, languages)
                                .ok_or(Unreadable::NotAChoice)?,
                        );
                    }
                    v
                }
            };
            if picked.is_empty() {
                return Err(Unreadable::NotAChoice);
            }
            picked.sort_unstable();
            picked.dedup();
            Answer::Choices(
                picked
                    .into_iter()
                    .map(|i| list.choices[i].name.clone())
                    .collect(),
            )
        }
        QuestionKind::Integer => {
            let n: i64 = t.parse().map_err(|_| Unreadable::NotANumber)?;
            Answer::Number(n as f64)
        }
        QuestionKind::Decimal => {
            let n: f64 = t
                .replace(',', ".")
                .parse()
                .map_err(|_| Unreadable::NotANumber)?;
            if !n.is_finite() {
                return Err(Unreadable::NotANumber);
            }
            Answer::Number(n)
        }
        QuestionKind::Scale { min, max } => {
            let n: i64 = t.parse().map_err(|_| Unreadable::NotANumber)?;
            if n < *min || n > *max {
                return Err(Unreadable::OutOfRange);
            }
            Answer::Number(n as f64)
        }
        QuestionKind::Text => Answer::Text(typed.trim().chars().take(2000).collect()),
        QuestionKind::Note => return Err(Unreadable::Empty),
    };
    if !satisfies(q, answers, &answer) {
        return Err(Unreadable::Constraint);
    }
    Ok(answer)
}

/// Checks an answer given as stored values (the web form's fields): choice names,
/// numbers, text. Returns the answer or why it is refused.
pub fn check_answer(
    q: &Question,
    values: &[String],
    answers: &Answers,
) -> Result<Answer, Unreadable> {
    let first = values.first().map(|s| s.trim()).unwrap_or("");
    if values.iter().all(|v| v.trim().is_empty()) {
        return if q.required {
            Err(Unreadable::Empty)
        } else {
            Ok(Answer::Skipped)
        };
    }
    let answer = match &q.kind {
        QuestionKind::SelectOne(list) => {
            let c = list
                .choices
                .iter()
                .find(|c| c.name == first)
                .ok_or(Unreadable::NotAChoice)?;
            Answer::Choice(c.name.clone())
        }
        QuestionKind::SelectMultiple(list) => {
            let picked: Vec<String> = list
                .choices
                .iter()
                .filter(|c| values.iter().any(|v| v.trim() == c.name))
                .map(|c| c.name.clone())
                .collect();
            if picked.len() != values.iter().filter(|v| !v.trim().is_empty()).count() {
                return Err(Unreadable::NotAChoice);
            }
            Answer::Choices(picked)
        }
        QuestionKind::Text => Answer::Text(first.chars().take(2000).collect()),
        QuestionKind::Note => return Err(Unreadable::Empty),
        _ => return parse_answer(q, first, answers, &[]),
    };
    if !satisfies(q, answers, &answer) {
        return Err(Unreadable::Constraint);
    }
    Ok(answer)
}

/// The question as one SMS: its notes, label, choices numbered, and what to reply.
pub fn sms_prompt(def: &PollDefinition, notes: &[&Question], q: &Question, lang: &str) -> String {
    let d = def.default_language.as_deref();
    let mut out = String::new();
    for n in notes {
        out.push_str(pick(&n.label, lang, d));
        out.push('\n');
    }
    out.push_str(pick(&q.label, lang, d));
    match &q.kind {
        QuestionKind::SelectOne(list) | QuestionKind::SelectMultiple(list) => {
            for (i, c) in list.choices.iter().enumerate() {
                out.push_str(&format!("\n{} {}", i + 1, pick(&c.label, lang, d)));
            }
        }
        QuestionKind::Scale { min, max } => out.push_str(&format!(" ({min}-{max})")),
        _ => {}
    }
    out
}

/// A short hint for a second try, in the respondent's language when known.
pub fn sms_hint(q: &Question, lang: &str) -> String {
    let say = |key: &str, args: &[(&str, String)]| crate::i18n::reply(lang, key, args);
    let mut s = match &q.kind {
        QuestionKind::SelectOne(l) => say("sms-hint-one", &[("max", l.choices.len().to_string())]),
        QuestionKind::SelectMultiple(l) => {
            say("sms-hint-many", &[("max", l.choices.len().to_string())])
        }
        QuestionKind::Scale { min, max } => say(
            "sms-hint-scale",
            &[("min", min.to_string()), ("max", max.to_string())],
        ),
        QuestionKind::Integer => say("sms-hint-integer", &[]),
        QuestionKind::Decimal => say("sms-hint-decimal", &[]),
        _ => say("sms-hint-text", &[]),
    };
    if !q.required {
        s.push(' ');
        s.push_str(&say("sms-hint-skip", &[]));
    }
    s
}

/// The choices a respondent may pick at one question, as (value, label) in order
/// (empty for questions without a list).
pub fn choices<'a>(q: &'a Question, lang: &str, default: Option<&str>) -> Vec<(&'a str, &'a str)> {
    match &q.kind {
        QuestionKind::SelectOne(l) | QuestionKind::SelectMultiple(l) => l
            .choices
            .iter()
            .map(|c| (c.name.as_str(), pick(&c.label, lang, default)))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polls::xlsform::{parse_expr, Choice, ChoiceList};

    fn tr(pairs: &[(&str, &str)]) -> Translations {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn q(name: &str, kind: QuestionKind, relevant: Option<&str>) -> Question {
        Question {
            name: name.into(),
            kind,
            label: tr(&[("en", name), ("ur", "سوال")]),
            hint: Translations::new(),
            required: false,
            relevant: relevant.map(|r| parse_expr(r).unwrap()),
            constraint: None,
            constraint_message: Translations::new(),
            row: 0,
            demographic: None,
        }
    }

    fn yes_no() -> ChoiceList {
        ChoiceList {
            name: "yn".into(),
            choices: vec![
                Choice {
                    name: "yes".into(),
                    label: tr(&[("en", "Yes"), ("ur", "ہاں")]),
                },
                Choice {
                    name: "no".into(),
                    label: tr(&[("en", "No"), ("ur", "نہیں")]),
                },
            ],
        }
    }

    fn def() -> PollDefinition {
        PollDefinition {
            title: None,
            form_id: None,
            version: None,
            default_language: Some("en".into()),
            languages: vec!["en".into(), "ur".into()],
            questions: vec![
                q("safe", QuestionKind::SelectOne(yes_no()), None),
                q("why", QuestionKind::Text, Some("${safe} = 'no'")),
                q("note", QuestionKind::Note, None),
                q("trust", QuestionKind::Scale { min: 1, max: 5 }, None),
                q(
                    "needs",
                    QuestionKind::SelectMultiple(yes_no()),
                    Some("${trust} >= 3"),
                ),
            ],
        }
    }

    #[test]
    fn skip_logic_follows_answers() {
        let d = def();
        let mut a = Answers::new();
        assert_eq!(next_question(&d, &a, None).unwrap().name, "safe");
        a.insert("safe".into(), Answer::Choice("yes".into()));
        assert_eq!(next_question(&d, &a, Some("safe")).unwrap().name, "trust");
        assert_eq!(notes_before(&d, &a, Some("safe"), "trust").len(), 1);
        a.insert("safe".into(), Answer::Choice("no".into()));
        assert_eq!(next_question(&d, &a, Some("safe")).unwrap().name, "why");
        a.insert("trust".into(), Answer::Number(2.0));
        assert!(next_question(&d, &a, Some("trust")).is_none());
        a.insert("trust".into(), Answer::Number(4.0));
        assert_eq!(next_question(&d, &a, Some("trust")).unwrap().name, "needs");
    }

    #[test]
    fn answers_are_read_in_many_forms() {
        let d = def();
        let a = Answers::new();
        let langs = vec!["en".to_string(), "ur".to_string()];
        let safe = &d.questions[0];
        for typed in ["1", " 1. ", "a", "A", "yes", "YES", "Yes!", "ہاں", "۱", "١"] {
            assert_eq!(
                parse_answer(safe, typed, &a, &langs),
                Ok(Answer::Choice("yes".into())),
                "{typed}"
            );
        }
        assert_eq!(
            parse_answer(safe, "3", &a, &langs),
            Err(Unreadable::NotAChoice)
        );
        assert_eq!(
            parse_answer(safe, "maybe", &a, &langs),
            Err(Unreadable::NotAChoice)
        );
        assert_eq!(parse_answer(safe, "  ", &a, &langs), Err(Unreadable::Empty));
        assert_eq!(parse_answer(safe, "skip", &a, &langs), Ok(Answer::Skipped));
        let needs = &d.questions[4];
        assert_eq!(
            parse_answer(needs, "2, 1", &a, &langs),
            Ok(Answer::Choices(vec!["yes".into(), "no".into()]))
        );
        assert_eq!(
            parse_answer(needs, "1 7", &a, &langs),
            Err(Unreadable::NotAChoice)
        );
        let trust = &d.questions[3];
        assert_eq!(
            parse_answer(trust, "۵", &a, &langs),
            Ok(Answer::Number(5.0))
        );
        assert_eq!(
            parse_answer(trust, "6", &a, &langs),
            Err(Unreadable::OutOfRange)
        );
        assert_eq!(
            parse_answer(trust, "many", &a, &langs),
            Err(Unreadable::NotANumber)
        );
    }

    #[test]
    fn prompts_number_the_choices_in_the_language() {
        let d = def();
        let p = sms_prompt(&d, &[], &d.questions[0], "ur");
        assert_eq!(p, "سوال\n1 ہاں\n2 نہیں");
        assert!(sms_hint(&d.questions[0], "en").contains("1 to 2"));
    }
}
