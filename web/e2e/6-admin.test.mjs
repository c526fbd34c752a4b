// The admin pages: every resource of the admin API from its OpenAPI
// document; a widget created from the console shows its snippet, which on a
// page of its own offers the entries the admin chose, and the audit log
// records it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE, signIn, widget, withPages } from "./lib.mjs";

test("an admin creates a widget, copies its snippet and finds it in the audit log", async (t) => {
  await withPages(t, async (open) => {
    const page = await open("console");
    await signIn(page, "alice@demo.test");
    await page.getByRole("button", { name: "Admin" }).click();
    const nav = page.getByRole("navigation", { name: "Admin" });
    for (const resource of ["Widgets", "Operators", "Groups", "Audit", "Cards", "Text blocks", "Tenant", "Merges", "Channel accounts", "Info fields", "Sla rules", "Templates", "Oidc"]) {
      await nav.getByRole("button", { name: resource, exact: true }).waitFor();
    }
    await nav.getByRole("button", { name: "Widgets", exact: true }).click();
    await page.getByRole("cell", { name: "demo-widget", exact: true }).waitFor();
    await page.getByText("New widgets").click();
    await page.getByLabel("New Widgets as JSON").fill(JSON.stringify({ id: "shop-widget", name: "Shop", entries: ["callback", "invitation"] }));
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("cell", { name: "shop-widget", exact: true }).waitFor();
    const snippet = await page.getByLabel("Snippet for shop-widget").inputValue();
    assert.match(snippet, /^<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-widget-id="shop-widget" async><\/script>$/);

    // The snippet on a shop's page: a callback and a code, nothing else.
    const shop = await open("shop");
    await shop.route(`${BASE}/shop.html`, (route) =>
      route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="en"><title>Shop</title><body>${snippet}</body></html>` }),
    );
    await shop.goto(`${BASE}/shop.html`);
    const w = widget(shop);
    await w.getByRole("button", { name: "Chat with us" }).click();
    const call = w.getByRole("button", { name: "Call me back" });
    await call.waitFor();
    await w.getByRole("button", { name: "Use code" }).waitFor();
    assert.deepEqual(await w.locator("[data-entry]").evaluateAll((bs) => bs.map((b) => b.dataset.entry)), ["callback", "code"]);
    await call.click();
    await w.getByText("Please give a phone number to call you back on.").waitFor();
    await w.getByLabel("Phone (optional)").fill("+420 601 234 567");
    await call.click();
    await w.getByRole("status").filter({ hasText: /queue|next|shortly|Waiting/ }).waitFor();

    // Reports from the downloads page, for today.
    await nav.getByRole("button", { name: "Downloads", exact: true }).click();
    const report = page.getByRole("form", { name: "A report as CSV (RFC 4180, UTF-8 with a byte-order mark)" });
    await report.getByLabel(/^report/).selectOption("kpis");
    const today = new Date().toISOString().slice(0, 10);
    await report.getByLabel(/^from/).fill(today);
    await report.getByLabel(/^to/).fill(today);
    const [saved] = await Promise.all([page.waitForEvent("download"), report.getByRole("button", { name: "Download" }).click()]);
    assert.match(saved.suggestedFilename(), /kpis.*\.csv$/);
    const csv = readFileSync(await saved.path(), "utf8");
    assert.match(csv.split(/\r?\n/)[0] ?? "", /^\uFEFFday,closed,/);
    assert.match(csv, /\r?\ntotal,/);

    await nav.getByRole("button", { name: "Audit", exact: true }).click();
    await page.getByRole("cell", { name: "widget.create", exact: true }).first().waitFor();

    // A singleton is edited as its JSON, and a refusal names the field.
    await nav.getByRole("button", { name: "Tenant", exact: true }).click();
    const json = page.getByRole("textbox", { name: "JSON" });
    await json.waitFor();
    const tenant = JSON.parse(await json.inputValue());
    assert.equal(tenant.id, "demo");
    page.allowed.push(/admin\/tenant.*400|400 \(Bad Request\)/);
    await json.fill("{ not json");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("That is not valid JSON.").waitFor();
  });
});
