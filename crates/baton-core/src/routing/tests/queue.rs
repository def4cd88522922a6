//! Queue order and positions.

use super::*;

#[test]
fn queue_order_is_priority_then_waiting_time() {
    let mut queue = Queue::new();
    let route = queue.route(Route::new([Reach::Everyone], None, Strategy::RoundRobin));
    let with = |n, priority, requested_at| QueuedHandoff {
        priority,
        requested_at: at(requested_at),
        ..queued(n, route)
    };
    queue.push(with(1, Priority::Normal, 300));
    queue.push(with(2, Priority::Urgent, 900));
    queue.push(with(3, Priority::Normal, 100));
    queue.push(with(4, Priority::Low, 0));
    queue.extend([with(5, Priority::High, 500), with(6, Priority::Normal, 100)]);
    let order: Vec<_> = queue.handoffs().iter().map(|queued| queued.id).collect();
    assert_eq!(order, [2, 5, 3, 6, 1, 4].map(handoff), "equal priority and time: by id");

    let decision = decide(&queue, &roster(&[online(1), online(2)]));
    let offered: Vec<_> = decision.offers.iter().map(|offer| offer.handoff).collect();
    assert_eq!(offered, [handoff(2), handoff(5)], "offers follow queue order");
}

#[test]
fn positions_count_overall_and_within_the_route() {
    let mut queue = Queue::new();
    let german = queue.route(Route::new([Reach::Team(team(1))], Some("de"), Strategy::RoundRobin));
    let other = queue.route(Route::new([Reach::Team(team(2))], None, Strategy::RoundRobin));
    assert_eq!(german, queue.route(Route::new([Reach::Team(team(1))], Some("DE"), Strategy::RoundRobin)));
    queue.extend([queued(1, other), queued(2, german), queued(3, other), queued(4, german)]);
    let positions: Vec<_> = queue
        .positions()
        .map(|(queued, position)| (queued.id, position.overall, position.in_route))
        .collect();
    assert_eq!(positions, [(handoff(1), 1, 1), (handoff(2), 2, 1), (handoff(3), 3, 2), (handoff(4), 4, 2)]);
    assert_eq!(queue.position(handoff(4)), Some(Position { overall: 4, in_route: 2 }));
    assert_eq!(queue.position(handoff(9)), None);
    assert_eq!((queue.waiting(german), queue.waiting(other)), (2, 2));

    queue.remove(handoff(2));
    assert_eq!(queue.position(handoff(4)), Some(Position { overall: 3, in_route: 1 }));
    assert_eq!(queue.waiting(german), 1);
    assert_eq!(queue.remove(handoff(2)), None);
}

#[test]
fn equal_routes_share_an_id_however_their_targets_are_listed() {
    let mut queue = Queue::new();
    let a = queue.route(Route::new([Reach::Team(team(2)), Reach::Team(team(1))], None, Strategy::Broadcast));
    let b = queue.route(Route::new(
        [Reach::Team(team(1)), Reach::Team(team(2)), Reach::Team(team(1))],
        None,
        Strategy::Broadcast,
    ));
    let everyone =
        queue.route(Route::new([Reach::Team(team(1)), Reach::Everyone], None, Strategy::Broadcast));
    assert_eq!(a, b);
    assert_eq!(queue.route_by_id(everyone).unwrap().reach(), [Reach::Everyone]);
    let round_robin =
        queue.route(Route::new([Reach::Team(team(1)), Reach::Team(team(2))], None, Strategy::RoundRobin));
    assert_ne!(a, round_robin, "the strategy is part of the route");
}

#[test]
fn a_place_counts_the_handoffs_waiting_for_any_of_the_same_people() {
    let mut queue = Queue::new();
    let english = queue.route(Route::new([Reach::Everyone], Some("en"), Strategy::Broadcast));
    let spanish = queue.route(Route::new([Reach::Everyone], Some("es"), Strategy::Broadcast));
    let chinese = queue.route(Route::new([Reach::Everyone], Some("zh"), Strategy::Broadcast));
    let berlin = queue.route(Route::new([Reach::Team(team(1))], Some("de"), Strategy::Broadcast));
    queue.extend([queued(1, english), queued(2, spanish), queued(3, berlin), queued(4, chinese)]);
    let places = |agents: &[Agent]| -> Vec<usize> {
        super::super::places(&queue, &roster(agents)).into_iter().map(|(_, place)| place).collect()
    };
    // One agent answers every language and is in no team: the three compete, Berlin's stands alone.
    assert_eq!(places(&[online(1)]), [1, 2, 1, 3]);
    // An agent for Spanish only and one for the rest: Spanish waits for nobody else.
    let spanish_only = Agent { languages: vec!["es".into()], ..online(1) };
    let others = Agent { languages: vec!["en".into(), "zh".into()], ..online(2) };
    assert_eq!(places(&[spanish_only, others.clone()]), [1, 1, 1, 2]);
    // A Berlin member who speaks everything competes for all four.
    let berliner = Agent { teams: vec![team(1)], ..online(3) };
    assert_eq!(places(&[berliner]), [1, 2, 3, 4]);
    // Nobody at all: each route on its own.
    assert_eq!(places(&[]), [1, 1, 1, 1]);
    assert_eq!(super::super::place(&queue, &roster(&[online(1)]), handoff(4)), Some(3));
    assert_eq!(super::super::place(&queue, &roster(&[online(1)]), handoff(9)), None);
}
