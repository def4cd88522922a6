//! Routing as a consumer: anything that changes who should get a waiting handoff (a handoff
//! moving, a user's status, a bot's, team's or user's configuration) re-runs the decision.
//! One decision covers a whole batch.

use baton_core::event::EventKind;
use baton_store::StoredEvent;

use super::Consumer;
use crate::state::AppState;

pub const NAME: &str = "routing";

pub struct Routing;

/// Whether an event can change a routing decision. Routing's own announcements (offers and
/// queue places) cannot: re-running on them would only confirm what it just decided.
pub fn moves_routing(kind: EventKind) -> bool {
    !matches!(
        kind,
        EventKind::ConversationStarted
            | EventKind::MessageCreated
            | EventKind::HandoffQueueUpdated
            | EventKind::HandoffOffered
            | EventKind::FeedbackRequested
            | EventKind::FeedbackReceived
            | EventKind::SlaBreached
            | EventKind::FirstReplyOverdue
            | EventKind::ContactUnanswered
            | EventKind::WebhookFailing
            | EventKind::Typing
    )
}

impl Consumer for Routing {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        if events.iter().any(|event| moves_routing(event.kind())) {
            crate::service::routing::reroute(state).await.map_err(|error| anyhow::anyhow!("{error}"))?;
        }
        Ok(())
    }
}
