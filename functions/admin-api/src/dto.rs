//! What the API reads and writes, with its OpenAPI schemas. Inputs refuse
//! unknown fields, so a misspelt one is an error rather than ignored.

use serde::{Deserialize, Serialize};
use switchboard_app::ports::{AuditEntry, Page as StorePage};
use switchboard_domain::{Account, Role, Tenant, Widget, WidgetEntry};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    Operator,
    Admin,
}

impl From<RoleName> for Role {
    fn from(r: RoleName) -> Role {
        match r {
            RoleName::Operator => Role::Operator,
            RoleName::Admin => Role::Admin,
        }
    }
}

impl From<Role> for RoleName {
    fn from(r: Role) -> RoleName {
        match r {
            Role::Operator => RoleName::Operator,
            Role::Admin => RoleName::Admin,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// At most this many items (1 to 100; 50 if absent).
    pub limit: Option<usize>,
    /// A previous page's `next`.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(50)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T> Page<T> {
    pub fn map<S>(page: StorePage<S>, f: impl Fn(S) -> T) -> Page<T> {
        Page {
            items: page.items.into_iter().map(f).collect(),
            next: page.next,
        }
    }
}

// ---- sign-in ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPasswordRequest {
    /// The secret from the link.
    pub token: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionResponse {
    /// For the API (`Authorization: Bearer …`) and the WebSocket (`?token=`).
    pub access_token: String,
    /// Seconds the access token is valid.
    pub expires_in: u64,
    /// Spend at `/admin/session/refresh` for a new pair; each works once.
    pub refresh_token: String,
    pub operator: OperatorView,
}

// ---- operators ----

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperatorView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<RoleName>,
    pub enabled: bool,
    /// Milliseconds since the epoch.
    pub created_at: u64,
}

impl From<Account> for OperatorView {
    fn from(a: Account) -> Self {
        OperatorView {
            id: a.id.to_string(),
            email: a.email.to_string(),
            name: a.name,
            roles: a.roles.into_iter().map(RoleName::from).collect(),
            enabled: a.enabled,
            created_at: a.created_at.millis(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorCreate {
    pub email: String,
    pub name: String,
    pub roles: Vec<RoleName>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorUpdate {
    pub email: String,
    pub name: String,
    pub roles: Vec<RoleName>,
    pub enabled: bool,
}

// ---- widgets ----

/// A button on a widget's entry form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryName {
    Chat,
    Video,
    /// A callback to the phone number the visitor leaves.
    Callback,
    /// A six-digit code from an operator.
    Invitation,
}

impl EntryName {
    fn all() -> Vec<EntryName> {
        WidgetEntry::ALL.into_iter().map(EntryName::from).collect()
    }

    pub fn to_domain(list: Vec<EntryName>) -> Vec<WidgetEntry> {
        list.into_iter().map(WidgetEntry::from).collect()
    }
}

impl From<EntryName> for WidgetEntry {
    fn from(e: EntryName) -> WidgetEntry {
        match e {
            EntryName::Chat => WidgetEntry::Chat,
            EntryName::Video => WidgetEntry::Video,
            EntryName::Callback => WidgetEntry::Callback,
            EntryName::Invitation => WidgetEntry::Invitation,
        }
    }
}

impl From<WidgetEntry> for EntryName {
    fn from(e: WidgetEntry) -> EntryName {
        match e {
            WidgetEntry::Chat => EntryName::Chat,
            WidgetEntry::Video => EntryName::Video,
            WidgetEntry::Callback => EntryName::Callback,
            WidgetEntry::Invitation => EntryName::Invitation,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WidgetBody {
    /// Public (it is in the embed snippet), unique across the deployment.
    pub id: String,
    pub name: String,
    /// The group its conversations wait in; absent: the default group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Where its offline forms are mailed; absent: stored only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_email: Option<String>,
    /// Sites that may open its visitor sockets (`https://shop.example.com`); empty: any.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// The entry form's buttons, in order; at least one, none twice. Absent: all four.
    #[serde(default = "EntryName::all")]
    pub entries: Vec<EntryName>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WidgetUpdate {
    pub name: String,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub offline_email: Option<String>,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// The entry form's buttons, in order. Absent: all four.
    #[serde(default = "EntryName::all")]
    pub entries: Vec<EntryName>,
}

impl From<Widget> for WidgetBody {
    fn from(w: Widget) -> Self {
        WidgetBody {
            id: w.id.to_string(),
            name: w.name,
            group: w.group.map(|g| g.to_string()),
            offline_email: w.offline_email,
            allowed_origins: w.allowed_origins,
            entries: w.entries.into_iter().map(EntryName::from).collect(),
        }
    }
}

// ---- tenant, groups, audit ----

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TenantView {
    pub id: String,
    pub name: String,
    /// Conversations an operator holds at once.
    pub max_chats: u32,
    pub transfer_timeout_seconds: u32,
    /// The IANA time zone reports count days in; absent: UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

impl From<Tenant> for TenantView {
    fn from(t: Tenant) -> Self {
        TenantView {
            id: t.id.to_string(),
            name: t.name,
            max_chats: t.settings.max_chats.get(),
            transfer_timeout_seconds: t.settings.transfer_timeout_seconds,
            timezone: t.timezone,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TenantUpdate {
    pub name: String,
    pub max_chats: u32,
    pub transfer_timeout_seconds: u32,
    /// An IANA time zone (`Europe/Prague`) for reports' days; absent: UTC.
    #[serde(default)]
    pub timezone: Option<String>,
}

/// A group as `PUT` takes it and every read shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupBody {
    pub name: String,
    /// Operator ids; empty for the default group (all operators).
    #[serde(default)]
    pub members: Vec<String>,
    /// `manual` (operators accept) or `auto` (assigned when someone has room).
    #[serde(default = "manual")]
    pub policy: String,
    /// Business hours: `{"timezone", "openings": [{"day", "open", "close"}], "closedDates"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub hours: Option<serde_json::Value>,
}

fn manual() -> String {
    "manual".into()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub id: String,
    #[serde(flatten)]
    pub group: GroupBody,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditView {
    pub id: String,
    /// Milliseconds since the epoch.
    pub at: u64,
    /// The admin who made the change; absent for the bootstrap command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        AuditView {
            id: e.id,
            at: e.at.millis(),
            actor: e.actor.map(|a| a.to_string()),
            action: e.action,
            target: e.target,
            before: e.before,
            after: e.after,
        }
    }
}
