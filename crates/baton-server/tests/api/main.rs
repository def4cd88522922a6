//! Black-box tests of the whole server: real HTTP, real websockets, real databases.

mod helpers;

mod browser;
mod cli;
mod eval;
mod gathering;
mod handoff_loop;
mod input;
mod realtime;
