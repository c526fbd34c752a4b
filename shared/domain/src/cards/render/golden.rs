//! Each rendering against its golden file (`tests/golden/cards/`), and
//! against the limits of the reference (§3.2, §6.5). `UPDATE_GOLDEN=1`
//! rewrites the files after an intended change; review the diff.

use super::apple::{self, AppleStyle};
use super::reply::{card_reply, CardReply};
use super::whatsapp;
use crate::cards::tests::booking;
use crate::cards::{CardChannel, CardInstance, CardValues};
use crate::channel::{Reply, ReplyKind};
use crate::content::CardOutcome;
use crate::{ConversationId, OperatorId, Timestamp};
use serde_json::{json, Value};
use std::path::PathBuf;

fn sent(channel: CardChannel, prefills: Value, flow: Option<&str>) -> CardInstance {
    let mut card = booking(channel);
    card.whatsapp_flow_id = flow.map(str::to_string);
    CardInstance::new(
        "ci_0123456789abcdef01234567".into(),
        ConversationId::parse("conv-1").unwrap(),
        card,
        &serde_json::from_value(prefills).unwrap(),
        OperatorId::parse("alice").unwrap(),
        "en".into(),
        Timestamp(1_800_000_000_000),
    )
    .unwrap()
}

fn golden(name: &str, got: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/cards")
        .join(format!("{name}.json"));
    let pretty = serde_json::to_string_pretty(got).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &pretty).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(pretty, want, "{name} differs from {}", path.display());
}

fn chars(v: &Value) -> usize {
    v.as_str().unwrap().chars().count()
}

#[test]
fn whatsapp_buttons_list_and_flow() {
    let buttons = whatsapp::message(
        &sent(
            CardChannel::Whatsapp,
            json!({"name": "Amélie", "menu": "fish"}),
            None,
        ),
        "447700900123",
        "sb:conv-1:4",
    );
    golden("whatsapp_buttons", &buttons);
    let i = &buttons["interactive"];
    let all = i["action"]["buttons"].as_array().unwrap();
    assert!(all.len() <= 3);
    for b in all {
        assert!(chars(&b["reply"]["title"]) <= 20);
        assert!(chars(&b["reply"]["id"]) <= 256);
    }
    assert!(chars(&i["body"]["text"]) <= 1024);
    assert!(chars(&i["header"]["text"]) <= 60);

    let list = whatsapp::message(
        &sent(CardChannel::Whatsapp, json!({"name": "Amélie"}), None),
        "447700900123",
        "sb:conv-1:5",
    );
    golden("whatsapp_list", &list);
    let rows = list["interactive"]["action"]["sections"][0]["rows"]
        .as_array()
        .unwrap();
    assert!(rows.len() <= 10);
    for r in rows {
        assert!(chars(&r["title"]) <= 24 && chars(&r["id"]) <= 200);
    }
    assert!(chars(&list["interactive"]["action"]["button"]) <= 20);

    let flow = whatsapp::message(
        &sent(
            CardChannel::Whatsapp,
            json!({"name": "Amélie"}),
            Some("1187654321"),
        ),
        "447700900123",
        "sb:conv-1:6",
    );
    golden("whatsapp_flow", &flow);
    let p = &flow["interactive"]["action"]["parameters"];
    assert_eq!(p["flow_token"], "ci_0123456789abcdef01234567");
    assert_eq!(p["flow_action_payload"]["data"]["name"], "Amélie");
}

#[test]
fn apple_form_list_picker_and_quick_reply() {
    let card = sent(
        CardChannel::Apple,
        json!({"name": "Amélie", "day": "2026-12-24"}),
        None,
    );
    for (name, style) in [
        ("apple_form", AppleStyle::Form),
        ("apple_list_picker", AppleStyle::ListPicker),
        ("apple_quick_reply", AppleStyle::QuickReply),
    ] {
        let m = apple::message(
            &card,
            style,
            "1a2b3c4d-0000-5000-a000-000000000001",
            "biz-1",
            "urn:mbid:client",
        );
        golden(name, &m);
        assert_eq!(m["interactiveData"]["bid"], apple::BID);
        assert_eq!(m["interactiveData"]["data"]["requestIdentifier"], card.id);
    }
    assert_eq!(
        AppleStyle::for_capabilities(&["LIST".into(), "FORM".into()]),
        AppleStyle::Form
    );
    assert_eq!(
        AppleStyle::for_capabilities(&["LIST".into()]),
        AppleStyle::ListPicker
    );
    assert_eq!(AppleStyle::for_capabilities(&[]), AppleStyle::QuickReply);
}

fn reply(kind: ReplyKind) -> Reply {
    Reply {
        kind,
        reply_id: None,
        request_id: None,
        title: None,
        description: None,
        selected_ids: Vec::new(),
        data: None,
    }
}

fn answer(outcome: CardOutcome, values: Value) -> Option<CardReply> {
    Some(CardReply::Answer {
        instance: "ci_1".into(),
        outcome,
        values: serde_json::from_value::<CardValues>(values).unwrap(),
    })
}

#[test]
fn replies_come_back_as_answers() {
    let mut r = reply(ReplyKind::Button);
    r.reply_id = Some("card:ci_1:cancel".into());
    assert_eq!(card_reply(&r), answer(CardOutcome::Cancelled, json!({})));
    r.reply_id = Some("card:ci_1:edit".into());
    assert_eq!(
        card_reply(&r),
        Some(CardReply::Edit {
            instance: "ci_1".into()
        })
    );
    r.reply_id = Some("slot_2026".into());
    assert_eq!(card_reply(&r), None, "not one of ours");
    let mut r = reply(ReplyKind::List);
    r.reply_id = Some("card:ci_1:pick:menu:veg".into());
    assert_eq!(
        card_reply(&r),
        answer(CardOutcome::Confirmed, json!({"menu": "veg"}))
    );

    let mut r = reply(ReplyKind::Flow);
    r.reply_id = Some("ci_1".into());
    r.data = Some(json!({"flow_token": "ci_1", "day": "2026-12-24"}));
    assert_eq!(
        card_reply(&r),
        answer(CardOutcome::Confirmed, json!({"day": "2026-12-24"}))
    );
    r.data = Some(json!({"flow_token": "ci_1", "outcome": "cancel", "day": "2026-12-24"}));
    assert_eq!(card_reply(&r), answer(CardOutcome::Cancelled, json!({})));

    let mut r = reply(ReplyKind::AppleListPicker);
    r.request_id = Some("ci_1".into());
    r.selected_ids = vec!["confirm".into()];
    assert_eq!(card_reply(&r), answer(CardOutcome::Confirmed, json!({})));
    let mut r = reply(ReplyKind::AppleForm);
    r.request_id = Some("ci_1".into());
    r.data = Some(json!([
        {"pageIdentifier": "day", "items": [{"identifier": "day", "value": "2026-12-31"}]},
        {"pageIdentifier": "menu", "items": [{"identifier": "fish", "value": "fish"}]},
        {"pageIdentifier": "decision", "items": [{"identifier": "confirm", "value": "confirm"}]}
    ]));
    assert_eq!(
        card_reply(&r),
        answer(
            CardOutcome::Confirmed,
            json!({"day": "2026-12-31", "menu": "fish"})
        )
    );
}
