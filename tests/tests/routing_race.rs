//! Automatic assignment under everything at once, on both stores: 1,000
//! conversations arriving for 50 operators while triggers are dropped and
//! duplicated at random, operators accept by hand, go away and come back,
//! hand chats back to the queue (transfers to the group), and the tenant
//! raises capacity; several assignment workers run at once,
//! as concurrent Lambda invocations would. Then the sweep, and a steady
//! phase. What must hold:
//! - no conversation is assigned twice;
//! - no operator is ever over capacity (checked while it runs and after);
//! - after the sweep, nothing waits while an eligible operator has room;
//! - under steady load, active chats among eligible operators differ by at most 1.

use async_trait::async_trait;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_app::ports::{AssignBus, BusError, Connection, Principal, StartOutcome};
use switchboard_app::{AdapterSet, Assigner, Store};
use switchboard_domain::*;
use switchboard_embedded::LocalQueue;
use switchboard_tests::fakes::{FixedClock, RecordingChannelBus, RecordingPush, SequentialIds};
use switchboard_tests::stores;
use tokio::sync::{mpsc, Notify, Semaphore};

const OPERATORS: usize = 50;
const CONVERSATIONS: usize = 1000;
/// moto answers a GSI query by walking the whole table in Python, so the
/// DynamoDB run is smaller by default; `SWITCHBOARD_RACE_CONVERSATIONS=1000`
/// runs it at full size, which takes moto far longer than CI allows.
const MOTO_CONVERSATIONS: usize = 150;
const WORKERS: usize = 4;
const T0: u64 = 1_800_000_000_000;

/// An assignment queue that loses and repeats triggers: a third are dropped,
/// a third delivered twice. It counts what is delivered and not yet handled,
/// so the test can wait for the workers to be idle.
struct ChaosBus {
    to_workers: mpsc::UnboundedSender<AssignTrigger>,
    rng: Mutex<StdRng>,
    pending: AtomicUsize,
    idle: Notify,
}

