//! Text blocks: put, replace, read, page, delete, and the version a search
//! cache checks moving with every change and only then.

use super::*;
use switchboard_domain::workspace::TextBlock;

fn block(t: &TenantId, id: &str, name: &str) -> TextBlock {
    TextBlock {
        id: id.into(),
        tenant: t.clone(),
        language: "de".into(),
        name: name.into(),
        text: format!("Text of {name}, {{contact.name}}"),
        updated_at: Timestamp(T0),
    }
}

pub async fn text_blocks(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    assert_eq!(store.text_blocks_version(&t).await.unwrap(), 0);
    assert_eq!(store.all_text_blocks(&t).await.unwrap(), vec![]);

    let greeting = block(&t, "greeting", "Grüße");
    assert_eq!(store.put_text_block(&greeting).await.unwrap(), None);
    let v1 = store.text_blocks_version(&t).await.unwrap();
    assert!(v1 > 0);
    // Another tenant's block of the same id is its own, and leaves this
    // tenant's version alone.
    store
        .put_text_block(&block(&other, "greeting", "Hello"))
        .await
        .unwrap();
    assert_eq!(store.text_blocks_version(&t).await.unwrap(), v1);

    let mut renamed = greeting.clone();
    renamed.name = "Begrüßung".into();
    assert_eq!(
        store.put_text_block(&renamed).await.unwrap(),
        Some(greeting.clone())
    );
    let v2 = store.text_blocks_version(&t).await.unwrap();
    assert!(v2 > v1);
    assert_eq!(
        store.text_block(&t, "greeting").await.unwrap(),
        Some(renamed.clone())
    );

    for i in 0..5 {
        store
            .put_text_block(&block(&t, &format!("b{i}"), &format!("Block {i}")))
            .await
            .unwrap();
    }
    let first = store.text_blocks(&t, None, 4).await.unwrap();
    let ids: Vec<&str> = first.items.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, vec!["b0", "b1", "b2", "b3"]);
    let rest = store
        .text_blocks(&t, first.next.as_deref(), 4)
        .await
        .unwrap();
    let ids: Vec<&str> = rest.items.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, vec!["b4", "greeting"]);
    assert_eq!(rest.next, None);

    let version = store.text_blocks_version(&t).await.unwrap();
    assert_eq!(store.all_text_blocks(&t).await.unwrap().len(), 6);

    assert_eq!(
        store.delete_text_block(&t, "greeting").await.unwrap(),
        Some(renamed)
    );
    let after_delete = store.text_blocks_version(&t).await.unwrap();
    assert!(after_delete > version);
    // Deleting what is not there changes nothing, the version included.
    assert_eq!(store.delete_text_block(&t, "greeting").await.unwrap(), None);
    assert_eq!(store.text_blocks_version(&t).await.unwrap(), after_delete);
    assert_eq!(store.text_block(&t, "greeting").await.unwrap(), None);
    assert!(store
        .text_block(&other, "greeting")
        .await
        .unwrap()
        .is_some());
}
