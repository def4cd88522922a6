//! Analytics facts, their roll-ups, and what the start-up backfill reads.

use std::sync::Arc;

use baton_core::analytics::{Bucket, DAY_MS, HOUR_MS, HandoffFact, Outcome};
use baton_core::event::Event;
use baton_core::handoff::{Command, Handoff, UserRef};
use baton_store::*;

use super::{NOW, change, conversation, new_id, queued_handoff};

fn query(now: baton_core::time::Timestamp) -> AnalyticsQuery {
    let day = now.as_millis() / DAY_MS;
    AnalyticsQuery { from_day: day, to_day: day, bot: None, team: None, bucket: Bucket::Day, now }
}

fn fact_of(event: &Event) -> HandoffFact {
    HandoffFact::observe(None, event).unwrap()
}

pub async fn facts_roll_up_and_a_stale_event_changes_nothing(store: Arc<SqlStore>) {
    let queued = queued_handoff(conversation(&store).await);
    store.save_handoff(change(queued.clone(), None)).await.unwrap();
    let ana = UserRef { id: new_id(), name: "Ana".into() };
    let live: Handoff =
        queued.apply(Command::Claim { user: ana.clone() }, NOW.plus_millis(30_000)).unwrap().handoff;

    store
        .save_handoff_facts(&[(fact_of(&Event::HandoffQueued(Box::new(queued.clone()))), 5)], NOW)
        .await
        .unwrap();
    let later = HandoffFact::observe(
        Some(&fact_of(&Event::HandoffQueued(Box::new(queued.clone())))),
        &Event::HandoffAssigned(Box::new(live)),
    )
    .unwrap();
    store.save_handoff_facts(&[(later.clone(), 9)], NOW).await.unwrap();
    // An event older than the fact's last is skipped.
    store
        .save_handoff_facts(&[(fact_of(&Event::HandoffQueued(Box::new(queued.clone()))), 7)], NOW)
        .await
        .unwrap();
    let (stored, seen) = store.handoff_fact(queued.id).await.unwrap().unwrap();
    assert_eq!(seen, 9);
    assert_eq!(stored.outcome(), Outcome::Human);
    assert!(stored.bot_id.is_some(), "the bot comes from the conversation");

    let sums = store.analytics(&query(NOW)).await.unwrap();
    assert_eq!(sums.groups.len(), 1, "the queued row was left, the human row joined: {:?}", sums.groups);
    assert_eq!((sums.groups[0].outcome, sums.groups[0].stats.handoffs), (Outcome::Human, 1));
    assert_eq!(sums.users, vec![(ana.id, sums.users[0].1.clone())]);
    assert_eq!(sums.users[0].1.time_to_human_ms_sum, 30_000);
    assert_eq!(sums.time_to_human.count(), 1);
    assert!(store.has_handoff_facts().await.unwrap());
}

pub async fn conversations_are_counted_once(store: Arc<SqlStore>) {
    conversation(&store).await;
    conversation(&store).await;
    // Counting what is stored: once, and not again (each test conversation has a bot of its own).
    assert_eq!(store.count_conversations_so_far(100).await.unwrap(), 2, "an hour row per bot");
    assert_eq!(store.count_conversations_so_far(100).await.unwrap(), 0);
    let hour = NOW.as_millis() / HOUR_MS;
    let bot = store.bots().await.unwrap()[0].id;
    // A start already counted (event 100 or before) is not added; a later one is, once.
    store.count_conversations(&[(hour, bot, 90), (hour, bot, 101), (hour, bot, 101)]).await.unwrap();
    let sums = store.analytics(&query(NOW)).await.unwrap();
    assert_eq!(sums.conversations, 3);
}

pub async fn handoffs_are_read_in_pages_for_the_backfill(store: Arc<SqlStore>) {
    assert!(!store.has_handoff_facts().await.unwrap());
    let mut ids = Vec::new();
    for _ in 0..3 {
        let handoff = queued_handoff(conversation(&store).await);
        store.save_handoff(change(handoff.clone(), None)).await.unwrap();
        ids.push(handoff.id);
    }
    ids.sort();
    let first = store.handoffs_after(None, 2).await.unwrap();
    assert_eq!(first.iter().map(|h| h.id).collect::<Vec<_>>(), ids[..2]);
    let rest = store.handoffs_after(Some(ids[1]), 2).await.unwrap();
    assert_eq!(rest.iter().map(|h| h.id).collect::<Vec<_>>(), ids[2..]);
    assert!(store.handoffs_after(Some(ids[2]), 2).await.unwrap().is_empty());
}
