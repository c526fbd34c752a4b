//! Relay under load: the local stack next to a raw WebSocket relay, with the
//! same clients in the same run.
//!
//!     cargo bench -p switchboard-tests --bench relay_load
//!     VISITORS=1000 MESSAGES=20 cargo bench -p switchboard-tests --bench relay_load
//!     ONLY=stack ...   (one side alone, for a profiler)
//!
//! V visitors and V/10 operators (maxChats 10, each holding ten of the
//! conversations). Each visitor sends M messages, one outstanding: the next
//! goes when the operator's socket has received the last (closed loop). The
//! raw relay is tokio-tungstenite forwarding each visitor's frame to its
//! operator's socket and nothing else: no auth, no store, no JSON. Printed:
//! set-up time on the stack, throughput, latency percentiles for both and the
//! ratio, and CPU per relayed message (the whole process, clients included,
//! so compare the two rows rather than read either alone).

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_app::ports::DirectoryStore;
use switchboard_domain::*;
use switchboard_local::{Options, Running};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Mutex};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Sink = futures::stream::SplitSink<Ws, Message>;
type Stream = futures::stream::SplitStream<Ws>;

const CHATS_PER_OPERATOR: usize = 10;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Process CPU time (user + system) so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here;
    // Linux counts them at 100 ticks a second.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

struct Outcome {
    name: &'static str,
    latencies: Vec<Duration>,
    elapsed: Duration,
    cpu: Duration,
}

impl Outcome {
    fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }
}

