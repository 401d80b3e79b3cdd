//! The actor map: actors, dated observations and relations collected in waves.
//!
//! Waves, actors, observations of an actor and observations of a tie are each a row
//! of `records` (the confidentiality envelope: space, kind, level, author) plus a
//! details table, and every read builds its WHERE clause from `access::visible`.
//! An observation or tie of an actor the viewer may not see is dropped as well.
//! Actor names are personal data, sealed with the keyring. Nothing is overwritten:
//! a correction is a new observation that names the one it supersedes.

pub mod interchange;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use convene_analysis::network::{Graph, Sign, Tie};
use serde::Serialize;

use crate::access::envelope::NewRow;
use crate::access::kinds::{self, RecordKind};
use crate::access::visible;
use crate::access::Scope;
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::model::{Level, Role};
use crate::records::valid_date;
use crate::storage::{bind_all, Bind};
use crate::storage::{int, opt_blob, opt_int, opt_text, text, Db};
use crate::util::now;

pub const KIND_WAVE: &str = kinds::ACTOR_WAVE.name;
pub const KIND_ACTOR: &str = kinds::ACTOR.name;
pub const KIND_OBSERVATION: &str = kinds::ACTOR_OBSERVATION.name;
pub const KIND_TIE: &str = kinds::ACTOR_TIE.name;

/// Kinds of actor.
pub const ACTOR_KINDS: [&str; 10] = [
    "individual",
    "organisation",
    "armed_group",
    "state_body",
    "political_party",
    "religious",
    "business",
    "media",
    "international",
    "community",
];

/// Kinds of relation between two actors.
pub const TIE_KINDS: [&str; 8] = [
    "alliance",
    "cooperation",
    "communication",
    "kinship",
    "funding",
    "authority",
    "rivalry",
    "conflict",
];

pub const CONFIDENCES: [&str; 3] = ["low", "medium", "high"];
pub const STANCES: [&str; 3] = ["support", "oppose", "neutral"];

/// Who records actor-map data: focal points, organisers and owners.
pub fn may_record(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Organiser | Role::FocalPoint)
}

/// The usual sign of a tie kind (rivalry and open conflict are negative).
pub fn default_sign(kind: &str) -> i8 {
    if matches!(kind, "rivalry" | "conflict") {
        -1
    } else {
        1
    }
}

pub use crate::access::Envelope;

