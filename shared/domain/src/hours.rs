//! A group's business hours: opening intervals per weekday in the group's
//! time zone, and dates it is closed. Wall-clock times are interpreted in
//! that zone on the day in question, so an interval keeps its local times
//! across daylight-saving changes (an 08:00–17:00 day is 08:00–17:00 in
//! summer and winter alike).

use crate::time::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// One opening interval, `open` included, `close` excluded ("09:00"–"17:30").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Opening {
    pub day: Day,
    pub open: String,
    pub close: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Day {
    fn weekday(self) -> Weekday {
        match self {
            Day::Monday => Weekday::Monday,
            Day::Tuesday => Weekday::Tuesday,
            Day::Wednesday => Weekday::Wednesday,
            Day::Thursday => Weekday::Thursday,
            Day::Friday => Weekday::Friday,
            Day::Saturday => Weekday::Saturday,
            Day::Sunday => Weekday::Sunday,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BusinessHours {
    /// An IANA time zone ("Europe/Berlin").
    pub timezone: String,
    pub openings: Vec<Opening>,
    /// Whole days closed (holidays), as "YYYY-MM-DD" in the group's zone.
    #[serde(default)]
    pub closed_dates: Vec<String>,
}

/// Why business hours are refused; each names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("unknown time zone {0:?}")]
    UnknownTimezone(String),
    #[error("{0:?} is not a time of day (HH:MM)")]
    BadTime(String),
    #[error("{0:?} is not a date (YYYY-MM-DD)")]
    BadDate(String),
    #[error("on {day:?} an opening closes before it opens ({open}–{close})")]
    Empty {
        day: Day,
        open: String,
        close: String,
    },
    #[error("on {0:?} two openings overlap")]
    Overlap(Day),
}

impl HoursError {
    /// The field of a business-hours definition the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            HoursError::UnknownTimezone(_) => "hours.timezone",
            HoursError::BadDate(_) => "hours.closedDates",
            _ => "hours.openings",
        }
    }
}

fn time(raw: &str) -> Result<Time, HoursError> {
    let parsed: Time = raw.parse().map_err(|_| HoursError::BadTime(raw.into()))?;
    // Only HH:MM (or HH:MM:SS) of a day: "24:00" is not one.
    if raw.len() < 5 {
        return Err(HoursError::BadTime(raw.into()));
    }
    Ok(parsed)
}

impl BusinessHours {
    pub fn validate(&self) -> Result<(), HoursError> {
        TimeZone::get(&self.timezone)
            .map_err(|_| HoursError::UnknownTimezone(self.timezone.clone()))?;
        for d in &self.closed_dates {
            d.parse::<Date>()
                .map_err(|_| HoursError::BadDate(d.clone()))?;
        }
        let mut spans: Vec<(Day, Time, Time)> = Vec::with_capacity(self.openings.len());
        for o in &self.openings {
            let (open, close) = (time(&o.open)?, time(&o.close)?);
            if close <= open {
                return Err(HoursError::Empty {
                    day: o.day,
                    open: o.open.clone(),
                    close: o.close.clone(),
                });
            }
            if spans
                .iter()
                .any(|(day, a, b)| *day == o.day && open < *b && *a < close)
            {
                return Err(HoursError::Overlap(o.day));
            }
            spans.push((o.day, open, close));
        }
        Ok(())
    }

