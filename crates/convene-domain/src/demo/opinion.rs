//! Demo data of opinion mapping.

use crate::error::Result;
use crate::model::User;
use crate::Db;

/// Seeds this part's demo data. `users` are the demo users, in the order of
/// [`super::DEMO_USERS`].
pub(crate) async fn seed(_db: &Db, _users: &[User]) -> Result<()> {
    Ok(())
}