/// The closed loop: every visitor sends, waits until its operator's socket
/// has the message, sends the next. `route` names the visitor a frame an
/// operator received is from, if it is one of theirs.
async fn drive(
    name: &'static str,
    visitors: Vec<(Sink, Stream)>,
    operators: Vec<Stream>,
    messages: usize,
    frame: impl Fn(usize, usize) -> String + Send + Sync + 'static,
    route: impl Fn(&str) -> Option<usize> + Send + Sync + Copy + 'static,
) -> Outcome {
    let mut arrived: Vec<mpsc::UnboundedReceiver<()>> = Vec::new();
    let mut notify = Vec::new();
    for _ in 0..visitors.len() {
        let (tx, rx) = mpsc::unbounded_channel();
        notify.push(tx);
        arrived.push(rx);
    }
    let notify = Arc::new(notify);
    for mut stream in operators {
        let notify = notify.clone();
        tokio::spawn(async move {
            while let Some(Ok(Message::Text(text))) = stream.next().await {
                if let Some(v) = route(text.as_str()) {
                    let _ = notify[v].send(());
                }
            }
        });
    }
    let frame = Arc::new(frame);
    let cpu_before = cpu_time();
    let started = Instant::now();
    let tasks: Vec<_> = visitors
        .into_iter()
        .zip(arrived)
        .enumerate()
        .map(|(v, ((mut sink, mut own), mut arrived))| {
            let frame = frame.clone();
            tokio::spawn(async move {
                // The visitor's own acknowledgements are read and dropped.
                tokio::spawn(async move { while let Some(Ok(_)) = own.next().await {} });
                let mut latencies = Vec::with_capacity(messages);
                for n in 0..messages {
                    let sent = Instant::now();
                    sink.send(Message::text(frame(v, n))).await.expect("send");
                    arrived.recv().await.expect("relayed");
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.expect("visitor task"));
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    latencies.sort();
    Outcome {
        name,
        latencies,
        elapsed,
        cpu,
    }
}

async fn connect(url: &str) -> Ws {
    tokio_tungstenite::connect_async(url)
        .await
        .expect("connects")
        .0
}

/// Sends `request` and waits for the first event satisfying `done`.
async fn ask(ws: &mut Ws, request: Value, done: impl Fn(&Value) -> bool) -> Value {
    ws.send(Message::text(request.to_string()))
        .await
        .expect("send");
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(t.as_str()).expect("json");
                if done(&v) {
                    return v;
                }
            }
            Some(Ok(_)) => {}
            other => panic!("socket ended: {other:?}"),
        }
    }
}

// ------------------------------------------------------------------- stack

struct StackLoad {
    _dir: tempfile::TempDir,
    _stack: Running,
    visitors: Vec<(Sink, Stream)>,
    operators: Vec<Stream>,
    conversation_of: Arc<HashMap<String, usize>>,
    setup: Duration,
}

async fn stack_setup(visitors: usize) -> StackLoad {
    let dir = tempfile::tempdir().expect("temp dir");
    let stack = switchboard_local::start(quiet_consoles_kept(Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    )))
    .await
    .expect("local stack starts");
    let tenant = stack.seed.tenant.clone();
    stack
        .store
        .set_tenant_settings(
            &tenant,
            &TenantSettings {
                max_chats: Capacity::new(CHATS_PER_OPERATOR as u32).expect("capacity"),
                ..Default::default()
            },
        )
        .await
        .expect("settings");
    let url = stack.ws_url();
    let operator_count = visitors.div_ceil(CHATS_PER_OPERATOR);
    let now = stack.adapters.clock.now();

    let setup_started = Instant::now();
    let mut operators = Vec::with_capacity(operator_count);
    for k in 0..operator_count {
        let token = stack
            .tokens
            .issue_operator(
                &tenant,
                &OperatorId::parse(format!("op{k}")).expect("id"),
                "Operator",
                &[Role::Operator],
                now.plus_seconds(3600),
            )
            .expect("token");
        let mut ws = connect(&format!("{url}?token={token}")).await;
        ask(&mut ws, json!({"action": "hello"}), |e| {
            e["event"] == "welcome"
        })
        .await;
        operators.push(ws);
    }
    let widget = stack.seed.widget.clone();
    let entering = (0..visitors).map(|v| {
        let url = url.clone();
        let widget = widget.clone();
        async move {
            let mut ws = connect(&format!("{url}?widgetId={widget}")).await;
            let started = ask(
                &mut ws,
                json!({"action": "conversation.start", "entry": {
                    "type": "chat", "language": "en", "browser": "Firefox 131", "os": "Linux",
                    "widget": "Website", "pageUrl": "https://shop.example.com/", "name": format!("Visitor {v}")}}),
                |e| e["event"] == "conversation.started",
            )
            .await;
            let id = started["view"]["conversation"]["id"]
                .as_str()
                .expect("conversation id")
                .to_string();
            (ws, id)
        }
    });
    let entered: Vec<(Ws, String)> = futures::future::join_all(entering).await;
    stack.settled().await;
    let setup = setup_started.elapsed();

    let mut conversation_of = HashMap::new();
    let mut visitors_out = Vec::with_capacity(visitors);
    for (v, (ws, id)) in entered.into_iter().enumerate() {
        conversation_of.insert(id.clone(), v);
        let k = v / CHATS_PER_OPERATOR;
        ask(
            &mut operators[k],
            json!({"action": "conversation.accept", "conversationId": id, "requestId": "a"}),
            |e| e["event"] == "conversation.accepted" || e["event"] == "error",
        )
        .await;
        visitors_out.push(ws.split());
    }
    stack.settled().await;
    let operators = operators.into_iter().map(|ws| ws.split().1).collect();
    StackLoad {
        _dir: dir,
        _stack: stack,
        visitors: visitors_out,
        operators,
        conversation_of: Arc::new(conversation_of),
        setup,
    }
}

// ------------------------------------------------------------------- raw relay

/// Forwards "V {v} {n}" from visitor v to operator v/10. A socket says who it
/// is in its first frame: "visitor {v}" or "operator {k}".
async fn raw_relay() -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let operators: Arc<Mutex<HashMap<usize, mpsc::UnboundedSender<Message>>>> = Arc::default();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let operators = operators.clone();
            tokio::spawn(async move {
                let Ok(ws) = tokio_tungstenite::accept_async(tcp).await else {
                    return;
                };
                let (mut sink, mut stream) = ws.split();
                let Some(Ok(Message::Text(hello))) = stream.next().await else {
                    return;
                };
                let mut words = hello.as_str().split_whitespace();
                let (role, index) = (
                    words.next(),
                    words.next().and_then(|i| i.parse::<usize>().ok()),
                );
                match (role, index) {
                    (Some("operator"), Some(k)) => {
                        let (tx, mut rx) = mpsc::unbounded_channel();
                        operators.lock().await.insert(k, tx);
                        let _ = sink.send(Message::text("ready")).await;
                        while let Some(m) = rx.recv().await {
                            if sink.send(m).await.is_err() {
                                return;
                            }
                        }
                    }
                    (Some("visitor"), Some(v)) => {
                        let _ = sink.send(Message::text("ready")).await;
                        let target = operators
                            .lock()
                            .await
                            .get(&(v / CHATS_PER_OPERATOR))
                            .cloned();
                        let Some(target) = target else { return };
                        while let Some(Ok(m)) = stream.next().await {
                            if target.send(m).is_err() {
                                return;
                            }
                        }
                    }
                    _ => {}
                }
            });
        }
    });
    addr
}

