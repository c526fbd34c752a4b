// Desktop notifications: the console notifies of a new waiting chat and of
// a client's message only while its tab is hidden. Headless Chromium can
// neither hide a tab nor show a notification, so the page's
// `document.hidden` and `Notification` are replaced before the console
// loads; everything else (the socket, the events, the console's decision)
// is the real path.

import { test } from "node:test";
import assert from "node:assert/strict";
import { openWidget, signIn, withPages } from "./lib.mjs";

function recordNotifications() {
  let hidden = false;
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => hidden });
  const shown = [];
  class RecordedNotification {
    static permission = "granted";
    static requestPermission() {
      return Promise.resolve("granted");
    }
    constructor(title, options = {}) {
      shown.push({ title, body: options.body ?? "", tag: options.tag ?? "" });
    }
    close() {}
  }
  window.Notification = RecordedNotification;
  window.testNotifications = {
    shown,
    hide(value) {
      hidden = value;
      document.dispatchEvent(new Event("visibilitychange"));
    },
  };
}

async function startChat(visitor, name) {
  const w = await openWidget(visitor);
  await w.getByLabel("Name (optional)").fill(name);
  await w.getByRole("button", { name: "Start chat" }).click();
  await w.getByRole("status").filter({ hasText: /queue|next|shortly/ }).waitFor();
  return w;
}

test("the console notifies of new chats and messages only while hidden", async (t) => {
  await withPages(t, async (open) => {
    const operator = await open("console");
    await operator.addInitScript(recordNotifications);
    await signIn(operator, "alice@demo.test");
    const shown = () => operator.evaluate(() => window.testNotifications.shown);

    // Visible: the queue shows it, and nothing pops up.
    await startChat(await open("visible-visitor"), "Vera Visible");
    await operator.locator(".queue li").filter({ hasText: "Vera Visible" }).waitFor();
    assert.deepEqual(await shown(), []);

    // Hidden: a new waiting chat is announced with the client's name.
    await operator.evaluate(() => window.testNotifications.hide(true));
    const w = await startChat(await open("hidden-visitor"), "Hedy Hidden");
    await operator.waitForFunction(() => window.testNotifications.shown.length === 1);
    assert.deepEqual(await shown(), [{ title: "New chat waiting", body: "Hedy Hidden", tag: "queue" }]);

    // A message in an accepted chat, while hidden.
    await operator.getByRole("button", { name: "Accept Hedy Hidden" }).click();
    await operator.getByRole("heading", { name: "Hedy Hidden" }).waitFor();
    await w.getByRole("heading", { name: "Alice" }).waitFor();
    await w.getByRole("textbox", { name: "Write a message" }).fill("Is my parcel on its way?");
    await w.getByRole("button", { name: "Send" }).click();
    await operator.waitForFunction(() => window.testNotifications.shown.length === 2);
    assert.deepEqual((await shown())[1], { title: "New message", body: "Is my parcel on its way?", tag: "message" });

    // Visible again: the next message shows in the chat only.
    await operator.evaluate(() => window.testNotifications.hide(false));
    await w.getByRole("textbox", { name: "Write a message" }).fill("Thanks!");
    await w.getByRole("button", { name: "Send" }).click();
    await operator.locator(".log").getByText("Thanks!").waitFor();
    assert.equal((await shown()).length, 2);

    await operator.getByRole("button", { name: "Close chat" }).click();
    await w.getByText("The chat has ended.").first().waitFor();
  });
});
