//! Activities by SMS: the commands every space understands (docs/activities.md).
//!
//! - `ACT` lists the next activities in the phone's district; `ACT <district>`
//!   (a name in any language of the gazetteer, or a P-code) sets the district
//!   first.
//! - `JOIN <code>` joins an activity: confirmed, or on the waiting list when full.
//! - `LEAVE <code>` leaves it; the first on the waiting list moves up and is told.
//!
//! Only activities an outsider may read (the public level) are reachable by SMS.
//! What a command needs is read before the message's transaction, through the
//! visibility rule; the join or leave is written inside it. Commands do not change
//! the phone's current flow: a poll or conversation in progress stays current.

use super::{normalise_code, unix_to_local, Activity, JoinOutcome, Joiner, LeaveOutcome};
use crate::error::Result;
use crate::places::Place;
use crate::sms::Channel;
use crate::storage::{int, Db};
use crate::util::clean_word;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Activities listed in one reply.
const LIST_LEN: i64 = 4;

/// A command read from a text, with what it needs, prepared before the
/// transaction.
#[derive(Debug, Clone)]
pub(crate) enum Command {
    /// `ACT` or `ACT <district>`: the district (if known) and its next activities.
    List {
        place: Option<Place>,
        /// The district was named in this text (to remember it for the phone).
        named: bool,
        /// What was typed after ACT, when it named no place.
        unknown: Option<String>,
        activities: Vec<Activity>,
        example: String,
    },
    Join(String, Option<Activity>),
    Leave(String, Option<Activity>),
    Usage(String),
}

/// The command word of a text, if it starts with one, and the rest.
pub(crate) fn command_word(text: &str) -> Option<(&'static str, String)> {
    let mut words = text.split_whitespace();
    let first = clean_word(words.next()?).to_uppercase();
    let rest: Vec<&str> = words.collect();
    let word = match first.as_str() {
        "ACT" => "ACT",
        "JOIN" => "JOIN",
        "LEAVE" => "LEAVE",
        _ => return None,
    };
    Some((word, rest.join(" ")))
}

fn short_when(t: i64, tz: &str) -> String {
    // "12-15 09:30": month, day and time fit a feature phone's line.
    let s = unix_to_local(t, tz);
    match (s.get(5..10), s.get(11..16)) {
        (Some(d), Some(h)) => format!("{d} {h}"),
        _ => s,
    }
}

