//! The multi-track map ("3W": who does what where): the nine tracks × the places
//! of one level (the regions, or the districts of a region), each cell the number
//! of activities past, current and planned, with the **gaps** marked: cells with
//! nothing, the ones where a concern was raised above all, and districts whose
//! concerns have no activity at all (docs/three-w.md).
//!
//! Counts are of the activities the viewer may read. Activities the viewer may not
//! read are counted, never described: their number is added to a cell only when it
//! reaches the space's suppression threshold, as small cells of poll results are
//! suppressed, so that a count cannot single one out.

use std::collections::HashMap;
use std::sync::Arc;

use super::Status;
use crate::access::{visible, Scope};
use crate::error::{Error, Result};
use crate::places::Place;
use crate::storage::{bind_all, int, opt_int, Bind, Db};

/// The nine tracks of multi-track diplomacy.
pub const TRACKS: std::ops::RangeInclusive<i64> = 1..=9;

/// One cell of the map.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Cell {
    pub past: i64,
    pub current: i64,
    pub planned: i64,
    /// Activities the viewer may not read, when at least the threshold (else 0).
    pub confidential: i64,
    /// Some activities the viewer may not read were left out (fewer than the
    /// threshold).
    pub suppressed: bool,
}

impl Cell {
    /// Everything counted in the cell.
    pub fn total(&self) -> i64 {
        self.past + self.current + self.planned + self.confidential
    }
}

/// A row of the map: a place, its cells by track, and what marks its gaps.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub place: Place,
    /// Cells of tracks 1 to 9, in order.
    pub cells: Vec<Cell>,
    /// Activities without a track.
    pub untracked: Cell,
    /// Concerns the viewer may read about this place or the places under it.
    pub concerns: i64,
}

impl Row {
    /// Whether the place has no activity at all the viewer sees counted.
    pub fn empty(&self) -> bool {
        self.cells.iter().all(|c| c.total() == 0) && self.untracked.total() == 0
    }
}

/// The map of one level.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Matrix {
    /// The place whose children are the rows (`None`: the regions).
    pub parent: Option<Place>,
    pub rows: Vec<Row>,
    /// The space's suppression threshold.
    pub threshold: i64,
}

impl Matrix {
    /// The gaps: (row index, track) of empty cells in rows with concerns, then of
    /// the other empty cells.
    pub fn gaps(&self) -> Vec<(usize, i64, bool)> {
        let mut out = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            for (t, c) in TRACKS.zip(&r.cells) {
                if c.total() == 0 {
                    out.push((i, t, r.concerns > 0));
                }
            }
        }
        out.sort_by_key(|(i, t, concern)| (!concern, *i, *t));
        out
    }
}

