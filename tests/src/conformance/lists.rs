//! Conversation progress and lists: open or closed, whose, by progress
//! and channel, newest activity or nearest deadline first, a page at a
//! time, tenants apart.

use super::routing::connect;
use super::*;
use switchboard_domain::workspace::{ListFilter, ListOrder, Progress, Scope, SearchQuery};

async fn started(
    store: &dyn Store,
    t: &TenantId,
    id: &str,
    channel: Channel,
    at: u64,
) -> Conversation {
    let c = Conversation::start(
        ConversationId::parse(id).unwrap(),
        t.clone(),
        VisitorId::parse(format!("vis-{id}")).unwrap(),
        channel,
        entry(EntryType::Chat),
        Timestamp(at),
    );
    store
        .start_conversation(c)
        .await
        .unwrap()
        .conversation()
        .clone()
}

async fn ids(store: &dyn Store, t: &TenantId, filter: &ListFilter) -> Vec<String> {
    store
        .list_conversations(t, filter, None, 50)
        .await
        .unwrap()
        .items
        .iter()
        .map(|c| c.id.to_string())
        .collect()
}

fn list(open: bool, scope: Scope, progress: Option<Progress>) -> ListFilter {
    ListFilter {
        open,
        scope,
        progress,
        channel: None,
        order: ListOrder::Newest,
    }
}

pub async fn conversation_lists(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    put_tenant(&*store, &t, 5).await;
    put_tenant(&*store, &other, 5).await;
    connect(&*store, &t, &["ann"]).await;
    let ann = Scope::Operator(op("ann"));

    let c1 = started(&*store, &t, "c1", Channel::WebChat, T0 + 1).await;
    let c4 = started(&*store, &t, "c4", Channel::WhatsApp, T0 + 2).await;
    let c2 = started(&*store, &t, "c2", Channel::WebChat, T0 + 3).await;
    let c3 = started(&*store, &t, "c3", Channel::WebChat, T0 + 4).await;
    started(&*store, &other, "c1", Channel::WebChat, T0 + 5).await;
    assert_eq!(c1.progress, Progress::Unread);
    for c in [&c2, &c3] {
        store
            .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 10))
            .await
            .unwrap();
    }
    store
        .close(&t, &c3.id, Some(&op("ann")), Timestamp(T0 + 20))
        .await
        .unwrap();

    // Unassigned and open: newest first; one page at a time.
    let unassigned = list(true, Scope::Unassigned, None);
    assert_eq!(ids(&*store, &t, &unassigned).await, vec!["c4", "c1"]);
    let first = store
        .list_conversations(&t, &unassigned, None, 1)
        .await
        .unwrap();
    assert_eq!(first.items[0].id, c4.id);
    let rest = store
        .list_conversations(&t, &unassigned, first.next.as_deref(), 1)
        .await
        .unwrap();
    assert_eq!((rest.items[0].id.as_str(), rest.next), ("c1", None));
    let mut whatsapp = unassigned.clone();
    whatsapp.channel = Some(Channel::WhatsApp);
    assert_eq!(ids(&*store, &t, &whatsapp).await, vec!["c4"]);
    assert_eq!(
        ids(&*store, &t, &list(true, ann.clone(), None)).await,
        vec!["c2"]
    );
    assert_eq!(
        ids(&*store, &t, &list(false, ann.clone(), None)).await,
        vec!["c3"]
    );
    assert!(ids(&*store, &t, &list(false, Scope::Unassigned, None))
        .await
        .is_empty());

    // Progress: set by an operator, back to unread by the client's message;
    // the message also moves the conversation to the top.
    let done = store
        .set_progress(&t, &c1.id, Progress::Done)
        .await
        .unwrap();
    assert_eq!(done.progress, Progress::Done);
    assert_eq!(
        ids(
            &*store,
            &t,
            &list(true, Scope::Unassigned, Some(Progress::Done))
        )
        .await,
        vec!["c1"]
    );
    assert_eq!(
        ids(
            &*store,
            &t,
            &list(true, Scope::Unassigned, Some(Progress::Unread))
        )
        .await,
        vec!["c4"]
    );
    let hello = NewMessage::text(
        ClientMessageId::parse("m1").unwrap(),
        Author::Visitor(c1.visitor.clone()),
        MessageText::parse("still there?").unwrap(),
        Timestamp(T0 + 30),
    );
    append(&*store, &t, &c1.id, hello).await.unwrap();
    let read = store.conversation(&t, &c1.id).await.unwrap().unwrap();
    assert_eq!(
        (read.progress, read.last_activity_at),
        (Progress::Unread, Timestamp(T0 + 30))
    );
    assert_eq!(ids(&*store, &t, &unassigned).await, vec!["c1", "c4"]);
    // An operator's message moves it without making it unread.
    store
        .set_progress(&t, &c2.id, Progress::Unresolved)
        .await
        .unwrap();
    let reply = NewMessage::text(
        ClientMessageId::parse("o1").unwrap(),
        Author::Operator(op("ann")),
        MessageText::parse("on it").unwrap(),
        Timestamp(T0 + 40),
    );
    append(&*store, &t, &c2.id, reply).await.unwrap();
    let read = store.conversation(&t, &c2.id).await.unwrap().unwrap();
    assert_eq!(read.progress, Progress::Unresolved);

    // Nearest deadline first, those without one last.
    let sla = |deadline: u64| Sla {
        priority: Priority::High,
        deadline: Some(Timestamp(deadline)),
        rule: "r".into(),
    };
    let c4_now = store.conversation(&t, &c4.id).await.unwrap().unwrap();
    assert!(store.set_sla(&c4_now, &sla(T0 + 500)).await.unwrap());
    let mut by_deadline = unassigned.clone();
    by_deadline.order = ListOrder::SlaDeadline;
    assert_eq!(ids(&*store, &t, &by_deadline).await, vec!["c4", "c1"]);
    let first = store
        .list_conversations(&t, &by_deadline, None, 1)
        .await
        .unwrap();
    let rest = store
        .list_conversations(&t, &by_deadline, first.next.as_deref(), 1)
        .await
        .unwrap();
    assert_eq!(rest.items[0].id, c1.id);

    // Reopened by the client: open, nobody's, unread.
    store
        .set_progress(&t, &c3.id, Progress::Done)
        .await
        .unwrap();
    let again = Conversation::start(
        ConversationId::parse("c3-new").unwrap(),
        t.clone(),
        c3.visitor.clone(),
        Channel::WebChat,
        entry(EntryType::Chat),
        Timestamp(T0 + 50),
    );
    match store.start_conversation(again).await.unwrap() {
        StartOutcome::Reopened(c) => {
            assert_eq!((c.id.as_str(), c.progress), ("c3", Progress::Unread))
        }
        other => panic!("expected a reopen, got {other:?}"),
    }
    assert!(ids(&*store, &t, &list(false, ann.clone(), None))
        .await
        .is_empty());
    assert!(ids(&*store, &t, &unassigned)
        .await
        .contains(&"c3".to_string()));
    assert!(matches!(
        store
            .set_progress(&t, &ConversationId::parse("nope").unwrap(), Progress::Done)
            .await,
        Err(ConversationError::NotFound)
    ));
    assert_eq!(ids(&*store, &other, &unassigned).await, vec!["c1"]);
}

