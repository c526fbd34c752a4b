//! The ports each function's `wire` asks for, and the IAM policy
//! `infra/template.yaml` gives that function, must say the same thing: every
//! DynamoDB action the ports' adapters perform (and no other), the GSIs when a
//! port queries one, `sqs:SendMessage` on exactly the queues it publishes to,
//! and `@connections` when it pushes.

use serde_yaml_ng::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use switchboard_app::auth::TokenService;
use switchboard_app::ports::*;
use switchboard_app::{AdapterSet, Adapters, PortName, RetryPolicy};
use switchboard_aws::iam::needs;
use switchboard_embedded::{LocalQueue, SqliteStore};
use switchboard_tests::fakes::{
    FixedClock, RecordingChannelBus, RecordingPush, ScriptedHttp, SequentialIds,
};

/// Hands out real adapters and remembers which ports were asked for.
struct Recording {
    inner: AdapterSet,
    asked: Mutex<BTreeSet<PortName>>,
}

impl Recording {
    fn new() -> Self {
        let store = Arc::new(SqliteStore::in_memory().unwrap());
        let bus = Arc::new(RecordingChannelBus::default());
        Recording {
            inner: AdapterSet::with_store(
                store,
                Arc::new(LocalQueue::new(std::time::Duration::from_secs(30), 5)),
                Arc::new(LocalQueue::new(std::time::Duration::from_secs(30), 5)),
                bus,
                {
                    let (queue, mailer) = switchboard_tests::fakes::mail_ports();
                    (
                        queue as std::sync::Arc<dyn switchboard_app::ports::MailBus>,
                        mailer as std::sync::Arc<dyn switchboard_app::ports::Mailer>,
                    )
                },
                Arc::new(RecordingPush::default()),
                Arc::new(FixedClock::at(0)),
                Arc::new(SequentialIds::default()),
                switchboard_tests::fakes::memory_secrets(),
            ),
            asked: Mutex::new(BTreeSet::new()),
        }
    }

    fn note(&self, port: PortName) {
        self.asked.lock().unwrap().insert(port);
    }

    fn take(&self) -> BTreeSet<PortName> {
        std::mem::take(&mut self.asked.lock().unwrap())
    }
}

impl Adapters for Recording {
    fn directory(&self) -> Arc<dyn DirectoryStore> {
        self.note(PortName::Directory);
        self.inner.directory()
    }
    fn routing(&self) -> Arc<dyn RoutingStore> {
        self.note(PortName::Routing);
        self.inner.routing()
    }
    fn invitations(&self) -> Arc<dyn InvitationStore> {
        self.note(PortName::Invitations);
        self.inner.invitations()
    }
    fn offline(&self) -> Arc<dyn OfflineStore> {
        self.note(PortName::Offline);
        self.inner.offline()
    }
    fn mail_bus(&self) -> Arc<dyn MailBus> {
        self.note(PortName::MailBus);
        self.inner.mail_bus()
    }
    fn mailer(&self) -> Arc<dyn Mailer> {
        self.note(PortName::Mail);
        self.inner.mailer()
    }
    fn conversations(&self) -> Arc<dyn ConversationStore> {
        self.note(PortName::Conversations);
        self.inner.conversations()
    }
    fn messages(&self) -> Arc<dyn MessageStore> {
        self.note(PortName::Messages);
        self.inner.messages()
    }
    fn delivery(&self) -> Arc<dyn DeliveryStore> {
        self.note(PortName::Delivery);
        self.inner.delivery()
    }
    fn contacts(&self) -> Arc<dyn ContactStore> {
        self.note(PortName::Contacts);
        self.inner.contacts()
    }
    fn cards(&self) -> Arc<dyn CardStore> {
        self.note(PortName::Cards);
        self.inner.cards()
    }
    fn accounts(&self) -> Arc<dyn AccountStore> {
        self.note(PortName::Accounts);
        self.inner.accounts()
    }
    fn sessions(&self) -> Arc<dyn SessionStore> {
        self.note(PortName::Sessions);
        self.inner.sessions()
    }
    fn audit(&self) -> Arc<dyn AuditLog> {
        self.note(PortName::Audit);
        self.inner.audit()
    }
    fn widgets(&self) -> Arc<dyn WidgetStore> {
        self.note(PortName::Widgets);
        self.inner.widgets()
    }
    fn text_blocks(&self) -> Arc<dyn switchboard_app::ports::TextBlockStore> {
        self.note(PortName::TextBlocks);
        self.inner.text_blocks()
    }
    fn contact_info(&self) -> Arc<dyn switchboard_app::ports::ContactInfoStore> {
        self.note(PortName::ContactInfo);
        self.inner.contact_info()
    }
    fn browsing(&self) -> Arc<dyn switchboard_app::ports::BrowsingHistory> {
        self.note(PortName::Browsing);
        self.inner.browsing()
    }
    fn unite(&self) -> Arc<dyn switchboard_app::ports::UniteStore> {
        self.note(PortName::Unite);
        self.inner.unite()
    }
    fn reports(&self) -> Arc<dyn switchboard_app::ports::ReportStore> {
        self.note(PortName::Reports);
        self.inner.reports()
    }
    fn channel_accounts(&self) -> Arc<dyn ChannelAccountStore> {
        self.note(PortName::ChannelAccounts);
        self.inner.channel_accounts()
    }
    fn channel_account_writer(&self) -> Arc<dyn ChannelAccountWriter> {
        self.note(PortName::ChannelAccountWriter);
        self.inner.channel_account_writer()
    }
    fn secrets(&self) -> Arc<dyn Secrets> {
        self.note(PortName::Secrets);
        self.inner.secrets()
    }
    fn secret_writer(&self) -> Arc<dyn SecretWriter> {
        self.note(PortName::SecretWriter);
        self.inner.secret_writer()
    }
    fn connections(&self) -> Arc<dyn ConnectionRegistry> {
        self.note(PortName::Connections);
        self.inner.connections()
    }
    fn queue_bus(&self) -> Arc<dyn QueueBus> {
        self.note(PortName::QueueBus);
        self.inner.queue_bus()
    }
    fn assign_bus(&self) -> Arc<dyn AssignBus> {
        self.note(PortName::AssignBus);
        self.inner.assign_bus()
    }
    fn inbound_bus(&self) -> Arc<dyn InboundBus> {
        self.note(PortName::InboundBus);
        self.inner.inbound_bus()
    }
    fn outbound_bus(&self) -> Arc<dyn OutboundBus> {
        self.note(PortName::OutboundBus);
        self.inner.outbound_bus()
    }
    fn card_bus(&self) -> Arc<dyn CardBus> {
        self.note(PortName::CardBus);
        self.inner.card_bus()
    }
    fn push(&self) -> Arc<dyn Push> {
        self.note(PortName::Push);
        self.inner.push()
    }
    fn clock(&self) -> Arc<dyn Clock> {
        self.note(PortName::Clock);
        self.inner.clock()
    }
    fn ids(&self) -> Arc<dyn IdGen> {
        self.note(PortName::Ids);
        self.inner.ids()
    }
}

