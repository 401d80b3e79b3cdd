//! Collaborative agenda-setting (docs/agenda.md): an organiser opens a round for a
//! negotiation or a dialogue; stakeholder groups and the public propose items (on
//! the web, and by SMS to the round's keyword); organisers moderate the public's
//! proposals and merge duplicates; participants support or object, with a note;
//! the round closes into a brief for the mediator.
//!
//! A round is a row of `records` (kind `agenda_round`): its level decides who sees
//! it and its items. The ranking is group-aware
//! ([`convene_analysis::agenda::rank`]): each side weighs the same, and within a
//! side each group, whatever its size. A member acting for an organisation speaks
//! for it (one view per organisation); everybody else (members for themselves, the
//! public on the web or by SMS) is one group, "the public", a side of its own.

pub mod sms;

use std::collections::{BTreeMap, HashMap};

use convene_analysis::agenda::{rank, View};

use crate::access::envelope::NewRow;
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::{Kind, Level, Role};
use crate::sms::flows::{self, Flow};
use crate::storage::{bind_all, int, opt_int, text, Bind, Db};
use crate::util::now;

pub const PUBLIC_GROUP: &str = "public";

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Where an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Source {
    /// Proposed as it stands.
    Proposal,
    /// A concern of the space.
    Concern(i64),
    /// A poll's result.
    Poll(i64),
    /// An approved statement of an opinion conversation.
    Statement(i64),
}

impl Source {
    fn kind(self) -> &'static str {
        match self {
            Source::Proposal => "proposal",
            Source::Concern(_) => "concern",
            Source::Poll(_) => "poll",
            Source::Statement(_) => "statement",
        }
    }
    fn id(self) -> Option<i64> {
        match self {
            Source::Proposal => None,
            Source::Concern(i) | Source::Poll(i) | Source::Statement(i) => Some(i),
        }
    }
    fn from_row(kind: &str, id: Option<i64>) -> Source {
        match (kind, id) {
            ("concern", Some(i)) => Source::Concern(i),
            ("poll", Some(i)) => Source::Poll(i),
            ("statement", Some(i)) => Source::Statement(i),
            _ => Source::Proposal,
        }
    }
}

/// Who proposes or gives a view on the web.
#[derive(Debug, Clone)]
pub enum Participant {
    /// A signed-in member, for an organisation they act for or for themselves.
    Member { org: Option<i64> },
    /// Someone without an account in a public space, known by a cookie.
    Cookie(String),
}

/// An item as a round's page and brief show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// pending, approved, rejected or merged.
    pub status: String,
    pub source: Source,
    /// The source's title when the viewer may see it.
    pub source_title: Option<String>,
    /// The proposing organisation when the viewer may see it.
    pub proposed_by: Option<String>,
    pub by_sms: bool,
    /// Its place in the ranking (1 first), approved items only.
    pub rank: usize,
    pub score: f64,
    pub sides_for: Vec<String>,
    pub sides_against: Vec<String>,
    /// Organisations supporting it, by side, that the viewer may see.
    pub groups_for: Vec<(String, String)>,
    /// Organisations objecting to it, with their note, that the viewer may see.
    pub groups_against: Vec<(String, String, String)>,
    /// Supporting and objecting organisations the viewer may not see.
    pub unnamed_for: usize,
    pub unnamed_against: usize,
    /// People of the public supporting and objecting.
    pub public_for: usize,
    pub public_against: usize,
    /// The public's notes of dissent.
    pub public_dissent: Vec<String>,
    /// Items merged into this one: their titles.
    pub merged: Vec<String>,
    /// The viewer's own stance (+1, −1), when they gave one.
    pub mine: Option<i64>,
}

/// A round with its items.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Round {
    pub id: i64,
    pub title: String,
    pub body: String,
    #[serde(skip)]
    pub level: Level,
    pub is_open: bool,
    pub closed_at: Option<i64>,
    pub summary: String,
    #[serde(skip)]
    pub keyword: Option<String>,
    /// Approved items, ranked.
    pub items: Vec<Item>,
    /// Waiting for moderation (organisers only).
    #[serde(skip)]
    pub pending: Vec<Item>,
    /// Sides taking part, each with its groups.
    pub sides: BTreeMap<String, usize>,
    /// People of the public taking part.
    pub public_people: usize,
}

