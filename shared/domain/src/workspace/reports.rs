//! Reports for admins: a period of whole days in the tenant's time zone,
//! and the numbers of each session and each day, taken from the
//! conversation's sessions and timeline.

use crate::ids::OperatorId;
use crate::time::Timestamp;
use crate::timeline::{Session, TimelineEvent, TimelineKind};
use crate::{Conversation, ConversationStatus};
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The longest period a report covers.
pub const MAX_DAYS: i32 = 366;

/// Why a period cannot be reported on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct PeriodError {
    pub field: &'static str,
    pub reason: String,
}

fn refuse(field: &'static str, reason: impl Into<String>) -> PeriodError {
    PeriodError {
        field,
        reason: reason.into(),
    }
}

/// Whole days `from` to `to`, both included, in a time zone.
#[derive(Debug, Clone)]
pub struct Period {
    pub first: Date,
    pub last: Date,
    pub zone: TimeZone,
}

fn millis(date: Date, zone: &TimeZone) -> Result<Timestamp, PeriodError> {
    let start = date
        .to_zoned(zone.clone())
        .map_err(|e| refuse("from", e.to_string()))?;
    Ok(Timestamp(start.timestamp().as_millisecond().max(0) as u64))
}

impl Period {
    /// `from` and `to` as `YYYY-MM-DD`, in `zone` (an IANA name; None: UTC).
    ///
    /// # Errors
    /// Naming `from` or `to`: not a date, `to` before `from`, or more than
    /// [`MAX_DAYS`] days.
    pub fn parse(from: &str, to: &str, zone: Option<&str>) -> Result<Period, PeriodError> {
        let date = |field: &'static str, raw: &str| {
            raw.trim()
                .parse::<Date>()
                .map_err(|_| refuse(field, "a date as YYYY-MM-DD"))
        };
        let (first, last) = (date("from", from)?, date("to", to)?);
        if last < first {
            return Err(refuse("to", "must not be before from"));
        }
        let days = first
            .until(last)
            .map_err(|e| refuse("to", e.to_string()))?
            .get_days()
            + 1;
        if days > MAX_DAYS {
            return Err(refuse(
                "to",
                format!("a report covers at most {MAX_DAYS} days"),
            ));
        }
        let zone = match zone {
            Some(name) => TimeZone::get(name).map_err(|_| refuse("timezone", "not a time zone"))?,
            None => TimeZone::UTC,
        };
        Ok(Period { first, last, zone })
    }

    /// The first instant of the period and the first after it.
    pub fn bounds(&self) -> Result<(Timestamp, Timestamp), PeriodError> {
        let after = self
            .last
            .tomorrow()
            .map_err(|e| refuse("to", e.to_string()))?;
        Ok((millis(self.first, &self.zone)?, millis(after, &self.zone)?))
    }

    /// Each day with its first instant and the first of the next.
    pub fn days(&self) -> Result<Vec<(Date, Timestamp, Timestamp)>, PeriodError> {
        let mut out = Vec::new();
        let mut day = self.first;
        while day <= self.last {
            let next = day.tomorrow().map_err(|e| refuse("to", e.to_string()))?;
            out.push((day, millis(day, &self.zone)?, millis(next, &self.zone)?));
            day = next;
        }
        Ok(out)
    }

    /// The day an instant falls on here.
    pub fn day_of(&self, at: Timestamp) -> Option<Date> {
        jiff::Timestamp::from_millisecond(at.millis() as i64)
            .ok()
            .map(|t| t.to_zoned(self.zone.clone()).date())
    }

    /// An instant as local time with its offset (`2026-11-02T09:15:00+01:00`).
    pub fn local(&self, at: Timestamp) -> String {
        jiff::Timestamp::from_millisecond(at.millis() as i64)
            .map(|t| {
                t.to_zoned(self.zone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            })
            .unwrap_or_default()
    }
}

impl Session {
    /// How it ended: `open`, `missed` (closed before anyone took it),
    /// `closed_by_operator` or `closed_by_client`.
    pub fn outcome(&self) -> &'static str {
        use crate::timeline::ClosedBy;
        match (&self.closed_at, &self.accepted_at, &self.closed_by) {
            (None, _, _) => "open",
            (Some(_), None, _) => "missed",
            (Some(_), Some(_), Some(ClosedBy::Operator(_))) => "closed_by_operator",
            (Some(_), Some(_), _) => "closed_by_client",
        }
    }
}

fn seconds(from: Timestamp, to: Option<Timestamp>) -> Option<u64> {
    to.map(|to| to.millis().saturating_sub(from.millis()) / 1000)
}

