//! Migrations against data written by earlier schemas.

use crate::SqliteStore;
use switchboard_app::ports::{ConversationStore, DirectoryStore};
use switchboard_domain::{Capacity, ConversationId, Tenant, TenantId, TenantSettings, Timestamp};

#[test]
fn migrations_are_valid() {
    assert!(super::all().validate().is_ok());
}

/// A `.data` directory from before migrations: the schema was applied
/// with `execute_batch` and `user_version` stayed 0.
#[tokio::test]
async fn a_database_from_the_previous_schema_opens_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = Tenant {
        timezone: None,
        id: TenantId::parse("old").unwrap(),
        name: "Made before migrations".into(),
        settings: TenantSettings {
            max_chats: Capacity::new(4).unwrap(),
            ..Default::default()
        },
    };
    {
        let conn = rusqlite::Connection::open(dir.path().join("switchboard.db")).unwrap();
        conn.execute_batch(super::V1).unwrap();
        conn.execute(
            "INSERT INTO tenants (id, body) VALUES (?1, ?2)",
            ("old", serde_json::to_string(&tenant).unwrap()),
        )
        .unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 0);
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(
        store.tenant(&tenant.id).await.unwrap(),
        Some(tenant.clone())
    );
    drop(store);
    // A conversation stored before sessions and the log existed.
    {
        let conn = rusqlite::Connection::open(dir.path().join("switchboard.db")).unwrap();
        let body = serde_json::json!({
            "id": "c-old", "tenant": "old", "visitor": "v-old", "channel": "webchat",
            "entry": {"type": "chat", "language": "en", "browser": "", "os": "",
                      "widget": "", "pageUrl": ""},
            "status": "active", "operator": "ann", "createdAt": 1, "enqueuedAt": 2,
            "acceptedAt": 3, "lastSeq": 0
        });
        conn.execute(
            "INSERT INTO conversations (tenant, id, visitor, status, operator, enqueued_at, body)
             VALUES ('old', 'c-old', 'v-old', 'active', 'ann', 2, ?1)",
            [body.to_string()],
        )
        .unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    let old = store
        .conversation(&tenant.id, &ConversationId::parse("c-old").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.sessions.len(), 1);
    assert_eq!(old.sessions[0].accepted_at, Some(Timestamp(3)));
    assert!(store
        .timeline(&tenant.id, &old.id)
        .await
        .unwrap()
        .is_empty());
    drop(store);
    // Opening again runs nothing twice and still finds it.
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.tenant(&tenant.id).await.unwrap(), Some(tenant));
}
