//! Webhook endpoints and their deliveries, for admins. See `crate::webhooks` for what is sent.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_core::ids::{DeliveryId, WebhookId};
use baton_core::time::Timestamp;
use baton_core::webhook::{DeliveryStatus, EndpointHealth};
use baton_store::{Delivery, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Admin;
use crate::error::{ApiJson, ApiPath, ApiQuery, ApiResult, Problem};
use crate::service::webhooks::{self, EndpointForm};
use crate::state::SharedState;

/// An endpoint as admins read it; the secret is shown only when it is made.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: WebhookId,
    pub url: String,
    pub description: String,
    /// Event names, or `["*"]` for every event.
    pub events: Vec<String>,
    pub enabled: bool,
    /// `failing` once a delivery was given up, until one succeeds.
    pub status: EndpointHealth,
    /// Unix milliseconds.
    #[schema(value_type = i64)]
    pub created_at: Timestamp,
}

impl From<WebhookEndpoint> for WebhookView {
    fn from(endpoint: WebhookEndpoint) -> Self {
        Self {
            id: endpoint.id,
            url: endpoint.url,
            description: endpoint.description,
            events: endpoint.events.names().to_vec(),
            enabled: endpoint.enabled,
            status: endpoint.health,
            created_at: endpoint.created_at,
        }
    }
}

/// An endpoint with its signing secret: the answer to creating it or rotating the secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_` + base64: verify each delivery's `webhook-signature` with it. Shown only now.
    pub secret: String,
}