fn validate_item(title: &str, body: &str) -> Result<(String, String)> {
    let (title, body) = (title.trim(), body.trim());
    let mut problems = Vec::new();
    if title.is_empty() {
        problems.push(crate::error::Invalid {
            field: "title",
            key: "error-required",
        });
    } else if title.chars().count() > 300 {
        problems.push(crate::error::Invalid {
            field: "title",
            key: "error-too-long",
        });
    }
    if body.chars().count() > 4000 {
        problems.push(crate::error::Invalid {
            field: "body",
            key: "error-too-long",
        });
    }
    if problems.is_empty() {
        Ok((title.to_string(), body.to_string()))
    } else {
        Err(Error::Invalid(problems))
    }
}

/// An item as stored: (id, title, body, status, merged into, source,
/// organisation, by SMS).
type ItemRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Source,
    Option<i64>,
    bool,
);

/// The items of a round and their views, read in one place for the page, the
/// brief and the SMS flow.
struct Loaded {
    items: Vec<ItemRow>,
    /// (item, voter, org, stance, note)
    views: Vec<(i64, String, Option<i64>, i64, String)>,
    /// Every organisation's side, whoever sees it.
    sides: HashMap<i64, String>,
}

/// Reads a round's items, views and the sides of the space's organisations.
async fn load_round_rows(
    conn: &mut sqlx::AnyConnection,
    round: i64,
    space_id: i64,
) -> Result<Loaded> {
    {
        let rows = sqlx::query(
            "SELECT id, title, body, status, merged_into, source_kind, source_id, org_id, by_sms
             FROM agenda_items WHERE round_id = $1 ORDER BY id",
        )
        .bind(round)
        .fetch_all(&mut *conn)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok((
                    int(r, "id")?,
                    text(r, "title")?,
                    text(r, "body")?,
                    text(r, "status")?,
                    opt_int(r, "merged_into")?,
                    Source::from_row(&text(r, "source_kind")?, opt_int(r, "source_id")?),
                    opt_int(r, "org_id")?,
                    int(r, "by_sms")? != 0,
                ))
            })
            .collect::<Result<_>>()?;
        let rows = sqlx::query(
            "SELECT item_id, voter, org_id, stance, note FROM agenda_views WHERE round_id = $1 ORDER BY created_at, item_id",
        )
        .bind(round)
        .fetch_all(&mut *conn)
        .await?;
        let views = rows
            .iter()
            .map(|r| {
                Ok((
                    int(r, "item_id")?,
                    text(r, "voter")?,
                    opt_int(r, "org_id")?,
                    int(r, "stance")?,
                    text(r, "note")?,
                ))
            })
            .collect::<Result<_>>()?;
        let rows = sqlx::query("SELECT record_id, side FROM organisations WHERE space_id = $1")
            .bind(space_id)
            .fetch_all(&mut *conn)
            .await?;
        let sides = rows
            .iter()
            .map(|r| Ok((int(r, "record_id")?, text(r, "side")?)))
            .collect::<Result<_>>()?;
        Ok(Loaded {
            items,
            views,
            sides,
        })
    }
}

impl Loaded {
    /// The indices of the approved items, and the views of them for the ranking.
    fn ranking(&self) -> (Vec<usize>, Vec<View>) {
        let approved: Vec<usize> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| it.3 == "approved")
            .map(|(i, _)| i)
            .collect();
        let index: HashMap<i64, usize> = approved
            .iter()
            .enumerate()
            .map(|(k, &i)| (self.items[i].0, k))
            .collect();
        let views = self
            .views
            .iter()
            .filter_map(|(item, voter, org, stance, _)| {
                let (group, side) = match org {
                    Some(o) => (
                        format!("org:{o}"),
                        self.sides.get(o).cloned().unwrap_or_default(),
                    ),
                    None => (PUBLIC_GROUP.to_string(), PUBLIC_GROUP.to_string()),
                };
                index.get(item).map(|&k| View {
                    item: k,
                    voter: voter.clone(),
                    group,
                    side,
                    stance: if *stance > 0 { 1 } else { -1 },
                })
            })
            .collect();
        (approved, views)
    }

    /// The approved items, best first: (id, title).
    fn ranked(&self) -> Vec<(i64, String)> {
        let (approved, views) = self.ranking();
        rank(approved.len(), &views)
            .into_iter()
            .map(|s| {
                let it = &self.items[approved[s.item]];
                (it.0, it.1.clone())
            })
            .collect()
    }
}