/// One session as the conversations report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub session: u32,
    pub enqueued_at: Timestamp,
    /// Everyone who held it, in order.
    pub operators: Vec<OperatorId>,
    /// Enqueued until accepted.
    pub waited: Option<u64>,
    /// Enqueued until an operator's first message.
    pub first_response: Option<u64>,
    /// Accepted until closed.
    pub handled: Option<u64>,
    /// Messages and notes written in it.
    pub messages: Option<u64>,
    pub status: &'static str,
    pub outcome: &'static str,
    /// Whether it was taken by its SLA deadline (None: it had none, or it
    /// is not the latest session, whose SLA alone is kept).
    pub sla_met: Option<bool>,
}

impl SessionRow {
    /// Session `number` of a conversation, with the conversation's timeline
    /// (or none: the operators are then the session's last holder).
    pub fn of(c: &Conversation, number: u32, timeline: &[TimelineEvent]) -> Option<SessionRow> {
        let index = c.sessions.iter().position(|s| s.number == number)?;
        let s = &c.sessions[index];
        let latest = index + 1 == c.sessions.len();
        let mut operators: Vec<OperatorId> = Vec::new();
        for e in timeline.iter().filter(|e| e.session == number) {
            if let TimelineKind::Assigned { operator, .. } = &e.kind {
                if !operators.contains(operator) {
                    operators.push(operator.clone());
                }
            }
        }
        if let Some(op) = &s.operator {
            if !operators.contains(op) {
                operators.push(op.clone());
            }
        }
        let next_first = match c.sessions.get(index + 1) {
            Some(next) => next.first_seq,
            None => c.last_seq + 1,
        };
        let messages =
            (s.first_seq > 0 && next_first >= s.first_seq).then(|| next_first - s.first_seq);
        let status = match (latest, c.status) {
            (true, status) => status.as_str(),
            (false, _) => ConversationStatus::Closed.as_str(),
        };
        let sla_met = match (&c.sla, latest) {
            (Some(sla), true) => sla
                .deadline
                .map(|due| s.accepted_at.is_some_and(|at| at <= due)),
            _ => None,
        };
        Some(SessionRow {
            session: number,
            enqueued_at: s.enqueued_at,
            operators,
            waited: seconds(s.enqueued_at, s.accepted_at),
            first_response: seconds(s.enqueued_at, s.first_response_at),
            handled: s.accepted_at.and_then(|a| seconds(a, s.closed_at)),
            messages,
            status,
            outcome: s.outcome(),
            sla_met,
        })
    }
}

/// Seconds in bounded memory, read back as quantiles: exact below ten
/// minutes, to ten seconds below an hour, to a minute below a day, and a
/// day or more as one bucket. A day's or a year's chats take the same room.
#[derive(Debug, Clone)]
pub struct Seconds {
    buckets: Vec<u32>,
    count: u64,
}

const EXACT: u64 = 600;
const TENS: u64 = 3600;
const MINUTES: u64 = 86_400;
const BUCKETS: usize = (EXACT + (TENS - EXACT) / 10 + (MINUTES - TENS) / 60 + 1) as usize;

fn bucket(s: u64) -> usize {
    (if s < EXACT {
        s
    } else if s < TENS {
        EXACT + (s - EXACT) / 10
    } else if s < MINUTES {
        EXACT + (TENS - EXACT) / 10 + (s - TENS) / 60
    } else {
        BUCKETS as u64 - 1
    }) as usize
}

fn lower_bound(b: usize) -> u64 {
    let b = b as u64;
    let tens = EXACT + (TENS - EXACT) / 10;
    if b < EXACT {
        b
    } else if b < tens {
        EXACT + (b - EXACT) * 10
    } else {
        TENS + (b - tens) * 60
    }
}

impl Default for Seconds {
    fn default() -> Self {
        Seconds {
            buckets: vec![0; BUCKETS],
            count: 0,
        }
    }
}

impl Seconds {
    pub fn add(&mut self, s: u64) {
        self.buckets[bucket(s)] += 1;
        self.count += 1;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// The value at quantile `q` (0.5: the median; nearest rank), or None
    /// with no values.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0u64;
        for (b, n) in self.buckets.iter().enumerate() {
            seen += u64::from(*n);
            if seen >= rank {
                return Some(lower_bound(b));
            }
        }
        None
    }
}

/// The KPIs of the closed sessions of one day (or of the whole period).
#[derive(Debug, Clone, Default)]
pub struct ClosedKpis {
    pub closed: u64,
    pub waits: Seconds,
    pub first_responses: Seconds,
    /// Closed sessions that had an SLA deadline, and those taken by it.
    pub with_deadline: u64,
    pub deadline_met: u64,
}

impl ClosedKpis {
    pub fn add(&mut self, row: &SessionRow) {
        if row.outcome == "open" {
            return;
        }
        self.closed += 1;
        if let Some(w) = row.waited {
            self.waits.add(w);
        }
        if let Some(f) = row.first_response {
            self.first_responses.add(f);
        }
        if let Some(met) = row.sla_met {
            self.with_deadline += 1;
            self.deadline_met += u64::from(met);
        }
    }
}

#[cfg(test)]
#[path = "reports_tests.rs"]
mod tests;
