//! A conversation exported as CSV, a page of messages at a time so memory
//! stays flat however long it is: RFC 4180 with CRLF line ends, UTF-8 with
//! a byte-order mark (so spreadsheets read the accents right), one row per
//! item with `time`, `author`, `kind` and `text`.
//!
//! Any operator may export a conversation they may open (the console's
//! rule); notes only when asked for, and marked as notes.

use super::{Admin, AdminError};
use crate::ports::MessageStore;
use crate::usecases::access::may_open;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::sync::Arc;
use switchboard_domain::workspace::transcript::{event_row, row, safe_cell, Names, TranscriptRow};
use switchboard_domain::{Account, Conversation, ConversationId, OperatorId, TimelineEvent};

/// Messages read per page.
const PAGE: u64 = 200;
const BOM: &[u8] = "\u{feff}".as_bytes();

/// What an export asks for.
#[derive(Debug, Clone, Default)]
pub struct TranscriptOptions {
    pub with_notes: bool,
    /// An IANA zone for the times (`Europe/Berlin`); UTC when absent.
    pub timezone: Option<String>,
}

struct PeopleNames {
    visitor: String,
    operators: HashMap<OperatorId, String>,
}

impl Names for PeopleNames {
    fn visitor(&self) -> String {
        self.visitor.clone()
    }
    fn operator(&self, id: &OperatorId) -> String {
        self.operators
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// An export under way: each [`Transcript::next_chunk`] is the next part of
/// the file. It covers the conversation as it stood when the export began.
pub struct Transcript {
    conversation: Conversation,
    messages: Arc<dyn MessageStore>,
    names: PeopleNames,
    options: TranscriptOptions,
    zone: jiff::tz::TimeZone,
    next_seq: u64,
    started: bool,
    /// Timeline entries not yet written, oldest first (a conversation has
    /// a few per session, so they are read whole).
    events: VecDeque<TimelineEvent>,
}

impl Transcript {
    pub fn file_name(&self) -> String {
        format!("conversation-{}.csv", self.conversation.id)
    }

    fn write(&self, out: &mut csv::Writer<Vec<u8>>, r: &TranscriptRow) -> csv::Result<()> {
        let time = jiff::Timestamp::from_millisecond(r.time.millis() as i64)
            .map(|t| {
                t.to_zoned(self.zone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            })
            .unwrap_or_default();
        out.write_record([
            time.as_str(),
            &safe_cell(&r.author),
            r.kind,
            &safe_cell(&r.text),
        ])
    }

    /// The next bytes of the file; None once it is complete.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AdminError> {
        let last = self.conversation.last_seq;
        if self.started && self.next_seq > last && self.events.is_empty() {
            return Ok(None);
        }
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // Writing to memory fails only on a bug.
        let csv_error = |_| AdminError::Unavailable("the transcript could not be written");
        let first = !self.started;
        if first {
            self.started = true;
            out.write_record(["time", "author", "kind", "text"])
                .map_err(csv_error)?;
        }
        if self.next_seq <= last {
            let before = (self.next_seq + PAGE).min(last + 1);
            let page = self
                .messages
                .messages(
                    &self.conversation.tenant,
                    &self.conversation.id,
                    Some(before),
                    (before - self.next_seq) as usize,
                )
                .await?;
            for message in &page.messages {
                while self
                    .events
                    .front()
                    .is_some_and(|e| e.at <= message.created_at)
                {
                    if let Some(e) = self.events.pop_front() {
                        let r = event_row(&e, &self.names, self.options.with_notes);
                        self.write(&mut out, &r).map_err(csv_error)?;
                    }
                }
                if let Some(r) = row(message, &self.names, self.options.with_notes) {
                    self.write(&mut out, &r).map_err(csv_error)?;
                }
            }
            self.next_seq = before;
        } else {
            while let Some(e) = self.events.pop_front() {
                let r = event_row(&e, &self.names, self.options.with_notes);
                self.write(&mut out, &r).map_err(csv_error)?;
            }
        }
        let mut bytes = out
            .into_inner()
            .map_err(|_| AdminError::Unavailable("the transcript could not be written"))?;
        if first {
            bytes.splice(0..0, BOM.iter().copied());
        }
        Ok(Some(bytes))
    }
}

impl Admin {
    /// Starts an export of a conversation the caller may open; another
    /// tenant's, or one they may not open, is not found.
    pub async fn transcript(
        &self,
        caller: &Account,
        id: &ConversationId,
        options: TranscriptOptions,
    ) -> Result<Transcript, AdminError> {
        let zone = match &options.timezone {
            None => jiff::tz::TimeZone::UTC,
            Some(name) => jiff::tz::TimeZone::get(name)
                .map_err(|_| AdminError::invalid("timezone", "not an IANA time zone"))?,
        };
        let conversation = self
            .conversations
            .conversation(&caller.tenant, id)
            .await?
            .ok_or(AdminError::NotFound("conversation"))?;
        if !may_open(
            self.routing.as_ref(),
            &caller.id,
            &caller.roles,
            &conversation,
        )
        .await?
        {
            return Err(AdminError::NotFound("conversation"));
        }
        let operators = self
            .routing
            .routing(&caller.tenant)
            .await?
            .operators
            .into_iter()
            .map(|o| (o.operator.id, o.operator.name))
            .collect();
        let visitor = conversation
            .entry
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "Visitor".into());
        let events = self
            .conversations
            .timeline(&caller.tenant, &conversation.id)
            .await?
            .into();
        Ok(Transcript {
            events,
            messages: self.messages.clone(),
            names: PeopleNames { visitor, operators },
            options,
            zone,
            next_seq: 1,
            started: false,
            conversation,
        })
    }
}
