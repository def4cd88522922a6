//! The run's results, printed as text or JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::agent::ClaimOutcome;
use crate::contact::SendOutcome;
use crate::hooks::Lag;
use crate::stats::{HookSummary, MessageSummary, Percentiles};

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub base: String,
    pub agents: usize,
    pub conversations_requested: usize,
    pub conversations_opened: usize,
    pub conversation_failures: u64,
    /// Time to open all conversations and their websockets.
    pub open_seconds: f64,
    pub memory: Memory,
    pub handoffs: ClaimOutcome,
    /// Conversations the messages went to (the claimed ones).
    pub message_targets: usize,
    pub target_rate: u64,
    pub duration_s: u64,
    pub sending: SendOutcome,
    pub messages: MessageSummary,
    /// CPU time (user + system) the server used from the first message until the last POST
    /// was answered, and that over the same wall time: cores busy (with `--server-pid`).
    pub server_cpu_seconds: Option<f64>,
    pub server_cores: Option<f64>,
    pub inbox: Inbox,
    /// Frames received on the contact websockets (greetings, own messages echoed, system
    /// messages).
    pub contact_frames: u64,
    /// Contact sockets the server closed before the end (should be 0).
    pub contact_sockets_closed: u64,
    /// With `--webhook`: the messages' webhooks, and every delivery the receiver got.
    pub webhooks: Option<Webhooks>,
    /// Each event consumer's lag behind the newest event while sending, from `/metrics`.
    pub outbox_lag: BTreeMap<String, Lag>,
    /// With `--raw-database`: the database's own single-row write rate in this run.
    pub raw: Option<crate::raw::RawRate>,
    /// Delivered messages per second over the raw rate.
    pub share_of_raw: Option<f64>,
    pub wall_seconds: f64,
    /// Whether nothing was lost or failed (the exit status is 1 otherwise).
    pub ok: bool,
}

/// The server's memory, in KiB, from `/proc/PID/status` (absent without `--server-pid`).
#[derive(Debug, Default, Serialize)]
pub struct Memory {
    /// VmRSS when the run started.
    pub rss_start_kb: Option<u64>,
    /// Conversations opened before the baseline (a tenth, at most 100).
    pub warmup_conversations: usize,
    /// VmRSS with the warm-up conversations open, 2 s after (no agent logged in yet).
    pub rss_before_kb: Option<u64>,
    /// VmRSS with every conversation open and idle, 2 s after the last one opened.
    pub rss_idle_kb: Option<u64>,
    /// (idle − before) / conversations opened after the warm-up: one idle contact websocket
    /// plus its conversation's share of caches (SQLite pages, allocator slack).
    pub kb_per_idle_conversation: Option<f64>,
    /// VmRSS after the message phase.
    pub rss_end_kb: Option<u64>,
    /// VmHWM: the peak RSS of the server process so far.
    pub rss_peak_kb: Option<u64>,
}

#[derive(Debug, Default, Serialize)]
pub struct Webhooks {
    pub messages: HookSummary,
    /// Deliveries of every kind (messages, handoff and system events) the receiver got.
    pub deliveries: u64,
    /// Deliveries whose `webhook-id` had come before (should be 0 when the receiver accepts).
    pub repeated_ids: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct Inbox {
    /// Frames over all agents' inbox sockets.
    pub frames: u64,
    /// `resync` frames (the server dropped events for a lagging socket).
    pub resyncs: u64,
    pub unparsed: u64,
    /// Inbox sockets the server closed before the end (should be 0).
    pub closed: u64,
    /// Second copies of a message on its owner's socket.
    pub duplicates: u64,
    /// Message frames with this run's client-id prefix but an unknown seq.
    pub unknown: u64,
}

impl Report {
    /// Whether the run is clean: everything opened, claimed, sent, delivered once.
    pub fn judge(&mut self) {
        let h = &self.handoffs;
        self.ok = self.conversation_failures == 0
            && h.request_failures == 0
            && h.not_queued == 0
            && h.claim_failures == 0
            && h.claimed as usize == self.conversations_opened
            && self.messages.failed == 0
            && self.messages.lost == 0
            && self.inbox.duplicates == 0
            && self.inbox.unknown == 0
            && self.inbox.closed == 0
            && self.contact_sockets_closed == 0
            && self.webhooks.as_ref().is_none_or(|w| w.messages.missing == 0 && w.repeated_ids == 0)
            && self.sending.sent > 0;
    }

