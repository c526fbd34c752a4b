//! SLA order in a group's queue, the rules and handling times the routing
//! read returns, and the load estimates were last told with.

use super::*;
use switchboard_domain::estimate::GroupLoad;

fn urgent(deadline: Option<u64>) -> Sla {
    Sla {
        priority: Priority::Urgent,
        deadline: deadline.map(Timestamp),
        rule: "vip".into(),
    }
}

pub async fn sla_order(store: Arc<dyn Store>) {
    let t = tenant("t-sla");
    put_tenant(&*store, &t, 3).await;
    let first = waiting_in(&*store, &t, "c-first", "default", T0).await;
    let second = waiting_in(&*store, &t, "c-second", "default", T0 + 1).await;
    let third = waiting_in(&*store, &t, "c-third", "default", T0 + 2).await;
    let order = |q: Vec<Conversation>| q.into_iter().map(|c| c.id.to_string()).collect::<Vec<_>>();
    let default = GroupId::default_group();

    // The last to arrive is urgent: it goes first, the rest keep their order.
    assert!(store
        .set_sla(&third, &urgent(Some(T0 + 60_000)))
        .await
        .unwrap());
    assert_eq!(
        order(store.group_queue(&t, &default, 10).await.unwrap()),
        ["c-third", "c-first", "c-second"]
    );
    assert_eq!(store.queue_position(&third).await.unwrap(), Some(1));
    assert_eq!(store.queue_position(&second).await.unwrap(), Some(3));
    let read = store.conversation(&t, &third.id).await.unwrap().unwrap();
    assert_eq!(read.sla, Some(urgent(Some(T0 + 60_000))));
    let queue = store.waiting_queue(&t, &default, &[]).await.unwrap();
    assert_eq!(order(queue.waiting), ["c-third", "c-first", "c-second"]);

    // Urgent with the sooner deadline goes before urgent with none.
    assert!(store.set_sla(&second, &urgent(None)).await.unwrap());
    assert!(store
        .set_sla(&first, &urgent(Some(T0 + 30_000)))
        .await
        .unwrap());
    assert_eq!(
        order(store.group_queue(&t, &default, 10).await.unwrap()),
        ["c-first", "c-third", "c-second"]
    );

    // One that moved on since it was seen is left alone.
    connect(&*store, &t, &["ann"]).await;
    store
        .accept(&t, &first.id, &op("ann"), Timestamp(T0 + 5))
        .await
        .unwrap();
    assert!(!store.set_sla(&first, &urgent(None)).await.unwrap());
    let mut stale = third.clone();
    stale.enqueued_at = Timestamp(T0 - 1);
    assert!(!store.set_sla(&stale, &urgent(None)).await.unwrap());
    // The accepted one keeps its SLA, for its deadline to be checked.
    let accepted = store.conversation(&t, &first.id).await.unwrap().unwrap();
    assert_eq!(accepted.sla, Some(urgent(Some(T0 + 30_000))));
}

pub async fn routing_rules_and_handling_times(store: Arc<dyn Store>) {
    let t = tenant("t-handling");
    put_tenant(&*store, &t, 3).await;
    connect(&*store, &t, &["ann"]).await;
    let rules = vec![SlaRule {
        name: "WhatsApp first".into(),
        when: SlaCondition {
            channel: Some(Channel::WhatsApp),
            ..Default::default()
        },
        priority: Priority::High,
        first_response_seconds: Some(120),
    }];
    store.put_sla_rules(&t, &rules).await.unwrap();

    let c = waiting_in(&*store, &t, "c-handled", "default", T0).await;
    store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 1_000))
        .await
        .unwrap();
    store
        .close(&t, &c.id, Some(&op("ann")), Timestamp(T0 + 241_000))
        .await
        .unwrap();
    // A waiting one closed by its client took no handling.
    let d = waiting_in(&*store, &t, "c-abandoned", "default", T0).await;
    store
        .close(&t, &d.id, None, Timestamp(T0 + 5_000))
        .await
        .unwrap();

    let load = GroupLoad { slots: 3, free: 2 };
    store
        .announce_load(&t, &GroupId::default_group(), load)
        .await
        .unwrap();

    let snapshot = store.routing(&t).await.unwrap();
    assert_eq!(snapshot.sla_rules, rules);
    let handled: Vec<_> = snapshot
        .handling
        .iter()
        .map(|b| (b.group.to_string(), b.total_millis, b.chats))
        .collect();
    assert_eq!(handled, [("default".to_string(), 240_000, 1)]);
    assert_eq!(snapshot.announced, vec![(GroupId::default_group(), load)]);
    // Replacing the rules replaces them all.
    store.put_sla_rules(&t, &[]).await.unwrap();
    assert!(store.routing(&t).await.unwrap().sla_rules.is_empty());
}
