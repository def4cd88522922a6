//! Baton's domain, with no I/O: the words every other crate speaks.
//!
//! A *conversation* between a *contact* and a *bot* has at most one open *handoff*: an episode
//! of human involvement that moves through the control state machine in [`handoff`]. Every
//! transition is a pure function of the current handoff, a [`handoff::Command`] and the time;
//! it returns the new handoff and the names of the events it produced, which the server writes
//! in the same transaction as the state change. Who may write into a conversation at a given
//! moment (the [`conversation::Owner`]) follows from its open handoff.
//!
//! Input from the outside world is parsed into the newtypes of [`values`] once, at the edge, so
//! the rest of the code never sees an empty message or a malformed email.

pub mod analytics;
pub mod attachment;
pub mod audit;
pub mod backend;
pub mod canned;
pub mod catalog;
pub mod channel;
pub mod contact;
pub mod contact_view;
pub mod conversation;
pub mod deadline;
pub mod email_reply;
pub mod error;
pub mod evaluation;
pub mod event;
pub mod feedback;
pub mod gathering;
pub mod handoff;
pub mod ids;
pub mod message;
pub mod notification;
#[cfg(feature = "openapi")]
mod openapi;
pub mod policy;
pub mod routing;
pub mod schedule;
pub mod search;
pub mod sms;
pub mod summary;
pub mod team;
pub mod time;
pub mod triggers;
pub mod user;
pub mod values;
pub mod webhook;

pub use error::DomainError;
