//! Who may see and act on what.
//!
//! Admins see everything. An agent sees a handoff (and its conversation, notes included) when
//! it is routed to them (its route names them or a team of theirs, in a language they speak),
//! when it is theirs (they hold it, it is offered to them, or it was transferred to them), and
//! a conversation the bot still has when the bot's policy would route it to them. Everything
//! else answers 403 `not_yours` and changes nothing; lists and the inbox socket leave it out.
//!
//! Routes are worked out from the same roster routing uses, but ignoring office hours and
//! presence: an agent whose team is closed, or who is away, still sees their team's work.

use std::collections::HashMap;

use baton_core::handoff::Handoff;
use baton_core::ids::{BotId, ConversationId};
use baton_core::user::{Role, User};
use baton_store::Conversation;

use super::routing::Snapshot;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn not_yours() -> ApiError {
    ApiError::Forbidden {
        code: "not_yours",
        detail: "this conversation is routed to other people (another team or language)".into(),
    }
}

/// What one user may see, read once (bots, teams, the roster) and asked many times.
pub struct Access {
    user: User,
    /// `None` for admins, who see everything without it.
    snapshot: Option<Snapshot>,
}

impl Access {
    pub async fn of(state: &AppState, user: &User) -> ApiResult<Self> {
        let snapshot = match user.role {
            Role::Admin => None,
            Role::Agent => Some(Snapshot::load_roster(state).await?),
        };
        Ok(Self { user: user.clone(), snapshot })
    }

    pub fn is_admin(&self) -> bool {
        self.snapshot.is_none()
    }

    /// Whether the user sees `handoff`, whose conversation belongs to `bot`.
    pub fn sees_handoff(&self, handoff: &Handoff, bot: BotId) -> bool {
        let Some(snapshot) = &self.snapshot else { return true };
        if handoff.assignee.as_ref().is_some_and(|assignee| assignee.id == self.user.id) {
            return true;
        }
        snapshot
            .policy(bot)
            .is_some_and(|policy| snapshot.roster.routes_to(self.user.id, &snapshot.route(handoff, policy)))
    }

    /// Whether the user sees a conversation of `bot` in `language` that no handoff of theirs
    /// explains: the users the bot's policy would route it to.
    pub fn sees_bot_conversation(&self, bot: BotId, language: Option<&str>) -> bool {
        let Some(snapshot) = &self.snapshot else { return true };
        snapshot.policy(bot).is_some_and(|policy| {
            snapshot.roster.routes_to(self.user.id, &snapshot.route_for_language(policy, language))
        })
    }

    /// Whether the user sees `conversation`, given its latest handoff (open or closed). While
    /// a handoff is open only it decides: a chat transferred to another team leaves the view
    /// of the bot's usual targets.
    pub fn sees_conversation(&self, conversation: &Conversation, latest: Option<&Handoff>) -> bool {
        self.sees_parts(conversation.bot_id, conversation.language.as_deref(), latest)
    }

    /// [`Self::sees_conversation`] from what a socket was told of the conversation.
    pub fn sees(&self, facts: &ConversationFacts) -> bool {
        self.sees_parts(facts.bot_id, facts.language.as_deref(), facts.latest.as_ref())
    }

    fn sees_parts(&self, bot: BotId, language: Option<&str>, latest: Option<&Handoff>) -> bool {
        let bots = || self.sees_bot_conversation(bot, language);
        match latest {
            Some(handoff) if handoff.state.is_open() => self.sees_handoff(handoff, bot),
            Some(handoff) => self.sees_handoff(handoff, bot) || bots(),
            None => bots(),
        }
    }
}

/// What decides who sees a conversation: its bot, its language and its latest handoff.
#[derive(Debug, Clone)]
pub struct ConversationFacts {
    pub bot_id: BotId,
    pub language: Option<String>,
    pub latest: Option<Handoff>,
}

impl ConversationFacts {
    pub fn new(conversation: &Conversation, latest: Option<Handoff>) -> Self {
        Self { bot_id: conversation.bot_id, language: conversation.language.clone(), latest }
    }

    /// Whether an open handoff decides, so the conversation's language does not matter.
    pub fn handoff_open(&self) -> bool {
        self.latest.as_ref().is_some_and(|handoff| handoff.state.is_open())
    }
}

/// 403 unless `user` may see and act on `conversation`.
pub async fn conversation(state: &AppState, user: &User, conversation: &Conversation) -> ApiResult<()> {
    if user.role == Role::Admin {
        return Ok(());
    }
    let access = Access::of(state, user).await?;
    let latest = state.store.latest_handoff(conversation.id).await?.map(|h| h.value);
    if access.sees_conversation(conversation, latest.as_ref()) { Ok(()) } else { Err(not_yours()) }
}

/// 403 unless `user` may see and act on `handoff`.
pub async fn handoff(state: &AppState, user: &User, handoff: &Handoff) -> ApiResult<()> {
    if user.role == Role::Admin {
        return Ok(());
    }
    let bot = bot_of(state, handoff.conversation_id).await?;
    let access = Access::of(state, user).await?;
    if access.sees_handoff(handoff, bot) { Ok(()) } else { Err(not_yours()) }
}

async fn bot_of(state: &AppState, conversation: ConversationId) -> ApiResult<BotId> {
    Ok(state
        .store
        .conversation(conversation)
        .await?
        .ok_or(ApiError::NotFound { what: "conversation" })?
        .bot_id)
}

/// `handoffs` without those `user` may not see.
pub async fn visible_handoffs(
    state: &AppState,
    user: &User,
    handoffs: Vec<Handoff>,
) -> ApiResult<Vec<Handoff>> {
    let access = Access::of(state, user).await?;
    if access.is_admin() {
        return Ok(handoffs);
    }
    let mut bots: HashMap<ConversationId, BotId> = HashMap::new();
    let mut visible = Vec::with_capacity(handoffs.len());
    for handoff in handoffs {
        let bot = match bots.get(&handoff.conversation_id) {
            Some(bot) => *bot,
            None => {
                let bot = bot_of(state, handoff.conversation_id).await?;
                bots.insert(handoff.conversation_id, bot);
                bot
            }
        };
        if access.sees_handoff(&handoff, bot) {
            visible.push(handoff);
        }
    }
    Ok(visible)
}