    /// Whether the group is open at `at`. Hours that do not validate count
    /// as open: a misconfiguration must not turn every client away.
    pub fn is_open(&self, at: Timestamp) -> bool {
        let Ok(zone) = TimeZone::get(&self.timezone) else {
            return true;
        };
        let Ok(instant) = jiff::Timestamp::from_millisecond(at.millis() as i64) else {
            return true;
        };
        let local = instant.to_zoned(zone);
        let (date, now) = (local.date(), local.time());
        if self
            .closed_dates
            .iter()
            .any(|d| d.parse::<Date>().is_ok_and(|closed| closed == date))
        {
            return false;
        }
        self.openings.iter().any(|o| {
            o.day.weekday() == date.weekday()
                && matches!((time(&o.open), time(&o.close)), (Ok(open), Ok(close)) if open <= now && now < close)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin(openings: &[(Day, &str, &str)], closed: &[&str]) -> BusinessHours {
        BusinessHours {
            timezone: "Europe/Berlin".into(),
            openings: openings
                .iter()
                .map(|(day, open, close)| Opening {
                    day: *day,
                    open: open.to_string(),
                    close: close.to_string(),
                })
                .collect(),
            closed_dates: closed.iter().map(|d| d.to_string()).collect(),
        }
    }

    /// Milliseconds of an instant written with its UTC offset.
    fn at(instant: &str) -> Timestamp {
        Timestamp(instant.parse::<jiff::Timestamp>().unwrap().as_millisecond() as u64)
    }

    #[test]
    fn local_hours_hold_across_daylight_saving_changes() {
        let week: Vec<(Day, &str, &str)> = [
            Day::Monday,
            Day::Tuesday,
            Day::Wednesday,
            Day::Thursday,
            Day::Friday,
            Day::Saturday,
            Day::Sunday,
        ]
        .into_iter()
        .map(|d| (d, "08:00", "17:00"))
        .collect();
        let h = berlin(&week, &[]);
        // Sunday 29 March 2026: clocks go from 02:00 to 03:00 (UTC+1 → UTC+2).
        assert!(!h.is_open(at("2026-03-29T05:59:59Z")), "07:59:59 CEST");
        assert!(h.is_open(at("2026-03-29T06:00:00Z")), "08:00 CEST");
        assert!(
            !h.is_open(at("2026-03-28T06:30:00Z")),
            "07:30 CET the day before"
        );
        assert!(h.is_open(at("2026-03-28T07:00:00Z")), "08:00 CET");
        // Sunday 25 October 2026: back from 03:00 to 02:00 (UTC+2 → UTC+1).
        assert!(h.is_open(at("2026-10-24T06:00:00Z")), "08:00 CEST");
        assert!(!h.is_open(at("2026-10-25T06:30:00Z")), "07:30 CET");
        assert!(h.is_open(at("2026-10-25T07:00:00Z")), "08:00 CET");
        assert!(!h.is_open(at("2026-10-25T16:00:00Z")), "17:00 CET");
    }

    #[test]
    fn weekdays_intervals_and_closed_dates() {
        let h = berlin(
            &[
                (Day::Monday, "09:00", "12:00"),
                (Day::Monday, "13:00", "17:30"),
            ],
            &["2026-11-23"],
        );
        assert!(h.validate().is_ok());
        // Monday 16 November 2026, CET.
        assert!(h.is_open(at("2026-11-16T08:00:00Z")), "09:00");
        assert!(!h.is_open(at("2026-11-16T11:30:00Z")), "12:30, lunch");
        assert!(h.is_open(at("2026-11-16T16:29:00Z")), "17:29");
        assert!(!h.is_open(at("2026-11-16T16:30:00Z")), "17:30");
        assert!(!h.is_open(at("2026-11-17T08:00:00Z")), "Tuesday");
        assert!(!h.is_open(at("2026-11-23T08:00:00Z")), "a closed Monday");
    }

    #[test]
    fn invalid_hours_name_the_problem() {
        let mut h = berlin(&[(Day::Friday, "09:00", "17:00")], &[]);
        h.timezone = "Mars/Olympus_Mons".into();
        assert_eq!(
            h.validate(),
            Err(HoursError::UnknownTimezone("Mars/Olympus_Mons".into()))
        );
        let h = berlin(
            &[
                (Day::Friday, "09:00", "13:00"),
                (Day::Friday, "12:00", "17:00"),
            ],
            &[],
        );
        assert_eq!(h.validate(), Err(HoursError::Overlap(Day::Friday)));
        let h = berlin(&[(Day::Friday, "17:00", "09:00")], &[]);
        assert!(matches!(h.validate(), Err(HoursError::Empty { .. })));
        let h = berlin(&[(Day::Friday, "9", "17:00")], &[]);
        assert!(matches!(h.validate(), Err(HoursError::BadTime(_))));
        let h = berlin(&[], &["2026-02-30"]);
        assert!(matches!(h.validate(), Err(HoursError::BadDate(_))));
        assert_eq!(h.validate().unwrap_err().field(), "hours.closedDates");
    }
}