/// A function's permissions, as derived from ports or read from the template.
#[derive(Debug, Default, PartialEq, Eq)]
struct Permissions {
    dynamodb: BTreeSet<String>,
    index: bool,
    sends_to: BTreeSet<String>,
    manages_connections: bool,
    sends_mail: bool,
    reads_secrets: bool,
    writes_secrets: bool,
    /// Reads the token signing key at start-up (not a port: `init_tokens`).
    reads_signing_key: bool,
}

fn from_ports(ports: &BTreeSet<PortName>) -> Permissions {
    let mut p = Permissions::default();
    for port in ports {
        let n = needs(*port);
        p.dynamodb.extend(n.dynamodb.iter().map(|a| a.to_string()));
        p.index |= n.index;
        p.sends_to.extend(n.sends_to.map(str::to_string));
        p.manages_connections |= n.manages_connections;
        p.sends_mail |= n.sends_mail;
        p.reads_secrets |= n.reads_secrets;
        p.writes_secrets |= n.writes_secrets;
    }
    p
}

/// A scalar, or the value under a CloudFormation tag (`!GetAtt X.Arn`, `!Sub "…"`).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Tagged(t) => text(&t.value),
        other => format!("{other:?}"),
    }
}

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().map(text).collect(),
        Value::Null => Vec::new(),
        other => vec![text(other)],
    }
}

