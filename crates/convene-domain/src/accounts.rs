//! Staff accounts, sessions, second factor and rate limits.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::audit::{AuditAction, Event};
use crate::error::{Error, Result};
use crate::model::User;
use crate::storage::{int, opt_blob, text, Db};
use crate::util::{now, random_bytes, random_token, sha256_hex};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT_SECS: i64 = 60 * 60;
/// A session ends this long after login, whatever happens.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// A half-finished login (password given, second factor awaited) lasts this long.
pub const TOTP_STAGE_SECS: i64 = 5 * 60;
/// Login attempts allowed per account in a window.
pub const LOGIN_LIMIT_PER_ACCOUNT: i64 = 10;
/// Login attempts allowed per client address in a window.
pub const LOGIN_LIMIT_PER_ADDRESS: i64 = 50;
/// Context of the keyed hashes of recovery codes.
const RECOVERY_CTX: &str = "recovery_code";
/// Context of the keyed hashes in rate-limit buckets (addresses, e-mail addresses).
const RATE_CTX: &str = "rate_limit";
/// The rate-limit window for logins.
pub const LOGIN_WINDOW_SECS: i64 = 15 * 60;

/// Whether a session is fully logged in or waits for the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Full,
    Totp,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Totp => "totp",
        }
    }
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub stage: Stage,
    pub user: User,
}

/// The result of checking a password.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Logged in; the new session token.
    Success { token: String, user: User },
    /// Password right; the second factor is needed. A session in the TOTP stage.
    NeedsTotp { token: String },
    /// Wrong e-mail or password (the same answer for both).
    Failed,
}

/// The secret and URI shown while setting up a second factor.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    pub secret_base32: String,
    pub otpauth_uri: String,
}

fn argon() -> Argon2<'static> {
    Argon2::default()
}

fn hash_password_blocking(password: &str) -> Result<String> {
    let salt_bytes = random_bytes(16)?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|_| Error::Crypto("salt"))?;
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Error::Crypto("password hashing failed"))
}

fn verify_password_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing task: {e}")))?
}

async fn verify_password(password: String, hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || verify_password_blocking(&password, &hash))
        .await
        .map_err(|e| Error::Internal(format!("verify task: {e}")))
}

/// A hash to verify against when the account does not exist, so that a missing
/// account costs the same time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_password_blocking("not-a-real-password-0000").unwrap_or_else(|_| {
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000"
                .to_string()
        })
    })
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn validate_email(email: &str) -> Result<()> {
    let ok = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email
            .split_once('@')
            .map(|(a, b)| {
                !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.')
            })
            .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("email", "error-email"))
    }
}

pub fn validate_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if !(10..=200).contains(&n) {
        return Err(Error::invalid("password", "error-password-length"));
    }
    Ok(())
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User> {
    Ok(User {
        id: int(row, "id")?,
        email: text(row, "email")?,
        display_name: text(row, "display_name")?,
        is_admin: int(row, "is_admin")? != 0,
        totp_enabled: int(row, "totp_enabled")? != 0,
    })
}

const USER_COLS: &str = "u.id, u.email, u.display_name, u.is_admin, u.totp_enabled";

fn totp_for(secret: Vec<u8>, email: &str) -> Result<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some("Convene".into()),
        email.to_string(),
    )
    .map_err(|_| Error::Crypto("totp secret"))
}

