//! The two websocket streams: a contact's conversation, and a user's inbox.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use baton_core::event::EventKind;
use baton_core::ids::ConversationId;
use baton_core::user::{Role, User};
use futures_util::SinkExt;
use futures_util::future::BoxFuture;
use serde::Deserialize;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, watch};

use crate::auth::{Caller, MISSING, bearer_token, conversation_caller, user_for_token};
use crate::error::{ApiPath, ApiQuery, ApiResult};
use crate::realtime::bus::{BusEvent, frame};
use crate::realtime::sessions::SessionWatch;
use crate::service::access::Access;
use crate::service::{inactivity, presence};
use crate::state::{AppState, SharedState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StreamQuery {
    /// The contact token (browsers cannot set headers on websockets).
    token: Option<String>,
    /// Replay messages with a seq greater than this first.
    #[serde(default)]
    after: i64,
}

/// What a socket reads at a time. Clients send these sockets only control frames (pings,
/// close), so a small buffer serves them; it grows for a larger frame, and every open socket
/// holds it for its whole life.
const READ_BUFFER_BYTES: usize = 256;

fn upgrade(state: &AppState, ws: WebSocketUpgrade) -> WebSocketUpgrade {
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(state.settings.websocket_buffer_bytes)
        .max_write_buffer_size(usize::MAX)
        .max_message_size(64 * 1024)
}

/// A contact's conversation as a stream of `{type, data}` frames.
#[utoipa::path(get, path = "/v1/conversations/{id}/ws", tag = "contact",
    params(("id" = String, Path, description = "Conversation id"), StreamQuery),
    responses((status = 101, description = "Switching to the websocket protocol"), (status = 404, body = crate::error::Problem)))]
pub async fn contact_stream(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    ApiQuery(query): ApiQuery<StreamQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    let token = bearer_token(&headers, query.token.as_deref());
    let caller = conversation_caller(&state, token.clone(), id).await?;
    let watcher = match (caller, token) {
        (Caller::User(user), token) => {
            // A user watching a conversation is dropped when their session ends.
            let session = token.map(|token| SessionWatch::new(&state, &token, &user));
            Some(Box::new(Watcher { user, session }))
        }
        (Caller::Contact, _) => None,
    };
    // Subscribed, and the newest message read, before the handshake answers: whatever the
    // client sends once it sees the socket open comes after both, so it is forwarded.
    let events = state.bus.subscribe_conversation(id);
    let newest = state.store.conversation(id).await?.map_or(0, |c| c.last_seq);
    // A client claiming more than exists (a stale or made-up `after`) starts from the newest
    // message there is, so the next one is not taken for a repeat and dropped.
    let after = query.after.clamp(0, newest);
    let stream = ConversationStream { conversation: id, after, events, watcher };
    Ok(upgrade(&state, ws).on_upgrade(move |socket| contact_socket(state, socket, stream)))
}

/// What a conversation's socket was opened with.
struct ConversationStream {
    conversation: ConversationId,
    /// The last seq the client has.
    after: i64,
    /// Subscribed before the handshake answered.
    events: broadcast::Receiver<Arc<BusEvent>>,
    /// A user watching the conversation; `None` for its contact.
    watcher: Option<Box<Watcher>>,
}

/// A user watching a contact's conversation. Boxed: few sockets have one, and every socket
/// would otherwise keep its room.
struct Watcher {
    user: User,
    session: Option<SessionWatch>,
}

/// Sends the messages after `last` from the store; returns the new last seq. Boxed, see
/// [`contact_socket`].
fn replay<'a>(
    state: &'a AppState,
    socket: &'a mut WebSocket,
    conversation: ConversationId,
    mut last: i64,
    notes: bool,
) -> BoxFuture<'a, Option<i64>> {
    Box::pin(async move {
        loop {
            let batch = state.store.messages_after(conversation, last, notes, 500).await.ok()?;
            for message in &batch {
                // Without notes this is the contact's view of the conversation.
                let shown = if notes { message.clone() } else { message.clone().for_contact() };
                let data = serde_json::to_value(&shown).ok()?;
                socket
                    .send(WsMessage::Text(frame(EventKind::MessageCreated.name(), &data).into()))
                    .await
                    .ok()?;
                last = message.seq;
            }
            if batch.len() < 500 {
                return Some(last);
            }
        }
    })
}

/// A contact's (or a watching user's) socket until either side ends it.
///
/// The store reads it makes now and then (the replays, `still_sees`) return boxed futures: a
/// task's future is as large as the largest future it may await, and theirs are kilobytes,
/// which every idle widget would otherwise hold for its whole life.
// Written out on purpose: see the comment inside.
#[allow(clippy::manual_async_fn)]
fn contact_socket(
    state: SharedState,
    mut socket: WebSocket,
    stream: ConversationStream,
) -> impl std::future::Future<Output = ()> {
    // A function returning its future, not an `async fn`: an `async fn` keeps its arguments
    // twice (as given and as bound), the socket among them.
    async move {
        let ConversationStream { conversation, after, mut events, mut watcher } = stream;
        // The contact's open widget is their sign of life in a live chat.
        let is_contact = watcher.is_none();
        if is_contact {
            inactivity::widget_opened(&state, conversation);
        }
        forward_conversation(&state, &mut socket, conversation, after, &mut events, watcher.as_deref_mut())
            .await;
        if is_contact {
            inactivity::widget_closed(&state, conversation);
        }
    }
}

