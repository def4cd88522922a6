use std::sync::Arc;

use baton_core::event::EventKind;
use baton_core::ids::ConversationId;
use baton_store::StoredEvent;
use tokio::sync::broadcast;

/// An event as sockets need it: routing facts plus the frame, serialised once for everyone.
#[derive(Debug)]
pub struct BusEvent {
    pub kind: EventKind,
    pub conversation_id: Option<ConversationId>,
    /// For `message.created`: the message's seq.
    pub seq: Option<i64>,
    /// Whether the conversation's contact may see it (not a note, not an internal event).
    pub for_contact: bool,
    /// `{"type": …, "data": …}`.
    pub frame: String,
}

impl BusEvent {
    pub fn from_stored(event: &StoredEvent) -> Self {
        let is_note = event.data.get("note").and_then(|n| n.as_bool()).unwrap_or(false);
        Self {
            kind: event.kind,
            conversation_id: event.conversation_id,
            seq: (event.kind == EventKind::MessageCreated)
                .then(|| event.data.get("seq").and_then(|s| s.as_i64()))
                .flatten(),
            for_contact: event.kind.visible_to_contact() && !is_note,
            frame: frame(event.kind.name(), &event.data),
        }
    }
}

pub fn frame(kind: &str, data: &serde_json::Value) -> String {
    serde_json::json!({ "type": kind, "data": data }).to_string()
}

/// In-process fan-out. A subscriber that falls more than `capacity` events behind is told it
/// lagged and resynchronises from the store.
#[derive(Clone)]
pub struct Bus {
    sender: broadcast::Sender<Arc<BusEvent>>,
}

impl Bus {
    pub fn new(capacity: usize) -> Self {
        Self { sender: broadcast::channel(capacity).0 }
    }

    pub fn publish(&self, event: BusEvent) {
        // No subscribers is normal (nobody connected); the event is still in the outbox.
        let _ = self.sender.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<BusEvent>> {
        self.sender.subscribe()
    }
}
