//! Reports for admins over whole days in the tenant's time zone, each a CSV
//! written a page at a time so memory stays flat however long the period:
//! RFC 4180 with CRLF line ends, UTF-8 with a byte-order mark.
//!
//! - `conversations`: one row per session that entered a queue in the
//!   period, read from the session index; operators from the timeline.
//! - `kpis`: the closed sessions of each day and of the whole period:
//!   count, median and 90th percentile of wait and first response, and how
//!   many with an SLA deadline were taken by it.
//! - `operator-status`: each operator's seconds online, away and offline on
//!   each day, from their status log.

use super::{Admin, AdminError};
use crate::ports::{AccountStore, ConversationStore, DirectoryStore, ReportStore};
use std::collections::VecDeque;
use std::sync::Arc;
use switchboard_domain::workspace::reports::{ClosedKpis, Period, SessionRow};
use switchboard_domain::{time_in_status, Account, OperatorStatus, TenantId, Timestamp};

/// Sessions read per page.
const PAGE: usize = 200;
const BOM: &[u8] = "\u{feff}".as_bytes();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Conversations,
    Kpis,
    OperatorStatus,
}

impl ReportKind {
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Conversations => "conversations",
            ReportKind::Kpis => "kpis",
            ReportKind::OperatorStatus => "operator-status",
        }
    }

    fn header(self) -> &'static [&'static str] {
        match self {
            ReportKind::Conversations => &[
                "conversation",
                "session",
                "started",
                "channel",
                "group",
                "operators",
                "waited_s",
                "first_response_s",
                "handled_s",
                "messages",
                "status",
                "tags",
                "outcome",
                "sla_met",
            ],
            ReportKind::Kpis => &[
                "day",
                "closed",
                "wait_median_s",
                "wait_p90_s",
                "first_response_median_s",
                "first_response_p90_s",
                "with_sla_deadline",
                "sla_met",
            ],
            ReportKind::OperatorStatus => {
                &["day", "operator", "name", "online_s", "away_s", "offline_s"]
            }
        }
    }
}

fn cell<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A report under way: each [`Report::next_chunk`] is the next part of the
/// file.
pub struct Report {
    kind: ReportKind,
    tenant: TenantId,
    period: Period,
    bounds: (Timestamp, Timestamp),
    now: Timestamp,
    reports: Arc<dyn ReportStore>,
    conversations: Arc<dyn ConversationStore>,
    directory: Arc<dyn DirectoryStore>,
    accounts: Arc<dyn AccountStore>,
    started: bool,
    done: bool,
    cursor: Option<String>,
    /// KPIs: the day being counted and the whole period.
    day: Option<(jiff::civil::Date, ClosedKpis)>,
    total: ClosedKpis,
    /// Operator status: operators still to write, and where the account
    /// listing continues.
    operators: VecDeque<Account>,
    accounts_after: Option<String>,
    accounts_done: bool,
}

fn kpi_record(label: &str, k: &ClosedKpis) -> Vec<String> {
    vec![
        label.to_string(),
        k.closed.to_string(),
        cell(k.waits.quantile(0.5)),
        cell(k.waits.quantile(0.9)),
        cell(k.first_responses.quantile(0.5)),
        cell(k.first_responses.quantile(0.9)),
        k.with_deadline.to_string(),
        k.deadline_met.to_string(),
    ]
}

impl Report {
    pub fn file_name(&self) -> String {
        format!(
            "{}-{}-to-{}.csv",
            self.kind.name(),
            self.period.first,
            self.period.last
        )
    }

