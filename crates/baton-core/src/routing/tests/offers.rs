//! Round robin and least busy: who gets which offer, capacity, declines.

use super::*;

#[test]
fn capacity_two_never_yields_a_third_chat() {
    let (mut queue, _) = queue_to_everyone(50, Strategy::RoundRobin);
    let mut agents = vec![online(1), online(2), online(3)];
    for round in 0..20 {
        let decision = decide(&queue, &Roster::new(agents.clone(), 2, |_| true));
        accept(&mut queue, &mut agents, &decision, at(1_000 + round));
        assert!(agents.iter().all(|agent| agent.live <= 2), "round {round}: {agents:?}");
    }
    assert!(agents.iter().all(|agent| agent.live == 2));
    assert_eq!(queue.len(), 44, "the rest waits for room");
}

#[test]
fn pending_offers_count_against_capacity() {
    let (queue, _) = queue_to_everyone(5, Strategy::RoundRobin);
    let full_with_offer = Agent { live: 1, pending_offers: 1, capacity: Some(2), ..online(1) };
    let answering = Agent { pending_offers: 1, ..online(2) };
    let at_capacity = Agent { live: 3, capacity: Some(3), ..online(3) };
    let decision = decide(&queue, &roster(&[full_with_offer, answering, at_capacity]));
    assert_eq!(decision.offers, vec![], "full, or still answering another offer");
}

#[test]
fn round_robin_is_fair_over_thirty_handoffs() {
    // Handoffs arrive one at a time and each chat ends before the next: capacity never
    // decides, only the rotation does.
    let mut agents = vec![online(1), online(2), online(3)];
    let mut queue = Queue::new();
    let route = queue.route(Route::new([Reach::Everyone], None, Strategy::RoundRobin));
    let mut served = Vec::new();
    for n in 1..=30 {
        queue.push(queued(n, route));
        let decision = decide(&queue, &roster(&agents));
        assert_eq!(decision.offers.len(), 1);
        served.push(decision.offers[0].user);
        accept(&mut queue, &mut agents, &decision, at(i64::from(n) * 1_000));
        agents.iter_mut().for_each(|agent| agent.live = 0);
    }
    for agent in &agents {
        assert_eq!(served.iter().filter(|&&id| id == agent.id).count(), 10);
    }
    assert_eq!(served[..6], [user(1), user(2), user(3), user(1), user(2), user(3)]);
}

#[test]
fn round_robin_drains_a_queue_evenly() {
    let (mut queue, _) = queue_to_everyone(30, Strategy::RoundRobin);
    let mut agents = vec![online(1), online(2), online(3)];
    for round in 0..10 {
        let decision = decide(&queue, &roster(&agents));
        assert_eq!(decision.offers.len(), 3, "one offer each per decision");
        accept(&mut queue, &mut agents, &decision, at(1_000 + round));
    }
    assert!(queue.is_empty());
    assert!(agents.iter().all(|agent| agent.live == 10), "{agents:?}");
}

#[test]
fn round_robin_serves_the_least_recently_assigned_first() {
    let (queue, _) = queue_to_everyone(4, Strategy::RoundRobin);
    let agents = [
        Agent { last_assigned_at: Some(at(500)), ..online(1) },
        Agent { last_assigned_at: Some(at(100)), ..online(2) },
        online(4),
        online(3),
    ];
    let decision = decide(&queue, &roster(&agents));
    assert_eq!(offered_users(&decision), [user(3), user(4), user(2), user(1)], "never, by id; then oldest");
    assert_eq!(decision.offers[0].handoff, handoff(1), "the head of the queue goes first");
}

