//! Conversation history: searching every conversation a user may see, closed ones included,
//! and reading one back with all its handoffs. The matching is the store's full-text index
//! (see [`baton_core::search`]); what an agent may see is [`super::access`]'s rule, applied to
//! each page, which is read again further on when the rule left it short.

use baton_core::handoff::Handoff;
use baton_core::ids::ConversationId;
use baton_core::search::{ConversationSearch, Cursor};
use baton_core::user::User;
use baton_store::{Conversation, ConversationHit};

use super::access::{self, Access};
use super::conversations;
use crate::error::ApiResult;
use crate::state::AppState;

/// The most conversations one page holds.
pub const MAX_PAGE: u32 = 100;
/// How many store pages a search reads for an agent before answering with what it found.
const MAX_READS: usize = 5;

pub struct Page {
    pub hits: Vec<ConversationHit>,
    /// Where the next page starts; `None` after the last.
    pub next: Option<Cursor>,
}

/// One page of the conversations matching `search` that `user` may see.
#[tracing::instrument(skip_all, fields(words = search.text.words.len(), limit = search.limit))]
pub async fn search(state: &AppState, user: &User, mut search: ConversationSearch) -> ApiResult<Page> {
    let access = Access::of(state, user).await?;
    let limit = search.limit.clamp(1, MAX_PAGE) as usize;
    search.limit = limit as u32;
    let mut hits = Vec::with_capacity(limit);
    for _ in 0..MAX_READS {
        let page = state.store.search_conversations(&search).await?;
        let full = page.len() == limit;
        search.after = page.last().map(|hit| Cursor { at: hit.last_message_at, id: hit.conversation.id });
        hits.extend(
            page.into_iter().filter(|hit| access.sees_conversation(&hit.conversation, hit.handoffs.last())),
        );
        if !full {
            return Ok(Page { hits, next: None });
        }
        if hits.len() >= limit {
            break;
        }
    }
    // Past `limit` visible answers the page ends at the last one kept, so the next page starts
    // right after it.
    if hits.len() > limit {
        hits.truncate(limit);
        search.after = hits.last().map(|hit| Cursor { at: hit.last_message_at, id: hit.conversation.id });
    }
    Ok(Page { hits, next: search.after })
}

/// A conversation and every handoff it had, oldest first, for `user` (403 `not_yours` unless
/// they may see it).
pub async fn episodes(
    state: &AppState,
    user: &User,
    id: ConversationId,
) -> ApiResult<(Conversation, Vec<Handoff>)> {
    let conversation = conversations::load(state, id).await?;
    access::conversation(state, user, &conversation).await?;
    let handoffs = state.store.conversation_handoffs(id).await?;
    Ok((conversation, handoffs))
}
