//! The `helpdesk` consumer: hands each queued handoff of a bot with an outside helpdesk over,
//! and queues the contact's messages for the helpdesk holding their handoff
//! (`service::helpdesk`).

use baton_core::channel::ChannelKind;
use baton_core::event::Event;
use baton_store::StoredEvent;

use crate::events::Consumer;
use crate::state::AppState;

pub struct Helpdesk;

impl Consumer for Helpdesk {
    fn name(&self) -> &'static str {
        "helpdesk"
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        let to_anyhow = |error: crate::error::ApiError| anyhow::anyhow!("{error}");
        // Most servers have no helpdesk: one read per batch spares a lookup per message.
        let channels = state.store.channels().await?;
        if !channels.iter().any(|channel| channel.enabled && channel.kind() == ChannelKind::Freshchat) {
            return Ok(());
        }
        for stored in events {
            match &stored.event {
                Event::HandoffQueued(handoff) => {
                    crate::service::helpdesk::hand_over(state, handoff).await.map_err(to_anyhow)?;
                }
                Event::MessageCreated(message) => {
                    crate::service::helpdesk::relay(state, message).await.map_err(to_anyhow)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}
