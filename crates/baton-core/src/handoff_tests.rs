use super::*;
use crate::routing::Target;

const NOW: Timestamp = Timestamp::from_millis(1_000_000);

fn user(n: u8) -> UserRef {
    UserRef { id: UserId::new_v7(Timestamp::from_millis(1), [n; 10]), name: format!("user{n}") }
}

fn lead() -> Lead {
    Lead { email: Email::parse("ana@example.com").unwrap(), name: Some("Ana".into()), message: None }
}

fn request(needs_gathering: bool, humans_available: bool) -> Request {
    let ask = needs_gathering.then(|| "email".to_owned());
    Request {
        id: HandoffId::new_v7(NOW, [1; 10]),
        conversation_id: ConversationId::new_v7(NOW, [2; 10]),
        trigger: Trigger::ExplicitRequest,
        reason: "asked for a human".into(),
        language: Some("en".into()),
        priority: Priority::Normal,
        contact: ContactInfo::default(),
        evidence: Evidence::default(),
        gathered: Default::default(),
        ask,
        humans_available,
    }
}

/// A handoff in `state`, reached through legal moves only; offered and live belong to user 1.
fn in_state(state: HandoffState) -> Handoff {
    use HandoffState as S;
    let queued = Handoff::request(request(false, true), NOW).handoff;
    let step = |h: &Handoff, c: Command| h.apply(c, NOW).unwrap().handoff;
    match state {
        S::Gathering => Handoff::request(request(true, true), NOW).handoff,
        S::Queued => queued,
        S::Offered => step(&queued, Command::Offer { user: user(1), expires_at: NOW.plus_millis(30_000) }),
        S::Live => step(&queued, Command::Claim { user: user(1) }),
        S::Offline => Handoff::request(request(false, false), NOW).handoff,
        S::Ticket => step(&in_state(S::Offline), Command::CaptureLead { lead: lead() }),
        S::Closed => step(
            &in_state(S::Live),
            Command::Close { by: user(1).id, as_admin: false, request_feedback: true },
        ),
    }
}

/// One of each command, issued by user 2 unless the command names user 1 (the holder).
fn commands() -> Vec<(&'static str, Command)> {
    vec![
        ("gather", Command::Gather { key: "email".into(), value: Some("a@b.co".into()), next: None }),
        ("finish_gathering", Command::FinishGathering { humans_available: true }),
        ("requeue", Command::Requeue),
        ("offer", Command::Offer { user: user(2), expires_at: NOW.plus_millis(30_000) }),
        ("accept_holder", Command::Accept { user: user(1).id }),
        ("accept_other", Command::Accept { user: user(2).id }),
        ("decline_holder", Command::Decline { user: user(1).id }),
        ("expire", Command::ExpireOffer),
        ("withdraw", Command::WithdrawOffer),
        ("go_offline", Command::GoOffline),
        ("return_to_bot", Command::ReturnToBot),
        ("widen", Command::Widen { targets: vec![Target::All] }),
        ("transfer_to_team", Command::TransferToQueue { targets: vec![Target::All] }),
        ("claim_holder", Command::Claim { user: user(1) }),
        ("claim_other", Command::Claim { user: user(2) }),
        ("assign_other", Command::Assign { user: user(2) }),
        ("lead", Command::CaptureLead { lead: lead() }),
        ("follow_up", Command::FollowUpBy { lead: lead() }),
        ("follow_up_messenger", Command::FollowUpOnMessenger),
        ("voicemail", Command::TakeVoicemail),
        ("transfer", Command::Transfer { to: user(2) }),
        ("reclaim_holder", Command::Reclaim { silent: user(1).id }),
        ("reclaim_other", Command::Reclaim { silent: user(2).id }),
        ("first_response", Command::RecordFirstResponse),
        ("close_holder", Command::Close { by: user(1).id, as_admin: false, request_feedback: true }),
        ("close_other", Command::Close { by: user(2).id, as_admin: false, request_feedback: true }),
        ("close_admin", Command::Close { by: user(2).id, as_admin: true, request_feedback: false }),
        ("feedback", Command::RecordFeedback { rating: Rating::parse(5).unwrap(), comment: None }),
    ]
}

