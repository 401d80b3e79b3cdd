//! Opinion mapping in the web app: its handlers beside their templates.

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
