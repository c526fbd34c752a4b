// The widget across a reload and a dropped connection: every message shows
// once on each side, none lost, none twice.

import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, signIn, widget, withPages } from "./lib.mjs";

async function countOf(locator, text) {
  return locator.filter({ hasText: new RegExp(`^${text}$`) }).count();
}

test("a reload and a network drop lose and duplicate nothing", async (t) => {
  await withPages(t, async (open) => {
    const operator = await open("console");
    await signIn(operator, "alice@demo.test");
    const visitor = await open("widget");
    await visitor.goto(`${BASE}/demo/`);
    let w = widget(visitor);
    await w.getByRole("button", { name: "Chat with us" }).click();
    await w.getByLabel("Name (optional)").fill("Ada Reload");
    await w.getByRole("button", { name: "Start chat" }).click();
    await operator.locator(".queue li").filter({ hasText: "Ada Reload" }).getByRole("button", { name: "Accept Ada Reload" }).click();
    await w.getByRole("heading", { name: "Alice" }).waitFor();
    const composer = () => w.getByRole("textbox", { name: "Write a message" });
    const console_ = () => operator.getByRole("textbox", { name: "Message", exact: true });

    await composer().fill("one");
    await composer().press("Enter");
    await operator.locator(".log .msg.visitor").filter({ hasText: /^one$/ }).waitFor();

    // A reload: the widget comes back with its token and its history.
    await visitor.reload();
    w = widget(visitor);
    await w.getByRole("button", { name: "Chat with us" }).click();
    await w.locator(".msg.visitor").filter({ hasText: /^one$/ }).waitFor();
    await composer().fill("two");
    await composer().press("Enter");
    await operator.locator(".log .msg.visitor").filter({ hasText: /^two$/ }).waitFor();

    // A drop: the visitor writes while cut off, the operator writes too.
    await visitor.evaluate(() => window.switchboardWidget.drop());
    await composer().fill("three, written offline");
    await composer().press("Enter");
    await console_().fill("four, while you were away");
    await console_().press("Enter");
    await operator.locator(".log .msg.visitor").filter({ hasText: /^three, written offline$/ }).waitFor();
    await w.locator(".msg.operator").filter({ hasText: /^four, while you were away$/ }).waitFor();
    await w.locator(".msg.visitor.pending").waitFor({ state: "detached" });

    for (const text of ["one", "two", "three, written offline"]) {
      assert.equal(await countOf(w.locator(".msg.visitor"), text), 1, `widget: ${text}`);
      assert.equal(await countOf(operator.locator(".log .msg.visitor"), text), 1, `console: ${text}`);
    }
    assert.equal(await countOf(w.locator(".msg.operator"), "four, while you were away"), 1);

    // Both sides show the stored order (the message written offline was
    // stored when the widget reconnected, after the operator's).
    const seen = await w.locator(".msg.visitor, .msg.operator").allTextContents();
    const stored = await operator.locator(".log .msg.visitor, .log .msg.operator").allTextContents();
    assert.deepEqual(seen, stored);
    assert.equal(seen.length, 4);
    await operator.getByRole("button", { name: "Close chat" }).click();
    await w.getByText("The chat has ended.").first().waitFor();
  });
});

test("a visitor token past its expiry is dropped, not retried forever", async (t) => {
  await withPages(t, async (open) => {
    const visitor = await open("widget");
    const payload = Buffer.from(JSON.stringify({ sub: "vis_old", exp: 1 })).toString("base64url");
    await visitor.addInitScript((token) => localStorage.setItem("switchboard:demo-widget:visitorToken", token), `eyJhbGciOiJIUzI1NiJ9.${payload}.sig`);
    await visitor.goto(`${BASE}/demo/`);
    const w = widget(visitor);
    await w.getByRole("button", { name: "Chat with us" }).click();
    await w.getByRole("button", { name: "Start chat" }).waitFor();
    // A fresh visitor: the new token replaced the expired one.
    await visitor.waitForFunction(() => !(localStorage.getItem("switchboard:demo-widget:visitorToken") ?? "").endsWith(".sig"));
  });
});
