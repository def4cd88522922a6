//! `baton-load`: a load generator for a running Baton server.
//!
//! It plays both sides of the product against one server, in four phases:
//!
//! 1. **Idle memory.** Opens `--conversations` conversations, each with its contact
//!    websocket, `--concurrency` (50) at a time. The server's RSS (`/proc/PID/status`, with
//!    `--server-pid`) is read 2 s after a warm-up tenth (at most 100) of them and again 2 s
//!    after the rest: the difference over the rest is the memory of one idle contact
//!    connection *including* its conversation's share of caches (SQLite pages, allocator
//!    slack), not the socket alone. This runs before anyone logs in: each login hashes a
//!    password with Argon2 (19 MiB), which the server's allocator keeps resident and reuses,
//!    hiding the cost of new connections. Use a freshly started server for this figure.
//! 2. **Agents.** Creates `--agents` users (`load-agent-N@baton.local`) through the admin
//!    (or logs in existing ones), sets them online and opens one inbox websocket (`/v1/ws`)
//!    each.
//! 3. **Handoff.** Every conversation asks for a human; agents claim the handoffs as their
//!    `handoff.queued` frames arrive, each by exactly one agent (`hash(handoff id) % agents`).
//! 4. **Messages.** For `--duration` seconds, contacts send `--rate` messages a second in
//!    total, round-robin over the claimed conversations, each with a unique `client_id`.
//!    Latency is the instant the message's `message.created` frame reaches the *owning*
//!    agent's inbox socket minus the instant the POST was issued (one monotonic clock, one
//!    process). Messages accepted but not delivered within 5 s after the sending window are
//!    lost; non-2xx or failed POSTs are failed.
//!
//! The report (text, or JSON with `--json`) gives counts, rates, latency percentiles and the
//! RSS figures. The exit status is 1 if anything failed or was lost, 2 if the run could not
//! complete. Every phase is bounded in time; the whole run gives up after
//! `300 s + 2 × duration`.

mod agent;
mod api;
mod contact;
mod hooks;
mod raw;
mod report;
mod stats;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::Parser;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::agent::InboxCounters;
use crate::contact::ContactCounters;
use crate::report::{Inbox, Memory, Report, Webhooks};
use crate::stats::{Tracker, proc_cpu_seconds, proc_status_kb};

/// Load generator for a running Baton: contact websockets, message rate, claims, latency
/// and memory.
#[derive(Debug, Parser)]
#[command(name = "baton-load", version)]
struct Args {
    /// The server's base URL. Repeat it for several instances of one deployment: contacts and
    /// agents are spread over them in turn, so a message and the inbox it reaches are often on
    /// different instances.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: Vec<String>,
    /// An admin account, used to create the agents.
    #[arg(long, default_value = "admin@baton.local")]
    admin_email: String,
    /// The admin's password.
    #[arg(long, env = "BATON_LOAD_ADMIN_PASSWORD")]
    admin_password: String,
    /// Contact conversations to open, each with its own websocket.
    #[arg(long, default_value_t = 1000)]
    conversations: usize,
    /// Agents (users) claiming the handoffs, each with its inbox websocket.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    agents: u32,
    /// Contact messages per second, in total.
    #[arg(long, default_value_t = 200)]
    rate: u64,
    /// Seconds of sending.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// The server's process id, to read its memory from /proc/PID/status and its CPU time;
    /// repeat it for several instances (the figures are their sums).
    #[arg(long)]
    server_pid: Vec<u32>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Requests in flight at once while opening conversations and asking for handoffs.
    #[arg(long, default_value_t = 50)]
    concurrency: usize,
    /// Message POSTs in flight at once; beyond that the sender waits (and may fall behind).
    #[arg(long, default_value_t = 256)]
    max_in_flight: usize,
    /// Subscribe a receiver on this machine to every event (`"*"`) before sending, and
    /// measure the messages' webhooks (the server needs `outbound.allow_private_addresses`).
    #[arg(long)]
    webhook: bool,
    /// The server's database (`sqlite://FILE` or `postgres://…`): before the load, measure
    /// its single-row write transactions per second in a scratch table, and report Baton's
    /// delivered rate as a share of it.
    #[arg(long)]
    raw_database: Option<String>,
    /// Connections writing at once for the raw rate (PostgreSQL takes several; SQLite has
    /// one writer).
    #[arg(long, default_value_t = 1)]
    raw_clients: usize,
    /// Seconds the raw rate is measured.
    #[arg(long, default_value_t = 5)]
    raw_seconds: u64,
}