async fn raw_clients(addr: SocketAddr, visitors: usize) -> (Vec<(Sink, Stream)>, Vec<Stream>) {
    let url = format!("ws://{addr}/");
    let mut operators = Vec::new();
    for k in 0..visitors.div_ceil(CHATS_PER_OPERATOR) {
        let mut ws = connect(&url).await;
        ws.send(Message::text(format!("operator {k}")))
            .await
            .expect("send");
        ws.next().await;
        operators.push(ws.split().1);
    }
    let mut out = Vec::new();
    for v in 0..visitors {
        let mut ws = connect(&url).await;
        ws.send(Message::text(format!("visitor {v}")))
            .await
            .expect("send");
        ws.next().await;
        out.push(ws.split());
    }
    (out, operators)
}

fn print(rows: &[Outcome], visitors: usize, messages: usize) {
    println!(
        "\nrelay, closed loop: {visitors} visitors, {} operators, {messages} messages each",
        visitors.div_ceil(CHATS_PER_OPERATOR)
    );
    println!(
        "{:<12} {:>10} {:>9} {:>9} {:>9} {:>9} {:>12}",
        "relay", "msg/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "CPU ms/msg"
    );
    for r in rows {
        let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
        println!(
            "{:<12} {:>10.0} {:>9} {:>9} {:>9} {:>9} {:>12.3}",
            r.name,
            r.throughput(),
            ms(r.percentile(0.50)),
            ms(r.percentile(0.95)),
            ms(r.percentile(0.99)),
            ms(*r.latencies.last().expect("samples")),
            r.cpu.as_secs_f64() * 1000.0 / r.latencies.len() as f64,
        );
    }
    if let [raw, stack] = rows {
        println!(
            "stack / raw throughput: {:.1}%",
            100.0 * stack.throughput() / raw.throughput()
        );
    }
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; a filter, if any, is ignored.
    let visitors = env_or("VISITORS", 100);
    let messages = env_or("MESSAGES", 100);
    let only = std::env::var("ONLY").unwrap_or_default();
    let mut rows = Vec::new();

    if only != "stack" {
        let addr = raw_relay().await;
        let (v, o) = raw_clients(addr, visitors).await;
        rows.push(
            drive(
                "raw relay",
                v,
                o,
                messages,
                |v, n| format!("V {v} {n}"),
                |text| text.split_whitespace().nth(1)?.parse().ok(),
            )
            .await,
        );
    }
    if only == "raw" {
        print(&rows, visitors, messages);
        return;
    }

    let load = stack_setup(visitors).await;
    println!(
        "set-up on the local stack: {visitors} visitors waiting and {} operators online in {:.2} s",
        visitors.div_ceil(CHATS_PER_OPERATOR),
        load.setup.as_secs_f64()
    );
    let conversation_of = load.conversation_of.clone();
    let route = move |text: &str| -> Option<usize> {
        // Cheap pre-check: only message events are of interest.
        if !text.contains("\"event\":\"message\"") {
            return None;
        }
        let v: Value = serde_json::from_str(text).ok()?;
        conversation_of
            .get(v["message"]["conversation"].as_str()?)
            .copied()
    };
    let route: &'static (dyn Fn(&str) -> Option<usize> + Send + Sync) = Box::leak(Box::new(route));
    let stack = drive(
        "local stack",
        load.visitors,
        load.operators,
        messages,
        |v, n| {
            json!({"action": "message.send", "clientMessageId": format!("m{v}-{n}"), "text": "How do I return an order?"})
                .to_string()
        },
        move |text| route(text),
    )
    .await;
    rows.push(stack);
    print(&rows, visitors, messages);
}

/// The benchmark's consoles do not ping, and a run can outlast two
/// heartbeats: without the sweep their operators stay online throughout.
fn quiet_consoles_kept(mut options: Options) -> Options {
    options.sweep_every = None;
    options
}