impl Db {
    /// Reads what an activity command needs (before the message's transaction).
    pub(crate) async fn prepare_activity_command(
        &self,
        space_id: i64,
        phone_hash: &str,
        text: &str,
        lang: &str,
    ) -> Result<Option<(Command, String)>> {
        let Some((word, rest)) = command_word(text) else {
            return Ok(None);
        };
        let scope = self.outsider_scope_of(space_id).await?;
        let tz = scope.space().time_zone.clone();
        let example = sqlx::query(
            "SELECT code FROM places WHERE space_id = $1 AND level = 2 ORDER BY name LIMIT 1",
        )
        .bind(space_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| crate::storage::text(&r, "code"))
        .transpose()?
        .unwrap_or_else(|| "K7P2Q".into());
        let rest = rest.trim().to_string();
        let cmd = match word {
            "ACT" => {
                let (place, named, unknown) = if rest.is_empty() {
                    let row = sqlx::query(
                        "SELECT place_id FROM sms_districts WHERE space_id = $1 AND phone_hash = $2",
                    )
                    .bind(space_id)
                    .bind(phone_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                    let place = match row {
                        Some(r) => Some(self.place_by_id(&scope, int(&r, "place_id")?).await?),
                        None => None,
                    };
                    (place, false, None)
                } else {
                    let by_code = self.place(&scope, &rest.to_uppercase()).await.ok();
                    let place = match by_code {
                        Some(p) => Some(p),
                        None => {
                            let hits = self.search_places(&scope, &rest, 20).await?;
                            let lower = rest.to_lowercase();
                            hits.iter()
                                .find(|p| {
                                    p.name.to_lowercase() == lower
                                        || p.names.values().any(|n| n.to_lowercase() == lower)
                                })
                                .or_else(|| hits.iter().find(|p| p.level >= 2))
                                .or(hits.first())
                                .cloned()
                        }
                    };
                    let unknown = place.is_none().then(|| rest.clone());
                    (place, true, unknown)
                };
                let activities = match &place {
                    Some(p) => {
                        self.upcoming_activities(
                            &scope,
                            Some(p.id),
                            crate::util::now(),
                            None,
                            LIST_LEN,
                            lang,
                        )
                        .await?
                    }
                    None => Vec::new(),
                };
                Command::List {
                    place,
                    named,
                    unknown,
                    activities,
                    example,
                }
            }
            _ if rest.is_empty() => Command::Usage(example),
            w => {
                let code = normalise_code(&rest);
                let a = self.activity_by_code(&scope, &code, lang).await.ok();
                if w == "JOIN" {
                    Command::Join(code, a)
                } else {
                    Command::Leave(code, a)
                }
            }
        };
        Ok(Some((cmd, tz)))
    }

    /// Carries out a prepared command inside the message's transaction; returns the
    /// replies.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn activity_command_in(
        &self,
        tx: &mut Tx,
        ch: &Channel,
        phone: &str,
        phone_hash: &str,
        cmd: &Command,
        t: i64,
        lang: &str,
        tz: &str,
    ) -> Result<Vec<String>> {
        let r = |key: &str, args: &[(&str, String)]| crate::i18n::reply(lang, key, args);
        Ok(vec![match cmd {
            Command::Usage(example) => r("activity-sms-usage", &[("example", example.clone())]),
            Command::List {
                place,
                named,
                unknown,
                activities,
                example,
            } => match (place, unknown) {
                (_, Some(typed)) => r(
                    "activity-sms-unknown-place",
                    &[("typed", typed.chars().take(40).collect())],
                ),
                (None, None) => r("activity-sms-which", &[("example", example.clone())]),
                (Some(p), None) => {
                    if *named {
                        sqlx::query(
                            "INSERT INTO sms_districts (space_id, phone_hash, place_id, updated_at) VALUES ($1, $2, $3, $4)
                             ON CONFLICT (space_id, phone_hash) DO UPDATE SET place_id = excluded.place_id,
                                 updated_at = excluded.updated_at",
                        )
                        .bind(ch.space_id)
                        .bind(phone_hash)
                        .bind(p.id)
                        .bind(t)
                        .execute(&mut **tx)
                        .await?;
                    }
                    let name = p.name_in(lang).to_string();
                    if activities.is_empty() {
                        r("activity-sms-none", &[("place", name)])
                    } else {
                        let mut s = r("activity-sms-list-head", &[("place", name)]);
                        for a in activities {
                            let title: String = a.title.chars().take(28).collect();
                            let full = if a.places_left() == Some(0) {
                                " (!)"
                            } else {
                                ""
                            };
                            s.push_str(&format!(
                                "\n{} {} {title}{full}",
                                a.code,
                                short_when(a.starts_at, tz)
                            ));
                        }
                        s
                    }
                }
            },
            Command::Join(code, None) | Command::Leave(code, None) => r(
                "activity-sms-unknown-code",
                &[("code", code.chars().take(12).collect())],
            ),
            Command::Join(_, Some(a)) => {
                let title: String = a.title.chars().take(50).collect();
                let who = Joiner::Sms {
                    phone: phone.to_string(),
                    phone_hash: phone_hash.to_string(),
                    channel_id: ch.id,
                };
                match self.join_in(tx, a, ch.space_id, &who, t).await? {
                    JoinOutcome::Confirmed => r(
                        "activity-sms-joined",
                        &[
                            ("title", title),
                            ("when", short_when(a.starts_at, tz)),
                            ("code", a.code.clone()),
                        ],
                    ),
                    JoinOutcome::Waiting(pos) => r(
                        "activity-sms-waiting",
                        &[("title", title), ("pos", pos.to_string())],
                    ),
                    JoinOutcome::Already => r("activity-sms-already", &[("title", title)]),
                    JoinOutcome::Cancelled => r("activity-sms-cancelled", &[("title", title)]),
                    JoinOutcome::Over => r("activity-sms-over", &[("title", title)]),
                }
            }
            Command::Leave(_, Some(a)) => {
                let title: String = a.title.chars().take(50).collect();
                let subject = self
                    .keys
                    .lookup_hash(super::HASH_SUBJECT, &format!("phone:{phone}"))?;
                let (out, tell) = self.leave_in(tx, a.id, &subject).await?;
                if let Some((p, ch_id)) = tell {
                    self.tell_moved_up_in(tx, ch_id, &p, a).await?;
                }
                match out {
                    LeaveOutcome::Left => r("activity-sms-left", &[("title", title)]),
                    LeaveOutcome::NotJoined => r("activity-sms-not-joined", &[("title", title)]),
                }
            }
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_words() {
        assert_eq!(command_word("act"), Some(("ACT", String::new())));
        assert_eq!(
            command_word(" Act  Bell Hill "),
            Some(("ACT", "Bell Hill".into()))
        );
        assert_eq!(command_word("JOIN k7p2q"), Some(("JOIN", "k7p2q".into())));
        assert_eq!(command_word("leave."), Some(("LEAVE", String::new())));
        assert_eq!(command_word("actually no"), None);
        assert_eq!(command_word("1"), None);
    }
}