#[derive(Debug, Clone, Serialize)]
pub struct Wave {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub level: Level,
    pub author: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewWave {
    pub title: String,
    pub held_on: String,
    pub place: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub tracks: Vec<u8>,
    pub side: String,
    pub location: String,
    pub tags: Vec<String>,
    pub level: Level,
    pub author: Option<String>,
    /// The author's account, for the access policy only: never shown nor serialised.
    #[serde(skip)]
    pub author_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct NewActor {
    pub name: String,
    pub kind: String,
    pub tracks: Vec<u8>,
    pub side: String,
    pub location: String,
    pub tags: Vec<String>,
}

/// Where a dated piece of information came from.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Provenance {
    pub wave_id: Option<i64>,
    /// `YYYY-MM-DD`, not in the future.
    pub observed_on: String,
    /// Which focal point, interview or focus group.
    pub source: String,
    /// `low`, `medium` or `high`.
    pub confidence: String,
    /// The earlier observation this one corrects, if any.
    pub supersedes: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub id: i64,
    pub actor_id: i64,
    pub attitude: Option<i8>,
    pub influence: Option<u8>,
    pub interests: String,
    pub values: Vec<String>,
    /// (agenda issue, stance).
    pub positions: Vec<(String, String)>,
    pub prov: Provenance,
    pub level: Level,
    pub author: Option<String>,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct NewObservation {
    pub actor_id: i64,
    /// −3 (opposes the peace process) … +3 (supports it).
    pub attitude: Option<i8>,
    /// 0 … 5.
    pub influence: Option<u8>,
    pub interests: String,
    pub values: Vec<String>,
    pub positions: Vec<(String, String)>,
    pub prov: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct TieObservation {
    pub id: i64,
    pub source_actor: i64,
    pub target_actor: i64,
    pub kind: String,
    pub sign: i8,
    pub strength: u8,
    pub directed: bool,
    /// False when the tie was observed to have ended.
    pub active: bool,
    pub prov: Provenance,
    pub level: Level,
    pub author: Option<String>,
    pub recorded_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewTie {
    pub source_actor: i64,
    pub target_actor: i64,
    pub kind: String,
    pub sign: i8,
    pub strength: u8,
    pub directed: bool,
    pub active: bool,
    pub prov: Provenance,
}

/// Everything of a space's actor map that one viewer may see.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActorMap {
    pub waves: Vec<Wave>,
    pub actors: Vec<Actor>,
    pub observations: Vec<Observation>,
    pub ties: Vec<TieObservation>,
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    date_of_unix(now())
}

/// The civil date of a Unix time, as `YYYY-MM-DD`.
pub fn date_of_unix(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn push(problems: &mut Vec<Invalid>, field: &'static str, key: &'static str) {
    problems.push(Invalid { field, key });
}

fn check_text(problems: &mut Vec<Invalid>, field: &'static str, v: &str, max: usize) {
    if v.chars().count() > max {
        push(problems, field, "error-too-long");
    }
}

fn check_prov(problems: &mut Vec<Invalid>, p: &Provenance, today: &str) {
    if !valid_date(p.observed_on.trim()) {
        push(problems, "observed_on", "error-date");
    } else if p.observed_on.trim() > today {
        push(problems, "observed_on", "actors-error-future-date");
    }
    if !CONFIDENCES.contains(&p.confidence.as_str()) {
        push(problems, "confidence", "error-invalid");
    }
    if p.source.trim().is_empty() {
        push(problems, "source", "error-required");
    }
    check_text(problems, "source", &p.source, 200);
}

/// Checks a new actor; `Ok` when it may be stored.
pub fn validate_actor(a: &NewActor) -> std::result::Result<(), Vec<Invalid>> {
    let mut p = Vec::new();
    let n = a.name.trim().chars().count();
    if n == 0 {
        push(&mut p, "name", "error-required");
    } else if n > 200 {
        push(&mut p, "name", "error-too-long");
    }
    if !ACTOR_KINDS.contains(&a.kind.as_str()) {
        push(&mut p, "kind", "error-invalid");
    }
    if a.tracks.iter().any(|t| !(1..=9).contains(t)) {
        push(&mut p, "tracks", "error-track");
    }
    check_text(&mut p, "side", &a.side, 100);
    check_text(&mut p, "location", &a.location, 200);
    if a.tags
        .iter()
        .any(|t| t.contains(',') || t.chars().count() > 60)
    {
        push(&mut p, "tags", "error-invalid");
    }
    if p.is_empty() {
        Ok(())
    } else {
        Err(p)
    }
}

/// Checks a new observation (the actor's existence is checked on storing).
pub fn validate_observation(
    o: &NewObservation,
    today: &str,
) -> std::result::Result<(), Vec<Invalid>> {
    let mut p = Vec::new();
    if o.attitude.is_some_and(|a| !(-3..=3).contains(&a)) {
        push(&mut p, "attitude", "actors-error-attitude");
    }
    if o.influence.is_some_and(|i| i > 5) {
        push(&mut p, "influence", "actors-error-influence");
    }
    if o.attitude.is_none()
        && o.influence.is_none()
        && o.interests.trim().is_empty()
        && o.values.is_empty()
        && o.positions.is_empty()
    {
        push(&mut p, "attitude", "actors-error-empty-observation");
    }
    check_text(&mut p, "interests", &o.interests, 2000);
    if o.values
        .iter()
        .any(|v| v.contains(',') || v.chars().count() > 60)
    {
        push(&mut p, "values", "error-invalid");
    }
    if o.positions.iter().any(|(issue, stance)| {
        issue.trim().is_empty()
            || issue.contains([';', '='])
            || issue.chars().count() > 100
            || !STANCES.contains(&stance.as_str())
    }) {
        push(&mut p, "positions", "actors-error-position");
    }
    check_prov(&mut p, &o.prov, today);
    if p.is_empty() {
        Ok(())
    } else {
        Err(p)
    }
}

/// Checks a new tie observation.
pub fn validate_tie(t: &NewTie, today: &str) -> std::result::Result<(), Vec<Invalid>> {
    let mut p = Vec::new();
    if t.source_actor == t.target_actor {
        push(&mut p, "target", "actors-error-self-tie");
    }
    if !TIE_KINDS.contains(&t.kind.as_str()) {
        push(&mut p, "kind", "error-invalid");
    }
    if t.sign != 1 && t.sign != -1 {
        push(&mut p, "sign", "error-invalid");
    }
    if !(1..=3).contains(&t.strength) {
        push(&mut p, "strength", "actors-error-strength");
    }
    check_prov(&mut p, &t.prov, today);
    if p.is_empty() {
        Ok(())
    } else {
        Err(p)
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn join_list(v: &[String]) -> String {
    v.iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

fn positions_to_text(v: &[(String, String)]) -> String {
    v.iter()
        .map(|(i, s)| format!("{}={s}", i.trim()))
        .collect::<Vec<_>>()
        .join(";")
}

fn positions_from_text(s: &str) -> Vec<(String, String)> {
    s.split(';')
        .filter_map(|p| p.split_once('='))
        .map(|(i, s)| (i.to_string(), s.to_string()))
        .collect()
}

fn level_of(row: &sqlx::any::AnyRow) -> Result<Level> {
    Level::from_i64(int(row, "confidentiality")?).ok_or(Error::Internal("unknown level".into()))
}

fn prov_of(row: &sqlx::any::AnyRow) -> Result<Provenance> {
    Ok(Provenance {
        wave_id: opt_int(row, "wave_id")?,
        observed_on: text(row, "observed_on")?,
        source: text(row, "source")?,
        confidence: text(row, "confidence")?,
        supersedes: opt_int(row, "supersedes")?,
    })
}

fn small(v: i64) -> Result<i8> {
    i8::try_from(v).map_err(|_| Error::Internal("value out of range".into()))
}

impl Db {
    fn actor_name_hash(&self, space_id: i64, name: &str) -> Result<String> {
        let norm = name.split_whitespace().collect::<Vec<_>>().join(" ");
        self.keys
            .lookup_hash("actor.name", &format!("{space_id}:{}", norm.to_lowercase()))
    }

    /// Inserts the envelope row; returns its id.
    async fn envelope_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        kind: RecordKind,
        env: &Envelope,
        title: &str,
        author: i64,
    ) -> Result<i64> {
        let row = NewRow {
            kind,
            title,
            body: "",
            search: "",
        };
        self.insert_record(tx, scope, author, row, env).await
    }

    fn recorder(&self, scope: &Scope) -> Result<i64> {
        scope.require(may_record)?;
        scope.viewer_id().ok_or(Error::Forbidden)
    }

    /// Creates a wave of collection.
    pub async fn create_wave(&self, scope: &Scope, w: NewWave, env: Envelope) -> Result<i64> {
        let author = self.recorder(scope)?;
        let mut p = Vec::new();
        let n = w.title.trim().chars().count();
        if n == 0 {
            push(&mut p, "title", "error-required");
        } else if n > 200 {
            push(&mut p, "title", "error-too-long");
        }
        if !valid_date(w.held_on.trim()) {
            push(&mut p, "held_on", "error-date");
        }
        check_text(&mut p, "place", &w.place, 200);
        if !p.is_empty() {
            return Err(Error::Invalid(p));
        }
        let mut tx = self.pool.begin().await?;
        let id = self
            .envelope_in(
                &mut tx,
                scope,
                kinds::ACTOR_WAVE,
                &env,
                w.title.trim(),
                author,
            )
            .await?;
        sqlx::query("INSERT INTO actor_waves (record_id, held_on, place) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(w.held_on.trim())
            .bind(w.place.trim())
            .execute(&mut *tx)
            .await?;
        self.audit_actor_map(
            &mut tx,
            scope,
            author,
            AuditAction::ActorWaveCreate,
            id,
            env.level,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn audit_actor_map(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        author: i64,
        action: AuditAction,
        id: i64,
        level: Level,
    ) -> Result<()> {
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action,
                target: format!("record:{id}"),
                detail: format!("level={}", level.as_str()),
            },
        )
        .await?;
        Ok(())
    }

    /// Creates an actor; its name is sealed. A second actor of the same name in the
    /// space is a conflict.
    pub async fn create_actor(&self, scope: &Scope, a: NewActor, env: Envelope) -> Result<i64> {
        let author = self.recorder(scope)?;
        validate_actor(&a).map_err(Error::Invalid)?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_actor_in(&mut tx, scope, &a, &env, author)
            .await?;
        self.audit_actor_map(
            &mut tx,
            scope,
            author,
            AuditAction::ActorCreate,
            id,
            env.level,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_actor_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        a: &NewActor,
        env: &Envelope,
        author: i64,
    ) -> Result<i64> {
        let id = self
            .envelope_in(tx, scope, kinds::ACTOR, env, "", author)
            .await?;
        let mut tracks = a.tracks.clone();
        tracks.sort_unstable();
        tracks.dedup();
        let tracks = tracks
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(
            "INSERT INTO actors (record_id, space_id, name_enc, name_hash, actor_kind, tracks, side, location, tags)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(scope.space.id)
        .bind(self.keys.seal("actor.name", a.name.trim())?)
        .bind(self.actor_name_hash(scope.space.id, a.name.trim())?)
        .bind(a.kind.as_str())
        .bind(tracks)
        .bind(a.side.trim())
        .bind(a.location.trim())
        .bind(join_list(&a.tags))
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            if crate::storage::is_unique_violation(&e) {
                Error::Conflict("actor")
            } else {
                e.into()
            }
        })?;
        Ok(id)
    }

    /// True when an actor of this name exists in the space (whoever may see it).
    pub async fn actor_name_taken(&self, scope: &Scope, name: &str) -> Result<bool> {
        let h = self.actor_name_hash(scope.space.id, name.trim())?;
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM actors WHERE space_id = $1 AND name_hash = $2")
                .bind(scope.space.id)
                .bind(h)
                .fetch_one(&self.pool)
                .await?;
        Ok(int(&row, "n")? > 0)
    }

    /// The ids of visible records of one kind among `ids` (to check references).
    async fn visible_ids(&self, scope: &Scope, kind: &str, ids: &[i64]) -> Result<BTreeSet<i64>> {
        let mut out = BTreeSet::new();
        for id in ids {
            let mut binds = Vec::new();
            let wc = visible(scope, &mut binds);
            binds.push(Bind::S(kind.to_string()));
            let pk = binds.len();
            binds.push(Bind::I(*id));
            let pi = binds.len();
            let sql = format!(
                "SELECT r.id FROM records r WHERE {wc} AND r.kind = ${pk} AND r.id = ${pi}"
            );
            if bind_all(sqlx::query(&sql), binds)
                .fetch_optional(&self.pool)
                .await?
                .is_some()
            {
                out.insert(*id);
            }
        }
        Ok(out)
    }

    async fn check_refs(
        &self,
        scope: &Scope,
        actors: &[i64],
        prov: &Provenance,
        superseded_kind: &str,
    ) -> Result<()> {
        let seen = self.visible_ids(scope, KIND_ACTOR, actors).await?;
        if actors.iter().any(|a| !seen.contains(a)) {
            return Err(Error::invalid("actor", "actors-error-unknown-actor"));
        }
        if let Some(w) = prov.wave_id {
            if self.visible_ids(scope, KIND_WAVE, &[w]).await?.is_empty() {
                return Err(Error::invalid("wave", "error-invalid"));
            }
        }
        if let Some(s) = prov.supersedes {
            if self
                .visible_ids(scope, superseded_kind, &[s])
                .await?
                .is_empty()
            {
                return Err(Error::invalid("supersedes", "error-invalid"));
            }
        }
        Ok(())
    }

    /// Records an observation of an actor.
    pub async fn add_observation(
        &self,
        scope: &Scope,
        o: NewObservation,
        env: Envelope,
    ) -> Result<i64> {
        let author = self.recorder(scope)?;
        validate_observation(&o, &today()).map_err(Error::Invalid)?;
        self.check_refs(scope, &[o.actor_id], &o.prov, KIND_OBSERVATION)
            .await?;
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_observation_in(&mut tx, scope, &o, &env, author)
            .await?;
        self.audit_actor_map(
            &mut tx,
            scope,
            author,
            AuditAction::ActorObservationCreate,
            id,
            env.level,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_observation_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        o: &NewObservation,
        env: &Envelope,
        author: i64,
    ) -> Result<i64> {
        let id = self
            .envelope_in(tx, scope, kinds::ACTOR_OBSERVATION, env, "", author)
            .await?;
        sqlx::query(
            "INSERT INTO actor_observations (record_id, actor_id, wave_id, observed_on, attitude, influence, interests, shared_values, positions, source, confidence, supersedes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id)
        .bind(o.actor_id)
        .bind(o.prov.wave_id)
        .bind(o.prov.observed_on.trim())
        .bind(o.attitude.map(i64::from))
        .bind(o.influence.map(i64::from))
        .bind(o.interests.trim())
        .bind(join_list(&o.values))
        .bind(positions_to_text(&o.positions))
        .bind(o.prov.source.trim())
        .bind(o.prov.confidence.as_str())
        .bind(o.prov.supersedes)
        .execute(&mut **tx)
        .await?;
        Ok(id)
    }

    /// Records an observation of a tie between two actors.
    pub async fn add_tie(&self, scope: &Scope, t: NewTie, env: Envelope) -> Result<i64> {
        let author = self.recorder(scope)?;
        validate_tie(&t, &today()).map_err(Error::Invalid)?;
        self.check_refs(scope, &[t.source_actor, t.target_actor], &t.prov, KIND_TIE)
            .await?;
        let mut tx = self.pool.begin().await?;
        let id = self.insert_tie_in(&mut tx, scope, &t, &env, author).await?;
        self.audit_actor_map(
            &mut tx,
            scope,
            author,
            AuditAction::ActorTieCreate,
            id,
            env.level,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_tie_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        t: &NewTie,
        env: &Envelope,
        author: i64,
    ) -> Result<i64> {
        let id = self
            .envelope_in(tx, scope, kinds::ACTOR_TIE, env, "", author)
            .await?;
        sqlx::query(
            "INSERT INTO actor_ties (record_id, source_actor, target_actor, wave_id, observed_on, tie_kind, sign, strength, directed, active, source, confidence, supersedes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id)
        .bind(t.source_actor)
        .bind(t.target_actor)
        .bind(t.prov.wave_id)
        .bind(t.prov.observed_on.trim())
        .bind(t.kind.as_str())
        .bind(i64::from(t.sign))
        .bind(i64::from(t.strength))
        .bind(i64::from(t.directed))
        .bind(i64::from(t.active))
        .bind(t.prov.source.trim())
        .bind(t.prov.confidence.as_str())
        .bind(t.prov.supersedes)
        .execute(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn visible_rows(
        &self,
        scope: &Scope,
        kind: &str,
        cols: &str,
        details: &str,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        let mut binds = Vec::new();
        let wc = visible(scope, &mut binds);
        binds.push(Bind::S(kind.to_string()));
        let pk = binds.len();
        let sql = format!(
            "SELECT r.id, r.confidentiality, r.created_at, r.author_id, u.display_name AS author_name, {cols}
             FROM records r JOIN {details} d ON d.record_id = r.id
             LEFT JOIN users u ON u.id = r.author_id
             WHERE {wc} AND r.kind = ${pk} ORDER BY r.id"
        );
        Ok(bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The actor map of the space as the scope may see it.
    pub async fn actor_map(&self, scope: &Scope) -> Result<ActorMap> {
        let chatham = scope.space.chatham_house;
        let author = |row: &sqlx::any::AnyRow| -> Result<Option<String>> {
            Ok(if chatham {
                None
            } else {
                opt_text(row, "author_name")?
            })
        };
        let mut map = ActorMap::default();
        for row in self
            .visible_rows(
                scope,
                KIND_WAVE,
                "r.title, d.held_on, d.place",
                "actor_waves",
            )
            .await?
        {
            map.waves.push(Wave {
                id: int(&row, "id")?,
                title: text(&row, "title")?,
                held_on: text(&row, "held_on")?,
                place: text(&row, "place")?,
                level: level_of(&row)?,
                author: author(&row)?,
            });
        }
        map.waves
            .sort_by(|a, b| (a.held_on.as_str(), a.id).cmp(&(b.held_on.as_str(), b.id)));
        for row in self
            .visible_rows(
                scope,
                KIND_ACTOR,
                "d.name_enc, d.actor_kind, d.tracks, d.side, d.location, d.tags",
                "actors",
            )
            .await?
        {
            let name = match opt_blob(&row, "name_enc")? {
                Some(b) => self.keys.open("actor.name", &b)?,
                None => String::new(),
            };
            map.actors.push(Actor {
                id: int(&row, "id")?,
                name,
                kind: text(&row, "actor_kind")?,
                tracks: text(&row, "tracks")?
                    .split(',')
                    .filter_map(|t| t.parse().ok())
                    .collect(),
                side: text(&row, "side")?,
                location: text(&row, "location")?,
                tags: split_list(&text(&row, "tags")?),
                level: level_of(&row)?,
                author: author(&row)?,
                author_id: opt_int(&row, "author_id")?,
            });
        }
        map.actors.sort_by_key(|a| a.name.to_lowercase());
        let actor_ids: BTreeSet<i64> = map.actors.iter().map(|a| a.id).collect();
        let wave_ids: BTreeSet<i64> = map.waves.iter().map(|w| w.id).collect();
        let clean = |mut p: Provenance| {
            if p.wave_id.is_some_and(|w| !wave_ids.contains(&w)) {
                p.wave_id = None;
            }
            p
        };
        for row in self
            .visible_rows(
                scope,
                KIND_OBSERVATION,
                "d.actor_id, d.wave_id, d.observed_on, d.attitude, d.influence, d.interests, d.shared_values, d.positions, d.source, d.confidence, d.supersedes",
                "actor_observations",
            )
            .await?
        {
            let actor_id = int(&row, "actor_id")?;
            if !actor_ids.contains(&actor_id) {
                continue;
            }
            map.observations.push(Observation {
                id: int(&row, "id")?,
                actor_id,
                attitude: opt_int(&row, "attitude")?.map(small).transpose()?,
                influence: opt_int(&row, "influence")?
                    .map(|v| u8::try_from(v).map_err(|_| Error::Internal("influence".into())))
                    .transpose()?,
                interests: text(&row, "interests")?,
                values: split_list(&text(&row, "shared_values")?),
                positions: positions_from_text(&text(&row, "positions")?),
                prov: clean(prov_of(&row)?),
                level: level_of(&row)?,
                author: author(&row)?,
                recorded_at: int(&row, "created_at")?,
            });
        }
        for row in self
            .visible_rows(
                scope,
                KIND_TIE,
                "d.source_actor, d.target_actor, d.wave_id, d.observed_on, d.tie_kind, d.sign, d.strength, d.directed, d.active, d.source, d.confidence, d.supersedes",
                "actor_ties",
            )
            .await?
        {
            let (s, t) = (int(&row, "source_actor")?, int(&row, "target_actor")?);
            if !actor_ids.contains(&s) || !actor_ids.contains(&t) {
                continue;
            }
            map.ties.push(TieObservation {
                id: int(&row, "id")?,
                source_actor: s,
                target_actor: t,
                kind: text(&row, "tie_kind")?,
                sign: small(int(&row, "sign")?)?,
                strength: u8::try_from(int(&row, "strength")?)
                    .map_err(|_| Error::Internal("strength".into()))?,
                directed: int(&row, "directed")? != 0,
                active: int(&row, "active")? != 0,
                prov: clean(prov_of(&row)?),
                level: level_of(&row)?,
                author: author(&row)?,
                recorded_at: int(&row, "created_at")?,
            });
        }
        Ok(map)
    }

    /// Changes the level of an actor-map record (wave, actor, observation or tie):
    /// organisers, or its author; audited. `NotFound` unless the viewer sees it.
    pub async fn set_actor_map_level(&self, scope: &Scope, id: i64, env: Envelope) -> Result<()> {
        let kinds = [
            kinds::ACTOR_WAVE,
            kinds::ACTOR,
            kinds::ACTOR_OBSERVATION,
            kinds::ACTOR_TIE,
        ];
        let target = self.level_target(scope, id, &kinds).await?;
        self.change_level(scope, target, &env).await
    }

    /// The actor map for an export (roles that may export; audited).
    pub async fn export_actor_map(&self, scope: &Scope, format: &str) -> Result<ActorMap> {
        scope.require(Role::may_export)?;
        let map = self.actor_map(scope).await?;
        self.audit(Event {
            space_id: Some(scope.space.id),
            user_id: scope.viewer_id(),
            action: AuditAction::Export,
            target: format!("actors.{format}"),
            detail: format!(
                "{} actors, {} observations, {} ties",
                map.actors.len(),
                map.observations.len(),
                map.ties.len()
            ),
        })
        .await?;
        Ok(map)
    }

    /// Stores a whole validated import in one transaction (all or nothing). Actor
    /// references in `observations` and `ties` are indexes into `actors` when
    /// negative (−1 is the first new actor) or ids of existing visible actors.
    pub async fn import_actor_map(&self, scope: &Scope, import: Import) -> Result<ImportSummary> {
        let author = self.recorder(scope)?;
        let mut existing: Vec<i64> = Vec::new();
        for o in &import.observations {
            if o.0.actor_id > 0 {
                existing.push(o.0.actor_id);
            }
        }
        for t in &import.ties {
            for a in [t.0.source_actor, t.0.target_actor] {
                if a > 0 {
                    existing.push(a);
                }
            }
        }
        existing.sort_unstable();
        existing.dedup();
        let seen = self.visible_ids(scope, KIND_ACTOR, &existing).await?;
        if existing.iter().any(|a| !seen.contains(a)) {
            return Err(Error::invalid("actor", "actors-error-unknown-actor"));
        }
        let mut tx = self.pool.begin().await?;
        let mut new_ids = Vec::new();
        for (a, env) in &import.actors {
            new_ids.push(self.insert_actor_in(&mut tx, scope, a, env, author).await?);
        }
        let resolve = |id: i64| -> Result<i64> {
            if id < 0 {
                usize::try_from(-id - 1)
                    .ok()
                    .and_then(|i| new_ids.get(i).copied())
                    .ok_or(Error::Internal("import reference".into()))
            } else {
                Ok(id)
            }
        };
        for (o, env) in &import.observations {
            let mut o = o.clone();
            o.actor_id = resolve(o.actor_id)?;
            self.insert_observation_in(&mut tx, scope, &o, env, author)
                .await?;
        }
        for (t, env) in &import.ties {
            let mut t = t.clone();
            t.source_actor = resolve(t.source_actor)?;
            t.target_actor = resolve(t.target_actor)?;
            self.insert_tie_in(&mut tx, scope, &t, env, author).await?;
        }
        let summary = ImportSummary {
            actors: import.actors.len(),
            observations: import.observations.len(),
            ties: import.ties.len(),
        };
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::ActorsImport,
                target: format!("space:{}", scope.space.id),
                detail: format!(
                    "{} actors, {} observations, {} ties",
                    summary.actors, summary.observations, summary.ties
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }
}

/// A parsed, validated import, ready to store.
#[derive(Debug, Clone, Default)]
pub struct Import {
    pub actors: Vec<(NewActor, Envelope)>,
    pub observations: Vec<(NewObservation, Envelope)>,
    pub ties: Vec<(NewTie, Envelope)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub actors: usize,
    pub observations: usize,
    pub ties: usize,
}

// ---------------------------------------------------------------------------
// Time: the network as of a date, and the change between two dates.

/// An actor's state as of a date: its latest observation up to that date.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActorState {
    pub actor_id: i64,
    pub attitude: Option<i8>,
    pub influence: Option<u8>,
    pub values: Vec<String>,
    pub positions: Vec<(String, String)>,
    pub observation_id: Option<i64>,
}

/// A tie as of a date: the latest observation of the pair and kind, if active.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TieState {
    pub source: i64,
    pub target: i64,
    pub kind: String,
    pub sign: i8,
    pub strength: u8,
    pub directed: bool,
    pub observation_id: i64,
}

/// The network as of a date.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Snapshot {
    pub date: String,
    /// Every actor observed (or tied) up to the date, by id.
    pub actors: BTreeMap<i64, ActorState>,
    pub ties: Vec<TieState>,
}

/// The identity of a tie across observations: the unordered pair and the kind.
pub fn tie_key(a: i64, b: i64, kind: &str) -> (i64, i64, String) {
    (a.min(b), a.max(b), kind.to_string())
}

impl Snapshot {
    /// One undirected graph of the snapshot: several ties between the same pair are
    /// merged (weight: strongest strength; sign: the sign of the summed
    /// sign × strength, positive on a draw).
    pub fn graph(&self) -> (Graph, Vec<i64>) {
        let mut g = Graph::new(false);
        let mut ids = Vec::new();
        for id in self.actors.keys() {
            if g.add_node(&id.to_string()).is_ok() {
                ids.push(*id);
            }
        }
        let mut pairs: BTreeMap<(i64, i64), (i64, u8)> = BTreeMap::new();
        for t in &self.ties {
            let key = (t.source.min(t.target), t.source.max(t.target));
            let e = pairs.entry(key).or_insert((0, 0));
            e.0 += i64::from(t.sign) * i64::from(t.strength);
            e.1 = e.1.max(t.strength);
        }
        for ((a, b), (sum, w)) in pairs {
            let tie = Tie {
                sign: if sum < 0 {
                    Sign::Negative
                } else {
                    Sign::Positive
                },
                weight: Some(f64::from(w.max(1))),
                kind: None,
            };
            // Both ends are nodes and the pair is unique, so this cannot fail.
            let _ = g.add_edge(&a.to_string(), &b.to_string(), tie);
        }
        (g, ids)
    }
}

impl ActorMap {
    pub fn actor(&self, id: i64) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }

    /// The network as of `date` (inclusive): each actor's and each tie's latest
    /// observation dated up to then (a later record of the same date wins).
    pub fn as_of(&self, date: &str) -> Snapshot {
        let mut latest: HashMap<i64, &Observation> = HashMap::new();
        for o in self
            .observations
            .iter()
            .filter(|o| o.prov.observed_on.as_str() <= date)
        {
            let newer = latest.get(&o.actor_id).is_none_or(|cur| {
                (o.prov.observed_on.as_str(), o.id) > (cur.prov.observed_on.as_str(), cur.id)
            });
            if newer {
                latest.insert(o.actor_id, o);
            }
        }
        let mut tie_latest: HashMap<(i64, i64, String), &TieObservation> = HashMap::new();
        for t in self
            .ties
            .iter()
            .filter(|t| t.prov.observed_on.as_str() <= date)
        {
            let key = tie_key(t.source_actor, t.target_actor, &t.kind);
            let newer = tie_latest.get(&key).is_none_or(|cur| {
                (t.prov.observed_on.as_str(), t.id) > (cur.prov.observed_on.as_str(), cur.id)
            });
            if newer {
                tie_latest.insert(key, t);
            }
        }
        let mut snap = Snapshot {
            date: date.to_string(),
            ..Snapshot::default()
        };
        let mut ties: Vec<&TieObservation> =
            tie_latest.into_values().filter(|t| t.active).collect();
        ties.sort_by_key(|t| t.id);
        for t in &ties {
            snap.ties.push(TieState {
                source: t.source_actor,
                target: t.target_actor,
                kind: t.kind.clone(),
                sign: t.sign,
                strength: t.strength,
                directed: t.directed,
                observation_id: t.id,
            });
        }
        let mut present: BTreeSet<i64> = latest.keys().copied().collect();
        for t in &ties {
            present.insert(t.source_actor);
            present.insert(t.target_actor);
        }
        for id in present {
            let o = latest.get(&id);
            snap.actors.insert(
                id,
                ActorState {
                    actor_id: id,
                    attitude: o.and_then(|o| o.attitude),
                    influence: o.and_then(|o| o.influence),
                    values: o.map(|o| o.values.clone()).unwrap_or_default(),
                    positions: o.map(|o| o.positions.clone()).unwrap_or_default(),
                    observation_id: o.map(|o| o.id),
                },
            );
        }
        snap
    }

    /// The dates of the waves, oldest first, without repeats.
    pub fn wave_dates(&self) -> Vec<String> {
        let mut d: Vec<String> = self.waves.iter().map(|w| w.held_on.clone()).collect();
        d.dedup();
        d
    }

    /// The latest wave and the latest one held on an earlier date, when there are
    /// two such waves.
    pub fn last_two_waves(&self) -> Option<(&Wave, &Wave)> {
        let last = self.waves.last()?;
        let prev = self.waves.iter().rev().find(|w| w.held_on < last.held_on)?;
        Some((prev, last))
    }
}

/// A value that moved between two dates.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Moved<T> {
    pub actor_id: i64,
    pub from: Option<T>,
    pub to: Option<T>,
}

/// A tie that changed sign or strength.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TieChanged {
    pub before: TieState,
    pub after: TieState,
}

/// What changed between two snapshots.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Change {
    pub new_actors: Vec<i64>,
    pub attitudes: Vec<Moved<i8>>,
    pub influence: Vec<Moved<u8>>,
    pub ties_added: Vec<TieState>,
    pub ties_removed: Vec<TieState>,
    pub sign_changed: Vec<TieChanged>,
    pub strength_changed: Vec<TieChanged>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        *self == Change::default()
    }
}

/// The change from `before` to `after`.
pub fn diff(before: &Snapshot, after: &Snapshot) -> Change {
    let mut c = Change::default();
    for (id, a) in &after.actors {
        match before.actors.get(id) {
            None => c.new_actors.push(*id),
            Some(b) => {
                if b.attitude != a.attitude {
                    c.attitudes.push(Moved {
                        actor_id: *id,
                        from: b.attitude,
                        to: a.attitude,
                    });
                }
                if b.influence != a.influence {
                    c.influence.push(Moved {
                        actor_id: *id,
                        from: b.influence,
                        to: a.influence,
                    });
                }
            }
        }
    }
    let key = |t: &TieState| tie_key(t.source, t.target, &t.kind);
    let before_ties: HashMap<_, &TieState> = before.ties.iter().map(|t| (key(t), t)).collect();
    let after_ties: HashMap<_, &TieState> = after.ties.iter().map(|t| (key(t), t)).collect();
    for t in &after.ties {
        match before_ties.get(&key(t)) {
            None => c.ties_added.push(t.clone()),
            Some(b) => {
                if b.sign != t.sign {
                    c.sign_changed.push(TieChanged {
                        before: (*b).clone(),
                        after: t.clone(),
                    });
                } else if b.strength != t.strength {
                    c.strength_changed.push(TieChanged {
                        before: (*b).clone(),
                        after: t.clone(),
                    });
                }
            }
        }
    }
    for t in &before.ties {
        if !after_ties.contains_key(&key(t)) {
            c.ties_removed.push(t.clone());
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(date_of_unix(0), "1970-01-01");
        assert_eq!(date_of_unix(951_782_400), "2000-02-29");
        assert_eq!(date_of_unix(1_798_761_599), "2026-12-31");
    }

    #[test]
    fn positions_round_trip() {
        let p = vec![
            ("ceasefire".to_string(), "support".to_string()),
            ("water".to_string(), "oppose".to_string()),
        ];
        assert_eq!(positions_from_text(&positions_to_text(&p)), p);
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn day(d: u8) -> String {
        format!("2026-01-{:02}", d)
    }

    fn map_of(obs: &[(i64, u8, i8)], ties: &[(i64, i64, u8, bool, i8)]) -> ActorMap {
        let mut m = ActorMap::default();
        for a in 1..=4 {
            m.actors.push(Actor {
                id: a,
                name: format!("A{a}"),
                kind: "individual".into(),
                tracks: vec![],
                side: String::new(),
                location: String::new(),
                tags: vec![],
                level: Level::Members,
                author: None,
                author_id: None,
            });
        }
        let prov = |d: u8| Provenance {
            observed_on: day(d),
            source: "s".into(),
            confidence: "low".into(),
            ..Provenance::default()
        };
        for (i, (actor, d, att)) in obs.iter().enumerate() {
            m.observations.push(Observation {
                id: 100 + i as i64,
                actor_id: *actor,
                attitude: Some(*att),
                influence: None,
                interests: String::new(),
                values: vec![],
                positions: vec![],
                prov: prov(*d),
                level: Level::Members,
                author: None,
                recorded_at: 0,
            });
        }
        for (i, (a, b, d, active, sign)) in ties.iter().enumerate() {
            m.ties.push(TieObservation {
                id: 1000 + i as i64,
                source_actor: *a,
                target_actor: *b,
                kind: "alliance".into(),
                sign: *sign,
                strength: 1,
                directed: false,
                active: *active,
                prov: prov(*d),
                level: Level::Members,
                author: None,
                recorded_at: 0,
            });
        }
        m
    }

    fn obs_strategy() -> impl Strategy<Value = Vec<(i64, u8, i8)>> {
        proptest::collection::vec((1i64..=4, 1u8..=28, -3i8..=3), 0..30)
    }

    fn tie_strategy() -> impl Strategy<Value = Vec<(i64, i64, u8, bool, i8)>> {
        proptest::collection::vec(
            (
                1i64..=4,
                1i64..=4,
                1u8..=28,
                any::<bool>(),
                prop_oneof![Just(1i8), Just(-1i8)],
            )
                .prop_filter("two actors", |t| t.0 != t.1),
            0..30,
        )
    }

    proptest! {
        /// As of a date, each actor's attitude is that of its latest observation up
        /// to the date (the later record on the same date), as a naive scan finds.
        #[test]
        fn as_of_takes_the_latest_observation(obs in obs_strategy(), d in 1u8..=28) {
            let m = map_of(&obs, &[]);
            let snap = m.as_of(&day(d));
            for a in 1..=4i64 {
                let mut best: Option<(u8, usize, i8)> = None;
                for (i, (actor, od, att)) in obs.iter().enumerate() {
                    if *actor == a && *od <= d && best.is_none_or(|b| (*od, i) > (b.0, b.1)) {
                        best = Some((*od, i, *att));
                    }
                }
                prop_assert_eq!(snap.actors.get(&a).and_then(|s| s.attitude), best.map(|b| b.2));
            }
        }

        /// The change between two dates accounts for every tie: after = before
        /// + added − removed, and a snapshot does not change against itself.
        #[test]
        fn diff_accounts_for_every_tie(ties in tie_strategy(), obs in obs_strategy(), d1 in 1u8..=28, d2 in 1u8..=28) {
            let m = map_of(&obs, &ties);
            let (b, a) = (m.as_of(&day(d1)), m.as_of(&day(d2)));
            let c = diff(&b, &a);
            prop_assert_eq!(b.ties.len() + c.ties_added.len() - c.ties_removed.len(), a.ties.len());
            for t in &c.ties_added {
                prop_assert!(!b.ties.iter().any(|x| tie_key(x.source, x.target, &x.kind) == tie_key(t.source, t.target, &t.kind)));
            }
            for s in &c.sign_changed {
                prop_assert!(s.before.sign != s.after.sign);
            }
            prop_assert!(diff(&a, &a).is_empty());
            // Every tie in a snapshot is present and joins actors of the snapshot.
            for t in &a.ties {
                prop_assert!(a.actors.contains_key(&t.source) && a.actors.contains_key(&t.target));
            }
        }
    }
}
