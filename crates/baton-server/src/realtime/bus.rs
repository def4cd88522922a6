use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use baton_core::contact_view::ContactHandoff;
use baton_core::event::{Event, EventKind};
use baton_core::ids::ConversationId;
use baton_store::StoredEvent;
use tokio::sync::broadcast;

use crate::service::access::ConversationFacts;

/// An event as sockets need it: routing facts plus the frame, serialised once for everyone.
#[derive(Debug)]
pub struct BusEvent {
    pub kind: EventKind,
    pub conversation_id: Option<ConversationId>,
    /// For `message.created`: the message's seq.
    pub seq: Option<i64>,
    /// Whether the conversation's contact may see it (not a note, not an internal event).
    pub for_contact: bool,
    /// `{"type": …, "data": …}`, as users see it.
    pub frame: String,
    /// The frame as the contact sees it, when they may: a handoff is shown as its
    /// [`ContactHandoff`], without the team's internal record.
    pub contact_frame: Option<String>,
    /// Who may see the conversation, as of this event (see [`Bus::remember`]); `None` when
    /// not known, and an inbox reads it from the store.
    pub facts: Option<Arc<ConversationFacts>>,
}

impl BusEvent {
    pub fn from_stored(stored: &StoredEvent) -> Self {
        let event = &stored.event;
        let kind = event.kind();
        let data = event.data();
        let is_note = matches!(event, Event::MessageCreated(message) if message.note);
        let for_contact = kind.visible_to_contact() && !is_note;
        let frame = frame(kind.name(), &data);
        let contact_frame = if !for_contact {
            None
        } else if let Some(handoff) = event.handoff() {
            serde_json::to_value(ContactHandoff::from(handoff))
                .ok()
                .map(|shown| self::frame(kind.name(), &shown))
        } else if let Event::MessageCreated(message) = event {
            serde_json::to_value(message.clone().for_contact())
                .ok()
                .map(|shown| self::frame(kind.name(), &shown))
        } else {
            Some(frame.clone())
        };
        Self {
            kind,
            conversation_id: event.conversation_id(),
            seq: match event {
                Event::MessageCreated(message) => Some(message.seq),
                _ => None,
            },
            for_contact,
            frame,
            contact_frame,
            facts: None,
        }
    }
}

pub fn frame(kind: &str, data: &serde_json::Value) -> String {
    serde_json::json!({ "type": kind, "data": data }).to_string()
}

/// In-process fan-out on two levels: every event to the users' inbox stream, and each
/// contact-visible event to its own conversation's stream only, so the cost of an event does
/// not grow with the number of idle widgets connected. A subscriber that falls more than the
/// capacity behind is told it lagged and resynchronises from the store.
///
/// The bus also keeps, once per process, what decides who may see each conversation
/// ([`ConversationFacts`]): an agent's inbox carries a conversation's events only while the
/// agent may see it, and with a hundred inboxes open, reading that from the store per inbox
/// and event would multiply every event's cost by the number of inboxes. The websockets'
/// consumer works the facts out once per event ([`crate::realtime::publish`]); events
/// published without them (typing) take the last ones known.
#[derive(Clone)]
pub struct Bus {
    everything: broadcast::Sender<Arc<BusEvent>>,
    conversations: Arc<Mutex<HashMap<ConversationId, broadcast::Sender<Arc<BusEvent>>>>>,
    known: Arc<Mutex<HashMap<ConversationId, Known>>>,
}

/// A conversation's facts, and when its row was last read (its language changes without an
/// event, so facts that depend on it are read again after a while).
#[derive(Clone)]
pub struct Known {
    pub facts: Arc<ConversationFacts>,
    pub read_at: std::time::Instant,
}

/// The most conversations whose facts are kept; past it they are forgotten (and read again
/// when their next event comes), so the memory stays bounded whatever the traffic.
const KNOWN_LIMIT: usize = 20_000;

