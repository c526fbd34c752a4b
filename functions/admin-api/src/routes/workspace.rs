//! Text blocks (found by `#` in the console) and additional-information
//! fields (filled per client by operators).

use crate::auth::AdminCaller;
use crate::dto::{Page, PageQuery};
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use switchboard_app::usecases::admin::AdminError;
use switchboard_domain::workspace::{InfoField, TextBlock};
use switchboard_domain::Timestamp;
use utoipa::ToSchema;

/// A text block as `PUT` takes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TextBlockBody {
    /// A language tag; a block in `de` serves conversations in `de-AT` too.
    pub language: String,
    /// What `#` finds it by, with its text (1 to 80 characters).
    pub name: String,
    /// Up to 4,000 characters, with placeholders `{contact.name}`,
    /// `{contact.phone}`, `{operator.name}` or `{info.<field key>}`.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TextBlockView {
    pub id: String,
    pub language: String,
    pub name: String,
    pub text: String,
    /// Milliseconds since the epoch.
    pub updated_at: u64,
}

impl From<TextBlock> for TextBlockView {
    fn from(b: TextBlock) -> Self {
        TextBlockView {
            id: b.id,
            language: b.language,
            name: b.name,
            text: b.text,
            updated_at: b.updated_at.millis(),
        }
    }
}

/// The tenant's text blocks, by id.
#[utoipa::path(get, path = "/admin/text-blocks", tag = "workspace", params(PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Page<TextBlockView>), (status = 403, body = ErrorBody)))]
pub async fn text_blocks(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<TextBlockView>>, ApiError> {
    let page = state
        .text_block_list(&caller, q.cursor.as_deref(), q.limit())
        .await?;
    Ok(Json(Page::map(page, TextBlockView::from)))
}

/// One text block.
#[utoipa::path(get, path = "/admin/text-blocks/{id}", tag = "workspace", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = TextBlockView), (status = 404, body = ErrorBody)))]
pub async fn text_block(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<TextBlockView>, ApiError> {
    Ok(Json(state.text_block(&caller, &id).await?.into()))
}

/// Create or replace a text block; an unknown placeholder is refused.
#[utoipa::path(put, path = "/admin/text-blocks/{id}", tag = "workspace", params(("id" = String, Path)),
    request_body = TextBlockBody, security(("bearer" = ["admin"])),
    responses((status = 200, body = TextBlockView), (status = 400, body = ErrorBody)))]
pub async fn put_text_block(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TextBlockBody>,
) -> Result<Json<TextBlockView>, ApiError> {
    let block = TextBlock {
        id,
        tenant: caller.tenant.clone(),
        language: body.language,
        name: body.name,
        text: body.text,
        updated_at: Timestamp::default(),
    };
    Ok(Json(state.put_text_block(&caller, block).await?.into()))
}

/// Delete a text block.
#[utoipa::path(delete, path = "/admin/text-blocks/{id}", tag = "workspace", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_text_block(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.delete_text_block(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An additional-information field as `PUT` takes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InfoFieldBody {
    pub label: String,
    /// `text`, `number`, `date` (YYYY-MM-DD) or `choice`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    /// Text: at most this many characters (default 500, at most 2,000).
    #[serde(default)]
    pub max_length: Option<u32>,
    /// Number: the least and greatest allowed, and whole numbers only.
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub integer: Option<bool>,
    /// Choice: the options (1 to 50).
    #[serde(default)]
    pub options: Option<Vec<String>>,
}

/// A field as every read shows it: `key`, `label`, `type`, `required`
/// and the type's settings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct InfoFieldView(Value);

fn field_view(field: InfoField) -> InfoFieldView {
    let mut value = serde_json::to_value(&field).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.remove("tenant");
    }
    InfoFieldView(value)
}

/// The tenant's additional-information fields, by key.
#[utoipa::path(get, path = "/admin/info-fields", tag = "workspace", security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<InfoFieldView>), (status = 403, body = ErrorBody)))]
pub async fn info_fields(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<Vec<InfoFieldView>>, ApiError> {
    let fields = state.info_field_list(&caller).await?;
    Ok(Json(fields.into_iter().map(field_view).collect()))
}

/// Create or replace an additional-information field.
#[utoipa::path(put, path = "/admin/info-fields/{key}", tag = "workspace", params(("key" = String, Path)),
    request_body = InfoFieldBody, security(("bearer" = ["admin"])),
    responses((status = 200, body = InfoFieldView), (status = 400, body = ErrorBody)))]
pub async fn put_info_field(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(key): Path<String>,
    JsonBody(body): JsonBody<InfoFieldBody>,
) -> Result<Json<InfoFieldView>, ApiError> {
    // Only the settings of the field's own type may be given.
    let (settings, others): (Value, &[(&str, bool)]) = match body.kind.as_str() {
        "text" => (
            json!({"maxLength": body.max_length}),
            &[
                ("min", body.min.is_some()),
                ("max", body.max.is_some()),
                ("integer", body.integer.is_some()),
                ("options", body.options.is_some()),
            ],
        ),
        "number" => (
            json!({"min": body.min, "max": body.max, "integer": body.integer.unwrap_or(false)}),
            &[
                ("maxLength", body.max_length.is_some()),
                ("options", body.options.is_some()),
            ],
        ),
        "date" => (
            json!({}),
            &[
                ("maxLength", body.max_length.is_some()),
                ("min", body.min.is_some()),
                ("max", body.max.is_some()),
                ("integer", body.integer.is_some()),
                ("options", body.options.is_some()),
            ],
        ),
        "choice" => (
            json!({"options": body.options.clone().unwrap_or_default()}),
            &[
                ("maxLength", body.max_length.is_some()),
                ("min", body.min.is_some()),
                ("max", body.max.is_some()),
                ("integer", body.integer.is_some()),
            ],
        ),
        _ => {
            return Err(AdminError::invalid("type", "must be text, number, date or choice").into())
        }
    };
    if let Some((name, _)) = others.iter().find(|(_, given)| *given) {
        return Err(
            AdminError::invalid(*name, format!("does not apply to a {} field", body.kind)).into(),
        );
    }
    let mut raw = json!({
        "tenant": caller.tenant, "key": key, "label": body.label, "type": body.kind,
        "required": body.required, "updatedAt": 0,
    });
    if let (Some(raw), Some(settings)) = (raw.as_object_mut(), settings.as_object()) {
        raw.extend(
            settings
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    let field: InfoField = serde_path_to_error::deserialize(raw)
        .map_err(|e| AdminError::invalid(e.path().to_string(), e.into_inner()))?;
    Ok(Json(field_view(
        state.put_info_field(&caller, field).await?,
    )))
}

/// Delete a field; clients' values for it are kept but no longer shown.
#[utoipa::path(delete, path = "/admin/info-fields/{key}", tag = "workspace", params(("key" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_info_field(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(key): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.delete_info_field(&caller, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}
