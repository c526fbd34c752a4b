//! The offline form end to end. On the local stack over WebSockets, with a
//! real SMTP server (Python's aiosmtpd, installed by `scripts/test`) that
//! the mail function delivers to; and the mail function's handler sending
//! through SES on moto. A job delivered twice mails once.

use serde_json::{json, Value};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use switchboard_app::ports::{Mailer, OfflineStore};
use switchboard_app::OfflineMail;
use switchboard_aws::ses::SesMailer;
use switchboard_domain::*;
use switchboard_local::{Options, Running};
use switchboard_tests::conformance::request;
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, visitor};
use switchboard_tests::stores;
use switchboard_tests::ws::Client;

use switchboard_tests::smtp::SmtpServer;

const T0: u64 = 1_800_000_000_000;

async fn start(dir: &Path, smtp: u16) -> Running {
    let mut options = Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.to_path_buf(),
    );
    options.smtp = Some(("127.0.0.1".into(), smtp));
    options.sweep_every = None;
    options.clock = Arc::new(FixedClock::at(T0));
    switchboard_local::start(options).await.unwrap()
}

fn submit(fields: Value) -> Value {
    let mut frame = json!({"action": "offline.submit", "entryType": "callback"});
    for (k, v) in fields.as_object().unwrap() {
        frame[k] = v.clone();
    }
    frame
}

async fn refused(v: &mut Client, frame: Value, field: &str) {
    let a = v.request(frame, "bad").await;
    assert_eq!(a["code"], "invalid_field", "{a}");
    assert_eq!(a["field"], field, "{a}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_form_reaches_a_real_smtp_server() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    smtp.ready().await;
    let stack = start(&dir.path().join("stack"), smtp.port).await;

    // The admin sets where the widget's offline forms go, then steps away.
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let bad = alice
        .request(
            json!({"action": "widget.route", "widgetId": stack.seed.widget.as_str(), "groupId": "default", "offlineEmail": "not an address"}),
            "r0",
        )
        .await;
    assert_eq!(bad["field"], "offlineEmail", "{bad}");
    let routed = alice
        .request(
            json!({"action": "widget.route", "widgetId": stack.seed.widget.as_str(), "groupId": "default", "offlineEmail": "support@acme.example"}),
            "r1",
        )
        .await;
    assert_eq!(routed["event"], "widget.routed", "{routed}");
    let away = alice
        .request(
            json!({"action": "operator.status", "status": "away"}),
            "away",
        )
        .await;
    assert_eq!(away["operator"]["status"], "away", "{away}");

    // Nobody online: no conversation, the form instead.
    let (mut v, _) = visitor(&stack).await;
    let offline = v
        .request(
            json!({"action": "conversation.start", "entry": {"type": "callback", "language": "en",
                   "browser": "b", "os": "o", "widget": "w", "pageUrl": "https://shop.example.com"}}),
            "start",
        )
        .await;
    assert_eq!(offline["event"], "conversation.offline", "{offline}");
    assert_eq!(offline["reason"], "no_operator");
    assert!(offline["form"]["fields"].as_array().unwrap().len() >= 4);

    // Bad forms name the field and store nothing.
    refused(
        &mut v,
        submit(json!({"email": "ada@", "message": "hi"})),
        "email",
    )
    .await;
    refused(
        &mut v,
        submit(json!({"phone": "12", "message": "hi"})),
        "phone",
    )
    .await;
    refused(
        &mut v,
        submit(json!({"email": "ada@example.com"})),
        "message",
    )
    .await;
    refused(&mut v, submit(json!({"message": "hi"})), "email").await;
    refused(
        &mut v,
        submit(json!({"email": "ada@example.com", "message": "x".repeat(4001)})),
        "message",
    )
    .await;
    refused(
        &mut v,
        submit(json!({"name": "n".repeat(201), "email": "ada@example.com", "message": "hi"})),
        "name",
    )
    .await;

    let received = v
        .request(
            submit(json!({"name": "Ada Lovelace", "email": "ada@example.com",
                          "phone": "+44 20 7946 0000", "message": "Please call me about order 1843"})),
            "ok",
        )
        .await;
    assert_eq!(received["event"], "offline.received", "{received}");
    let id = received["offlineRequestId"].as_str().unwrap().to_string();
    let mail = smtp.mail_with("order 1843").await;
    assert!(mail.contains("To: support@acme.example"), "{mail}");
    assert!(mail.contains("Reply-To: ada@example.com"), "{mail}");
    assert!(
        mail.contains("Subject: Offline message from Ada Lovelace"),
        "{mail}"
    );
    assert!(mail.contains("+44 20 7946 0000"), "{mail}");

    // A redelivered job sends nothing more.
    let job = MailJob {
        tenant: stack.seed.tenant.clone(),
        request: id.clone(),
    };
    assert!(!stack.functions.mail.deliver(&job).await.unwrap());
    stack.settled().await;
    let copies = smtp
        .messages()
        .iter()
        .filter(|m| m.contains("order 1843"))
        .count();
    assert_eq!(copies, 1, "mailed once");
    let stored = stack
        .store
        .offline_request(&stack.seed.tenant, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.entry_type, EntryType::Callback);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outside_business_hours_the_service_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    smtp.ready().await;
    let stack = start(&dir.path().join("stack"), smtp.port).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    // T0 is 2027-01-15T08:00:00Z, a Friday, 09:00 in Berlin; open only on
    // Mondays. Alice is online, so only the hours close it.
    let saved = alice
        .request(
            json!({"action": "group.put", "groupId": "default", "name": "Everyone",
                   "hours": {"timezone": "Europe/Berlin",
                             "openings": [{"day": "monday", "open": "09:00", "close": "17:00"}]}}),
            "hours",
        )
        .await;
    assert_eq!(saved["event"], "group.saved", "{saved}");
    let bad = alice
        .request(
            json!({"action": "group.put", "groupId": "default", "name": "Everyone",
                   "hours": {"timezone": "Europe/Atlantis", "openings": []}}),
            "bad",
        )
        .await;
    assert_eq!(bad["code"], "invalid_field", "{bad}");
    assert_eq!(bad["field"], "hours.timezone", "{bad}");
    let overlap = alice
        .request(
            json!({"action": "group.put", "groupId": "default", "name": "Everyone",
                   "hours": {"timezone": "Europe/Berlin", "openings": [
                       {"day": "monday", "open": "09:00", "close": "13:00"},
                       {"day": "monday", "open": "12:00", "close": "17:00"}]}}),
            "overlap",
        )
        .await;
    assert_eq!(overlap["field"], "hours.openings", "{overlap}");

    let (mut v, _) = visitor(&stack).await;
    let answer = v
        .request(
            json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en",
                   "browser": "b", "os": "o", "widget": "w", "pageUrl": "https://shop.example.com"}}),
            "start",
        )
        .await;
    assert_eq!(answer["event"], "conversation.offline", "{answer}");
    assert_eq!(answer["reason"], "closed");
}

