//! Webhooks: every stored event, signed and delivered to the endpoints that subscribe to it.
//!
//! Two halves, joined by the `webhook_deliveries` table:
//!
//! - [`Webhooks`] is an event consumer. For each event and each enabled endpoint that
//!   subscribes to its kind (and was created before it), it queues a delivery whose body,
//!   `{"type", "timestamp", "data"}`, is fixed there and then, so every attempt sends the
//!   same bytes. Queuing is idempotent per endpoint and event, so a batch seen twice queues
//!   nothing twice.
//! - [`sender`] sends due deliveries, signed as [Standard Webhooks](https://www.standardwebhooks.com/)
//!   ask (`webhook-id`, the delivery's id, the same on every attempt; `webhook-timestamp`;
//!   `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), one conversation's
//!   deliveries in event order, and retries failures on the schedule in the settings. When
//!   the schedule is used up the delivery fails, the endpoint is marked failing and a
//!   `webhook.failing` event tells the admins (their inboxes show it).
//!
//! A delivery is made at least once: the receiver drops repeats by `webhook-id`.

pub mod sender;

use baton_core::event::Event;
use baton_store::{NewDelivery, StoredEvent};

use crate::events::Consumer;
use crate::state::AppState;

pub struct Webhooks;

impl Consumer for Webhooks {
    fn name(&self) -> &'static str {
        "webhooks"
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        let endpoints = state.store.webhooks().await?;
        let mut deliveries = Vec::new();
        for endpoint in endpoints.iter().filter(|endpoint| endpoint.enabled) {
            for stored in events {
                if stored.id <= endpoint.starts_after || !endpoint.events.matches(stored.kind()) {
                    continue;
                }
                deliveries.push(NewDelivery {
                    id: state.new_id(),
                    webhook_id: endpoint.id,
                    event_id: stored.id,
                    event_type: stored.kind().name().to_owned(),
                    ordering_key: ordering_key(stored),
                    body: body(&stored.event, stored.created_at),
                    created_at: state.now(),
                });
            }
        }
        if !deliveries.is_empty() {
            state.store.queue_deliveries(&deliveries).await?;
        }
        Ok(())
    }
}

/// Deliveries with the same key go out in event order: a conversation's events share one.
fn ordering_key(stored: &StoredEvent) -> String {
    match stored.conversation_id() {
        Some(conversation) => conversation.to_string(),
        None => format!("event:{}", stored.id),
    }
}

/// The body every attempt sends.
pub fn body(event: &Event, at: baton_core::time::Timestamp) -> String {
    serde_json::json!({ "type": event.kind().name(), "timestamp": at.to_rfc3339(), "data": event.data() })
        .to_string()
}