impl From<WebhookEndpoint> for WebhookWithSecret {
    fn from(endpoint: WebhookEndpoint) -> Self {
        let secret = endpoint.secret.clone();
        Self { webhook: endpoint.into(), secret }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookForm {
    /// Where deliveries are POSTed; http(s), and a public address unless
    /// `outbound.allow_private_addresses` is on.
    pub url: String,
    /// Event names (`handoff.queued`, …) or `"*"` for all, including kinds added later.
    pub events: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Defaults to `true`; disabling gives up the endpoint's pending deliveries.
    #[serde(default)]
    pub enabled: Option<bool>,
}

impl From<WebhookForm> for EndpointForm {
    fn from(form: WebhookForm) -> Self {
        Self { url: form.url, events: form.events, description: form.description, enabled: form.enabled }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Sent as `webhook-id`, the same on every attempt.
    pub id: DeliveryId,
    /// The event's place in the log; deliveries list newest first by it.
    pub event_id: i64,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    /// Unix milliseconds; when the next attempt is due, while pending.
    #[schema(value_type = Option<i64>)]
    pub next_attempt_at: Option<Timestamp>,
    #[schema(value_type = Option<i64>)]
    pub last_attempt_at: Option<Timestamp>,
    /// The last attempt's HTTP status, if the endpoint answered.
    pub response_code: Option<u16>,
    /// How long the last attempt took.
    pub latency_ms: Option<u32>,
    /// What went wrong on the last attempt.
    pub error: Option<String>,
    /// The body every attempt sends: `{"type", "timestamp", "data"}`.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    #[schema(value_type = i64)]
    pub created_at: Timestamp,
}

impl From<Delivery> for DeliveryView {
    fn from(delivery: Delivery) -> Self {
        Self {
            id: delivery.id,
            event_id: delivery.event_id,
            event_type: delivery.event_type,
            status: delivery.status,
            attempts: delivery.attempts,
            next_attempt_at: delivery.next_attempt_at.filter(|_| delivery.status == DeliveryStatus::Pending),
            last_attempt_at: delivery.last_attempt_at,
            response_code: delivery.response_code,
            latency_ms: delivery.latency_ms,
            error: delivery.error,
            payload: serde_json::from_str(&delivery.body).unwrap_or(serde_json::Value::Null),
            created_at: delivery.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryPage {
    pub deliveries: Vec<DeliveryView>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// Only deliveries of events before this event id (from `next_before`).
    pub before: Option<i64>,
    /// At most this many (1–200, default 50).
    pub limit: Option<u32>,
}

/// Every webhook endpoint.
#[utoipa::path(get, path = "/v1/webhooks", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<WebhookView>), (status = 403, body = Problem)))]
pub async fn list_webhooks(
    State(state): State<SharedState>,
    _admin: Admin,
) -> ApiResult<Json<Vec<WebhookView>>> {
    Ok(Json(state.store.webhooks().await?.into_iter().map(WebhookView::from).collect()))
}

/// Creates an endpoint; it hears the events that happen from now on. The answer carries its
/// signing secret, shown this once.
#[utoipa::path(post, path = "/v1/webhooks", tag = "admin", request_body = WebhookForm, security(("bearer" = [])),
    responses((status = 201, body = WebhookWithSecret), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_webhook(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiJson(form): ApiJson<WebhookForm>,
) -> ApiResult<(StatusCode, Json<WebhookWithSecret>)> {
    let endpoint = webhooks::create(&state, &admin, form.into()).await?;
    Ok((StatusCode::CREATED, Json(endpoint.into())))
}

/// One endpoint.
#[utoipa::path(get, path = "/v1/webhooks/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = WebhookView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_webhook(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<WebhookId>,
) -> ApiResult<Json<WebhookView>> {
    Ok(Json(webhooks::get(&state, id).await?.into()))
}

/// Changes an endpoint's URL, events, description or whether it is enabled.
#[utoipa::path(put, path = "/v1/webhooks/{id}", tag = "admin", params(("id" = String, Path)),
    request_body = WebhookForm, security(("bearer" = [])),
    responses((status = 200, body = WebhookView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn put_webhook(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<WebhookId>,
    ApiJson(form): ApiJson<WebhookForm>,
) -> ApiResult<Json<WebhookView>> {
    Ok(Json(webhooks::update(&state, &admin, id, form.into()).await?.into()))
}

/// Deletes an endpoint and its deliveries.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_webhook(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<WebhookId>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&state, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the signing secret; every attempt from now on, retries included, uses the new one.
#[utoipa::path(post, path = "/v1/webhooks/{id}/rotate-secret", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = WebhookWithSecret), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn rotate_secret(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<WebhookId>,
) -> ApiResult<Json<WebhookWithSecret>> {
    Ok(Json(webhooks::rotate_secret(&state, &admin, id).await?.into()))
}

/// The endpoint's deliveries, newest first: status, attempts, last answer and latency.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "admin", params(("id" = String, Path), DeliveryQuery),
    security(("bearer" = [])),
    responses((status = 200, body = DeliveryPage), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_deliveries(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<WebhookId>,
    ApiQuery(query): ApiQuery<DeliveryQuery>,
) -> ApiResult<Json<DeliveryPage>> {
    let limit = query.limit;
    let deliveries = webhooks::deliveries(&state, id, query.before, limit).await?;
    let full = deliveries.len() == limit.unwrap_or(50) as usize;
    let next_before = deliveries.last().filter(|_| full).map(|last| last.event_id);
    Ok(Json(DeliveryPage {
        deliveries: deliveries.into_iter().map(DeliveryView::from).collect(),
        next_before,
    }))
}

/// Sends a delivery once more, now (a failed one, or one the receiver lost).
#[utoipa::path(post, path = "/v1/webhooks/{id}/deliveries/{delivery_id}/retry", tag = "admin",
    params(("id" = String, Path), ("delivery_id" = String, Path)), security(("bearer" = [])),
    responses((status = 202, body = DeliveryView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn retry_delivery(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath((id, delivery)): ApiPath<(WebhookId, DeliveryId)>,
) -> ApiResult<(StatusCode, Json<DeliveryView>)> {
    let delivery = webhooks::retry(&state, id, delivery).await?;
    Ok((StatusCode::ACCEPTED, Json(delivery.into())))
}
