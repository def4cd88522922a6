use super::*;
use crate::event::HandoffReference;
use crate::handoff::{Command, ContactInfo, Evidence, Request, UserRef};

const T0: Timestamp = Timestamp::from_millis(1_796_720_400_000);

fn at(seconds: i64) -> Timestamp {
    T0.plus_millis(seconds * 1000)
}

fn requested(humans_available: bool) -> Handoff {
    let request = Request {
        id: HandoffId::new_v7(T0, [1; 10]),
        conversation_id: ConversationId::new_v7(T0, [2; 10]),
        trigger: Trigger::ForbiddenTopic,
        reason: "refund".into(),
        language: Some("en".into()),
        priority: Priority::Normal,
        contact: ContactInfo::default(),
        evidence: Evidence { topic: Some("refund".into()), ..Evidence::default() },
        gathered: Default::default(),
        ask: None,
        humans_available,
    };
    Handoff::request(request, T0).handoff
}

fn ana() -> UserRef {
    UserRef { id: UserId::new_v7(T0, [3; 10]), name: "Ana".into() }
}

/// Folds the events into a fact, as the store does.
fn fold(events: &[Event]) -> HandoffFact {
    events
        .iter()
        .fold(None, |fact: Option<HandoffFact>, event| HandoffFact::observe(fact.as_ref(), event).or(fact))
        .unwrap()
}

#[test]
fn an_offer_declined_then_accepted_reaches_a_human_and_counts_each_step() {
    let queued = requested(true);
    let offered = queued.apply(Command::Offer { user: ana(), expires_at: at(30) }, at(5)).unwrap().handoff;
    let declined = offered.apply(Command::Decline { user: ana().id }, at(10)).unwrap().handoff;
    let bea = UserRef { id: UserId::new_v7(T0, [4; 10]), name: "Bea".into() };
    let offered_again =
        declined.apply(Command::Offer { user: bea.clone(), expires_at: at(60) }, at(12)).unwrap().handoff;
    let live = offered_again.apply(Command::Accept { user: bea.id }, at(20)).unwrap().handoff;
    let answered = live.apply(Command::RecordFirstResponse, at(50)).unwrap().handoff;
    let fact = fold(&[
        Event::HandoffQueued(Box::new(queued)),
        Event::HandoffOffered(Box::new(offered)),
        Event::HandoffDeclined(Box::new(declined)),
        Event::HandoffOffered(Box::new(offered_again)),
        Event::HandoffAssigned(Box::new(answered)),
    ]);
    assert_eq!(fact.outcome(), Outcome::Human);
    assert_eq!((fact.offers, fact.declines, fact.accepts, fact.expiries), (2, 1, 1, 0));
    assert_eq!(fact.time_to_human_ms(), Some(20_000));
    assert_eq!(fact.assignee_id, Some(bea.id));
    assert_eq!(fact.topic.as_deref(), Some("refund"));
    assert_eq!(fact.queue_wait_ms(at(1000)), 20_000, "it left the queue when taken");
    let with_sla = HandoffFact { sla_seconds: Some(60), ..fact.clone() };
    assert_eq!(with_sla.within_sla(at(1000)), Some(true), "answered 30 s after taking it");
    let strict = HandoffFact { sla_seconds: Some(10), ..fact };
    assert_eq!(strict.within_sla(at(1000)), Some(false));
}

#[test]
fn each_handoff_has_one_outcome() {
    let offline = requested(false);
    let fact = fold(&[Event::HandoffOffline(Box::new(offline.clone()))]);
    assert_eq!(fact.outcome(), Outcome::Offline);
    let lead = crate::handoff::Lead {
        email: crate::values::Email::parse("ana@example.com").unwrap(),
        name: None,
        message: None,
    };
    let ticket = offline.apply(Command::CaptureLead { lead }, at(30)).unwrap().handoff;
    let fact = fold(&[Event::HandoffOffline(Box::new(offline)), Event::LeadCaptured(Box::new(ticket))]);
    assert_eq!(fact.outcome(), Outcome::Ticket);

    let queued = requested(true);
    assert_eq!(fold(&[Event::HandoffQueued(Box::new(queued.clone()))]).outcome(), Outcome::Waiting);
    let back = queued.apply(Command::ReturnToBot, at(300)).unwrap().handoff;
    let reference = HandoffReference { conversation_id: back.conversation_id, handoff_id: back.id };
    let fact = fold(&[
        Event::HandoffQueued(Box::new(queued.clone())),
        Event::HandoffClosed(Box::new(back)),
        Event::ConversationReturnedToBot(reference),
    ]);
    assert_eq!(fact.outcome(), Outcome::ReturnedToBot);
    assert_eq!(fact.queue_wait_ms(at(1000)), 300_000);
    let closed = queued
        .apply(Command::Close { by: ana().id, as_admin: true, request_feedback: false }, at(90))
        .unwrap()
        .handoff;
    let fact = fold(&[Event::HandoffQueued(Box::new(queued)), Event::HandoffClosed(Box::new(closed))]);
    assert_eq!(fact.outcome(), Outcome::Abandoned);
}

#[test]
fn a_report_adds_groups_up_and_leaves_empty_ratios_null() {
    let mut histogram = Histogram::default();
    histogram.record(20_000);
    histogram.record(40_000);
    let stats = DailyStats {
        handoffs: 3,
        humans: 2,
        time_to_human_ms_sum: 60_000,
        offers: 4,
        accepts: 2,
        declines: 1,
        expiries: 1,
        ratings: [0, 0, 0, 1, 1],
        ..DailyStats::default()
    };
    let sums = Sums {
        conversations: 12,
        groups: vec![
            report::GroupSums {
                trigger: Trigger::ExplicitRequest,
                reason: None,
                outcome: Outcome::Human,
                team_id: None,
                stats: stats.clone(),
            },
            report::GroupSums {
                trigger: Trigger::ForbiddenTopic,
                reason: Some("refund".into()),
                outcome: Outcome::Offline,
                team_id: None,
                stats: DailyStats { handoffs: 1, ..DailyStats::default() },
            },
        ],
        users: vec![(ana().id, stats)],
        time_to_human: histogram.clone(),
        team_time_to_human: [(None, histogram)].into(),
        series: Vec::new(),
    };
    let input = ReportInput {
        from: T0,
        to: at(86_400),
        bucket: Bucket::Day,
        sums,
        team_names: Default::default(),
        user_names: [(ana().id, "Ana".into())].into(),
    };
    let report = Report::build(input);
    assert_eq!(report.handoffs, 4);
    assert_eq!(report.handoff_rate, Some(0.3333));
    assert_eq!(report.by_trigger["explicit_request"], 3);
    assert_eq!(report.by_reason["refund"], 1);
    assert_eq!((report.outcomes.human, report.outcomes.offline), (3, 1));
    assert_eq!(report.time_to_human_seconds.average, Some(30.0));
    assert_eq!(report.offers.acceptance_rate, Some(0.5));
    assert_eq!(report.csat.average, Some(4.5));
    assert_eq!(report.csat.human.count, 2);
    assert_eq!(report.within_sla.share, None, "no SLA: no share");
    assert_eq!(report.users[0].name, "Ana");
    assert_eq!(report.users[0].handoffs, 2);
    let csv = report.to_csv();
    assert!(csv.contains("totals,handoffs,4\n"), "{csv}");
    assert!(csv.contains("\nAna,2,30,4,2,1,1,,4.5\n"), "{csv}");
}
