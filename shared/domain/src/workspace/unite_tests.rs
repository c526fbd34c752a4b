use super::*;
use serde_json::json;

fn card(visitor: &str, name: Option<&str>, phone: Option<&str>) -> ClientCard {
    ClientCard {
        visitor: VisitorId::parse(visitor).unwrap(),
        conversation: ConversationId::parse(format!("conv_{visitor}")).unwrap(),
        channel: Channel::WebChat,
        name: name.map(str::to_string),
        phone: phone.map(str::to_string),
        email: None,
        tags: Vec::new(),
        info: InfoValues::new(),
    }
}

fn plan(into: ClientCard, from: ClientCard, choices: &[(&str, Side)]) -> Result<Merge, MergeError> {
    Merge::plan(
        "merge_1".into(),
        TenantId::parse("t").unwrap(),
        into,
        from,
        choices.iter().map(|(k, s)| (k.to_string(), *s)).collect(),
        OperatorId::parse("ann").unwrap(),
        Timestamp(1),
    )
}

#[test]
fn a_contact_cannot_be_merged_into_itself() {
    let a = card("a", None, None);
    let err = plan(a.clone(), a, &[]).unwrap_err();
    assert_eq!(err.field, "fromConversationId");
}

#[test]
fn same_phone_written_differently_is_no_conflict_but_another_name_is() {
    let a = card("a", Some("Grace"), Some("+49 170 1234567"));
    let b = card(
        "b",
        Some("Grace Hopper"),
        Some("00491701234567".trim_start_matches("00")),
    );
    let found = conflicts(&a, &b);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].field, "name");
    assert_eq!(
        plan(a.clone(), b.clone(), &[]).unwrap_err().field,
        "choose.name"
    );
    assert_eq!(
        plan(
            a.clone(),
            b.clone(),
            &[("name", Side::From), ("phone", Side::From)]
        )
        .unwrap_err()
        .field,
        "choose.phone"
    );
    let merged = plan(a, b, &[("name", Side::From)]).unwrap().result();
    assert_eq!(merged.name.as_deref(), Some("Grace Hopper"));
    assert_eq!(merged.phone.as_deref(), Some("+49 170 1234567"));
}

#[test]
fn what_a_lacks_comes_from_b_and_the_undo_takes_exactly_that_back() {
    let mut a = card("a", Some("Grace"), None);
    a.tags = vec!["vip".into()];
    a.info.insert("plan".into(), json!("Gold"));
    let mut b = card("b", None, Some("+491701234567"));
    b.email = Some("g@example.com".into());
    b.tags = vec!["b2b".into(), "vip".into()];
    b.info.insert("plan".into(), json!("Silver"));
    b.info.insert("city".into(), json!("Prague"));
    let merge = plan(a.clone(), b, &[("info.plan", Side::From)]).unwrap();
    let result = merge.result();
    assert_eq!(result.tags, vec!["b2b", "vip"]);
    assert_eq!(result.info["plan"], json!("Silver"));
    assert_eq!(result.info["city"], json!("Prague"));
    assert_eq!(result.phone.as_deref(), Some("+491701234567"));
    assert_eq!(result.email.as_deref(), Some("g@example.com"));
    let taken = merge.taken();
    assert_eq!(taken.tags, vec!["b2b"]);
    assert_eq!(
        taken.info,
        vec![
            ("city".into(), None, json!("Prague")),
            ("plan".into(), Some(json!("Gold")), json!("Silver")),
        ]
    );
    // A renamed since: the name stays; the phone that came from B goes.
    let mut now = result.clone();
    now.name = Some("Grace H.".into());
    let back = merge.identity_after_undo(&now);
    assert_eq!(back.name.as_deref(), Some("Grace H."));
    assert_eq!(back.phone, None);
    assert_eq!(back.email, None);
}

#[test]
fn a_choice_naming_no_conflict_is_refused() {
    let a = card("a", Some("Grace"), None);
    let b = card("b", Some("Grace"), None);
    assert_eq!(
        plan(a, b, &[("phone", Side::Into)]).unwrap_err().field,
        "choose.phone"
    );
}

#[test]
fn suggestions_need_the_same_phone_or_e_mail() {
    let entry = |phone: Option<&str>, email: Option<&str>| EntryInfo {
        entry_type: crate::EntryType::Chat,
        language: "en".into(),
        browser: String::new(),
        os: String::new(),
        widget: "w".into(),
        page_url: String::new(),
        name: None,
        phone: phone.map(str::to_string),
        email: email.map(str::to_string),
    };
    let a = entry(Some("+49 170 1234567"), None);
    assert_eq!(
        shared_identity(&a, &entry(Some("491701234567"), None)),
        Some("phone")
    );
    assert_eq!(shared_identity(&a, &entry(Some("4917012345"), None)), None);
    let b = entry(None, Some("Grace@Example.com"));
    assert_eq!(
        shared_identity(&b, &entry(None, Some("grace@example.com"))),
        Some("email")
    );
    // Too few digits to be anyone's number.
    assert_eq!(
        shared_identity(&entry(Some("112"), None), &entry(Some("112"), None)),
        None
    );
}
