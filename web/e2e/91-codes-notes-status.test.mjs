// The operator's own tools, each through the real path: an invitation code
// generated in the console and typed into the widget brings the client
// straight to that operator; an internal note stays inside the console; and
// the status switch takes the operator out of routing (away, with nobody
// else online, means the offline form) and back.

import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, signIn, widget, withPages } from "./lib.mjs";

/** Resolves when the page's socket receives a frame matching `re` (listen first, then act). */
function frameWaiter(page) {
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

async function openWidget(page) {
  await page.goto(`${BASE}/demo/`);
  const w = widget(page);
  await w.getByRole("button", { name: "Chat with us" }).click();
  return w;
}

test("an invitation code, an internal note and the status switch", async (t) => {
  await withPages(t, async (open) => {
    const bob = await open("console");
    const bobHears = frameWaiter(bob);
    await signIn(bob, "bob@demo.test");

    // 1. A code from the console, typed into the widget.
    await bob.getByRole("button", { name: "Invitation code" }).click();
    const notice = bob.getByRole("status").filter({ hasText: /^Invitation code \d{6}/ });
    await notice.waitFor();
    const code = /Invitation code (\d{6})/.exec(await notice.innerText())?.[1] ?? "";
    const visitor = await open("widget");
    const frames = [];
    visitor.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(String(f.payload))));
    const w = await openWidget(visitor);
    await w.getByLabel("Name (optional)").fill("Ivy Invited");
    await w.getByLabel("Invitation code").fill(code);
    await w.getByRole("button", { name: "Use code" }).click();
    // Straight to bob: in his chats, waiting for him alone, not in any queue.
    await bob.locator(".chats").getByRole("button", { name: /Ivy Invited \(invited\)/ }).click();
    await bob.getByRole("heading", { name: "Ivy Invited" }).waitFor();
    await bob.getByText("The client used your invitation code and waits for you.").waitFor();
    await bob.locator(".offer").getByRole("button", { name: "Accept" }).click();
    await w.getByRole("heading", { name: "Bob" }).waitFor();
    assert.equal(await bob.locator(".queue li").filter({ hasText: "Ivy Invited" }).count(), 0);

    // 2. An internal note: shown to operators, never sent to the client.
    await bob.getByLabel("Internal note").check();
    await bob.getByRole("textbox", { name: "Message", exact: true }).fill("Ivy asked about the invoice twice");
    await bob.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await bob.locator(".log .msg.note").filter({ hasText: "Ivy asked about the invoice twice" }).waitFor();
    await bob.getByRole("textbox", { name: "Message", exact: true }).fill("Hello Ivy");
    await bob.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await w.locator(".msg.operator").filter({ hasText: "Hello Ivy" }).waitFor();
    assert.ok(!frames.some((f) => f.includes("invoice twice")), "the widget was sent the note");
    await bob.getByRole("button", { name: "Close chat" }).click();
    await w.getByText("The chat has ended.").first().waitFor();

    // 3. Away, and nobody else online: a new visitor gets the offline form.
    const away = bobHears(/"event":"operator\.state".*"status":"away"/);
    await bob.getByLabel("Status").selectOption("away");
    await away;
    const late = await openWidget(await open("late-visitor"));
    await late.getByRole("button", { name: "Start chat" }).click();
    await late.getByRole("heading", { name: "We are offline right now" }).waitFor();

    // Online again: the next visitor waits for bob.
    const online = bobHears(/"event":"operator\.state".*"status":"online"/);
    await bob.getByLabel("Status").selectOption("online");
    await online;
    const next = await openWidget(await open("next-visitor"));
    await next.getByLabel("Name (optional)").fill("Nora Next");
    await next.getByRole("button", { name: "Start chat" }).click();
    await next.getByRole("status").filter({ hasText: /queue|next|shortly/ }).waitFor();
    await bob.locator(".queue li").filter({ hasText: "Nora Next" }).waitFor();
  });
});
