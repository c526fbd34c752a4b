//! First-run set-up of the local stack: a signing key kept in the data
//! directory, and a demo tenant with a widget and two operators.

use crate::StartError;
use base64::Engine;
use std::path::Path;
use switchboard_app::auth::TokenService;
use switchboard_app::ports::DirectoryStore;
use switchboard_domain::{
    OperatorId, Role, Tenant, TenantId, TenantSettings, Timestamp, Widget, WidgetId,
};

pub const DEMO_TENANT: &str = "demo";
pub const DEMO_WIDGET: &str = "demo-widget";
const KEY_FILE: &str = "token-signing-key";
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

fn id<T>(parsed: Result<T, switchboard_domain::IdError>) -> Result<T, StartError> {
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
    let operator = id(OperatorId::parse(grant.operator))?;
    let expires = now.plus_seconds(grant.hours * 3600);
    tokens
        .issue_operator(grant.tenant, &operator, grant.name, grant.roles, expires)
        .map_err(|e| StartError::Token(e.to_string()))
}

/// Creates the demo tenant and widget on a fresh store, and tokens for its
/// two operators.
pub async fn ensure_demo(
    directory: &dyn DirectoryStore,
    tokens: &TokenService,
    now: Timestamp,
) -> Result<Seed, StartError> {
    let tenant = id(TenantId::parse(DEMO_TENANT))?;
    let widget = id(WidgetId::parse(DEMO_WIDGET))?;
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
                id: widget.clone(),
                tenant: tenant.clone(),
                name: "Website".into(),
            })
            .await?;
    }
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
    })
}
