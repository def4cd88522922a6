//! The analytics consumer: folds each handoff's events into its fact (see
//! [`baton_core::analytics`]) and counts conversations started, so a report reads sums, not
//! the event history (which is pruned).
//!
//! A fact is counted under a team: its assignee's first team (by name) once a person took it,
//! else the first team it was routed to (its own targets after a transfer or widening, else
//! its bot's targets for its language). The team's first-response SLA comes with it. Events
//! are applied once each: the store keeps the id of the last event folded into a fact, and
//! a conversation hour the id of the last start counted, so a replayed batch changes nothing.
//!
//! On a database from before analytics, [`backfill`] gives the stored handoffs and
//! conversations their facts and counts once, at start.

use std::collections::HashMap;

use baton_core::analytics::{HOUR_MS, HandoffFact};
use baton_core::event::Event;
use baton_core::handoff::Handoff;
use baton_core::ids::{BotId, ConversationId, HandoffId};
use baton_core::routing::{Target, TeamKey};
use baton_store::{Bot, RosterEntry, StoredEvent, Team};

use super::Consumer;
use crate::state::AppState;

pub struct Analytics;

/// What attributing a handoff to a team reads, once per batch that needs it.
struct Teams {
    /// By name.
    teams: Vec<Team>,
    users: Vec<RosterEntry>,
    bots: HashMap<BotId, Bot>,
    conversation_bots: HashMap<ConversationId, Option<BotId>>,
}

impl Teams {
    async fn read(state: &AppState) -> anyhow::Result<Self> {
        let mut teams = state.store.teams().await?;
        teams.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self {
            teams,
            users: state.store.roster().await?,
            bots: state.store.bots().await?.into_iter().map(|bot| (bot.id, bot)).collect(),
            conversation_bots: HashMap::new(),
        })
    }

    fn team(&self, target: &Target) -> Option<&Team> {
        match target {
            Target::Team(TeamKey::Id(id)) => self.teams.iter().find(|team| team.id == *id),
            Target::Team(TeamKey::Name(name)) => self.teams.iter().find(|team| team.name == *name),
            _ => None,
        }
    }

    /// The team a handoff is counted under (see the module documentation).
    async fn of(&mut self, state: &AppState, handoff: &Handoff) -> anyhow::Result<Option<&Team>> {
        if let Some(assignee) = handoff.assignee.as_ref().filter(|_| handoff.assigned_at.is_some()) {
            let member_of = self.users.iter().find(|entry| entry.user.id == assignee.id);
            if let Some(entry) = member_of {
                return Ok(self.teams.iter().find(|team| entry.team_ids.contains(&team.id)));
            }
            return Ok(None);
        }
        let targets: Vec<Target> = match &handoff.targets {
            Some(targets) => targets.clone(),
            None => {
                let bot = match self.conversation_bots.get(&handoff.conversation_id) {
                    Some(bot) => *bot,
                    None => {
                        let bot = state.store.conversation(handoff.conversation_id).await?.map(|c| c.bot_id);
                        self.conversation_bots.insert(handoff.conversation_id, bot);
                        bot
                    }
                };
                let policy = bot.and_then(|bot| self.bots.get(&bot)).map(|bot| &bot.settings.policy);
                policy
                    .map(|p| p.assignment.targets_for(handoff.language.as_deref()).to_vec())
                    .unwrap_or_default()
            }
        };
        Ok(targets.iter().find_map(|target| self.team(target)))
    }
}

/// Counts `fact` under the team `handoff` belongs to now (see the module documentation).
async fn attribute(
    state: &AppState,
    teams: &mut Option<Teams>,
    fact: &mut HandoffFact,
    handoff: &Handoff,
) -> anyhow::Result<()> {
    if teams.is_none() {
        *teams = Some(Teams::read(state).await?);
    }
    let Some(teams) = teams.as_mut() else { return Ok(()) };
    match teams.of(state, handoff).await? {
        Some(team) => {
            fact.team_id = Some(team.id);
            fact.sla_seconds = team.settings.first_response_sla_seconds;
        }
        // Taken by someone in no team: counted under none. Still waiting with no team to
        // route to now (one deleted): the team it had stays.
        None if fact.assigned_at.is_some() => (fact.team_id, fact.sla_seconds) = (None, None),
        None => {}
    }
    Ok(())
}

