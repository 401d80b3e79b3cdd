//! Polling in the web app: its handlers beside their templates.
//!
//! `builder`: the organisers' list, builder, XLSForm upload and settings;
//! `respond`: the web answering form at `/p/{slug}`; `admin`: respondents.

pub mod admin;
pub mod builder;
pub mod respond;

use axum::routing::{get, post};
use axum::Router;
use convene_domain::polls::Poll;
use convene_domain::spaces::Scope;

use crate::context::Ctx;
use crate::error::AppResult;
use crate::AppState;

pub mod coding;
pub mod results;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/polls", get(builder::list).post(builder::create))
        .route(
            "/s/{slug}/polls/import",
            get(builder::import_form).post(builder::import),
        )
        .route("/s/{slug}/polls/{id}", get(builder::show))
        .route("/s/{slug}/polls/{id}/questions", post(builder::questions))
        .route(
            "/s/{slug}/polls/{id}/settings",
            get(builder::settings_form).post(builder::settings),
        )
        .route("/s/{slug}/polls/{id}/invites", post(builder::invites))
        .route(
            "/s/{slug}/polls/{id}/invite-phones",
            post(builder::invite_phones),
        )
        .route("/s/{slug}/polls/{id}/respondents", get(admin::list))
        .route(
            "/s/{slug}/polls/{id}/respondents/delete",
            post(admin::delete_one),
        )
        .route(
            "/s/{slug}/polls/{id}/respondents/delete-phone",
            post(admin::delete_by_phone),
        )
        .route("/p/{poll}", get(respond::show).post(respond::answer))
        .route("/p/{poll}/start", post(respond::start))
        .route("/p/{poll}/back", post(respond::back))
        .merge(results::routes())
        .merge(coding::routes())
}

/// The scope and the poll, or 404 when the viewer may not see it.
pub async fn load(state: &AppState, ctx: &Ctx, slug: &str, id: i64) -> AppResult<(Scope, Poll)> {
    let scope = state.db.scope(ctx.user.as_ref(), slug).await?;
    let poll = state.db.poll(&scope, id).await?;
    Ok((scope, poll))
}

/// Unix seconds from a `YYYY-MM-DD` date (midnight UTC).
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let mut it = s.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if s.len() != 10
        || !(1970..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

/// `YYYY-MM-DD` of Unix seconds, for a date input.
pub fn date_value(t: Option<i64>) -> String {
    t.map(|t| crate::context::format_date(t).chars().take(10).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-03-01"), Some(1_772_323_200));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("tomorrow"), None);
        assert_eq!(parse_date(""), None);
    }

    proptest! {
        #[test]
        fn date_round_trips(days in 0i64..2_900_000) {
            let t = days * 86_400;
            prop_assert_eq!(parse_date(&date_value(Some(t))), Some(t));
        }
    }
}
