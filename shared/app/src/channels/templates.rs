//! Reading a WhatsApp Business Account's templates from the Graph API
//! (`GET /{waba-id}/message_templates`), a page at a time.

use super::outbound::{token, BuildError};
use super::{AccountBinding, ChannelsConfig, ParseError};
use crate::ports::HttpCall;
use serde_json::Value;
use switchboard_domain::cards::{TemplateComponent, WhatsAppTemplate};
use switchboard_domain::{TenantId, Timestamp};

/// Templates per page asked for; Meta caps pages anyway.
const PAGE: u32 = 100;

/// The call for one page, after the cursor `after` (None: the first).
pub fn list_call(
    config: &ChannelsConfig,
    account: &AccountBinding,
    waba: &str,
    after: Option<&str>,
) -> Result<HttpCall, BuildError> {
    let mut url = format!(
        "{}/{waba}/message_templates?fields=name,language,status,category,components&limit={PAGE}",
        config.endpoints.graph
    );
    if let Some(after) = after {
        url.push_str("&after=");
        url.push_str(&form_urlencoded::byte_serialize(after.as_bytes()).collect::<String>());
    }
    Ok(HttpCall {
        method: "GET",
        url,
        headers: vec![(
            "authorization".into(),
            format!("Bearer {}", token(account)?),
        )],
        body: Vec::new(),
    })
}

/// One page: its templates (those the domain accepts; others are logged and
/// skipped) and the cursor of the next page, if there is one.
pub fn parse_page(
    body: &[u8],
    tenant: &TenantId,
    now: Timestamp,
) -> Result<(Vec<WhatsAppTemplate>, Option<String>), ParseError> {
    let doc: Value =
        serde_json::from_slice(body).map_err(|e| ParseError::new("$", &e.to_string()))?;
    let data = doc
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError::new("data", "is missing"))?;
    let mut templates = Vec::new();
    for (i, t) in data.iter().enumerate() {
        let text = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_string);
        let components: Vec<TemplateComponent> = t
            .get("components")
            .cloned()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| ParseError::new(&format!("data[{i}].components"), &e.to_string()))?
            .unwrap_or_default();
        let template = WhatsAppTemplate {
            tenant: tenant.clone(),
            name: text("name").unwrap_or_default(),
            language: text("language").unwrap_or_default(),
            category: text("category").unwrap_or_default(),
            status: text("status").unwrap_or_default(),
            components,
            updated_at: now,
        };
        match template.validate() {
            Ok(()) => templates.push(template),
            Err(e) => tracing::warn!(index = i, error = %e, "skipping a template Meta listed"),
        }
    }
    // A next page exists only when Meta says so with a `next` link.
    let after = doc
        .pointer("/paging/next")
        .and(doc.pointer("/paging/cursors/after"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok((templates, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_page_reads_templates_and_the_next_cursor() {
        let page = json!({
            "data": [
                {"name": "ticket_followup", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
                 "components": [{"type": "BODY", "text": "Hi {{1}}"},
                                {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes"}]}]},
                {"name": "Bad Name", "language": "en", "status": "APPROVED", "category": "UTILITY",
                 "components": [{"type": "BODY", "text": "x"}]}
            ],
            "paging": {"cursors": {"before": "b1", "after": "a1"}, "next": "https://graph.facebook.com/..."}
        });
        let tenant = TenantId::parse("acme").unwrap();
        let (templates, after) =
            parse_page(page.to_string().as_bytes(), &tenant, Timestamp(0)).unwrap();
        assert_eq!(templates.len(), 1, "the malformed one is skipped");
        assert_eq!(templates[0].name, "ticket_followup");
        assert_eq!(after.as_deref(), Some("a1"));
        let last = json!({"data": [], "paging": {"cursors": {"before": "b", "after": "a"}}});
        assert_eq!(
            parse_page(last.to_string().as_bytes(), &tenant, Timestamp(0))
                .unwrap()
                .1,
            None
        );
    }
}