/// The event a handoff's stored record stands for: the one that brought it to its state.
fn latest_event(handoff: Handoff) -> Event {
    use baton_core::handoff::HandoffState as S;
    let handoff = Box::new(handoff);
    match handoff.state {
        S::Gathering => Event::HandoffGathering(handoff),
        S::Queued => Event::HandoffQueued(handoff),
        S::Offered => Event::HandoffOffered(handoff),
        S::Live => Event::HandoffAssigned(handoff),
        S::Offline => Event::HandoffOffline(handoff),
        S::Ticket => Event::LeadCaptured(handoff),
        S::Closed => Event::HandoffClosed(handoff),
    }
}

/// How many stored handoffs [`backfill`] reads at a time.
const BACKFILL_PAGE: i64 = 500;

/// On a database whose handoffs have no facts yet (one from before analytics), gives each
/// stored handoff its fact from its record as it is now, and counts the stored conversations;
/// on any other database it does nothing. What only events told is not known for these:
/// offers, declines and expiries count as none, and a handoff closed after going offline
/// without details counts as abandoned. Facts and counts take the outbox's newest event as
/// their last, so the events still in the outbox, already in the records, are not added again.
/// Returns how many handoffs it gave a fact.
pub async fn backfill(state: &AppState) -> anyhow::Result<usize> {
    let head = state.store.outbox_head().await?;
    state.store.count_conversations_so_far(head).await?;
    if state.store.has_handoff_facts().await? {
        return Ok(0);
    }
    let mut teams = None;
    let mut after = None;
    let mut done = 0;
    loop {
        let page = state.store.handoffs_after(after, BACKFILL_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        let mut facts = Vec::with_capacity(page.len());
        for handoff in page {
            let event = latest_event(handoff);
            let Some(mut fact) = HandoffFact::observe(None, &event) else { continue };
            if let Some(handoff) = event.handoff() {
                attribute(state, &mut teams, &mut fact, handoff).await?;
            }
            facts.push((fact, head));
        }
        state.store.save_handoff_facts(&facts, state.now()).await?;
        done += facts.len();
    }
    Ok(done)
}

fn handoff_id_of(event: &Event) -> Option<HandoffId> {
    match event {
        Event::ConversationReturnedToBot(reference) => Some(reference.handoff_id),
        Event::FeedbackReceived(feedback) => Some(feedback.handoff_id),
        other => other.handoff().map(|handoff| handoff.id),
    }
}

impl Consumer for Analytics {
    fn name(&self) -> &'static str {
        "analytics"
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        let mut facts: HashMap<HandoffId, (HandoffFact, i64)> = HashMap::new();
        let mut started = Vec::new();
        let mut teams: Option<Teams> = None;
        for stored in events {
            if let Event::ConversationStarted(start) = &stored.event {
                started.push((stored.created_at.as_millis().div_euclid(HOUR_MS), start.bot_id, stored.id));
                continue;
            }
            let Some(id) = handoff_id_of(&stored.event) else { continue };
            let previous = match facts.get(&id) {
                Some(known) => Some(known.clone()),
                None => state.store.handoff_fact(id).await?,
            };
            if previous.as_ref().is_some_and(|(_, seen)| *seen >= stored.id) {
                continue;
            }
            let Some(mut fact) = HandoffFact::observe(previous.as_ref().map(|(fact, _)| fact), &stored.event)
            else {
                continue;
            };
            if let Some(handoff) = stored.event.handoff() {
                attribute(state, &mut teams, &mut fact, handoff).await?;
            }
            facts.insert(id, (fact, stored.id));
        }
        if !started.is_empty() {
            state.store.count_conversations(&started).await?;
        }
        if !facts.is_empty() {
            let facts: Vec<(HandoffFact, i64)> = facts.into_values().collect();
            state.store.save_handoff_facts(&facts, state.now()).await?;
        }
        Ok(())
    }
}
