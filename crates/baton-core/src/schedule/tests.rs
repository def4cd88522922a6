use super::*;
use crate::time::Timestamp;

/// A schedule from its JSON document; it must be free of problems.
fn schedule(json: &str) -> Schedule {
    let schedule: Schedule = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(schedule.problem(), None, "{json}");
    schedule
}

/// An instant written as the zone's clock shows it, with the offset in force, so the two
/// passes through a repeated hour can be told apart.
fn at(text: &str) -> Timestamp {
    Timestamp::from_millis(text.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

fn hours(from: Timestamp, to: Timestamp) -> f64 {
    (to.as_millis() - from.as_millis()) as f64 / 3_600_000.0
}

/// Asserts the schedule is open at each instant marked `true` and closed at each marked `false`.
fn assert_open(schedule: &Schedule, expected: &[(&str, bool)]) {
    for &(instant, open) in expected {
        assert_eq!(schedule.is_open(at(instant)), open, "at {instant} expected open = {open}");
    }
}

const SPLIT_SHIFTS: &str = r#"{
    "timezone": "Europe/Berlin",
    "weekly": {
        "monday": [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}],
        "tuesday": [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}],
        "wednesday": [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}],
        "thursday": [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}],
        "friday": [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}]
    },
    "holidays": ["2026-12-25"],
    "overrides": [
        {"date": "2026-12-24", "slots": [{"start": "09:00", "end": "13:00"}]},
        {"date": "2026-12-31", "slots": []}
    ]
}"#;

#[test]
fn a_split_shift_is_closed_over_lunch() {
    let schedule = schedule(SPLIT_SHIFTS);
    // Monday 2 March 2026, winter time (+01:00).
    assert_open(
        &schedule,
        &[
            ("2026-03-02T08:59:59.999+01:00", false),
            ("2026-03-02T09:00+01:00", true),
            ("2026-03-02T12:29:59.999+01:00", true),
            ("2026-03-02T12:30+01:00", false),
            ("2026-03-02T13:59+01:00", false),
            ("2026-03-02T14:05+01:00", true),
            ("2026-03-02T18:00+01:00", false),
        ],
    );
    assert_eq!(schedule.next_open(at("2026-03-02T12:30+01:00")), Some(at("2026-03-02T14:00+01:00")));
    assert_eq!(schedule.next_close(at("2026-03-02T10:00+01:00")), Some(at("2026-03-02T12:30+01:00")));
    assert_eq!(schedule.next_open(at("2026-03-02T10:00+01:00")), Some(at("2026-03-02T10:00+01:00")));
    assert_eq!(schedule.next_close(at("2026-03-02T13:00+01:00")), Some(at("2026-03-02T13:00+01:00")));
    // Friday evening to Monday morning.
    assert_eq!(schedule.next_open(at("2026-03-06T18:00+01:00")), Some(at("2026-03-09T09:00+01:00")));
}

#[test]
fn slots_that_touch_are_one_open_stretch() {
    let schedule = schedule(
        r#"{"weekly": {"monday": [{"start": "12:00", "end": "14:00"}, {"start": "09:00", "end": "12:00"}]}}"#,
    );
    assert_eq!(schedule.next_close(at("2026-03-02T09:30Z")), Some(at("2026-03-02T14:00Z")));
    assert!(schedule.is_open(at("2026-03-02T12:00Z")));
}

#[test]
fn a_holiday_is_closed_all_day() {
    let schedule = schedule(SPLIT_SHIFTS);
    // Thursday 24 (special hours), Friday 25 (holiday), then the weekend.
    assert!(!schedule.is_open(at("2026-12-25T10:00+01:00")));
    assert_eq!(schedule.next_open(at("2026-12-24T18:00+01:00")), Some(at("2026-12-28T09:00+01:00")));
}

#[test]
fn an_override_replaces_the_days_slots() {
    let schedule = schedule(SPLIT_SHIFTS);
    assert_open(
        &schedule,
        &[
            ("2026-12-24T12:45+01:00", true), // the weekday would be closed for lunch
            ("2026-12-24T13:00+01:00", false),
            ("2026-12-24T15:00+01:00", false), // no afternoon on Christmas Eve
            ("2026-12-31T10:00+01:00", false), // an override with no slots: closed
            ("2026-12-30T10:00+01:00", true),
        ],
    );
    assert_eq!(schedule.next_close(at("2026-12-24T09:00+01:00")), Some(at("2026-12-24T13:00+01:00")));
    assert_eq!(schedule.next_open(at("2026-12-30T18:00+01:00")), Some(at("2027-01-01T09:00+01:00")));
}

