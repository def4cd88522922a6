//! Black-box tests of the whole server: real HTTP, real websockets, real databases.

mod fake_openai;
mod helpers;

mod ai_backends;
mod browser;
mod cli;
mod eval;
mod external_bot;
mod gathering;
mod handoff_loop;
mod input;
mod presence;
mod realtime;
mod semantic;
