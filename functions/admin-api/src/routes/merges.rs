//! Unite: the tenant's contact merges, newest first, and their undo.

use crate::auth::AdminCaller;
use crate::dto::{Page, PageQuery};
use crate::error::{ApiError, ErrorBody};
use crate::State;
use axum::extract::{Path, Query, State as S};
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use switchboard_domain::workspace::unite::Merge;
use utoipa::ToSchema;

/// A merge as recorded: both contacts as they were before it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MergeView {
    pub id: String,
    /// The contact merged into (A) before the merge: `visitor`,
    /// `conversation`, `channel`, `name`, `phone`, `email`, `tags`, `info`.
    #[schema(value_type = Object)]
    pub into: Value,
    /// The contact merged (B), as it was and as an undo restores it.
    #[schema(value_type = Object)]
    pub from: Value,
    /// What A is after the merge.
    #[schema(value_type = Object)]
    pub result: Value,
    /// Field (`name`, `phone`, `email`, `info.<key>`) to `into` or `from`.
    #[schema(value_type = Object)]
    pub choices: Value,
    /// The operator who merged.
    pub by: String,
    /// Milliseconds since the epoch.
    pub at: u64,
    /// Who undid it and when; absent while it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub undone: Option<Value>,
}

impl From<Merge> for MergeView {
    fn from(m: Merge) -> Self {
        MergeView {
            result: json(&m.result()),
            into: json(&m.into),
            from: json(&m.from),
            choices: json(&m.choices),
            by: m.by.to_string(),
            at: m.at.millis(),
            undone: m
                .undone
                .as_ref()
                .map(|u| serde_json::json!({"by": u.by.as_str(), "at": u.at.millis()})),
            id: m.id,
        }
    }
}

/// A record's part as JSON; one that cannot be is shown as null rather
/// than failing the page.
fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// The tenant's contact merges, newest first.
#[utoipa::path(get, path = "/admin/merges", tag = "workspace", params(PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Page<MergeView>), (status = 403, body = ErrorBody)))]
pub async fn merges(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<MergeView>>, ApiError> {
    let page = state
        .merges(&caller, q.cursor.as_deref(), q.limit())
        .await?;
    Ok(Json(Page::map(page, MergeView::from)))
}

/// One merge.
#[utoipa::path(get, path = "/admin/merges/{id}", tag = "workspace", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = MergeView), (status = 404, body = ErrorBody)))]
pub async fn merge(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<MergeView>, ApiError> {
    Ok(Json(state.merge(&caller, &id).await?.into()))
}

/// Undo a merge: B gets back its conversation, name, phone, e-mail, tags
/// and information as they were, and A gives back what it took from B.
/// A merge is undone once; a second undo is 409.
#[utoipa::path(post, path = "/admin/merges/{id}/undo", tag = "workspace", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = MergeView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn undo_merge(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<MergeView>, ApiError> {
    Ok(Json(state.undo_merge(&caller, &id).await?.into()))
}
