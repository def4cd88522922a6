//! Bookkeeping shared by the sender and the inbox readers, percentiles, and the server's RSS.
//!
//! Every contact message gets a slot indexed by its sequence number. The sender stores the
//! owning agent and the send instant before it issues the POST, the POST's task stores when
//! the response came and whether it succeeded, and the owning agent's inbox reader stores when
//! the `message.created` frame arrived. All instants are nanoseconds on one monotonic clock
//! (`Instant`) of this process, plus one so that zero can mean "not yet".

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

#[derive(Default)]
struct Slot {
    owner: AtomicU32,
    sent: AtomicU64,
    answered: AtomicU64,
    failed: AtomicBool,
    delivered: AtomicU64,
    /// When its `message.created` webhook reached the receiver (with `--webhook`).
    hooked: AtomicU64,
}

pub struct Tracker {
    start: Instant,
    /// Client ids are `{prefix}{seq}`; the prefix is unique per run.
    prefix: String,
    slots: Vec<Slot>,
    /// Frames for a message whose owner already had it (should stay 0).
    pub duplicates: AtomicU64,
    /// Frames with our prefix but a seq that was never sent (should stay 0).
    pub unknown: AtomicU64,
}

impl Tracker {
    pub fn new(capacity: usize) -> Self {
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Self {
            start: Instant::now(),
            prefix: format!("load-{nonce}-"),
            slots: (0..capacity).map(|_| Slot::default()).collect(),
            duplicates: AtomicU64::new(0),
            unknown: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64 + 1
    }

    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    pub fn client_id(&self, seq: usize) -> String {
        format!("{}{seq}", self.prefix)
    }

    /// Call right before issuing the POST.
    pub fn mark_sent(&self, seq: usize, owner: u32) {
        let slot = &self.slots[seq];
        slot.owner.store(owner, Ordering::Relaxed);
        slot.sent.store(self.now(), Ordering::Release);
    }

    pub fn mark_answered(&self, seq: usize, ok: bool) {
        let slot = &self.slots[seq];
        slot.failed.store(!ok, Ordering::Relaxed);
        slot.answered.store(self.now(), Ordering::Release);
    }

    /// A `message.created` frame with `client_id` reached agent `agent`'s inbox. Only the
    /// owner's first arrival counts; the other agents' copies are ignored.
    pub fn mark_delivered(&self, client_id: &str, agent: u32) {
        let now = self.now();
        let Some(seq) = client_id.strip_prefix(self.prefix.as_str()) else {
            return;
        };
        let Some(slot) = seq.parse::<usize>().ok().and_then(|s| self.slots.get(s)) else {
            self.unknown.fetch_add(1, Ordering::Relaxed);
            return;
        };
        if slot.sent.load(Ordering::Acquire) == 0 {
            self.unknown.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if slot.owner.load(Ordering::Relaxed) != agent {
            return;
        }
        if slot.delivered.compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed).is_err() {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The message's `message.created` webhook arrived; only the first copy counts.
    pub fn mark_hooked(&self, client_id: &str) {
        let now = self.now();
        let slot = client_id
            .strip_prefix(self.prefix.as_str())
            .and_then(|seq| seq.parse::<usize>().ok())
            .and_then(|seq| self.slots.get(seq));
        if let Some(slot) = slot {
            let _ = slot.hooked.compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    /// How many successfully sent messages have no webhook yet.
    pub fn unhooked(&self, sent: usize) -> usize {
        self.slots[..sent]
            .iter()
            .filter(|s| {
                s.answered.load(Ordering::Acquire) != 0
                    && !s.failed.load(Ordering::Relaxed)
                    && s.hooked.load(Ordering::Acquire) == 0
            })
            .count()
    }

    /// The webhooks of the first `sent` messages: how many arrived, how fast, at what rate.
    pub fn hook_summary(&self, sent: usize) -> HookSummary {
        let mut summary = HookSummary::default();
        let mut latencies = Vec::with_capacity(sent);
        let (mut first_sent, mut last_hooked) = (u64::MAX, 0);
        for slot in &self.slots[..sent] {
            let (sent_at, hooked) = (slot.sent.load(Ordering::Acquire), slot.hooked.load(Ordering::Acquire));
            let accepted = slot.answered.load(Ordering::Acquire) != 0 && !slot.failed.load(Ordering::Relaxed);
            first_sent = first_sent.min(sent_at);
            if hooked != 0 {
                summary.received += 1;
                latencies.push(hooked.saturating_sub(sent_at));
                last_hooked = last_hooked.max(hooked);
            } else if accepted {
                summary.missing += 1;
            }
        }
        if last_hooked > first_sent {
            summary.per_s =
                summary.received as f64 / Duration::from_nanos(last_hooked - first_sent).as_secs_f64();
        }
        summary.latency_ms = Percentiles::of(latencies);
        summary
    }

    /// How many successfully sent messages are still not delivered.
    pub fn undelivered(&self, sent: usize) -> usize {
        self.slots[..sent]
            .iter()
            .filter(|s| {
                s.answered.load(Ordering::Acquire) != 0
                    && !s.failed.load(Ordering::Relaxed)
                    && s.delivered.load(Ordering::Acquire) == 0
            })
            .count()
    }

    /// Totals over the first `sent` slots.
    pub fn summary(&self, sent: usize) -> MessageSummary {
        let mut summary = MessageSummary::default();
        let mut latencies = Vec::with_capacity(sent);
        let mut round_trips = Vec::with_capacity(sent);
        let (mut first_sent, mut last_delivered) = (u64::MAX, 0);
        for slot in &self.slots[..sent] {
            let sent_at = slot.sent.load(Ordering::Acquire);
            let answered = slot.answered.load(Ordering::Acquire);
            let delivered = slot.delivered.load(Ordering::Acquire);
            first_sent = first_sent.min(sent_at);
            if answered == 0 || slot.failed.load(Ordering::Relaxed) {
                summary.failed += 1;
            } else {
                round_trips.push(answered - sent_at);
            }
            if delivered != 0 {
                summary.delivered += 1;
                latencies.push(delivered.saturating_sub(sent_at));
                last_delivered = last_delivered.max(delivered);
            } else if answered != 0 && !slot.failed.load(Ordering::Relaxed) {
                summary.lost += 1;
            }
        }
        if last_delivered > first_sent {
            let span = Duration::from_nanos(last_delivered - first_sent).as_secs_f64();
            summary.delivered_per_s = summary.delivered as f64 / span;
        }
        summary.latency_ms = Percentiles::of(latencies);
        summary.post_ms = Percentiles::of(round_trips);
        summary
    }
}

#[derive(Debug, Default, Serialize)]
pub struct MessageSummary {
    /// POSTs that got no 2xx (an error status, a transport error or a timeout).
    pub failed: u64,
    /// Messages whose frame reached the owning agent's inbox.
    pub delivered: u64,
    /// Messages the server accepted (2xx) but never delivered within the grace period.
    pub lost: u64,
    /// Delivered messages over the time from the first send to the last delivery.
    pub delivered_per_s: f64,
    /// Send instant to arrival on the owner's inbox socket.
    pub latency_ms: Percentiles,
    /// Send instant to the POST's response.
    pub post_ms: Percentiles,
}

/// The messages' `message.created` webhooks.
#[derive(Debug, Default, Serialize)]
pub struct HookSummary {
    /// Messages whose webhook arrived.
    pub received: u64,
    /// Accepted messages whose webhook had not arrived by the end of the grace period.
    pub missing: u64,
    /// Received over the time from the first send to the last arrival.
    pub per_s: f64,
    /// Send instant to the webhook's arrival.
    pub latency_ms: Percentiles,
}

#[derive(Debug, Default, Serialize)]
pub struct Percentiles {
    pub count: usize,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

impl Percentiles {
    /// Nearest-rank percentiles of durations in nanoseconds, reported in milliseconds.
    pub fn of(mut nanos: Vec<u64>) -> Self {
        if nanos.is_empty() {
            return Self::default();
        }
        nanos.sort_unstable();
        let rank = |p: f64| {
            let index = ((p * nanos.len() as f64).ceil() as usize).clamp(1, nanos.len()) - 1;
            nanos[index] as f64 / 1e6
        };
        Self { count: nanos.len(), p50: rank(0.50), p90: rank(0.90), p99: rank(0.99), max: rank(1.0) }
    }
}

/// A `Vm…:` line of `/proc/PID/status`, in KiB (`VmRSS` now, `VmHWM` the peak), summed over
/// the processes; `None` without any, or when one cannot be read.
pub fn proc_status_kb(pids: &[u32], key: &str) -> Option<u64> {
    if pids.is_empty() {
        return None;
    }
    pids.iter().map(|&pid| one_status_kb(pid, key)).sum()
}

fn one_status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?;
        value.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// The CPU time (user + system) the processes used so far, summed, from `/proc/PID/stat`,
/// assuming the usual Linux `USER_HZ` of 100 ticks a second; `None` as [`proc_status_kb`].
pub fn proc_cpu_seconds(pids: &[u32]) -> Option<f64> {
    if pids.is_empty() {
        return None;
    }
    pids.iter().map(|&pid| one_cpu_seconds(pid)).sum()
}

fn one_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces: state is
    // field 3, utime 14 and stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<u64>().ok();
    Some((ticks(14)? + ticks(15)?) as f64 / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_cpu_time_and_memory() {
        let me = [std::process::id()];
        assert!(proc_cpu_seconds(&me).is_some());
        let rss = proc_status_kb(&me, "VmRSS").unwrap();
        assert!(rss > 0);
        assert_eq!(proc_status_kb(&[me[0], me[0]], "VmRSS").map(|twice| twice >= rss), Some(true), "summed");
        assert_eq!(proc_status_kb(&me, "NoSuchKey"), None);
        assert_eq!(proc_status_kb(&[], "VmRSS"), None, "no process, no figure");
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let p = Percentiles::of((1..=100).map(|ms| ms * 1_000_000).collect());
        assert_eq!((p.p50, p.p90, p.p99, p.max), (50.0, 90.0, 99.0, 100.0));
        assert_eq!(Percentiles::of(vec![]).count, 0);
    }

    #[test]
    fn only_the_owner_counts_and_only_once() {
        let tracker = Tracker::new(4);
        tracker.mark_sent(1, 2);
        tracker.mark_answered(1, true);
        tracker.mark_delivered(&tracker.client_id(1), 0);
        assert_eq!(tracker.undelivered(2), 1);
        tracker.mark_delivered(&tracker.client_id(1), 2);
        tracker.mark_delivered(&tracker.client_id(1), 2);
        tracker.mark_delivered(&tracker.client_id(3), 2);
        tracker.mark_delivered("someone-else", 2);
        assert_eq!(tracker.undelivered(2), 0);
        assert_eq!(tracker.duplicates.load(Ordering::Relaxed), 1);
        assert_eq!(tracker.unknown.load(Ordering::Relaxed), 1);
    }
}