/// Forwards a conversation's events to its socket until either side ends it.
async fn forward_conversation(
    state: &AppState,
    socket: &mut WebSocket,
    conversation: ConversationId,
    after: i64,
    events: &mut broadcast::Receiver<Arc<BusEvent>>,
    mut watcher: Option<&mut Watcher>,
) {
    // `events` was subscribed before the replay, so nothing committed in between is missed;
    // the seq check below drops what the replay already sent.
    let mut shutdown = state.shutdown.clone();
    let Some(mut last) = replay(state, socket, conversation, after, false).await else { return };
    loop {
        let session = watcher.as_deref_mut().and_then(|watcher| watcher.session.as_mut());
        let Some(event) = next_event(state, socket, events, &mut shutdown, session).await else { return };
        let event: Arc<BusEvent> = match event {
            Ok(event) => event,
            Err(RecvError::Lagged(_)) => {
                let Some(seq) = replay(state, socket, conversation, last, false).await else { return };
                last = seq;
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        // A user watching the chat may lose it (a transfer to another team): asked again
        // whenever something other than a message happens to it.
        if let Some(watcher) = &watcher
            && event.kind != EventKind::MessageCreated
            && !still_sees(state, &watcher.user, conversation).await
        {
            let _ = socket.send(WsMessage::Close(None)).await;
            return;
        }
        if let Some(seq) = event.seq {
            if seq <= last {
                continue;
            }
            if seq > last + 1 {
                // Something between is missing here: the store has it.
                let Some(seq) = replay(state, socket, conversation, last, false).await else { return };
                last = seq;
                continue;
            }
            last = seq;
        }
        let Some(contact_frame) = &event.contact_frame else { continue };
        if socket.send(WsMessage::Text(contact_frame.clone().into())).await.is_err() {
            return;
        }
    }
}

/// Whether `user` may still see `conversation`; a store that cannot answer keeps the socket.
/// Boxed, see [`contact_socket`].
fn still_sees<'a>(state: &'a AppState, user: &'a User, conversation: ConversationId) -> BoxFuture<'a, bool> {
    Box::pin(async move {
        match state.store.conversation(conversation).await {
            Ok(Some(found)) => !matches!(
                crate::service::access::conversation(state, user, &found).await,
                Err(crate::error::ApiError::Forbidden { .. })
            ),
            Ok(None) => false,
            Err(_) => true,
        }
    })
}

/// The next bus event for a socket; `None` once the client has gone, the server is shutting
/// down, or the user's session has ended (the socket is then closed politely).
async fn next_event(
    state: &AppState,
    socket: &mut WebSocket,
    events: &mut broadcast::Receiver<Arc<BusEvent>>,
    shutdown: &mut watch::Receiver<bool>,
    mut session: Option<&mut SessionWatch>,
) -> Option<Result<Arc<BusEvent>, RecvError>> {
    loop {
        // Boxed, for a user's socket only: a contact's socket, which has no session, does
        // not carry the room of the watch's future.
        let session_ended: BoxFuture<'_, ()> = match session.as_deref_mut() {
            Some(session) => Box::pin(session.ended(state)),
            None => Box::pin(std::future::pending()),
        };
        tokio::select! {
            event = events.recv() => return Some(event),
            incoming = socket.recv() => match incoming {
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => return None,
                Some(Ok(_)) => {}
            },
            _ = crate::state::stopped(shutdown) => {
                let _ = socket.send(WsMessage::Close(None)).await;
                return None;
            }
            () = session_ended => {
                let _ = socket.send(WsMessage::Close(Some(SESSION_ENDED))).await;
                return None;
            }
        }
    }
}

/// The close frame of a socket whose session ended: the client should log in again.
const SESSION_ENDED: CloseFrame = CloseFrame { code: 4401, reason: Utf8Bytes::from_static("session ended") };

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InboxQuery {
    /// The session token.
    token: Option<String>,
}

/// A user's inbox: every event of the conversations they may see (all, for admins), notes
/// included. After a `resync` frame the client should reload its lists.
#[utoipa::path(get, path = "/v1/ws", tag = "user", params(InboxQuery),
    responses((status = 101, description = "Switching to the websocket protocol"), (status = 401, body = crate::error::Problem)))]
