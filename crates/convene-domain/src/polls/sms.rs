//! Poll conversations by SMS: one question at a time, inside the transaction that
//! stores the inbound message (see [`Db::receive_sms`]).
//!
//! The rules (docs/sms-polls.md):
//! - A text that is a poll's keyword (optionally followed by a language code,
//!   `PEACE ur`) starts or resumes that poll and pauses the phone's other active
//!   conversation in the space. Only polls an outsider may read (public level), open
//!   and within their dates; an invitation-only poll needs the phone invited.
//! - Otherwise the text answers the awaited question of the active conversation.
//!   An unreadable answer is asked again once, with a hint; a second unreadable
//!   answer records nothing for that question and the conversation moves on
//!   (also for a required question: the rest of the poll is worth more than a
//!   stalled conversation).
//! - At the end: a thank-you and the offer of the results summary; YES (in the
//!   respondent's language) sets the opt-in.
//! - A conversation silent longer than the poll's idle time-out is timed out (on
//!   the next message, and by [`Db::sweep_idle_poll_conversations`]); afterwards
//!   only its keyword resumes it.
//! - With no active conversation and no keyword: the space's only open public poll
//!   starts, or the list of keywords is sent.
//! - A phone that opted out (STOP) gets nothing; its texts are stored only.

use super::engine::{self, Answers};
use super::{respondent_from_row, Access, Poll, Progress, Respondent, RESPONDENT_COLS};
use crate::audit::{AuditAction, Event};
use crate::error::Result;
use crate::sms::Channel;
use crate::storage::{int, opt_blob, opt_text, text, Db};
use crate::util::clean_word;

use super::CTX_PHONE;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

type PollCache = crate::storage::space_cache::SpaceCache<Vec<Poll>>;

/// What a conversation says besides the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Say {
    Thanks,
    SummaryYes,
    Already,
    Closed,
    NotInvited,
    NoPoll,
    Choose,
    Deleted,
}

fn say(what: Say, lang: &str) -> String {
    let key = match what {
        Say::Thanks => "sms-reply-thanks",
        Say::SummaryYes => "sms-reply-summary-yes",
        Say::Already => "sms-reply-already",
        Say::Closed => "sms-reply-closed",
        Say::NotInvited => "sms-reply-not-invited",
        Say::NoPoll => "sms-reply-no-poll",
        Say::Choose => "sms-reply-choose",
        Say::Deleted => "sms-reply-deleted",
    };
    crate::i18n::reply(lang, key, &[])
}

/// The confirmation of a DELETE, in the keyword's script.
pub(crate) fn deleted_reply(text: &str) -> String {
    say(Say::Deleted, crate::util::reply_language(text))
}

/// Words accepting the results summary.
const YES_WORDS: [&str; 8] = ["yes", "y", "ہاں", "ہان", "haan", "oui", "ndio", "نعم"];