impl Db {
    /// The 3W map of the places under `parent` (the regions when `None`). The counts
    /// are aggregated in the database (by place, track, time and whether the viewer
    /// may read them), so the map's cost grows with the places, not the activities.
    pub async fn three_w(&self, scope: &Scope, parent: Option<&Place>) -> Result<Matrix> {
        let places = self.places_under(scope, parent.map(|p| p.id)).await?;
        let now = crate::util::now();
        // Each place's parent, to find the row a concern's place falls in.
        let up: HashMap<i64, Option<i64>> =
            sqlx::query("SELECT id, parent_id FROM places WHERE space_id = $1")
                .bind(scope.space.id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((int(r, "id")?, opt_int(r, "parent_id")?)))
                .collect::<Result<_>>()?;
        let row_index: HashMap<i64, usize> =
            places.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let row_of = |mut id: i64| -> Option<usize> {
            for _ in 0..4 {
                if let Some(i) = row_index.get(&id) {
                    return Some(*i);
                }
                id = (*up.get(&id)?)?;
            }
            None
        };
        // The row an activity falls in is the ancestor (or the place itself) whose
        // parent is `parent`: found in the query, so that the database returns a
        // few groups per row, not one per place.
        let is_parent = |col: &str| match parent {
            Some(p) => format!("{col}.parent_id = {}", p.id),
            None => format!("{col}.parent_id IS NULL"),
        };
        let row_place = format!(
            "CASE WHEN {} THEN p0.id WHEN {} THEN p1.id WHEN {} THEN p2.id END",
            is_parent("p0"),
            is_parent("p1"),
            is_parent("p2")
        );
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(now)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT {row_place} AS row_place, COALESCE(d.track, 0) AS track,
                    CASE WHEN a.ends_at <= $2 THEN 0 WHEN a.starts_at <= $2 THEN 1 ELSE 2 END AS bucket,
                    CASE WHEN {rule} THEN 1 ELSE 0 END AS seen, COUNT(*) AS n
             FROM records r JOIN activity_plans a ON a.record_id = r.id
             JOIN places p0 ON p0.id = a.place_id
             LEFT JOIN places p1 ON p1.id = p0.parent_id
             LEFT JOIN places p2 ON p2.id = p1.parent_id
             LEFT JOIN activity_details d ON d.record_id = r.id
             WHERE r.kind = 'activity' AND a.space_id = $1 AND a.status <> 'cancelled'
             GROUP BY 1, 2, 3, 4"
        );
        let groups = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let mut visible_cells: HashMap<(usize, i64), Cell> = HashMap::new();
        let mut hidden: HashMap<(usize, i64), i64> = HashMap::new();
        for g in &groups {
            let Some(i) = opt_int(g, "row_place")?.and_then(|p| row_index.get(&p).copied()) else {
                continue;
            };
            let t = Some(int(g, "track")?)
                .filter(|t| TRACKS.contains(t))
                .unwrap_or(0);
            let n = int(g, "n")?;
            if int(g, "seen")? == 1 {
                let c = visible_cells.entry((i, t)).or_default();
                match int(g, "bucket")? {
                    0 => c.past += n,
                    1 => c.current += n,
                    _ => c.planned += n,
                }
            } else {
                *hidden.entry((i, t)).or_default() += n;
            }
        }
        // Concerns the viewer may read, by place.
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT rp.place_id, COUNT(*) AS n FROM records r JOIN record_places rp ON rp.record_id = r.id
             WHERE r.kind = 'concern' AND r.space_id = $1 AND {rule} GROUP BY 1"
        );
        let concern_rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let threshold = scope.space.suppression_threshold.max(1);
        let mut concerns: HashMap<usize, i64> = HashMap::new();
        for r in &concern_rows {
            if let Some(i) = row_of(int(r, "place_id")?) {
                *concerns.entry(i).or_default() += int(r, "n")?;
            }
        }
        let cell = |i: usize, t: i64| {
            let mut c = visible_cells.get(&(i, t)).copied().unwrap_or_default();
            let h = hidden.get(&(i, t)).copied().unwrap_or(0);
            if h >= threshold {
                c.confidential = h;
            } else if h > 0 {
                c.suppressed = true;
            }
            c
        };
        let rows = places
            .into_iter()
            .enumerate()
            .map(|(i, place)| Row {
                cells: TRACKS.map(|t| cell(i, t)).collect(),
                untracked: cell(i, 0),
                concerns: concerns.get(&i).copied().unwrap_or(0),
                place,
            })
            .collect();
        Ok(Matrix {
            parent: parent.cloned(),
            rows,
            threshold,
        })
    }

    /// The districts (places of level 2) whose concerns the viewer may read have
    /// no activity counted for the viewer (none it sees, and hidden ones below the
    /// suppression threshold): (district, concerns). One pass over the activities,
    /// grouped by district in the database.
    pub async fn districts_with_unmet_concerns(&self, scope: &Scope) -> Result<Vec<(Place, i64)>> {
        let all = self.all_places(scope).await?;
        let by_id: HashMap<i64, &Place> = all.iter().map(|p| (p.id, p)).collect();
        // The district a place is in: itself at level 2, else its ancestor there.
        let district_of = |id: i64| -> Option<i64> {
            let mut p = by_id.get(&id)?;
            for _ in 0..3 {
                if p.level == 2 {
                    return Some(p.id);
                }
                p = by_id.get(&p.parent_id?)?;
            }
            None
        };
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT CASE WHEN p0.level = 2 THEN p0.id WHEN p1.level = 2 THEN p1.id END AS district,
                    CASE WHEN {rule} THEN 1 ELSE 0 END AS seen, COUNT(*) AS n
             FROM records r JOIN activity_plans a ON a.record_id = r.id
             JOIN places p0 ON p0.id = a.place_id
             LEFT JOIN places p1 ON p1.id = p0.parent_id
             WHERE r.kind = 'activity' AND a.space_id = $1 AND a.status <> 'cancelled'
             GROUP BY 1, 2"
        );
        let threshold = scope.space.suppression_threshold.max(1);
        let mut served: std::collections::HashSet<i64> = std::collections::HashSet::new();
        for g in bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?
        {
            let Some(d) = opt_int(&g, "district")? else {
                continue;
            };
            let n = int(&g, "n")?;
            if (int(&g, "seen")? == 1 && n > 0) || n >= threshold {
                served.insert(d);
            }
        }
        let mut binds = vec![Bind::I(scope.space.id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT rp.place_id, COUNT(*) AS n FROM records r JOIN record_places rp ON rp.record_id = r.id
             WHERE r.kind = 'concern' AND r.space_id = $1 AND {rule} GROUP BY 1"
        );
        let mut concerns: HashMap<i64, i64> = HashMap::new();
        for r in bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?
        {
            if let Some(d) = district_of(int(&r, "place_id")?) {
                *concerns.entry(d).or_default() += int(&r, "n")?;
            }
        }
        let mut out: Vec<(Place, i64)> = concerns
            .into_iter()
            .filter(|(d, _)| !served.contains(d))
            .filter_map(|(d, n)| by_id.get(&d).map(|p| ((*p).clone(), n)))
            .collect();
        out.sort_by(|a, b| a.0.code.cmp(&b.0.code));
        Ok(out)
    }

    /// The regions' map and the districts with unmet concerns as the public sees
    /// them, reused for up to [`PUBLIC_TTL_SECS`]: the public's view is the same for
    /// everyone, and it is the one read most. When an entry is older, the first
    /// reader computes it again while the others are served the one before. A
    /// change of activities in this process forgets the space's entries at once.
    pub async fn three_w_public(
        &self,
        scope: &Scope,
        parent: Option<&Place>,
    ) -> Result<Arc<(Matrix, Vec<(Place, i64)>)>> {
        if scope.viewer().is_some() {
            return Ok(Arc::new((
                self.three_w(scope, parent).await?,
                self.districts_with_unmet_concerns(scope).await?,
            )));
        }
        let key = (scope.space.id, parent.map(|p| p.id));
        let cache = self.extension(|_| PublicCache::default());
        enum Next {
            Serve(Arc<(Matrix, Vec<(Place, i64)>)>),
            Compute,
        }
        let next = match cache.0.lock() {
            Ok(mut map) => match map.get_mut(&key) {
                Some(e) if e.at.elapsed().as_secs() < PUBLIC_TTL_SECS => {
                    Next::Serve(e.value.clone())
                }
                Some(e) if e.refreshing => Next::Serve(e.value.clone()),
                Some(e) => {
                    e.refreshing = true;
                    Next::Compute
                }
                None => Next::Compute,
            },
            Err(_) => Next::Compute,
        };
        if let Next::Serve(v) = next {
            return Ok(v);
        }
        let computed = async {
            Ok::<_, Error>(Arc::new((
                self.three_w(scope, parent).await?,
                self.districts_with_unmet_concerns(scope).await?,
            )))
        }
        .await;
        if let Ok(mut map) = cache.0.lock() {
            match &computed {
                Ok(v) => {
                    map.insert(
                        key,
                        PublicEntry {
                            at: std::time::Instant::now(),
                            value: v.clone(),
                            refreshing: false,
                        },
                    );
                }
                Err(_) => {
                    if let Some(e) = map.get_mut(&key) {
                        e.refreshing = false;
                    }
                }
            }
        }
        computed
    }

    /// Forgets the public 3W entries of a space (after its activities changed).
    pub(crate) fn forget_three_w(&self, space_id: i64) {
        if let Ok(mut map) = self.extension(|_| PublicCache::default()).0.lock() {
            map.retain(|(s, _), _| *s != space_id);
        }
    }
}

