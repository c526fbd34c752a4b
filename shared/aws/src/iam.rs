//! What each port needs from IAM on AWS, as the adapters in this crate use
//! them. A function's policy in `infra/template.yaml` must be exactly the
//! union over the ports its `wire` asks for; `tests/tests/iam_drift.rs`
//! checks it, so a new store call cannot pass every local test and then fail
//! with AccessDenied on AWS.

use crate::dynamo;
use switchboard_app::PortName;

/// What one port needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// DynamoDB actions on the table.
    pub dynamodb: &'static [&'static str],
    /// Queries a GSI, so the policy must also name the table's indexes.
    pub index: bool,
    /// `sqs:SendMessage` on this queue (the template's logical id).
    pub sends_to: Option<&'static str>,
    /// `execute-api:ManageConnections` on the stage's `@connections`.
    pub manages_connections: bool,
    /// `ses:SendEmail` from the stack's mail identity.
    pub sends_mail: bool,
    /// `secretsmanager:GetSecretValue` on the stack's secrets.
    pub reads_secrets: bool,
    /// `secretsmanager:CreateSecret`, `PutSecretValue`, `DeleteSecret` on them.
    pub writes_secrets: bool,
}

pub fn needs(port: PortName) -> Needs {
    let table = |dynamodb, index| Needs {
        dynamodb,
        index,
        ..Needs::default()
    };
    let queue = |name| Needs {
        sends_to: Some(name),
        ..Needs::default()
    };
    match port {
        PortName::Directory => table(
            dynamo::directory::IAM_ACTIONS,
            dynamo::directory::USES_INDEX,
        ),
        PortName::Routing => table(dynamo::routing::IAM_ACTIONS, dynamo::routing::USES_INDEX),
        PortName::Invitations => table(
            dynamo::invitations::IAM_ACTIONS,
            dynamo::invitations::USES_INDEX,
        ),
        PortName::Conversations => table(
            dynamo::conversations::IAM_ACTIONS,
            dynamo::conversations::USES_INDEX,
        ),
        PortName::Messages => table(dynamo::messages::IAM_ACTIONS, dynamo::messages::USES_INDEX),
        PortName::Delivery => table(dynamo::delivery::IAM_ACTIONS, dynamo::delivery::USES_INDEX),
        PortName::Contacts => table(dynamo::contacts::IAM_ACTIONS, dynamo::contacts::USES_INDEX),
        PortName::Cards => table(dynamo::cards::IAM_ACTIONS, dynamo::cards::USES_INDEX),
        PortName::Accounts => table(dynamo::accounts::IAM_ACTIONS, dynamo::accounts::USES_INDEX),
        PortName::Sessions => table(dynamo::sessions::IAM_ACTIONS, dynamo::sessions::USES_INDEX),
        PortName::Audit => table(dynamo::audit::IAM_ACTIONS, dynamo::audit::USES_INDEX),
        PortName::Widgets => table(dynamo::widgets::IAM_ACTIONS, dynamo::widgets::USES_INDEX),
        PortName::TextBlocks => table(dynamo::text_blocks::IAM_ACTIONS, false),
        PortName::ContactInfo => table(dynamo::contact_info::IAM_ACTIONS, false),
        PortName::Browsing => table(dynamo::browsing::IAM_ACTIONS, false),
        PortName::Unite => table(dynamo::unite::IAM_ACTIONS, false),
        PortName::Reports => table(dynamo::reports::IAM_ACTIONS, false),
        PortName::ChannelAccounts => table(dynamo::channel_accounts::IAM_READ, false),
        PortName::ChannelAccountWriter => table(dynamo::channel_accounts::IAM_WRITE, false),
        PortName::Secrets => Needs {
            reads_secrets: true,
            ..Needs::default()
        },
        PortName::SecretWriter => Needs {
            writes_secrets: true,
            ..Needs::default()
        },
        PortName::Connections => table(
            dynamo::connections::IAM_ACTIONS,
            dynamo::connections::USES_INDEX,
        ),
        PortName::QueueBus => queue("QueueEvents"),
        PortName::AssignBus => queue("AssignQueue"),
        PortName::MailBus => queue("MailQueue"),
        PortName::Mail => Needs {
            sends_mail: true,
            ..Needs::default()
        },
        PortName::Offline => table(dynamo::offline::IAM_ACTIONS, dynamo::offline::USES_INDEX),
        PortName::InboundBus => queue("ChannelInbound"),
        PortName::OutboundBus => queue("ChannelOutbound"),
        PortName::CardBus => queue("CardSubmissions"),
        PortName::Push => Needs {
            manages_connections: true,
            ..Needs::default()
        },
        PortName::Clock | PortName::Ids => Needs::default(),
    }
}
