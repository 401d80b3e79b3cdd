//! The poll builder's storage and rules: changing a poll's questions one at a time
//! (organisers; audited; only while nobody has answered), the demographic block,
//! skip logic written as an XLSForm `relevant` expression, and what the web form
//! needs to go back a question.

use super::engine::{self, Answers, PREFER_NOT};
use super::xlsform::{parse_expr, Choice, ChoiceList, Expr, Translations};
use super::{validate_definition, Poll, PollDefinition, Question, QuestionKind, Respondent, KIND};
use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::Role;
use crate::storage::{int, Db};
use crate::util::now;

/// The demographic fields, in the order of the block.
pub const DEMOGRAPHIC_FIELDS: [&str; 4] = ["gender", "age_band", "region", "groups"];

fn tr(en: &str, ur: &str) -> Translations {
    let mut t = Translations::new();
    t.insert("en".into(), en.into());
    t.insert("ur".into(), ur.into());
    t
}

fn choice(name: &str, en: &str, ur: &str) -> Choice {
    Choice {
        name: name.into(),
        label: tr(en, ur),
    }
}

fn prefer_not() -> Choice {
    choice(PREFER_NOT, "Prefer not to say", "بتانا نہیں چاہتے")
}

fn demo_question(name: &str, kind: QuestionKind, en: &str, ur: &str) -> Question {
    Question {
        name: name.into(),
        kind,
        label: tr(en, ur),
        hint: tr(
            "Optional. Answers are only published for groups large enough that nobody can be recognised.",
            "اختیاری۔ جوابات صرف اتنے بڑے گروہوں کے لیے شائع ہوتے ہیں کہ کسی کو پہچانا نہ جا سکے۔",
        ),
        required: false,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: Some(name.into()),
    }
}

/// The demographic block: gender, age band, region (the given choices, as
/// (name, labels)) and self-identified groups; every item optional, each with
/// "prefer not to say" (stored as [`PREFER_NOT`]).
pub fn demographic_block(regions: &[(String, Translations)]) -> Vec<Question> {
    let list = |name: &str, choices: Vec<Choice>| ChoiceList {
        name: name.into(),
        choices,
    };
    let mut region_choices: Vec<Choice> = regions
        .iter()
        .map(|(n, l)| Choice {
            name: n.clone(),
            label: l.clone(),
        })
        .collect();
    region_choices.push(prefer_not());
    vec![
        demo_question(
            "gender",
            QuestionKind::SelectOne(list(
                "gender",
                vec![
                    choice("woman", "Woman", "عورت"),
                    choice("man", "Man", "مرد"),
                    choice("other", "In another way", "کسی اور طرح"),
                    prefer_not(),
                ],
            )),
            "How do you describe yourself?",
            "آپ اپنے آپ کو کیسے بیان کرتے ہیں؟",
        ),
        demo_question(
            "age_band",
            QuestionKind::SelectOne(list(
                "age_band",
                vec![
                    choice("under_18", "Under 18", "18 سے کم"),
                    choice("18_29", "18 to 29", "18 سے 29"),
                    choice("30_44", "30 to 44", "30 سے 44"),
                    choice("45_59", "45 to 59", "45 سے 59"),
                    choice("60_plus", "60 or older", "60 یا زیادہ"),
                    prefer_not(),
                ],
            )),
            "How old are you?",
            "آپ کی عمر کتنی ہے؟",
        ),
        demo_question(
            "region",
            QuestionKind::SelectOne(list("region", region_choices)),
            "Where do you live?",
            "آپ کہاں رہتے ہیں؟",
        ),
        demo_question(
            "groups",
            QuestionKind::SelectMultiple(list(
                "groups",
                vec![
                    choice("women", "Women", "خواتین"),
                    choice("youth", "Youth", "نوجوان"),
                    choice("displaced", "Displaced people", "بے گھر افراد"),
                    choice("ethnic_minority", "An ethnic minority", "نسلی اقلیت"),
                    choice("religious_minority", "A religious minority", "مذہبی اقلیت"),
                    choice("disability", "People with disabilities", "معذور افراد"),
                    prefer_not(),
                ],
            )),
            "Do you count yourself among any of these groups? Choose all that apply.",
            "کیا آپ اپنے آپ کو ان میں سے کسی گروہ میں شمار کرتے ہیں؟ جو لاگو ہوں سب چنیں۔",
        ),
    ]
}

