//! Webhook deliveries: kept while pending, forgotten once finished and old.

use std::sync::Arc;

use baton_core::webhook::{EndpointHealth, Subscription};
use baton_store::*;

use super::{NOW, new_id};

pub async fn finished_deliveries_are_forgotten_when_old(store: Arc<SqlStore>) {
    let endpoint = WebhookEndpoint {
        id: new_id(),
        url: "https://crm.example/hook".into(),
        description: String::new(),
        events: Subscription::parse(vec!["*".into()]).unwrap(),
        secret: "whsec_c2VjcmV0".into(),
        enabled: true,
        health: EndpointHealth::Active,
        starts_after: 0,
        created_at: NOW,
    };
    let endpoint = store.create_webhook(&endpoint).await.unwrap();
    let delivery = |event_id: i64, at: i64| NewDelivery {
        id: new_id(),
        webhook_id: endpoint.id,
        event_id,
        event_type: "message.created".into(),
        ordering_key: format!("event:{event_id}"),
        body: "{}".into(),
        created_at: NOW.plus_millis(at),
    };
    // An old delivered one, an old one still pending, and a new delivered one.
    let (old_done, old_pending, new_done) = (delivery(1, 0), delivery(2, 0), delivery(3, 120_000));
    let queued = [old_done.clone(), old_pending.clone(), new_done.clone()];
    assert_eq!(store.queue_deliveries(&queued).await.unwrap(), 3);
    let delivered = |at: i64| Attempt {
        at: NOW.plus_millis(at),
        response_code: Some(200),
        latency_ms: 5,
        error: None,
        retry_at: None,
    };
    store.record_attempts(&[(old_done.id, delivered(1)), (new_done.id, delivered(120_001))]).await.unwrap();

    assert_eq!(store.prune_deliveries(NOW.plus_millis(60_000)).await.unwrap(), 1);
    let kept: Vec<i64> =
        store.deliveries(endpoint.id, None, 10).await.unwrap().iter().map(|d| d.event_id).collect();
    assert_eq!(kept, [3, 2], "the pending one stays however old, the new one stays");
}
