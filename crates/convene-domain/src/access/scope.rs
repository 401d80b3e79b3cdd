//! The viewer's scope in a space: which space, who, with which role, reading up to
//! which level. Only the spaces feature makes one (`Db::scope`), after checking
//! membership; every read and write of records takes one.

use crate::error::{Error, Result};
use crate::model::{Level, Role, Space, User};

#[derive(Debug, Clone)]
pub struct Scope {
    pub(crate) space: Space,
    pub(crate) viewer: Option<User>,
    pub(crate) role: Option<Role>,
    pub(crate) reads_up_to: Level,
}

impl Scope {
    pub fn space(&self) -> &Space {
        &self.space
    }
    pub fn role(&self) -> Option<Role> {
        self.role
    }
    pub fn viewer(&self) -> Option<&User> {
        self.viewer.as_ref()
    }
    pub fn viewer_id(&self) -> Option<i64> {
        self.viewer.as_ref().map(|u| u.id)
    }
    /// The widest level this viewer reads without being named on a record.
    pub fn reads_up_to(&self) -> Level {
        self.reads_up_to
    }
    pub fn is_organiser(&self) -> bool {
        self.role.map(Role::is_organiser).unwrap_or(false)
    }
    pub(crate) fn require(&self, allowed: impl Fn(Role) -> bool) -> Result<Role> {
        match self.role {
            Some(r) if allowed(r) => Ok(r),
            _ => Err(Error::Forbidden),
        }
    }
}