/// How long the public's 3W map is reused, in seconds.
pub const PUBLIC_TTL_SECS: u64 = 30;

struct PublicEntry {
    at: std::time::Instant,
    value: Arc<(Matrix, Vec<(Place, i64)>)>,
    refreshing: bool,
}

type PublicKey = (i64, Option<i64>);

#[derive(Default)]
struct PublicCache(std::sync::Mutex<HashMap<PublicKey, PublicEntry>>);

/// The HXL hashtags of the 3W export, in column order, with their headers.
pub const EXPORT_COLUMNS: [(&str, &str); 14] = [
    ("Activity code", "#activity+code"),
    ("Activity", "#activity+name"),
    ("Organisation", "#org+name"),
    ("Sector", "#sector+name"),
    ("Track", "#sector+track"),
    ("Region P-code", "#adm1+code"),
    ("Region", "#adm1+name"),
    ("District P-code", "#adm2+code"),
    ("District", "#adm2+name"),
    ("Status", "#status"),
    ("Start", "#date+start"),
    ("End", "#date+end"),
    ("Places", "#targeted+num"),
    ("Attended", "#reached+num"),
];

/// The activities as a 3W CSV in the HXL convention, so that the map merges with
/// other coordinators' spreadsheets. `track_name` names a track.
pub fn three_w_csv(
    activities: &[super::Activity],
    places: &[Place],
    tz: &str,
    track_name: impl Fn(i64) -> String,
) -> String {
    use crate::export::csv_cell;
    let by_id: HashMap<i64, &Place> = places.iter().map(|p| (p.id, p)).collect();
    let now = crate::util::now();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(EXPORT_COLUMNS.iter().map(|c| c.0));
    let _ = w.write_record(EXPORT_COLUMNS.iter().map(|c| c.1));
    for a in activities {
        let mut chain: Vec<&Place> = Vec::new();
        let mut next = a.place_id;
        while let Some(id) = next {
            match by_id.get(&id) {
                Some(p) if chain.len() < 3 => {
                    chain.push(p);
                    next = p.parent_id;
                }
                _ => break,
            }
        }
        let at = |level: u8| chain.iter().find(|p| p.level == level);
        let status = if a.status == Status::Cancelled {
            "cancelled"
        } else if a.ends_at <= now {
            "completed"
        } else if a.starts_at <= now {
            "ongoing"
        } else {
            "planned"
        };
        let day = |t: i64| {
            super::unix_to_local(t, tz)
                .chars()
                .take(10)
                .collect::<String>()
        };
        let row = [
            a.code.clone(),
            csv_cell(&a.title),
            csv_cell(a.organiser().unwrap_or_default()),
            a.track.map(&track_name).unwrap_or_default(),
            a.track.map(|t| t.to_string()).unwrap_or_default(),
            at(1).map(|p| p.code.clone()).unwrap_or_default(),
            at(1).map(|p| csv_cell(&p.name)).unwrap_or_default(),
            at(2).map(|p| p.code.clone()).unwrap_or_default(),
            at(2).map(|p| csv_cell(&p.name)).unwrap_or_default(),
            status.to_string(),
            day(a.starts_at),
            day(a.ends_at),
            a.capacity.map(|c| c.to_string()).unwrap_or_default(),
            a.attended.map(|c| c.to_string()).unwrap_or_default(),
        ];
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