/// How long to let the server settle before reading its memory.
const SETTLE: Duration = Duration::from_secs(2);
/// How long after the sending window a message may still arrive.
const GRACE: Duration = Duration::from_secs(5);
/// How long the handoff phase may take.
const CLAIM_TIMEOUT: Duration = Duration::from_secs(60);
/// At most this many messages per run, whatever rate × duration says.
const MAX_MESSAGES: u64 = 1_000_000;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let limit = Duration::from_secs(300u64.saturating_add(args.duration.saturating_mul(2)));
    let json = args.json;
    let outcome = tokio::select! {
        outcome = tokio::time::timeout(limit, run(args)) => outcome,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("interrupted");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(Ok(report)) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&report).expect("a report serialises"));
            } else {
                report.print_text();
            }
            if report.ok { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
        Ok(Err(error)) => {
            eprintln!("baton-load: {error:#}");
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!("baton-load: gave up after {limit:?}");
            ExitCode::from(2)
        }
    }
}

/// Conversations opened before the memory baseline: a tenth, at most 100.
fn warmup_size(conversations: usize) -> usize {
    (conversations / 10).min(100)
}

/// Opens the conversations, a warm-up batch first, and measures the server's memory.
///
/// This runs before anyone logs in: every login hashes a password with Argon2 (19 MiB each),
/// memory the server's allocator keeps resident and free, so new connections would reuse it
/// and look almost free. The warm-up batch warms SQLite's cache and the runtime; the baseline
/// is read after it, and the warm-up is left out of the per-conversation figure.
async fn idle_conversations(
    client: &reqwest::Client,
    instances: &api::Instances,
    args: &Args,
    counters: &Arc<ContactCounters>,
    stop: &watch::Receiver<bool>,
) -> (contact::Opened, Memory) {
    let pids = &args.server_pid;
    let rss_start_kb = proc_status_kb(pids, "VmRSS");
    let open = |first, count| {
        let (counters, stop) = (counters.clone(), stop.clone());
        contact::open_all(client, instances, first, count, args.concurrency, counters, stop)
    };
    let warmup = warmup_size(args.conversations);
    let mut opened = open(0, warmup).await;
    tokio::time::sleep(SETTLE).await;
    let rss_before_kb = proc_status_kb(pids, "VmRSS");
    let rest = open(warmup, args.conversations - warmup).await;
    let measured = rest.conversations.len();
    let warmup_conversations = opened.conversations.len();
    opened.absorb(rest);
    tokio::time::sleep(SETTLE).await;
    let rss_idle_kb = proc_status_kb(pids, "VmRSS");
    let kb_per_idle_conversation = match (rss_before_kb, rss_idle_kb) {
        (Some(before), Some(idle)) if measured > 0 => Some((idle as f64 - before as f64) / measured as f64),
        _ => None,
    };
    let memory = Memory {
        rss_start_kb,
        warmup_conversations,
        rss_before_kb,
        rss_idle_kb,
        kb_per_idle_conversation,
        ..Memory::default()
    };
    (opened, memory)
}

