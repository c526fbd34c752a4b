//! The audit log, newest first, per tenant.

use super::*;
use switchboard_app::ports::AuditEntry;

pub async fn audit_log(store: Arc<dyn Store>) {
    let t = tenant("acme");
    for i in 0..5u64 {
        store
            .record(&AuditEntry {
                tenant: t.clone(),
                id: format!("audit_{i:03}"),
                at: Timestamp(T0 + i),
                actor: Some(op("ann")),
                action: "widget.update".into(),
                target: "w".into(),
                before: Some(serde_json::json!({"name": i})),
                after: None,
            })
            .await
            .unwrap();
    }
    let first = store.audit_entries(&t, None, 3).await.unwrap();
    let ids: Vec<_> = first.items.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, ["audit_004", "audit_003", "audit_002"], "newest first");
    let rest = store
        .audit_entries(&t, first.next.as_deref(), 3)
        .await
        .unwrap();
    let ids: Vec<_> = rest.items.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, ["audit_001", "audit_000"]);
    assert_eq!(rest.items[0].before, Some(serde_json::json!({"name": 1})));
    assert!(store
        .audit_entries(&tenant("globex"), None, 3)
        .await
        .unwrap()
        .items
        .is_empty());
}
