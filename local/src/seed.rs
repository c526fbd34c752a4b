//! First-run set-up of the local stack: a signing key kept in the data
//! directory, and a demo tenant with a widget and two operators.

use crate::StartError;
use base64::Engine;
use std::path::Path;
use switchboard_app::auth::TokenService;
use switchboard_app::ports::{AccountStore, CardStore, DirectoryStore};
use switchboard_app::usecases::admin::Passwords;
use switchboard_domain::cards::CardDefinition;
use switchboard_domain::{
    Account, Email, OperatorId, Role, Tenant, TenantId, TenantSettings, Timestamp, Widget,
    WidgetEntry, WidgetId,
};

pub const DEMO_TENANT: &str = "demo";
pub const DEMO_WIDGET: &str = "demo-widget";
const KEY_FILE: &str = "token-signing-key";
/// The demo operators' password, made on first start and printed on every
/// start: the console's sign-in needs one, and a fixed one would be a known
/// password on any stack someone exposes.
const PASSWORD_FILE: &str = "demo-password";
/// The demo operators who can sign in to the console: (id, name, e-mail, admin).
pub const DEMO_ACCOUNTS: [(&str, &str, &str, bool); 2] = [
    ("alice", "Alice", "alice@demo.test", true),
    ("bob", "Bob", "bob@demo.test", false),
];
/// Printed operator tokens stay valid this long.
pub const TOKEN_HOURS: u64 = 7 * 24;

#[derive(Debug, Clone)]
pub struct Seed {
    pub tenant: TenantId,
    pub widget: WidgetId,
    /// alice, tenant admin and operator.
    pub admin_token: String,
    /// bob, operator.
    pub operator_token: String,
    /// Whether this start created the demo tenant.
    pub created: bool,
    /// The demo operators' console password (`DEMO_ACCOUNTS`).
    pub password: String,
}

/// The HMAC key for operator and visitor tokens, created on first start.
pub fn signing_key(data_dir: &Path) -> Result<TokenService, StartError> {
    let path = data_dir.join(KEY_FILE);
    let key = match std::fs::read_to_string(&path) {
        Ok(k) => k.trim().to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let bytes: [u8; 48] = rand::random();
            let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
            std::fs::write(&path, &key).map_err(|e| StartError::DataDir(e.to_string()))?;
            key
        }
        Err(e) => return Err(StartError::DataDir(format!("{}: {e}", path.display()))),
    };
    TokenService::new(key.into_bytes()).map_err(StartError::Token)
}

fn id_of<T>(parsed: Result<T, switchboard_domain::IdError>) -> Result<T, StartError> {
    parsed.map_err(|e| StartError::Token(e.to_string()))
}

pub struct OperatorGrant<'a> {
    pub tenant: &'a TenantId,
    pub operator: &'a str,
    pub name: &'a str,
    pub roles: &'a [Role],
    pub hours: u64,
}

pub fn operator_token(
    tokens: &TokenService,
    now: Timestamp,
    grant: OperatorGrant<'_>,
) -> Result<String, StartError> {
    let operator = id_of(OperatorId::parse(grant.operator))?;
    let expires = now.plus_seconds(grant.hours * 3600);
    tokens
        .issue_operator(grant.tenant, &operator, grant.name, grant.roles, expires)
        .map_err(|e| StartError::Token(e.to_string()))
}