async fn run(args: Args) -> anyhow::Result<Report> {
    let started = Instant::now();
    let instances = api::Instances::new(&args.base)?;
    // Requests to the first instance (the admin's, webhooks, metrics).
    let base = instances.first().http.clone();
    let client = api::client(args.max_in_flight + args.concurrency)?;
    let pids = args.server_pid.clone();
    for pid in &pids {
        anyhow::ensure!(
            proc_status_kb(std::slice::from_ref(pid), "VmRSS").is_some(),
            "cannot read VmRSS from /proc/{pid}/status"
        );
    }
    let capacity = (args.rate.saturating_mul(args.duration)).min(MAX_MESSAGES) as usize;
    let tracker = Arc::new(Tracker::new(capacity));
    let (stop_tx, stop) = watch::channel(false);
    let mut report = Report {
        base: instances.describe(),
        agents: args.agents as usize,
        conversations_requested: args.conversations,
        target_rate: args.rate,
        duration_s: args.duration,
        ..Report::default()
    };

    // 0. The database's own rate, while the server is idle.
    if let Some(url) = &args.raw_database {
        let raw = raw::measure(url, args.raw_clients.max(1), Duration::from_secs(args.raw_seconds)).await?;
        eprintln!("raw single-row transactions: {:.0}/s ({} clients)", raw.per_second, raw.clients);
        report.raw = Some(raw);
    }

    // 1. Idle conversations and the memory they take.
    let contact_counters = Arc::new(ContactCounters::default());
    let (opened, mut memory) = idle_conversations(&client, &instances, &args, &contact_counters, &stop).await;
    report.conversations_opened = opened.conversations.len();
    report.conversation_failures = opened.failures;
    report.open_seconds = opened.seconds;
    eprintln!("{} conversations open in {:.1} s", opened.conversations.len(), opened.seconds);

    // 2. Agents, online, with their inbox sockets.
    let admin = api::login(&client, &base, &args.admin_email, &args.admin_password).await?;
    let agents = agent::create(&client, &instances, &admin, args.agents as usize).await?;
    let (queued_tx, mut queued_rx) = mpsc::unbounded_channel();
    let counters = Arc::new(InboxCounters::default());
    let mut inboxes = Vec::new();
    let shared = agent::InboxShared {
        agents: agents.len(),
        tracker: tracker.clone(),
        queued: queued_tx,
        counters: counters.clone(),
        stop: stop.clone(),
    };
    for (index, agent) in agents.iter().enumerate() {
        inboxes.push(agent::spawn_inbox(&instances, agent, index as u32, &shared).await?);
    }
    eprintln!("{} agents online", agents.len());

    // 3. Handoffs, claimed from the inbox.
    report.handoffs = agent::request_and_claim(
        &client,
        &instances,
        &agents,
        &opened.conversations,
        &mut queued_rx,
        args.concurrency,
        CLAIM_TIMEOUT,
    )
    .await;
    eprintln!("{} handoffs claimed in {:.1} s", report.handoffs.claimed, report.handoffs.seconds);
    let targets: Vec<contact::Target> = opened
        .conversations
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            report.handoffs.owners.get(&i).map(|&owner| contact::Target {
                id: c.id.clone(),
                token: c.token.clone(),
                owner,
                instance: c.instance,
            })
        })
        .collect();
    report.message_targets = targets.len();

    // 4. Messages at the rate, then a grace period for the last deliveries (and webhooks),
    // with the consumers' lag sampled from /metrics meanwhile.
    let receiver = if args.webhook {
        let (receiver, url) = hooks::Receiver::start(tracker.clone()).await?;
        hooks::subscribe(&client, &base, &admin, &url).await?;
        Some(receiver)
    } else {
        None
    };
    let (lag_stop, lag_stopped) = watch::channel(false);
    let lag = hooks::sample_lag(client.clone(), base.clone(), lag_stopped);
    let sending_started = Instant::now();
    let cpu_before = proc_cpu_seconds(&pids);
    report.sending = contact::send_messages(
        &client,
        &instances,
        &targets,
        args.rate,
        Duration::from_secs(args.duration),
        args.max_in_flight,
        &tracker,
    )
    .await;
    if let (Some(before), Some(after)) = (cpu_before, proc_cpu_seconds(&pids)) {
        let cpu = after - before;
        report.server_cpu_seconds = Some(cpu);
        report.server_cores = Some(cpu / sending_started.elapsed().as_secs_f64());
    }
    let sent = report.sending.sent as usize;
    let grace_end = sending_started + Duration::from_secs(args.duration) + GRACE;
    while (tracker.undelivered(sent) > 0 || (receiver.is_some() && tracker.unhooked(sent) > 0))
        && Instant::now() < grace_end
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = lag_stop.send(true);
    report.outbox_lag = lag.await.unwrap_or_default();
    report.webhooks = receiver.map(|receiver| Webhooks {
        messages: tracker.hook_summary(sent),
        deliveries: receiver.deliveries.load(Ordering::Relaxed),
        repeated_ids: receiver.repeated_ids.load(Ordering::Relaxed),
    });
    memory.rss_end_kb = proc_status_kb(&pids, "VmRSS");
    memory.rss_peak_kb = proc_status_kb(&pids, "VmHWM");
    report.memory = memory;

    // 5. Close everything and report.
    let _ = stop_tx.send(true);
    for reader in opened.readers.into_iter().chain(inboxes) {
        let _ = reader.await;
    }
    report.messages = tracker.summary(sent);
    report.inbox = Inbox {
        frames: counters.frames.load(Ordering::Relaxed),
        closed: counters.closed.load(Ordering::Relaxed),
        resyncs: counters.resyncs.load(Ordering::Relaxed),
        unparsed: counters.unparsed.load(Ordering::Relaxed),
        duplicates: tracker.duplicates.load(Ordering::Relaxed),
        unknown: tracker.unknown.load(Ordering::Relaxed),
    };
    report.contact_frames = contact_counters.frames.load(Ordering::Relaxed);
    report.contact_sockets_closed = contact_counters.closed.load(Ordering::Relaxed);
    report.share_of_raw = report
        .raw
        .as_ref()
        .filter(|raw| raw.per_second > 0.0)
        .map(|raw| report.messages.delivered_per_s / raw.per_second);
    report.wall_seconds = started.elapsed().as_secs_f64();
    report.judge();
    Ok(report)
}
