//! Switchboard's domain: the rules of a contact centre's live chat, free of any
//! transport or storage concern. Everything here is plain data and pure functions,
//! so the same rules hold for the embedded store, DynamoDB and the tests.

pub mod account;
pub mod cards;
pub mod channel;
pub mod content;
pub mod conversation;
pub mod entry;
pub mod estimate;
pub mod hours;
pub mod ids;
pub mod invitation;
pub mod message;
pub mod offline;
pub mod operator;
pub mod queue;
pub mod routing;
pub mod sla;
pub mod tenant;
pub mod time;
pub mod timeline;
pub mod transfer;
pub mod workspace;

pub use account::{Account, Email, LinkPurpose, Lockout, OidcProvider, OneTimeLink};
pub use channel::{
    normalize_tag, Attachment, AttachmentKind, ChannelEvent, Contact, ContactProfile, Delivery,
    DeliveryError, DeliveryState, EchoMessage, ErrorCode, InboundEnvelope, InboundMessage,
    OutboundJob, Reply, ReplyKind, StatusUpdate, TypingState, MAX_TAGS,
};
pub use content::{Card, CardOutcome, Content, SystemLine, Template, Visibility};
pub use conversation::{
    Channel, Conversation, ConversationStatus, EntryInfo, EntryType, TransitionError, Watchers,
};
pub use entry::{EntriesError, WidgetEntry};
pub use hours::{BusinessHours, Day, HoursError, Opening};
pub use ids::{
    ClientMessageId, ConnectionId, ConversationId, GroupId, IdError, OperatorId, TenantId,
    VisitorId, WidgetId,
};
pub use invitation::{AttemptLimits, Invitation, InvitationCode, MalformedCode};
pub use message::{Author, Message, MessageText, NewMessage};
pub use offline::{MailJob, OfflineForm, OfflineFormError, OfflineReason, OfflineRequest};
pub use operator::{
    live_since, time_in_status, AcceptRefusal, Operator, OperatorStatus, Role, StatusChange,
};
pub use queue::{QueueChange, QueueEvent};
pub use routing::{AssignTrigger, Group, GroupError, RoutingPolicy};
pub use sla::{Priority, Sla, SlaCondition, SlaError, SlaRule, SlaSubject};
pub use tenant::{Capacity, CapacityError, Tenant, TenantSettings, Widget};
pub use time::Timestamp;
pub use timeline::{Assignment, ClosedBy, Session, TimelineEvent, TimelineKind};
pub use transfer::{CommentTooLong, PendingTransfer, TransferComment, TransferTarget};
