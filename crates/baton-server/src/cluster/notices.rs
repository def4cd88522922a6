//! The notices instances exchange over NATS (see the [parent module](super)).

use std::time::Duration;

use baton_core::ids::{ConversationId, UserId};
use futures_util::StreamExt;

use super::Cluster;
use crate::events::routing;
use crate::state::{AppState, SharedState, stopped};

/// How long a question waits for another instance to say an inbox or widget is open there.
const PATIENCE: Duration = Duration::from_secs(2);
/// What an instance answers when the user's inbox is open on it.
const OPEN: &str = "open";

/// Until shutdown: tells the other instances about this one's events (and, while it
/// coordinates, its routing), and listens to theirs. Does nothing without `nats_url`.
pub async fn run(state: SharedState) -> anyhow::Result<()> {
    let Some(client) = state.cluster.nats.clone() else { return Ok(()) };
    let cluster = &state.cluster;
    let mut events_heard = client.subscribe(cluster.subject("events")).await?;
    let mut routed_heard = client.subscribe(cluster.subject("routed")).await?;
    let mut inbox_asked = client.subscribe(cluster.subject("inbox.*")).await?;
    let mut widget_asked = client.subscribe(cluster.subject("widget.*")).await?;
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
            Some(asked) = inbox_asked.next() => answer_inbox(&state, &client, asked).await,
            Some(asked) = widget_asked.next() => answer_widget(&state, &client, asked).await,
            () = stopped(&mut shutdown) => return Ok(()),
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

/// Answers only when the inbox is open here: an instance without it stays silent, and the
/// asker hears "no responders" when nobody has it.
async fn answer_inbox(state: &AppState, client: &async_nats::Client, asked: async_nats::Message) {
    let user = asked.subject.rsplit('.').next().and_then(|id| id.parse::<UserId>().ok());
    let open = user.is_some_and(|user| crate::service::presence::inbox_open(state, user));
    answer_if(client, asked.reply, open).await;
}

/// Answers only when a widget of the conversation is open here.
async fn answer_widget(state: &AppState, client: &async_nats::Client, asked: async_nats::Message) {
    let conversation = asked.subject.rsplit('.').next().and_then(|id| id.parse::<ConversationId>().ok());
    let open = conversation.is_some_and(|id| crate::service::inactivity::widget_open(state, id));
    answer_if(client, asked.reply, open).await;
}

async fn answer_if(client: &async_nats::Client, reply: Option<async_nats::Subject>, open: bool) {
    if let (true, Some(reply)) = (open, reply)
        && let Err(error) = client.publish(reply, OPEN.into()).await
    {
        tracing::warn!(?error, "answering another instance failed");
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
    let asked = tokio::time::timeout(PATIENCE, client.request(cluster.subject(&what), "".into())).await;
    match asked {
        Ok(Ok(answer)) => Ok(answer.payload.as_ref() == OPEN.as_bytes()),
        Ok(Err(error)) if error.kind() == async_nats::RequestErrorKind::NoResponders => Ok(false),
        // Every instance that has it answers at once; silence this long means nobody does.
        Err(_elapsed) => Ok(false),
        Ok(Err(error)) => Err(error.into()),
    }
}
