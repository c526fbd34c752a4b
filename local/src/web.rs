//! The web clients, as CloudFront serves them on AWS: the operator console
//! at `/console/`, the widget's script at `/widget.js` and a demo page that
//! embeds it at `/demo/`. The bytes are `switchboard_web_assets` (the built
//! `web/dist`, compiled in), so the local stack needs no Node.js.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use switchboard_web_assets::{Asset, Endpoints};

pub(crate) fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/widget.js",
            get(|h: HeaderMap| async move { serve("widget.js", &h) }),
        )
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route(
            "/console/",
            get(|h: HeaderMap| async move { serve("console/index.html", &h) }),
        )
        .route("/console/config.json", get(config))
        .route(
            "/console/{file}",
            get(
                |axum::extract::Path(file): axum::extract::Path<String>, h: HeaderMap| async move {
                    serve(&format!("console/{file}"), &h)
                },
            ),
        )
        .route("/demo", get(|| async { Redirect::permanent("/demo/") }))
        .route(
            "/demo/",
            get(|h: HeaderMap| async move { serve("demo/index.html", &h) }),
        )
        .route(
            "/demo/{file}",
            get(
                |axum::extract::Path(file): axum::extract::Path<String>, h: HeaderMap| async move {
                    serve(&format!("demo/{file}"), &h)
                },
            ),
        )
}

/// The host the browser used, so that the console's API and socket are its
/// own origin (127.0.0.1 and localhost are different origins to a browser).
fn host(headers: &HeaderMap) -> Option<&str> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let valid = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then_some(host)
}

/// A strict policy: scripts and styles only from this origin, no inline
/// script or style, sockets only to this host's gateway.
fn policy(headers: &HeaderMap) -> String {
    let ws = host(headers)
        .map(|h| format!(" ws://{h}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'{ws}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// This host's gateway and API, as the browser addresses them.
fn endpoints(host: &str) -> Endpoints {
    Endpoints {
        gateway_url: format!("ws://{host}/{}", crate::STAGE),
        api_url: format!("http://{host}"),
    }
}

fn serve(path: &str, headers: &HeaderMap) -> Response {
    let (Some(asset), Some(host)) = (Asset::find(path), host(headers)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.bytes_for(&endpoints(host)).into_owned(),
    )
        .into_response();
    if asset.is_html() {
        if let Ok(value) = HeaderValue::from_str(&policy(headers)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Where the console finds the API and the gateway; on AWS the deployment
/// writes the same file beside the console.
async fn config(headers: HeaderMap) -> Response {
    let Some(host) = host(&headers) else {
        return (
            StatusCode::BAD_REQUEST,
            "the Host header is missing or malformed",
        )
            .into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        endpoints(host).console_config(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_header_that_could_inject_into_the_policy_is_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("evil; script-src *"));
        assert_eq!(host(&h), None);
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8787"));
        assert_eq!(host(&h), Some("127.0.0.1:8787"));
    }
}
