//! Conversation history for the team: search every conversation, closed ones included, and
//! read one back with all its handoffs.

use axum::Json;
use axum::extract::State;
use baton_core::analytics::DAY_MS;
use baton_core::handoff::{ContactInfo, Handoff, HandoffState, Priority, Trigger, UserRef};
use baton_core::ids::{BotId, ContactId, ConversationId, HandoffId, TeamId, UserId};
use baton_core::schedule::parse_date;
use baton_core::search::{self, ConversationSearch, Cursor, SearchText, StateFilter};
use baton_core::time::Timestamp;
use baton_store::ConversationHit;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult, Problem};
use crate::service::history;
use crate::state::SharedState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryFilter {
    /// Words to find in the messages (notes included) or the contact's name and email, all of
    /// them in one message; a word's end may be left off. Or a conversation's or handoff's id.
    pub query: Option<String>,
    /// `bot` (never handed over), `open`, `closed` (handed over and closed since), or the open
    /// handoff's state: `gathering`, `queued`, `offered`, `live`, `offline`, `ticket`.
    pub state: Option<String>,
    pub bot_id: Option<BotId>,
    /// The conversations of this contact.
    pub contact: Option<ContactId>,
    /// Handed to this team (the team a handoff is counted under in analytics).
    pub team: Option<TeamId>,
    /// Held by this user.
    pub user: Option<UserId>,
    pub trigger: Option<Trigger>,
    pub priority: Option<Priority>,
    /// Rated with this many stars (1–5).
    pub rating: Option<u8>,
    /// Active on or after this UTC day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Started on or before this UTC day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Conversations per page, 1–100 (25 when absent).
    pub limit: Option<u32>,
}

/// A handoff, briefly, as a history list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoffBrief {
    pub id: HandoffId,
    pub state: HandoffState,
    pub trigger: Trigger,
    pub priority: Priority,
    pub reason: String,
    pub assignee: Option<UserRef>,
    pub requested_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub rating: Option<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub bot_id: BotId,
    /// The contact's name and email, from the conversation or else the details they left.
    pub contact: ContactInfo,
    pub language: Option<String>,
    /// `bot`, or the open handoff's state.
    pub state: String,
    pub created_at: Timestamp,
    pub last_message_at: Timestamp,
    /// Every handoff, oldest first.
    pub handoffs: Vec<HandoffBrief>,
    /// Where the words were found: part of the newest matching message, or the contact's name
    /// and email. Absent without words.
    pub excerpt: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationPage {
    pub conversations: Vec<ConversationSummary>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationHandoffs {
    /// Every handoff of the conversation, oldest first.
    pub handoffs: Vec<Handoff>,
}

fn day(field: &str, text: &str) -> ApiResult<Timestamp> {
    let date = parse_date(text).map_err(|problem| ApiError::invalid(format!("{field}: {problem}")))?;
    let days = baton_core::schedule::Date::constant(1970, 1, 1)
        .until(date)
        .map_err(|e| ApiError::invalid(format!("{field}: {e}")))?
        .get_days();
    Ok(Timestamp::from_millis(i64::from(days) * DAY_MS))
}

impl HistoryFilter {
    fn into_search(self) -> ApiResult<ConversationSearch> {
        let text = SearchText::parse(self.query.as_deref().unwrap_or(""))
            .map_err(|e| ApiError::invalid(format!("query: {e}")))?;
        let state = self
            .state
            .as_deref()
            .map(StateFilter::parse)
            .transpose()
            .map_err(|e| ApiError::invalid(format!("state: {e}")))?;
        if let Some(rating) = self.rating
            && !(1..=5).contains(&rating)
        {
            return Err(ApiError::invalid(format!("rating: {rating} is not between 1 and 5")));
        }
        let from = self.from.as_deref().map(|text| day("from", text)).transpose()?;
        let to =
            self.to.as_deref().map(|text| day("to", text)).transpose()?.map(|day| day.plus_millis(DAY_MS));
        if let (Some(from), Some(to)) = (from, to)
            && from >= to
        {
            return Err(ApiError::invalid("from: must not be after to"));
        }
        let after = self
            .cursor
            .as_deref()
            .map(Cursor::parse)
            .transpose()
            .map_err(|e| ApiError::invalid(format!("cursor: {e}")))?;
        let limit = self.limit.unwrap_or(25);
        if !(1..=history::MAX_PAGE).contains(&limit) {
            return Err(ApiError::invalid(format!(
                "limit: {limit} is not between 1 and {}",
                history::MAX_PAGE
            )));
        }
        Ok(ConversationSearch {
            text,
            state,
            bot: self.bot_id,
            contact: self.contact,
            team: self.team,
            user: self.user,
            trigger: self.trigger,
            priority: self.priority,
            rating: self.rating,
            from,
            to,
            after,
            limit,
        })
    }
}

pub(crate) fn summary(hit: ConversationHit, words: &[String]) -> ConversationSummary {
    let conversation = hit.conversation;
    let mut contact = conversation.contact.clone();
    for handoff in hit.handoffs.iter().rev() {
        contact.name = contact
            .name
            .or_else(|| handoff.contact.name.clone())
            .or_else(|| handoff.lead.as_ref().and_then(|lead| lead.name.clone()));
        contact.email = contact
            .email
            .or_else(|| handoff.contact.email.clone())
            .or_else(|| handoff.lead.as_ref().map(|lead| lead.email.as_str().to_owned()));
    }
    let open = hit.handoffs.last().filter(|h| h.state.is_open());
    ConversationSummary {
        id: conversation.id,
        bot_id: conversation.bot_id,
        contact,
        language: conversation.language,
        state: baton_core::conversation::conversation_state(open).to_owned(),
        created_at: conversation.created_at,
        last_message_at: hit.last_message_at,
        excerpt: hit.matched.map(|text| search::excerpt(&text, words, 160)),
        handoffs: hit
            .handoffs
            .into_iter()
            .map(|h| HandoffBrief {
                id: h.id,
                state: h.state,
                trigger: h.trigger,
                priority: h.priority,
                reason: h.reason,
                assignee: h.assignee,
                requested_at: h.requested_at,
                closed_at: h.closed_at,
                rating: h.rating.map(|rating| rating.value()),
            })
            .collect(),
    }
}

/// Searches every conversation the caller may see, closed ones included, most recently active
/// first, a page at a time. Words use the database's full-text index (SQLite FTS5,
/// PostgreSQL `tsvector`).
#[utoipa::path(get, path = "/v1/conversations", tag = "user", params(HistoryFilter), security(("bearer" = [])),
    responses((status = 200, body = ConversationPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 422, body = Problem)))]
pub async fn search_conversations(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(filter): ApiQuery<HistoryFilter>,
) -> ApiResult<Json<ConversationPage>> {
    let search = filter.into_search()?;
    let words = search.text.words.clone();
    let page = history::search(&state, &user, search).await?;
    Ok(Json(ConversationPage {
        conversations: page.hits.into_iter().map(|hit| summary(hit, &words)).collect(),
        next_cursor: page.next.map(|cursor| cursor.to_string()),
    }))
}

/// Every handoff a conversation had, oldest first, with what each gathered, who held it, and
/// its rating: the episodes of its history.
#[utoipa::path(get, path = "/v1/conversations/{id}/handoffs", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ConversationHandoffs), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn conversation_handoffs(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Json<ConversationHandoffs>> {
    let (_, handoffs) = history::episodes(&state, &user, id).await?;
    Ok(Json(ConversationHandoffs { handoffs }))
}