impl Db {
    /// Opens an agenda round (organisers; audited). A round above the public level
    /// takes proposals from members only.
    pub async fn create_agenda_round(
        &self,
        scope: &Scope,
        title: &str,
        body: &str,
        level: Level,
    ) -> Result<i64> {
        scope.require(Role::is_organiser)?;
        let (title, body) = validate_item(title, body)?;
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::AGENDA_ROUND,
                    title: &title,
                    body: &body,
                    search: &format!("{title}\n{body}").to_lowercase(),
                },
                &Envelope::at(level),
            )
            .await?;
        sqlx::query("INSERT INTO agenda_rounds (round_id, is_open) VALUES ($1, 1)")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("agenda_round:{id}"),
                detail: format!("level={}", level.as_str()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The rounds the viewer may see: (id, title, open), newest first.
    pub async fn agenda_rounds(&self, scope: &Scope) -> Result<Vec<(i64, String, bool)>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, a.is_open FROM records r JOIN agenda_rounds a ON a.round_id = r.id
             WHERE r.kind = 'agenda_round' AND r.space_id = $1 AND {rule} ORDER BY r.id DESC"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((int(r, "id")?, text(r, "title")?, int(r, "is_open")? != 0)))
            .collect()
    }

    /// The voter key of a web participant without an account.
    pub fn agenda_cookie_voter(&self, cookie: &str) -> Result<String> {
        Ok(format!(
            "web:{}",
            self.keys.lookup_hash("agenda-web", cookie)?
        ))
    }

    /// The viewer's voter keys in a round (their own, and each organisation they
    /// act for), for showing their stances.
    async fn my_voters(&self, scope: &Scope, cookie: Option<&str>) -> Result<Vec<String>> {
        let mut out = Vec::new();
        if let Some(uid) = scope.viewer_id() {
            out.push(format!("user:{uid}"));
            for o in self.my_organisations(scope).await? {
                out.push(format!("org:{}", o.id));
            }
        } else if let Some(c) = cookie {
            out.push(self.agenda_cookie_voter(c)?);
        }
        Ok(out)
    }

    /// One round with its ranked items: `NotFound` unless the viewer may see it.
    /// `cookie` identifies a participant without an account.
    pub async fn agenda_round(
        &self,
        scope: &Scope,
        id: i64,
        cookie: Option<&str>,
    ) -> Result<Round> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, r.body, r.confidentiality, a.is_open, a.closed_at, a.summary
             FROM records r JOIN agenda_rounds a ON a.round_id = r.id
             WHERE r.kind = 'agenda_round' AND r.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let loaded = {
            let mut conn = self.pool.acquire().await?;
            load_round_rows(&mut conn, id, scope.space.id).await?
        };
        let names: HashMap<i64, String> = self
            .organisations(scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mine = self.my_voters(scope, cookie).await?;
        let keyword =
            sqlx::query("SELECT keyword FROM sms_keywords WHERE flow = $1 AND ref_id = $2")
                .bind(Flow::Agenda.as_str())
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| text(&r, "keyword"))
                .transpose()?;
        let organiser = scope.is_organiser();
        let (approved, views) = loaded.ranking();
        let mut sides: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
        let mut public = std::collections::BTreeSet::new();
        for v in &views {
            sides
                .entry(v.side.clone())
                .or_default()
                .insert(v.group.clone());
            if v.group == PUBLIC_GROUP {
                public.insert(v.voter.clone());
            }
        }
        let mut source_titles: HashMap<Source, Option<String>> = HashMap::new();
        let build = |i: usize| -> (i64, Item) {
            let (iid, title, body, status, _, source, org, by_sms) = loaded.items[i].clone();
            let mut it = Item {
                id: iid,
                title,
                body,
                status,
                source,
                source_title: None,
                proposed_by: org.and_then(|o| names.get(&o).cloned()),
                by_sms,
                rank: 0,
                score: 0.0,
                sides_for: vec![],
                sides_against: vec![],
                groups_for: vec![],
                groups_against: vec![],
                unnamed_for: 0,
                unnamed_against: 0,
                public_for: 0,
                public_against: 0,
                public_dissent: vec![],
                merged: loaded
                    .items
                    .iter()
                    .filter(|m| m.4 == Some(iid))
                    .map(|m| m.1.clone())
                    .collect(),
                mine: None,
            };
            for (item, voter, vorg, stance, note) in &loaded.views {
                if *item != iid {
                    continue;
                }
                if mine.contains(voter) {
                    it.mine = Some(*stance);
                }
                match (vorg, *stance > 0) {
                    (Some(o), true) => match names.get(o) {
                        Some(n) => it
                            .groups_for
                            .push((n.clone(), loaded.sides.get(o).cloned().unwrap_or_default())),
                        None => it.unnamed_for += 1,
                    },
                    (Some(o), false) => match names.get(o) {
                        Some(n) => it.groups_against.push((
                            n.clone(),
                            loaded.sides.get(o).cloned().unwrap_or_default(),
                            note.clone(),
                        )),
                        None => it.unnamed_against += 1,
                    },
                    (None, true) => it.public_for += 1,
                    (None, false) => {
                        it.public_against += 1;
                        if !note.trim().is_empty() {
                            it.public_dissent.push(note.clone());
                        }
                    }
                }
            }
            (iid, it)
        };
        // Organisations the viewer may not see are counted, never named, and only
        // from the suppression threshold on, so that a count cannot point at one.
        let threshold = scope.space.suppression_threshold.max(1) as usize;
        let build = |i: usize| {
            let (id, mut it) = build(i);
            if it.unnamed_for < threshold {
                it.unnamed_for = 0;
            }
            if it.unnamed_against < threshold {
                it.unnamed_against = 0;
            }
            (id, it)
        };
        let mut items = Vec::new();
        for (pos, s) in rank(approved.len(), &views).into_iter().enumerate() {
            let (_, mut it) = build(approved[s.item]);
            it.rank = pos + 1;
            it.score = s.score;
            it.sides_for = s.sides_for;
            it.sides_against = s.sides_against;
            items.push(it);
        }
        let mut pending = Vec::new();
        if organiser {
            for (i, it) in loaded.items.iter().enumerate() {
                if it.3 == "pending" {
                    pending.push(build(i).1);
                }
            }
        }
        for it in items.iter_mut().chain(pending.iter_mut()) {
            let t = match source_titles.get(&it.source) {
                Some(t) => t.clone(),
                None => {
                    let t = self.source_title(scope, it.source).await?;
                    source_titles.insert(it.source, t.clone());
                    t
                }
            };
            it.source_title = t;
        }
        Ok(Round {
            id,
            title: text(&row, "title")?,
            body: text(&row, "body")?,
            level: Level::from_i64(int(&row, "confidentiality")?)
                .ok_or_else(|| Error::Internal("unknown level".into()))?,
            is_open: int(&row, "is_open")? != 0,
            closed_at: opt_int(&row, "closed_at")?,
            summary: text(&row, "summary")?,
            keyword,
            items,
            pending,
            sides: sides.into_iter().map(|(s, g)| (s, g.len())).collect(),
            public_people: public.len(),
        })
    }

    /// The title of an item's source, when the viewer may see it.
    async fn source_title(&self, scope: &Scope, source: Source) -> Result<Option<String>> {
        let found = match source {
            Source::Proposal => return Ok(None),
            Source::Concern(id) => self
                .get_record(scope, Kind::Concern, id)
                .await
                .map(|r| r.title),
            Source::Poll(id) => self.poll(scope, id).await.map(|p| p.title),
            Source::Statement(id) => {
                let row = sqlx::query(
                    "SELECT conversation_id, body FROM opinion_statements WHERE id = $1 AND status = 'approved'",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(r) => self
                        .conversation(scope, int(&r, "conversation_id")?)
                        .await
                        .and_then(|_| text(&r, "body")),
                    None => Err(Error::NotFound),
                }
            }
        };
        match found {
            Ok(t) => Ok(Some(t)),
            Err(Error::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The round for a change: `NotFound` unless the viewer sees it; `Invalid`
    /// when it is closed.
    async fn open_round(&self, scope: &Scope, id: i64) -> Result<Round> {
        let r = self.agenda_round(scope, id, None).await?;
        if !r.is_open {
            return Err(Error::invalid("round", "agenda-error-closed"));
        }
        Ok(r)
    }

    /// Proposes an item. Members' items (for an organisation they act for, or for
    /// themselves) are on the agenda at once; the public's wait for moderation, and
    /// only a public round in a public space takes them.
    pub async fn propose_agenda_item(
        &self,
        scope: &Scope,
        round: i64,
        who: &Participant,
        title: &str,
        body: &str,
        source: Source,
    ) -> Result<i64> {
        let r = self.open_round(scope, round).await?;
        let (title, body) = validate_item(title, body)?;
        if source != Source::Proposal && self.source_title(scope, source).await?.is_none() {
            return Err(Error::invalid("source", "agenda-error-source"));
        }
        let (org, status) = match who {
            Participant::Member { org } => {
                if scope.role().is_none() {
                    // Signed in but not a member: the public.
                    if r.level != Level::Public || !scope.space.is_public {
                        return Err(Error::Forbidden);
                    }
                    (None, "pending")
                } else {
                    if let Some(o) = org {
                        self.require_acts_for(scope, *o).await?;
                    }
                    (*org, "approved")
                }
            }
            Participant::Cookie(_) => {
                if r.level != Level::Public || !scope.space.is_public {
                    return Err(Error::Forbidden);
                }
                (None, "pending")
            }
        };
        let mut tx = self.pool.begin().await?;
        let id = insert_item(&mut tx, round, &title, &body, status, source, org, false).await?;
        if status == "approved" {
            self.audit_in(
                &mut tx,
                Event {
                    space_id: Some(scope.space.id),
                    user_id: scope.viewer_id(),
                    action: AuditAction::AgendaChange,
                    target: format!("agenda_round:{round}"),
                    detail: format!("propose item:{id}"),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn require_acts_for(&self, scope: &Scope, org: i64) -> Result<()> {
        if self
            .my_organisations(scope)
            .await?
            .iter()
            .any(|o| o.id == org)
        {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    async fn item_round(&self, scope: &Scope, item: i64) -> Result<Round> {
        let row = sqlx::query("SELECT round_id FROM agenda_items WHERE id = $1")
            .bind(item)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        self.open_round(scope, int(&row, "round_id")?).await
    }

    /// Approves or rejects a proposal waiting for moderation (organisers; audited).
    pub async fn moderate_agenda_item(
        &self,
        scope: &Scope,
        item: i64,
        approve: bool,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let r = self.item_round(scope, item).await?;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE agenda_items SET status = $1 WHERE id = $2 AND round_id = $3 AND status = 'pending'",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(item)
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.agenda_audit(
            scope,
            &mut tx,
            r.id,
            format!("{} item:{item}", if approve { "approve" } else { "reject" }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn agenda_audit(
        &self,
        scope: &Scope,
        tx: &mut Tx,
        round: i64,
        detail: String,
    ) -> Result<()> {
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::AgendaChange,
                target: format!("agenda_round:{round}"),
                detail,
            },
        )
        .await?;
        Ok(())
    }

    /// Merges a duplicate item into another of the same round (organisers;
    /// audited): its views move over, except where the voter gave one to both.
    pub async fn merge_agenda_item(&self, scope: &Scope, from: i64, into: i64) -> Result<()> {
        scope.require(Role::is_organiser)?;
        if from == into {
            return Err(Error::invalid("into", "agenda-error-merge-self"));
        }
        let r = self.item_round(scope, from).await?;
        let ids: Vec<i64> = r.items.iter().map(|i| i.id).collect();
        if !ids.contains(&from) || !ids.contains(&into) {
            return Err(Error::NotFound);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO agenda_views (item_id, round_id, voter, org_id, user_id, stance, note, created_at)
             SELECT $1, round_id, voter, org_id, user_id, stance, note, created_at FROM agenda_views WHERE item_id = $2
             ON CONFLICT (item_id, voter) DO NOTHING",
        )
        .bind(into)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM agenda_views WHERE item_id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE agenda_items SET status = 'merged', merged_into = $1 WHERE id = $2")
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        self.agenda_audit(
            scope,
            &mut tx,
            r.id,
            format!("merge item:{from} into item:{into}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Supports (`stance` > 0) or objects to an approved item, with a note; giving
    /// a view again replaces it.
    pub async fn agenda_view(
        &self,
        scope: &Scope,
        item: i64,
        who: &Participant,
        stance: i64,
        note: &str,
    ) -> Result<()> {
        let r = self.item_round(scope, item).await?;
        if !r.items.iter().any(|i| i.id == item) {
            return Err(Error::NotFound);
        }
        let note = note.trim();
        if note.chars().count() > 1000 {
            return Err(Error::invalid("note", "error-too-long"));
        }
        let (voter, org, user) = match who {
            Participant::Member { org: Some(o) } => {
                self.require_acts_for(scope, *o).await?;
                (format!("org:{o}"), Some(*o), scope.viewer_id())
            }
            Participant::Member { org: None } => {
                let uid = scope.viewer_id().ok_or(Error::Forbidden)?;
                if scope.role().is_none() && (r.level != Level::Public || !scope.space.is_public) {
                    return Err(Error::Forbidden);
                }
                (format!("user:{uid}"), None, Some(uid))
            }
            Participant::Cookie(c) => {
                if r.level != Level::Public || !scope.space.is_public {
                    return Err(Error::Forbidden);
                }
                (self.agenda_cookie_voter(c)?, None, None)
            }
        };
        let mut tx = self.pool.begin().await?;
        put_view(
            &mut tx,
            item,
            r.id,
            &voter,
            org,
            user,
            stance.signum(),
            note,
        )
        .await?;
        if org.is_some() {
            self.agenda_audit(
                scope,
                &mut tx,
                r.id,
                format!(
                    "view item:{item} organisation:{} stance={}",
                    org.unwrap_or_default(),
                    stance.signum()
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Closes a round with the organisers' summary (organisers; audited); its
    /// brief is then final and its SMS keyword is given back.
    pub async fn close_agenda_round(&self, scope: &Scope, id: i64, summary: &str) -> Result<()> {
        scope.require(Role::is_organiser)?;
        self.open_round(scope, id).await?;
        let summary = summary.trim();
        if summary.chars().count() > 4000 {
            return Err(Error::invalid("summary", "error-too-long"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE agenda_rounds SET is_open = 0, closed_at = $1, summary = $2 WHERE round_id = $3")
            .bind(now())
            .bind(summary)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        flows::release_in(&mut tx, Flow::Agenda, id).await?;
        self.agenda_audit(scope, &mut tx, id, "close".into())
            .await?;
        tx.commit().await?;
        self.forget_sms_agendas(scope.space.id);
        Ok(())
    }

    /// Gives an open round at the public level an SMS keyword, or takes it away
    /// (organisers; audited).
    pub async fn set_agenda_keyword(
        &self,
        scope: &Scope,
        id: i64,
        keyword: Option<&str>,
    ) -> Result<()> {
        scope.require(Role::is_organiser)?;
        let r = self.open_round(scope, id).await?;
        let keyword = match keyword.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => Some(
                flows::normalise_keyword(k)
                    .ok_or_else(|| Error::invalid("keyword", "poll-error-keyword"))?,
            ),
            None => None,
        };
        if keyword.is_some() && r.level != Level::Public {
            return Err(Error::invalid("keyword", "opinion-error-keyword-level"));
        }
        let mut tx = self.pool.begin().await?;
        flows::release_in(&mut tx, Flow::Agenda, id).await?;
        if let Some(k) = &keyword {
            flows::reserve_in(&mut tx, scope.space.id, k, Flow::Agenda, id).await?;
        }
        self.agenda_audit(
            scope,
            &mut tx,
            id,
            format!("sms_keyword={}", keyword.as_deref().unwrap_or("-")),
        )
        .await?;
        tx.commit().await?;
        self.forget_sms_agendas(scope.space.id);
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_item(
    tx: &mut Tx,
    round: i64,
    title: &str,
    body: &str,
    status: &str,
    source: Source,
    org: Option<i64>,
    by_sms: bool,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO agenda_items (round_id, title, body, status, source_kind, source_id, org_id, by_sms, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(round)
    .bind(title)
    .bind(body)
    .bind(status)
    .bind(source.kind())
    .bind(source.id())
    .bind(org)
    .bind(by_sms as i64)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    int(&row, "id")
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn put_view(
    tx: &mut Tx,
    item: i64,
    round: i64,
    voter: &str,
    org: Option<i64>,
    user: Option<i64>,
    stance: i64,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO agenda_views (item_id, round_id, voter, org_id, user_id, stance, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (item_id, voter) DO UPDATE SET stance = excluded.stance, note = excluded.note,
             user_id = excluded.user_id, created_at = excluded.created_at",
    )
    .bind(item)
    .bind(round)
    .bind(voter)
    .bind(org)
    .bind(user)
    .bind(stance)
    .bind(note)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