    pub fn print_text(&self) {
        let kb = |v: Option<u64>| v.map_or("n/a".to_owned(), |kb| format!("{:.1} MiB", kb as f64 / 1024.0));
        let m = &self.memory;
        let h = &self.handoffs;
        let s = &self.sending;
        let msg = &self.messages;
        println!("Baton load test against {}", self.base);
        println!(
            "  conversations   {} opened of {} ({} failed) in {:.1} s, {} agents",
            self.conversations_opened,
            self.conversations_requested,
            self.conversation_failures,
            self.open_seconds,
            self.agents
        );
        println!(
            "  server RSS      start {}, before {} (after {} warm-up conversations), idle {}, end {}, peak {}",
            kb(m.rss_start_kb),
            kb(m.rss_before_kb),
            m.warmup_conversations,
            kb(m.rss_idle_kb),
            kb(m.rss_end_kb),
            kb(m.rss_peak_kb)
        );
        if let Some(per) = m.kb_per_idle_conversation {
            println!(
                "  per idle conv.  {per:.1} KiB (websocket + conversation state + caches; after the warm-up)"
            );
        }
        println!(
            "  handoffs        {} queued, {} not queued, {} request failures; {} claimed, {} conflicts (409), {} claim failures in {:.1} s",
            h.queued, h.not_queued, h.request_failures, h.claimed, h.conflicts, h.claim_failures, h.seconds
        );
        println!(
            "  messages        {} scheduled at {}/s for {} s over {} conversations",
            s.scheduled, self.target_rate, self.duration_s, self.message_targets
        );
        println!(
            "                  {} sent ({} not sent), {} failed, {} delivered, {} lost",
            s.sent, s.not_sent, msg.failed, msg.delivered, msg.lost
        );
        println!("  rates           sent {:.1}/s, delivered {:.1}/s", s.send_rate, msg.delivered_per_s);
        if let (Some(raw), Some(share)) = (&self.raw, self.share_of_raw) {
            println!(
                "  database        {:.0} single-row transactions/s ({} clients); delivered = {:.2} of that",
                raw.per_second, raw.clients, share
            );
        }
        if let (Some(cpu), Some(cores)) = (self.server_cpu_seconds, self.server_cores) {
            println!("  server CPU      {cpu:.1} s while sending ({cores:.2} cores busy)");
        }
        print_percentiles("  delivery (ms)  ", &msg.latency_ms);
        print_percentiles("  POST (ms)      ", &msg.post_ms);
        println!(
            "  inbox frames    {} ({} resync, {} unparsed, {} duplicate, {} unknown); {} sockets closed early",
            self.inbox.frames,
            self.inbox.resyncs,
            self.inbox.unparsed,
            self.inbox.duplicates,
            self.inbox.unknown,
            self.inbox.closed
        );
        println!(
            "  contact frames  {}; {} sockets closed early",
            self.contact_frames, self.contact_sockets_closed
        );
        if let Some(hooks) = &self.webhooks {
            println!(
                "  webhooks        {} of the messages received ({} missing) at {:.1}/s; {} deliveries in all, {} repeated ids",
                hooks.messages.received,
                hooks.messages.missing,
                hooks.messages.per_s,
                hooks.deliveries,
                hooks.repeated_ids
            );
            print_percentiles("  webhook (ms)   ", &hooks.messages.latency_ms);
        }
        for (consumer, lag) in &self.outbox_lag {
            println!(
                "  outbox lag      {consumer:<10} max {:.0}, mean {:.1} events ({} samples)",
                lag.max, lag.mean, lag.samples
            );
        }
        println!("  wall time       {:.1} s", self.wall_seconds);
        println!("  result          {}", if self.ok { "OK" } else { "FAILED" });
    }
}

fn print_percentiles(label: &str, p: &Percentiles) {
    println!(
        "{label} p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1} (n = {})",
        p.p50, p.p90, p.p99, p.max, p.count
    );
}
