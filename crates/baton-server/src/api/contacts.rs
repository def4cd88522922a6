//! Contacts for the team: find one, read their record with their conversations, export
//! everything held about them, erase them.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baton_core::contact::Contact;
use baton_core::handoff::Handoff;
use baton_core::ids::{ContactId, ContactKind};
use baton_core::message::Message;
use baton_core::search::{Cursor, SearchText};
use baton_core::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::history::{ConversationSummary, summary};
use crate::auth::{Admin, CurrentUser};
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult, Problem};
use crate::service::contacts;
use crate::state::SharedState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ContactFilter {
    /// Words of the name, email or the site's user id (a word's end may be left off), or a
    /// contact's id.
    pub query: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Contacts per page, 1–100 (25 when absent).
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPage {
    pub contacts: Vec<Contact>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Contacts, most recently seen first, optionally found by words.
#[utoipa::path(get, path = "/v1/contacts", tag = "user", params(ContactFilter), security(("bearer" = [])),
    responses((status = 200, body = ContactPage), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list_contacts(
    State(state): State<SharedState>,
    CurrentUser(_): CurrentUser,
    ApiQuery(filter): ApiQuery<ContactFilter>,
) -> ApiResult<Json<ContactPage>> {
    let text = SearchText::parse(filter.query.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::invalid(format!("query: {e}")))?;
    let after = filter
        .cursor
        .as_deref()
        .map(Cursor::<ContactKind>::parse)
        .transpose()
        .map_err(|e| ApiError::invalid(format!("cursor: {e}")))?;
    let limit = filter.limit.unwrap_or(25);
    if !(1..=contacts::MAX_PAGE).contains(&limit) {
        return Err(ApiError::invalid(format!("limit: {limit} is not between 1 and {}", contacts::MAX_PAGE)));
    }
    let page = contacts::search(&state, &text, after, limit).await?;
    Ok(Json(ContactPage { contacts: page.contacts, next_cursor: page.next.map(|c| c.to_string()) }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactRecord {
    pub contact: Contact,
    /// Their conversations you may see, most recently active first (the latest 50).
    pub conversations: Vec<ConversationSummary>,
}

/// A contact with their conversations, each with its handoffs and ratings.
#[utoipa::path(get, path = "/v1/contacts/{id}", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = ContactRecord), (status = 404, body = Problem)))]
pub async fn get_contact(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ContactId>,
) -> ApiResult<Json<ContactRecord>> {
    let (contact, page) = contacts::profile(&state, &user, id).await?;
    let conversations = page.hits.into_iter().map(|hit| summary(hit, &[])).collect();
    Ok(Json(ContactRecord { contact, conversations }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactExport {
    pub exported_at: Timestamp,
    pub contact: Contact,
    pub conversations: Vec<ExportedConversation>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedConversation {
    pub id: baton_core::ids::ConversationId,
    pub created_at: Timestamp,
    pub language: Option<String>,
    /// What the contact, the bot and the team said to each other; the team's internal notes
    /// are left out.
    pub messages: Vec<Message>,
    /// Each handoff: what was gathered, the details left, the rating and comment.
    pub handoffs: Vec<Handoff>,
}

/// Everything Baton holds about a contact, as a JSON file (admins; recorded in the audit log).
#[utoipa::path(get, path = "/v1/contacts/{id}/export", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ContactExport), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_contact(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<ContactId>,
) -> ApiResult<Response> {
    let (contact, conversations) = contacts::export(&state, &admin, id).await?;
    let export = ContactExport {
        exported_at: state.now(),
        contact,
        conversations: conversations
            .into_iter()
            .map(|c| ExportedConversation {
                id: c.conversation.id,
                created_at: c.conversation.created_at,
                language: c.conversation.language,
                messages: c.messages,
                handoffs: c.handoffs,
            })
            .collect(),
    };
    let mut response = Json(export).into_response();
    let disposition = format!("attachment; filename=\"contact-{id}.json\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Erases a contact: every message of their conversations and their personal data (name,
/// email, details gathered or left, comments, summaries), keeping anonymous counts (admins;
/// 409 `contact_in_chat` while one of their conversations is with the team).
#[utoipa::path(delete, path = "/v1/contacts/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn erase_contact(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<ContactId>,
) -> ApiResult<StatusCode> {
    contacts::erase(&state, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
