//! Channel accounts: which tenant a WhatsApp number, Page, Instagram
//! account, Apple business or VK group feeds, with its secrets. Secrets go
//! in and never come out.

use crate::auth::AdminCaller;
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::{Path, State as S};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_app::ports::ChannelAccount;
use switchboard_app::usecases::admin::{AdminError, ChannelAccountInput};
use switchboard_domain::{Channel, GroupId};
use utoipa::ToSchema;

/// A bound account as the API shows it: no secret, only whether one is set.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelAccountView {
    /// `whatsapp`, `messenger`, `instagram`, `apple` or `vk`.
    pub channel: String,
    pub account_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waba_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<String>,
    /// When its secrets were last set (milliseconds since the epoch).
    pub secrets_version: u64,
}

impl From<ChannelAccount> for ChannelAccountView {
    fn from(a: ChannelAccount) -> Self {
        ChannelAccountView {
            channel: a.channel.as_str().to_string(),
            account_id: a.account_id,
            group: a.group.map(|g| g.to_string()),
            waba_id: a.waba_id,
            confirmation: a.confirmation,
            secrets_version: a.secrets_version,
        }
    }
}

/// A binding as `PUT` takes it; the channel and account id are the path's.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChannelAccountBody {
    /// The group its conversations wait in; absent: the default group.
    #[serde(default)]
    pub group: Option<String>,
    /// WhatsApp: the Business Account whose templates are synced.
    #[serde(default)]
    pub waba_id: Option<String>,
    /// VK: what the confirmation request is answered with.
    #[serde(default)]
    pub confirmation: Option<String>,
    /// The send API token (WhatsApp, Messenger, Instagram, VK).
    #[serde(default)]
    pub access_token: Option<String>,
    /// VK: the Callback API secret.
    #[serde(default)]
    pub secret: Option<String>,
}

fn channel(raw: &str) -> Result<Channel, ApiError> {
    serde_json::from_value(serde_json::Value::String(raw.to_string()))
        .map_err(|_| ApiError::BadId("channel".into()))
}

/// The tenant's channel accounts.
#[utoipa::path(get, path = "/admin/channel-accounts", tag = "channels",
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<ChannelAccountView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<Vec<ChannelAccountView>>, ApiError> {
    let accounts = state.channel_account_list(&caller).await?;
    Ok(Json(accounts.into_iter().map(Into::into).collect()))
}

/// Bind a channel account to the tenant, or replace its binding and
/// secrets (rotation). Webhooks for it are taken within seconds.
#[utoipa::path(put, path = "/admin/channel-accounts/{channel}/{accountId}", tag = "channels",
    params(("channel" = String, Path), ("accountId" = String, Path)),
    request_body = ChannelAccountBody, security(("bearer" = ["admin"])),
    responses((status = 200, body = ChannelAccountView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn put(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path((raw_channel, account_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<ChannelAccountBody>,
) -> Result<Json<ChannelAccountView>, ApiError> {
    let group = body
        .group
        .map(|g| GroupId::parse(g).map_err(|e| AdminError::invalid("group", e)))
        .transpose()?;
    let input = ChannelAccountInput {
        channel: channel(&raw_channel)?,
        account_id,
        group,
        waba_id: body.waba_id,
        confirmation: body.confirmation,
        access_token: body.access_token,
        secret: body.secret,
    };
    Ok(Json(
        state.put_channel_account(&caller, input).await?.into(),
    ))
}

/// Unbind a channel account and delete its secrets; its webhooks are
/// refused from then on.
#[utoipa::path(delete, path = "/admin/channel-accounts/{channel}/{accountId}", tag = "channels",
    params(("channel" = String, Path), ("accountId" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path((raw_channel, account_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .delete_channel_account(&caller, channel(&raw_channel)?, &account_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
