//! Black-box tests of the whole server: real HTTP, real websockets, real databases.

mod fake_openai;
mod helpers;

mod access;
mod admin_console;
mod admin_setup;
mod after_the_team;
mod ai_backends;
mod analytics;
mod browser;
mod canned;
mod cli;
mod console_api;
mod email;
mod embedding;
mod eval;
mod external_bot;
mod gathering;
mod handoff_loop;
mod inbox_canned;
mod input;
mod limits;
mod metrics;
mod office_hours;
mod outbound;
mod presence;
mod realtime;
mod routing;
mod semantic;
mod sessions;
mod slow_clients;
mod teams;
mod transfers;
mod waiting;
mod watchdog;
mod webhooks;
