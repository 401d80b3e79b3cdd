//! Polls over USSD, in Africa's Talking's session protocol: every request carries the
//! session id and all the inputs so far joined by `*`; the answer is a screen that
//! starts `CON ` (more to come) or `END ` (the session is over).
//!
//! Menu: choose a poll when several are open, then one question per screen (choices
//! numbered; numbers and free text typed). Each answer is stored as it is given,
//! keyed by the session (respondent `channel = 'ussd'`, subject = keyed hash of the
//! session id); the phone's keyed hash is kept so that DELETE by SMS finds it. Screens
//! stay under 182 characters: long choice lists are paginated, 98 showing more. Bad
//! input gets the question again with a short hint. A gateway's retry of a request
//! (same inputs) shows the same screen and stores nothing twice.

use super::engine::{self, Answers};
use super::{Access, Poll, Progress, QuestionKind};
use crate::crypto::normalise_phone;
use crate::error::{Error, Result};
use crate::sms::Channel;
use crate::storage::{int, opt_text, text, Db};
use crate::util::now;

/// Most characters of a screen, the `CON `/`END ` prefix included.
pub const MAX_SCREEN: usize = 181;
/// The input that shows the next page of a long choice list.
pub const MORE: &str = "98";

/// One request of a USSD session.
#[derive(Debug, Clone)]
pub struct UssdRequest {
    pub session_id: String,
    pub phone: String,
    /// Every input of the session so far, joined by `*` (empty at the start).
    pub text: String,
}

/// A screen: more to come, or the end of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UssdScreen {
    Con(String),
    End(String),
}

