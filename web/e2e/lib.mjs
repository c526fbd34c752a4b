// Shared by the browser tests: Debian's Chromium driven by playwright-core,
// one fresh profile per browser, every page watched for script errors and
// Content-Security-Policy violations, and a screenshot of each page kept
// when a test fails.

import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const BASE = process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:8787";
export const PASSWORD = process.env.SWITCHBOARD_DEMO_PASSWORD ?? "";
const SHOTS = process.env.SWITCHBOARD_SCREENSHOTS ?? "target/browser-screenshots";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // A page a test serves itself (page.route) has no address, so Chromium
  // counts it as public and would block its sockets to the stack on
  // 127.0.0.1; a shop embedding a deployed widget never meets this.
  "--disable-features=LocalNetworkAccessChecks",
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: FLAGS,
    headless: true,
  });
}

/** A page in a context of its own (its own storage), with its problems recorded. */
export async function openPage(browser, name, options = {}) {
  const context = await browser.newContext({
    locale: options.locale ?? "en-US",
    viewport: { width: 1280, height: 800 },
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  page.problems = [];
  /** Problems a test provokes on purpose (a wrong password's 401). */
  page.allowed = [];
  page.on("pageerror", (e) => page.problems.push(`${name}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket connection to .* failed/.test(m.text())) page.problems.push(`${name}: ${m.text()} (${m.location().url})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) page.problems.push(`${name}: ${r.request().method()} ${r.url()} answered ${r.status()}`);
  });
  page.shotName = name;
  return page;
}

/** Runs `body` with the pages it opens; on failure keeps a screenshot of each. */
export async function withPages(t, body) {
  const browser = await launch();
  const pages = [];
  const open = async (name, options) => {
    const p = await openPage(browser, name, options);
    pages.push(p);
    return p;
  };
  try {
    await body(open);
    for (const p of pages) {
      const problems = p.problems.filter((text) => !p.allowed.some((re) => re.test(text)));
      if (problems.length) throw new Error(`problems in the page: ${problems.join("; ")}`);
    }
  } catch (e) {
    mkdirSync(SHOTS, { recursive: true });
    for (const p of pages) {
      const file = join(SHOTS, `${t.name.replace(/[^a-z0-9]+/gi, "-")}-${p.shotName}.png`);
      await p.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`screenshot: ${file}`);
    }
    throw e;
  } finally {
    await browser.close();
  }
}

export async function signIn(page, email, password = PASSWORD) {
  await page.goto(`${BASE}/console/`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("status").filter({ hasText: "chats" }).waitFor();
}

/** The widget's shadow root is open, so locators pierce it. */
export function widget(page) {
  return page.locator("[data-switchboard-widget]");
}

/** The demo page with its widget opened. */
export async function openWidget(page) {
  await page.goto(`${BASE}/demo/`);
  const w = widget(page);
  await w.getByRole("button", { name: "Chat with us" }).click();
  return w;
}

/**
 * `hears(re)` resolves with the next frame the page's socket receives that
 * matches `re`: ask before acting, so the frame cannot slip past.
 */
export function frameWaiter(page) {
  const waiting = [];
  page.on("websocket", (ws) =>
    ws.on("framereceived", (f) => {
      const text = String(f.payload);
      for (const w of waiting.filter((w) => w.re.test(text))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(text);
      }
    }),
  );
  return (re) => new Promise((resolve) => waiting.push({ re, resolve }));
}