/// SES v1's GetSendQuota on moto: how many messages its SES has sent.
async fn ses_sent_on_moto() -> f64 {
    let body = reqwest::Client::new()
        .post(stores::moto_endpoint())
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0",
        )
        .form(&[("Action", "GetSendQuota"), ("Version", "2010-12-01")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = body.find("<SentLast24Hours>").expect("a send quota") + "<SentLast24Hours>".len();
    let end = body[start..].find('<').unwrap() + start;
    body[start..end].trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mail_function_sends_through_ses_once() {
    let sdk = stores::moto_sdk_config().await;
    let ses = aws_sdk_sesv2::Client::new(&sdk);
    ses.create_email_identity()
        .email_identity("switchboard@acme.example")
        .send()
        .await
        .unwrap();
    let store = Arc::new(stores::dynamodb().await);
    let t = TenantId::parse("acme").unwrap();
    let r = request(&t, "offline_ses_1");
    store.put_offline_request(&r).await.unwrap();
    let mail = OfflineMail {
        offline: store.clone(),
        mailer: Arc::new(SesMailer::new(ses.clone(), "switchboard@acme.example"))
            as Arc<dyn Mailer>,
        clock: Arc::new(FixedClock::at(T0)),
    };
    let before = ses_sent_on_moto().await;
    let job = MailJob {
        tenant: t.clone(),
        request: r.id.clone(),
    };
    let event = switchboard_tests::channels::sqs_event(
        vec![
            serde_json::to_string(&job).unwrap(),
            serde_json::to_string(&job).unwrap(),
        ],
        1,
    );
    let response = offline_mail::handle(&mail, event).await;
    assert!(response.batch_item_failures.is_empty());
    assert_eq!(ses_sent_on_moto().await - before, 1.0, "sent exactly once");

    // An identity SES does not know is refused; the claim is given back and
    // the record fails, to come again.
    let refused = OfflineMail {
        offline: store.clone(),
        mailer: Arc::new(SesMailer::new(ses, "nobody@unverified.example")) as Arc<dyn Mailer>,
        clock: Arc::new(FixedClock::at(T0)),
    };
    let other = request(&t, "offline_ses_2");
    store.put_offline_request(&other).await.unwrap();
    let job = MailJob {
        tenant: t.clone(),
        request: other.id.clone(),
    };
    assert!(refused.deliver(&job).await.is_err());
    assert!(store
        .claim_mailing(&t, &other.id, Timestamp(T0))
        .await
        .unwrap());
}