#[test]
fn a_slot_past_midnight_runs_into_the_next_day() {
    let schedule = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"friday": [{"start": "22:00", "end": "02:00"}]}}"#,
    );
    assert_open(
        &schedule,
        &[
            ("2026-03-06T21:59+01:00", false),
            ("2026-03-06T22:00+01:00", true),
            ("2026-03-07T00:00+01:00", true), // Saturday has no slots of its own
            ("2026-03-07T01:59:59.999+01:00", true),
            ("2026-03-07T02:00+01:00", false),
            ("2026-03-06T01:00+01:00", false), // Thursday had no night slot
        ],
    );
    assert_eq!(schedule.next_open(at("2026-03-06T12:00+01:00")), Some(at("2026-03-06T22:00+01:00")));
    assert_eq!(schedule.next_close(at("2026-03-06T23:00+01:00")), Some(at("2026-03-07T02:00+01:00")));
    assert!(Slot::new(TimeOfDay::new(22, 0).unwrap(), TimeOfDay::new(2, 0).unwrap()).runs_past_midnight());
}

#[test]
fn midnight_and_24_00_end_a_slot_at_the_end_of_its_day() {
    for end in ["00:00", "24:00"] {
        let json = format!(r#"{{"weekly": {{"monday": [{{"start": "20:00", "end": "{end}"}}]}}}}"#);
        let schedule = schedule(&json);
        assert_eq!(schedule.next_close(at("2026-03-02T21:00Z")), Some(at("2026-03-03T00:00Z")), "{end}");
    }
    // A slot that ends where it starts lasts a whole day.
    let schedule = schedule(r#"{"weekly": {"monday": [{"start": "00:00", "end": "00:00"}]}}"#);
    assert_eq!(schedule.next_open(at("2026-03-01T12:00Z")), Some(at("2026-03-02T00:00Z")));
    assert_eq!(schedule.next_close(at("2026-03-02T00:00Z")), Some(at("2026-03-03T00:00Z")));
}

#[test]
fn a_night_slot_belongs_to_the_date_it_starts_on() {
    let nightly = r#"{"start": "22:00", "end": "02:00"}"#;
    let schedule = schedule(&format!(
        r#"{{"weekly": {{"monday": [{nightly}], "tuesday": [{nightly}], "wednesday": [{nightly}],
              "thursday": [{nightly}], "friday": [{nightly}], "saturday": [{nightly}], "sunday": [{nightly}]}},
            "holidays": ["2026-12-25"]}}"#
    ));
    assert_open(
        &schedule,
        &[
            ("2026-12-24T23:00Z", true),
            // The 24th's shift finishes on the holiday's morning...
            ("2026-12-25T01:00Z", true),
            // ...but the holiday's own shift, tail included, does not happen.
            ("2026-12-25T23:00Z", false),
            ("2026-12-26T01:00Z", false),
            ("2026-12-26T22:00Z", true),
        ],
    );
    // An override on the next day does not cut the tail either.
    let mut special = schedule.clone();
    special.holidays.clear();
    special.overrides.push(DateOverride {
        date: parse_date("2026-12-25").unwrap(),
        slots: vec![Slot::new(TimeOfDay::new(10, 0).unwrap(), TimeOfDay::new(12, 0).unwrap())],
    });
    assert_open(
        &special,
        &[("2026-12-25T01:00Z", true), ("2026-12-25T02:00Z", false), ("2026-12-25T11:00Z", true)],
    );
}

