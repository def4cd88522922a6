//! Office hours: when the people behind a bot or a team can be reached.
//!
//! A [`Schedule`] is written the way a support lead says it, in the wall-clock time of one IANA
//! time zone ("Monday to Friday, 9:00 to 12:30 and 14:00 to 18:00, Berlin time"), and it is
//! asked about instants: [`Schedule::is_open`], [`Schedule::next_open`] (for "we are back at
//! …" and the availability answer's `next_open_at`) and [`Schedule::next_close`]. The zone's
//! rules, from the time zone database compiled into Baton, turn one into the other, so the same
//! document is right in January and in July, on any host.
//!
//! # The document
//!
//! ```json
//! {
//!   "timezone": "Europe/Berlin",
//!   "weekly": {
//!     "monday": [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}],
//!     "tuesday": [{"start": "09:00", "end": "18:00"}],
//!     "friday": [{"start": "09:00", "end": "12:00"}, {"start": "22:00", "end": "02:00"}]
//!   },
//!   "holidays": ["2026-12-25", "2026-12-26"],
//!   "overrides": [
//!     {"date": "2026-12-24", "slots": [{"start": "09:00", "end": "13:00"}]},
//!     {"date": "2026-12-31", "slots": []}
//!   ],
//!   "never_available": false
//! }
//! ```
//!
//! In TOML the same is `timezone = "Europe/Berlin"`, a `[weekly]` table with
//! `monday = [{ start = "09:00", end = "12:30" }, …]`, and `[[overrides]]` entries; dates and
//! times are quoted strings. Every field may be left out, and unknown fields are refused.
//!
//! - **Which slots a date has.** A holiday has none. Otherwise an override for that date
//!   replaces the weekday's slots with its own (`[]`: closed that day). Otherwise the weekday's
//!   slots from `weekly` apply.
//! - **Always open by default.** Without `weekly`, every day is open around the clock, so an
//!   empty document (and [`Schedule::default`], which a policy uses when it has no schedule) is
//!   always open, and `{"holidays": ["2026-12-25"]}` is open every day but Christmas. With
//!   `weekly`, the days it does not list (or lists as `[]`) are closed: `"weekly": {}` is a week
//!   with no office hours, open only on the dates an override opens.
//! - **Slots.** A slot is open from `start` up to, not including, `end` (`"HH:MM"`, to the
//!   minute). A slot whose end is at or before its start runs past midnight: `22:00`–`02:00` is
//!   open until 02:00 the next morning, and `00:00`–`00:00` is the whole day. `"24:00"` may end
//!   a slot (`09:00`–`24:00` is the same as `09:00`–`00:00`).
//! - **A slot belongs to the date it starts on.** A holiday or override on that date removes
//!   the whole slot, hours after midnight included. A holiday or override on the next date does
//!   not cut the tail: the night shift that began on the 24th finishes on the morning of the
//!   25th, and the 25th's own slots (none, for a holiday) start after it.
//! - **Overlaps.** The slots of one day must not overlap, though they may touch (`09:00`–`12:00`
//!   and `12:00`–`14:00` are one open stretch). A slot running past midnight may overlap the next
//!   day's first slot: the schedule is open while either is.
//! - **`never_available`** switches live availability off: the schedule is never open, so the
//!   offline message and lead capture always show. The slots stay, so switching it back
//!   restores them.
//!
//! # Daylight saving time
//!
//! Slots are wall-clock times: 09:00 is 09:00 in winter and in summer. Everywhere except one
//! hour a year, an instant is open exactly when the zone's wall clock reads a time inside one
//! of the slots of its date (or the tail of the previous date's slot past midnight). The hours
//! the clocks skip or repeat follow one rule: **a slot opens the first time the wall clock
//! reaches its start and closes the last time the clock reaches its end**, which is what a
//! team on shift does.
//!
//! - **Spring forward (a gap).** In Berlin on 29 March 2026 the clocks jump from 02:00 to
//!   03:00. A time in the missing hour is reached at the jump, the first instant after the
//!   gap: a slot `02:30`–`06:00` opens at 03:00, a Saturday slot `22:00`–`02:30` closes at the
//!   jump, and a slot `02:15`–`02:45` lies wholly in the missing hour and does not open that
//!   night. A night shift `22:00`–`06:00` lasts seven hours.
//! - **Fall back (a fold).** In Berlin on 25 October 2026 the clocks go back from 03:00 to
//!   02:00, so 02:00–03:00 is lived twice. A Saturday slot `22:00`–`02:30` stays open past the
//!   first 02:30 until the second one (the night shift works the extra hour); a slot
//!   `02:30`–`06:00` opens at the first 02:30 and does not close again when the clock falls
//!   back to 02:00; a slot `02:15`–`02:45` is open from the first 02:15 to the second 02:45.
//!   A slot ending at 02:00 itself ends the first time: once there, the clock never reads an
//!   earlier time that night, so there is no extra hour to work.
//!   Inside the repeated hour this is the only place where an instant can be open while the
//!   clock reads a time outside every slot.
//!
//! # Answers
//!
//! [`Schedule::next_open`] is the earliest instant at or after the given one at which the
//! schedule is open: the instant itself when open, `None` when the schedule is
//! `never_available` or nothing opens within [`HORIZON_DAYS`]. [`Schedule::next_close`] is the
//! mirror image: the instant itself when closed, `None` when the schedule stays open for the
//! whole horizon (an always-open schedule). With slot times in whole minutes and zone offsets in
//! whole minutes (every zone since 1972), every opening and closing falls on a whole minute.
//!
//! # Validation
//!
//! Values that cannot mean anything fail when the document is read: an unknown time zone, a
//! time such as `"9:75"`, a date such as `"2026-02-30"`. What reads well but contradicts itself
//! (a date listed twice, overlapping slots, a slot starting at 24:00, too many entries) is
//! reported by [`Schedule::problem`]. The admin API answers 422 with the message in both cases.

