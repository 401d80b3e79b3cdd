//! Middleware applied to every request: security headers, CSRF and Origin checks,
//! and rendering of error pages in the visitor's language.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http_body_util::BodyExt;

use crate::context::{cookie, csrf_for, lang_of, AnonId, ANON_COOKIE, SESSION_COOKIE};
use crate::i18n::catalog;
use crate::AppState;

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; font-src 'self'; \
connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Security headers on every response.
pub async fn headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    // A photo says itself whether caches may keep it (public and published) or not.
    let is_media = req.uri().path().contains("/photos/") || req.uri().path().contains("/videos/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    // Same origin, unless the handler chose otherwise (only the embeddable
    // counter image does).
    if !h.contains_key("cross-origin-resource-policy") {
        h.insert(
            "cross-origin-resource-policy",
            HeaderValue::from_static("same-origin"),
        );
    }
    if is_asset {
        // A versioned asset (e.g. a vendored library) sets its own longer caching.
        if !h.contains_key(header::CACHE_CONTROL) {
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
        }
    } else if !(is_media && h.contains_key(header::CACHE_CONTROL)) {
        // Pages may show personal data: never store them in any cache.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
) -> HeaderValue {
    let mut c = cookie::Cookie::build((name.to_string(), value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(state.cfg.secure_cookies);
    if let Some(age) = max_age_secs {
        c = c.max_age(cookie::time::Duration::seconds(age));
    }
    HeaderValue::from_str(&c.build().to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn forbidden() -> Response {
    StatusCode::FORBIDDEN.into_response()
}

/// Origin check and CSRF token check on every state-changing request. The token is
/// an HMAC of the session cookie (or, before login, of an anonymous cookie), sent
/// as the `_csrf` form field, the `_csrf` query parameter or the `X-CSRF-Token` header.
pub async fn csrf_guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Gateways' webhooks are machine requests authenticated by their own key and
    // signature (features/sms/hooks.rs); they carry no cookies.
    if is_gateway_hook(req.uri().path()) {
        return next.run(req).await;
    }
    let session = cookie(req.headers(), SESSION_COOKIE);
    let mut new_anon = None;
    if session.is_none() && cookie(req.headers(), ANON_COOKIE).is_none() {
        let v = convene_domain::util::random_token(16).unwrap_or_default();
        req.extensions_mut().insert(AnonId(v.clone()));
        new_anon = Some(v);
    }
    if is_state_changing(req.method()) {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            let origin = origin.to_str().unwrap_or("null");
            let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
            if origin_host.is_empty() || origin_host != host {
                tracing::warn!("cross-origin form post refused");
                return forbidden();
            }
        }
        let binding = match (&session, cookie(req.headers(), ANON_COOKIE)) {
            (Some(s), _) => format!("s:{s}"),
            (None, Some(a)) => format!("a:{a}"),
            (None, None) => return forbidden(),
        };
        let expected = csrf_for(&state, &binding);
        let mut given = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if given.is_none() {
            given = req.uri().query().and_then(|q| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                    .ok()
                    .and_then(|v| v.into_iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v))
            });
        }
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.starts_with("application/x-www-form-urlencoded"))
            .unwrap_or(false);
        if given.is_none() && is_form {
            let (parts, body) = req.into_parts();
            let bytes = match body.collect().await {
                Ok(b) => b.to_bytes(),
                Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            };
            given = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|v| v.into_iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v));
            req = Request::from_parts(parts, Body::from(bytes));
        }
        let ok = match (
            given.as_deref().and_then(crate::context::unmask_csrf),
            hex::decode(&expected),
        ) {
            (Some(g), Ok(e)) => {
                bool::from(subtle::ConstantTimeEq::ct_eq(g.as_slice(), e.as_slice()))
            }
            _ => false,
        };
        if !ok {
            tracing::warn!("form post without a valid CSRF token refused");
            return forbidden();
        }
    }
    let mut res = next.run(req).await;
    if let Some(v) = new_anon {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, ANON_COOKIE, &v, None),
        );
    }
    res
}

