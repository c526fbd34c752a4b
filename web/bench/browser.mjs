// The web clients' figures, measured in Debian's Chromium against a running
// local stack (cargo bench -p switchboard-tests --bench web_clients starts
// one and seeds it): the widget's size, the console's first load, rendering
// a conversation of 1,000 messages, and a visitor's send until the console
// shows it. Prints a table.

import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { BASE, launch, signIn, widget } from "../e2e/lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const LONG_CHAT = process.env.SWITCHBOARD_LONG_CHAT ?? "Long Chat";
const ROUNDS = Number(process.env.ROUNDS ?? 50);

function quantiles(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1] };
}

const rows = [];
const row = (what, samples, unit = "ms") => {
  const q = quantiles(samples);
  rows.push([what, q.n, ...[q.p50, q.p95, q.p99, q.max].map((v) => `${v.toFixed(1)} ${unit}`)]);
};

const widgetBytes = readFileSync(join(here, "../dist/widget.js"));
const consoleBytes = readFileSync(join(here, "../dist/console/app.js"));
const gz = (b) => gzipSync(b, { level: 9 }).length;

const browser = await launch();
try {
  // The console's first load: navigation to the sign-in form, then sign-in
  // to the workspace holding its welcome, each in a fresh context (no cache).
  const toForm = [];
  const toWorkspace = [];
  for (let i = 0; i < 10; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${BASE}/console/`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    toForm.push(Date.now() - t0);
    const t1 = Date.now();
    await signIn(page, "bob@demo.test");
    toWorkspace.push(Date.now() - t1);
    await context.close();
  }
  row("console: open to the sign-in form (cold)", toForm);
  row("console: sign-in to the workspace ready", toWorkspace);

  // A conversation of 1,000 messages: open it, then scroll back to the first.
  const operator = await (await browser.newContext()).newPage();
  await signIn(operator, "alice@demo.test");
  const open = [];
  const all = [];
  for (let i = 0; i < 5; i++) {
    await operator.reload();
    await operator.getByRole("status").filter({ hasText: "chats" }).waitFor();
    const t0 = Date.now();
    await operator.getByRole("button", { name: new RegExp(LONG_CHAT) }).click();
    await operator.locator(".log .msg.visitor").nth(49).waitFor();
    open.push(Date.now() - t0);
    const t1 = Date.now();
    while (await operator.getByRole("button", { name: "Load older messages" }).isVisible()) {
      const before = await operator.locator(".log .msg").count();
      await operator.getByRole("button", { name: "Load older messages" }).click();
      await operator.waitForFunction((n) => document.querySelectorAll(".log .msg").length > n, before);
    }
    all.push(Date.now() - t1);
  }
  const shown = await operator.locator(".log .msg.visitor").count();
  row("console: open a chat (newest 50 shown)", open);
  row(`console: scroll back to message 1 (${shown} shown, pages of 100)`, all);

  // One more message into the open 1,000-message chat: the re-render.
  const rerender = [];
  for (let i = 0; i < 20; i++) {
    rerender.push(
      await operator.evaluate(async (text) => {
        const box = document.querySelector("#composer");
        const log = document.querySelector(".log");
        const t0 = performance.now();
        box.value = text;
        box.form.requestSubmit();
        await new Promise((resolve) => {
          const seen = () => [...log.querySelectorAll(".msg.operator:not(.pending)")].some((m) => m.textContent.startsWith(text));
          if (seen()) return resolve();
          new MutationObserver((_, o) => seen() && (o.disconnect(), resolve())).observe(log, { childList: true, subtree: true });
        });
        return performance.now() - t0;
      }, `rerender ${i}`),
    );
  }
  row("console: send in a 1,000-message chat until acknowledged and re-rendered", rerender);

  // A visitor's send until the console shows it (both pages in one browser,
  // so their clocks are one clock).
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${BASE}/demo/`);
  const w = widget(visitor);
  await w.getByRole("button", { name: "Chat with us" }).click();
  await w.getByLabel("Name (optional)").fill("Latency Probe");
  await w.getByRole("button", { name: "Start chat" }).click();
  await operator.getByRole("button", { name: "Accept Latency Probe" }).click();
  await w.getByRole("heading", { name: "Alice" }).waitFor();
  // One observer for the whole run, kept on window so it lives: it notes
  // when each client message first shows in the console.
  await operator.getByRole("heading", { name: "Latency Probe" }).waitFor();
  await operator.evaluate(() => {
    const seen = (window.__seen = new Map());
    const log = document.querySelector("#pane");
    window.__observer = new MutationObserver(() => {
      const at = performance.timeOrigin + performance.now();
      for (const m of log.querySelectorAll(".msg.visitor")) if (!seen.has(m.textContent)) seen.set(m.textContent, at);
    });
    window.__observer.observe(log, { childList: true, subtree: true });
  });
  const latency = [];
  for (let i = 0; i < ROUNDS; i++) {
    const text = `probe ${i} ${Math.random().toString(36).slice(2)}`;
    const sentAt = await visitor.evaluate((t) => {
      const root = document.querySelector("[data-switchboard-widget]").shadowRoot;
      const box = root.querySelector(".composer textarea");
      box.value = t;
      const at = performance.timeOrigin + performance.now();
      box.form.requestSubmit();
      return at;
    }, text);
    await operator.waitForFunction((t) => window.__seen.has(t), text, { polling: "raf" });
    const shownAt = await operator.evaluate((t) => window.__seen.get(t), text);
    latency.push(shownAt - sentAt);
  }
  row("visitor send until the console shows it", latency);
} finally {
  await browser.close();
}

console.log(`| what | n | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|`);
console.log(`| widget.js, gzipped (goal 35 KB) | 1 | ${(gz(widgetBytes) / 1024).toFixed(1)} KB (${(widgetBytes.length / 1024).toFixed(1)} KB raw) | | | |`);
console.log(`| console app.js, gzipped | 1 | ${(gz(consoleBytes) / 1024).toFixed(1)} KB (${(consoleBytes.length / 1024).toFixed(1)} KB raw) | | | |`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
