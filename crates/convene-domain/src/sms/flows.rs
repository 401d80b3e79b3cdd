//! The dispatcher's memory: one keyword namespace per space for every flow that
//! converses by SMS, and the one flow each phone is in now.
//!
//! A keyword belongs to one flow (a poll, an opinion conversation) in its space;
//! the command words ([`COMMANDS`]) and the opt-out, opt-in, delete and help words
//! belong to no flow and may not be taken. Starting a flow makes it the phone's
//! current flow and pauses the one before; bare replies (digits, words) go to the
//! current flow only. This module knows the flows by name, not what they do: the
//! routing is in [`crate::inbound`].

use crate::error::{Error, Result};
use crate::storage::{int, text};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A kind of conversation by SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flow {
    /// A poll, one question per text.
    Poll,
    /// An opinion conversation, one statement per text.
    Opinion,
    /// An agenda round, its best items numbered.
    Agenda,
    /// A pledge: texting its keyword signs it.
    Pledge,
    /// A call to action: texting its keyword signs up.
    Call,
    /// A campaign's digest of updates: texting its keyword subscribes.
    Digest,
    /// Writing to a representative, in several texts.
    Write,
}

impl Flow {
    pub const ALL: [Flow; 7] = [
        Flow::Poll,
        Flow::Opinion,
        Flow::Agenda,
        Flow::Pledge,
        Flow::Call,
        Flow::Digest,
        Flow::Write,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Poll => "poll",
            Flow::Opinion => "opinion",
            Flow::Agenda => "agenda",
            Flow::Pledge => "pledge",
            Flow::Call => "call",
            Flow::Digest => "digest",
            Flow::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<Flow> {
        Flow::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Words no flow may take as its keyword: the commands every space understands and
/// the answers a conversation expects.
pub const COMMANDS: [&str; 14] = [
    "ACT", "JOIN", "LEAVE", "HELP", "INFO", "YES", "NO", "SKIP", "STOP", "START", "DELETE",
    "AGREE", "DISAGREE", "PASS",
];

/// Normalises a keyword: one word of letters, digits, `-` or `_`, at most 20
/// characters, upper case; `None` when it is not one, is all digits (digits are
/// answers) or is a command word.
pub fn normalise_keyword(k: &str) -> Option<String> {
    let k = k.trim().to_uppercase();
    let ok = !k.is_empty()
        && k.chars().count() <= 20
        && k.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !k.chars().all(|c| c.is_numeric())
        && !COMMANDS.contains(&k.as_str())
        && crate::sms::keywords::parse(&k, &crate::sms::keywords::all_languages()).is_none();
    ok.then_some(k)
}

/// Takes `keyword` for a flow in a space; `Invalid(keyword, error-sms-keyword-taken)`
/// when another flow has it.
pub(crate) async fn reserve_in(
    tx: &mut Tx,
    space_id: i64,
    keyword: &str,
    flow: Flow,
    ref_id: i64,
) -> Result<()> {
    let taken = sqlx::query(
        "INSERT INTO sms_keywords (space_id, keyword, flow, ref_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (space_id, keyword) DO NOTHING RETURNING ref_id",
    )
    .bind(space_id)
    .bind(keyword)
    .bind(flow.as_str())
    .bind(ref_id)
    .fetch_optional(&mut **tx)
    .await?;
    match taken {
        Some(_) => Ok(()),
        None => Err(Error::invalid("keyword", "error-sms-keyword-taken")),
    }
}

/// Gives back every keyword of a flow (before it takes another, or when it ends).
pub(crate) async fn release_in(tx: &mut Tx, flow: Flow, ref_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sms_keywords WHERE flow = $1 AND ref_id = $2")
        .bind(flow.as_str())
        .bind(ref_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The flow a keyword of the space belongs to.
pub(crate) async fn by_keyword_in(
    tx: &mut Tx,
    space_id: i64,
    keyword: &str,
) -> Result<Option<(Flow, i64)>> {
    let row =
        sqlx::query("SELECT flow, ref_id FROM sms_keywords WHERE space_id = $1 AND keyword = $2")
            .bind(space_id)
            .bind(keyword)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some(r) => Ok(Flow::parse(&text(&r, "flow")?).zip(Some(int(&r, "ref_id")?))),
        None => Ok(None),
    }
}

/// The phone's current flow in the space.
pub(crate) async fn current_in(
    tx: &mut Tx,
    space_id: i64,
    phone_hash: &str,
) -> Result<Option<(Flow, i64)>> {
    let row =
        sqlx::query("SELECT flow, ref_id FROM sms_current WHERE space_id = $1 AND phone_hash = $2")
            .bind(space_id)
            .bind(phone_hash)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some(r) => Ok(Flow::parse(&text(&r, "flow")?).zip(Some(int(&r, "ref_id")?))),
        None => Ok(None),
    }
}

/// Makes `flow` the phone's current flow in the space.
pub(crate) async fn set_current_in(
    tx: &mut Tx,
    space_id: i64,
    phone_hash: &str,
    flow: Flow,
    ref_id: i64,
    t: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sms_current (space_id, phone_hash, flow, ref_id, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (space_id, phone_hash) DO UPDATE SET flow = excluded.flow, ref_id = excluded.ref_id,
             updated_at = excluded.updated_at",
    )
    .bind(space_id)
    .bind(phone_hash)
    .bind(flow.as_str())
    .bind(ref_id)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets the phone's current flow in the space (after STOP or DELETE).
pub(crate) async fn clear_current_in(tx: &mut Tx, space_id: i64, phone_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sms_current WHERE space_id = $1 AND phone_hash = $2")
        .bind(space_id)
        .bind(phone_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_one_word_and_not_a_command() {
        assert_eq!(normalise_keyword(" peace "), Some("PEACE".into()));
        assert_eq!(normalise_keyword("امن"), Some("امن".into()));
        assert_eq!(normalise_keyword("two words"), None);
        assert_eq!(normalise_keyword(""), None);
        assert_eq!(normalise_keyword("join"), None);
        assert_eq!(normalise_keyword("Stop"), None);
        assert_eq!(normalise_keyword("42"), None);
        assert_eq!(normalise_keyword("۴۲"), None);
        assert_eq!(normalise_keyword("بند"), None);
        assert_eq!(normalise_keyword("V2"), Some("V2".into()));
    }
}
