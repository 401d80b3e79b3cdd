//! The access policy: who may do what, as named rules. The web layer asks them to
//! decide what to show; the domain asks the same rules again before it acts, so a
//! forgotten check in a handler shows a form that is then refused, never more.

use crate::access::kinds::RecordKind;
use crate::access::Scope;
use crate::error::{Error, Result};
use crate::model::{Kind, Level, Role};

fn role(scope: &Scope) -> Option<Role> {
    scope.role()
}

/// Organisers and owners: set up polls, channels, conversations and imports,
/// moderate, manage members.
pub fn may_organise(scope: &Scope) -> bool {
    role(scope).is_some_and(Role::is_organiser)
}

/// See a campaign update before its embargo ends, and the updates' drafts of the
/// timeline: organisers and owners.
pub fn may_see_embargoed(scope: &Scope) -> bool {
    may_organise(scope)
}

/// Read full (unsuppressed) results and code free-text answers: organisers and
/// analysts.
pub fn may_analyse(scope: &Scope) -> bool {
    role(scope).is_some_and(|r| r.is_organiser() || r == Role::Analyst)
}

/// Read a poll's released results (suppressed at the space's threshold), in every
/// exit (pages, printable summary, CSV, API, SMS summary text): those who read the
/// full results always; anyone else who sees the poll only once its organisers made
/// the results public.
pub fn may_read_released_results(scope: &Scope, results_public: bool) -> bool {
    results_public || may_analyse(scope)
}

/// Moderate statements of a conversation.
pub fn may_moderate(scope: &Scope) -> bool {
    may_organise(scope)
}

/// Export records (audited).
pub fn may_export(scope: &Scope) -> bool {
    role(scope).is_some_and(Role::may_export)
}

/// Record actors, observations and ties: organisers and focal points.
pub fn may_record_actors(scope: &Scope) -> bool {
    role(scope).is_some_and(|r| matches!(r, Role::Owner | Role::Organiser | Role::FocalPoint))
}

/// Create a coordination record of `kind`.
pub fn may_create(scope: &Scope, kind: Kind) -> bool {
    role(scope).is_some_and(|r| r.may_create(kind))
}

/// Change the level of a record written by `author`: organisers, or its author
/// while a member (authorship grants nothing once membership ends). In a Chatham
/// House space the author is never shown, but the author still may.
pub fn may_change_level(scope: &Scope, author: Option<i64>) -> bool {
    match role(scope) {
        None => false,
        Some(r) if r.is_organiser() => true,
        Some(_) => author.is_some() && author == scope.viewer_id(),
    }
}

/// Whether a record of `kind` may be kept at `level`.
pub fn level_allowed(kind: RecordKind, level: Level) -> Result<()> {
    if level == Level::Named && !kind.named_allowed {
        return Err(Error::invalid("level", "error-invalid"));
    }
    Ok(())
}

/// `Forbidden` unless `rule` holds for the scope.
pub fn require(scope: &Scope, rule: impl Fn(&Scope) -> bool) -> Result<()> {
    if rule(scope) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}
