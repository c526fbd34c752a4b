// Run by tests/tests/web_clients.rs against a stack it prepared: a WhatsApp
// client wrote 25 hours ago (the stack's clock moved on), and an approved
// template `ticket_followup` exists. Not matched by `node --test e2e/`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { signIn, withPages } from "../lib.mjs";

test("outside the WhatsApp window the console offers a template, and shows its delivery", async (t) => {
  await withPages(t, async (open) => {
    const page = await open("console");
    await signIn(page, "alice@demo.test");
    const entry = page.locator(".queue li").filter({ has: page.getByRole("img", { name: "WhatsApp" }) });
    await entry.getByRole("button", { name: /^Accept / }).click();
    await page.locator(".chat header").getByRole("img", { name: "WhatsApp" }).waitFor();

    const composer = page.getByRole("textbox", { name: "Message", exact: true });
    await composer.fill("Are you still there?");
    await composer.press("Enter");
    await page.getByRole("heading", { name: /The 24-hour window is closed/ }).waitFor();
    assert.equal(await page.locator(".log .msg.operator").count(), 0, "nothing was stored");

    // The client writes French; the template is English.
    await page.getByText(/No approved template in this language/).waitFor();
    await page.getByLabel("Template language").selectOption("en");
    await page.getByLabel("Template to send").selectOption({ label: "ticket_followup (en)" });
    await page.getByLabel("Text {{1}}").fill("Amélie");
    await page.getByLabel("Text {{1}}").press("Tab");
    await page.getByText("Hi Amélie, your ticket is waiting. Shall we continue?").first().waitFor();
    await page.getByRole("button", { name: "Send template" }).click();
    const sent = page.locator(".log .msg.operator").filter({ hasText: "Hi Amélie, your ticket is waiting" });
    await sent.waitFor();
    // Through the sender to the Graph API: the delivery state follows.
    await sent.filter({ hasText: "sent" }).waitFor();
    await page.getByRole("heading", { name: /The 24-hour window is closed/ }).waitFor({ state: "detached" });
  });
});
