//! The web clients as built into `web/dist` (committed; a test keeps them
//! true to their sources), compiled in so that the local stack serves them
//! with nothing but cargo and the deploy-time publisher uploads exactly the
//! same bytes.
//!
//! `widget.js` carries a placeholder for the gateway and API addresses that
//! [`Asset::bytes_for`] fills in: a tenant's snippet then needs nothing but
//! the widget id.

use std::borrow::Cow;

pub struct Asset {
    /// The path under the site's root: `widget.js`, `console/app.js`.
    pub path: &'static str,
    pub content_type: &'static str,
    bytes: &'static [u8],
}

pub const JS: &str = "text/javascript; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";
pub const HTML: &str = "text/html; charset=utf-8";

/// What `widget.js` says where `data-gateway` and `data-api` are absent.
const GATEWAY_PLACEHOLDER: &str = "__SWITCHBOARD_GATEWAY_URL__";
const API_PLACEHOLDER: &str = "__SWITCHBOARD_API_URL__";

macro_rules! asset {
    ($path:literal, $type:expr) => {
        Asset {
            path: $path,
            content_type: $type,
            bytes: include_bytes!(concat!("../../../web/dist/", $path)),
        }
    };
}

pub static ASSETS: &[Asset] = &[
    asset!("widget.js", JS),
    asset!("console/index.html", HTML),
    asset!("console/app.js", JS),
    asset!("console/app.css", CSS),
    asset!("demo/index.html", HTML),
    asset!("demo/demo.css", CSS),
];

/// Where a deployment's clients find the gateway and the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// `wss://…/prod` or `ws://127.0.0.1:8787/local`.
    pub gateway_url: String,
    /// `https://…` or `http://127.0.0.1:8787`, without a trailing slash.
    pub api_url: String,
}

impl Endpoints {
    /// The console's `config.json`.
    pub fn console_config(&self) -> String {
        format!(
            "{{\"apiUrl\":{},\"gatewayUrl\":{}}}",
            json_string(&self.api_url),
            json_string(&self.gateway_url)
        )
    }
}

impl Asset {
    pub fn find(path: &str) -> Option<&'static Asset> {
        ASSETS.iter().find(|a| a.path == path)
    }

    pub fn is_html(&self) -> bool {
        self.content_type == HTML
    }

    /// The file as served to these endpoints' clients.
    pub fn bytes_for(&self, endpoints: &Endpoints) -> Cow<'static, [u8]> {
        if self.path != "widget.js" {
            return Cow::Borrowed(self.bytes);
        }
        let Ok(text) = std::str::from_utf8(self.bytes) else {
            return Cow::Borrowed(self.bytes);
        };
        // The placeholders sit inside JS string literals; the addresses are
        // written as JSON strings' contents, so a quote cannot break out.
        let fill = |s: &str| {
            let quoted = json_string(s);
            quoted[1..quoted.len() - 1].to_string()
        };
        Cow::Owned(
            text.replace(GATEWAY_PLACEHOLDER, &fill(&endpoints.gateway_url))
                .replace(API_PLACEHOLDER, &fill(&endpoints.api_url))
                .into_bytes(),
        )
    }
}

/// `s` as a JSON string, with `<` escaped too, so that no address can close
/// a `<script>` element around it.
fn json_string(s: &str) -> String {
    serde_json::Value::from(s)
        .to_string()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints() -> Endpoints {
        Endpoints {
            gateway_url: "wss://abc.execute-api.eu-west-1.amazonaws.com/prod".into(),
            api_url: "https://d111.cloudfront.net".into(),
        }
    }

    #[test]
    fn the_widget_gets_the_deployments_addresses() {
        let widget = Asset::find("widget.js").expect("widget");
        let raw = std::str::from_utf8(widget.bytes).expect("utf-8");
        assert!(raw.contains(GATEWAY_PLACEHOLDER) && raw.contains(API_PLACEHOLDER));
        let filled = widget.bytes_for(&endpoints());
        let filled = std::str::from_utf8(&filled).expect("utf-8");
        assert!(!filled.contains(GATEWAY_PLACEHOLDER) && !filled.contains(API_PLACEHOLDER));
        assert!(filled.contains("wss://abc.execute-api.eu-west-1.amazonaws.com/prod"));
    }

    #[test]
    fn a_quote_in_an_address_cannot_break_out_of_its_string() {
        let widget = Asset::find("widget.js").expect("widget");
        let hostile = Endpoints {
            gateway_url: "wss://x\";alert(1);\"".into(),
            api_url: "https://y</script>".into(),
        };
        let filled = widget.bytes_for(&hostile);
        let filled = std::str::from_utf8(&filled).expect("utf-8");
        assert!(filled.contains("wss://x\\\";alert(1);\\\""));
        assert!(!filled.contains("</script>"));
        assert_eq!(
            hostile.console_config(),
            r#"{"apiUrl":"https://y\u003c/script>","gatewayUrl":"wss://x\";alert(1);\""}"#
        );
    }

    #[test]
    fn every_asset_has_the_type_of_its_extension() {
        for a in ASSETS {
            let expected = match a.path.rsplit('.').next() {
                Some("js") => JS,
                Some("css") => CSS,
                _ => HTML,
            };
            assert_eq!(a.content_type, expected, "{}", a.path);
            assert!(!a.bytes.is_empty(), "{}", a.path);
        }
    }
}