#[test]
fn never_available_is_never_open() {
    let mut schedule = schedule(r#"{"timezone": "Europe/Berlin"}"#);
    schedule.weekly = Some(Week::every_day(&[Slot::new(TimeOfDay::MIDNIGHT, TimeOfDay::MIDNIGHT)]));
    schedule.never_available = true;
    let now = at("2026-06-01T12:00+02:00");
    assert!(!schedule.is_open(now));
    assert_eq!(schedule.next_open(now), None);
    assert_eq!(schedule.next_close(now), Some(now));
    assert!(!schedule.is_always_open());
}

#[test]
fn no_schedule_is_always_open() {
    for schedule in [Schedule::default(), Schedule::always_open(), schedule("{}")] {
        let now = at("2026-06-01T12:00Z");
        assert!(schedule.is_always_open());
        assert!(schedule.is_open(now));
        assert_eq!(schedule.next_open(now), Some(now));
        assert_eq!(schedule.next_close(now), None);
    }
    // Without a weekly schedule every day is open, except the dates that say otherwise.
    let schedule = schedule(r#"{"timezone": "Europe/Berlin", "holidays": ["2026-12-25"]}"#);
    assert!(!schedule.is_always_open());
    assert!(schedule.is_open(at("2026-12-24T23:59+01:00")));
    assert!(!schedule.is_open(at("2026-12-25T12:00+01:00")));
    assert_eq!(schedule.next_close(at("2026-12-20T12:00+01:00")), Some(at("2026-12-25T00:00+01:00")));
    assert_eq!(schedule.next_open(at("2026-12-25T12:00+01:00")), Some(at("2026-12-26T00:00+01:00")));
    // Open around the clock through slots: no closing within the horizon.
    let mut around_the_clock = schedule.clone();
    around_the_clock.holidays.clear();
    around_the_clock.weekly = Some(Week::every_day(&[Slot::new(TimeOfDay::MIDNIGHT, TimeOfDay::MIDNIGHT)]));
    assert_eq!(around_the_clock.next_close(at("2026-12-20T12:00+01:00")), None);
}

#[test]
fn a_week_without_slots_is_closed() {
    let schedule = schedule(
        r#"{"weekly": {}, "overrides": [{"date": "2027-06-01", "slots": [{"start": "09:00", "end": "10:00"}]}]}"#,
    );
    assert!(!schedule.is_open(at("2026-06-01T12:00Z")));
    // The one opening is found up to a year ahead, and not beyond.
    assert_eq!(schedule.next_open(at("2026-07-01T00:00Z")), Some(at("2027-06-01T09:00Z")));
    assert_eq!(schedule.next_open(at("2026-03-01T00:00Z")), None);
    assert_eq!(schedule.next_close(at("2027-06-01T09:30Z")), Some(at("2027-06-01T10:00Z")));
}

// Daylight saving time, 2026. Each instant is written with the offset in force, so "+01:00"
// and "+02:00" tell the two passes through Berlin's repeated hour apart.

#[test]
fn berlin_spring_forward() {
    // Sunday 29 March 2026: 02:00 CET (+01:00) jumps to 03:00 CEST (+02:00).
    let opens_in_the_gap = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"sunday": [{"start": "02:30", "end": "06:00"}]}}"#,
    );
    assert_open(
        &opens_in_the_gap,
        &[("2026-03-29T01:59:59.999+01:00", false), ("2026-03-29T03:00+02:00", true)],
    );
    assert_eq!(
        opens_in_the_gap.next_open(at("2026-03-29T00:00+01:00")),
        Some(at("2026-03-29T03:00+02:00")),
        "a start in the missing hour is reached at the jump"
    );
    assert_eq!(opens_in_the_gap.next_close(at("2026-03-29T03:00+02:00")), Some(at("2026-03-29T06:00+02:00")));

    let ends_in_the_gap = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"saturday": [{"start": "22:00", "end": "02:30"}]}}"#,
    );
    assert_open(
        &ends_in_the_gap,
        &[("2026-03-29T01:59:59.999+01:00", true), ("2026-03-29T03:00+02:00", false)],
    );
    assert_eq!(ends_in_the_gap.next_close(at("2026-03-28T23:00+01:00")), Some(at("2026-03-29T03:00+02:00")));

    let inside_the_gap = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"sunday": [{"start": "02:15", "end": "02:45"}]}}"#,
    );
    assert_eq!(
        inside_the_gap.next_open(at("2026-03-28T12:00+01:00")),
        Some(at("2026-04-05T02:15+02:00")),
        "a slot wholly in the missing hour does not open that night"
    );

    let night_shift = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"saturday": [{"start": "22:00", "end": "06:00"}]}}"#,
    );
    let start = at("2026-03-28T22:00+01:00");
    let end = night_shift.next_close(start).unwrap();
    assert_eq!(end, at("2026-03-29T06:00+02:00"));
    assert_eq!(hours(start, end), 7.0);
}

