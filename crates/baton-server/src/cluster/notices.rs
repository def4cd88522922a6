//! The notices instances exchange over NATS (see the [parent module](super)).

use std::collections::HashMap;
use std::time::Duration;

use baton_core::ids::{ConversationId, UserId};
use futures_util::StreamExt;

use super::Cluster;
use crate::events::routing;
use crate::state::{SharedState, stopped};

/// How long a question waits for the instance that has the inbox or widget open to say so.
const PATIENCE: Duration = Duration::from_secs(2);
/// What an instance answers when it has the inbox or widget open.
const OPEN: &str = "open";

/// Until shutdown: tells the other instances about this one's events (and, while it
/// coordinates, its routing), and listens to theirs. Does nothing without `nats_url`.
pub async fn run(state: SharedState) -> anyhow::Result<()> {
    let Some(client) = state.cluster.nats.clone() else { return Ok(()) };
    let cluster = &state.cluster;
    let mut events_heard = client.subscribe(cluster.subject("events")).await?;
    let mut routed_heard = client.subscribe(cluster.subject("routed")).await?;
    let mut interests = cluster.interests.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
    // Per subject this instance answers on, the task answering it.
    let mut answering: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
    let mut committed = state.store.watch_events();
    let mut routed = state.progress.watch(routing::NAME);
    let mut shutdown = state.shutdown.clone();
    loop {
        tokio::select! {
            changed = committed.changed() => {
                if changed.is_err() { return Ok(()) }
                let head = *committed.borrow_and_update();
                publish(&client, cluster.subject("events"), head).await;
            }
            changed = routed.changed() => {
                if changed.is_err() { return Ok(()) }
                let cursor = *routed.borrow_and_update();
                if cluster.coordinating() {
                    publish(&client, cluster.subject("routed"), cursor).await;
                }
            }
            Some(heard) = events_heard.next() => {
                if let Some(head) = number(&heard.payload) {
                    cluster.announced.send_if_modified(|newest| raise(newest, head));
                }
            }
            Some(heard) = routed_heard.next() => {
                // The coordinator's own routing sets its progress; another's is news only here.
                if let (false, Some(cursor)) = (cluster.coordinating(), number(&heard.payload)) {
                    state.progress.set(routing::NAME, cursor);
                }
            }
            Some(Interest { what, open }) = async { interests.as_mut()?.recv().await } => {
                let subject = cluster.subject(&what);
                if !open {
                    if let Some(answerer) = answering.remove(&subject) {
                        // Dropping its subscription unsubscribes.
                        answerer.abort();
                    }
                } else if let std::collections::hash_map::Entry::Vacant(entry) = answering.entry(subject) {
                    match client.subscribe(entry.key().clone()).await {
                        Ok(asked) => {
                            entry.insert(tokio::spawn(answer_open(client.clone(), asked)));
                        }
                        Err(error) => tracing::warn!(?error, "answering for an open socket failed"),
                    }
                }
            }
            () = stopped(&mut shutdown) => {
                answering.into_values().for_each(|answerer| answerer.abort());
                return Ok(());
            }
        }
    }
}

async fn publish(client: &async_nats::Client, subject: String, value: i64) {
    if let Err(error) = client.publish(subject, value.to_string().into()).await {
        tracing::warn!(?error, "telling the other instances failed; they will poll");
    }
}

fn number(payload: &[u8]) -> Option<i64> {
    std::str::from_utf8(payload).ok()?.parse().ok()
}

fn raise(newest: &mut i64, heard: i64) -> bool {
    let newer = heard > *newest;
    *newest = (*newest).max(heard);
    newer
}

/// What this instance has open, told to [`run`]: a subject it answers "open" on while it
/// holds one, so a question nobody holds an answer for gets "no responders" at once.
pub(super) struct Interest {
    what: String,
    open: bool,
}

impl Cluster {
    /// `user`'s first inbox opened here (`true`), or the last one closed (`false`).
    pub fn inbox_here(&self, user: UserId, open: bool) {
        self.interest(format!("inbox.{user}"), open);
    }

    /// A chat window of `conversation` first opened here (`true`), or the last one closed.
    pub fn widget_here(&self, conversation: ConversationId, open: bool) {
        self.interest(format!("widget.{conversation}"), open);
    }

    fn interest(&self, what: String, open: bool) {
        if self.nats.is_some() {
            // Fails only once `run` has stopped, at shutdown.
            let _ = self.interest.send(Interest { what, open });
        }
    }
}

/// Answers "open" to every question on one subscription, until aborted.
async fn answer_open(client: async_nats::Client, mut asked: async_nats::Subscriber) {
    while let Some(question) = asked.next().await {
        if let Some(reply) = question.reply
            && let Err(error) = client.publish(reply, OPEN.into()).await
        {
            tracing::warn!(?error, "answering another instance failed");
        }
    }
}

/// Whether `user` has an inbox open on another instance. `Ok(false)` without NATS (the
/// instance is alone) or when no instance answers; an error when the question could not be
/// asked, so the caller tries again later instead of guessing.
pub async fn inbox_open_elsewhere(cluster: &Cluster, user: UserId) -> anyhow::Result<bool> {
    open_elsewhere(cluster, format!("inbox.{user}")).await
}

/// Whether a widget of `conversation` is open on another instance (as
/// [`inbox_open_elsewhere`]).
pub async fn widget_open_elsewhere(cluster: &Cluster, conversation: ConversationId) -> anyhow::Result<bool> {
    open_elsewhere(cluster, format!("widget.{conversation}")).await
}

async fn open_elsewhere(cluster: &Cluster, what: String) -> anyhow::Result<bool> {
    let Some(client) = &cluster.nats else { return Ok(false) };
    // A question that cannot reach the others says nothing about them.
    if client.connection_state() != async_nats::connection::State::Connected {
        anyhow::bail!("not connected to NATS");
    }
    let asked = tokio::time::timeout(PATIENCE, client.request(cluster.subject(&what), "".into())).await;
    match asked {
        Ok(Ok(answer)) => Ok(answer.payload.as_ref() == OPEN.as_bytes()),
        // Only an instance that has it subscribes: nobody does.
        Ok(Err(error)) if error.kind() == async_nats::RequestErrorKind::NoResponders => Ok(false),
        Ok(Err(error)) => Err(error.into()),
        Err(_elapsed) => anyhow::bail!("no answer from the other instances within {PATIENCE:?}"),
    }
}