fn from_template(template: &Value, binary: &str) -> Permissions {
    let resources = template["Resources"].as_mapping().expect("Resources");
    let function = resources
        .values()
        .find(|r| text(&r["Metadata"]["BuildProperties"]["Binary"]) == binary)
        .unwrap_or_else(|| panic!("no function builds {binary}"));
    let mut p = Permissions::default();
    for policy in function["Properties"]["Policies"]
        .as_sequence()
        .expect("Policies")
    {
        for statement in policy["Statement"].as_sequence().expect("Statement") {
            assert_eq!(
                text(&statement["Effect"]),
                "Allow",
                "{binary}: only Allow is expected"
            );
            let resources = list(&statement["Resource"]);
            for action in list(&statement["Action"]) {
                if action.starts_with("dynamodb:") {
                    assert!(
                        resources.iter().any(|r| r == "Table.Arn"),
                        "{binary}: {action} must be on the table"
                    );
                    p.dynamodb.insert(action);
                    p.index |= resources.iter().any(|r| r.contains("${Table.Arn}/index/"));
                } else if action == "sqs:SendMessage" {
                    p.sends_to.extend(
                        resources
                            .iter()
                            .map(|r| r.trim_end_matches(".Arn").to_string()),
                    );
                } else if action == "ses:SendEmail" {
                    assert!(
                        resources
                            .iter()
                            .all(|r| r.contains(":identity/${MailFrom}")),
                        "{binary}: mail only from the stack's identity, not {resources:?}"
                    );
                    p.sends_mail = true;
                } else if action == "secretsmanager:GetSecretValue" && resources == ["SigningKey"] {
                    p.reads_signing_key = true;
                } else if action.starts_with("secretsmanager:") {
                    assert!(
                        resources
                            .iter()
                            .all(|r| r.ends_with(":secret:${AWS::StackName}/*")),
                        "{binary}: secrets only under the stack's prefix, not {resources:?}"
                    );
                    match action.as_str() {
                        "secretsmanager:GetSecretValue" => p.reads_secrets = true,
                        "secretsmanager:CreateSecret"
                        | "secretsmanager:PutSecretValue"
                        | "secretsmanager:DeleteSecret" => p.writes_secrets = true,
                        other => panic!("{binary}: {other} is granted but no port needs it"),
                    }
                } else if action == "execute-api:ManageConnections" {
                    assert!(
                        resources.iter().all(|r| r.ends_with("/POST/@connections/*")
                                // Closing a socket (the sweep's vanished consoles).
                                || r.ends_with("/DELETE/@connections/*")),
                        "{binary}: {resources:?}"
                    );
                    p.manages_connections = true;
                } else {
                    panic!("{binary}: action {action} is granted but no port needs it");
                }
            }
        }
    }
    p
}

#[test]
fn every_function_policy_is_exactly_what_its_ports_need() {
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../infra/template.yaml"
    ))
    .unwrap();
    let template: Value = serde_yaml_ng::from_str(&raw).unwrap();
    let rec = Recording::new();
    let tokens = TokenService::new(vec![3u8; 32]).unwrap();
    let config = Arc::new(switchboard_tests::channels::config(
        "http://provider.invalid",
    ));
    let http = Arc::new(ScriptedHttp::default());

    let mut wired: Vec<(&str, BTreeSet<PortName>)> = Vec::new();
    ws_connect::wire(&rec, tokens.clone());
    wired.push(("ws-connect", rec.take()));
    ws_disconnect::wire(&rec);
    wired.push(("ws-disconnect", rec.take()));
    ws_message::wire(&rec, tokens.clone(), config.clone(), http.clone());
    wired.push(("ws-message", rec.take()));
    queue_fanout::wire(&rec);
    wired.push(("queue-fanout", rec.take()));
    queue_assign::wire(&rec);
    wired.push(("queue-assign", rec.take()));
    offline_mail::wire(&rec);
    wired.push(("offline-mail", rec.take()));
    channel_webhook::wire(&rec, config.clone());
    wired.push(("channel-webhook", rec.take()));
    channel_inbound::wire(
        &rec,
        config.clone(),
        http.clone(),
        Some((tokens.clone(), "https://api.example".into())),
    );
    wired.push(("channel-inbound", rec.take()));
    channel_sender::wire(&rec, config, http.clone(), RetryPolicy::default());
    wired.push(("channel-sender", rec.take()));
    hero_card_submit::wire(&rec, tokens.clone());
    wired.push(("hero-card-submit", rec.take()));
    admin_api::wire(
        &rec,
        tokens.clone(),
        switchboard_tests::fast_passwords(),
        "https://console.example".into(),
        http.clone(),
        Arc::new(switchboard_tests::channels::config(
            "http://provider.invalid",
        )),
    );
    wired.push(("admin-api", rec.take()));

    let mut drift = Vec::new();
    // The functions whose `wire` takes the token service, which their
    // `main` reads from Secrets Manager at start-up.
    const SIGNING: &[&str] = &[
        "ws-connect",
        "ws-message",
        "channel-inbound",
        "hero-card-submit",
        "admin-api",
    ];
    for (binary, ports) in &wired {
        let mut want = from_ports(ports);
        want.reads_signing_key = SIGNING.contains(binary);
        let have = from_template(&template, binary);
        if want != have {
            drift.push(format!(
                "{binary} holds {ports:?}\n  ports need: {want:?}\n  template:   {have:?}"
            ));
        }
    }
    assert!(
        drift.is_empty(),
        "IAM policies drifted from the ports:\n{}",
        drift.join("\n")
    );
}

/// The webhook, the public door, reads the channel bindings and nothing
/// else of the table, and writes nothing there.
#[test]
fn the_webhook_only_reads_the_channel_bindings() {
    let rec = Recording::new();
    let config = Arc::new(switchboard_tests::channels::config(
        "http://provider.invalid",
    ));
    channel_webhook::wire(&rec, config);
    let ports = rec.take();
    let permissions = from_ports(&ports);
    assert_eq!(
        permissions.dynamodb.into_iter().collect::<Vec<_>>(),
        ["dynamodb:Query"],
        "{ports:?}"
    );
    assert!(!permissions.writes_secrets);
}
