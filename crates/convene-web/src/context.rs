//! The per-request context every page gets: language, logged-in user, CSRF token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use convene_domain::accounts::Stage;
use convene_domain::model::User;

use crate::error::AppError;
use crate::i18n::{catalog, Lang};
use crate::AppState;

pub const SESSION_COOKIE: &str = "convene_session";
pub const ANON_COOKIE: &str = "convene_csrf";
pub const LANG_COOKIE: &str = "convene_lang";
/// The visitor's low-bandwidth setting: `1` shows small previews and links instead
/// of images.
pub const LIGHT_COOKIE: &str = "convene_light";

/// An anonymous visitor's CSRF binding generated for this request (set by the
/// CSRF middleware when the visitor had none yet).
#[derive(Clone, Debug)]
pub struct AnonId(pub String);

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::from_accept_language)
                .unwrap_or(Lang::En)
        })
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<User>,
    pub session_token: Option<String>,
    /// Password given, second factor awaited.
    pub pending_totp: bool,
    pub csrf: String,
    /// Path and query of this request, for "come back here" links.
    pub here: String,
    /// Low-bandwidth mode: previews and links instead of images.
    pub light: bool,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        catalog().get(self.lang, key, &[])
    }

    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        catalog().get(self.lang, key, &[(name, value.to_string())])
    }

    pub fn dir(&self) -> &'static str {
        self.lang.dir()
    }

    pub fn langs(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == self.lang))
            .collect()
    }

    pub fn here_encoded(&self) -> String {
        serde_urlencoded::to_string([("next", self.here.as_str())]).unwrap_or_default()
    }

    pub fn user_name(&self) -> String {
        self.user
            .as_ref()
            .map(|u| u.display_name.clone())
            .unwrap_or_default()
    }

    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::NotFound)
    }

    pub fn date(&self, unix: &i64) -> String {
        format_date(*unix)
    }
}

/// `YYYY-MM-DD HH:MM` UTC from Unix seconds.
pub fn format_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// The CSRF token for a binding (session cookie or anonymous cookie).
pub fn csrf_for(state: &AppState, binding: &str) -> String {
    state.db.keys().csrf_mac(binding).unwrap_or_default()
}

/// The CSRF token as written into a page: a fresh random pad, then the token XORed
/// with it (hex). Each response carries different bytes, so that a compressed page
/// reveals nothing about the token by its length (BREACH).
pub fn masked_csrf(token: &str) -> String {
    let Ok(raw) = hex::decode(token) else {
        return token.to_string();
    };
    let Ok(pad) = convene_domain::util::random_bytes(raw.len()) else {
        return token.to_string();
    };
    let masked: Vec<u8> = raw.iter().zip(&pad).map(|(a, b)| a ^ b).collect();
    format!("{}{}", hex::encode(pad), hex::encode(masked))
}

/// The token inside a masked one (or the token itself, unmasked).
pub fn unmask_csrf(given: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(given).ok()?;
    if bytes.len() == 64 {
        let (pad, masked) = bytes.split_at(32);
        Some(pad.iter().zip(masked).map(|(a, b)| a ^ b).collect())
    } else {
        Some(bytes)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Made once per request (it reads the session), then reused.
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let headers = &parts.headers;
        let lang = lang_of(headers);
        let token = cookie(headers, SESSION_COOKIE);
        let mut user = None;
        let mut pending_totp = false;
        if let Some(t) = &token {
            if let Some(s) = state.db.session(t).await? {
                match s.stage {
                    Stage::Full => user = Some(s.user),
                    Stage::Totp => pending_totp = true,
                }
            }
        }
        let binding = match &token {
            Some(t) => format!("s:{t}"),
            None => {
                let anon = parts
                    .extensions
                    .get::<AnonId>()
                    .map(|a| a.0.clone())
                    .or_else(|| cookie(headers, ANON_COOKIE))
                    .unwrap_or_default();
                format!("a:{anon}")
            }
        };
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let ctx = Ctx {
            lang,
            user,
            session_token: token,
            pending_totp,
            csrf: masked_csrf(&csrf_for(state, &binding)),
            here,
            light: cookie(headers, LIGHT_COOKIE).as_deref() == Some("1"),
        };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}