/// How far one contact socket may fall behind its own conversation before it catches up from
/// the store instead. Small, because every connected conversation reserves this many slots.
const CONVERSATION_CAPACITY: usize = 16;

impl Bus {
    pub fn new(capacity: usize) -> Self {
        Self {
            everything: broadcast::channel(capacity).0,
            conversations: Arc::default(),
            known: Arc::default(),
        }
    }

    pub fn publish(&self, mut event: BusEvent) {
        if let (None, Some(conversation)) = (&event.facts, event.conversation_id) {
            event.facts = self.known(conversation).map(|known| known.facts);
        }
        let event = Arc::new(event);
        if let (Some(conversation), true) = (event.conversation_id, event.for_contact) {
            let mut conversations =
                self.conversations.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(sender) = conversations.get(&conversation)
                && sender.send(event.clone()).is_err()
            {
                // Every socket of this conversation has gone.
                conversations.remove(&conversation);
            }
        }
        // No subscribers is normal (nobody connected); the event is still in the outbox.
        let _ = self.everything.send(event);
    }

    /// Whether any inbox listens: without one, nobody needs the facts.
    pub fn inboxes_open(&self) -> bool {
        self.everything.receiver_count() > 0
    }

    /// What is known of who may see `conversation`.
    pub fn known(&self, conversation: ConversationId) -> Option<Known> {
        self.known.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&conversation).cloned()
    }

    /// Keeps `known` as what decides who sees `conversation` from now on.
    pub fn remember(&self, conversation: ConversationId, known: Known) {
        let mut all = self.known.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if all.len() >= KNOWN_LIMIT && !all.contains_key(&conversation) {
            all.clear();
        }
        all.insert(conversation, known);
    }

    /// Forgets every conversation's facts: while no inbox listens they are not kept up to date.
    pub fn forget_all(&self) {
        self.known.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }

    /// Every event: the users' inbox stream.
    pub fn subscribe_all(&self) -> broadcast::Receiver<Arc<BusEvent>> {
        self.everything.subscribe()
    }

    /// The contact-visible events of one conversation.
    pub fn subscribe_conversation(&self, conversation: ConversationId) -> broadcast::Receiver<Arc<BusEvent>> {
        let mut conversations = self.conversations.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        conversations.retain(|_, sender| sender.receiver_count() > 0);
        conversations
            .entry(conversation)
            .or_insert_with(|| broadcast::channel(CONVERSATION_CAPACITY).0)
            .subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(conversation: ConversationId, for_contact: bool) -> BusEvent {
        BusEvent {
            kind: EventKind::MessageCreated,
            conversation_id: Some(conversation),
            seq: Some(1),
            for_contact,
            frame: "{}".into(),
            contact_frame: for_contact.then(|| "{}".into()),
            facts: None,
        }
    }

    #[test]
    fn a_conversation_stream_gets_only_its_own_contact_events() {
        let bus = Bus::new(16);
        let mine = ConversationId::from_uuid(uuid::Uuid::from_u128(1));
        let other = ConversationId::from_uuid(uuid::Uuid::from_u128(2));
        let mut all = bus.subscribe_all();
        let mut own = bus.subscribe_conversation(mine);
        bus.publish(event(other, true));
        bus.publish(event(mine, false));
        bus.publish(event(mine, true));
        let received = own.try_recv().unwrap();
        assert_eq!((received.conversation_id, received.for_contact), (Some(mine), true));
        assert!(own.try_recv().is_err(), "nothing else reaches the conversation's stream");
        for _ in 0..3 {
            all.try_recv().unwrap();
        }
    }

    #[test]
    fn streams_of_departed_sockets_are_dropped() {
        let bus = Bus::new(16);
        let id = ConversationId::from_uuid(uuid::Uuid::from_u128(3));
        drop(bus.subscribe_conversation(id));
        bus.publish(event(id, true));
        assert!(bus.conversations.lock().unwrap().is_empty());
    }
}