#[derive(Template)]
#[template(path = "layout/error.html")]
struct ErrorPage {
    lang: &'static str,
    dir: &'static str,
    title: String,
    message: String,
    home: String,
}

/// Any error response that is not already a page becomes a translated error page.
/// Addresses called by SMS gateways rather than browsers.
pub fn is_gateway_hook(path: &str) -> bool {
    path.starts_with("/hooks/")
}

pub async fn error_pages(req: Request, next: Next) -> Response {
    if is_gateway_hook(req.uri().path()) {
        return next.run(req).await;
    }
    let lang = lang_of(req.headers());
    let res = next.run(req).await;
    let status = res.status();
    // 416 answers a media player's range request, not a person.
    if status.as_u16() < 400 || status == StatusCode::RANGE_NOT_SATISFIABLE {
        return res;
    }
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.starts_with("text/html"))
        .unwrap_or(false);
    if is_html {
        return res;
    }
    let key = match status.as_u16() {
        400 | 422 => "error-400",
        403 => "error-403",
        404 | 405 => "error-404",
        413 => "error-413",
        415 => "error-400",
        429 => "error-429",
        _ => "error-500",
    };
    let c = catalog();
    let page = ErrorPage {
        lang: lang.code(),
        dir: lang.dir(),
        title: c.get(lang, "error-title", &[]),
        message: c.get(lang, key, &[]),
        home: c.get(lang, "nav-home", &[]),
    };
    let status = if status == StatusCode::UNPROCESSABLE_ENTITY
        || status == StatusCode::UNSUPPORTED_MEDIA_TYPE
    {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    match page.render() {
        Ok(html) => {
            let mut out = (status, Html(html)).into_response();
            for (k, v) in res.headers() {
                if k == header::SET_COOKIE {
                    out.headers_mut().append(k, v.clone());
                }
            }
            out
        }
        Err(_) => status.into_response(),
    }
}

/// Whether a request uploads media (a photo), which may be larger than other bodies.
pub fn is_media_upload(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path.starts_with("/s/")
        && (path.ends_with("/photos") || path.ends_with("/videos"))
}

/// The body limit of every request: bodies declared larger are refused before a
/// byte of them is read, and bodies that grow past it are cut off. Media uploads
/// have their own, larger limit, and say what it is.
pub async fn body_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The larger limits are for multipart uploads by someone signed in (organisers
    // add media; the handler checks the role): an anonymous request, or a form body
    // the CSRF check would read whole, keeps the ordinary limit.
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    // A report on a call to action may carry a phone's photo, from someone who
    // has no account: its personal link (`r=`) is checked before the body is read.
    let report = req.method() == Method::POST
        && req.uri().path().starts_with("/s/")
        && req.uri().path().ends_with("/report")
        && req.uri().query().is_some_and(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .is_ok_and(|v| v.iter().any(|(k, v)| k == "r" && !v.is_empty()))
        });
    let media = (is_media_upload(req.method(), req.uri().path())
        && cookie(req.headers(), SESSION_COOKIE).is_some()
        || report)
        && multipart;
    let video = media && (req.uri().path().ends_with("/videos") || report);
    let limit = if video {
        state
            .cfg
            .media_limit
            .max(convene_domain::media::video::MAX_UPLOAD as usize)
    } else if media {
        state.cfg.media_limit
    } else {
        state.cfg.body_limit
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        if !media {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        }
        let lang = lang_of(req.headers());
        let c = catalog();
        let page = ErrorPage {
            lang: lang.code(),
            dir: lang.dir(),
            title: c.get(lang, "error-title", &[]),
            message: c.get(
                lang,
                if video {
                    "media-error-video-size"
                } else {
                    "media-error-upload-size"
                },
                &[("mb", (limit / (1024 * 1024)).to_string())],
            ),
            home: c.get(lang, "nav-home", &[]),
        };
        return match page.render() {
            Ok(html) => (StatusCode::PAYLOAD_TOO_LARGE, Html(html)).into_response(),
            Err(_) => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        };
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}
