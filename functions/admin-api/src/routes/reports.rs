//! Reports for admins as CSV, streamed as they are written: conversations,
//! the KPIs of closed chats, and operators' time in each status, over whole
//! days in the tenant's time zone (`timezone` in `/admin/tenant`).

use crate::auth::AdminCaller;
use crate::error::{ApiError, ErrorBody};
use crate::State;
use axum::extract::{Path, Query, State as S};
use axum::response::Response;
use serde::Deserialize;
use switchboard_app::usecases::admin::{AdminError, ReportKind};
use utoipa::{IntoParams, ToSchema};

/// The reports there are, by the name the route takes; one list for the
/// route and its OpenAPI schema, which the console's downloads page reads.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReportName {
    Conversations,
    Kpis,
    OperatorStatus,
}

impl ReportName {
    fn kind(raw: &str) -> Option<ReportKind> {
        use serde::de::IntoDeserializer;
        let name: Result<ReportName, serde::de::value::Error> =
            ReportName::deserialize(raw.into_deserializer());
        Some(match name.ok()? {
            ReportName::Conversations => ReportKind::Conversations,
            ReportName::Kpis => ReportKind::Kpis,
            ReportName::OperatorStatus => ReportKind::OperatorStatus,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// The first day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last day, included; at most 366 days after `from`.
    pub to: Option<String>,
}

/// A report as CSV (RFC 4180, UTF-8 with a byte-order mark):
/// - `conversations`: a row per session that entered a queue in the
///   period: `conversation`, `session`, `started`, `channel`, `group`,
///   `operators`, `waited_s`, `first_response_s`, `handled_s`, `messages`,
///   `status`, `tags`, `outcome`, `sla_met`;
/// - `kpis`: a row per day and a `total` row of the closed sessions:
///   `closed`, median and 90th percentile of wait and first response,
///   `with_sla_deadline`, `sla_met`;
/// - `operator-status`: a row per operator and day: seconds `online`,
///   `away` and `offline`.
#[utoipa::path(get, path = "/admin/reports/{report}", tag = "reports",
    params(("report" = inline(ReportName), Path, description = "conversations, kpis or operator-status"), PeriodQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn report(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(report): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let kind = ReportName::kind(&report).ok_or(AdminError::NotFound("report"))?;
    let from = q
        .from
        .ok_or_else(|| AdminError::invalid("from", "is required (YYYY-MM-DD)"))?;
    let to =
        q.to.ok_or_else(|| AdminError::invalid("to", "is required (YYYY-MM-DD)"))?;
    super::csv_file::download(state.report(&caller, kind, &from, &to).await?).await
}
