//! What a schedule means right now, in one line: "Open now, closes Friday 18:00 (in 3 h)" or
//! "Closed, opens Monday 09:00 (in 14 h)". The admin console shows it under the office-hours
//! editor, computed for the schedule being edited before it is saved.

use serde::Serialize;

use super::Schedule;
use crate::time::Timestamp;

/// Whether the schedule is open at an instant, and when that next changes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outlook {
    pub open: bool,
    /// When it next closes (while open) or opens (while closed); `null` when that does not
    /// happen within a year: always open, never available, or no slot at all.
    pub changes_at: Option<Timestamp>,
    /// `changes_at` on the schedule's wall clock: weekday, date and time.
    pub changes_at_local: Option<String>,
    /// The whole answer in one English line.
    pub summary: String,
}

impl Schedule {
    /// What the schedule means at `now`.
    pub fn outlook(&self, now: Timestamp) -> Outlook {
        let open = self.is_open(now);
        let changes_at = if open { self.next_close(now) } else { self.next_open(now) };
        let local = changes_at.and_then(|at| self.wall_clock(at));
        let summary = match (open, changes_at, &local) {
            (true, None, _) => "Open now, around the clock".to_owned(),
            (false, None, _) if self.never_available => {
                "Never available: visitors always see the offline message".to_owned()
            }
            (false, None, _) => "Closed, and no opening within the next year".to_owned(),
            (open, Some(at), local) => {
                let when = local.as_ref().map_or_else(String::new, |l| format!("{l} "));
                let verb = if open { "Open now, closes" } else { "Closed, opens" };
                format!("{verb} {when}(in {})", span(at.as_millis().saturating_sub(now.as_millis())))
            }
        };
        Outlook { open, changes_at, changes_at_local: local, summary }
    }

    /// `at` as the schedule's wall clock shows it: `Monday 2026-12-07 09:00`.
    fn wall_clock(&self, at: Timestamp) -> Option<String> {
        let instant = jiff::Timestamp::from_millisecond(at.as_millis()).ok()?;
        let local = self.timezone.time_zone().to_datetime(instant);
        Some(format!("{:?} {} {:02}:{:02}", local.weekday(), local.date(), local.hour(), local.minute()))
    }
}

/// A duration in the unit a person would say it in: minutes under an hour, hours under two
/// days, days after that.
fn span(millis: i64) -> String {
    let minutes = (millis + 30_000) / 60_000;
    match minutes {
        ..=59 => format!("{} min", minutes.max(1)),
        60..=2879 => format!("{} h", (minutes + 30) / 60),
        _ => format!("{} days", (minutes + 720) / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin_weekdays_nine_to_six() -> Schedule {
        serde_json::from_value(serde_json::json!({
            "timezone": "Europe/Berlin",
            "weekly": {
                "monday": [{"start": "09:00", "end": "18:00"}],
                "tuesday": [{"start": "09:00", "end": "18:00"}],
                "wednesday": [{"start": "09:00", "end": "18:00"}],
                "thursday": [{"start": "09:00", "end": "18:00"}],
                "friday": [{"start": "09:00", "end": "18:00"}]
            }
        }))
        .unwrap()
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::from_millis(text.parse::<jiff::Timestamp>().unwrap().as_millisecond())
    }

    #[test]
    fn closed_on_a_weekend_it_says_when_monday_opens() {
        // Sunday 6 December 2026, 19:00 in Berlin (18:00 UTC): 14 hours to Monday 09:00.
        let outlook = berlin_weekdays_nine_to_six().outlook(at("2026-12-06T18:00:00Z"));
        assert!(!outlook.open);
        assert_eq!(outlook.changes_at, Some(at("2026-12-07T08:00:00Z")));
        assert_eq!(outlook.summary, "Closed, opens Monday 2026-12-07 09:00 (in 14 h)");
    }

    #[test]
    fn open_it_says_when_it_closes() {
        let outlook = berlin_weekdays_nine_to_six().outlook(at("2026-12-07T16:15:00Z"));
        assert!(outlook.open);
        assert_eq!(outlook.summary, "Open now, closes Monday 2026-12-07 18:00 (in 45 min)");
    }

    #[test]
    fn always_open_and_never_available_say_so() {
        let now = at("2026-12-07T16:15:00Z");
        let always = Schedule::always_open().outlook(now);
        assert!(always.open && always.changes_at.is_none());
        assert_eq!(always.summary, "Open now, around the clock");
        let never = Schedule { never_available: true, ..berlin_weekdays_nine_to_six() }.outlook(now);
        assert!(!never.open);
        assert!(never.summary.starts_with("Never available"));
    }

    #[test]
    fn spans_read_in_minutes_hours_or_days() {
        assert_eq!(span(10_000), "1 min");
        assert_eq!(span(59 * 60_000), "59 min");
        assert_eq!(span(14 * 3_600_000), "14 h");
        assert_eq!(span(3 * 86_400_000), "3 days");
    }
}
