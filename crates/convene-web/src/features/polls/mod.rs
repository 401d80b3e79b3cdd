//! Polling in the web app: its handlers beside their templates.

use axum::Router;

use crate::AppState;

pub mod coding;
pub mod results;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(results::routes())
        .merge(coding::routes())
}
