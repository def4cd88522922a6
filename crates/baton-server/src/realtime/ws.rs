//! The two websocket streams: a contact's conversation, and a user's inbox.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use baton_core::event::EventKind;
use baton_core::ids::ConversationId;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};

use crate::auth::{MISSING, bearer_token, conversation_caller, user_for_token};
use crate::error::{ApiPath, ApiQuery, ApiResult};
use crate::realtime::bus::{BusEvent, frame};
use crate::service::presence;
use crate::state::{AppState, SharedState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StreamQuery {
    /// The contact token (browsers cannot set headers on websockets).
    token: Option<String>,
    /// Replay messages with a seq greater than this first.
    #[serde(default)]
    after: i64,
}

fn upgrade(state: &AppState, ws: WebSocketUpgrade) -> WebSocketUpgrade {
    let buffer = state.settings.websocket_buffer_bytes;
    ws.read_buffer_size(buffer)
        .write_buffer_size(buffer)
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
    conversation_caller(&state, bearer_token(&headers, query.token.as_deref()), id).await?;
    Ok(upgrade(&state, ws).on_upgrade(move |socket| contact_socket(state, socket, id, query.after)))
}

/// Sends the messages after `last` from the store; returns the new last seq.
async fn replay(
    state: &AppState,
    socket: &mut WebSocket,
    conversation: ConversationId,
    mut last: i64,
    notes: bool,
) -> Option<i64> {
    loop {
        let batch = state.store.messages_after(conversation, last, notes, 500).await.ok()?;
        for message in &batch {
            let data = serde_json::to_value(message).ok()?;
            socket.send(WsMessage::Text(frame(EventKind::MessageCreated.name(), &data).into())).await.ok()?;
            last = message.seq;
        }
        if batch.len() < 500 {
            return Some(last);
        }
    }
}

async fn contact_socket(state: SharedState, mut socket: WebSocket, conversation: ConversationId, after: i64) {
    // Subscribe before replaying, so nothing committed in between is missed; the seq check
    // below drops what the replay already sent.
    let mut events = state.bus.subscribe_conversation(conversation);
    let mut shutdown = state.shutdown.clone();
    let Some(mut last) = replay(&state, &mut socket, conversation, after.max(0), false).await else { return };
    while let Some(event) = next_event(&mut socket, &mut events, &mut shutdown).await {
        let event: Arc<BusEvent> = match event {
            Ok(event) => event,
            Err(RecvError::Lagged(_)) => {
                let Some(seq) = replay(&state, &mut socket, conversation, last, false).await else { return };
                last = seq;
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        if let Some(seq) = event.seq {
            if seq <= last {
                continue;
            }
            if seq > last + 1 {
                // Something between is missing here: the store has it.
                let Some(seq) = replay(&state, &mut socket, conversation, last, false).await else { return };
                last = seq;
                continue;
            }
            last = seq;
        }
        if socket.send(WsMessage::Text(event.frame.clone().into())).await.is_err() {
            return;
        }
    }
}

/// The next bus event for a socket; `None` once the client has gone or the server is
/// shutting down (the socket is then closed politely).
async fn next_event(
    socket: &mut WebSocket,
    events: &mut broadcast::Receiver<Arc<BusEvent>>,
    shutdown: &mut watch::Receiver<bool>,
) -> Option<Result<Arc<BusEvent>, RecvError>> {
    loop {
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
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InboxQuery {
    /// The session token.
    token: Option<String>,
}

/// A user's inbox: every event of every conversation, notes included. After a `resync`
/// frame the client should reload its lists.
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
    // Subscribed before the handshake answers, so whatever happens once the client sees it
    // connected reaches it.
    let events = state.bus.subscribe_all();
    Ok(upgrade(&state, ws).on_upgrade(move |socket| async move {
        if let Err(error) = presence::inbox_opened(&state, &user).await {
            tracing::error!(?error, "recording an open inbox failed");
        }
        inbox_socket(&state, socket, events).await;
        if let Err(error) = presence::inbox_closed(&state, user.id).await {
            tracing::error!(?error, "recording a closed inbox failed");
        }
    }))
}

async fn inbox_socket(
    state: &SharedState,
    mut socket: WebSocket,
    mut events: broadcast::Receiver<Arc<BusEvent>>,
) {
    let mut shutdown = state.shutdown.clone();
    while let Some(event) = next_event(&mut socket, &mut events, &mut shutdown).await {
        let text = match event {
            Ok(event) => event.frame.clone(),
            Err(RecvError::Lagged(_)) => frame("resync", &serde_json::json!({})),
            Err(RecvError::Closed) => return,
        };
        if socket.send(WsMessage::Text(text.into())).await.is_err() {
            return;
        }
    }
}
