//! The admin API's route list, checked from its own OpenAPI document: the
//! committed `docs/admin-api.json` is what the code generates, and every
//! route, as registered, is tried as anonymous, an operator, an admin and
//! another tenant's admin. A new route is in the document the moment it is
//! registered, so it cannot skip the matrix.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{access, admin_of, link_token, outbox_mail, Api, PASSWORD};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::start_for_admin;

const T0: u64 = 1_800_000_000_000;

#[test]
fn the_committed_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/admin-api.json");
    let generated = admin_api::openapi_json() + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/admin-api.json is stale: run `UPDATE_OPENAPI=1 scripts/test --test admin_routes` and commit it"
    );
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Public,
    Operator,
    Admin,
}

fn access_of(operation: &Value) -> Access {
    match operation.get("security").and_then(Value::as_array) {
        None => Access::Public,
        Some(list) => match list.as_slice() {
            [one] if one["bearer"] == json!([]) => Access::Operator,
            [one] if one["bearer"] == json!(["admin"]) => Access::Admin,
            other => panic!("unexpected security {other:?}"),
        },
    }
}

/// A body each route accepts, per caller (ids differ so creations do not clash).
fn sample(method: &str, path: &str, who: &str, email: &str, operator: &str) -> Option<Value> {
    Some(match (method, path) {
        ("POST", "/admin/session") => json!({"email": email, "password": PASSWORD}),
        ("POST", "/admin/session/refresh") | ("POST", "/admin/session/sign-out") => {
            json!({"refreshToken": "not-a-token"})
        }
        ("POST", "/admin/password-reset") => json!({"email": email}),
        ("POST", "/admin/password-reset/complete") | ("POST", "/admin/invitations/accept") => {
            json!({"token": "not-a-token", "password": PASSWORD})
        }
        ("PUT", "/admin/tenant") => {
            json!({"name": format!("Tenant of {who}"), "maxChats": 4, "transferTimeoutSeconds": 60})
        }
        ("PUT", "/admin/groups/{id}") => {
            json!({"name": format!("Group of {who}"), "members": [operator]})
        }
        ("POST", "/admin/widgets") => json!({"id": format!("w-{who}"), "name": "W"}),
        ("PUT", "/admin/widgets/{id}") => json!({"name": format!("Widget of {who}")}),
        ("PUT", "/admin/sla-rules") => json!({"rules": [
            {"name": format!("VIP of {who}"), "when": {"contactTag": "vip"}, "priority": "urgent", "firstResponseSeconds": 60}
        ]}),
        ("PUT", "/admin/cards/{id}") => json!({
            "name": format!("Booking of {who}"), "language": "en", "channel": "webchat",
            "title": "Your table", "text": "Please check.",
            "fields": [{"id": "day", "label": "Day", "type": "date", "required": true}]
        }),
        ("POST", "/admin/session/oidc") => json!({"tenant": "acme", "idToken": "not-a-token"}),
        ("PUT", "/admin/oidc") => json!({
            "issuer": format!("https://idp.{who}.example"), "clientId": "console",
            "jwksUri": "https://idp.example/jwks"
        }),
        ("PUT", "/admin/channel-accounts/{channel}/{accountId}") => {
            json!({"accessToken": format!("token of {who}")})
        }
        ("PUT", "/admin/text-blocks/{id}") => json!({
            "language": "en", "name": format!("Block of {who}"), "text": "Hello {contact.name}"
        }),
        ("PUT", "/admin/info-fields/{key}") => json!({
            "label": format!("Plan of {who}"), "type": "choice", "options": ["Gold", "Silver"]
        }),
        ("POST", "/admin/operators") => {
            json!({"email": format!("new-{who}@example.com"), "name": "N", "roles": ["operator"]})
        }
        ("PUT", "/admin/operators/{id}") => json!({
            "email": "olga@acme.example", "name": format!("Renamed by {who}"),
            "roles": ["operator"], "enabled": true
        }),
        _ => return None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_refuses_whom_it_must() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(dir.path(), Arc::new(FixedClock::at(T0)), None).await;
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let zed_session = admin_of(&stack, &api, "globex", "zed@globex.example").await;
    let zed = access(&zed_session);
    let zed_id = zed_session["operator"]["id"].as_str().unwrap().to_string();
    let (_, olga) = api
        .call(
            "POST",
            "/admin/operators",
            Some(&ann),
            Some(json!({"email": "olga@acme.example", "name": "Olga", "roles": ["operator"]})),
        )
        .await;
    let olga_id = olga["id"].as_str().unwrap().to_string();
    let (status, olga_session) = api
        .call("POST", "/admin/invitations/accept", None, Some(json!({
            "token": link_token(&outbox_mail(dir.path(), "olga@acme.example")), "password": PASSWORD
        })))
        .await;
    assert_eq!(status, 200);
    let olga_token = access(&olga_session);
    assert_eq!(
        api.call(
            "POST",
            "/admin/widgets",
            Some(&ann),
            Some(json!({"id": "a-web", "name": "A"}))
        )
        .await
        .0,
        201
    );
    assert_eq!(
        api.call(
            "PUT",
            "/admin/groups/a-sales",
            Some(&ann),
            Some(json!({"name": "Sales", "members": [olga_id]}))
        )
        .await
        .0,
        200
    );

    let bound = api
        .call(
            "PUT",
            "/admin/channel-accounts/whatsapp/4200001",
            Some(&ann),
            Some(json!({"accessToken": "t"})),
        )
        .await;
    assert_eq!(bound.0, 200, "{bound:?}");
    let oidc = sample("PUT", "/admin/oidc", "setup", "", "");
    assert_eq!(
        api.call("PUT", "/admin/oidc", Some(&ann), oidc).await.0,
        200
    );
    let card = sample("PUT", "/admin/cards/{id}", "setup", "", "");
    assert_eq!(
        api.call("PUT", "/admin/cards/a-card", Some(&ann), card)
            .await
            .0,
        200
    );
    for (path, route) in [
        ("/admin/text-blocks/a-block", "/admin/text-blocks/{id}"),
        ("/admin/info-fields/plan", "/admin/info-fields/{key}"),
    ] {
        let body = sample("PUT", route, "setup", "", "");
        assert_eq!(
            api.call("PUT", path, Some(&ann), body).await.0,
            200,
            "{path}"
        );
    }
    // A conversation waiting in the default group, which any operator may
    // open (someone is online, so the chat starts).
    let (mut console, _) = switchboard_tests::local::operator(&stack, &ann).await;
    let mut visitor = switchboard_tests::local::visitor_on(&stack, "a-web").await;
    let chat = switchboard_tests::local::start_chat(&mut visitor, "Grace", "en").await;
    let conversation = chat["id"].as_str().unwrap().to_string();
    // A merge, for the routes that review and undo one.
    let mut same_client = switchboard_tests::local::visitor_on(&stack, "a-web").await;
    let again = switchboard_tests::local::start_chat(&mut same_client, "Grace", "en").await;
    let merged = console
        .request(
            json!({"action": "client.merge", "conversationId": conversation,
                   "fromConversationId": again["id"]}),
            "merge",
        )
        .await;
    let merge_id = merged["mergeId"].as_str().expect("merged").to_string();
    let (_, doc) = api.call("GET", "/admin/openapi.json", None, None).await;
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().unwrap() {
            routes.push((
                method.to_uppercase(),
                path.clone(),
                access_of(operation),
                operation.get("requestBody").is_some(),
            ));
        }
    }
    assert!(routes.len() >= 20, "{routes:?}");
    // Deletions last, so the admin's other calls find what they name.
    routes.sort_by_key(|(method, path, ..)| (method == "DELETE", path.clone()));
    let id_for = |path: &str| -> String {
        let concrete = if path.starts_with("/admin/widgets/") {
            path.replace("{id}", "a-web")
        } else if path.starts_with("/admin/operators/") {
            path.replace("{id}", &olga_id)
        } else if path.starts_with("/admin/groups/") {
            path.replace("{id}", "a-sales")
        } else if path.starts_with("/admin/conversations/") {
            path.replace("{id}", &conversation)
        } else if path.starts_with("/admin/text-blocks/") {
            path.replace("{id}", "a-block")
        } else if path.starts_with("/admin/info-fields/") {
            path.replace("{key}", "plan")
        } else if path.starts_with("/admin/reports/") {
            path.replace("{report}", "kpis") + "?from=2026-01-01&to=2026-01-31"
        } else if path.starts_with("/admin/merges/") {
            path.replace("{id}", &merge_id)
        } else if path.starts_with("/admin/cards/") {
            path.replace("{id}", "a-card")
        } else if path.starts_with("/admin/channel-accounts/") {
            path.replace("{channel}", "whatsapp")
                .replace("{accountId}", "4200001")
        } else {
            path.to_string()
        };
        assert!(!concrete.contains('{'), "the matrix needs an id for {path}");
        concrete
    };

    // Who calls, with their e-mail and a member for the groups they define.
    // The admin comes last: their deletions remove what the others tried.
    let callers: [(&str, Option<&str>, &str, &str); 4] = [
        ("anonymous", None, "nobody@example.com", &olga_id),
        ("operator", Some(&olga_token), "olga@acme.example", &olga_id),
        ("other-admin", Some(&zed), "zed@globex.example", &zed_id),
        ("admin", Some(&ann), "ann@acme.example", &olga_id),
    ];
    for (who, token, email, member) in callers {
        for (method, path, access, has_body) in &routes {
            let body = sample(method, path, who, email, member);
            assert!(
                !has_body || body.is_some(),
                "the matrix needs a sample body for {method} {path}"
            );
            let (status, answer) = api.call(method, &id_for(path), token, body).await;
            let at = format!("{who} {method} {path}: {status} {answer}");
            assert!(status < 500, "{at}");
            match (access, who) {
                (Access::Public, _) => {}
                (_, "anonymous") => assert_eq!(status, 401, "{at}"),
                (Access::Admin, "operator") => assert_eq!(status, 403, "{at}"),
                // Another tenant's admin has set no identity provider yet.
                (Access::Admin, "other-admin") if method == "GET" && path == "/admin/oidc" => {
                    assert_eq!(status, 404, "{at}")
                }
                // A channel account is one per deployment: another tenant's
                // admin cannot take it.
                (Access::Admin, "other-admin")
                    if method == "PUT" && path.contains("{accountId}") =>
                {
                    assert_eq!(status, 409, "{at}")
                }
                // Another tenant's conversation is not found, for anyone.
                (Access::Operator, "other-admin") if path.contains("{id}") => {
                    assert_eq!(status, 404, "{at}")
                }
                // Ids are per tenant: what another tenant's admin names is
                // not found, except a group's or card's PUT, which creates their own.
                (Access::Admin, "other-admin")
                    if (path.contains("{id}") || path.contains("{accountId}"))
                        && !(path == "/admin/groups/{id}" && method != "GET")
                        // Card ids are the tenant's own: its PUT made its
                        // own card of that id, which its DELETE then removes.
                        && !(path == "/admin/cards/{id}" && method != "GET")
                        // So are text blocks' ids and fields' keys.
                        && !(path == "/admin/text-blocks/{id}" && method != "GET")
                        && !path.starts_with("/admin/info-fields/") =>
                {
                    assert_eq!(status, 404, "{at}")
                }
                _ => {
                    assert!((200..300).contains(&status), "{at}");
                    if who == "other-admin" {
                        let text = answer.to_string();
                        for secret in ["a-web", olga_id.as_str(), "acme"] {
                            assert!(
                                !text.contains(secret),
                                "{at} shows another tenant's {secret}"
                            );
                        }
                    }
                }
            }
        }
        if who == "other-admin" {
            // Their group of the same id was their own; acme's is as it was.
            let (_, group) = api
                .call("GET", "/admin/groups/a-sales", Some(&ann), None)
                .await;
            assert_eq!(group["members"], json!([olga_id]), "{group}");
        }
    }
    stack.stop().await;
}
