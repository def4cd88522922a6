//! Who may take a handoff: targets, languages, presence, team hours.

use super::*;

/// Berlin (team 1) and support (team 2), as a policy names them.
fn resolve(target: &Target) -> Option<Reach> {
    match target {
        Target::All => Some(Reach::Everyone),
        Target::Team(TeamKey::Name(name)) if name == "berlin" => Some(Reach::Team(team(1))),
        Target::Team(TeamKey::Name(name)) if name == "support" => Some(Reach::Team(team(2))),
        Target::User(UserKey::Id(id)) => Some(Reach::User(*id)),
        _ => None,
    }
}

fn assignment(json: &str) -> Assignment {
    let assignment: Assignment = serde_json::from_str(json).unwrap();
    assert_eq!(assignment.problem(), None);
    assignment
}

#[test]
fn language_targets_send_german_to_berlin_and_the_rest_to_support() {
    let policy = assignment(
        r#"{"targets": {"de": ["team:berlin"], "*": ["team:support"]}, "strategy": "round_robin"}"#,
    );
    let berliner = Agent { teams: vec![team(1)], languages: vec!["de".into(), "en".into()], ..online(1) };
    let supporter = Agent { teams: vec![team(2)], languages: vec!["DE".into(), "fr".into()], ..online(2) };
    for (language, expected) in [(Some("de"), user(1)), (Some("fr"), user(2)), (None, user(2))] {
        let mut queue = Queue::new();
        let route = queue.route(policy.route(language, resolve));
        queue.push(queued(1, route));
        let decision = decide(&queue, &roster(&[berliner.clone(), supporter.clone()]));
        assert_eq!(offered_users(&decision), [expected], "{language:?}");
    }
}

#[test]
fn a_user_must_speak_the_conversations_language() {
    let mut queue = Queue::new();
    let route = queue.route(Route::new([Reach::Everyone], Some("it"), Strategy::RoundRobin));
    queue.push(queued(1, route));
    let english = Agent { languages: vec!["en".into()], ..online(1) };
    assert_eq!(decide(&queue, &roster(std::slice::from_ref(&english))).offers, vec![]);
    let unset = online(2);
    assert_eq!(offered_users(&decide(&queue, &roster(&[english, unset]))), [user(2)], "no languages: any");
}

#[test]
fn offline_and_away_users_get_nothing() {
    for strategy in [Strategy::RoundRobin, Strategy::LeastBusy, Strategy::Broadcast] {
        let (queue, route) = queue_to_everyone(3, strategy);
        let agents = [Agent::new(user(1), Presence::Away), Agent::new(user(2), Presence::Offline)];
        let decision = decide(&queue, &roster(&agents));
        assert_eq!(decision.offers, vec![]);
        assert_eq!(decision.audience(route), []);
        let roster = roster(&agents);
        let route = queue.route_by_id(route).unwrap();
        assert!(!roster.anyone_on_duty(route));
        assert!(!roster.may_take(user(1), route));
    }
}

#[test]
fn a_closed_team_gets_nothing() {
    let mut queue = Queue::new();
    let berlin = queue.route(Route::new([Reach::Team(team(1))], None, Strategy::RoundRobin));
    let everyone = queue.route(Route::new([Reach::Everyone], None, Strategy::RoundRobin));
    queue.push(queued(1, berlin));
    queue.push(queued(2, everyone));
    let berlin_only = Agent { teams: vec![team(1)], ..online(1) };
    let both = Agent { teams: vec![team(1), team(2)], ..online(2) };
    let berlin_closed = |id: TeamId| id != team(1);

    let decision = decide(&queue, &Roster::new(vec![berlin_only.clone()], 10, berlin_closed));
    assert_eq!(decision.offers, vec![], "off duty: their only team is closed, even for `all`");

    let decision = decide(&queue, &Roster::new(vec![berlin_only, both], 10, berlin_closed));
    let offers: Vec<_> = decision.offers.iter().map(|offer| (offer.handoff, offer.user)).collect();
    assert_eq!(offers, [(handoff(2), user(2))], "support is open: `all` reaches them, berlin does not");
}

#[test]
fn a_full_team_keeps_the_handoff_queued() {
    let mut queue = Queue::new();
    let berlin = queue.route(Route::new([Reach::Team(team(1))], None, Strategy::LeastBusy));
    queue.push(queued(1, berlin));
    let full = Agent { teams: vec![team(1)], live: 10, ..online(1) };
    let outsider = online(2);
    let roster = roster(&[full, outsider]);
    assert_eq!(decide(&queue, &roster).offers, vec![]);
    assert!(roster.anyone_on_duty(queue.route_by_id(berlin).unwrap()), "it queues rather than going offline");
}

#[test]
fn user_targets_reach_only_that_user() {
    let policy =
        assignment(&format!(r#"{{"targets": {{"*": ["user:{}"]}}, "strategy": "round_robin"}}"#, user(2)));
    let mut queue = Queue::new();
    let route = queue.route(policy.route(Some("en"), resolve));
    queue.extend([queued(1, route), queued(2, route)]);
    let decision = decide(&queue, &roster(&[online(1), online(2), online(3)]));
    assert_eq!(offered_users(&decision), [user(2)]);
}

#[test]
fn unresolved_targets_reach_nobody() {
    let policy = assignment(r#"{"targets": {"*": ["team:deleted"]}, "strategy": "round_robin"}"#);
    let mut queue = Queue::new();
    let route = queue.route(policy.route(None, resolve));
    queue.push(queued(1, route));
    assert_eq!(decide(&queue, &roster(&[online(1)])).offers, vec![]);
}

#[test]
fn broadcast_shows_handoffs_to_eligible_users_with_room() {
    let mut queue = Queue::new();
    let german = queue.route(Route::new([Reach::Everyone], Some("de"), Strategy::Broadcast));
    let any = queue.route(Route::new([Reach::Everyone], None, Strategy::Broadcast));
    let offered = queue.route(Route::new([Reach::Everyone], None, Strategy::RoundRobin));
    queue.extend([queued(1, german), queued(2, any), queued(3, offered)]);
    let agents = [
        Agent { languages: vec!["de".into()], ..online(1) },
        Agent { languages: vec!["en".into()], ..online(2) },
        Agent { live: 10, ..online(3) },
        Agent { pending_offers: 1, ..online(4) },
        Agent::new(user(5), Presence::Away),
    ];
    let decision = decide(&queue, &roster(&agents));
    assert_eq!(decision.audience(german), [user(1), user(4)], "full and away users are left out");
    assert_eq!(decision.audience(any), [user(1), user(2), user(4)]);
    assert_eq!(decision.audience(offered), [], "offer routes have no audience");
    assert_eq!(offered_users(&decision), [user(1)], "one queue, both kinds of route");
    let seen: Vec<_> = decision.visible_to(&queue, user(2)).map(|queued| queued.id).collect();
    assert_eq!(seen, [handoff(2)]);
}

#[test]
fn may_take_ignores_capacity_but_not_presence_or_targets() {
    let route = Route::new([Reach::Team(team(1))], None, Strategy::Broadcast);
    let agents = [
        Agent { teams: vec![team(1)], live: 10, ..online(1) },
        online(2),
        Agent { teams: vec![team(1)], ..Agent::new(user(3), Presence::Offline) },
    ];
    let roster = roster(&agents);
    assert!(roster.may_take(user(1), &route));
    assert!(!roster.may_take(user(2), &route));
    assert!(!roster.may_take(user(3), &route));
    assert!(!roster.may_take(user(9), &route));
}