pub async fn inbox_stream(
    State(state): State<SharedState>,
    ApiQuery(query): ApiQuery<InboxQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    let token = bearer_token(&headers, query.token.as_deref()).ok_or(MISSING)?;
    let user = user_for_token(&state, &token).await?;
    let session = SessionWatch::new(&state, &token, &user);
    // Subscribed before the handshake answers, so whatever happens once the client sees it
    // connected reaches it.
    let events = state.bus.subscribe_all();
    Ok(upgrade(&state, ws).on_upgrade(move |socket| async move {
        // Boxed apart from the await, like the store reads below, so the socket's task does
        // not keep their room (see `contact_socket`).
        let opened = Box::pin(presence::inbox_opened(&state, &user));
        if let Err(error) = opened.await {
            tracing::error!(?error, "recording an open inbox failed");
        }
        inbox_socket(&state, socket, events, InboxFilter::new(user.clone()), session).await;
        let closed = Box::pin(presence::inbox_closed(&state, user.id));
        if let Err(error) = closed.await {
            tracing::error!(?error, "recording a closed inbox failed");
        }
    }))
}

async fn inbox_socket(
    state: &SharedState,
    mut socket: WebSocket,
    mut events: broadcast::Receiver<Arc<BusEvent>>,
    mut filter: InboxFilter,
    mut session: SessionWatch,
) {
    let mut shutdown = state.shutdown.clone();
    while let Some(event) =
        next_event(state, &mut socket, &mut events, &mut shutdown, Some(&mut session)).await
    {
        let Some(text) = inbox_frame(state, &mut filter, event).await else { return };
        if let Some(text) = text
            && socket.feed(WsMessage::Text(text.into())).await.is_err()
        {
            return;
        }
        // Events already waiting go out with this one, in one write: a busy inbox costs a
        // system call per burst, not per frame.
        for _ in 0..WRITE_TOGETHER {
            let event = match events.try_recv() {
                Ok(event) => Ok(event),
                Err(TryRecvError::Lagged(missed)) => Err(RecvError::Lagged(missed)),
                Err(TryRecvError::Closed) => Err(RecvError::Closed),
                Err(TryRecvError::Empty) => break,
            };
            let Some(text) = inbox_frame(state, &mut filter, event).await else { break };
            if let Some(text) = text
                && socket.feed(WsMessage::Text(text.into())).await.is_err()
            {
                return;
            }
        }
        if socket.flush().await.is_err() {
            return;
        }
    }
}

/// The most frames written to one inbox socket at once.
const WRITE_TOGETHER: usize = 64;

/// The frame `event` makes on this inbox: `Some(None)` when the user may not see it, `None`
/// when the bus has closed.
async fn inbox_frame(
    state: &AppState,
    filter: &mut InboxFilter,
    event: Result<Arc<BusEvent>, RecvError>,
) -> Option<Option<String>> {
    Some(match event {
        Ok(event) => match filter.allows(state, &event).await {
            Ok(true) => Some(event.frame.clone()),
            Ok(false) => None,
            Err(error) => {
                // Unsure what the user may see: tell them to reload, which is filtered.
                tracing::warn!(?error, "deciding what an inbox may see failed");
                Some(frame("resync", &serde_json::json!({})))
            }
        },
        Err(RecvError::Lagged(_)) => Some(frame("resync", &serde_json::json!({}))),
        Err(RecvError::Closed) => return None,
    })
}

/// How long an inbox reuses what it read of teams, routes and bots before reading them again,
/// so a change of team or policy reaches open inboxes soon without a read per event.
const ACCESS_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// Which bus events one user's inbox may carry: the same rule as the lists
/// (`service::access`), decided from the facts the event carries (see
/// [`crate::realtime::publish`]), or read from the store for an event published without them.
struct InboxFilter {
    user: User,
    access: Option<(Access, std::time::Instant)>,
}

impl InboxFilter {
    fn new(user: User) -> Self {
        Self { user, access: None }
    }

    async fn allows(&mut self, state: &AppState, event: &BusEvent) -> ApiResult<bool> {
        if self.user.role == Role::Admin {
            return Ok(true);
        }
        if event.kind.for_admins_only() {
            return Ok(false);
        }
        let Some(conversation) = event.conversation_id else { return Ok(true) };
        if self.access.as_ref().is_none_or(|(_, read)| read.elapsed() > ACCESS_REFRESH) {
            let reading = Box::pin(Access::of(state, &self.user));
            self.access = Some((reading.await?, std::time::Instant::now()));
        }
        let Some((access, _)) = &self.access else { return Ok(false) };
        if let Some(facts) = &event.facts {
            return Ok(access.sees(facts));
        }
        let reading = Box::pin(async {
            Ok(match state.store.conversation(conversation).await? {
                Some(found) => {
                    let latest = state.store.latest_handoff(conversation).await?.map(|h| h.value);
                    access.sees_conversation(&found, latest.as_ref())
                }
                None => false,
            })
        });
        reading.await
    }
}
