//! Canned responses: the team's shared saved replies (admins manage them) and each user's
//! own, listed for the composer with their placeholders filled in for the conversation open.

use baton_core::canned::{CannedDraft, CannedResponse, RenderContext, for_conversation, render};
use baton_core::ids::{CannedId, ConversationId};
use baton_core::user::{Role, User};
use baton_store::StoreError;

use super::{access, conversations};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A response as given.
pub struct CannedForm {
    pub shortcut: String,
    pub text: String,
    pub language: Option<String>,
    pub shared: bool,
}

/// A response as listed: with its text rendered for a conversation, when one was named.
pub struct Listed {
    pub response: CannedResponse,
    pub rendered: Option<String>,
}

fn taken(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(_) => ApiError::conflict(
            "shortcut_taken",
            "shortcut: there is already a saved reply with this shortcut in this language",
        ),
        other => other.into(),
    }
}

/// Only admins share replies with the team or change shared ones; a personal one is its
/// owner's alone (others see it as not existing).
fn may_change(user: &User, response: &CannedResponse) -> ApiResult<()> {
    if response.shared && user.role != Role::Admin {
        return Err(ApiError::Forbidden {
            code: "admin_only",
            detail: "only admins change the team's shared replies".into(),
        });
    }
    if !response.shared && response.owner_id != Some(user.id) {
        return Err(ApiError::NotFound { what: "canned response" });
    }
    Ok(())
}

fn checked(state: &AppState, user: &User, id: CannedId, form: CannedForm) -> ApiResult<CannedResponse> {
    let draft = CannedDraft { shortcut: form.shortcut, text: form.text, language: form.language }
        .checked()
        .map_err(ApiError::invalid)?;
    let response = CannedResponse {
        id,
        shortcut: draft.shortcut,
        text: draft.text,
        language: draft.language,
        shared: form.shared,
        owner_id: (!form.shared).then_some(user.id),
        updated_at: state.now(),
    };
    may_change(user, &response)?;
    Ok(response)
}

/// The shared responses and the user's own. With a conversation (one the user may see), the
/// ones to offer there, each rendered for it.
pub async fn list(
    state: &AppState,
    user: &User,
    conversation: Option<ConversationId>,
) -> ApiResult<Vec<Listed>> {
    let responses = state.store.canned_responses_for(user.id).await?;
    let Some(id) = conversation else {
        return Ok(responses.into_iter().map(|response| Listed { response, rendered: None }).collect());
    };
    let conversation = conversations::load(state, id).await?;
    access::conversation(state, user, &conversation).await?;
    let handoff = state.store.latest_handoff(id).await?.map(|h| h.value);
    let lead = handoff.as_ref().and_then(|h| h.lead.as_ref());
    let contact_name = conversation.contact.name.as_deref().or(lead.and_then(|l| l.name.as_deref()));
    let contact_email = conversation.contact.email.as_deref().or(lead.map(|l| l.email.as_str()));
    let context = RenderContext { contact_name, contact_email, user_name: &user.name };
    let offered = for_conversation(&responses, conversation.language.as_deref());
    Ok(offered
        .into_iter()
        .map(|response| Listed {
            rendered: Some(render(&response.text, &context)),
            response: response.clone(),
        })
        .collect())
}

pub async fn create(state: &AppState, user: &User, form: CannedForm) -> ApiResult<CannedResponse> {
    let response = checked(state, user, state.new_id(), form)?;
    state.store.create_canned_response(&response).await.map_err(taken)?;
    Ok(response)
}

async fn get(state: &AppState, user: &User, id: CannedId) -> ApiResult<CannedResponse> {
    let response =
        state.store.canned_response(id).await?.ok_or(ApiError::NotFound { what: "canned response" })?;
    may_change(user, &response)?;
    Ok(response)
}

pub async fn update(
    state: &AppState,
    user: &User,
    id: CannedId,
    form: CannedForm,
) -> ApiResult<CannedResponse> {
    get(state, user, id).await?;
    let response = checked(state, user, id, form)?;
    if !state.store.update_canned_response(&response).await.map_err(taken)? {
        return Err(ApiError::NotFound { what: "canned response" });
    }
    Ok(response)
}

pub async fn delete(state: &AppState, user: &User, id: CannedId) -> ApiResult<()> {
    get(state, user, id).await?;
    if !state.store.delete_canned_response(id).await? {
        return Err(ApiError::NotFound { what: "canned response" });
    }
    Ok(())
}
