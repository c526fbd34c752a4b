//! Operator accounts and logins; sign-in sessions and one-time links; the
//! widget catalogue; the audit log.

use super::*;
use switchboard_app::ports::{AccountStoreError, AuditEntry, Grant, Rotation};

pub fn account(t: &TenantId, id: &str, email: &str) -> Account {
    Account {
        tenant: t.clone(),
        id: op(id),
        email: Email::parse(email).unwrap(),
        name: format!("Name of {id}"),
        roles: vec![Role::Operator],
        enabled: true,
        created_at: Timestamp(T0),
    }
}

pub async fn accounts_and_logins(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    put_tenant(store.as_ref(), &t, 3).await;
    let ann = account(&t, "ann", "ann@example.com");
    store.create_account(&ann).await.unwrap();
    // An e-mail belongs to one account in the whole deployment.
    let clash = account(&other, "zed", "ann@example.com");
    assert!(matches!(
        store.create_account(&clash).await,
        Err(AccountStoreError::DuplicateEmail)
    ));
    assert_eq!(store.account(&other, &op("zed")).await.unwrap(), None);
    // The account brings an offline operator record, so groups can name them.
    let presence = store.operator(&t, &op("ann")).await.unwrap().unwrap();
    assert_eq!(presence.status, OperatorStatus::Offline);
    assert_eq!(
        store.account(&t, &op("ann")).await.unwrap(),
        Some(ann.clone())
    );
    assert_eq!(store.account(&other, &op("ann")).await.unwrap(), None);

    // Logins: no password until one is set; failures counted conditionally.
    let email = ann.email.clone();
    let login = store.login(&email).await.unwrap().unwrap();
    assert_eq!(
        (
            login.operator.clone(),
            login.password_hash.clone(),
            login.failures
        ),
        (op("ann"), None, 0)
    );
    assert!(store.sign_in_failed(&email, 0, None).await.unwrap());
    assert!(
        !store.sign_in_failed(&email, 0, None).await.unwrap(),
        "the count moved"
    );
    let locked = Some(Timestamp(T0 + 30_000));
    assert!(store.sign_in_failed(&email, 1, locked).await.unwrap());
    let login = store.login(&email).await.unwrap().unwrap();
    assert_eq!((login.failures, login.locked_until), (2, locked));
    store.sign_in_succeeded(&email).await.unwrap();
    let login = store.login(&email).await.unwrap().unwrap();
    assert_eq!((login.failures, login.locked_until), (0, None));
    assert!(matches!(
        store.set_password(&email, &op("bob"), "$argon2id$x").await,
        Err(AccountStoreError::NotFound)
    ));
    store
        .set_password(&email, &op("ann"), "$argon2id$x")
        .await
        .unwrap();

    // A new e-mail moves the login with its password; the old one is free.
    let bob = account(&t, "bob", "bob@example.com");
    store.create_account(&bob).await.unwrap();
    let moved = Account {
        email: Email::parse("ann@new.example").unwrap(),
        roles: vec![Role::Operator, Role::Admin],
        ..ann.clone()
    };
    store.update_account(&moved).await.unwrap();
    assert_eq!(store.login(&email).await.unwrap(), None);
    let login = store.login(&moved.email).await.unwrap().unwrap();
    assert_eq!(login.password_hash.as_deref(), Some("$argon2id$x"));
    assert_eq!(
        store.operator(&t, &op("ann")).await.unwrap().unwrap().roles,
        vec![Role::Operator, Role::Admin]
    );
    let taken = Account {
        email: Email::parse("bob@example.com").unwrap(),
        ..moved.clone()
    };
    assert!(matches!(
        store.update_account(&taken).await,
        Err(AccountStoreError::DuplicateEmail)
    ));
    assert_eq!(
        store.account(&t, &op("ann")).await.unwrap(),
        Some(moved.clone())
    );
    assert!(matches!(
        store
            .update_account(&account(&t, "nobody", "n@example.com"))
            .await,
        Err(AccountStoreError::NotFound)
    ));

    // Listing pages by id.
    for i in 0..5 {
        store
            .create_account(&account(
                &t,
                &format!("op{i}"),
                &format!("op{i}@example.com"),
            ))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.accounts(&t, after.as_deref(), 3).await.unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(page.items.iter().map(|a| a.id.to_string()));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ["ann", "bob", "op0", "op1", "op2", "op3", "op4"]);
    assert!(store
        .accounts(&other, None, 10)
        .await
        .unwrap()
        .items
        .is_empty());

    // Deleting: refused while they hold a conversation.
    store
        .operator_connected(
            &t,
            &op("bob"),
            "Bob",
            &[Role::Operator],
            &ConnectionId::parse("c-bob").unwrap(),
            Timestamp(T0),
        )
        .await
        .unwrap();
    assert!(matches!(
        store.delete_account(&other, &op("bob")).await,
        Err(AccountStoreError::NotFound)
    ));
    let gone = store.delete_account(&t, &op("bob")).await.unwrap();
    assert_eq!(gone.id, op("bob"));
    assert_eq!(
        store
            .login(&Email::parse("bob@example.com").unwrap())
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.account(&t, &op("bob")).await.unwrap(), None);
}

