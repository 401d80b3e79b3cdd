//! The features of the web app, each a module with its handlers and templates.

pub mod account;
pub mod actions;
pub mod activities;
pub mod actors;
pub mod agenda;
pub mod agreements;
pub mod api;
pub mod assets;
pub mod auth;
pub mod campaign;
pub mod dialogues;
pub mod forms;
pub mod health;
pub mod home;
pub mod invitations;
pub mod opinion;
pub mod organisations;
pub mod places;
pub mod polls;
pub mod records;
pub mod sms;
pub mod spaces;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(activities::routes())
        .merge(actors::routes())
        .merge(actions::routes())
        .merge(agenda::routes())
        .merge(agreements::routes())
        .merge(campaign::routes())
        .merge(dialogues::routes())
        .merge(invitations::routes())
        .merge(opinion::routes())
        .merge(places::routes())
        .merge(organisations::routes())
        .merge(polls::routes())
        .merge(sms::routes())
        .route("/", get(home::index))
        .route("/healthz", get(health::healthz))
        .route("/assets/app.css", get(assets::css))
        .route("/assets/app.js", get(assets::js))
        .route("/lang/{code}", get(home::set_lang))
        .route("/light/{mode}", get(home::set_light))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/login/totp", get(auth::totp_form).post(auth::totp))
        .route("/logout", post(auth::logout))
        .route("/account", get(account::show))
        .route(
            "/account/logout-everywhere",
            post(account::logout_everywhere),
        )
        .route("/account/totp", post(account::totp_begin))
        .route("/account/totp/confirm", post(account::totp_confirm))
        .route("/account/totp/disable", post(account::totp_disable))
        .route(
            "/spaces/new",
            get(home::new_space_form).post(home::create_space),
        )
        .route("/s/{slug}", get(spaces::show))
        .route("/s/{slug}/search", get(records::search))
        .route(
            "/s/{slug}/members",
            get(spaces::members).post(spaces::set_member),
        )
        .route("/s/{slug}/audit", get(spaces::audit))
        .route(
            "/s/{slug}/settings",
            get(spaces::settings).post(spaces::save_settings),
        )
        .route("/s/{slug}/{kind}", get(records::list))
        .route(
            "/s/{slug}/{kind}/new",
            get(records::new_form).post(records::create),
        )
        .route("/s/{slug}/{kind}/export.csv", get(records::export_csv))
        .route("/s/{slug}/{kind}/{id}", get(records::show))
        .route("/s/{slug}/{kind}/{id}/level", post(records::set_level))
        .route("/api/v1/s/{slug}/{kind}", get(api::list))
        .route("/api/v1/s/{slug}/{kind}/{id}", get(api::show))
}
