//! Several instances on one PostgreSQL database: who coordinates, and how news travels.
//!
//! Most of Baton's work can run in any instance behind a load balancer: requests, websockets,
//! bot turns, and the leased sends of webhooks and channel messages. Two kinds of work must
//! run in exactly one place at a time:
//!
//! - the durable event consumers, which share one stored cursor each (two copies would each
//!   send every webhook and mail);
//! - routing, which hands out capacity that two deciders could both hand out, and the timers
//!   that feed it.
//!
//! So one instance **coordinates**: it holds the store's `coordinator` role (on PostgreSQL a
//! session advisory lock on a connection of its own, see `baton_store::RoleHold`) and runs
//! that work, while every other instance tries to take the role once a [`CLAIM_EVERY`]. The
//! database frees the lock the moment the coordinator's connection ends, so when it dies
//! another instance takes over within about a second: it re-reads the consumers' stored
//! cursors (at-least-once, as after any restart), fires the timers that came due, gives every
//! online user the grace period to show their inbox is still open, and routes.
//!
//! News travels over core NATS when `nats_url` is set ([`run`]); without it an instance finds
//! the others' events by polling once a second. Core NATS, not JetStream, because nothing it
//! carries needs keeping: the outbox in the database is the durable, ordered log, and a lost
//! notice costs at most that second. Three subjects, under `nats_subject_prefix`:
//!
//! - `<prefix>.events`: "I committed events up to id N". Every instance's tail reads them at
//!   once, so a contact's socket on one instance and the agent's on another talk live.
//! - `<prefix>.routed`: the coordinator's routing cursor. A write answered by another
//!   instance waits for it (`events::settle_writes`), as it would for its own routing.
//! - `<prefix>.inbox.<user id>` and `<prefix>.widget.<conversation id>`: "is this user's inbox
//!   (this contact's chat window) open on you?", asked before presence counts a user away, a
//!   mail goes to someone away from the inbox, or a live chat closes for the contact's
//!   silence. An instance subscribes to such a subject only while it holds one open, so the
//!   one that has it answers at once, and when none has it NATS says "no responders" at once.
//!   A question that cannot be asked (NATS unreachable) is an error: the timer asking fires
//!   again later rather than count someone gone.

mod notices;

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

pub use notices::{inbox_open_elsewhere, run, widget_open_elsewhere};

use crate::settings::Settings;
use crate::state::{SharedState, stopped};

/// The role whose holder runs the work only one instance may do.
const COORDINATOR: &str = "coordinator";
/// How often an instance that does not coordinate tries to take over, and how often the one
/// that does checks that it still does.
pub const CLAIM_EVERY: Duration = Duration::from_secs(1);

/// What this process knows of the others.
pub struct Cluster {
    nats: Option<async_nats::Client>,
    prefix: String,
    /// Whether this process coordinates.
    coordinating: watch::Sender<bool>,
    /// The newest event id another instance said it committed.
    announced: watch::Sender<i64>,
    /// Where presence and inactivity say what this instance has open, for [`run`].
    interest: tokio::sync::mpsc::UnboundedSender<notices::Interest>,
    interests: std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<notices::Interest>>>,
}

impl Default for Cluster {
    fn default() -> Self {
        let (interest, interests) = tokio::sync::mpsc::unbounded_channel();
        Self {
            nats: None,
            prefix: "baton".into(),
            coordinating: watch::Sender::new(false),
            announced: watch::Sender::new(0),
            interest,
            interests: std::sync::Mutex::new(Some(interests)),
        }
    }
}

/// Rejects settings a cluster cannot start with.
pub fn check(settings: &Settings) -> anyhow::Result<()> {
    let url = &settings.nats_url;
    if !url.is_empty() && !["nats://", "tls://"].iter().any(|scheme| url.starts_with(scheme)) {
        anyhow::bail!("nats_url must start with nats:// or tls://");
    }
    let prefix = &settings.nats_subject_prefix;
    let token =
        |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c));
    if !prefix.split('.').all(token) {
        anyhow::bail!("nats_subject_prefix must be dot-separated words of letters, digits, - and _");
    }
    Ok(())
}

