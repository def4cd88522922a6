//! Property tests: random schedules asked about random instants in 2025-2027, three in five of
//! them near a 2026 daylight saving transition. Two references written straight from the rules
//! judge `is_open`: the wall clock read with jiff's own conversion (exact outside the repeated
//! hour), and a brute-force search for the first time the clock reaches each slot's start and
//! the last time it reaches its end (exact everywhere). `next_open` and `next_close` are then
//! checked against `is_open`: at their answer, just before it, and at probes up to it.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::time::Timestamp;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Zones with daylight saving time in both hemispheres, a 30-minute shift (Lord Howe), clocks
/// changed at midnight so that a day starts at 01:00 or repeats its last hour (Santiago,
/// Havana), offsets that are not whole hours (St John's, Kolkata), and none at all.
const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "America/St_Johns",
    "Asia/Kolkata",
    "UTC",
];

/// The 2026 transitions the issue names, as instants.
const TRANSITIONS: &[(&str, &str)] = &[
    ("Europe/Berlin", "2026-03-29T01:00Z"),
    ("Europe/Berlin", "2026-10-25T01:00Z"),
    ("America/New_York", "2026-03-08T07:00Z"),
    ("America/New_York", "2026-11-01T06:00Z"),
    ("Australia/Sydney", "2026-04-04T16:00Z"),
    ("Australia/Sydney", "2026-10-03T16:00Z"),
];