#[test]
fn berlin_fall_back() {
    // Sunday 25 October 2026: 03:00 CEST (+02:00) goes back to 02:00 CET (+01:00), so the
    // clock shows 02:00-03:00 twice.
    let ends_in_the_fold = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"saturday": [{"start": "22:00", "end": "02:30"}]}}"#,
    );
    assert_open(
        &ends_in_the_fold,
        &[
            ("2026-10-25T02:29+02:00", true),
            ("2026-10-25T02:45+02:00", true), // past the first 02:30: the shift works on
            ("2026-10-25T02:15+01:00", true),
            ("2026-10-25T02:30+01:00", false),
        ],
    );
    let start = at("2026-10-24T22:00+02:00");
    let end = ends_in_the_fold.next_close(start).unwrap();
    assert_eq!(end, at("2026-10-25T02:30+01:00"), "closes the last time the clock shows 02:30");
    assert_eq!(hours(start, end), 5.5);

    let starts_in_the_fold = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"sunday": [{"start": "02:30", "end": "06:00"}]}}"#,
    );
    assert_open(
        &starts_in_the_fold,
        &[
            ("2026-10-25T02:29+02:00", false),
            ("2026-10-25T02:30+02:00", true),
            // The clock falls back to 02:00, before the start, but the team is already there.
            ("2026-10-25T02:00+01:00", true),
            ("2026-10-25T05:59+01:00", true),
            ("2026-10-25T06:00+01:00", false),
        ],
    );
    assert_eq!(
        starts_in_the_fold.next_open(at("2026-10-25T00:00+02:00")),
        Some(at("2026-10-25T02:30+02:00"))
    );
    assert_eq!(
        starts_in_the_fold.next_close(at("2026-10-25T02:30+02:00")),
        Some(at("2026-10-25T06:00+01:00"))
    );

    let inside_the_fold = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"sunday": [{"start": "02:15", "end": "02:45"}]}}"#,
    );
    assert_open(
        &inside_the_fold,
        &[
            ("2026-10-25T02:14+02:00", false),
            ("2026-10-25T02:15+02:00", true),
            ("2026-10-25T02:50+02:00", true),
            ("2026-10-25T02:10+01:00", true),
            ("2026-10-25T02:44+01:00", true),
            ("2026-10-25T02:45+01:00", false),
        ],
    );
    assert_eq!(inside_the_fold.next_close(at("2026-10-25T02:15+02:00")), Some(at("2026-10-25T02:45+01:00")));

    let night_shift = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"saturday": [{"start": "22:00", "end": "06:00"}]}}"#,
    );
    let start = at("2026-10-24T22:00+02:00");
    assert_eq!(hours(start, night_shift.next_close(start).unwrap()), 9.0);

    // The clock falls back to 02:00, never below it: a slot ending at 02:00 ends the first time.
    let ends_where_the_fold_begins = schedule(
        r#"{"timezone": "Europe/Berlin", "weekly": {"saturday": [{"start": "22:00", "end": "02:00"}]}}"#,
    );
    assert_eq!(ends_where_the_fold_begins.next_close(start), Some(at("2026-10-25T02:00+02:00")));
    assert_open(
        &ends_where_the_fold_begins,
        &[
            ("2026-10-25T01:59+02:00", true),
            ("2026-10-25T02:30+02:00", false),
            ("2026-10-25T02:00+01:00", false),
        ],
    );
}

