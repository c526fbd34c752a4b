//! Who may accept from a group's queue: the conversations store's accept
//! held to the routing store's groups. A member may; anyone may from the
//! default group; an admin from any; and one addressed to an operator (a
//! transfer, an invitation) is theirs whatever their groups.

use super::routing::{connect, group, waiting_in};
use super::*;

pub async fn accept_needs_membership(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    connect(&*store, &t, &["ann", "bob", "cid"]).await;
    // Cid is an admin (the roles of his latest token).
    store
        .operator_connected(
            &t,
            &op("cid"),
            "cid",
            &[Role::Operator, Role::Admin],
            &ConnectionId::parse("cid-admin-tab").unwrap(),
            Timestamp(T0),
        )
        .await
        .unwrap();
    store
        .put_group(&super::routing::group(
            &t,
            "sales",
            &["bob"],
            RoutingPolicy::Manual,
        ))
        .await
        .unwrap();
    let at = Timestamp(T0 + 1);
    let a = waiting_in(&*store, &t, "a", "sales", T0).await;
    let b = waiting_in(&*store, &t, "b", "sales", T0).await;
    let c = waiting_in(&*store, &t, "c", "sales", T0).await;
    let d = waiting_conversation(&*store, &t, "d", EntryType::Chat, T0).await;

    assert!(matches!(
        store.accept(&t, &a.id, &op("ann"), at).await,
        Err(ConversationError::NotInGroup)
    ));
    assert_eq!(
        store.conversation(&t, &a.id).await.unwrap().unwrap().status,
        ConversationStatus::Waiting,
        "refused, nothing changed"
    );
    assert_eq!(
        store
            .operator(&t, &op("ann"))
            .await
            .unwrap()
            .unwrap()
            .active_chats,
        0
    );
    store.accept(&t, &a.id, &op("bob"), at).await.unwrap();
    store.accept(&t, &b.id, &op("cid"), at).await.unwrap();
    store.accept(&t, &d.id, &op("ann"), at).await.unwrap();
    // An admin assigns to anyone; a transfer addressed to ann is hers.
    store
        .assign_by_admin(&t, &c.id, &op("ann"), &op("cid"), at)
        .await
        .unwrap();
    store
        .transfer(
            &t,
            &c.id,
            &op("ann"),
            &TransferTarget::Operator(op("bob")),
            None,
            at,
        )
        .await
        .unwrap();
    store.accept(&t, &c.id, &op("bob"), at).await.unwrap();
    store
        .transfer(
            &t,
            &c.id,
            &op("bob"),
            &TransferTarget::Operator(op("ann")),
            None,
            at,
        )
        .await
        .unwrap();
    store.accept(&t, &c.id, &op("ann"), at).await.unwrap();

    // Bob leaves sales: he may no longer take from its queue.
    store
        .put_group(&group(&t, "sales", &["cid"], RoutingPolicy::Manual))
        .await
        .unwrap();
    let e = waiting_in(&*store, &t, "e", "sales", T0).await;
    assert!(matches!(
        store.accept(&t, &e.id, &op("bob"), at).await,
        Err(ConversationError::NotInGroup)
    ));
}