pub async fn conversation_search(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    put_tenant(&*store, &t, 5).await;
    let person = |id: &str, name: &str, phone: Option<&str>, at: u64| {
        let mut e = entry(EntryType::Chat);
        e.name = Some(name.into());
        e.phone = phone.map(str::to_string);
        Conversation::start(
            ConversationId::parse(id).unwrap(),
            t.clone(),
            VisitorId::parse(format!("vis-{id}")).unwrap(),
            Channel::WebChat,
            e,
            Timestamp(at),
        )
    };
    for c in [
        person("c1", "Zoë Müller", Some("+49 170 1234567"), T0 + 1),
        person("c2", "Zoe Mulligan", None, T0 + 2),
        person("c3", "Hugo Zorn", Some("+33 6 12 34 56 78"), T0 + 3),
    ] {
        store.start_conversation(c).await.unwrap();
    }
    let mut theirs = person("c9", "Zoe Other", None, T0 + 4);
    theirs.tenant = other.clone();
    store.start_conversation(theirs).await.unwrap();

    let found = |q: &str| {
        let store = store.clone();
        let t = t.clone();
        let query = SearchQuery::parse(q).unwrap();
        async move {
            store
                .search_conversations(&t, &query, 10)
                .await
                .unwrap()
                .iter()
                .map(|c| c.id.to_string())
                .collect::<Vec<_>>()
        }
    };
    // Any word's prefix, case and accents ignored, newest first.
    assert_eq!(found("zoe").await, vec!["c2", "c1"]);
    assert_eq!(found("MÜL zo").await, vec!["c2", "c1"]);
    assert_eq!(found("mull").await, vec!["c2", "c1"]);
    assert_eq!(found("mulli").await, vec!["c2"]);
    assert_eq!(found("zor").await, vec!["c3"]);
    assert_eq!(found("+49 170").await, vec!["c1"]);
    assert_eq!(found("3361234").await, vec!["c3"]);
    assert!(found("xavier").await.is_empty());

    // Reopened with a new name: found by it too.
    store
        .close(
            &t,
            &ConversationId::parse("c3").unwrap(),
            None,
            Timestamp(T0 + 10),
        )
        .await
        .unwrap();
    let mut again = person("c3b", "Hugo Zimmermann", None, T0 + 20);
    again.visitor = VisitorId::parse("vis-c3").unwrap();
    store.start_conversation(again).await.unwrap();
    assert_eq!(found("zimm").await, vec!["c3"]);
}

pub async fn conversation_tags(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 5).await;
    let c = started(&*store, &t, "c1", Channel::WebChat, T0).await;
    let tags = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        store
            .tag_conversation(&t, &c.id, &tags(&["refund", "vip"]), &[])
            .await
            .unwrap(),
        tags(&["refund", "vip"])
    );
    // Removals first, then additions; a tag twice is there once.
    assert_eq!(
        store
            .tag_conversation(&t, &c.id, &tags(&["billing", "vip"]), &tags(&["refund"]))
            .await
            .unwrap(),
        tags(&["billing", "vip"])
    );
    let read = store.conversation(&t, &c.id).await.unwrap().unwrap();
    assert_eq!(read.tags, tags(&["billing", "vip"]));
    // Lifecycle writes keep them.
    connect(&*store, &t, &["ann"]).await;
    store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 1))
        .await
        .unwrap();
    let read = store.conversation(&t, &c.id).await.unwrap().unwrap();
    assert_eq!(read.tags, tags(&["billing", "vip"]));
    assert!(matches!(
        store
            .tag_conversation(
                &t,
                &ConversationId::parse("nope").unwrap(),
                &tags(&["x"]),
                &[]
            )
            .await,
        Err(ConversationError::NotFound)
    ));
}