impl ChaosBus {
    fn handled(&self) {
        if self.pending.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    async fn until_idle(&self) {
        loop {
            let idle = self.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if self.pending.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}

#[async_trait]
impl AssignBus for ChaosBus {
    async fn publish_assign(&self, trigger: &AssignTrigger) -> Result<(), BusError> {
        let copies = self.rng.lock().unwrap().random_range(0..3);
        for _ in 0..copies {
            self.pending.fetch_add(1, Ordering::SeqCst);
            let _ = self.to_workers.send(trigger.clone());
        }
        Ok(())
    }
}

fn op(i: usize) -> OperatorId {
    OperatorId::parse(format!("op{i:02}")).unwrap()
}

fn entry() -> EntryInfo {
    EntryInfo {
        entry_type: EntryType::Chat,
        language: "en".into(),
        browser: String::new(),
        os: String::new(),
        widget: String::new(),
        page_url: String::new(),
        name: None,
        phone: None,
        email: None,
    }
}

async fn set_capacity(store: &dyn Store, t: &TenantId, max: u32) {
    store
        .set_tenant_settings(
            t,
            &TenantSettings {
                max_chats: Capacity::new(max).unwrap(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
}

/// Fails the test if any operator holds more than `max` chats right now.
async fn assert_within(store: &dyn Store, t: &TenantId, max: u32) {
    for o in store.routing(t).await.unwrap().operators {
        assert!(
            o.operator.active_chats <= max,
            "{} holds {} chats, capacity {max}",
            o.operator.id,
            o.operator.active_chats
        );
    }
}

async fn race(store: Arc<dyn Store>, conversations: usize) {
    let t = TenantId::parse("acme").unwrap();
    store
        .put_tenant(&Tenant {
            timezone: None,
            id: t.clone(),
            name: "Acme".into(),
            settings: TenantSettings {
                max_chats: Capacity::new(2).unwrap(),
                ..Default::default()
            },
        })
        .await
        .unwrap();
    for i in 0..OPERATORS {
        let tab = ConnectionId::parse(format!("tab{i:02}")).unwrap();
        store
            .operator_connected(
                &t,
                &op(i),
                "Op",
                &[switchboard_domain::Role::Operator],
                &tab,
                Timestamp(T0),
            )
            .await
            .unwrap();
        store
            .register(&Connection {
                id: tab,
                tenant: t.clone(),
                principal: Principal::Operator {
                    id: op(i),
                    name: "Op".into(),
                    roles: vec![Role::Operator],
                },
                connected_at: Timestamp(T0),
                expires_at: Timestamp(T0 + 7_200_000),
                conversation: None,
            })
            .await
            .unwrap();
    }
    store
        .put_group(&Group {
            policy: RoutingPolicy::Auto,
            ..Group::default_for(t.clone())
        })
        .await
        .unwrap();

    let (to_workers, from_bus) = mpsc::unbounded_channel();
    let chaos = Arc::new(ChaosBus {
        to_workers,
        rng: Mutex::new(StdRng::seed_from_u64(7)),
        pending: AtomicUsize::new(0),
        idle: Notify::new(),
    });
    let channel_bus = Arc::new(RecordingChannelBus::default());
    let adapters = AdapterSet::with_store(
        store.clone(),
        Arc::new(LocalQueue::new(Duration::from_secs(30), 5)),
        chaos.clone(),
        channel_bus,
        {
            let (queue, mailer) = switchboard_tests::fakes::mail_ports();
            (
                queue as std::sync::Arc<dyn switchboard_app::ports::MailBus>,
                mailer as std::sync::Arc<dyn switchboard_app::ports::Mailer>,
            )
        },
        Arc::new(RecordingPush::default()),
        Arc::new(FixedClock::at(T0)),
        Arc::new(SequentialIds::default()),
        switchboard_tests::fakes::memory_secrets(),
    );
    let assigner = Assigner::build(&adapters);
    let trigger = |groups: Option<Vec<GroupId>>| AssignTrigger {
        tenant: t.clone(),
        groups,
        at: Timestamp(T0),
    };

    // Up to WORKERS concurrent invocations draining the bus, as Lambda's
    // event source mapping would run them.
    let dispatcher = {
        let (assigner, chaos) = (assigner.clone(), chaos.clone());
        let mut from_bus = from_bus;
        tokio::spawn(async move {
            let slots = Arc::new(Semaphore::new(WORKERS));
            while let Some(trigger) = from_bus.recv().await {
                let slot = slots.clone().acquire_owned().await.unwrap();
                let (assigner, chaos) = (assigner.clone(), chaos.clone());
                tokio::spawn(async move {
                    // A failed pass is retried as SQS would redeliver it; if
                    // it fails again the sweep is what catches it.
                    if assigner.assign(&trigger).await.is_err() {
                        let _ = assigner.assign(&trigger).await;
                    }
                    drop(slot);
                    chaos.handled();
                });
            }
        })
    };

    let done = Arc::new(AtomicBool::new(false));
    let capacity = Arc::new(AtomicU32::new(2));
    let mut chaos_tasks = Vec::new();
    // Operators accepting by hand from the queue.
    for seed in 0..3u64 {
        let (store, t, done) = (store.clone(), t.clone(), done.clone());
        chaos_tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(100 + seed);
            while !done.load(Ordering::Relaxed) {
                let waiting = store
                    .group_queue(&t, &GroupId::default_group(), 20)
                    .await
                    .unwrap();
                if let Some(c) = waiting.get(rng.random_range(0..waiting.len().max(1))) {
                    let who = op(rng.random_range(0..OPERATORS));
                    let _ = store.accept(&t, &c.id, &who, Timestamp(T0)).await;
                }
                // Paced, so the arrivals are not starved of the store.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    // Operators handing chats back to the queue (a transfer to the group),
    // which frees their slot and triggers, as the transfer action does.
    {
        let (store, t, done, chaos) = (store.clone(), t.clone(), done.clone(), chaos.clone());
        chaos_tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(300);
            while !done.load(Ordering::Relaxed) {
                let who = op(rng.random_range(0..OPERATORS));
                let held = store.operator_conversations(&t, &who).await.unwrap();
                if let Some(c) = held.first() {
                    let target = TransferTarget::Group(GroupId::default_group());
                    if store
                        .transfer(&t, &c.id, &who, &target, None, Timestamp(T0))
                        .await
                        .is_ok()
                    {
                        chaos
                            .publish_assign(&AssignTrigger {
                                tenant: t.clone(),
                                groups: None,
                                at: Timestamp(T0),
                            })
                            .await
                            .unwrap();
                    }
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    // Operators going away and coming back (which triggers).
    {
        let (store, t, done, chaos) = (store.clone(), t.clone(), done.clone(), chaos.clone());
        chaos_tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(200);
            while !done.load(Ordering::Relaxed) {
                let who = op(rng.random_range(0..OPERATORS));
                store
                    .set_operator_status(&t, &who, OperatorStatus::Away, Timestamp(T0))
                    .await
                    .unwrap();
                tokio::task::yield_now().await;
                store
                    .set_operator_status(&t, &who, OperatorStatus::Online, Timestamp(T0))
                    .await
                    .unwrap();
                chaos
                    .publish_assign(&AssignTrigger {
                        tenant: t.clone(),
                        groups: None,
                        at: Timestamp(T0),
                    })
                    .await
                    .unwrap();
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    // The tenant raising capacity, and a watcher of every operator's load
    // against it (capacity only rises here, so the current one bounds all).
    {
        let (store, t, done, capacity, chaos) = (
            store.clone(),
            t.clone(),
            done.clone(),
            capacity.clone(),
            chaos.clone(),
        );
        chaos_tasks.push(tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                assert_within(&*store, &t, capacity.load(Ordering::SeqCst)).await;
                let now = capacity.load(Ordering::SeqCst);
                if now < 4 {
                    set_capacity(&*store, &t, now + 1).await;
                    capacity.store(now + 1, Ordering::SeqCst);
                    chaos
                        .publish_assign(&AssignTrigger {
                            tenant: t.clone(),
                            groups: None,
                            at: Timestamp(T0),
                        })
                        .await
                        .unwrap();
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }

    // The arrivals, ten at a time.
    let mut ids = Vec::with_capacity(conversations);
    for chunk in 0..conversations / 10 {
        let mut starts = Vec::new();
        for i in 0..10 {
            let n = chunk * 10 + i;
            let c = Conversation::start(
                ConversationId::parse(format!("c{n:04}")).unwrap(),
                t.clone(),
                VisitorId::parse(format!("v{n:04}")).unwrap(),
                Channel::WebChat,
                entry(),
                Timestamp(T0 + n as u64),
            );
            let (store, chaos, trigger) = (
                store.clone(),
                chaos.clone(),
                trigger(Some(vec![GroupId::default_group()])),
            );
            starts.push(tokio::spawn(async move {
                let started = store.start_conversation(c).await.unwrap();
                assert!(matches!(started, StartOutcome::Created(_)));
                chaos.publish_assign(&trigger).await.unwrap();
                started.conversation().id.clone()
            }));
        }
        for s in starts {
            ids.push(s.await.unwrap());
        }
    }

    done.store(true, Ordering::Relaxed);
    for task in chaos_tasks {
        task.await.unwrap();
    }
    chaos.until_idle().await;
    dispatcher.abort();
    let final_capacity = capacity.load(Ordering::SeqCst);
    assert_within(&*store, &t, final_capacity).await;

    // The sweep catches what dropped triggers left.
    assigner.sweep().await.unwrap();
    let snapshot = store.routing(&t).await.unwrap();
    let waiting = store
        .group_queue(&t, &GroupId::default_group(), 10)
        .await
        .unwrap();
    if !waiting.is_empty() {
        for o in &snapshot.operators {
            assert!(
                o.operator.status != OperatorStatus::Online
                    || o.operator.active_chats >= final_capacity,
                "{} has room while {} wait",
                o.operator.id,
                waiting.len()
            );
        }
    }

    // Nobody assigned twice: in each log an assignment only ever follows
    // the conversation's creation or a transfer away from its holder. And
    // loads agree with the conversations.
    let mut load: HashMap<OperatorId, u32> = HashMap::new();
    let mut handed_back = 0;
    for id in &ids {
        let c = store.conversation(&t, id).await.unwrap().unwrap();
        let mut held = false;
        for e in store.timeline(&t, id).await.unwrap() {
            match e.kind {
                TimelineKind::Assigned { .. } => {
                    assert!(!held, "{id} assigned while held: event {}", e.number);
                    held = true;
                }
                TimelineKind::TransferredToGroup { .. } | TimelineKind::Transferred { .. } => {
                    assert!(held, "{id} transferred while not held");
                    held = false;
                    handed_back += 1;
                }
                _ => {}
            }
        }
        assert_eq!(held, c.status == ConversationStatus::Active, "{id}");
        if c.status == ConversationStatus::Active {
            *load.entry(c.operator.unwrap()).or_default() += 1;
        }
    }
    assert!(handed_back > 0, "the race handed conversations back");
    for o in &snapshot.operators {
        assert_eq!(
            o.operator.active_chats,
            load.get(&o.operator.id).copied().unwrap_or(0),
            "{}'s count disagrees with their conversations",
            o.operator.id
        );
        assert!(o.operator.active_chats <= final_capacity);
    }

    // Steady load: everything closed, then arrivals one at a time, each
    // trigger delivered. Least busy first keeps the spread within one.
    for id in &ids {
        let _ = store.close(&t, id, None, Timestamp(T0 + 1)).await;
    }
    let steady = StdRng::seed_from_u64(9).random_range(60..140);
    for n in 0..steady {
        let c = Conversation::start(
            ConversationId::parse(format!("s{n:04}")).unwrap(),
            t.clone(),
            VisitorId::parse(format!("w{n:04}")).unwrap(),
            Channel::WebChat,
            entry(),
            Timestamp(T0 + 10_000 + n as u64),
        );
        store.start_conversation(c).await.unwrap();
        assigner
            .assign(&trigger(Some(vec![GroupId::default_group()])))
            .await
            .unwrap();
    }
    let loads: Vec<u32> = store
        .routing(&t)
        .await
        .unwrap()
        .operators
        .iter()
        .filter(|o| o.operator.status == OperatorStatus::Online)
        .map(|o| o.operator.active_chats)
        .collect();
    let (min, max) = (*loads.iter().min().unwrap(), *loads.iter().max().unwrap());
    assert!(
        max - min <= 1,
        "steady loads spread {min}..{max}: {loads:?}"
    );
    assert_eq!(loads.iter().sum::<u32>() as usize, steady);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn race_on_the_embedded_store() {
    race(stores::embedded(), CONVERSATIONS).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn race_on_dynamodb() {
    let conversations = std::env::var("SWITCHBOARD_RACE_CONVERSATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(MOTO_CONVERSATIONS);
    race(Arc::new(stores::dynamodb().await), conversations).await;
}
