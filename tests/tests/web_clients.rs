//! The web clients (`web/`): their TypeScript checks in strict mode, the
//! committed bundles in `web/dist` match their sources, and the browser
//! tests in `web/e2e` pass in Debian's Chromium against a fresh local stack.
//! `scripts/test` installs Chromium and `web/node_modules` when missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use switchboard_tests::local;

fn web_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web")
}

fn need_node_modules(web: &Path) {
    assert!(
        web.join("node_modules/playwright-core").is_dir(),
        "web/node_modules is missing: run scripts/test (it runs `npm ci` in web/) or `npm ci --prefix web`"
    );
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    println!("{stdout}");
}

#[test]
fn the_clients_typecheck_and_the_committed_bundles_match_their_sources() {
    let web = web_dir();
    need_node_modules(&web);
    run(
        Command::new("node")
            .arg("node_modules/typescript/bin/tsc")
            .args(["--noEmit", "-p", "."])
            .current_dir(&web),
        "tsc --noEmit (strict)",
    );
    run(
        Command::new("node")
            .args(["build.mjs", "--verify"])
            .current_dir(&web),
        "web/dist is stale; run `npm run build` in web/ and commit web/dist",
    );
}

/// Runs `node --test` on `files` against `stack`; `extra` adds environment.
async fn browser_tests(stack: &switchboard_local::Running, files: &[&str], extra: &[(&str, &str)]) {
    let web = web_dir();
    need_node_modules(&web);
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: scripts/test installs Debian's chromium and chromium-driver"
    );
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    let mut node = tokio::process::Command::new("node");
    node.args(["--test", "--test-concurrency=1"])
        .args(files)
        .current_dir(&web)
        .env("SWITCHBOARD_URL", stack.http_url())
        .env("SWITCHBOARD_DEMO_PASSWORD", &stack.seed.password)
        .env("SWITCHBOARD_SCREENSHOTS", &screenshots)
        .env("CHROMIUM", &chromium)
        .envs(extra.iter().copied())
        .kill_on_drop(true);
    let output = tokio::time::timeout(std::time::Duration::from_secs(600), node.output())
        .await
        .expect("the browser tests finish within ten minutes")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser tests failed (screenshots in {}):\n{stdout}\n{stderr}",
        screenshots.display()
    );
    // An empty run passes too: make sure tests ran.
    let ran = stdout
        .lines()
        .find_map(|l| l.strip_prefix("# pass "))
        .and_then(|n| n.trim().parse::<u32>().ok())
        .unwrap_or(0);
    assert!(ran > 0, "no browser test ran:\n{stdout}");
    println!("{stdout}");
}

/// A WhatsApp client wrote 25 hours ago: the console's reply is refused
/// with `window_closed`, and an approved template goes out instead, through
/// the sender to the (fake) Graph API; its delivery states (sent, then
/// delivered and read from Meta's status webhooks) show as they arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whatsapp_chat_past_its_window_is_answered_with_a_template_in_chromium() {
    use switchboard_tests::channels::config;
    use switchboard_tests::provider::FakeProvider;
    let provider = FakeProvider::start().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as u64;
    // The browser keeps its own time; the stack's moves only when told, so
    // the window can close without waiting a day.
    let clock = std::sync::Arc::new(switchboard_tests::fakes::FixedClock::at(
        now - 25 * 3600 * 1000,
    ));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut options = switchboard_local::Options::new(
        std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    );
    options.channels = Some(config(&provider.base()));
    options.clock = clock.clone();
    options.sweep_every = None;
    let stack = switchboard_local::start(options)
        .await
        .expect("local stack starts");
    let (mut alice, _) = local::operator(&stack, &stack.seed.admin_token).await;
    let saved = alice
        .request(
            serde_json::json!({"action": "template.put", "name": "ticket_followup", "language": "en",
                "category": "UTILITY", "status": "APPROVED", "components": [
                    {"type": "BODY", "text": "Hi {{1}}, your ticket is waiting. Shall we continue?"}]}),
            "template",
        )
        .await;
    assert_eq!(saved["event"], "template.saved", "{saved}");
    let vector = switchboard_tests::channels::Vector::load("003");
    let path = vector.raw["path_hint"].as_str().expect("path").to_string();
    let mut post = reqwest::Client::new()
        .post(format!("{}{path}", stack.http_url()))
        .body(vector.body());
    for (k, v) in vector.headers() {
        post = post.header(k, v);
    }
    let answer = post.send().await.expect("webhook");
    assert_eq!(answer.status(), 200);
    alice
        .expect_where("the WhatsApp client waiting", |e| {
            e["event"] == "queue.updated"
                && switchboard_tests::ws::queue_changes(e)
                    .iter()
                    .any(|c| c["entry"]["conversation"]["channel"] == "whatsapp")
        })
        .await;
    alice.close().await;
    clock.set(now);
    // The browser test posts Meta's status webhooks itself, signed as Meta
    // signs them, for the template it sends: the fake Graph API's first id.
    browser_tests(
        &stack,
        &["e2e/whatsapp/window.mjs"],
        &[
            (
                "META_APP_SECRET",
                switchboard_tests::channels::META_APP_SECRET,
            ),
            (
                "WA_PHONE_NUMBER_ID",
                switchboard_tests::channels::WA_PHONE_NUMBER_ID,
            ),
            ("SENT_WAMID", "wamid.FAKE1"),
        ],
    )
    .await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_tests_pass_in_chromium() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stack = local::start(dir.path()).await;
    // The invitation test reads its mail from the outbox there.
    let data_dir = dir.path().to_string_lossy().to_string();
    browser_tests(&stack, &["e2e/"], &[("SWITCHBOARD_DATA_DIR", &data_dir)]).await;
    stack.stop().await;
}
