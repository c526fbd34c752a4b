//! Invitation codes: an operator creates one, a client who starts with it is
//! routed to that operator. Codes are drawn from the thread's CSPRNG
//! (ChaCha seeded from the OS), stored as an HMAC digest, used once and
//! expire; wrong guesses are counted per connection and per widget-minute,
//! and past the limits the answer is `too_many_attempts` before any lookup.

use super::frames::Frames;
use super::notify::{Audience, Caller, Recipient};
use crate::error::ActionError;
use crate::ports::{PrincipalRef, StartOutcome};
use crate::protocol::{self, CreateInvitation};
use crate::views::Event;
use rand::Rng;
use switchboard_domain::{
    AttemptLimits, Conversation, ConversationStatus, Invitation, InvitationCode, OperatorId,
    PendingTransfer, Timestamp,
};

/// Draws before giving up on finding an unused code (a tenant would need
/// most of a million live codes for one draw to collide often).
const DRAWS: usize = 8;
const MAX_VALID_MINUTES: u64 = 24 * 60;
/// A connection's counter outlives the connection (API Gateway's two hours).
const CONNECTION_COUNTER_SECONDS: u64 = 2 * 3600 + 300;

impl Frames {
    pub(super) async fn create_invitation(
        &self,
        caller: &Caller,
        action: CreateInvitation,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        let minutes = action
            .valid_minutes
            .unwrap_or(AttemptLimits::DEFAULT_VALID_MINUTES);
        if !(1..=MAX_VALID_MINUTES).contains(&minutes) {
            return Err(protocol::ProtocolError::InvalidField {
                field: "validMinutes".into(),
                reason: format!("must be 1 to {MAX_VALID_MINUTES}"),
            }
            .into());
        }
        let now = self.now();
        let expires_at = now.plus_seconds(minutes * 60);
        for _ in 0..DRAWS {
            let code = InvitationCode::from_number(rand::rng().random_range(0..1_000_000));
            let invitation = Invitation {
                tenant: caller.tenant().clone(),
                digest: self.tokens.invitation_digest(caller.tenant(), &code),
                operator: me.clone(),
                expires_at,
            };
            if self.invitations.put_invitation(&invitation, now).await? {
                let event = Event::InvitationCreated {
                    code: code.as_str().to_string(),
                    expires_at,
                };
                return self.notifier.reply(caller, &event).await;
            }
        }
        Err(crate::ports::StoreError::Contention(DRAWS as u32).into())
    }

    /// The operator a code invites the caller to, or why not. Lock-outs are
    /// checked first, so a locked-out guesser learns nothing from the store.
    async fn redeem(&self, caller: &Caller, raw: &str) -> Result<OperatorId, ActionError> {
        let code =
            InvitationCode::parse(raw).map_err(|e| protocol::ProtocolError::InvalidField {
                field: "invitationCode".into(),
                reason: e.to_string(),
            })?;
        let (_, widget) = caller.visitor()?;
        let now = self.now();
        let minute = now.millis() / 60_000;
        let connection_key = format!("C#{}", caller.connection.id);
        let mut keys = vec![connection_key.clone()];
        keys.extend(
            (0..=AttemptLimits::WIDGET_LOCK_MINUTES).map(|m| format!("W#{widget}#{}", minute - m)),
        );
        let counts = self.invitations.attempt_counts(&keys, now).await?;
        let connection_locked = counts[0] >= AttemptLimits::PER_CONNECTION;
        let widget_locked = counts[1..]
            .iter()
            .any(|c| *c >= AttemptLimits::PER_WIDGET_MINUTE);
        if connection_locked || widget_locked {
            tracing::warn!(widget = %widget, "invitation guessing locked out");
            return Err(ActionError::TooManyAttempts);
        }
        let digest = self.tokens.invitation_digest(caller.tenant(), &code);
        if let Some(operator) = self
            .invitations
            .consume_invitation(caller.tenant(), &digest, now)
            .await?
        {
            return Ok(operator);
        }
        let widget_window_ends =
            Timestamp((minute + 1 + AttemptLimits::WIDGET_LOCK_MINUTES) * 60_000);
        self.invitations
            .count_attempt(&[
                (connection_key, now.plus_seconds(CONNECTION_COUNTER_SECONDS)),
                (keys[1].clone(), widget_window_ends),
            ])
            .await?;
        Err(ActionError::InvalidInvitation)
    }

    /// A start with an invitation code: the new (or reopened) conversation
    /// waits for the inviting operator alone, for the tenant's transfer
    /// timeout, then in its group's queue like any other; the operator's
    /// consoles are told.
    pub(super) async fn start_invited(
        &self,
        caller: &Caller,
        code: &str,
        mut candidate: Conversation,
    ) -> Result<StartOutcome, ActionError> {
        // A client already in a conversation resumes it: the code is not
        // used up for nothing (they may close and start with it again).
        if let Some(id) = &caller.connection.conversation {
            if let Some(open) = self
                .conversations()
                .conversation(caller.tenant(), id)
                .await?
                .filter(|c| c.status != ConversationStatus::Closed)
            {
                return Ok(StartOutcome::Existing(open));
            }
        }
        let operator = self.redeem(caller, code).await?;
        let timeout = self
            .notifier
            .settings(caller.tenant())
            .await?
            .transfer_timeout_seconds;
        candidate.pending_transfer = Some(PendingTransfer {
            from: operator.clone(),
            to: operator.clone(),
            deadline: candidate.created_at.plus_seconds(u64::from(timeout)),
        });
        let outcome = self.lifecycle.start_candidate(candidate).await?;
        if let StartOutcome::Created(conversation) | StartOutcome::Reopened(conversation) = &outcome
        {
            let tabs = self
                .connections()
                .principal_connections(
                    caller.tenant(),
                    &PrincipalRef::Operator(operator.clone()),
                    self.now(),
                )
                .await?;
            let event = Event::InvitationArrived {
                view: self.lifecycle.view_unplaced(conversation.clone()).await?,
            };
            self.notifier
                .push_many(
                    caller.tenant(),
                    Some(conversation),
                    tabs.iter().map(Recipient::of),
                    &event,
                    Audience::everyone(),
                )
                .await?;
        }
        Ok(outcome)
    }
}