/// Reads a skip-logic expression for the question at `index`: XLSForm syntax, and
/// referring only to questions before it. Returns the message key when refused.
pub fn parse_relevant(
    def: &PollDefinition,
    index: usize,
    text: &str,
) -> std::result::Result<Option<Expr>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let expr = parse_expr(text).map_err(|_| "poll-error-relevant")?;
    let earlier: Vec<&str> = def
        .questions
        .iter()
        .take(index)
        .map(|q| q.name.as_str())
        .collect();
    if expr.fields().iter().any(|f| !earlier.contains(f)) {
        return Err("poll-error-relevant-earlier");
    }
    Ok(Some(expr))
}

/// Whether every skip-logic expression refers only to earlier questions.
pub fn skip_logic_ordered(def: &PollDefinition) -> bool {
    def.questions.iter().enumerate().all(|(i, q)| {
        q.relevant.as_ref().is_none_or(|e| {
            e.fields()
                .iter()
                .all(|f| def.questions[..i].iter().any(|p| p.name == *f))
        })
    })
}

/// The questions a respondent was asked before the one awaited, in order (the
/// path skip logic took through the poll).
pub fn path_before<'a>(
    def: &'a PollDefinition,
    answers: &Answers,
    awaiting: Option<&str>,
) -> Vec<&'a Question> {
    let mut out = Vec::new();
    let mut q = engine::next_question(def, answers, None);
    while let Some(cur) = q {
        if Some(cur.name.as_str()) == awaiting || !answers.contains_key(&cur.name) {
            break;
        }
        out.push(cur);
        q = engine::next_question(def, answers, Some(&cur.name));
    }
    out
}

/// About how many questions a respondent with these answers is asked in all, when
/// at `current`: those behind plus those ahead that are relevant now.
pub fn about_total(def: &PollDefinition, answers: &Answers, current: &str) -> usize {
    let behind = path_before(def, answers, Some(current)).len();
    let start = def
        .questions
        .iter()
        .position(|q| q.name == current)
        .unwrap_or(0);
    let ahead = def.questions[start..]
        .iter()
        .filter(|q| engine::asks(q) && engine::is_relevant(q, answers))
        .count();
    behind + ahead.max(1)
}

