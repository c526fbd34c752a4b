//! Errors at the two client-facing boundaries, each mapped to what the client
//! sees in exactly one place: an HTTP status at connect, an error event after.

use crate::auth::TokenError;
use crate::ports::{BusError, ConversationError, PushError, RoutingError, StoreError};
use crate::protocol::ProtocolError;
use crate::views::Event;
use switchboard_domain::{AcceptRefusal, GroupError, IdError, TransitionError};

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("missing credentials: give `token` (operator) or `widgetId` (visitor)")]
    MissingCredentials,
    #[error("invalid token: {0}")]
    BadToken(#[from] TokenError),
    #[error("unknown widget")]
    UnknownWidget,
    #[error("unknown tenant")]
    UnknownTenant,
    #[error("the token belongs to another tenant")]
    TenantMismatch,
    #[error("this widget may not be opened from this site (Origin)")]
    OriginNotAllowed,
    #[error("the account is disabled or no longer exists")]
    AccountDisabled,
    #[error("invalid connection id")]
    BadConnectionId,
    #[error("could not allocate an id")]
    Id(#[source] switchboard_domain::IdError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl ConnectError {
    /// The HTTP status the gateway answers the upgrade with.
    pub fn status(&self) -> u16 {
        match self {
            ConnectError::MissingCredentials | ConnectError::BadToken(_) => 401,
            ConnectError::UnknownWidget
            | ConnectError::UnknownTenant
            | ConnectError::TenantMismatch
            | ConnectError::OriginNotAllowed
            | ConnectError::AccountDisabled => 403,
            ConnectError::BadConnectionId => 400,
            ConnectError::Store(_) | ConnectError::Bus(_) | ConnectError::Id(_) => 500,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("this action is for {0} only")]
    Forbidden(&'static str),
    #[error("conversation not found")]
    ConversationNotFound,
    /// The operator has no record: they never connected under this tenant.
    #[error("operator not found: connect again")]
    OperatorNotFound,
    #[error("no current conversation: send conversation.start first")]
    NoConversation,
    #[error("conversation was already taken by another operator")]
    AlreadyTaken,
    #[error("conversation is {0}, not waiting")]
    NotWaiting(&'static str),
    #[error("conversation is {0}, not active")]
    NotActive(&'static str),
    #[error("conversation is assigned to another operator")]
    NotYours,
    #[error("conversation is closed")]
    ConversationClosed,
    #[error("invalid card: {0}")]
    InvalidCard(#[source] switchboard_domain::cards::CardDefinitionError),
    #[error("{0}")]
    CardValue(#[source] switchboard_domain::cards::ValueError),
    #[error("no such card")]
    CardNotFound,
    #[error("the card was already {outcome:?} by the {by:?}")]
    CardAnswered {
        outcome: switchboard_domain::CardOutcome,
        by: switchboard_domain::cards::CardSide,
    },
    #[error("the card expired unanswered")]
    CardExpired,
    #[error("cards are not offered in this conversation's channel")]
    CardsUnavailable,
    #[error(transparent)]
    Refused(#[from] AcceptRefusal),
    #[error("{reason}")]
    InvalidSetting { field: &'static str, reason: String },
    #[error("invalid group: {0}")]
    InvalidGroup(#[source] GroupError),
    #[error("invalid SLA rules: {0}")]
    InvalidSla(#[source] switchboard_domain::SlaError),
    #[error("{0}")]
    Routing(#[source] RoutingError),
    #[error("no such operator in this tenant to transfer to")]
    UnknownTransferTarget,
    #[error("the operator to transfer to is not online")]
    TargetOffline,
    #[error("an operator cannot transfer a conversation to themselves")]
    TransferToSelf,
    #[error("this conversation has no transfer awaiting your answer")]
    NoTransfer,
    #[error("this conversation already waits in that group")]
    AlreadyInGroup,
    #[error("this conversation waits in a group you are not a member of")]
    NotInGroup,
    #[error("this conversation is being transferred to another operator")]
    AddressedToAnother,
    #[error(transparent)]
    CommentTooLong(#[from] switchboard_domain::CommentTooLong),
    #[error(transparent)]
    Offline(#[from] switchboard_domain::OfflineFormError),
    #[error("this invitation code is not valid")]
    InvalidInvitation,
    #[error("too many wrong invitation codes; wait a few minutes")]
    TooManyAttempts,
    #[error("the WhatsApp 24-hour window is closed: the client has not written for a day, and only an approved template can reach them now (template.list, then template.send)")]
    WindowClosed,
    #[error("{0}")]
    InvalidTemplate(#[source] switchboard_domain::cards::template::TemplateError),
    #[error("no such approved template in that language")]
    TemplateNotFound,
    #[error("this conversation's channel is not configured for sending")]
    ChannelUnavailable,
    /// Unite: a side was merged already, or has contacts merged into it.
    #[error("{reason}")]
    AlreadyMerged { field: &'static str, reason: String },
    #[error("internal error, try again")]
    Store(#[from] StoreError),
    #[error("internal error, try again")]
    Bus(#[from] BusError),
    #[error("internal error, try again")]
    Push(#[from] PushError),
    /// A visitor token could not be signed.
    #[error("internal error, try again")]
    Token(#[source] crate::jwt::JwtError),
    /// A generated or derived id was not a valid id.
    #[error("internal error, try again")]
    Id(#[source] IdError),
    /// An event could not be encoded for the wire.
    #[error("internal error, try again")]
    Encode(String),
}

impl From<crate::ports::CardStoreError> for ActionError {
    fn from(e: crate::ports::CardStoreError) -> Self {
        use switchboard_domain::cards::CardError;
        match e {
            crate::ports::CardStoreError::NotFound => ActionError::CardNotFound,
            crate::ports::CardStoreError::Card(CardError::AlreadyResolved { outcome, by }) => {
                ActionError::CardAnswered { outcome, by }
            }
            crate::ports::CardStoreError::Card(CardError::Expired) => ActionError::CardExpired,
            crate::ports::CardStoreError::Card(CardError::Value(v)) => ActionError::CardValue(v),
            crate::ports::CardStoreError::Store(s) => ActionError::Store(s),
        }
    }
}

impl From<ConversationError> for ActionError {
    fn from(e: ConversationError) -> Self {
        match e {
            ConversationError::NotFound => ActionError::ConversationNotFound,
            ConversationError::OperatorNotFound => ActionError::OperatorNotFound,
            ConversationError::UnknownTarget => ActionError::UnknownTransferTarget,
            ConversationError::TargetOffline => ActionError::TargetOffline,
            ConversationError::AlreadyTaken { .. } => ActionError::AlreadyTaken,
            ConversationError::NotInGroup => ActionError::NotInGroup,
            // Only routing assigns on a snapshot, and it reads again; seen
            // anywhere else it is contention.
            ConversationError::Moved => ActionError::Store(StoreError::Contention(1)),
            ConversationError::Transition(t) => t.into(),
            ConversationError::Refused(r) => ActionError::Refused(r),
            ConversationError::Store(s) => ActionError::Store(s),
        }
    }
}

impl From<RoutingError> for ActionError {
    fn from(e: RoutingError) -> Self {
        match e {
            RoutingError::Store(s) => ActionError::Store(s),
            other => ActionError::Routing(other),
        }
    }
}

impl From<TransitionError> for ActionError {
    fn from(t: TransitionError) -> Self {
        match t {
            TransitionError::NotWaiting(s) => ActionError::NotWaiting(s.as_str()),
            TransitionError::NotActive(s) => ActionError::NotActive(s.as_str()),
            TransitionError::NotAssignedTo => ActionError::NotYours,
            TransitionError::AlreadyClosed => ActionError::ConversationClosed,
            TransitionError::NotClosed(s) => ActionError::NotActive(s.as_str()),
            TransitionError::AddressedToAnother => ActionError::AddressedToAnother,
            TransitionError::TransferToSelf => ActionError::TransferToSelf,
            TransitionError::NoTransfer => ActionError::NoTransfer,
            TransitionError::AlreadyInGroup => ActionError::AlreadyInGroup,
        }
    }
}

impl ActionError {
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::Protocol(p) => match p {
                ProtocolError::TooLarge { .. } => "payload_too_large",
                ProtocolError::MalformedJson(_) => "malformed_json",
                ProtocolError::UnknownAction(_) => "unknown_action",
                ProtocolError::InvalidField { .. } => "invalid_field",
            },
            ActionError::Forbidden(_) => "forbidden",
            ActionError::ConversationNotFound => "conversation_not_found",
            ActionError::OperatorNotFound => "operator_not_found",
            ActionError::NoConversation => "no_conversation",
            ActionError::AlreadyTaken => "already_taken",
            ActionError::NotWaiting(_) => "not_waiting",
            ActionError::NotActive(_) => "not_active",
            ActionError::NotYours => "not_assigned_to_you",
            ActionError::ConversationClosed => "conversation_closed",
            ActionError::Refused(r) => match r {
                AcceptRefusal::NotOnline => "operator_not_online",
                AcceptRefusal::AtCapacity { .. } => "capacity_reached",
                AcceptRefusal::VideoNeedsFreeOperator => "video_requires_no_other_chat",
                AcceptRefusal::InVideoCall => "in_video_call",
            },
            ActionError::InvalidSetting { .. }
            | ActionError::InvalidGroup(_)
            | ActionError::InvalidSla(_) => "invalid_field",
            ActionError::Routing(r) => match r {
                RoutingError::UnknownOperator(_) => "unknown_operator",
                RoutingError::UnknownGroup => "unknown_group",
                RoutingError::UnknownWidget => "unknown_widget",
                RoutingError::EmptyGroup => "empty_group",
                RoutingError::Store(_) => "internal",
            },
            ActionError::WindowClosed => "window_closed",
            ActionError::InvalidTemplate(_) => "invalid_field",
            ActionError::TemplateNotFound => "template_not_found",
            ActionError::UnknownTransferTarget => "unknown_operator",
            ActionError::TargetOffline => "target_not_online",
            ActionError::TransferToSelf => "transfer_to_self",
            ActionError::NoTransfer => "no_transfer",
            ActionError::AlreadyInGroup => "already_in_group",
            ActionError::NotInGroup => "not_in_group",
            ActionError::AddressedToAnother => "transferred_to_another",
            ActionError::CommentTooLong(_) => "invalid_field",
            ActionError::InvalidInvitation => "invalid_invitation",
            ActionError::Offline(_) => "invalid_field",
            ActionError::TooManyAttempts => "too_many_attempts",
            ActionError::ChannelUnavailable => "channel_unavailable",
            ActionError::AlreadyMerged { .. } => "already_merged",
            ActionError::InvalidCard(_) | ActionError::CardValue(_) => "invalid_field",
            ActionError::CardNotFound => "card_not_found",
            ActionError::CardAnswered { .. } => "card_already_answered",
            ActionError::CardExpired => "card_expired",
            ActionError::CardsUnavailable => "cards_unavailable",
            ActionError::Store(_)
            | ActionError::Bus(_)
            | ActionError::Push(_)
            | ActionError::Token(_)
            | ActionError::Id(_)
            | ActionError::Encode(_) => "internal",
        }
    }

    pub fn is_internal(&self) -> bool {
        self.code() == "internal"
    }

    pub fn to_event(&self) -> Event {
        let field = match self {
            ActionError::Protocol(ProtocolError::InvalidField { field, .. }) => Some(field.clone()),
            ActionError::InvalidSetting { field, .. }
            | ActionError::AlreadyMerged { field, .. } => Some(field.to_string()),
            ActionError::UnknownTransferTarget | ActionError::TargetOffline => {
                Some("toOperatorId".to_string())
            }
            ActionError::CommentTooLong(_) => Some("comment".to_string()),
            ActionError::InvalidSla(e) => Some(e.field.clone()),
            ActionError::InvalidCard(e) => Some(format!("card.{}", e.field)),
            ActionError::CardValue(e) => Some(e.field.clone()),
            ActionError::InvalidTemplate(e) => Some(e.field.clone()),
            ActionError::Offline(e) => Some(e.field().to_string()),
            ActionError::InvalidGroup(g) => Some(
                match g {
                    GroupError::Name { .. } => "name",
                    GroupError::Hours(h) => h.field(),
                    _ => "members",
                }
                .to_string(),
            ),
            ActionError::Routing(r) => match r {
                RoutingError::UnknownOperator(_) => Some("members".to_string()),
                RoutingError::UnknownGroup | RoutingError::EmptyGroup => {
                    Some("groupId".to_string())
                }
                RoutingError::UnknownWidget => Some("widgetId".to_string()),
                RoutingError::Store(_) => None,
            },
            _ => None,
        };
        Event::Error {
            code: self.code(),
            message: self.to_string(),
            field,
        }
    }
}

/// An error with every cause below it, for logs: `a: b: c`. Display shows
/// only the outermost message, which for internal errors is deliberately bland.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_keeps_every_cause_and_the_client_sees_none() {
        let io = std::io::Error::other("connection reset by peer");
        let err = ActionError::Store(StoreError::backend("DynamoDB request", io));
        assert_eq!(err.to_string(), "internal error, try again");
        assert_eq!(
            chain(&err),
            "internal error, try again: storage backend failed: DynamoDB request: connection reset by peer"
        );
        assert_eq!(err.code(), "internal");
    }

    #[test]
    fn misfilings_are_mended() {
        let e: ActionError = ConversationError::OperatorNotFound.into();
        assert_eq!(e.code(), "operator_not_found");
        let id = switchboard_domain::ConversationId::parse("").unwrap_err();
        assert!(std::error::Error::source(&ActionError::Id(id)).is_some());
    }
}
