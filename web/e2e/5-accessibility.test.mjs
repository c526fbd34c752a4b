// axe-core on the widget and the console's main screens: no serious or
// critical violations. axe is injected as a script, so these contexts
// bypass the pages' Content-Security-Policy (the other tests keep it).

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { BASE, signIn, widget, withPages } from "./lib.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function audit(page, what) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], `${what}: ${JSON.stringify(bad)}`);
}

test("the widget and the console pass axe", async (t) => {
  await withPages(t, async (open) => {
    const operator = await open("console", { bypassCSP: true });
    await operator.goto(`${BASE}/console/`);
    await operator.getByRole("button", { name: "Sign in" }).waitFor();
    await audit(operator, "sign-in");
    await signIn(operator, "alice@demo.test");

    const visitor = await open("widget", { bypassCSP: true });
    await visitor.goto(`${BASE}/demo/`);
    const w = widget(visitor);
    await w.getByRole("button", { name: "Chat with us" }).click();
    await audit(visitor, "widget entry form");
    await w.getByLabel("Name (optional)").fill("Axe Visitor");
    await w.getByRole("button", { name: "Start chat" }).click();
    await operator.locator(".queue li").filter({ hasText: "Axe Visitor" }).waitFor();
    await audit(operator, "queue");
    await operator.getByRole("button", { name: "Preview Axe Visitor" }).click();
    await operator.getByRole("heading", { name: "Sessions (1)" }).waitFor();
    await audit(operator, "preview with the client panel");
    await operator.getByRole("button", { name: "Accept Axe Visitor" }).click();
    await w.getByRole("heading", { name: "Alice" }).waitFor();
    await w.getByRole("textbox", { name: "Write a message" }).fill("Is this accessible?");
    await w.getByRole("textbox", { name: "Write a message" }).press("Enter");
    await operator.locator(".log .msg.visitor").first().waitFor();
    await audit(visitor, "widget chat");
    await audit(operator, "chat");
    await operator.getByText("Hero Cards").click();
    await operator.getByLabel("Card to send").waitFor();
    await audit(operator, "chat with the card toolbar");
    await operator.getByRole("button", { name: "Close chat" }).click();
    await operator.getByRole("button", { name: "Admin" }).click();
    await operator.getByRole("navigation", { name: "Admin" }).getByRole("button", { name: "Widgets", exact: true }).click();
    await operator.getByRole("cell", { name: "demo-widget", exact: true }).waitFor();
    await audit(operator, "admin: widgets");
    await operator.getByRole("navigation", { name: "Admin" }).getByRole("button", { name: "Downloads", exact: true }).click();
    await operator.getByRole("button", { name: "Download" }).first().waitFor();
    await audit(operator, "admin: downloads");
  });
});
