// The operator's own tools, each through the real path: an invitation code
// generated in the console and typed into the widget brings the client
// straight to that operator; an internal note stays inside the console; a
// reloaded console scrolls back through history; and the status switch takes the operator out of routing (away, with nobody
// else online, means the offline form) and back.

import { test } from "node:test";
import assert from "node:assert/strict";
import { frameWaiter, openWidget, signIn, withPages } from "./lib.mjs";

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

    // 3. History scroll-back: after a reload the console holds the newest
    // 50 items; older ones come from `history` on request.
    const input = w.getByRole("textbox", { name: "Write a message" });
    for (let n = 1; n <= 60; n += 1) {
      await input.fill(`line ${n}`);
      await input.press("Enter");
    }
    await bob.locator(".log .msg.visitor").filter({ hasText: /^line 60$/ }).waitFor();
    await bob.reload();
    await bob.locator(".chats").getByRole("button", { name: /Ivy Invited/ }).click();
    await bob.locator(".log .msg.visitor").filter({ hasText: /^line 60$/ }).waitFor();
    assert.equal(await bob.locator(".log .msg.visitor").filter({ hasText: /^line 1$/ }).count(), 0);
    await bob.getByRole("button", { name: "Load older messages" }).click();
    await bob.locator(".log .msg.visitor").filter({ hasText: /^line 1$/ }).waitFor();
    await bob.locator(".log .msg.note").filter({ hasText: "Ivy asked about the invoice twice" }).waitFor();
    const lines = await bob.locator(".log .msg.visitor").allInnerTexts();
    assert.deepEqual(lines.filter((l) => /^line \d+$/.test(l)), Array.from({ length: 60 }, (_, i) => `line ${i + 1}`));
    await bob.getByRole("button", { name: "Close chat" }).click();
    await w.getByText("The chat has ended.").first().waitFor();

    // 4. Away, and nobody else online: a new visitor gets the offline form.
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
