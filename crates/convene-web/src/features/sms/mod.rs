//! SMS in the web app: the gateways' webhooks, the outbound sender, and the
//! organisers' page for a space's channels.

pub mod channels;
pub mod hooks;
pub mod send;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hooks/twilio/{key}", post(hooks::twilio_inbound))
        .route("/hooks/twilio/{key}/status", post(hooks::twilio_status))
        .route("/hooks/at/{key}/sms", post(hooks::at_inbound))
        .route("/hooks/at/{key}/delivery", post(hooks::at_delivery))
        .route("/hooks/at/{key}/optout", post(hooks::at_optout))
        .route("/hooks/at/{key}/ussd", post(hooks::at_ussd))
        .route("/hooks/kannel/{key}", get(hooks::kannel_inbound))
        .route("/hooks/kannel/{key}/dlr", get(hooks::kannel_dlr))
        .route("/s/{slug}/sms", get(channels::show).post(channels::create))
}