/// The outcome of a command: the resulting state and events, or the error's name.
fn outcome(result: Result<Transition, DomainError>) -> String {
    match result {
        Ok(t) => {
            let events: Vec<&str> = t.events.iter().map(|e| e.name()).collect();
            format!("{} [{}]", t.handoff.state, events.join(","))
        }
        Err(DomainError::IllegalTransition { .. }) => "illegal".into(),
        Err(DomainError::AlreadyAssigned) => "already_assigned".into(),
        Err(DomainError::NotOfferedToYou) => "not_offered_to_you".into(),
        Err(DomainError::OfferNotExpired) => "offer_not_expired".into(),
        Err(DomainError::NotAssignee) => "not_assignee".into(),
        Err(DomainError::FeedbackNotPending) => "feedback_not_pending".into(),
        Err(DomainError::Invalid { .. }) => "invalid".into(),
    }
}

/// Every state against every command: the full table of legal and illegal moves.
#[test]
fn every_state_and_command() {
    use HandoffState as S;
    let closed_by = "closed [handoff.closed]";
    let expected: &[(HandoffState, &[(&str, &str)])] = &[
        (
            S::Gathering,
            &[
                ("gather", "gathering [handoff.gathering]"),
                ("finish_gathering", "queued [handoff.queued]"),
                ("return_to_bot", "closed [handoff.closed,conversation.returned_to_bot]"),
                ("close_holder", closed_by),
                ("close_other", closed_by),
                ("close_admin", closed_by),
                ("feedback", "feedback_not_pending"),
            ],
        ),
        (
            S::Queued,
            &[
                ("offer", "offered [handoff.offered]"),
                ("return_to_bot", "closed [handoff.closed,conversation.returned_to_bot]"),
                ("go_offline", "offline [handoff.offline]"),
                ("widen", "queued [handoff.queued]"),
                ("claim_holder", "live [handoff.assigned]"),
                ("claim_other", "live [handoff.assigned]"),
                ("assign_other", "live [handoff.assigned]"),
                ("follow_up", "queued [handoff.follow_up_chosen]"),
                ("follow_up_messenger", "queued [handoff.follow_up_chosen]"),
                ("voicemail", "ticket [lead.captured]"),
                ("close_holder", closed_by),
                ("close_other", closed_by),
                ("close_admin", closed_by),
                ("feedback", "feedback_not_pending"),
            ],
        ),
        (
            S::Offered,
            &[
                ("follow_up", "offered [handoff.follow_up_chosen]"),
                ("follow_up_messenger", "offered [handoff.follow_up_chosen]"),
                ("voicemail", "ticket [lead.captured]"),
                ("accept_holder", "live [handoff.assigned]"),
                ("accept_other", "not_offered_to_you"),
                ("decline_holder", "queued [handoff.declined]"),
                ("expire", "offer_not_expired"),
                ("withdraw", "queued [handoff.expired]"),
                ("return_to_bot", "closed [handoff.closed,conversation.returned_to_bot]"),
                ("go_offline", "offline [handoff.offline]"),
                ("widen", "queued [handoff.queued]"),
                ("claim_holder", "live [handoff.assigned]"),
                ("claim_other", "already_assigned"),
                ("assign_other", "live [handoff.assigned]"),
                ("close_holder", closed_by),
                ("close_other", closed_by),
                ("close_admin", closed_by),
                ("feedback", "feedback_not_pending"),
            ],
        ),
        (
            S::Live,
            &[
                ("accept_holder", "live []"),
                ("claim_holder", "live []"),
                ("claim_other", "already_assigned"),
                ("transfer", "live [handoff.transferred]"),
                ("transfer_to_team", "queued [handoff.transferred,handoff.queued]"),
                ("reclaim_holder", "queued [handoff.reclaimed,handoff.queued]"),
                ("reclaim_other", "not_assignee"),
                ("first_response", "live []"),
                ("close_holder", "closed [handoff.closed,conversation.returned_to_bot,feedback.requested]"),
                ("close_other", "not_assignee"),
                ("close_admin", "closed [handoff.closed,conversation.returned_to_bot]"),
                ("feedback", "feedback_not_pending"),
            ],
        ),
        (
            S::Offline,
            &[
                ("requeue", "queued [handoff.queued]"),
                ("return_to_bot", "closed [handoff.closed,conversation.returned_to_bot]"),
                ("claim_holder", "live [handoff.assigned]"),
                ("claim_other", "live [handoff.assigned]"),
                ("assign_other", "live [handoff.assigned]"),
                ("lead", "ticket [lead.captured]"),
                ("voicemail", "ticket [lead.captured]"),
                ("close_holder", closed_by),
                ("close_other", closed_by),
                ("close_admin", closed_by),
                ("feedback", "feedback_not_pending"),
            ],
        ),
        (
            S::Ticket,
            &[
                ("claim_holder", "live [handoff.assigned]"),
                ("claim_other", "live [handoff.assigned]"),
                ("assign_other", "live [handoff.assigned]"),
                ("close_holder", closed_by),
                ("close_other", closed_by),
                ("close_admin", closed_by),
                ("feedback", "feedback_not_pending"),
            ],
        ),
        (S::Closed, &[("feedback", "closed [feedback.received]")]),
    ];
    for (state, legal) in expected {
        let handoff = in_state(*state);
        assert_eq!(handoff.state, *state);
        for (name, command) in commands() {
            let got = outcome(handoff.apply(command, NOW));
            let want = legal.iter().find(|(n, _)| *n == name).map_or("illegal", |(_, o)| *o);
            assert_eq!(got, want, "{state} + {name}");
        }
    }
}