fn millis(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

#[test]
fn the_bundled_database_has_the_2026_transitions() {
    for &(zone, instant) in TRANSITIONS {
        let tz = TimeZone::get(zone).unwrap();
        let before = jiff::Timestamp::from_millisecond(millis(instant) - 1).unwrap();
        let next = tz.following(before).next().unwrap().timestamp();
        assert_eq!(next.as_millisecond(), millis(instant), "{zone}");
    }
    // Two a year in each of the other zones with daylight saving time, none in the others.
    let all = transitions_2026();
    let count = |zone: &str| all.iter().filter(|(named, _)| *named == zone).count();
    for zone in ["Australia/Lord_Howe", "America/Santiago", "America/Havana", "America/St_Johns"] {
        assert_eq!(count(zone), 2, "{zone}");
    }
    assert_eq!(count("Asia/Kolkata") + count("UTC"), 0);
}

/// Whether the wall clock at `t` reads a time inside a slot: one of the slots of its date, or
/// the tail of one of the previous date's slots past midnight. Written from the rules alone.
fn wall_clock_open(schedule: &Schedule, t: i64) -> bool {
    if schedule.never_available {
        return false;
    }
    let local = local_time(schedule, t);
    let now = i64::from(local.hour()) * HOUR
        + i64::from(local.minute()) * MINUTE
        + i64::from(local.second()) * 1_000
        + i64::from(local.millisecond());
    let minutes = |m: u32| i64::from(m) * MINUTE;
    let today = local.date();
    let today_open =
        day_slots(schedule, today).iter().any(|&(start, end)| minutes(start) <= now && now < minutes(end));
    let tail_open = day_slots(schedule, today.yesterday().unwrap())
        .iter()
        .any(|&(_, end)| end > 1_440 && now < minutes(end - 1_440));
    today_open || tail_open
}

/// The slots starting on `date`, as minutes from its midnight (an end past 1440 falls on the
/// next date): a holiday has none, an override its own, otherwise the weekday's or, with no
/// weekly schedule, the whole day.
fn day_slots(schedule: &Schedule, date: Date) -> Vec<(u32, u32)> {
    let slots = if schedule.holidays.contains(&date) {
        Vec::new()
    } else if let Some(special) = schedule.overrides.iter().find(|special| special.date == date) {
        special.slots.clone()
    } else if let Some(week) = &schedule.weekly {
        week.day(date.weekday()).to_vec()
    } else {
        return vec![(0, 1_440)];
    };
    slots
        .iter()
        .map(|slot| {
            let (start, end) = (u32::from(slot.start.minutes()), u32::from(slot.end.minutes()));
            (start, if end > start { end } else { end + 1_440 })
        })
        .collect()
}

/// Whether some slot is open at `t` by the rule for every instant, the repeated hour
/// included: from the first time the clock reaches the slot's start to the last time it
/// reaches its end. Found by brute force: the clock is read at every minute of the 30 hours
/// either side of `t` (openings and closings fall on whole minutes).
fn first_to_last_open(schedule: &Schedule, t: i64) -> bool {
    if schedule.never_available {
        return false;
    }
    let tz = TimeZone::get(schedule.timezone.name()).unwrap();
    let wall = |u: i64| {
        let offset = tz.to_offset(jiff::Timestamp::from_millisecond(u).unwrap());
        u + i64::from(offset.seconds()) * 1_000
    };
    let around = t.div_euclid(MINUTE) * MINUTE;
    let clock: Vec<(i64, i64)> =
        (-30 * 60..=30 * 60).map(|m| around + m * MINUTE).map(|u| (u, wall(u))).collect();
    let today = local_time(schedule, t).date();
    (-2..=1).map(|days| today.checked_add(jiff::Span::new().days(days)).unwrap()).any(|date| {
        // The wall clock's reading at the date's midnight, on the same scale as `wall`.
        let midnight = date.to_zoned(TimeZone::UTC).unwrap().timestamp().as_millisecond();
        day_slots(schedule, date).iter().any(|&(start, end)| {
            let (start, end) = (midnight + i64::from(start) * MINUTE, midnight + i64::from(end) * MINUTE);
            let first = clock.iter().find(|&&(_, reads)| reads >= start).map(|&(u, _)| u);
            let last = clock.iter().rev().find(|&&(_, reads)| reads < end).map(|&(u, _)| u + MINUTE);
            matches!((first, last), (Some(first), Some(last)) if first <= t && t < last)
        })
    })
}

fn local_time(schedule: &Schedule, t: i64) -> jiff::civil::DateTime {
    let tz = TimeZone::get(schedule.timezone.name()).unwrap();
    tz.to_datetime(jiff::Timestamp::from_millisecond(t).unwrap())
}

/// Whether the clock at `t` shows a time it shows twice that night (the fall-back fold).
fn in_fold(schedule: &Schedule, t: i64) -> bool {
    let tz = TimeZone::get(schedule.timezone.name()).unwrap();
    tz.to_ambiguous_timestamp(local_time(schedule, t)).is_ambiguous()
}

/// Instants from `from` up to `to` to probe. Openings and closings fall on whole minutes, so
/// probing every minute is exhaustive; that is done for the first 12 hours, then the probes
/// thin out (7 minutes for a week, then 97) to keep a case fast.
fn probes(from: i64, to: i64) -> impl Iterator<Item = i64> {
    let first_minute = from.div_euclid(MINUTE) * MINUTE + MINUTE;
    std::iter::once(from)
        .chain(std::iter::successors(Some(first_minute), move |&p| {
            let step = if p - from < 12 * HOUR {
                MINUTE
            } else if p - from < 8 * DAY {
                7 * MINUTE
            } else {
                97 * MINUTE
            };
            Some(p + step)
        }))
        .take_while(move |&p| p < to)
}

fn is_open(schedule: &Schedule, t: i64) -> bool {
    schedule.is_open(Timestamp::from_millis(t))
}

/// A wall-clock time, leaning on the small hours where the clocks change.
fn minute_of_day() -> impl Strategy<Value = u16> {
    prop_oneof![3 => 0u16..1_440, 2 => (4u16..16).prop_map(|quarter| quarter * 15)]
}

fn slot() -> impl Strategy<Value = Slot> {
    let end = prop_oneof![10 => minute_of_day(), 1 => Just(1_440u16)];
    (minute_of_day(), end).prop_map(|(start, end)| Slot {
        start: TimeOfDay::new((start / 60) as u8, (start % 60) as u8).unwrap(),
        end: TimeOfDay::new((end / 60) as u8, (end % 60) as u8).unwrap(),
    })
}

fn day() -> impl Strategy<Value = Vec<Slot>> {
    proptest::collection::vec(slot(), 0..=3)
}

fn week() -> impl Strategy<Value = Option<Week>> {
    let days = [day(), day(), day(), day(), day(), day(), day()];
    prop_oneof![
        1 => Just(None),
        6 => days.prop_map(|[monday, tuesday, wednesday, thursday, friday, saturday, sunday]| {
            Some(Week { monday, tuesday, wednesday, thursday, friday, saturday, sunday })
        }),
    ]
}

/// Every zone's transitions in 2026, the ones the issue names first.
fn transitions_2026() -> Vec<(&'static str, i64)> {
    let named = TRANSITIONS.iter().map(|&(zone, instant)| (zone, millis(instant)));
    let (start, end) = (millis("2026-01-01T00:00Z"), millis("2027-01-01T00:00Z"));
    let others =
        ZONES.iter().filter(|zone| !TRANSITIONS.iter().any(|(named, _)| named == *zone)).flat_map(|&zone| {
            let tz = TimeZone::get(zone).unwrap();
            let instants: Vec<i64> = tz
                .following(jiff::Timestamp::from_millisecond(start).unwrap())
                .map(|transition| transition.timestamp().as_millisecond())
                .take_while(|&instant| instant < end)
                .collect();
            instants.into_iter().map(move |instant| (zone, instant))
        });
    named.chain(others).collect()
}

/// A zone and an instant: anywhere in 2025-2027, within two days of a 2026 transition, or
/// within three hours of one (where the skipped and repeated hours are).
fn zone_and_instant() -> impl Strategy<Value = (&'static str, i64)> {
    let anywhere =
        (proptest::sample::select(ZONES), millis("2025-01-01T00:00Z")..millis("2028-01-01T00:00Z"));
    let transitions = transitions_2026();
    let near = |within: i64| {
        (proptest::sample::select(transitions.clone()), -within..within)
            .prop_map(|((zone, instant), offset)| (zone, instant + offset))
    };
    prop_oneof![2 => anywhere, 1 => near(2 * DAY), 2 => near(3 * HOUR)]
}

prop_compose! {
    /// A schedule with holidays and overrides near the instant it will be asked about, so
    /// they matter, and the instant.
    fn schedule_and_instant()(
        (zone, t) in zone_and_instant(),
        weekly in week(),
        holidays in proptest::collection::vec(-3i64..10, 0..3),
        overrides in proptest::collection::vec((-3i64..10, day()), 0..3),
        never_available in proptest::bool::weighted(0.05),
    ) -> (Schedule, i64) {
        let mut schedule = Schedule { timezone: Zone::parse(zone).unwrap(), weekly, never_available, ..Schedule::default() };
        let today = local_time(&schedule, t).date();
        let date = |offset: i64| today.checked_add(jiff::Span::new().days(offset)).unwrap();
        schedule.holidays = holidays.into_iter().map(date).collect();
        schedule.overrides = overrides
            .into_iter()
            .map(|(offset, slots)| DateOverride { date: date(offset), slots })
            .collect();
        (schedule, t)
    }
}

proptest! {
    // A case takes a few milliseconds, so 1,024 by default; `PROPTEST_CASES=20000` digs deeper.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(1_024),
        ..ProptestConfig::default()
    })]

    /// Open from the first time the clock reaches a slot's start to the last time it reaches
    /// its end; outside the repeated hour, that is exactly when the wall clock reads a time in
    /// a slot, and in it, at least then.
    #[test]
    fn is_open_follows_the_wall_clock((schedule, t) in schedule_and_instant()) {
        let open = is_open(&schedule, t);
        prop_assert_eq!(open, first_to_last_open(&schedule, t));
        let wall = wall_clock_open(&schedule, t);
        if in_fold(&schedule, t) {
            prop_assert!(open || !wall, "the clock reads an open time in the fold but the schedule is closed");
        } else {
            prop_assert_eq!(open, wall);
        }
    }

    /// `next_open` is open, and nothing between the instant and it is.
    #[test]
    fn next_open_is_the_first_open_instant((schedule, t) in schedule_and_instant()) {
        let open = is_open(&schedule, t);
        match schedule.next_open(Timestamp::from_millis(t)) {
            Some(next) => {
                let next = next.as_millis();
                prop_assert!(next >= t && next < t + HORIZON_DAYS * DAY);
                prop_assert!(is_open(&schedule, next));
                prop_assert_eq!(next == t, open);
                if next > t {
                    prop_assert_eq!(next % MINUTE, 0, "openings fall on whole minutes");
                    prop_assert!(!is_open(&schedule, next - 1));
                    // The schedule closes again after the opening (unless open for a year).
                    if let Some(close) = schedule.next_close(Timestamp::from_millis(next)) {
                        prop_assert!(close.as_millis() > next);
                    }
                }
                for probe in probes(t, next) {
                    prop_assert!(!is_open(&schedule, probe), "open at {} before next_open {}", probe, next);
                }
            }
            None => {
                prop_assert!(!open);
                if !schedule.never_available {
                    for probe in probes(t, t + 9 * DAY) {
                        prop_assert!(!is_open(&schedule, probe), "open at {} though next_open is None", probe);
                    }
                }
            }
        }
    }

    /// `next_close` is closed, and the schedule is open all the way from the instant to it.
    #[test]
    fn next_close_is_the_first_closed_instant((schedule, t) in schedule_and_instant()) {
        let open = is_open(&schedule, t);
        match schedule.next_close(Timestamp::from_millis(t)) {
            Some(next) => {
                let next = next.as_millis();
                prop_assert!(next >= t && next < t + HORIZON_DAYS * DAY);
                prop_assert!(!is_open(&schedule, next));
                prop_assert_eq!(next == t, !open);
                if next > t {
                    prop_assert_eq!(next % MINUTE, 0, "closings fall on whole minutes");
                    prop_assert!(is_open(&schedule, next - 1));
                    if let Some(reopen) = schedule.next_open(Timestamp::from_millis(next)) {
                        prop_assert!(reopen.as_millis() > next);
                    }
                }
                for probe in probes(t, next) {
                    prop_assert!(is_open(&schedule, probe), "closed at {} before next_close {}", probe, next);
                }
            }
            None => {
                prop_assert!(open);
                for probe in probes(t, t + 9 * DAY) {
                    prop_assert!(is_open(&schedule, probe), "closed at {} though next_close is None", probe);
                }
            }
        }
    }
}
