//! Liveness, readiness and the API description.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, Problem};
use crate::state::SharedState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The process can serve requests: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "ops", responses((status = 200, body = Health), (status = 503, body = Problem)))]
pub async fn readyz(State(state): State<SharedState>) -> ApiResult<(StatusCode, Json<Health>)> {
    match state.store.ping().await {
        Ok(()) => Ok((StatusCode::OK, Json(Health { status: "ready" }))),
        Err(error) => {
            tracing::warn!(?error, "readiness check failed");
            Err(ApiError::Unavailable { detail: "the database does not answer".into() })
        }
    }
}
