//! The shared state every handler and worker reaches through one `Arc`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use baton_core::ids::{ConversationId, Id, UserId};
use baton_core::time::Timestamp;
use baton_store::Store;
use tokio::sync::watch;

use crate::realtime::bus::Bus;
use crate::settings::Settings;

/// Where the current instant comes from; tests inject their own.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis() as i64);
        Timestamp::from_millis(millis)
    }
}

pub struct AppState {
    pub settings: Settings,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// Shared by every outgoing call (AI backends, webhooks): one connection pool.
    pub http: baton_ai::outbound::Outbound,
    /// Sends mail, when `[smtp]` names a server.
    pub mailer: Option<crate::email::Mailer>,
    /// The semantic layer's embeddings and cached example vectors, when configured.
    pub semantic: Option<Arc<baton_ai::embeddings::SemanticIndex>>,
    /// The judge asked about unsure messages, with its remembered answers, when configured.
    pub judge: Option<Arc<baton_ai::judge::Judge>>,
    pub bus: Bus,
    /// Where ended user sessions are announced, so their websockets close.
    pub session_ends: crate::realtime::sessions::SessionEnds,
    /// The rate limiters; `None` when `limits.enabled` is off.
    pub limits: Option<crate::limits::RateLimits>,
    /// The newest events, read once for every consumer.
    pub tail: crate::events::tail::Tail,
    /// Where each event consumer of this process has got to.
    pub progress: crate::events::Progress,
    /// Set once the event consumers run (a router built without `serve` has none).
    pub consumers: std::sync::atomic::AtomicBool,
    /// Open contact widgets per conversation, and when the last one closed: the evidence
    /// that a contact in a live chat is still there (`service::inactivity`).
    pub contact_widgets: Mutex<HashMap<ConversationId, crate::service::inactivity::Widgets>>,
    /// Open inbox websockets per user: presence's evidence that someone is there.
    pub inboxes: Mutex<HashMap<UserId, usize>>,
    /// Contact tokens recently checked (`auth::conversation_caller`).
    pub contact_tokens: crate::auth::ContactTokens,
    /// Conversations whose bot task is running, each with whether it was woken again since
    /// it last read its pending messages.
    pub bot_turns: Mutex<HashMap<ConversationId, bool>>,
    /// Held while routing decides, so two decisions never hand out the same capacity.
    pub routing: tokio::sync::Mutex<crate::service::routing::RoutingMemory>,
    /// Numbers requests for a routing decision, so waiting requests can share one.
    pub routing_requests: std::sync::atomic::AtomicU64,
    /// Whether this process coordinates, and the news other instances send (`crate::cluster`).
    pub cluster: crate::cluster::Cluster,
    /// Flips to `true` when the server shuts down, so long-lived websockets close.
    pub shutdown: watch::Receiver<bool>,
}

impl AppState {
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn consumers_started(&self) {
        self.consumers.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn consumers_running(&self) -> bool {
        self.consumers.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A new time-ordered id.
    pub fn new_id<K>(&self) -> Id<K> {
        Id::new_v7(self.now(), rand::random())
    }
}

pub type SharedState = Arc<AppState>;

/// Resolves once the server is shutting down.
pub async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    // An error means the sender is gone, which also means shutdown.
    let _ = shutdown.wait_for(|stop| *stop).await;
}