impl Db {
    /// Creates a staff account.
    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        is_admin: bool,
    ) -> Result<User> {
        let email = normalise_email(email);
        let mut problems = Vec::new();
        if let Err(Error::Invalid(mut v)) = validate_email(&email) {
            problems.append(&mut v);
        }
        if let Err(Error::Invalid(mut v)) = validate_password(password) {
            problems.append(&mut v);
        }
        let display_name = display_name.trim();
        if display_name.is_empty() || display_name.chars().count() > 100 {
            problems.push(crate::error::Invalid {
                field: "display_name",
                key: "error-required",
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let hash = hash_password(password.to_string()).await?;
        let res = sqlx::query(
            "INSERT INTO users (email, display_name, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&email)
        .bind(display_name)
        .bind(&hash)
        .bind(is_admin as i64)
        .bind(now())
        .fetch_one(&self.pool)
        .await;
        match res {
            Ok(row) => Ok(User {
                id: int(&row, "id")?,
                email,
                display_name: display_name.to_string(),
                is_admin,
                totp_enabled: false,
            }),
            Err(e) if crate::storage::is_unique_violation(&e) => Err(Error::Conflict("email")),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM users u WHERE u.email = $1"
        ))
        .bind(normalise_email(email))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Counts one hit in a fixed window; true while the count stays within `limit`.
    pub async fn rate_limit_hit(&self, bucket: &str, window_secs: i64, limit: i64) -> Result<bool> {
        let window_start = now() / window_secs * window_secs;
        let row = sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
             RETURNING hits",
        )
        .bind(bucket)
        .bind(window_start)
        .fetch_one(&self.pool)
        .await?;
        Ok(int(&row, "hits")? <= limit)
    }

    /// Checks a password. Rate-limited per account and per client address; the answer
    /// never tells whether the account exists.
    pub async fn login(&self, email: &str, password: &str, client: &str) -> Result<LoginOutcome> {
        let email = normalise_email(email);
        let by_account = self
            .rate_limit_hit(
                &format!("login:acct:{}", self.keys.lookup_hash(RATE_CTX, &email)?),
                LOGIN_WINDOW_SECS,
                LOGIN_LIMIT_PER_ACCOUNT,
            )
            .await?;
        let by_address = self
            .rate_limit_hit(
                &format!("login:addr:{}", self.keys.lookup_hash(RATE_CTX, client)?),
                LOGIN_WINDOW_SECS,
                LOGIN_LIMIT_PER_ADDRESS,
            )
            .await?;
        if !by_account || !by_address {
            self.audit(Event {
                space_id: None,
                user_id: None,
                action: AuditAction::LoginRateLimited,
                target: String::new(),
                detail: String::new(),
            })
            .await?;
            return Err(Error::RateLimited);
        }
        let row = sqlx::query(&format!(
            "SELECT {USER_COLS}, u.password_hash FROM users u WHERE u.email = $1"
        ))
        .bind(&email)
        .fetch_optional(&self.pool)
        .await?;
        let (user, hash) = match &row {
            Some(r) => (Some(user_from_row(r)?), text(r, "password_hash")?),
            None => (None, dummy_hash().to_string()),
        };
        let ok = verify_password(password.to_string(), hash).await?;
        match (user, ok) {
            (Some(user), true) => {
                if user.totp_enabled {
                    let token = self.create_session(user.id, Stage::Totp).await?;
                    Ok(LoginOutcome::NeedsTotp { token })
                } else {
                    let token = self.create_session(user.id, Stage::Full).await?;
                    self.audit(Event {
                        space_id: None,
                        user_id: Some(user.id),
                        action: AuditAction::Login,
                        target: format!("user:{}", user.id),
                        detail: String::new(),
                    })
                    .await?;
                    Ok(LoginOutcome::Success { token, user })
                }
            }
            (user, _) => {
                self.audit(Event {
                    space_id: None,
                    user_id: None,
                    action: AuditAction::LoginFailed,
                    target: user
                        .map(|u| format!("user:{}", u.id))
                        .unwrap_or_else(|| "unknown-account".into()),
                    detail: String::new(),
                })
                .await?;
                Ok(LoginOutcome::Failed)
            }
        }
    }

    async fn create_session(&self, user_id: i64, stage: Stage) -> Result<String> {
        let token = random_token(32)?;
        let t = now();
        let expires = match stage {
            Stage::Full => t + ABSOLUTE_TIMEOUT_SECS,
            Stage::Totp => t + TOTP_STAGE_SECS,
        };
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, stage, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(sha256_hex(&token))
        .bind(user_id)
        .bind(stage.as_str())
        .bind(t)
        .bind(expires)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The session behind a token, if it is live; refreshes its idle timer.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let t = now();
        let row = sqlx::query(&format!(
            "SELECT s.id AS sid, s.stage, s.last_seen_at, s.expires_at, {USER_COLS}
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
        ))
        .bind(sha256_hex(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let sid = int(&row, "sid")?;
        let last_seen = int(&row, "last_seen_at")?;
        let expires = int(&row, "expires_at")?;
        if t >= expires || t - last_seen >= IDLE_TIMEOUT_SECS {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(sid)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        }
        if t - last_seen >= 30 {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                .bind(t)
                .bind(sid)
                .execute(&self.pool)
                .await?;
        }
        let stage = if text(&row, "stage")? == "totp" {
            Stage::Totp
        } else {
            Stage::Full
        };
        Ok(Some(Session {
            id: sid,
            stage,
            user: user_from_row(&row)?,
        }))
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of a user.
    pub async fn logout_everywhere(&self, user_id: i64) -> Result<u64> {
        let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        self.audit(Event {
            space_id: None,
            user_id: Some(user_id),
            action: AuditAction::LogoutEverywhere,
            target: format!("user:{user_id}"),
            detail: format!("{n} sessions"),
        })
        .await?;
        Ok(n)
    }

    /// Starts setting up TOTP: stores a new (not yet enabled) secret. Refused
    /// (`Conflict`) while the second factor is on: a new device replaces the old
    /// one only after [`Db::totp_disable`], which asks for the password and a code.
    pub async fn totp_begin(&self, user: &User) -> Result<TotpSetup> {
        let on = sqlx::query("SELECT totp_enabled FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?;
        if int(&on, "totp_enabled")? != 0 {
            return Err(Error::Conflict("totp"));
        }
        let secret = random_bytes(20)?;
        let totp = totp_for(secret.clone(), &user.email)?;
        let sealed = self.keys.seal("user.totp", &hex::encode(&secret))?;
        sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled = 0 WHERE id = $2")
            .bind(sealed)
            .bind(user.id)
            .execute(&self.pool)
            .await?;
        Ok(TotpSetup {
            secret_base32: Secret::Raw(secret).to_encoded().to_string(),
            otpauth_uri: totp.get_url(),
        })
    }

    async fn check_totp_code(&self, user_id: i64, email: &str, code: &str) -> Result<bool> {
        let row = sqlx::query("SELECT totp_secret, totp_last_step FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        let Some(sealed) = opt_blob(&row, "totp_secret")? else {
            return Ok(false);
        };
        let last_step = int(&row, "totp_last_step")?;
        let secret = hex::decode(self.keys.open("user.totp", &sealed)?)
            .map_err(|_| Error::Crypto("totp secret"))?;
        let totp = totp_for(secret, email)?;
        let code = code.trim();
        let t = now().max(0) as u64;
        for step_t in [t.saturating_sub(30), t, t + 30] {
            let step = (step_t / 30) as i64;
            if step > last_step && subtle_eq(&totp.generate(step_t), code) {
                // Each time step is accepted once: a replayed code fails.
                let updated = sqlx::query(
                    "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
                )
                .bind(step)
                .bind(user_id)
                .execute(&self.pool)
                .await?
                .rows_affected();
                return Ok(updated == 1);
            }
        }
        Ok(false)
    }

    /// Confirms the setup with a first code; enables TOTP and returns recovery codes.
    pub async fn totp_confirm(&self, user: &User, code: &str) -> Result<Option<Vec<String>>> {
        if !self.check_totp_code(user.id, &user.email, code).await? {
            return Ok(None);
        }
        let mut codes = Vec::new();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        for _ in 0..10 {
            let raw = hex::encode(random_bytes(5)?);
            let code = format!("{}-{}", &raw[..5], &raw[5..]);
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user.id)
                .bind(self.keys.lookup_hash(RECOVERY_CTX, &code)?)
                .execute(&mut *tx)
                .await?;
            codes.push(code);
        }
        sqlx::query("UPDATE users SET totp_enabled = 1 WHERE id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(&mut tx, Event::account(user.id, AuditAction::TotpEnabled))
            .await?;
        tx.commit().await?;
        Ok(Some(codes))
    }

    /// Marks an unused recovery code of the user as used; whether there was one.
    /// Codes are stored as keyed hashes (a 40-bit code hashed without a key could
    /// be found from a stolen database); codes made before keying was introduced
    /// are still accepted by their plain SHA-256.
    async fn use_recovery_code(&self, user_id: i64, code: &str) -> Result<bool> {
        let code = code.trim();
        let used = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1
             WHERE user_id = $2 AND code_hash IN ($3, $4) AND used_at IS NULL",
        )
        .bind(now())
        .bind(user_id)
        .bind(self.keys.lookup_hash(RECOVERY_CTX, code)?)
        .bind(sha256_hex(code))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(used >= 1)
    }

    /// Switches the second factor off: needs the account's password and a current
    /// code (a TOTP code, or an unused recovery code); refused while the user
    /// organises a space that requires a second factor. The secret and every
    /// recovery code are deleted; audited.
    pub async fn totp_disable(&self, user: &User, password: &str, code: &str) -> Result<()> {
        if !self
            .rate_limit_hit(
                &format!("totp-off:acct:{}", user.id),
                LOGIN_WINDOW_SECS,
                LOGIN_LIMIT_PER_ACCOUNT,
            )
            .await?
        {
            return Err(Error::RateLimited);
        }
        let required = sqlx::query(
            "SELECT COUNT(*) AS n FROM memberships m JOIN spaces s ON s.id = m.space_id
             WHERE m.user_id = $1 AND s.require_totp = 1 AND m.role IN ('owner', 'organiser')",
        )
        .bind(user.id)
        .fetch_one(&self.pool)
        .await?;
        if int(&required, "n")? > 0 {
            return Err(Error::invalid("code", "error-totp-required-by-space"));
        }
        let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?;
        if !verify_password(password.to_string(), text(&row, "password_hash")?).await? {
            return Err(Error::invalid("password", "error-password-wrong"));
        }
        let code_ok = self.check_totp_code(user.id, &user.email, code).await?
            || self.use_recovery_code(user.id, code).await?;
        if !code_ok {
            return Err(Error::invalid("code", "error-code"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled = 0 WHERE id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(&mut tx, Event::account(user.id, AuditAction::TotpDisabled))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Completes a login waiting for the second factor (a TOTP code or a recovery
    /// code). On success the half-session is replaced by a new full one.
    pub async fn login_second_factor(
        &self,
        token: &str,
        code: &str,
        client: &str,
    ) -> Result<Option<(String, User)>> {
        let Some(session) = self.session(token).await? else {
            return Ok(None);
        };
        if session.stage != Stage::Totp {
            return Ok(None);
        }
        let user = session.user;
        if !self
            .rate_limit_hit(
                &format!("totp:acct:{}", user.id),
                LOGIN_WINDOW_SECS,
                LOGIN_LIMIT_PER_ACCOUNT,
            )
            .await?
            || !self
                .rate_limit_hit(
                    &format!("login:addr:{}", self.keys.lookup_hash(RATE_CTX, client)?),
                    LOGIN_WINDOW_SECS,
                    LOGIN_LIMIT_PER_ADDRESS,
                )
                .await?
        {
            return Err(Error::RateLimited);
        }
        let mut ok = self.check_totp_code(user.id, &user.email, code).await?;
        let mut via = "totp";
        if !ok {
            ok = self.use_recovery_code(user.id, code).await?;
            via = "recovery-code";
        }
        if !ok {
            self.audit(Event {
                space_id: None,
                user_id: None,
                action: AuditAction::LoginFailed,
                target: format!("user:{}", user.id),
                detail: "second factor".into(),
            })
            .await?;
            return Ok(None);
        }
        self.logout(token).await?;
        let new_token = self.create_session(user.id, Stage::Full).await?;
        self.audit(Event {
            space_id: None,
            user_id: Some(user.id),
            action: AuditAction::Login,
            target: format!("user:{}", user.id),
            detail: via.into(),
        })
        .await?;
        Ok(Some((new_token, user)))
    }

    /// Removes expired sessions and old rate-limit windows.
    pub async fn cleanup_expired(&self) -> Result<u64> {
        let t = now();
        let a = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(t)
            .bind(t - IDLE_TIMEOUT_SECS)
            .execute(&self.pool)
            .await?
            .rows_affected();
        let b = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(t - 24 * 3600)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(a + b)
    }

    /// Current TOTP code for a user; used by tests and the demo's documentation.
    pub async fn totp_current_code(&self, user: &User) -> Result<Option<String>> {
        let row = sqlx::query("SELECT totp_secret FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?;
        let Some(sealed) = opt_blob(&row, "totp_secret")? else {
            return Ok(None);
        };
        let secret = hex::decode(self.keys.open("user.totp", &sealed)?)
            .map_err(|_| Error::Crypto("totp secret"))?;
        Ok(Some(
            totp_for(secret, &user.email)?.generate(now().max(0) as u64),
        ))
    }
}

fn subtle_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
