//! SLA rules, Hero Card definitions and WhatsApp templates. Their shapes
//! are the domain's own (as the WebSocket's `sla.put` and `card.put` take
//! them), read with the path of any refusal.

use crate::auth::AdminCaller;
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::{Path, State as S};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use switchboard_app::usecases::admin::AdminError;
use switchboard_domain::cards::CardDefinition;
use switchboard_domain::SlaRule;
use utoipa::ToSchema;

/// The tenant's SLA rules, tried in order; the first that matches a
/// conversation entering a queue gives it its priority and deadline.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaRules {
    /// `{"name", "when": {"channel", "language", "group", "contactTag"}, "priority", "firstResponseSeconds"}`.
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<Value>,
}

fn domain<T: serde::de::DeserializeOwned>(value: Value, prefix: &str) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = match path.as_str() {
            "." => prefix.trim_end_matches('.').to_string(),
            p => format!("{prefix}{p}"),
        };
        AdminError::invalid(field, e.into_inner()).into()
    })
}

/// The tenant's SLA rules.
#[utoipa::path(get, path = "/admin/sla-rules", tag = "rules", security(("bearer" = ["admin"])),
    responses((status = 200, body = SlaRules), (status = 403, body = ErrorBody)))]
pub async fn sla_rules(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({"rules": state.sla_rules(&caller).await?})))
}

/// Replace the tenant's SLA rules.
#[utoipa::path(put, path = "/admin/sla-rules", tag = "rules", request_body = SlaRules,
    security(("bearer" = ["admin"])),
    responses((status = 200, body = SlaRules), (status = 400, body = ErrorBody)))]
pub async fn put_sla_rules(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    JsonBody(body): JsonBody<SlaRules>,
) -> Result<Json<Value>, ApiError> {
    let rules: Vec<SlaRule> = domain(Value::Array(body.rules), "rules")?;
    Ok(Json(
        json!({"rules": state.put_sla_rules(&caller, rules).await?}),
    ))
}

/// What a card's `PUT` may say; the id is the path's.
const CARD_FIELDS: &[&str] = &[
    "name",
    "language",
    "channel",
    "title",
    "text",
    "imageUrl",
    "fields",
    "confirmLabel",
    "cancelLabel",
    "whatsappFlowId",
    "expiresAfterSeconds",
];

/// The tenant's Hero Card definitions, by channel, language and name.
#[utoipa::path(get, path = "/admin/cards", tag = "cards", security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody)))]
pub async fn cards(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<Vec<CardDefinition>>, ApiError> {
    Ok(Json(state.card_list(&caller).await?))
}

/// One Hero Card definition.
#[utoipa::path(get, path = "/admin/cards/{id}", tag = "cards", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn card(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<CardDefinition>, ApiError> {
    Ok(Json(state.card(&caller, &id).await?))
}

/// Create or replace a Hero Card definition for one channel type
/// (`webchat`, `apple`, `whatsapp`) and language: `{"name", "language",
/// "channel", "title", "text", "imageUrl", "fields": [{"id", "label", "type",
/// "required", …}], "confirmLabel", "cancelLabel", "whatsappFlowId",
/// "expiresAfterSeconds"}`. Cards already sent keep the definition they had.
#[utoipa::path(put, path = "/admin/cards/{id}", tag = "cards", params(("id" = String, Path)),
    request_body = Object, security(("bearer" = ["admin"])),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody)))]
pub async fn put_card(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<serde_json::Map<String, Value>>,
) -> Result<Json<CardDefinition>, ApiError> {
    if let Some(unknown) = body.keys().find(|k| !CARD_FIELDS.contains(&k.as_str())) {
        return Err(AdminError::invalid(unknown.clone(), "unknown field").into());
    }
    let mut value = Value::Object(body);
    value["id"] = json!(id);
    value["tenant"] = json!(caller.tenant);
    value["updatedAt"] = json!(0);
    let card: CardDefinition = domain(value, "")?;
    Ok(Json(state.put_card(&caller, card).await?))
}

/// Delete a Hero Card definition; cards already sent keep theirs.
#[utoipa::path(delete, path = "/admin/cards/{id}", tag = "cards", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_card(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    state.delete_card(&caller, &id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The tenant's WhatsApp templates as last synced from Meta.
#[utoipa::path(get, path = "/admin/templates", tag = "cards", security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody)))]
pub async fn templates(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(state.template_list(&caller).await?)))
}

/// Read the approved templates of the tenant's WhatsApp accounts (those
/// bound with a `wabaId`) from Meta, and keep them for `template.send`.
#[utoipa::path(post, path = "/admin/templates/sync", tag = "cards", security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<Object>), (status = 502, body = ErrorBody)))]
pub async fn sync_templates(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(state.sync_templates(&caller).await?)))
}
