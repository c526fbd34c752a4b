// Run by tests/tests/web_clients.rs against a stack it prepared: a WhatsApp
// client wrote 25 hours ago (the stack's clock moved on), and an approved
// template `ticket_followup` exists. Not matched by `node --test e2e/`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { BASE, signIn, withPages } from "../lib.mjs";

/** Meta's status webhook for `wamid`, signed with the app secret as Meta signs it. */
async function status(wamid, state, errors) {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "310000000000001", changes: [{ field: "messages", value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "15550100123", phone_number_id: process.env.WA_PHONE_NUMBER_ID },
      statuses: [{ id: wamid, status: state, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: "447700900123", ...(errors ? { errors } : {}) }],
    } }] }],
  });
  const signature = createHmac("sha256", process.env.META_APP_SECRET ?? "").update(body).digest("hex");
  const answer = await fetch(`${BASE}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signature}` },
    body,
  });
  assert.equal(answer.status, 200, await answer.text());
}

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
    // Meta tells how far it got: delivered, then read.
    const wamid = process.env.SENT_WAMID ?? "";
    await status(wamid, "delivered");
    await sent.filter({ hasText: "· delivered" }).waitFor();
    await status(wamid, "read");
    await sent.filter({ hasText: "· read" }).waitFor();

    // A second template that Meta cannot deliver: the reason shows.
    await composer.fill("One more thing");
    await composer.press("Enter");
    await page.getByRole("heading", { name: /The 24-hour window is closed/ }).waitFor();
    await page.getByLabel("Template language").selectOption("en");
    await page.getByLabel("Template to send").selectOption({ label: "ticket_followup (en)" });
    await page.getByLabel("Text {{1}}").fill("Bruno");
    await page.getByLabel("Text {{1}}").press("Tab");
    await page.getByRole("button", { name: "Send template" }).click();
    const second = page.locator(".log .msg.operator").filter({ hasText: "Hi Bruno, your ticket is waiting" });
    await second.filter({ hasText: "· sent" }).waitFor();
    await status(wamid.replace(/\d+$/, (n) => String(Number(n) + 1)), "failed", [
      { code: 131026, title: "Message undeliverable", message: "Message undeliverable", error_data: { details: "The number is not on WhatsApp." } },
    ]);
    await second.filter({ hasText: "· failed: " }).waitFor();
    assert.match(await second.innerText(), /failed: .+/);
    // The first stays read.
    await sent.filter({ hasText: "· read" }).waitFor();
    await page.getByRole("heading", { name: /The 24-hour window is closed/ }).waitFor({ state: "detached" });
  });
});
