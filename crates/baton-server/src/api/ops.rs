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

/// Readiness, and this instance's part among several (see `crate::cluster`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: &'static str,
    /// Whether this instance does the work only one instance may do: routing, the event
    /// consumers and the timers. Exactly one instance on a database does.
    pub coordinating: bool,
}

/// The process can serve requests: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "ops", responses((status = 200, body = Readiness), (status = 503, body = Problem)))]
pub async fn readyz(State(state): State<SharedState>) -> ApiResult<(StatusCode, Json<Readiness>)> {
    match state.store.ping().await {
        Ok(()) => {
            let ready = Readiness { status: "ready", coordinating: state.cluster.coordinating() };
            Ok((StatusCode::OK, Json(ready)))
        }
        Err(error) => {
            tracing::warn!(?error, "readiness check failed");
            Err(ApiError::Unavailable { detail: "the database does not answer".into() })
        }
    }
}