#[test]
fn request_routes_by_availability_and_gathering() {
    let queued = Handoff::request(request(false, true), NOW);
    assert_eq!(queued.handoff.state, HandoffState::Queued);
    assert_eq!(queued.handoff.queued_at, Some(NOW));
    assert_eq!(queued.events, vec![EventKind::HandoffRequested, EventKind::HandoffQueued]);

    let offline = Handoff::request(request(false, false), NOW);
    assert_eq!(offline.handoff.state, HandoffState::Offline);
    assert_eq!(offline.events, vec![EventKind::HandoffRequested, EventKind::HandoffOffline]);

    let gathering = Handoff::request(request(true, true), NOW);
    assert_eq!(gathering.handoff.state, HandoffState::Gathering);
    assert_eq!(gathering.handoff.asking.as_deref(), Some("email"));
    let answered = gathering
        .handoff
        .apply(Command::Gather { key: "email".into(), value: Some("a@b.co".into()), next: None }, NOW)
        .unwrap()
        .handoff;
    assert_eq!(answered.gathered.get("email").map(String::as_str), Some("a@b.co"));
    assert_eq!(answered.asking, None);
    assert_eq!(gathering.events, vec![EventKind::HandoffRequested, EventKind::HandoffGathering]);
    let routed = gathering.handoff.apply(Command::FinishGathering { humans_available: false }, NOW).unwrap();
    assert_eq!(routed.handoff.state, HandoffState::Offline);
}

#[test]
fn declines_and_expiries_are_remembered_for_the_waiting_period() {
    let offered = in_state(HandoffState::Offered);
    let declined = offered.apply(Command::Decline { user: user(1).id }, NOW).unwrap().handoff;
    assert_eq!(declined.declined_by, vec![user(1).id]);
    let offered_again = declined
        .apply(Command::Offer { user: user(2), expires_at: NOW.plus_millis(1_000) }, NOW)
        .unwrap()
        .handoff;
    let expired = offered_again.apply(Command::ExpireOffer, NOW.plus_millis(1_000)).unwrap().handoff;
    assert_eq!(expired.declined_by, vec![user(1).id, user(2).id]);
    let withdrawn = expired
        .apply(Command::Offer { user: user(3), expires_at: NOW.plus_millis(9_000) }, NOW)
        .unwrap()
        .handoff
        .apply(Command::WithdrawOffer, NOW)
        .unwrap()
        .handoff;
    assert_eq!(withdrawn.declined_by.len(), 2, "a user who went away did not decline");
}

