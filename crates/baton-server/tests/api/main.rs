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
mod office_hours;
mod presence;
mod realtime;
mod routing;
mod semantic;
mod teams;
mod transfers;
mod waiting;