    /// The next bytes of the file; None once it is complete.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AdminError> {
        if self.done {
            return Ok(None);
        }
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let first = !self.started;
        if first {
            self.started = true;
            out.write_record(self.kind.header()).map_err(written)?;
        }
        let records = match self.kind {
            ReportKind::Conversations => self.conversation_rows().await?,
            ReportKind::Kpis => self.kpi_rows().await?,
            ReportKind::OperatorStatus => self.status_rows().await?,
        };
        for record in records {
            out.write_record(&record).map_err(written)?;
        }
        let mut bytes = out.into_inner().map_err(|_| written(()))?;
        if first {
            bytes.splice(0..0, BOM.iter().copied());
        }
        Ok(Some(bytes))
    }

    async fn next_sessions(
        &mut self,
    ) -> Result<Vec<(u32, switchboard_domain::Conversation)>, AdminError> {
        let (from, to) = self.bounds;
        let page = self
            .reports
            .sessions_between(&self.tenant, from, to, self.cursor.as_deref(), PAGE)
            .await?;
        self.cursor = page.next;
        if self.cursor.is_none() {
            self.done = true;
        }
        Ok(page.sessions)
    }

    async fn conversation_rows(&mut self) -> Result<Vec<Vec<String>>, AdminError> {
        let mut records = Vec::new();
        for (number, c) in self.next_sessions().await? {
            let timeline = self.conversations.timeline(&self.tenant, &c.id).await?;
            let Some(row) = SessionRow::of(&c, number, &timeline) else {
                continue;
            };
            let operators: Vec<&str> = row.operators.iter().map(|o| o.as_str()).collect();
            records.push(vec![
                c.id.to_string(),
                row.session.to_string(),
                self.period.local(row.enqueued_at),
                c.channel.as_str().to_string(),
                c.group.to_string(),
                operators.join(";"),
                cell(row.waited),
                cell(row.first_response),
                cell(row.handled),
                cell(row.messages),
                row.status.to_string(),
                c.tags.join(";"),
                row.outcome.to_string(),
                cell(row.sla_met),
            ]);
        }
        Ok(records)
    }

    async fn kpi_rows(&mut self) -> Result<Vec<Vec<String>>, AdminError> {
        let mut records = Vec::new();
        for (number, c) in self.next_sessions().await? {
            let Some(row) = SessionRow::of(&c, number, &[]) else {
                continue;
            };
            let Some(date) = self.period.day_of(row.enqueued_at) else {
                continue;
            };
            // Sessions come in time order: a new day closes the last one.
            if self.day.as_ref().is_some_and(|(d, _)| *d != date) {
                if let Some((d, k)) = self.day.take() {
                    records.push(kpi_record(&d.to_string(), &k));
                }
            }
            let (_, today) = self
                .day
                .get_or_insert_with(|| (date, ClosedKpis::default()));
            today.add(&row);
            self.total.add(&row);
        }
        if self.done {
            if let Some((d, k)) = self.day.take() {
                records.push(kpi_record(&d.to_string(), &k));
            }
            records.push(kpi_record("total", &self.total));
        }
        Ok(records)
    }

    async fn status_rows(&mut self) -> Result<Vec<Vec<String>>, AdminError> {
        if self.operators.is_empty() && !self.accounts_done {
            let page = self
                .accounts
                .accounts(&self.tenant, self.accounts_after.as_deref(), 100)
                .await?;
            self.accounts_after = page.next;
            self.accounts_done = self.accounts_after.is_none();
            self.operators.extend(page.items);
        }
        let Some(account) = self.operators.pop_front() else {
            self.done = true;
            return Ok(Vec::new());
        };
        if self.operators.is_empty() && self.accounts_done {
            self.done = true;
        }
        let log = self.directory.status_log(&self.tenant, &account.id).await?;
        let days = self
            .period
            .days()
            .map_err(|e| AdminError::invalid(e.field, e.reason))?;
        let mut records = Vec::new();
        for (day, from, to) in days {
            // The future is not time spent.
            let to = to.min(self.now);
            if to <= from {
                break;
            }
            let spent = time_in_status(&log, from, to);
            let seconds = |status: OperatorStatus| {
                spent
                    .iter()
                    .find(|(s, _)| *s == status)
                    .map_or(0, |(_, ms)| ms / 1000)
                    .to_string()
            };
            records.push(vec![
                day.to_string(),
                account.id.to_string(),
                account.name.clone(),
                seconds(OperatorStatus::Online),
                seconds(OperatorStatus::Away),
                seconds(OperatorStatus::Offline),
            ]);
        }
        Ok(records)
    }
}

fn written<E>(_: E) -> AdminError {
    // Writing to memory fails only on a bug.
    AdminError::Unavailable("the report could not be written")
}

impl Admin {
    /// Starts a report for an admin over `from` to `to` (`YYYY-MM-DD`,
    /// both included) in the tenant's time zone.
    #[tracing::instrument(skip_all, fields(tenant = %caller.tenant, report = kind.name()))]
    pub async fn report(
        &self,
        caller: &Account,
        kind: ReportKind,
        from: &str,
        to: &str,
    ) -> Result<Report, AdminError> {
        Self::require_admin(caller)?;
        let tenant = self.tenant(caller).await?;
        let period = Period::parse(from, to, tenant.timezone.as_deref())
            .map_err(|e| AdminError::invalid(e.field, e.reason))?;
        let bounds = period
            .bounds()
            .map_err(|e| AdminError::invalid(e.field, e.reason))?;
        Ok(Report {
            kind,
            tenant: caller.tenant.clone(),
            period,
            bounds,
            now: self.clock.now(),
            reports: self.reports.clone(),
            conversations: self.conversations.clone(),
            directory: self.directory.clone(),
            accounts: self.accounts.clone(),
            started: false,
            done: false,
            cursor: None,
            day: None,
            total: ClosedKpis::default(),
            operators: VecDeque::new(),
            accounts_after: None,
            accounts_done: false,
        })
    }
}