mod clock;
mod outlook;
mod search;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use clock::{TimeOfDay, Zone, parse_date};
pub use jiff::civil::{Date, Weekday};
pub use outlook::Outlook;

/// How far ahead [`Schedule::next_open`] and [`Schedule::next_close`] look: a year, leap day
/// included, so every weekday and every date of the year is seen once.
pub const HORIZON_DAYS: i64 = 366;

/// The most slots one day may have: one every half hour.
pub const MAX_SLOTS_PER_DAY: usize = 48;

/// The most holidays and overrides a schedule may list, together.
pub const MAX_DATES: usize = 1_000;

/// Office hours. See the [module documentation](self) for what each field means.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Schedule {
    /// The zone whose wall clock the slots are read on (UTC when left out).
    pub timezone: Zone,
    /// Slots per weekday. `None`: open around the clock every day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly: Option<Week>,
    /// Dates closed all day.
    #[serde(with = "clock::date_list")]
    pub holidays: Vec<Date>,
    /// Dates with slots of their own instead of their weekday's.
    pub overrides: Vec<DateOverride>,
    /// Never open, whatever the slots say.
    pub never_available: bool,
}

/// The slots of each weekday. A day left out has none: it is closed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Week {
    pub monday: Vec<Slot>,
    pub tuesday: Vec<Slot>,
    pub wednesday: Vec<Slot>,
    pub thursday: Vec<Slot>,
    pub friday: Vec<Slot>,
    pub saturday: Vec<Slot>,
    pub sunday: Vec<Slot>,
}

/// One stretch of opening: from `start` up to `end` on the wall clock, past midnight when
/// `end` is at or before `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

/// A date whose slots replace its weekday's: special hours, or none at all (closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateOverride {
    #[serde(with = "clock::date")]
    pub date: Date,
    pub slots: Vec<Slot>,
}

/// The slots of a day without a weekly schedule: all of it.
static ALL_DAY: [Slot; 1] = [Slot { start: TimeOfDay::MIDNIGHT, end: TimeOfDay::MIDNIGHT }];

impl Schedule {
    /// Open around the clock: the schedule of a bot or team that has none.
    pub fn always_open() -> Self {
        Self::default()
    }

    /// Whether the schedule is open at every instant: no weekly slots, no dates, not switched
    /// off. (A schedule can be open all the time in other ways, such as a week of `00:00`–`00:00`
    /// slots; this answers only for the plain case, which needs no time zone arithmetic.)
    pub fn is_always_open(&self) -> bool {
        !self.never_available
            && self.weekly.is_none()
            && self.holidays.is_empty()
            && self.overrides.is_empty()
    }

    /// The slots that start on `date`, after holidays and overrides. (The tail of the previous
    /// date's slot past midnight is not among them: it belongs to the previous date.)
    pub fn slots_on(&self, date: Date) -> &[Slot] {
        // A date both a holiday and overridden is refused by `problem`; if it comes anyway,
        // closed is the safer reading.
        if self.holidays.contains(&date) {
            return &[];
        }
        if let Some(special) = self.overrides.iter().find(|special| special.date == date) {
            return &special.slots;
        }
        match &self.weekly {
            None => &ALL_DAY,
            Some(week) => week.day(date.weekday()),
        }
    }

