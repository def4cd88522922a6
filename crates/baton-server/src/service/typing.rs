//! Typing indicators, both ways: who is typing in a conversation goes to the sockets open now
//! and is never stored. Users see the contact typing with the draft so far (the inbox shows it
//! as a live preview when the agent wants it); the contact sees "Ana is typing…" only from the
//! person who holds the chat, never a draft, and never from someone writing a note.

use baton_core::conversation::Owner;
use baton_core::event::EventKind;
use baton_core::ids::ConversationId;
use serde_json::json;

use super::conversations;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::realtime::bus::{BusEvent, frame};
use crate::state::AppState;

/// The longest draft passed on; the preview is a glance, not a transcript.
pub const MAX_DRAFT_CHARS: usize = 500;

pub async fn typing(
    state: &AppState,
    id: ConversationId,
    caller: &Caller,
    typing: bool,
    draft: Option<String>,
) -> ApiResult<()> {
    let conversation = conversations::load(state, id).await?;
    let event = match caller {
        Caller::Contact => {
            let draft = draft.filter(|_| typing).map(|d| d.chars().take(MAX_DRAFT_CHARS).collect::<String>());
            let data = json!({
                "conversation_id": id,
                "author": {"kind": "contact", "name": conversation.contact.name},
                "typing": typing,
                "draft": draft,
            });
            BusEvent {
                kind: EventKind::Typing,
                conversation_id: Some(id),
                seq: None,
                for_contact: false,
                frame: frame(EventKind::Typing.name(), &data),
                contact_frame: None,
                facts: None,
            }
        }
        Caller::User(user) => {
            let data = json!({
                "conversation_id": id,
                "author": {"kind": "user", "name": user.name},
                "typing": typing,
            });
            let shown = frame(EventKind::Typing.name(), &data);
            let holds = conversation.owner == Owner::User { user_id: user.id };
            BusEvent {
                kind: EventKind::Typing,
                conversation_id: Some(id),
                seq: None,
                for_contact: holds,
                contact_frame: holds.then(|| shown.clone()),
                frame: shown,
                facts: None,
            }
        }
    };
    state.bus.publish(event);
    Ok(())
}
