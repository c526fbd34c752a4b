//! Browsing history: the pages a visitor's widget reports as they move
//! around the site, the latest [`PageView::KEPT`] kept per visitor, shown
//! to operators in the client preview.

use crate::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageView {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub at: Timestamp,
}

/// A page view that cannot be kept, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct PageViewError {
    pub field: &'static str,
    pub reason: String,
}

impl PageView {
    /// How many a visitor's history keeps, newest.
    pub const KEPT: usize = 50;
    pub const MAX_URL: usize = 2_048;
    pub const MAX_TITLE: usize = 300;

    /// A reported page: an absolute `http` or `https` URL without
    /// credentials in it, and an optional title, trimmed, control
    /// characters refused.
    pub fn parse(url: &str, title: Option<&str>, at: Timestamp) -> Result<PageView, PageViewError> {
        let fail = |field, reason: &str| {
            Err(PageViewError {
                field,
                reason: reason.to_string(),
            })
        };
        let url = url.trim();
        if url.is_empty() || url.len() > Self::MAX_URL {
            return fail("url", "must be 1 to 2,048 characters");
        }
        let Ok(parsed) = url::Url::parse(url) else {
            return fail("url", "must be an absolute URL");
        };
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return fail("url", "must be an http or https URL");
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return fail("url", "must not carry a user name or password");
        }
        let title = match title.map(str::trim) {
            None | Some("") => None,
            Some(t) if t.chars().count() > Self::MAX_TITLE => {
                return fail("title", "must be at most 300 characters")
            }
            Some(t) if t.chars().any(char::is_control) => {
                return fail("title", "must not contain control characters")
            }
            Some(t) => Some(t.to_string()),
        };
        Ok(PageView {
            url: parsed.to_string(),
            title,
            at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_pages_are_kept() {
        let ok = PageView::parse(
            "https://shop.example.com/cart?x=1",
            Some(" Cart "),
            Timestamp(1),
        );
        assert_eq!(ok.unwrap().title.as_deref(), Some("Cart"));
        for bad in [
            "javascript:alert(1)",
            "ftp://example.com/",
            "/relative",
            "https://user:pw@example.com/",
            "data:text/html,hi",
        ] {
            assert_eq!(
                PageView::parse(bad, None, Timestamp(1)).unwrap_err().field,
                "url",
                "{bad}"
            );
        }
        let long = "x".repeat(301);
        let err = PageView::parse("https://example.com/", Some(&long), Timestamp(1)).unwrap_err();
        assert_eq!(err.field, "title");
    }
}