#[test]
fn least_busy_picks_the_fewest_live_chats() {
    let (queue, _) = queue_to_everyone(1, Strategy::LeastBusy);
    let agents = [
        Agent { live: 3, ..online(1) },
        Agent { live: 1, last_assigned_at: Some(at(900)), ..online(2) },
        Agent { live: 2, last_assigned_at: Some(at(1)), ..online(3) },
    ];
    assert_eq!(offered_users(&decide(&queue, &roster(&agents))), [user(2)]);

    let (queue, _) = queue_to_everyone(3, Strategy::LeastBusy);
    let ties = [
        Agent { live: 2, ..online(1) },
        Agent { live: 1, last_assigned_at: Some(at(900)), ..online(2) },
        Agent { live: 1, last_assigned_at: Some(at(100)), ..online(3) },
    ];
    let decision = decide(&queue, &roster(&ties));
    assert_eq!(offered_users(&decision), [user(3), user(2), user(1)], "ties: least recently assigned");
}

#[test]
fn declined_users_are_skipped() {
    let (mut queue, route) = queue_to_everyone(0, Strategy::RoundRobin);
    queue.push(QueuedHandoff { declined_by: vec![user(1)], ..queued(1, route) });
    queue.push(queued(2, route));
    let decision = decide(&queue, &roster(&[online(1), online(2)]));
    let offers: Vec<_> = decision.offers.iter().map(|offer| (offer.handoff, offer.user)).collect();
    assert_eq!(offers, [(handoff(1), user(2)), (handoff(2), user(1))]);
    assert_eq!(decision.declined_by_everyone, vec![]);
}

#[test]
fn when_everyone_declined_the_handoff_stays_queued_at_its_place() {
    let (mut queue, route) = queue_to_everyone(0, Strategy::RoundRobin);
    queue.push(QueuedHandoff { declined_by: vec![user(1), user(2)], ..queued(1, route) });
    queue.push(queued(2, route));
    // User 3 declined too but is offline: they do not count, and get nothing.
    let away = Agent::new(user(3), crate::user::Presence::Away);
    let decision = decide(&queue, &roster(&[online(1), online(2), away]));
    assert_eq!(decision.declined_by_everyone, [handoff(1)]);
    assert_eq!(decision.offers.len(), 1);
    assert_eq!(decision.offers[0].handoff, handoff(2), "the next handoff is not held up");
    assert_eq!(queue.position(handoff(1)).map(|position| position.overall), Some(1));

    // Someone new comes online: the head of the queue goes to them first.
    let decision = decide(&queue, &roster(&[online(1), online(2), online(4)]));
    assert_eq!(decision.offers[0].handoff, handoff(1));
    assert_eq!(decision.offers[0].user, user(4));
    assert_eq!(decision.declined_by_everyone, vec![]);
}

#[test]
fn the_walk_stops_once_every_free_agent_has_an_offer() {
    let (queue, _) = queue_to_everyone(1_000, Strategy::LeastBusy);
    let decision = decide(&queue, &roster(&[online(1), online(2)]));
    let handoffs: Vec<_> = decision.offers.iter().map(|offer| offer.handoff).collect();
    assert_eq!(handoffs, [handoff(1), handoff(2)]);
}

#[test]
fn broadcast_handoffs_get_no_offers() {
    let (queue, route) = queue_to_everyone(3, Strategy::Broadcast);
    let decision = decide(&queue, &roster(&[online(1), online(2)]));
    assert_eq!(decision.offers, vec![]);
    assert_eq!(decision.audience(route), [user(1), user(2)]);
}

#[test]
fn the_queue_drains_to_a_user_the_moment_they_have_room() {
    let (queue, _) = queue_to_everyone(3, Strategy::RoundRobin);
    let full = Agent { live: 10, ..online(1) };
    assert_eq!(decide(&queue, &roster(std::slice::from_ref(&full))).offers, vec![]);

    let freed = Agent { live: 9, ..full };
    let decision = decide(&queue, &roster(&[freed, Agent::new(user(2), Presence::Offline)]));
    assert_eq!(decision.offers, [Offer { handoff: handoff(1), user: user(1) }], "the head, at once");

    let decision = decide(&queue, &roster(&[Agent { live: 10, ..online(1) }, online(2)]));
    assert_eq!(decision.offers, [Offer { handoff: handoff(1), user: user(2) }], "someone came online");
}
