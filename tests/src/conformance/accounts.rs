//! Operator accounts and their logins, and tenants' identity providers.

use super::*;
use switchboard_app::ports::AccountStoreError;

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
    // An id is one account per tenant; the refused one leaves no login.
    let twin = account(&t, "ann", "ann.twin@example.com");
    assert!(matches!(
        store.create_account(&twin).await,
        Err(AccountStoreError::DuplicateId)
    ));
    assert!(store
        .login(&Email::parse("ann.twin@example.com").unwrap())
        .await
        .unwrap()
        .is_none());
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
    store.update_account(&ann, &moved).await.unwrap();
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
        store.update_account(&moved, &taken).await,
        Err(AccountStoreError::DuplicateEmail)
    ));
    assert_eq!(
        store.account(&t, &op("ann")).await.unwrap(),
        Some(moved.clone())
    );
    // A change read before the e-mail moved is refused whole.
    let stale = Account {
        name: "Stale".into(),
        ..ann.clone()
    };
    assert!(matches!(
        store.update_account(&ann, &stale).await,
        Err(AccountStoreError::NotFound)
    ));
    assert!(matches!(
        store
            .update_account(
                &account(&t, "nobody", "n@example.com"),
                &account(&t, "nobody", "n@example.com")
            )
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
