//! The web clients, served by this function beside the admin API: the
//! operator console at `/console/`, the widget's script at `/widget.js` and
//! a demo page at `/demo/`. On AWS they are also in the CloudFront
//! distribution; served here, the console is the API's own origin (and
//! where links in mails point), and the local stack serves them the same way.
//! The bytes are `switchboard_web_assets` (the built `web/dist`, compiled in).

use axum::body::Body;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::borrow::Cow;
use std::sync::Arc;
use switchboard_web_assets::{Asset, Endpoints};

/// Where the clients' WebSocket gateway is.
#[derive(Debug, Clone)]
pub enum Gateway {
    /// A deployment's API Gateway stage: `wss://….execute-api…/prod`.
    Fixed(String),
    /// The local stack: the host the page came from, under this stage.
    SameHost { stage: &'static str },
}

/// The site's routes; merge them into a router of any state.
pub fn router<S: Clone + Send + Sync + 'static>(gateway: Gateway) -> Router<S> {
    let g = Arc::new(gateway);
    let page = |path: &'static str, g: Arc<Gateway>| {
        get(move |h: HeaderMap| async move { serve(path, &h, &g) })
    };
    let file = |dir: &'static str, g: Arc<Gateway>| {
        get(move |Path(file): Path<String>, h: HeaderMap| async move {
            serve(&format!("{dir}/{file}"), &h, &g)
        })
    };
    let config_gateway = g.clone();
    Router::new()
        .route("/widget.js", page("widget.js", g.clone()))
        // The console at its address with or without the slash (mail links
        // are `/console#/…`), its assets by absolute path.
        .route("/console", page("console/index.html", g.clone()))
        .route("/console/", page("console/index.html", g.clone()))
        .route(
            "/console/config.json",
            get(move |h: HeaderMap| async move { config(&h, &config_gateway) }),
        )
        .route("/console/{file}", file("console", g.clone()))
        .route("/demo", page("demo/index.html", g.clone()))
        .route("/demo/", page("demo/index.html", g.clone()))
        .route("/demo/{file}", file("demo", g))
}

/// The host the browser used, so that the console's API is its own origin
/// (127.0.0.1 and localhost are different origins to a browser). Only host
/// characters: it is written into a header and into JavaScript.
fn host(headers: &HeaderMap) -> Option<&str> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let valid = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then_some(host)
}

/// This request's gateway and API, as the browser addresses them. Behind
/// API Gateway the request arrived over https (`X-Forwarded-Proto`).
fn endpoints(headers: &HeaderMap, gateway: &Gateway) -> Option<Endpoints> {
    let host = host(headers)?;
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let gateway_url = match gateway {
        Gateway::Fixed(url) => url.clone(),
        Gateway::SameHost { stage } => {
            format!("{}://{host}/{stage}", if https { "wss" } else { "ws" })
        }
    };
    Some(Endpoints {
        gateway_url,
        api_url: format!("{}://{host}", if https { "https" } else { "http" }),
    })
}

/// A strict policy: scripts and styles only from this origin, no inline
/// script or style, sockets only to the gateway.
fn policy(endpoints: &Endpoints) -> String {
    let socket = endpoints
        .gateway_url
        .split('/')
        .take(3)
        .collect::<Vec<_>>()
        .join("/");
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self' {socket}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

fn serve(path: &str, headers: &HeaderMap, gateway: &Gateway) -> Response {
    let (Some(asset), Some(endpoints)) = (Asset::find(path), endpoints(headers, gateway)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Only widget.js is filled in per request; the rest is served from the
    // compiled-in bytes without a copy.
    let body = match asset.bytes_for(&endpoints) {
        Cow::Borrowed(bytes) => Body::from(bytes),
        Cow::Owned(bytes) => Body::from(bytes),
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response();
    if asset.is_html() {
        if let Ok(value) = HeaderValue::from_str(&policy(&endpoints)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Where the console finds the API and the gateway.
fn config(headers: &HeaderMap, gateway: &Gateway) -> Response {
    match endpoints(headers, gateway) {
        Some(endpoints) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            endpoints.console_config(),
        )
            .into_response(),
        None => (
            StatusCode::BAD_REQUEST,
            "the Host header is missing or malformed",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(host: &'static str, proto: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static(host));
        if let Some(p) = proto {
            h.insert("x-forwarded-proto", HeaderValue::from_static(p));
        }
        h
    }

    #[test]
    fn a_host_header_that_could_inject_into_the_policy_is_refused() {
        assert_eq!(host(&headers("evil; script-src *", None)), None);
        assert_eq!(
            host(&headers("127.0.0.1:8787", None)),
            Some("127.0.0.1:8787")
        );
    }

    #[test]
    fn behind_api_gateway_the_console_uses_https_and_the_stages_gateway() {
        let gateway = Gateway::Fixed("wss://ws123.execute-api.eu-west-1.amazonaws.com/prod".into());
        let e = endpoints(
            &headers("api1.execute-api.eu-west-1.amazonaws.com", Some("https")),
            &gateway,
        )
        .expect("endpoints");
        assert_eq!(
            e.api_url,
            "https://api1.execute-api.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            e.gateway_url,
            "wss://ws123.execute-api.eu-west-1.amazonaws.com/prod"
        );
        assert!(policy(&e)
            .contains("connect-src 'self' wss://ws123.execute-api.eu-west-1.amazonaws.com;"));
    }

    #[test]
    fn the_local_stack_uses_the_pages_own_host() {
        let e = endpoints(
            &headers("localhost:8787", None),
            &Gateway::SameHost { stage: "local" },
        )
        .expect("endpoints");
        assert_eq!(e.api_url, "http://localhost:8787");
        assert_eq!(e.gateway_url, "ws://localhost:8787/local");
    }
}
