//! Extractors that load what a handler of a space needs once, before the handler
//! runs: the viewer's context (cached for the request) and the viewer's scope in the
//! space named by the path's `{slug}`. A closed space is "not found" to
//! non-members here, as everywhere.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use convene_domain::access::Scope;

use crate::context::Ctx;
use crate::error::AppError;
use crate::AppState;

/// The viewer's scope in the space of the path's `{slug}`.
pub struct SpaceScope(pub Scope);

impl FromRequestParts<AppState> for SpaceScope {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let slug = params.get("slug").ok_or(AppError::NotFound)?;
        Ok(SpaceScope(state.db.scope(ctx.user.as_ref(), slug).await?))
    }
}
