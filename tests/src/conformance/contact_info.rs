//! Additional information: field definitions per tenant, and a contact's
//! values changed key by key, concurrent edits of different keys all kept.

use super::*;
use serde_json::json;
use switchboard_domain::workspace::{InfoField, InfoKind, InfoValues};

fn field(t: &TenantId, key: &str, kind: InfoKind) -> InfoField {
    InfoField {
        tenant: t.clone(),
        key: key.into(),
        label: key.to_uppercase(),
        kind,
        required: false,
        updated_at: Timestamp(T0),
    }
}

fn values(v: serde_json::Value) -> InfoValues {
    serde_json::from_value(v).unwrap()
}

pub async fn contact_info(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    let plan = field(
        &t,
        "plan",
        InfoKind::Choice {
            options: vec!["Gold".into(), "Silver".into()],
        },
    );
    let age = field(
        &t,
        "age",
        InfoKind::Number {
            min: Some(0.0),
            max: None,
            integer: true,
        },
    );
    assert_eq!(store.put_info_field(&plan).await.unwrap(), None);
    assert_eq!(store.put_info_field(&age).await.unwrap(), None);
    let mut required = plan.clone();
    required.required = true;
    assert_eq!(
        store.put_info_field(&required).await.unwrap(),
        Some(plan.clone())
    );
    assert_eq!(
        store.info_fields(&t).await.unwrap(),
        vec![age.clone(), required.clone()]
    );
    assert!(store.info_fields(&other).await.unwrap().is_empty());

    let v = VisitorId::parse("v-grace").unwrap();
    assert!(store.contact_info(&t, &v).await.unwrap().is_empty());
    let after = store
        .change_contact_info(&t, &v, &values(json!({"plan": "Gold", "age": 42})), &[])
        .await
        .unwrap();
    assert_eq!(after, values(json!({"plan": "Gold", "age": 42})));
    // Concurrent edits of different keys: both survive.
    let (silver, nick) = (
        values(json!({"plan": "Silver"})),
        values(json!({"nick": "G"})),
    );
    let drop_age = ["age".to_string()];
    let (a, b) = tokio::join!(
        store.change_contact_info(&t, &v, &silver, &[]),
        store.change_contact_info(&t, &v, &nick, &drop_age),
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(
        store.contact_info(&t, &v).await.unwrap(),
        values(json!({"plan": "Silver", "nick": "G"}))
    );
    // Nothing to change: the values as they are.
    assert_eq!(
        store
            .change_contact_info(&t, &v, &InfoValues::new(), &[])
            .await
            .unwrap(),
        values(json!({"plan": "Silver", "nick": "G"}))
    );
    assert!(store.contact_info(&other, &v).await.unwrap().is_empty());

    assert_eq!(store.delete_info_field(&t, "age").await.unwrap(), Some(age));
    assert_eq!(store.delete_info_field(&t, "age").await.unwrap(), None);
    assert_eq!(store.info_fields(&t).await.unwrap(), vec![required]);
}