/// The language of a conversation started with `words`: a language code after the
/// keyword, else Urdu or Arabic when the keyword was typed in Arabic script and the
/// poll has it, else the poll's default.
fn choose_language(poll: &Poll, words: &[&str]) -> String {
    let langs = poll.languages();
    if let Some(code) = words.get(1).map(|w| clean_word(w)) {
        if let Some(l) = langs.iter().find(|l| l.to_lowercase() == code) {
            return l.clone();
        }
    }
    let arabic = words
        .first()
        .is_some_and(|w| w.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
    if arabic {
        if let Some(l) = langs.iter().find(|l| *l == "ur" || *l == "ar") {
            return l.clone();
        }
    }
    langs.into_iter().next().unwrap_or_else(|| "en".into())
}

/// The question `name` as one SMS, with the relevant notes since the question
/// before it.
fn prompt(poll: &Poll, answers: &Answers, name: &str, lang: &str) -> String {
    let def = &poll.definition;
    let Some(pos) = def.questions.iter().position(|q| q.name == name) else {
        return String::new();
    };
    let first = def.questions[..pos]
        .iter()
        .rposition(engine::asks)
        .map_or(0, |p| p + 1);
    let notes: Vec<_> = def.questions[first..pos]
        .iter()
        .filter(|q| !engine::asks(q) && engine::is_relevant(q, answers))
        .collect();
    engine::sms_prompt(def, &notes, &def.questions[pos], lang)
}

impl Db {
    /// Marks SMS and USSD conversations silent for longer than their poll's idle
    /// time-out as timed out; returns how many. Run periodically by the server.
    pub async fn sweep_idle_poll_conversations(&self) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE poll_respondents SET status = 'timed_out'
             WHERE status = 'active' AND channel IN ('sms', 'ussd')
               AND updated_at + (SELECT p.idle_timeout_secs FROM polls p WHERE p.record_id = poll_respondents.poll_id) < $1",
        )
        .bind(crate::util::now())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// The polls of a channel's space a text may reach (read before the message's
    /// transaction, through the visibility rule, as an outsider).
    /// They are reused for up to a second (a busy channel would otherwise read and
    /// parse every poll of the space for every text); creating or changing a poll in
    /// this process forgets them at once.
    pub(crate) async fn sms_polls(&self, space_id: i64) -> Result<std::sync::Arc<Vec<Poll>>> {
        let cache = self.extension(|_| PollCache::default());
        if let Some(polls) = cache.fresh(space_id) {
            return Ok(polls);
        }
        let polls = std::sync::Arc::new(self.outsider_polls(space_id).await?.1);
        cache.put(space_id, polls.clone());
        Ok(polls)
    }

    /// Forgets the cached polls of a space (after a poll was created or changed).
    pub(crate) fn forget_sms_polls(&self, space_id: i64) {
        self.extension(|_| PollCache::default()).forget(space_id);
    }

    /// Pauses the phone's active SMS conversation (after a STOP).
    pub(crate) async fn sms_pause_in(
        &self,
        tx: &mut Tx,
        space_id: i64,
        phone_hash: &str,
        t: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE poll_respondents SET status = 'paused', updated_at = $1
             WHERE space_id = $2 AND phone_hash = $3 AND channel = 'sms' AND status = 'active'",
        )
        .bind(t)
        .bind(space_id)
        .bind(phone_hash)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Deletes every poll answer of a phone in a space on its own request (the
    /// DELETE keyword), audited without personal data.
    pub(crate) async fn sms_delete_in(
        &self,
        tx: &mut Tx,
        ch: &Channel,
        phone_hash: &str,
    ) -> Result<u64> {
        let n = self
            .delete_by_phone_hash_in(tx, ch.space_id, phone_hash)
            .await?;
        self.audit_in(
            tx,
            Event {
                space_id: Some(ch.space_id),
                user_id: None,
                action: AuditAction::PollRespondentDelete,
                target: format!("space:{}", ch.space_id),
                detail: format!("respondents={n} by=sms-keyword channel={}", ch.id),
            },
        )
        .await?;
        Ok(n)
    }

    pub(crate) async fn answers_in(&self, tx: &mut Tx, respondent_id: i64) -> Result<Answers> {
        let rows = sqlx::query(
            "SELECT question, value, text_enc FROM poll_answers WHERE respondent_id = $1",
        )
        .bind(respondent_id)
        .fetch_all(&mut **tx)
        .await?;
        let mut out = Answers::new();
        for r in &rows {
            out.insert(
                text(r, "question")?,
                self.stored_answer(opt_text(r, "value")?, opt_blob(r, "text_enc")?)?,
            );
        }
        Ok(out)
    }

    async fn set_status_in(&self, tx: &mut Tx, id: i64, status: Progress, t: i64) -> Result<()> {
        sqlx::query("UPDATE poll_respondents SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(t)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// The replies to a text routed to polls (a poll's keyword, or a bare reply
    /// while a poll is the phone's flow or none is). `others` lists the keywords of
    /// other open flows, for the list of what the phone may start.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn sms_converse_in(
        &self,
        tx: &mut Tx,
        ch: &Channel,
        phone: &str,
        phone_hash: &str,
        typed: &str,
        t: i64,
        polls: &[Poll],
        others: &[String],
    ) -> Result<Vec<String>> {
        let rows = sqlx::query(&format!(
            "SELECT {RESPONDENT_COLS} FROM poll_respondents
             WHERE space_id = $1 AND phone_hash = $2 AND channel = 'sms'
             ORDER BY updated_at DESC, id DESC"
        ))
        .bind(ch.space_id)
        .bind(phone_hash)
        .fetch_all(&mut **tx)
        .await?;
        let mut convs: Vec<Respondent> = rows
            .iter()
            .map(respondent_from_row)
            .collect::<Result<_>>()?;

        // Conversations silent too long, or whose poll closed, end here.
        let mut closed_now = false;
        for r in convs.iter_mut().filter(|r| r.progress == Progress::Active) {
            let poll = polls.iter().find(|p| p.id == r.poll_id);
            let idle = poll.is_none_or(|p| t - r.updated_at > p.idle_timeout_secs);
            let shut = poll.is_none_or(|p| !p.accepting(t));
            if idle || shut {
                self.set_status_in(tx, r.id, Progress::TimedOut, t).await?;
                r.progress = Progress::TimedOut;
                closed_now |= shut && !idle;
            }
        }

        let words: Vec<&str> = typed.split_whitespace().collect();
        let keyword = (1..=2)
            .contains(&words.len())
            .then(|| super::normalise_keyword(&clean_word(words[0])))
            .flatten();
        let by_keyword = keyword
            .as_deref()
            .and_then(|k| polls.iter().find(|p| p.keyword.as_deref() == Some(k)));
        if let Some(poll) = by_keyword {
            let lang = choose_language(poll, &words);
            if !poll.accepting(t) {
                return Ok(vec![say(Say::Closed, &lang)]);
            }
            if poll.access == Access::Invite {
                let row = sqlx::query(
                    "SELECT COUNT(*) AS n FROM poll_invites WHERE poll_id = $1 AND token_hash = $2",
                )
                .bind(poll.id)
                .bind(
                    self.keys
                        .lookup_hash("poll.invite", &format!("phone:{phone}"))?,
                )
                .fetch_one(&mut **tx)
                .await?;
                if int(&row, "n")? == 0 {
                    return Ok(vec![say(Say::NotInvited, &lang)]);
                }
            }
            let existing = convs.iter().find(|r| r.poll_id == poll.id);
            let others_active = convs
                .iter()
                .any(|r| r.poll_id != poll.id && r.progress == Progress::Active);
            let lang = match (existing, words.len()) {
                (Some(r), 1) => r.language.clone(),
                _ => lang,
            };
            return self
                .sms_start_in(
                    tx,
                    ch,
                    poll,
                    existing,
                    others_active,
                    phone,
                    phone_hash,
                    &lang,
                    t,
                )
                .await;
        }

        if let Some(r) = convs.iter().find(|r| r.progress == Progress::Active) {
            let Some(poll) = polls.iter().find(|p| p.id == r.poll_id) else {
                return Ok(Vec::new());
            };
            return self.sms_answer_in(tx, ch, poll, r, typed, t).await;
        }
        if closed_now {
            return Ok(vec![say(Say::Closed, &poll_lang(None))]);
        }

        // The results summary, after the end.
        if YES_WORDS.contains(&clean_word(typed).as_str()) {
            if let Some(r) = convs
                .iter()
                .filter(|r| r.progress == Progress::Complete && !r.summary_optin)
                .max_by_key(|r| (r.completed_at, r.id))
            {
                sqlx::query("UPDATE poll_respondents SET summary_optin = 1 WHERE id = $1")
                    .bind(r.id)
                    .execute(&mut **tx)
                    .await?;
                return Ok(vec![say(Say::SummaryYes, &r.language)]);
            }
        }

        // No conversation: the only open public poll, or the list of keywords.
        let open: Vec<&Poll> = polls
            .iter()
            .filter(|p| p.accepting(t) && p.access == Access::Open)
            .collect();
        if let ([only], []) = (open.as_slice(), others) {
            let lang = poll_lang(Some(only));
            return match convs.iter().find(|r| r.poll_id == only.id) {
                None => {
                    self.sms_start_in(tx, ch, only, None, false, phone, phone_hash, &lang, t)
                        .await
                }
                Some(r) if r.progress == Progress::Complete => {
                    Ok(vec![say(Say::Already, &r.language)])
                }
                Some(r) => Ok(vec![keyword_list(&open, others, &r.language)]),
            };
        }
        if open.is_empty() && others.is_empty() {
            // Nothing open at all: the text is only stored (the space may use SMS
            // for other things).
            return Ok(Vec::new());
        }
        let lang = convs
            .first()
            .map_or_else(|| poll_lang(open.first().copied()), |r| r.language.clone());
        Ok(vec![keyword_list(&open, others, &lang)])
    }

    /// Starts (or resumes) `poll` for the phone, pausing its other active
    /// conversation in the space; returns the question to send.
    #[allow(clippy::too_many_arguments)]
    async fn sms_start_in(
        &self,
        tx: &mut Tx,
        ch: &Channel,
        poll: &Poll,
        existing: Option<&Respondent>,
        others_active: bool,
        phone: &str,
        phone_hash: &str,
        lang: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        if let Some(r) = existing {
            if r.progress == Progress::Complete {
                return Ok(vec![say(Say::Already, &r.language)]);
            }
        }
        if others_active {
            sqlx::query(
                "UPDATE poll_respondents SET status = 'paused', updated_at = $1
                 WHERE space_id = $2 AND phone_hash = $3 AND channel = 'sms' AND status = 'active' AND poll_id <> $4",
            )
            .bind(t)
            .bind(ch.space_id)
            .bind(phone_hash)
            .bind(poll.id)
            .execute(&mut **tx)
            .await?;
        }
        let (id, answers, awaiting, fresh) = match existing {
            Some(r) => {
                let answers = self.answers_in(tx, r.id).await?;
                let awaiting = match &r.awaiting {
                    Some(a) => Some(a.clone()),
                    None => engine::next_question(&poll.definition, &answers, None)
                        .map(|q| q.name.clone()),
                };
                (r.id, answers, awaiting, false)
            }
            None => {
                let first = engine::next_question(&poll.definition, &Answers::new(), None)
                    .map(|q| q.name.clone());
                let subject = self
                    .keys
                    .lookup_hash(super::HASH_SUBJECT, &format!("sms:{phone}"))?;
                let row = sqlx::query(
                    "INSERT INTO poll_respondents (poll_id, space_id, channel, subject_hash, phone_hash, phone_enc,
                                                   sms_channel_id, language, status, awaiting, started_at, updated_at)
                     VALUES ($1, $2, 'sms', $3, $4, $5, $6, $7, 'active', $8, $9, $9) RETURNING id",
                )
                .bind(poll.id)
                .bind(poll.space_id)
                .bind(subject)
                .bind(phone_hash)
                .bind(self.keys.seal(CTX_PHONE, phone)?)
                .bind(ch.id)
                .bind(lang)
                .bind(first.as_deref())
                .bind(t)
                .fetch_one(&mut **tx)
                .await?;
                (int(&row, "id")?, Answers::new(), first, true)
            }
        };
        let Some(awaiting) = awaiting else {
            return Ok(vec![say(Say::Already, lang)]);
        };
        if fresh {
            let q = prompt(poll, &answers, &awaiting, lang);
            return Ok(vec![format!("{}\n{q}", poll.title)]);
        }
        sqlx::query(
            "UPDATE poll_respondents SET status = 'active', awaiting = $1, reasked = 0, language = $2,
                    updated_at = $3 WHERE id = $4",
        )
        .bind(&awaiting)
        .bind(lang)
        .bind(t)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(vec![prompt(poll, &answers, &awaiting, lang)])
    }

    /// Reads a text as the answer to the awaited question of an active conversation.
    async fn sms_answer_in(
        &self,
        tx: &mut Tx,
        ch: &Channel,
        poll: &Poll,
        r: &Respondent,
        typed: &str,
        t: i64,
    ) -> Result<Vec<String>> {
        let def = &poll.definition;
        let lang = r.language.as_str();
        let mut answers = self.answers_in(tx, r.id).await?;
        let Some(q) = r
            .awaiting
            .as_deref()
            .and_then(|name| engine::question(def, name))
        else {
            // Nothing awaited (the definition changed): the conversation is over.
            self.set_status_in(tx, r.id, Progress::Complete, t).await?;
            return Ok(vec![say(Say::Thanks, lang)]);
        };
        let mut langs = poll.languages();
        langs.extend(ch.languages.iter().cloned());
        let next = match engine::parse_answer(q, typed, &answers, &langs) {
            Ok(a) => {
                answers.insert(q.name.clone(), a.clone());
                let next = engine::next_question(def, &answers, Some(&q.name));
                self.save_answer_in(
                    tx,
                    poll.id,
                    r.id,
                    &q.name,
                    &a,
                    next.map(|n| n.name.as_str()),
                )
                .await?;
                next
            }
            Err(_) if !r.reasked => {
                sqlx::query(
                    "UPDATE poll_respondents SET reasked = 1, updated_at = $1 WHERE id = $2",
                )
                .bind(t)
                .bind(r.id)
                .execute(&mut **tx)
                .await?;
                return Ok(vec![format!(
                    "{}\n{}",
                    engine::sms_hint(q, lang),
                    prompt(poll, &answers, &q.name, lang)
                )]);
            }
            Err(_) => {
                // Second unreadable answer: nothing is recorded for it; move on.
                let next = engine::next_question(def, &answers, Some(&q.name));
                let (status, completed) = match next {
                    Some(_) => (Progress::Active, None),
                    None => (Progress::Complete, Some(t)),
                };
                sqlx::query(
                    "UPDATE poll_respondents SET awaiting = $1, reasked = 0, status = $2, updated_at = $3,
                            completed_at = COALESCE(completed_at, $4) WHERE id = $5",
                )
                .bind(next.map(|n| n.name.as_str()))
                .bind(status.as_str())
                .bind(t)
                .bind(completed)
                .bind(r.id)
                .execute(&mut **tx)
                .await?;
                next
            }
        };
        Ok(vec![match next {
            Some(n) => prompt(poll, &answers, &n.name, lang),
            None => say(Say::Thanks, lang),
        }])
    }
}

fn poll_lang(poll: Option<&Poll>) -> String {
    poll.and_then(|p| p.languages().into_iter().next())
        .unwrap_or_else(|| "en".into())
}

fn keyword_list(open: &[&Poll], others: &[String], lang: &str) -> String {
    let mut listed: Vec<String> = open
        .iter()
        .filter_map(|p| {
            p.keyword.as_ref().map(|k| {
                let title: String = p.title.chars().take(40).collect();
                format!("{k}: {title}")
            })
        })
        .collect();
    listed.extend(others.iter().cloned());
    if listed.is_empty() {
        say(Say::NoPoll, lang)
    } else {
        format!("{}\n{}", say(Say::Choose, lang), listed.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_words_are_clean() {
        assert!(YES_WORDS.contains(&clean_word(" YES! ").as_str()));
        assert!(YES_WORDS.contains(&clean_word("ہاں۔").as_str()));
        assert!(!YES_WORDS.contains(&clean_word("yes please").as_str()));
    }
}