#[test]
fn new_york_spring_forward() {
    // Sunday 8 March 2026: 02:00 EST (-05:00) jumps to 03:00 EDT (-04:00).
    let schedule = schedule(
        r#"{"timezone": "America/New_York", "weekly": {
            "saturday": [{"start": "09:00", "end": "17:00"}],
            "sunday": [{"start": "02:00", "end": "04:00"}],
            "monday": [{"start": "09:00", "end": "17:00"}]}}"#,
    );
    assert_open(
        &schedule,
        &[
            ("2026-03-08T01:59:59.999-05:00", false),
            ("2026-03-08T03:00-04:00", true),
            ("2026-03-08T03:59-04:00", true),
            ("2026-03-08T04:00-04:00", false),
        ],
    );
    assert_eq!(schedule.next_open(at("2026-03-07T17:00-05:00")), Some(at("2026-03-08T03:00-04:00")));
    // Office hours keep to the wall clock across the change: 09:00 is 14:00 UTC on Saturday
    // and 13:00 UTC on Monday.
    assert_eq!(schedule.next_open(at("2026-03-07T00:00-05:00")), Some(at("2026-03-07T14:00Z")));
    assert_eq!(schedule.next_open(at("2026-03-08T04:00-04:00")), Some(at("2026-03-09T13:00Z")));
}

#[test]
fn new_york_fall_back() {
    // Sunday 1 November 2026: 02:00 EDT (-04:00) goes back to 01:00 EST (-05:00); 01:00-02:00
    // happens twice. A slot 01:30-02:30 is open from the first 01:30 to the 02:30 after the
    // repeat, without a break when the clock falls back to 01:00.
    let schedule = schedule(
        r#"{"timezone": "America/New_York", "weekly": {"sunday": [{"start": "01:30", "end": "02:30"}]}}"#,
    );
    assert_open(
        &schedule,
        &[
            ("2026-11-01T01:29-04:00", false),
            ("2026-11-01T01:30-04:00", true),
            ("2026-11-01T01:59-04:00", true),
            ("2026-11-01T01:00-05:00", true),
            ("2026-11-01T01:45-05:00", true),
            ("2026-11-01T02:29-05:00", true),
            ("2026-11-01T02:30-05:00", false),
        ],
    );
    let open = schedule.next_open(at("2026-11-01T00:00-04:00")).unwrap();
    assert_eq!(open, at("2026-11-01T01:30-04:00"));
    let close = schedule.next_close(open).unwrap();
    assert_eq!(close, at("2026-11-01T02:30-05:00"));
    assert_eq!(hours(open, close), 2.0);
}

#[test]
fn sydney_fall_back() {
    // Sunday 5 April 2026: 03:00 AEDT (+11:00) goes back to 02:00 AEST (+10:00).
    let schedule = schedule(
        r#"{"timezone": "Australia/Sydney", "weekly": {
            "friday": [{"start": "09:00", "end": "17:00"}],
            "saturday": [{"start": "20:00", "end": "02:30"}],
            "monday": [{"start": "09:00", "end": "17:00"}]}}"#,
    );
    assert_open(
        &schedule,
        &[
            ("2026-04-05T02:45+11:00", true),
            ("2026-04-05T02:29+10:00", true),
            ("2026-04-05T02:30+10:00", false),
        ],
    );
    assert_eq!(schedule.next_close(at("2026-04-04T21:00+11:00")), Some(at("2026-04-05T02:30+10:00")));
    assert_eq!(schedule.next_open(at("2026-04-05T02:30+10:00")), Some(at("2026-04-06T09:00+10:00")));
    assert_eq!(schedule.next_open(at("2026-04-03T17:00+11:00")), Some(at("2026-04-04T20:00+11:00")));
}

#[test]
fn sydney_spring_forward() {
    // Sunday 4 October 2026: 02:00 AEST (+10:00) jumps to 03:00 AEDT (+11:00); the day has
    // 23 hours.
    let whole_day = schedule(
        r#"{"timezone": "Australia/Sydney", "weekly": {"sunday": [{"start": "00:00", "end": "00:00"}]}}"#,
    );
    let start = at("2026-10-04T00:00+10:00");
    let end = whole_day.next_close(start).unwrap();
    assert_eq!(end, at("2026-10-05T00:00+11:00"));
    assert_eq!(hours(start, end), 23.0);
    assert_open(
        &whole_day,
        &[
            ("2026-10-03T23:59+10:00", false),
            ("2026-10-04T01:59:59.999+10:00", true),
            ("2026-10-04T03:00+11:00", true),
        ],
    );

    let opens_in_the_gap = schedule(
        r#"{"timezone": "Australia/Sydney", "weekly": {"sunday": [{"start": "02:00", "end": "03:30"}]}}"#,
    );
    assert_open(
        &opens_in_the_gap,
        &[
            ("2026-10-04T01:59:59.999+10:00", false),
            ("2026-10-04T03:00+11:00", true),
            ("2026-10-04T03:30+11:00", false),
        ],
    );
    assert_eq!(opens_in_the_gap.next_open(at("2026-10-04T00:00+10:00")), Some(at("2026-10-04T03:00+11:00")));
}

