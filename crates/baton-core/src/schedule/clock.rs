//! The values a schedule is written in: times of day, a time zone, dates. Each parses once,
//! when the document is read, with a message that says what to write instead.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

pub(super) const MINUTES_PER_DAY: u32 = 1_440;

/// A time on the wall clock, to the minute: `"09:00"`, `"17:30"`. `"24:00"`, the end of the
/// day, is for ending a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeOfDay {
    /// Minutes since midnight, 0 to 1440.
    minutes: u16,
}

impl TimeOfDay {
    pub const MIDNIGHT: Self = Self { minutes: 0 };
    pub const END_OF_DAY: Self = Self { minutes: MINUTES_PER_DAY as u16 };

    /// `hour:minute`, or `None` past 24:00.
    pub const fn new(hour: u8, minute: u8) -> Option<Self> {
        if (hour < 24 && minute < 60) || (hour == 24 && minute == 0) {
            Some(Self { minutes: hour as u16 * 60 + minute as u16 })
        } else {
            None
        }
    }

    /// Parses `HH:MM` (the hour may have one digit: `9:00`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let number = |digits: &str, widths: &[usize]| {
            (widths.contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<u8>().ok())
                .flatten()
        };
        text.split_once(':')
            .and_then(|(hour, minute)| Self::new(number(hour, &[1, 2])?, number(minute, &[2])?))
            .ok_or_else(|| format!("'{text}' is not a time of day; write HH:MM, such as 09:00 or 17:30"))
    }

    /// Minutes since midnight (1440 for 24:00).
    pub const fn minutes(self) -> u16 {
        self.minutes
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl FromStr for TimeOfDay {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::parse(text)
    }
}

impl TryFrom<String> for TimeOfDay {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text)
    }
}

impl From<TimeOfDay> for String {
    fn from(time: TimeOfDay) -> Self {
        time.to_string()
    }
}

/// An IANA time zone (`"Europe/Berlin"`, `"America/New_York"`), looked up in the time zone
/// database compiled into Baton so that answers never depend on the host's copy. Two zones are
/// equal when their names are.
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        match TimeZone::get(name) {
            // jiff answers `Etc/Unknown` with a placeholder zone; it is not a place.
            Ok(tz) if !tz.is_unknown() => {
                // The database's spelling, so `europe/berlin` is stored as `Europe/Berlin`.
                let name = tz.iana_name().unwrap_or(name).to_owned();
                Ok(Self { name, tz })
            }
            _ => Err(format!(
                "'{name}' is not a time zone; use an IANA name such as Europe/Berlin or America/New_York"
            )),
        }
    }

    pub fn utc() -> Self {
        Self { name: "UTC".into(), tz: TimeZone::UTC }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(super) fn time_zone(&self) -> &TimeZone {
        &self.tz
    }
}

impl Default for Zone {
    fn default() -> Self {
        Self::utc()
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Zone").field(&self.name).finish()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl TryFrom<String> for Zone {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        Self::parse(&name)
    }
}

impl From<Zone> for String {
    fn from(zone: Zone) -> Self {
        zone.name
    }
}

/// Parses a calendar date written `YYYY-MM-DD`, and only that (no week dates, no times).
pub fn parse_date(text: &str) -> Result<Date, String> {
    let shaped = text.len() == 10
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    shaped
        .then(|| text.parse::<Date>().ok())
        .flatten()
        .ok_or_else(|| format!("'{text}' is not a date; write YYYY-MM-DD, such as 2026-12-25"))
}

/// `#[serde(with)]` for one date as `"YYYY-MM-DD"`.
pub(super) mod date {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(date)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        super::parse_date(&String::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

/// `#[serde(with)]` for a list of dates.
pub(super) mod date_list {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(dates: &[Date], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(dates.iter().map(Date::to_string))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Date>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|text| super::parse_date(text))
            .collect::<Result<_, _>>()
            .map_err(D::Error::custom)
    }
}
