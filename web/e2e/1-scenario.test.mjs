// The whole way through, in two browsers: a visitor on the demo page and an
// operator in the console.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE, signIn, widget, withPages } from "./lib.mjs";

test("a visitor and an operator chat from start to close", async (t) => {
  await withPages(t, async (open) => {
    const operator = await open("console");
    await signIn(operator, "alice@demo.test");
    const visitor = await open("widget");
    // Every frame the widget receives, to prove what it is never told.
    const frames = [];
    visitor.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(String(f.payload))));
    await visitor.goto(`${BASE}/demo/`);
    const w = widget(visitor);

    // 1. The widget starts a chat.
    await w.getByRole("button", { name: "Chat with us" }).click();
    await w.getByLabel("Name (optional)").fill("Grace Hopper");
    await w.getByLabel("Phone (optional)").fill("+49 170 1234567");
    await w.getByRole("button", { name: "Start chat" }).click();
    await w.getByRole("status").filter({ hasText: /queue|next/ }).waitFor();

    // 2. The console shows it with its entry information; preview, accept.
    const entry = operator.locator(".queue li").filter({ hasText: "Grace Hopper" });
    await entry.waitFor();
    await assert.doesNotReject(entry.getByText(/^chat · en · /).waitFor());
    await entry.getByRole("button", { name: "Preview Grace Hopper" }).click();
    await operator.getByRole("heading", { name: "Preview: Grace Hopper" }).waitFor();
    await operator.locator(".facts").getByText("+49 170 1234567").waitFor();
    // The client panel: sessions so far, tags, browsing history.
    await operator.getByRole("heading", { name: "Sessions (1)" }).waitFor();
    await operator.getByRole("complementary", { name: "Client" }).getByRole("heading", { name: "Browsing history" }).waitFor();
    await operator.locator(".preview").getByRole("button", { name: "Accept" }).click();
    await operator.getByRole("heading", { name: "Grace Hopper" }).waitFor();
    await operator.getByRole("status").filter({ hasText: "1 / 3 chats" }).waitFor();
    await w.getByRole("heading", { name: "Alice" }).waitFor();

    // 3. Messages both ways, with typing.
    await w.getByRole("textbox", { name: "Write a message" }).pressSequentially("Hello, my order is late");
    await operator.getByText("The client is typing…").waitFor();
    await w.getByRole("textbox", { name: "Write a message" }).press("Enter");
    await operator.locator(".log .msg.visitor").filter({ hasText: "Hello, my order is late" }).waitFor();
    await operator.getByRole("textbox", { name: "Message", exact: true }).pressSequentially("Let me check that for you");
    await w.getByText("Operator is typing…").waitFor();
    await operator.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await w.locator(".msg.operator").filter({ hasText: "Let me check that for you" }).waitFor();
    await operator.locator(".log .msg.operator").filter({ hasText: "Let me check that for you" }).waitFor();

    // 4. A Hero Card, prefilled and sent; the client edits and confirms; the
    // outcome line on both sides.
    await operator.getByText("Hero Cards").click();
    await operator.getByLabel("Card to send").selectOption({ label: "Delivery slot (en)" });
    await operator.getByLabel("Address").fill("Main Street 1");
    await operator.getByLabel("Time slot").selectOption("am");
    await operator.getByRole("button", { name: "Preview" }).click();
    await operator.locator(".card-preview").getByText("Main Street 1").waitFor();
    await operator.getByRole("button", { name: "Send card" }).click();
    const card = w.locator(".card").filter({ hasText: "Your delivery" });
    await card.getByLabel("Address *").waitFor();
    assert.equal(await card.getByLabel("Address *").inputValue(), "Main Street 1");
    await card.getByLabel("Day *").fill("2026-12-24");
    await card.getByLabel("Address *").fill("Main Street 2");
    await card.getByRole("button", { name: "Confirm" }).click();
    await w.locator(".msg.system").filter({ hasText: "Confirmed by the client" }).waitFor();
    await operator.locator(".log .msg.system").filter({ hasText: "Confirmed by the client" }).waitFor();
    await operator.locator(".log .card").getByText("Main Street 2").waitFor();

    // 5. A transfer to a colleague with a comment the client never sees.
    const colleague = await open("colleague");
    await signIn(colleague, "bob@demo.test");
    await operator.getByRole("button", { name: "Transfer" }).click();
    await operator.getByLabel("A colleague").check();
    await operator.getByPlaceholder("Operator id, e.g. bob").fill("bob");
    await operator.getByLabel(/Comment for the colleague/).fill("VIP customer, refund approved");
    await operator.getByRole("dialog").getByRole("button", { name: "Transfer" }).click();
    await colleague.getByRole("button", { name: /Grace Hopper \(offered\)/ }).click();
    await colleague.getByText("Transferred to you by alice: “VIP customer, refund approved”").waitFor();
    await w.getByText("You are being connected to a colleague.").waitFor();
    await colleague.getByRole("button", { name: "Accept transfer" }).click();
    await w.getByRole("heading", { name: "Bob" }).waitFor();
    await colleague.getByRole("textbox", { name: "Message", exact: true }).fill("Hi, Bob here");
    await colleague.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await w.locator(".msg.operator").filter({ hasText: "Hi, Bob here" }).waitFor();
    assert.ok(!frames.some((f) => f.includes("VIP customer")), "the widget was sent the transfer comment");
    assert.equal(await w.getByText("VIP customer").count(), 0);

    // The transcript as the colleague saves it: both operators' lines and
    // the client's, in order.
    const [saved] = await Promise.all([colleague.waitForEvent("download"), colleague.getByRole("button", { name: "Transcript" }).click()]);
    assert.match(saved.suggestedFilename(), /\.csv$/);
    const csv = readFileSync(await saved.path(), "utf8");
    assert.match(csv, /^\uFEFFtime,author,kind,text\r?\n/);
    const order = ["Hello, my order is late", "Let me check that for you", "Hi, Bob here"].map((t) => csv.indexOf(t));
    assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1])), csv);

    // 6. Closed.
    await colleague.getByRole("button", { name: "Close chat" }).click();
    await w.getByText("The chat has ended.").first().waitFor();
    await colleague.getByText("This chat is closed.").waitFor();
  });
});
