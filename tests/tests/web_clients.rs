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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_tests_pass_in_chromium() {
    let web = web_dir();
    need_node_modules(&web);
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: scripts/test installs Debian's chromium and chromium-driver"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let stack = local::start(dir.path()).await;
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    let mut node = tokio::process::Command::new("node");
    node.args(["--test", "--test-concurrency=1", "e2e/"])
        .current_dir(&web)
        .env("SWITCHBOARD_URL", stack.http_url())
        .env("SWITCHBOARD_DEMO_PASSWORD", &stack.seed.password)
        .env("SWITCHBOARD_SCREENSHOTS", &screenshots)
        .env("CHROMIUM", &chromium)
        .kill_on_drop(true);
    let output = tokio::time::timeout(std::time::Duration::from_secs(600), node.output())
        .await
        .expect("the browser tests finish within ten minutes")
        .expect("node runs");
    stack.stop().await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser tests failed (screenshots in {}):\n{stdout}\n{stderr}",
        screenshots.display()
    );
    println!("{stdout}");
}