// The document.

#[test]
fn the_document_round_trips_through_json_and_toml() {
    let parsed = schedule(SPLIT_SHIFTS);
    assert_eq!(parsed.timezone.name(), "Europe/Berlin");
    assert_eq!(parsed.weekly.as_ref().unwrap().day(Weekday::Monday).len(), 2);
    assert_eq!(parsed.weekly.as_ref().unwrap().day(Weekday::Saturday), &[]);
    let json = serde_json::to_value(&parsed).unwrap();
    assert_eq!(json["weekly"]["monday"][1], serde_json::json!({"start": "14:00", "end": "18:00"}));
    assert_eq!(json["holidays"], serde_json::json!(["2026-12-25"]));
    assert_eq!(serde_json::from_value::<Schedule>(json).unwrap(), parsed);

    let toml_text = r#"
        timezone = "Europe/Berlin"
        holidays = ["2026-12-25"]

        [weekly]
        monday = [{ start = "09:00", end = "12:30" }, { start = "14:00", end = "18:00" }]
        tuesday = [{ start = "09:00", end = "12:30" }, { start = "14:00", end = "18:00" }]
        wednesday = [{ start = "09:00", end = "12:30" }, { start = "14:00", end = "18:00" }]
        thursday = [{ start = "09:00", end = "12:30" }, { start = "14:00", end = "18:00" }]
        friday = [{ start = "09:00", end = "12:30" }, { start = "14:00", end = "18:00" }]

        [[overrides]]
        date = "2026-12-24"
        slots = [{ start = "09:00", end = "13:00" }]

        [[overrides]]
        date = "2026-12-31"
        slots = []
    "#;
    assert_eq!(toml::from_str::<Schedule>(toml_text).unwrap(), parsed);
    assert_eq!(toml::from_str::<Schedule>(&toml::to_string(&parsed).unwrap()).unwrap(), parsed);

    // The always-open default says so plainly.
    assert_eq!(
        serde_json::to_value(Schedule::default()).unwrap(),
        serde_json::json!({"timezone": "UTC", "holidays": [], "overrides": [], "never_available": false})
    );
}