fn grant(t: &TenantId, o: &str, family: &str, expires: u64) -> Grant {
    Grant {
        tenant: t.clone(),
        operator: op(o),
        family: family.into(),
        expires_at: Timestamp(expires),
    }
}

pub async fn sessions_and_links(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let now = Timestamp(T0);
    let later = T0 + 3_600_000;
    store
        .start_session("r1", &grant(&t, "ann", "f1", later))
        .await
        .unwrap();
    // Rotation spends the old token.
    match store
        .rotate("r1", "r2", Timestamp(later), now)
        .await
        .unwrap()
    {
        Rotation::Rotated(g) => assert_eq!((g.operator, g.family), (op("ann"), "f1".to_string())),
        other => panic!("{other:?}"),
    }
    match store
        .rotate("r2", "r3", Timestamp(later), now)
        .await
        .unwrap()
    {
        Rotation::Rotated(_) => {}
        other => panic!("{other:?}"),
    }
    // Presenting a spent one is reuse, and ends the family: r3 is dead too.
    assert!(matches!(
        store
            .rotate("r1", "r4", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    assert!(matches!(
        store
            .rotate("r3", "r5", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    assert_eq!(
        store
            .rotate("nope", "r6", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Unknown
    );
    // Expired tokens are unknown.
    store
        .start_session("e1", &grant(&t, "ann", "f2", T0 + 10))
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate("e1", "e2", Timestamp(later), Timestamp(T0 + 10))
            .await
            .unwrap(),
        Rotation::Unknown
    );

    // Racing rotations of one token: exactly one wins.
    store
        .start_session("x1", &grant(&t, "bob", "f3", later))
        .await
        .unwrap();
    let results = join_all((0..6).map(|i| {
        let store = store.clone();
        async move {
            store
                .rotate("x1", &format!("x1-{i}"), Timestamp(later), now)
                .await
                .unwrap()
        }
    }))
    .await;
    let won = results
        .iter()
        .filter(|r| matches!(r, Rotation::Rotated(_)))
        .count();
    assert_eq!(won, 1, "{results:?}");

    // Sign-out ends a family; ending every family of an operator.
    store
        .start_session("s1", &grant(&t, "cy", "f4", later))
        .await
        .unwrap();
    store
        .start_session("s2", &grant(&t, "cy", "f5", later))
        .await
        .unwrap();
    assert_eq!(
        store.end_session("s1").await.unwrap().map(|g| g.family),
        Some("f4".into())
    );
    assert!(matches!(
        store
            .rotate("s1", "s1b", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    store.end_sessions_of(&t, &op("cy")).await.unwrap();
    assert!(matches!(
        store
            .rotate("s2", "s2b", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    assert_eq!(store.end_session("unknown").await.unwrap(), None);

    // One-time links: peeked freely, taken once even under a race.
    let link = OneTimeLink {
        purpose: LinkPurpose::Invitation,
        tenant: t.clone(),
        operator: op("ann"),
        expires_at: Timestamp(later),
    };
    store.put_link("l1", &link).await.unwrap();
    assert_eq!(store.peek_link("l1").await.unwrap(), Some(link.clone()));
    let takes = join_all((0..5).map(|_| {
        let store = store.clone();
        async move { store.take_link("l1").await.unwrap() }
    }))
    .await;
    assert_eq!(takes.iter().filter(|t| t.is_some()).count(), 1);
    assert_eq!(store.peek_link("l1").await.unwrap(), None);
}

pub async fn widget_catalogue(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    let widget = |tenant: &TenantId, id: &str| Widget {
        id: WidgetId::parse(id).unwrap(),
        tenant: tenant.clone(),
        name: format!("Widget {id}"),
        group: None,
        offline_email: None,
        allowed_origins: vec!["https://acme.example".into()],
    };
    for id in ["w-a", "w-b", "w-c"] {
        assert!(store.create_widget(&widget(&t, id)).await.unwrap());
    }
    // Ids are global: another tenant cannot take one.
    assert!(!store.create_widget(&widget(&other, "w-a")).await.unwrap());
    assert!(store.create_widget(&widget(&other, "w-z")).await.unwrap());
    // Widgets created before the catalogue (put_widget) are listed too.
    store.put_widget(&widget(&t, "w-d")).await.unwrap();

    let first = store.widgets(&t, None, 2).await.unwrap();
    let ids: Vec<_> = first.items.iter().map(|w| w.id.to_string()).collect();
    assert_eq!(ids, ["w-a", "w-b"]);
    let rest = store.widgets(&t, first.next.as_deref(), 10).await.unwrap();
    let ids: Vec<_> = rest.items.iter().map(|w| w.id.to_string()).collect();
    assert_eq!(ids, ["w-c", "w-d"]);
    assert_eq!(rest.next, None);

    // Replace and delete only within the tenant.
    let renamed = Widget {
        name: "Renamed".into(),
        ..widget(&t, "w-a")
    };
    assert!(store.replace_widget(&renamed).await.unwrap());
    assert!(!store
        .replace_widget(&Widget {
            tenant: other.clone(),
            ..renamed.clone()
        })
        .await
        .unwrap());
    assert_eq!(
        store.widget(&renamed.id).await.unwrap(),
        Some(renamed.clone())
    );
    assert_eq!(
        store.delete_widget(&other, &renamed.id).await.unwrap(),
        None
    );
    assert_eq!(
        store.delete_widget(&t, &renamed.id).await.unwrap(),
        Some(renamed.clone())
    );
    assert_eq!(store.widget(&renamed.id).await.unwrap(), None);
    assert_eq!(store.widgets(&t, None, 10).await.unwrap().items.len(), 3);
}

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

pub async fn oidc_providers(store: Arc<dyn Store>) {
    let (acme, globex) = (tenant("acme"), tenant("globex"));
    assert_eq!(store.oidc_provider(&acme).await.unwrap(), None);
    let provider = OidcProvider {
        issuer: "https://idp.example".into(),
        client_id: "console".into(),
        jwks_uri: "https://idp.example/jwks".into(),
    };
    store
        .put_oidc_provider(&acme, Some(&provider))
        .await
        .unwrap();
    assert_eq!(
        store.oidc_provider(&acme).await.unwrap(),
        Some(provider.clone())
    );
    assert_eq!(store.oidc_provider(&globex).await.unwrap(), None);
    // It does not show up among the accounts.
    assert!(store
        .accounts(&acme, None, 10)
        .await
        .unwrap()
        .items
        .is_empty());
    store.put_oidc_provider(&acme, None).await.unwrap();
    assert_eq!(store.oidc_provider(&acme).await.unwrap(), None);
}
