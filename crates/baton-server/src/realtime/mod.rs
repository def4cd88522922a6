//! Getting events to the people who should see them.
//!
//! Writes put events in the outbox table in the same transaction as the change they describe.
//! The [`outbox`] worker publishes them on the [`bus`] (in-process today; a NATS bus lets
//! several instances share one PostgreSQL) and marks them dispatched: at least once. The
//! [`ws`] handlers forward bus events to websockets. Messages carry a gap-free `seq`, so a
//! socket replays what a client missed from the store and drops what it already sent:
//! exactly once for messages, whatever the timing.

pub mod bus;
pub mod publish;
pub mod sessions;
pub mod ws;
