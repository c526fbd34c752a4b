//! Deleting a group through the admin API: refused, naming what, while
//! anything routes to it or waits in it; then deleted with an audit entry.
//! A visitor who connected while their widget still routed to the group
//! waits in the default group instead of a queue nobody sees.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{acme_admin, AcmeAdmin};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{start_chat, visitor_on};

const T0: u64 = 1_800_000_000_000;

fn refused(answer: &(u16, Value), status: u16, field: &str) {
    assert_eq!(answer.0, status, "{answer:?}");
    assert_eq!(answer.1["field"], field, "{answer:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_is_deleted_once_nothing_routes_to_it_or_waits_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let AcmeAdmin {
        stack,
        api,
        session,
        token: ann,
    } = acme_admin(dir.path(), Arc::new(FixedClock::at(T0))).await;
    let ann_id = session["operator"]["id"].as_str().unwrap().to_string();
    let t = Some(ann.as_str());

    let sales = json!({"name": "Sales", "members": [ann_id]});
    assert_eq!(
        api.call("PUT", "/admin/groups/sales", t, Some(sales))
            .await
            .0,
        200
    );
    refused(
        &api.call("DELETE", "/admin/groups/default", t, None).await,
        400,
        "id",
    );
    assert_eq!(
        api.call("DELETE", "/admin/groups/nope", t, None).await.0,
        404
    );

    // An SLA rule, a widget and a channel account each hold it.
    let rules =
        json!({"rules": [{"name": "Sales first", "when": {"group": "sales"}, "priority": "high"}]});
    assert_eq!(
        api.call("PUT", "/admin/sla-rules", t, Some(rules)).await.0,
        200
    );
    refused(
        &api.call("DELETE", "/admin/groups/sales", t, None).await,
        409,
        "slaRules",
    );
    assert_eq!(
        api.call("PUT", "/admin/sla-rules", t, Some(json!({"rules": []})))
            .await
            .0,
        200
    );
    let widget = json!({"id": "shop", "name": "Shop", "group": "sales"});
    assert_eq!(
        api.call("POST", "/admin/widgets", t, Some(widget)).await.0,
        201
    );
    let (status, answer) = api.call("DELETE", "/admin/groups/sales", t, None).await;
    refused(&(status, answer.clone()), 409, "widgets");
    assert!(
        answer["message"].as_str().unwrap().contains("shop"),
        "{answer}"
    );
    let account = "/admin/channel-accounts/whatsapp/4200077";
    let bound = json!({"accessToken": "t", "group": "sales"});
    assert_eq!(api.call("PUT", account, t, Some(bound)).await.0, 200);

    // Someone waits in its queue, and another visitor is connected on the
    // widget while it still routes there.
    let (mut console, _) = switchboard_tests::local::operator(&stack, &ann).await;
    let mut first = visitor_on(&stack, "shop").await;
    let waiting = start_chat(&mut first, "Waiting", "en").await;
    assert_eq!(waiting["group"], "sales", "{waiting}");
    let mut late = visitor_on(&stack, "shop").await;

    assert_eq!(
        api.call(
            "PUT",
            "/admin/widgets/shop",
            t,
            Some(json!({"name": "Shop"}))
        )
        .await
        .0,
        200
    );
    refused(
        &api.call("DELETE", "/admin/groups/sales", t, None).await,
        409,
        "channelAccounts",
    );
    assert_eq!(
        api.call("PUT", account, t, Some(json!({"accessToken": "t"})))
            .await
            .0,
        200
    );
    refused(
        &api.call("DELETE", "/admin/groups/sales", t, None).await,
        409,
        "queue",
    );
    // Still there after every refusal.
    assert_eq!(api.call("GET", "/admin/groups/sales", t, None).await.0, 200);

    let accepted = console
        .request(
            json!({"action": "conversation.accept", "conversationId": waiting["id"]}),
            "accept",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    assert_eq!(
        api.call("DELETE", "/admin/groups/sales", t, None).await.0,
        204
    );
    assert_eq!(api.call("GET", "/admin/groups/sales", t, None).await.0, 404);
    let (_, audit) = api.call("GET", "/admin/audit", t, None).await;
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "group.delete")
        .unwrap_or_else(|| panic!("no group.delete in {audit}"));
    assert_eq!(entry["target"], "sales", "{entry}");
    assert_eq!(entry["after"], Value::Null, "{entry}");
    assert_eq!(entry["before"]["name"], "Sales", "{entry}");

    // The visitor who connected before the deletion waits where everyone sees.
    let later = start_chat(&mut late, "Late", "en").await;
    assert_eq!(later["group"], "default", "{later}");
    stack.stop().await;
}
