//! The admin-api function: tenant admins manage widgets, operators, groups
//! and settings, and operators sign in. One axum router, run by lambda_http
//! on AWS (the HTTP API's `/admin/{proxy+}` route) and merged into the
//! local stack's server under `/admin`.
//!
//! The OpenAPI document is generated from the handlers (utoipa), committed
//! as `docs/admin-api.json` and served at `/admin/openapi.json`.

mod auth;
pub mod dto;
pub mod error;
pub mod routes;
pub mod site;

use axum::routing::get;
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::channels::{ChannelsConfig, ChannelsSource};
use switchboard_app::ports::HttpTransport;
use switchboard_app::usecases::admin::{Admin, Passwords, SignIn};
use switchboard_app::usecases::cards::TemplateSource;
use switchboard_app::Adapters;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What every handler shares: the admin use cases.
pub type State = Arc<Admin>;

pub fn wire(
    adapters: &dyn Adapters,
    tokens: TokenService,
    passwords: Passwords,
    console_url: String,
    http: Arc<dyn HttpTransport>,
    channels: Arc<ChannelsConfig>,
) -> State {
    let templates = TemplateSource {
        channels: ChannelsSource::build(adapters, channels),
        http: http.clone(),
    };
    let sign_in = SignIn::build(adapters, tokens, passwords, console_url, http);
    Arc::new(Admin::build(adapters, sign_in, templates))
}

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from /admin/session. The scope `admin` means the \
                         operator must hold the admin role.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Switchboard admin API", version = "1",
        description = "Tenant administration and operator sign-in. Every error is \
            `{\"code\", \"message\", \"field\"}`; lists take `limit` and `cursor`."),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

/// The routes and the document generated from them.
pub fn api() -> OpenApiRouter<State> {
    use routes::*;
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::sign_in))
        .routes(routes!(session::refresh))
        .routes(routes!(session::sign_out))
        .routes(routes!(session::request_reset))
        .routes(routes!(session::complete_reset))
        .routes(routes!(session::accept_invitation))
        .routes(routes!(session::me))
        .routes(routes!(tenant::get, tenant::update))
        .routes(routes!(tenant::groups))
        .routes(routes!(
            tenant::group,
            tenant::put_group,
            tenant::delete_group
        ))
        .routes(routes!(tenant::audit))
        .routes(routes!(widgets::list, widgets::create))
        .routes(routes!(widgets::get, widgets::update, widgets::delete))
        .routes(routes!(operators::list, operators::create))
        .routes(routes!(
            operators::get,
            operators::update,
            operators::delete
        ))
        .routes(routes!(operators::reinvite))
        .routes(routes!(rules::sla_rules, rules::put_sla_rules))
        .routes(routes!(rules::cards))
        .routes(routes!(rules::card, rules::put_card, rules::delete_card))
        .routes(routes!(rules::templates))
        .routes(routes!(rules::sync_templates))
        .routes(routes!(channels::list))
        .routes(routes!(channels::put, channels::delete))
        .routes(routes!(transcripts::transcript))
        .routes(routes!(workspace::text_blocks))
        .routes(routes!(
            workspace::text_block,
            workspace::put_text_block,
            workspace::delete_text_block
        ))
        .routes(routes!(workspace::info_fields))
        .routes(routes!(
            workspace::put_info_field,
            workspace::delete_info_field
        ))
        .routes(routes!(reports::report))
        .routes(routes!(merges::merges))
        .routes(routes!(merges::merge))
        .routes(routes!(merges::undo_merge))
        .routes(routes!(oidc::sign_in, oidc::start))
        .routes(routes!(oidc::get, oidc::put, oidc::delete))
}

/// The OpenAPI document, as committed in `docs/admin-api.json`.
pub fn openapi_json() -> String {
    let (_, doc) = api().split_for_parts();
    doc.to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The router, with the document at `/admin/openapi.json`.
pub fn router(state: State) -> axum::Router {
    let (router, doc) = api().split_for_parts();
    let doc = Arc::new(doc.to_pretty_json().unwrap_or_default());
    router
        .route(
            "/admin/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { ([("content-type", "application/json")], (*doc).clone()) }
            }),
        )
        .fallback(|| async { error::ApiError::NoRoute })
        .with_state(state)
}