impl UssdScreen {
    /// The response body Africa's Talking expects.
    pub fn body(&self) -> String {
        match self {
            UssdScreen::Con(s) => format!("CON {s}"),
            UssdScreen::End(s) => format!("END {s}"),
        }
    }
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The fixed texts of the USSD menus in `lang`: (choose a poll, not understood,
/// more, thank you, no poll).
fn words(lang: &str) -> (String, String, String, String, String) {
    let w = |key| crate::i18n::reply(lang, key, &[]);
    (
        w("ussd-choose"),
        w("ussd-not-understood"),
        w("ussd-more"),
        w("ussd-thanks"),
        w("ussd-no-poll"),
    )
}

/// Splits `items` into pages so that each page, with `head` and the "more" line,
/// fits in a screen. Every page holds at least one item.
fn pages(head: &str, items: &[String], more: &str) -> Vec<std::ops::Range<usize>> {
    let budget = MAX_SCREEN - 4;
    let more_len = format!("\n{MORE} {more}").chars().count();
    let mut out = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let mut used = head.chars().count();
        let mut end = start;
        while end < items.len() {
            let add = 1 + items[end].chars().count();
            // Room for the "more" line, which every page of a long list shows (the
            // last one too: it wraps around to the first).
            if used + add + more_len > budget && end > start {
                break;
            }
            used += add;
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    if out.is_empty() {
        out.push(0..0);
    }
    out
}

/// A numbered menu under `head`, page `page` (wrapping around).
fn menu(head: &str, labels: &[String], page: usize, more: &str) -> (String, usize) {
    let items: Vec<String> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} {}", i + 1, cut(l, 40)))
        .collect();
    let ps = pages(head, &items, more);
    let page = page % ps.len();
    let mut s = head.to_string();
    for it in &items[ps[page].clone()] {
        s.push('\n');
        s.push_str(it);
    }
    if ps.len() > 1 {
        s.push_str(&format!("\n{MORE} {more}"));
    }
    (s, page)
}

/// The screen of question `name`, with an optional hint before it.
fn question_screen(
    poll: &Poll,
    name: &str,
    lang: &str,
    page: usize,
    hint: bool,
) -> (String, usize) {
    let def = &poll.definition;
    let d = def.default_language.as_deref();
    let (_, not_understood, more, _, _) = words(lang);
    let Some(q) = engine::question(def, name) else {
        return (String::new(), 0);
    };
    let mut head = String::new();
    if hint {
        head.push_str(&not_understood);
        head.push('\n');
    }
    head.push_str(&cut(engine::pick(&q.label, lang, d), 90));
    match &q.kind {
        QuestionKind::SelectOne(_) | QuestionKind::SelectMultiple(_) => {
            let labels: Vec<String> = engine::choices(q, lang, d)
                .into_iter()
                .map(|(_, l)| l.to_string())
                .collect();
            menu(&head, &labels, page, &more)
        }
        QuestionKind::Scale { min, max } => (format!("{head} ({min}-{max})"), 0),
        _ => (head, 0),
    }
}

impl Db {
    /// Answers one request of a USSD session on an Africa's Talking channel.
    pub async fn ussd(&self, ch: &Channel, req: &UssdRequest) -> Result<UssdScreen> {
        let phone = normalise_phone(&req.phone);
        if !(3..=16).contains(&phone.trim_start_matches('+').len()) {
            return Err(Error::invalid("phoneNumber", "error-phone"));
        }
        if req.session_id.trim().is_empty() || req.session_id.len() > 200 || req.text.len() > 1600 {
            return Err(Error::invalid("sessionId", "error-required"));
        }
        let inputs: Vec<&str> = if req.text.is_empty() {
            Vec::new()
        } else {
            req.text.split('*').collect()
        };
        let phone_hash = self.keys.lookup_hash("phone", &phone)?;
        let subject = self.keys.lookup_hash(
            super::HASH_SUBJECT,
            &format!("ussd:{}", req.session_id.trim()),
        )?;
        let t = now();
        let all = self.sms_polls(ch.space_id).await?;
        let mut tx = self.pool.begin().await?;
        let mut open: Vec<&Poll> = Vec::new();
        for p in all.iter().filter(|p| p.accepting(t)) {
            let ok = match p.access {
                Access::Open => true,
                Access::Invite => {
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS n FROM poll_invites WHERE poll_id = $1 AND token_hash = $2",
                    )
                    .bind(p.id)
                    .bind(
                        self.keys
                            .lookup_hash("poll.invite", &format!("phone:{phone}"))?,
                    )
                    .fetch_one(&mut *tx)
                    .await?;
                    int(&row, "n")? > 0
                }
            };
            if ok {
                open.push(p);
            }
        }
        let found = sqlx::query(
            "SELECT id, poll_id, language, status, awaiting, ussd_seen, ussd_page FROM poll_respondents
             WHERE space_id = $1 AND subject_hash = $2 AND channel = 'ussd'",
        )
        .bind(ch.space_id)
        .bind(&subject)
        .fetch_optional(&mut *tx)
        .await?;

        let lang_of = |p: &Poll| {
            p.languages()
                .into_iter()
                .next()
                .unwrap_or_else(|| "en".into())
        };
        let (id, poll, lang, mut status, mut awaiting, seen, mut page) = match found {
            Some(r) => {
                let poll_id = int(&r, "poll_id")?;
                let Some(poll) = all.iter().find(|p| p.id == poll_id) else {
                    tx.commit().await?;
                    return Ok(UssdScreen::End(words("en").4));
                };
                (
                    int(&r, "id")?,
                    poll,
                    text(&r, "language")?,
                    Progress::parse(&text(&r, "status")?).unwrap_or(Progress::Active),
                    opt_text(&r, "awaiting")?,
                    int(&r, "ussd_seen")? as usize,
                    int(&r, "ussd_page")? as usize,
                )
            }
            None => {
                let chosen = match open.as_slice() {
                    [] => {
                        tx.commit().await?;
                        return Ok(UssdScreen::End(words("en").4));
                    }
                    [only] => Some(*only),
                    several => inputs
                        .last()
                        .and_then(|i| engine::fold_digits(i.trim()).parse::<usize>().ok())
                        .and_then(|n| n.checked_sub(1))
                        .and_then(|i| several.get(i).copied()),
                };
                let Some(poll) = chosen else {
                    let lang = lang_of(open[0]);
                    let (choose, not_understood, more, _, _) = words(&lang);
                    let head = if inputs.is_empty() {
                        choose.to_string()
                    } else {
                        format!("{not_understood}\n{choose}")
                    };
                    let titles: Vec<String> = open.iter().map(|p| p.title.clone()).collect();
                    let page = inputs.iter().filter(|i| i.trim() == MORE).count();
                    tx.commit().await?;
                    return Ok(UssdScreen::Con(menu(&head, &titles, page, &more).0));
                };
                let lang = lang_of(poll);
                let first = engine::next_question(&poll.definition, &Answers::new(), None)
                    .map(|q| q.name.clone());
                let row = sqlx::query(
                    "INSERT INTO poll_respondents (poll_id, space_id, channel, subject_hash, phone_hash, phone_enc,
                                                   sms_channel_id, language, status, awaiting, ussd_seen, started_at, updated_at)
                     VALUES ($1, $2, 'ussd', $3, $4, $5, $6, $7, 'active', $8, $9, $10, $10) RETURNING id",
                )
                .bind(poll.id)
                .bind(poll.space_id)
                .bind(&subject)
                .bind(&phone_hash)
                .bind(self.keys.seal(super::CTX_PHONE, &phone)?)
                .bind(ch.id)
                .bind(&lang)
                .bind(first.as_deref())
                .bind(inputs.len() as i64)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                (
                    int(&row, "id")?,
                    poll,
                    lang,
                    Progress::Active,
                    first,
                    inputs.len(),
                    0,
                )
            }
        };

        // Read the inputs not read yet (a retry of the same request reads none).
        let mut answers = self.answers_in(&mut tx, id).await?;
        let mut hint = false;
        let mut changed = false;
        for input in inputs.iter().skip(seen) {
            let Some(q) = awaiting
                .as_deref()
                .and_then(|n| engine::question(&poll.definition, n))
            else {
                break;
            };
            changed = true;
            let is_list = matches!(
                q.kind,
                QuestionKind::SelectOne(_) | QuestionKind::SelectMultiple(_)
            );
            if is_list && input.trim() == MORE {
                page += 1;
                hint = false;
                continue;
            }
            let mut langs = poll.languages();
            langs.extend(ch.languages.iter().cloned());
            match engine::parse_answer(q, input, &answers, &langs) {
                Ok(a) => {
                    answers.insert(q.name.clone(), a.clone());
                    let next = engine::next_question(&poll.definition, &answers, Some(&q.name))
                        .map(|n| n.name.clone());
                    self.save_answer_in(&mut tx, poll.id, id, &q.name, &a, next.as_deref())
                        .await?;
                    if next.is_none() {
                        status = Progress::Complete;
                    }
                    awaiting = next;
                    page = 0;
                    hint = false;
                }
                Err(_) => hint = true,
            }
        }
        let screen = match (&awaiting, status) {
            (Some(name), Progress::Active) => {
                let (s, p) = question_screen(poll, name, &lang, page, hint);
                page = p;
                UssdScreen::Con(s)
            }
            _ => UssdScreen::End(words(&lang).3),
        };
        if changed || seen != inputs.len() {
            sqlx::query(
                "UPDATE poll_respondents SET ussd_seen = $1, ussd_page = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(inputs.len().max(seen) as i64)
            .bind(page as i64)
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(screen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_page_fits_a_screen(labels in proptest::collection::vec("[a-zA-Z ]{1,60}", 1..99), page in 0usize..20) {
            let (s, p) = menu("Which district do you live in at the moment?", &labels, page, "More");
            let n = 4 + s.chars().count();
            prop_assert!(n <= MAX_SCREEN, "{} chars", n);
            let ps = pages("Which district do you live in at the moment?", &labels.iter().enumerate().map(|(i, l)| format!("{} {}", i + 1, cut(l, 40))).collect::<Vec<_>>(), "More");
            prop_assert!(p < ps.len());
            // The pages cover every item once, in order.
            let mut next = 0;
            for r in &ps {
                prop_assert_eq!(r.start, next);
                prop_assert!(r.end > r.start);
                next = r.end;
            }
            prop_assert_eq!(next, labels.len());
        }
    }
}
