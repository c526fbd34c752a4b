//! Channel accounts bound to tenants.

use super::*;

pub async fn channel_bindings(store: Arc<dyn Store>) {
    use switchboard_app::ports::{ChannelAccount, ChannelAccountError};
    let binding = |tenant: &TenantId, id: &str, version: u64| ChannelAccount {
        channel: Channel::WhatsApp,
        account_id: id.into(),
        tenant: tenant.clone(),
        group: None,
        waba_id: Some("waba".into()),
        confirmation: None,
        secrets_version: version,
    };
    let (acme, globex) = (tenant("acme"), tenant("globex"));
    store
        .put_channel_account(&binding(&acme, "111", 1))
        .await
        .unwrap();
    store
        .put_channel_account(&binding(&acme, "222", 1))
        .await
        .unwrap();
    // Rebinding by the same tenant replaces (a rotation); another tenant is refused.
    store
        .put_channel_account(&binding(&acme, "111", 2))
        .await
        .unwrap();
    assert!(matches!(
        store.put_channel_account(&binding(&globex, "111", 3)).await,
        Err(ChannelAccountError::Taken)
    ));
    let all = store.channel_accounts().await.unwrap();
    assert_eq!(
        all,
        vec![binding(&acme, "111", 2), binding(&acme, "222", 1)]
    );
    // Only the tenant's own is deleted.
    assert_eq!(
        store
            .delete_channel_account(&globex, Channel::WhatsApp, "111")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .delete_channel_account(&acme, Channel::WhatsApp, "111")
            .await
            .unwrap(),
        Some(binding(&acme, "111", 2))
    );
    // Unbound, it may be bound by anyone.
    store
        .put_channel_account(&binding(&globex, "111", 4))
        .await
        .unwrap();
    assert_eq!(store.channel_accounts().await.unwrap().len(), 2);
}
