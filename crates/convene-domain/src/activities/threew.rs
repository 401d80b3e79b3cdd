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

use super::Status;
use crate::access::{visible, Scope};
use crate::error::Result;
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
        // Each place's parent, to find the row a place falls in.
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
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(now)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT a.place_id, COALESCE(d.track, 0) AS track,
                    CASE WHEN a.ends_at <= $2 THEN 0 WHEN a.starts_at <= $2 THEN 1 ELSE 2 END AS bucket,
                    CASE WHEN {rule} THEN 1 ELSE 0 END AS seen, COUNT(*) AS n
             FROM records r JOIN activity_plans a ON a.record_id = r.id
             LEFT JOIN activity_details d ON d.record_id = r.id
             WHERE r.kind = 'activity' AND a.space_id = $1 AND a.status <> 'cancelled' AND a.place_id IS NOT NULL
             GROUP BY 1, 2, 3, 4"
        );
        let groups = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        let mut visible_cells: HashMap<(usize, i64), Cell> = HashMap::new();
        let mut hidden: HashMap<(usize, i64), i64> = HashMap::new();
        for g in &groups {
            let Some(i) = row_of(int(g, "place_id")?) else {
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

    /// The districts (places of level 2 and below) whose concerns the viewer may
    /// read have no activity the viewer sees counted: (district, concerns).
    pub async fn districts_with_unmet_concerns(&self, scope: &Scope) -> Result<Vec<(Place, i64)>> {
        let all = self.all_places(scope).await?;
        let mut out = Vec::new();
        for region in all.iter().filter(|p| p.parent_id.is_none()) {
            let m = self.three_w(scope, Some(region)).await?;
            for r in m.rows {
                if r.concerns > 0 && r.empty() {
                    out.push((r.place, r.concerns));
                }
            }
        }
        Ok(out)
    }
}

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