/// Creates the demo tenant and widget on a fresh store, and tokens for its
/// two operators.
pub async fn ensure_demo<S: DirectoryStore + AccountStore + CardStore>(
    store: &S,
    tokens: &TokenService,
    passwords: &Passwords,
    data_dir: &Path,
    now: Timestamp,
) -> Result<Seed, StartError> {
    let tenant = id_of(TenantId::parse(DEMO_TENANT))?;
    let widget = id_of(WidgetId::parse(DEMO_WIDGET))?;
    let directory: &dyn DirectoryStore = store;
    let created = directory.tenant(&tenant).await?.is_none();
    if created {
        directory
            .put_tenant(&Tenant {
                timezone: None,
                id: tenant.clone(),
                name: "Demo Company".into(),
                settings: TenantSettings::default(),
            })
            .await?;
        directory
            .put_widget(&Widget {
                group: None,
                offline_email: None,
                allowed_origins: Vec::new(),
                entries: WidgetEntry::all(),
                id: widget.clone(),
                tenant: tenant.clone(),
                name: "Website".into(),
            })
            .await?;
    }
    if created {
        store.put_card(&demo_card(&tenant, now)?).await?;
    }
    let password = demo_password(data_dir, store, passwords, &tenant, now).await?;
    Ok(Seed {
        admin_token: operator_token(
            tokens,
            now,
            OperatorGrant {
                tenant: &tenant,
                operator: "alice",
                name: "Alice",
                roles: &[Role::Operator, Role::Admin],
                hours: TOKEN_HOURS,
            },
        )?,
        operator_token: operator_token(
            tokens,
            now,
            OperatorGrant {
                tenant: &tenant,
                operator: "bob",
                name: "Bob",
                roles: &[Role::Operator],
                hours: TOKEN_HOURS,
            },
        )?,
        tenant,
        widget,
        created,
        password,
    })
}

/// A Hero Card for the demo's web chats, so the console's card toolbar has
/// something to send.
fn demo_card(tenant: &TenantId, now: Timestamp) -> Result<CardDefinition, StartError> {
    let card: CardDefinition = serde_json::from_value(serde_json::json!({
        "id": "card_delivery",
        "tenant": tenant.to_string(),
        "name": "Delivery slot",
        "language": "en",
        "channel": "webchat",
        "title": "Your delivery",
        "text": "Please check the delivery details and confirm.",
        "fields": [
            {"id": "day", "label": "Day", "type": "date", "required": true},
            {"id": "slot", "label": "Time slot", "type": "choice", "required": true,
             "options": [{"id": "am", "label": "Morning"}, {"id": "pm", "label": "Afternoon"}]},
            {"id": "address", "label": "Address", "type": "text", "required": true},
            {"id": "contactless", "label": "Leave at the door", "type": "yes_no"}
        ],
        "updatedAt": now,
    }))
    .map_err(|e| StartError::Token(format!("demo card: {e}")))?;
    card.validate()
        .map_err(|e| StartError::Token(format!("demo card: {} {}", e.field, e.reason)))?;
    Ok(card)
}

/// The demo operators' password, from the data directory; on first start
/// (or if the file was removed) a new one, set on their accounts.
async fn demo_password(
    data_dir: &Path,
    accounts: &dyn AccountStore,
    passwords: &Passwords,
    tenant: &TenantId,
    now: Timestamp,
) -> Result<String, StartError> {
    let path = data_dir.join(PASSWORD_FILE);
    match std::fs::read_to_string(&path) {
        Ok(p) if !p.trim().is_empty() => return Ok(p.trim().to_string()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(StartError::DataDir(format!("{}: {e}", path.display()))),
    }
    let bytes: [u8; 12] = rand::random();
    let password = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = passwords
        .hash(&password)
        .map_err(|e| StartError::Token(e.to_string()))?;
    for (id, name, email, admin) in DEMO_ACCOUNTS {
        let email = Email::parse(email).map_err(|e| StartError::Token(e.to_string()))?;
        let operator = id_of(OperatorId::parse(id))?;
        let account = Account {
            tenant: tenant.clone(),
            id: operator.clone(),
            email: email.clone(),
            name: name.into(),
            roles: if admin {
                vec![Role::Operator, Role::Admin]
            } else {
                vec![Role::Operator]
            },
            enabled: true,
            created_at: now,
        };
        // Exists already when only the file was removed: a new password then.
        match accounts.create_account(&account).await {
            Ok(()) | Err(switchboard_app::ports::AccountStoreError::DuplicateEmail) => {}
            Err(e) => return Err(StartError::Token(switchboard_app::error::chain(&e))),
        }
        accounts
            .set_password(&email, &operator, &hash)
            .await
            .map_err(|e| StartError::Token(switchboard_app::error::chain(&e)))?;
    }
    std::fs::write(&path, &password).map_err(|e| StartError::DataDir(e.to_string()))?;
    Ok(password)
}
