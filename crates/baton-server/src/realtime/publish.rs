//! The websockets' consumer: publishes each event on the in-process [`Bus`](super::bus::Bus),
//! from which every open socket takes what it may see. It keeps no stored cursor: a socket
//! opened later replays what it missed from the store, so a restarted process starts at the
//! head of the log.

use baton_store::StoredEvent;

use crate::events::Consumer;
use crate::realtime::bus::BusEvent;
use crate::state::AppState;

pub struct Websockets;

impl Consumer for Websockets {
    fn name(&self) -> &'static str {
        "websockets"
    }

    /// Each process publishes to its own sockets, from the events committed while it runs.
    fn durable(&self) -> bool {
        false
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        for event in events {
            state.bus.publish(BusEvent::from_stored(event));
        }
        Ok(())
    }
}
