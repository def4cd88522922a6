//! Webhook endpoints, managed by admins: what they hear, their secret, their deliveries.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use baton_core::ids::{DeliveryId, WebhookId};
use baton_core::webhook::{EndpointHealth, Subscription};
use baton_store::{Delivery, WebhookChanges, WebhookEndpoint};

use baton_core::user::User;

use super::audit;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The longest URL and description accepted.
const MAX_URL: usize = 2000;
const MAX_DESCRIPTION: usize = 500;
/// The most deliveries one page of the list holds.
pub const MAX_PAGE: u32 = 200;

/// An endpoint as given, checked.
pub struct EndpointForm {
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

impl EndpointForm {
    fn checked(self, state: &AppState) -> ApiResult<WebhookChanges> {
        let url = self.url.trim().to_owned();
        if url.len() > MAX_URL {
            return Err(ApiError::invalid(format!("url: at most {MAX_URL} characters")));
        }
        baton_ai::outbound::check_url(&url, state.settings.outbound.allow_private_addresses)
            .map_err(|blocked| ApiError::invalid(format!("url: {blocked}")))?;
        let events = Subscription::parse(self.events).map_err(ApiError::invalid)?;
        let description = self.description.unwrap_or_default().trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION {
            return Err(ApiError::invalid(format!("description: at most {MAX_DESCRIPTION} characters")));
        }
        Ok(WebhookChanges { url, description, events, enabled: self.enabled.unwrap_or(true) })
    }
}

/// A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> String {
    format!("whsec_{}", BASE64.encode(rand::random::<[u8; 32]>()))
}

pub async fn create(state: &AppState, by: &User, form: EndpointForm) -> ApiResult<WebhookEndpoint> {
    let changes = form.checked(state)?;
    let endpoint = WebhookEndpoint {
        id: state.new_id(),
        url: changes.url,
        description: changes.description,
        events: changes.events,
        secret: new_secret(),
        enabled: changes.enabled,
        health: EndpointHealth::Active,
        starts_after: 0,
        created_at: state.now(),
    };
    let endpoint = state.store.create_webhook(&endpoint).await?;
    audit::record(state, Some(by), "webhook.created", None, Some(&endpoint)).await?;
    Ok(endpoint)
}

pub async fn get(state: &AppState, id: WebhookId) -> ApiResult<WebhookEndpoint> {
    state.store.webhook(id).await?.ok_or(ApiError::NotFound { what: "webhook" })
}

pub async fn update(
    state: &AppState,
    by: &User,
    id: WebhookId,
    form: EndpointForm,
) -> ApiResult<WebhookEndpoint> {
    let changes = form.checked(state)?;
    let before = get(state, id).await?;
    let endpoint =
        state.store.update_webhook(id, &changes).await?.ok_or(ApiError::NotFound { what: "webhook" })?;
    audit::record(state, Some(by), "webhook.updated", Some(&before), Some(&endpoint)).await?;
    Ok(endpoint)
}

pub async fn delete(state: &AppState, by: &User, id: WebhookId) -> ApiResult<()> {
    let before = get(state, id).await?;
    if !state.store.delete_webhook(id).await? {
        return Err(ApiError::NotFound { what: "webhook" });
    }
    audit::record(state, Some(by), "webhook.deleted", Some(&before), None).await?;
    Ok(())
}

/// Replaces the secret; deliveries from now on, retries included, are signed with the new one.
pub async fn rotate_secret(state: &AppState, by: &User, id: WebhookId) -> ApiResult<WebhookEndpoint> {
    let before = get(state, id).await?;
    let endpoint = state
        .store
        .set_webhook_secret(id, &new_secret())
        .await?
        .ok_or(ApiError::NotFound { what: "webhook" })?;
    audit::record(state, Some(by), "webhook.secret_rotated", Some(&before), Some(&endpoint)).await?;
    Ok(endpoint)
}

/// A page of the endpoint's deliveries, newest first.
pub async fn deliveries(
    state: &AppState,
    id: WebhookId,
    before: Option<i64>,
    limit: Option<u32>,
) -> ApiResult<Vec<Delivery>> {
    get(state, id).await?;
    let limit = limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::invalid(format!("limit: between 1 and {MAX_PAGE}")));
    }
    Ok(state.store.deliveries(id, before, i64::from(limit)).await?)
}

/// Sends a delivery once more, now, whatever became of it.
pub async fn retry(state: &AppState, id: WebhookId, delivery: DeliveryId) -> ApiResult<Delivery> {
    let endpoint = get(state, id).await?;
    if !endpoint.enabled {
        return Err(ApiError::conflict(
            "webhook_disabled",
            "the endpoint is disabled: enable it to send deliveries",
        ));
    }
    let retried = state.store.retry_delivery(id, delivery, state.now()).await?;
    retried.ok_or(ApiError::NotFound { what: "delivery" })
}