#[test]
fn malformed_values_are_refused_with_what_to_write() {
    let error = |json: &str| serde_json::from_str::<Schedule>(json).unwrap_err().to_string();
    assert!(error(r#"{"timezone": "Europe/Berln"}"#).contains("'Europe/Berln' is not a time zone"));
    assert!(error(r#"{"timezone": "Etc/Unknown"}"#).contains("is not a time zone"));
    assert!(error(r#"{"timezone": ""}"#).contains("is not a time zone"));
    for time in ["9:75", "25:00", "24:30", "09:00:00", "0900", "09:0", "", "-1:00", "+9:00"] {
        let json = format!(r#"{{"weekly": {{"monday": [{{"start": "{time}", "end": "10:00"}}]}}}}"#);
        assert!(error(&json).contains("is not a time of day; write HH:MM"), "{time}");
    }
    for date in ["2026-02-30", "2026-13-01", "26-12-25", "2026-12-25T00:00", "20261225", "2026-W52-5"] {
        let json = format!(r#"{{"holidays": ["{date}"]}}"#);
        assert!(error(&json).contains("is not a date; write YYYY-MM-DD"), "{date}");
    }
    assert!(error(r#"{"weekly": {"mondy": []}}"#).contains("unknown field `mondy`"));
    assert!(error(r#"{"timezon": "UTC"}"#).contains("unknown field"));
    assert!(error(r#"{"overrides": [{"date": "2026-12-24"}]}"#).contains("missing field `slots`"));
    assert!(error(r#"{"weekly": {"monday": [{"start": "09:00"}]}}"#).contains("missing field `end`"));

    // A one-digit hour is fine, and zone names take the database's spelling.
    let schedule = schedule(
        r#"{"timezone": "europe/berlin", "weekly": {"monday": [{"start": "9:00", "end": "17:00"}]}}"#,
    );
    assert_eq!(schedule.timezone.name(), "Europe/Berlin");
    assert_eq!(schedule.weekly.unwrap().monday[0].start.to_string(), "09:00");
}

#[test]
fn contradictions_are_reported_by_problem() {
    let problem = |json: &str| serde_json::from_str::<Schedule>(json).unwrap().problem();
    assert_eq!(
        problem(r#"{"holidays": ["2026-12-25", "2026-12-26", "2026-12-25"]}"#).as_deref(),
        Some("holidays: 2026-12-25 is listed twice")
    );
    assert_eq!(
        problem(
            r#"{"overrides": [{"date": "2026-12-24", "slots": []}, {"date": "2026-12-24", "slots": []}]}"#
        )
        .as_deref(),
        Some("overrides: 2026-12-24 is listed twice")
    );
    assert_eq!(
        problem(r#"{"holidays": ["2026-12-24"], "overrides": [{"date": "2026-12-24", "slots": []}]}"#)
            .as_deref(),
        Some("overrides: 2026-12-24 is also a holiday; list it in one place")
    );
    assert_eq!(
        problem(r#"{"weekly": {"tuesday": [{"start": "14:00", "end": "18:00"}, {"start": "09:00", "end": "14:30"}]}}"#)
            .as_deref(),
        Some("weekly.tuesday: 09:00–14:30 and 14:00–18:00 overlap")
    );
    assert_eq!(
        problem(r#"{"weekly": {"friday": [{"start": "22:00", "end": "10:00"}, {"start": "23:00", "end": "23:30"}]}}"#)
            .as_deref(),
        Some("weekly.friday: 22:00–10:00 and 23:00–23:30 overlap")
    );
    assert_eq!(
        problem(r#"{"overrides": [{"date": "2026-12-24", "slots": [{"start": "09:00", "end": "13:00"}, {"start": "09:00", "end": "10:00"}]}]}"#)
            .as_deref(),
        Some("overrides.2026-12-24: 09:00–13:00 and 09:00–10:00 overlap")
    );
    assert_eq!(
        problem(r#"{"weekly": {"sunday": [{"start": "24:00", "end": "02:00"}]}}"#).as_deref(),
        Some("weekly.sunday: 24:00–02:00 starts at 24:00; start it at 00:00 on the next day")
    );
    let many =
        vec![Slot::new(TimeOfDay::new(9, 0).unwrap(), TimeOfDay::new(9, 1).unwrap()); MAX_SLOTS_PER_DAY + 1];
    let schedule = Schedule { weekly: Some(Week { monday: many, ..Week::default() }), ..Schedule::default() };
    assert_eq!(schedule.problem().as_deref(), Some("weekly.monday: 49 slots; the limit is 48"));

    // Fine: a night slot beside an early one on the same date, and a night slot overlapping
    // the next day's first slot.
    assert_eq!(
        problem(
            r#"{"weekly": {"friday": [{"start": "22:00", "end": "06:00"}, {"start": "06:00", "end": "07:00"}],
                              "saturday": [{"start": "00:00", "end": "08:00"}]}}"#
        ),
        None
    );
}

#[test]
fn weeks_can_be_built_in_code() {
    let nine_to_five = [Slot::new(TimeOfDay::new(9, 0).unwrap(), TimeOfDay::new(17, 0).unwrap())];
    let mut week = Week::weekdays(&nine_to_five);
    assert_eq!(week.day(Weekday::Friday), &nine_to_five);
    assert!(week.day(Weekday::Sunday).is_empty());
    week.day_mut(Weekday::Saturday).push(nine_to_five[0]);
    assert_eq!(week.saturday, nine_to_five);
    assert_eq!(Week::every_day(&nine_to_five).sunday, nine_to_five);
    assert_eq!(TimeOfDay::new(24, 1), None);
    assert_eq!(TimeOfDay::new(24, 0), Some(TimeOfDay::END_OF_DAY));
    assert_eq!("17:30".parse::<TimeOfDay>().unwrap().minutes(), 1050);
}
