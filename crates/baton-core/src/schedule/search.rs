//! From wall-clock slots to instants, and the three questions asked of a schedule.
//!
//! Each slot on each date becomes an interval of instants: from the first time the wall clock
//! reaches its start to the last time it reaches its end (see the module documentation for why).
//! Intervals are produced date by date, each date's sorted by start. Because a later wall-clock
//! time never maps to an earlier first instant, that order is the order of their starts, so one
//! forward pass answers each question: the first interval still running at `at` gives the next
//! opening, and merging the intervals that reach the current closing candidate gives the next
//! closing. A date's intervals depend only on that date, so nothing is precomputed or cached.

use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::AmbiguousOffset;

use super::{HORIZON_DAYS, Schedule, Slot, clock::MINUTES_PER_DAY};
use crate::time::Timestamp;

const HORIZON_MS: i64 = HORIZON_DAYS * 86_400_000;

/// Unix milliseconds from `.0`, inclusive, to `.1`, exclusive.
type Interval = (i64, i64);

/// Which of a repeated wall-clock time's two instants is meant.
#[derive(Clone, Copy)]
enum Pass {
    /// The first time the clock shows it: where slots start.
    First,
    /// The last time the clock comes up to it: where slots end. From then on the clock reads
    /// that time or later.
    Last,
}

impl Schedule {
    /// Whether a human is reachable at `at` according to this schedule.
    pub fn is_open(&self, at: Timestamp) -> bool {
        if self.never_available {
            return false;
        }
        if self.is_always_open() {
            return true;
        }
        let t = at.as_millis();
        let Some(today) = self.local_date(t) else { return false };
        // Yesterday's slot past midnight reaches into today; two days back and one ahead cover
        // a fold that crosses midnight, where today's clock can show yesterday's date again.
        self.intervals(shift(today, -2), shift(today, 1))
            .take_while(|&(start, _)| start <= t)
            .any(|(_, end)| t < end)
    }

    /// The earliest instant at or after `at` at which the schedule is open: `at` itself when it
    /// is open, `None` when it is `never_available` or nothing opens within [`HORIZON_DAYS`].
    pub fn next_open(&self, at: Timestamp) -> Option<Timestamp> {
        if self.never_available {
            return None;
        }
        if self.is_always_open() {
            return Some(at);
        }
        let t = at.as_millis();
        let limit = t.saturating_add(HORIZON_MS);
        let (from, through) = self.search_dates(t, limit)?;
        self.intervals(from, through)
            .take_while(|&(start, _)| start < limit)
            .find(|&(_, end)| end > t)
            .map(|(start, _)| Timestamp::from_millis(start.max(t)))
    }

    /// The earliest instant at or after `at` at which the schedule is closed: `at` itself when
    /// it is closed, `None` when it stays open for all of [`HORIZON_DAYS`].
    pub fn next_close(&self, at: Timestamp) -> Option<Timestamp> {
        if self.never_available {
            return Some(at);
        }
        if self.is_always_open() {
            return None;
        }
        let t = at.as_millis();
        let limit = t.saturating_add(HORIZON_MS);
        let Some((from, through)) = self.search_dates(t, limit) else { return Some(at) };
        let mut close = t;
        for (start, end) in self.intervals(from, through) {
            if start > close {
                // Every later interval starts later still: nothing covers `close`.
                break;
            }
            close = close.max(end);
            if close >= limit {
                return None;
            }
        }
        Some(Timestamp::from_millis(close))
    }

    /// The dates whose slots can matter between `t` and `limit`: from two days before `t`'s
    /// local date (a fold crossing midnight) to the day after `limit`'s. `None` when `t` is
    /// outside the years -9999 to 9999, where no date exists to hold a slot.
    fn search_dates(&self, t: i64, limit: i64) -> Option<(Date, Date)> {
        let from = shift(self.local_date(t)?, -2);
        let through = shift(self.local_date(limit).unwrap_or(Date::MAX), 1);
        Some((from, through))
    }

    /// The wall-clock date at the instant `t`.
    fn local_date(&self, t: i64) -> Option<Date> {
        let instant = jiff::Timestamp::from_millisecond(t).ok()?;
        Some(self.timezone.time_zone().to_datetime(instant).date())
    }

    /// Every slot of every date from `from` through `through` as instants, in order of start.
    /// Slots that never open (wholly inside a spring-forward gap) are left out.
    fn intervals(&self, from: Date, through: Date) -> impl Iterator<Item = Interval> + '_ {
        std::iter::successors(Some(from), |date| date.tomorrow().ok())
            .take_while(move |date| *date <= through)
            .flat_map(move |date| {
                let mut day: Vec<Interval> = self
                    .slots_on(date)
                    .iter()
                    .filter_map(|&slot| self.interval(date, slot))
                    .filter(|(start, end)| start < end)
                    .collect();
                day.sort_unstable();
                day
            })
    }

    fn interval(&self, date: Date, slot: Slot) -> Option<Interval> {
        let (start, end) = slot.minutes();
        Some((self.instant(date, start, Pass::First)?, self.instant(date, end, Pass::Last)?))
    }

    /// The instant at which the wall clock reaches `minutes` after the start of `date` (which
    /// may be more than a day), on the given pass when that time happens twice.
    fn instant(&self, date: Date, minutes: u32, pass: Pass) -> Option<i64> {
        let tz = self.timezone.time_zone();
        let date = date.checked_add(i64::from(minutes / MINUTES_PER_DAY).days()).ok()?;
        let minutes = minutes % MINUTES_PER_DAY;
        // Both parts are below 60 or 24: the casts cannot truncate.
        let wall = date.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0);
        let ambiguous = tz.to_ambiguous_timestamp(wall);
        let instant = match (ambiguous.offset(), pass) {
            // A time the clocks skip is reached when they jump, the first instant after the
            // gap. `earlier` reads the time with the offset after the jump, which lands before
            // it; the zone's next transition from there is the jump.
            (AmbiguousOffset::Gap { .. }, _) => tz.following(ambiguous.earlier().ok()?).next()?.timestamp(),
            (AmbiguousOffset::Fold { .. }, Pass::Last) => {
                // The second time the clock shows the time counts only if it comes up to it
                // from an earlier time. At the very start of the repeated hour it comes down
                // from the hour's end instead: a slot ending there (02:00 in Berlin) ends the
                // first time, since the clock never reads an earlier time again that night.
                let later = ambiguous.later().ok()?;
                let just_before = jiff::Timestamp::from_millisecond(later.as_millisecond() - 1).ok()?;
                if tz.to_datetime(just_before) < wall { later } else { ambiguous.earlier().ok()? }
            }
            (_, Pass::First) | (AmbiguousOffset::Unambiguous { .. }, Pass::Last) => {
                ambiguous.earlier().ok()?
            }
        };
        Some(instant.as_millisecond())
    }
}

/// `date` moved by `days`, staying put at the ends of the calendar.
fn shift(date: Date, days: i64) -> Date {
    date.checked_add(days.days()).unwrap_or(date)
}