    /// What is wrong with the schedule, if anything, as one message naming the field. Values
    /// that do not parse (zone, times, dates) never get this far: reading the document fails.
    pub fn problem(&self) -> Option<String> {
        let dates = self.holidays.len() + self.overrides.len();
        if dates > MAX_DATES {
            return Some(format!("holidays and overrides: {dates} dates; the limit is {MAX_DATES}"));
        }
        let mut seen = BTreeSet::new();
        for date in &self.holidays {
            if !seen.insert(*date) {
                return Some(format!("holidays: {date} is listed twice"));
            }
        }
        for special in &self.overrides {
            if self.holidays.contains(&special.date) {
                return Some(format!("overrides: {} is also a holiday; list it in one place", special.date));
            }
            if !seen.insert(special.date) {
                return Some(format!("overrides: {} is listed twice", special.date));
            }
        }
        let week =
            self.weekly.iter().flat_map(Week::days).map(|(name, slots)| (format!("weekly.{name}"), slots));
        let dated =
            self.overrides.iter().map(|special| (format!("overrides.{}", special.date), &special.slots[..]));
        week.chain(dated)
            .find_map(|(field, slots)| slots_problem(slots).map(|problem| format!("{field}: {problem}")))
    }
}

/// What is wrong with one day's slots.
fn slots_problem(slots: &[Slot]) -> Option<String> {
    if slots.len() > MAX_SLOTS_PER_DAY {
        return Some(format!("{} slots; the limit is {MAX_SLOTS_PER_DAY}", slots.len()));
    }
    if let Some(slot) = slots.iter().find(|slot| slot.start == TimeOfDay::END_OF_DAY) {
        return Some(format!("{slot} starts at 24:00; start it at 00:00 on the next day"));
    }
    // Sorted by start, two slots overlap only if some slot starts before its predecessor ends.
    let mut sorted = slots.to_vec();
    sorted.sort_by_key(|slot| slot.start);
    sorted
        .windows(2)
        .find(|pair| pair[1].minutes().0 < pair[0].minutes().1)
        .map(|pair| format!("{} and {} overlap", pair[0], pair[1]))
}

impl Week {
    /// The same slots on every day of the week.
    pub fn every_day(slots: &[Slot]) -> Self {
        let slots = slots.to_vec();
        Self {
            monday: slots.clone(),
            tuesday: slots.clone(),
            wednesday: slots.clone(),
            thursday: slots.clone(),
            friday: slots.clone(),
            saturday: slots.clone(),
            sunday: slots,
        }
    }

    /// The same slots Monday to Friday; closed at the weekend.
    pub fn weekdays(slots: &[Slot]) -> Self {
        Self { saturday: Vec::new(), sunday: Vec::new(), ..Self::every_day(slots) }
    }

    pub fn day(&self, weekday: Weekday) -> &[Slot] {
        match weekday {
            Weekday::Monday => &self.monday,
            Weekday::Tuesday => &self.tuesday,
            Weekday::Wednesday => &self.wednesday,
            Weekday::Thursday => &self.thursday,
            Weekday::Friday => &self.friday,
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
        }
    }

    pub fn day_mut(&mut self, weekday: Weekday) -> &mut Vec<Slot> {
        match weekday {
            Weekday::Monday => &mut self.monday,
            Weekday::Tuesday => &mut self.tuesday,
            Weekday::Wednesday => &mut self.wednesday,
            Weekday::Thursday => &mut self.thursday,
            Weekday::Friday => &mut self.friday,
            Weekday::Saturday => &mut self.saturday,
            Weekday::Sunday => &mut self.sunday,
        }
    }

    /// Each day's field name and slots, Monday first.
    fn days(&self) -> [(&'static str, &[Slot]); 7] {
        [
            ("monday", &self.monday),
            ("tuesday", &self.tuesday),
            ("wednesday", &self.wednesday),
            ("thursday", &self.thursday),
            ("friday", &self.friday),
            ("saturday", &self.saturday),
            ("sunday", &self.sunday),
        ]
    }
}

impl Slot {
    pub const fn new(start: TimeOfDay, end: TimeOfDay) -> Self {
        Self { start, end }
    }

    /// Whether the slot ends on the next day.
    pub fn runs_past_midnight(self) -> bool {
        self.end <= self.start
    }

    /// Start and end in minutes from the start of the slot's date; the end is past 1440 for a
    /// slot that runs past midnight, and always after the start.
    fn minutes(self) -> (u32, u32) {
        let (start, end) = (u32::from(self.start.minutes()), u32::from(self.end.minutes()));
        (start, if end > start { end } else { end + clock::MINUTES_PER_DAY })
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}
