//! Backups of the embedded database, and the checks a copy must pass before it may
//! replace anything. A backup never includes the key (the key file is backed up
//! apart); PostgreSQL installations use `pg_dump` (see docs/backup.md).

use std::path::Path;

use crate::audit::Verdict;
use crate::error::{Error, Result};
use crate::storage::{Backend, Db, KeyCheck};

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCopy {
    /// Entries of its audit log, all verified.
    pub audit_entries: i64,
}

impl Db {
    /// Writes a consistent copy of the embedded database to `out` while the server
    /// runs (SQLite's `VACUUM INTO`: one read transaction, so every write committed
    /// before it began is in the copy, and none half-written). `out` must not exist.
    pub async fn backup_to(&self, out: &Path) -> Result<()> {
        if self.backend() != Backend::Sqlite {
            return Err(Error::Internal(
                "a PostgreSQL database is backed up with pg_dump".into(),
            ));
        }
        if out.exists() {
            return Err(Error::Internal(format!(
                "{} exists already; a backup never overwrites a file",
                out.display()
            )));
        }
        let path = out
            .to_str()
            .ok_or_else(|| Error::Internal("the backup path is not valid text".into()))?;
        // VACUUM INTO takes the file name as a literal; quotes are doubled.
        let literal = path.replace('\'', "''");
        sqlx::query(&format!("VACUUM INTO '{literal}'"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Checks a copy opened with this handle before it replaces anything: the
    /// database file is intact (`PRAGMA integrity_check`), its migrations are
    /// applied, its audit chain verifies, and the key opens its sealed data.
    pub async fn check_copy(&self) -> Result<CheckedCopy> {
        if self.backend() == Backend::Sqlite {
            let row = sqlx::query("PRAGMA integrity_check")
                .fetch_one(&self.pool)
                .await?;
            let verdict: String = sqlx::Row::try_get(&row, 0)?;
            if verdict != "ok" {
                return Err(Error::Internal(format!("the copy is damaged: {verdict}")));
            }
        }
        self.migrate().await?;
        match self.key_check().await? {
            KeyCheck::Opens => {}
            KeyCheck::Unmarked { holds_data: false } => {}
            KeyCheck::Unmarked { holds_data: true } => {
                // A copy from before the check value existed: open one sealed value.
                self.open_any_sealed().await?;
            }
        }
        match self.audit_verify().await? {
            Verdict::Intact { entries, .. } => Ok(CheckedCopy {
                audit_entries: entries,
            }),
            Verdict::Broken { seq, reason } => Err(Error::Internal(format!(
                "the copy's audit log is broken at entry {seq}: {reason}"
            ))),
        }
    }

    /// Opens one sealed value (a staff user's TOTP secret or a contact's name), to
    /// prove the key fits data that predates the check value.
    async fn open_any_sealed(&self) -> Result<()> {
        let row = sqlx::query("SELECT name_enc FROM contact_details LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = row {
            let sealed: Vec<u8> = sqlx::Row::try_get(&row, "name_enc")?;
            self.keys
                .open("contact.name", &sealed)
                .map_err(|_| Error::KeyFile("the key does not open the copy's data".into()))?;
        }
        Ok(())
    }
}
