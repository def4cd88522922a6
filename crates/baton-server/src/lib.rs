//! The Baton server: settings, the HTTP API, websockets, authentication, the outbox worker
//! and the embedded pages. `main.rs` only parses the command line; everything else is here
//! so tests can start the real server on port 0.

pub mod api;
pub mod app;
pub mod auth;
pub mod channels;
pub mod cli;
pub mod cluster;
pub mod email;
pub mod error;
pub mod eval;
pub mod events;
pub mod files;
pub mod limits;
pub mod metrics;
pub mod pages;
pub mod realtime;
pub mod security;
pub mod serve;
pub mod service;
pub mod settings;
pub mod state;
pub mod timers;
pub mod webhooks;

pub use app::{App, launch};
pub use settings::Settings;