impl Cluster {
    /// Connects to NATS when `nats_url` is set; a server that cannot be reached stops the start.
    pub async fn connect(settings: &Settings) -> anyhow::Result<Self> {
        let mut cluster = Self { prefix: settings.nats_subject_prefix.clone(), ..Self::default() };
        if !settings.nats_url.is_empty() {
            // Without echo: an instance hears only the others, not its own notices.
            let client = async_nats::ConnectOptions::new()
                .name("baton")
                .no_echo()
                .connect(settings.nats_url.as_str())
                .await
                .map_err(|e| {
                    let url = crate::settings::redact_url(&settings.nats_url);
                    anyhow::anyhow!("connecting to NATS at {url}: {e}")
                })?;
            cluster.nats = Some(client);
        }
        Ok(cluster)
    }

    /// Whether this process coordinates.
    pub fn coordinating(&self) -> bool {
        *self.coordinating.borrow()
    }

    /// Whether news from the other instances arrives at once (over NATS).
    pub fn connected(&self) -> bool {
        self.nats.is_some()
    }

    /// Changes when another instance says it committed newer events.
    pub fn watch_announced(&self) -> watch::Receiver<i64> {
        self.announced.subscribe()
    }

    fn subject(&self, name: &str) -> String {
        format!("{}.{name}", self.prefix)
    }
}

/// The role held while an instance prepares an empty database (the demo bot, the first
/// admin), so instances started together create each once.
const SETUP: &str = "setup";
/// How long an instance waits for another to finish preparing the database.
const SETUP_PATIENCE: Duration = Duration::from_secs(60);

/// Runs `work` while holding the setup role, waiting while another instance holds it.
pub async fn while_setting_up<T, W>(store: &dyn baton_store::Store, work: W) -> anyhow::Result<T>
where
    W: Future<Output = T>,
{
    let deadline = tokio::time::Instant::now() + SETUP_PATIENCE;
    let hold = loop {
        if let Some(hold) = store.claim_role(SETUP).await? {
            break hold;
        }
        if tokio::time::Instant::now() >= deadline {
            anyhow::bail!("another instance has been preparing the database for a minute");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let done = work.await;
    hold.release().await;
    Ok(done)
}

/// Tries once to take the coordinator role; the hold, if it was taken.
pub async fn claim(state: &SharedState) -> Option<baton_store::RoleHold> {
    match state.store.claim_role(COORDINATOR).await {
        Ok(Some(hold)) => {
            state.cluster.coordinating.send_replace(true);
            tracing::info!("this instance coordinates (consumers, routing, timers)");
            Some(hold)
        }
        Ok(None) => None,
        Err(error) => {
            tracing::warn!(?error, "claiming the coordinator role failed");
            None
        }
    }
}

/// Until shutdown: keeps the coordinator role while it holds, and tries to take it while
/// another instance holds it. Starts from `hold` when the caller has already claimed it, and
/// hands back what it holds at shutdown: the caller frees it once the coordinating work has
/// stopped (and stored its cursors), so a successor starts where it ended.
pub async fn hold_or_claim(
    state: SharedState,
    mut hold: Option<baton_store::RoleHold>,
) -> Option<baton_store::RoleHold> {
    let mut shutdown = state.shutdown.clone();
    loop {
        tokio::select! {
            () = tokio::time::sleep(CLAIM_EVERY) => {}
            () = stopped(&mut shutdown) => return hold,
        }
        if *shutdown.borrow() {
            return hold;
        }
        hold = match hold.take() {
            Some(mut held) => {
                if held.still_held().await {
                    Some(held)
                } else {
                    state.cluster.coordinating.send_replace(false);
                    tracing::error!("lost the coordinator role: its database connection failed");
                    None
                }
            }
            None => claim(&state).await,
        };
    }
}

/// Runs `work` whenever this process coordinates, stopping it when the role is lost, until
/// shutdown. `work` gets whether this is a takeover (every round but one that the caller
/// already prepared when it started).
pub async fn while_coordinating<F, W>(state: SharedState, prepared: bool, work: F)
where
    F: Fn(SharedState, bool) -> W,
    W: Future<Output = ()>,
{
    let mut coordinating = state.cluster.coordinating.subscribe();
    let mut shutdown = state.shutdown.clone();
    let mut takeover = !prepared;
    loop {
        tokio::select! {
            biased;
            () = stopped(&mut shutdown) => return,
            held = coordinating.wait_for(|held| *held) => if held.is_err() { return },
        }
        tokio::select! {
            () = work(state.clone(), takeover) => return,
            lost = coordinating.wait_for(|held| !*held) => if lost.is_err() { return },
        }
        takeover = true;
    }
}
