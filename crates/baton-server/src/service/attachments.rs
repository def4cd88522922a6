//! Sending and fetching files in a conversation. A file is checked against the deployment's
//! rules (`[attachments]`), kept by [`FileStore`] (on disk beside SQLite, in PostgreSQL) and
//! sent as a message of its own, with the same rules as a text: the contact may always send,
//! a team member only in a conversation they hold.

use baton_core::attachment::{AttachmentProblem, AttachmentRef};
use baton_core::ids::{AttachmentId, ConversationId};
use baton_core::values::MessageText;
use baton_store::NewAttachment;

use super::Sent;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::files::FileStore;
use crate::state::{AppState, SharedState};

fn refused(problem: AttachmentProblem) -> ApiError {
    match problem {
        AttachmentProblem::TooLarge { .. } => ApiError::PayloadTooLarge,
        AttachmentProblem::TypeRefused(_) => ApiError::UnsupportedMediaType { detail: problem.to_string() },
        AttachmentProblem::NotWhatItSays(_) => {
            ApiError::Unprocessable { code: "attachment_mismatch", detail: problem.to_string() }
        }
        AttachmentProblem::Invalid(e) => e.into(),
    }
}

fn files(state: &AppState) -> FileStore {
    FileStore::for_database(&state.settings.database_url)
}

/// `caller` sends the file `bytes` named `name` of type `content_type` in `conversation`.
pub async fn send(
    state: &SharedState,
    conversation: ConversationId,
    caller: &Caller,
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
    client_id: Option<String>,
) -> ApiResult<Sent> {
    let (name, content_type) =
        state.settings.attachments.check(name, content_type, &bytes).map_err(refused)?;
    let text = MessageText::parse(name.clone())?;
    let id: AttachmentId = state.new_id();
    let reference = AttachmentRef { id, name, content_type, size: bytes.len() as u64 };
    let files = files(state);
    let (path, content) = if files.in_database() {
        (None, Some(bytes))
    } else {
        let path = files.save(id, bytes).await.map_err(|e| ApiError::Internal(e.into()))?;
        (Some(path), None)
    };
    let attachment = NewAttachment { reference, path: path.clone(), content };
    let sent = match caller {
        Caller::Contact => {
            super::conversations::contact_message(state, conversation, text, client_id, Some(attachment))
                .await
        }
        Caller::User(user) => {
            super::handoffs::user_message(state, conversation, user, text, client_id, Some(attachment)).await
        }
    };
    // A refused send, or a repeated one (its file is the first send's), keeps no new file.
    let kept = matches!(&sent, Ok(Sent::New(m)) if m.attachment.as_ref().is_some_and(|a| a.id == id));
    if !kept && let Some(path) = path {
        files.delete(&[path]).await;
    }
    sent
}

/// The file `id` of `conversation`, with what it is. Whether the caller may see the
/// conversation is the handler's check.
pub async fn open(
    state: &AppState,
    conversation: ConversationId,
    id: AttachmentId,
) -> ApiResult<(AttachmentRef, Vec<u8>)> {
    let stored = state
        .store
        .attachment(id)
        .await?
        .filter(|a| a.conversation_id == conversation)
        .ok_or(ApiError::NotFound { what: "attachment" })?;
    let bytes = match (stored.content, stored.path) {
        (Some(content), _) => content,
        (None, Some(path)) => files(state).read(&path).await.map_err(|e| ApiError::Internal(e.into()))?,
        (None, None) => return Err(ApiError::NotFound { what: "attachment" }),
    };
    Ok((stored.reference, bytes))
}
