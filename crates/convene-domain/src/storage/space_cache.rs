//! A short-lived per-space cache of what a hot path reads through the visibility
//! rule (the polls and conversations an inbound text may reach), shared by the
//! clones of a [`Db`](super::Db). Entries live for [`TTL_MS`]; a change in this
//! process forgets its space's entry at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How long an entry is reused before it is read again, in milliseconds.
pub const TTL_MS: u128 = 1000;

/// Values of type `T` per space id, with the time they were read.
pub struct SpaceCache<T>(Mutex<HashMap<i64, (Instant, Arc<T>)>>);

impl<T> Default for SpaceCache<T> {
    fn default() -> Self {
        SpaceCache(Mutex::new(HashMap::new()))
    }
}

impl<T> SpaceCache<T> {
    /// The space's value if it was read less than [`TTL_MS`] ago.
    pub fn fresh(&self, space_id: i64) -> Option<Arc<T>> {
        let map = self.0.lock().ok()?;
        map.get(&space_id)
            .filter(|(at, _)| at.elapsed().as_millis() < TTL_MS)
            .map(|(_, v)| v.clone())
    }

    /// Keeps a value just read.
    pub fn put(&self, space_id: i64, value: Arc<T>) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(space_id, (Instant::now(), value));
        }
    }

    /// Forgets the space's value.
    pub fn forget(&self, space_id: i64) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&space_id);
        }
    }
}