impl Db {
    /// Replaces a poll's questions (organisers; audited). Refused once anyone has
    /// answered, so that answers always match the questions they were given to.
    pub async fn update_poll_definition(
        &self,
        scope: &Scope,
        poll: &Poll,
        def: &PollDefinition,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        validate_definition(def)?;
        if !skip_logic_ordered(def) {
            return Err(Error::invalid("relevant", "poll-error-relevant-earlier"));
        }
        let json = serde_json::to_string(def)
            .map_err(|e| Error::Internal(format!("poll definition: {e}")))?;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM poll_respondents WHERE poll_id = $1")
            .bind(poll.id)
            .fetch_one(&mut *tx)
            .await?;
        if int(&row, "n")? > 0 {
            return Err(Error::Conflict("poll-error-has-respondents"));
        }
        sqlx::query("UPDATE polls SET definition = $1, version = version + 1 WHERE record_id = $2")
            .bind(json)
            .bind(poll.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE records SET updated_at = $1 WHERE id = $2")
            .bind(now())
            .bind(poll.id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::PollDefinition,
                target: format!("{KIND}:{}", poll.id),
                detail: format!("questions={}", def.questions.len()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a respondent's answers to questions that the answers given since
    /// (after going back and changing one) made irrelevant, so that results never
    /// count an answer to a question the respondent would not be asked.
    pub async fn drop_irrelevant_answers(
        &self,
        poll: &Poll,
        respondent_id: i64,
        answers: &Answers,
    ) -> Result<usize> {
        let mut dropped = 0;
        for q in &poll.definition.questions {
            if answers.contains_key(&q.name) && !engine::is_relevant(q, answers) {
                let done = sqlx::query(
                    "DELETE FROM poll_answers WHERE respondent_id = $1 AND poll_id = $2 AND question = $3",
                )
                .bind(respondent_id)
                .bind(poll.id)
                .bind(&q.name)
                .execute(&self.pool)
                .await?;
                dropped += done.rows_affected() as usize;
            }
        }
        Ok(dropped)
    }

    /// Whether `token` is an invitation link to `poll` not used yet.
    pub async fn poll_invite_unused(&self, poll: &Poll, token: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM poll_invites
             WHERE poll_id = $1 AND token_hash = $2 AND used_at IS NULL",
        )
        .bind(poll.id)
        .bind(self.keys.lookup_hash("poll.invite", token)?)
        .fetch_one(&self.pool)
        .await?;
        Ok(int(&row, "n")? > 0)
    }

    /// Uses an invitation link: true only the first time, so that one link starts
    /// one respondent (however often it is forwarded).
    pub async fn use_poll_invite(&self, poll: &Poll, token: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE poll_invites SET used_at = $1
             WHERE poll_id = $2 AND token_hash = $3 AND used_at IS NULL",
        )
        .bind(now())
        .bind(poll.id)
        .bind(self.keys.lookup_hash("poll.invite", token)?)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Takes a web respondent back to an earlier question they answered (their
    /// answers are kept, to be changed).
    pub async fn respondent_back_to(
        &self,
        poll: &Poll,
        respondent: &Respondent,
        question: &str,
    ) -> Result<()> {
        if engine::question(&poll.definition, question).is_none() {
            return Err(Error::NotFound);
        }
        sqlx::query(
            "UPDATE poll_respondents SET awaiting = $1, status = 'active', updated_at = $2
             WHERE id = $3 AND poll_id = $4",
        )
        .bind(question)
        .bind(now())
        .bind(respondent.id)
        .bind(poll.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(questions: Vec<Question>) -> PollDefinition {
        PollDefinition {
            title: None,
            form_id: None,
            version: None,
            default_language: Some("en".into()),
            languages: vec!["en".into(), "ur".into()],
            questions,
        }
    }

    #[test]
    fn demographic_items_are_optional_with_prefer_not_to_say() {
        let block = demographic_block(&[("north".into(), tr("North", "شمال"))]);
        assert_eq!(block.len(), 4);
        for q in &block {
            assert!(!q.required);
            assert!(DEMOGRAPHIC_FIELDS.contains(&q.demographic.as_deref().unwrap_or("")));
            let names: Vec<&str> = engine::choices(q, "en", None)
                .into_iter()
                .map(|c| c.0)
                .collect();
            assert_eq!(names.last(), Some(&PREFER_NOT));
        }
        assert!(validate_definition(&def(block)).is_ok());
    }

    #[test]
    fn skip_logic_refers_only_to_earlier_questions() {
        let d = def(demographic_block(&[]));
        assert!(parse_relevant(&d, 1, "${gender} = 'woman'")
            .unwrap()
            .is_some());
        assert_eq!(
            parse_relevant(&d, 0, "${gender} = 'woman'"),
            Err("poll-error-relevant-earlier")
        );
        assert_eq!(
            parse_relevant(&d, 2, "${gender} = "),
            Err("poll-error-relevant")
        );
        assert_eq!(parse_relevant(&d, 2, "  "), Ok(None));
    }

    #[test]
    fn path_follows_skip_logic() {
        let mut d = def(demographic_block(&[]));
        d.questions[1].relevant = parse_relevant(&d, 1, "${gender} = 'woman'").unwrap();
        let mut a = Answers::new();
        a.insert("gender".into(), engine::Answer::Choice("man".into()));
        let names: Vec<&str> = path_before(&d, &a, Some("region"))
            .iter()
            .map(|q| q.name.as_str())
            .collect();
        assert_eq!(names, ["gender"]);
        assert_eq!(about_total(&d, &a, "region"), 3);
        a.insert("gender".into(), engine::Answer::Choice("woman".into()));
        assert_eq!(about_total(&d, &a, "age_band"), 4);
    }
}