#[test]
fn widening_and_team_transfers_reroute_with_a_fresh_wait() {
    let later = NOW.plus_millis(60_000);
    let team = vec![Target::parse("team:support").unwrap()];
    let widened =
        in_state(HandoffState::Offered).apply(Command::Widen { targets: team.clone() }, later).unwrap();
    assert_eq!(widened.handoff.state, HandoffState::Queued);
    assert_eq!(widened.handoff.targets.as_ref(), Some(&team));
    assert!(widened.handoff.widened && widened.handoff.assignee.is_none());
    assert_eq!(widened.handoff.queued_at, Some(later));
    let live = in_state(HandoffState::Live).apply(Command::RecordFirstResponse, NOW).unwrap().handoff;
    let moved = live.apply(Command::TransferToQueue { targets: team.clone() }, later).unwrap().handoff;
    assert_eq!(
        (moved.state, moved.assignee.clone(), moved.first_response_at),
        (HandoffState::Queued, None, None)
    );
    assert_eq!(moved.queued_at, Some(later));
}

#[test]
fn claim_records_assignee_and_time() {
    let later = NOW.plus_millis(5_000);
    let live = in_state(HandoffState::Queued).apply(Command::Claim { user: user(3) }, later).unwrap().handoff;
    assert_eq!(live.assignee, Some(user(3)));
    assert_eq!(live.assigned_at, Some(later));
}

#[test]
fn expired_offer_returns_to_queue() {
    let offered = in_state(HandoffState::Offered);
    let after = offered.offer_expires_at.unwrap();
    let expired = offered.apply(Command::ExpireOffer, after).unwrap();
    assert_eq!(expired.handoff.state, HandoffState::Queued);
    assert_eq!(expired.handoff.assignee, None);
    assert_eq!(expired.events, vec![EventKind::HandoffExpired]);
}

#[test]
fn first_response_is_recorded_once() {
    let live = in_state(HandoffState::Live);
    let first = live.apply(Command::RecordFirstResponse, NOW.plus_millis(10)).unwrap().handoff;
    let second = first.apply(Command::RecordFirstResponse, NOW.plus_millis(20)).unwrap().handoff;
    assert_eq!(second.first_response_at, Some(NOW.plus_millis(10)));
}

#[test]
fn feedback_is_taken_once() {
    let closed = in_state(HandoffState::Closed);
    assert!(closed.feedback_requested);
    let rated = closed
        .apply(
            Command::RecordFeedback { rating: Rating::parse(4).unwrap(), comment: Some("quick".into()) },
            NOW,
        )
        .unwrap()
        .handoff;
    assert_eq!(rated.rating.map(Rating::value), Some(4));
    assert_eq!(rated.comment.as_deref(), Some("quick"));
    let again =
        rated.apply(Command::RecordFeedback { rating: Rating::parse(1).unwrap(), comment: None }, NOW);
    assert_eq!(again, Err(DomainError::FeedbackNotPending));
}

#[test]
fn take_over_starts_live() {
    let t = Handoff::take_over(
        HandoffId::new_v7(NOW, [9; 10]),
        ConversationId::new_v7(NOW, [8; 10]),
        user(1),
        ContactInfo::default(),
        NOW,
    );
    assert_eq!(t.handoff.state, HandoffState::Live);
    assert_eq!(t.handoff.trigger, Trigger::ManualTakeover);
    assert_eq!(t.handoff.assignee, Some(user(1)));
    assert_eq!(t.events, vec![EventKind::HandoffRequested, EventKind::HandoffAssigned]);
}

#[test]
fn owner_follows_the_open_handoff() {
    use crate::conversation::{Owner, conversation_state};
    assert_eq!(Owner::for_handoff(None), Owner::Bot);
    assert_eq!(conversation_state(None), "bot");
    let cases = [
        (HandoffState::Gathering, Owner::Bot, "gathering"),
        (HandoffState::Queued, Owner::None, "queued"),
        (HandoffState::Offered, Owner::None, "offered"),
        (HandoffState::Live, Owner::User { user_id: user(1).id }, "live"),
        (HandoffState::Offline, Owner::Bot, "offline"),
        (HandoffState::Ticket, Owner::Bot, "ticket"),
        (HandoffState::Closed, Owner::Bot, "bot"),
    ];
    for (state, owner, shown) in cases {
        let handoff = in_state(state);
        assert_eq!(Owner::for_handoff(Some(&handoff)), owner, "{state}");
        assert_eq!(conversation_state(Some(&handoff)), shown, "{state}");
    }
}
