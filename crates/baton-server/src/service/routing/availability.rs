//! What a contact (or the widget, before any handoff) is told about the humans behind the bot.

use baton_core::handoff::{Handoff, HandoffState};
use baton_core::ids::HandoffId;
use baton_core::policy::Policy;
use baton_core::time::Timestamp;
use baton_store::Conversation;
use serde::Serialize;
use utoipa::ToSchema;

use super::Snapshot;
use crate::error::ApiResult;
use crate::state::AppState;

/// A queued handoff's place among those waiting for the same people, and its expected wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct QueuePlace {
    pub position: usize,
    pub eta_seconds: u32,
}

/// Whether a human could take the conversation now, and if not, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Availability {
    /// A handoff now would be queued for someone on duty (within office hours).
    pub humans_available: bool,
    /// When office hours next open, while nobody can take it.
    pub next_open_at: Option<Timestamp>,
    /// The expected wait of a handoff requested now, while humans are available.
    pub expected_reply_seconds: Option<u32>,
}

/// Every queued handoff's place and expected wait.
pub async fn queue_places(state: &AppState) -> ApiResult<std::collections::BTreeMap<HandoffId, QueuePlace>> {
    let snapshot = Snapshot::load(state).await?;
    Ok(baton_core::routing::places(&snapshot.queue, &snapshot.roster)
        .into_iter()
        .filter_map(|(queued, position)| {
            let route = snapshot.queue.route_by_id(queued.route)?;
            Some((queued.id, QueuePlace { position, eta_seconds: snapshot.eta_seconds(route, position) }))
        })
        .collect())
}

/// The queue place of `open` (if queued) and the availability for `conversation`.
pub async fn waiting(
    state: &AppState,
    conversation: &Conversation,
    policy: &Policy,
    open: Option<&Handoff>,
) -> ApiResult<(Option<QueuePlace>, Availability)> {
    let snapshot = Snapshot::load(state).await?;
    let place = open.filter(|handoff| handoff.state == HandoffState::Queued).and_then(|handoff| {
        let position = baton_core::routing::place(&snapshot.queue, &snapshot.roster, handoff.id)?;
        let route = snapshot.route_of(handoff.id)?;
        Some(QueuePlace { position, eta_seconds: snapshot.eta_seconds(route, position) })
    });
    let route = match open.and_then(|handoff| snapshot.route_of(handoff.id)) {
        Some(route) => route.clone(),
        None => snapshot.route_for_language(policy, conversation.language.as_deref()),
    };
    let humans_available = snapshot.humans_available(policy, &route);
    let expected_reply_seconds = humans_available.then(|| match place {
        Some(place) => place.eta_seconds,
        None => snapshot.eta_seconds(&route, snapshot.waiting_on(&route) + 1),
    });
    let next_open_at = if humans_available { None } else { snapshot.next_open_at(policy, &route) };
    Ok((place, Availability { humans_available, next_open_at, expected_reply_seconds }))
}
