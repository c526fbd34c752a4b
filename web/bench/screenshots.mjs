// Screenshots of the widget and the console for the docs, against a running
// local stack: `SWITCHBOARD_URL=… SWITCHBOARD_DEMO_PASSWORD=… node bench/screenshots.mjs`.

import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { BASE, launch, signIn, widget } from "../e2e/lib.mjs";

const out = join(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
const browser = await launch();
try {
  const operator = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await signIn(operator, "alice@demo.test");
  const visitor = await (await browser.newContext({ viewport: { width: 900, height: 720 } })).newPage();
  await visitor.goto(`${BASE}/demo/`);
  const w = widget(visitor);
  await w.getByRole("button", { name: "Chat with us" }).click();
  await w.getByLabel("Name (optional)").fill("Grace Hopper");
  await w.getByLabel("Phone (optional)").fill("+49 170 1234567");
  await w.getByRole("button", { name: "Start chat" }).click();
  await w.getByRole("status").filter({ hasText: /queue|next/ }).waitFor();
  await visitor.screenshot({ path: join(out, "widget-waiting.png") });
  await operator.getByRole("button", { name: "Preview Grace Hopper" }).click();
  await operator.getByRole("heading", { name: "Sessions (1)" }).waitFor();
  await operator.screenshot({ path: join(out, "console-preview.png") });
  await operator.locator(".preview").getByRole("button", { name: "Accept" }).click();
  await w.getByRole("heading", { name: "Alice" }).waitFor();
  const say = async (page, box, text) => {
    await box.fill(text);
    await box.press("Enter");
  };
  await say(visitor, w.getByRole("textbox", { name: "Write a message" }), "Hello, my parcel has not arrived.");
  await operator.locator(".log .msg.visitor").first().waitFor();
  await say(operator, operator.getByRole("textbox", { name: "Message", exact: true }), "Sorry about that! Let me book a new delivery slot for you.");
  await operator.getByText("Hero Cards").click();
  await operator.getByLabel("Card to send").selectOption({ label: "Delivery slot (en)" });
  await operator.getByLabel("Address").fill("Main Street 1");
  await operator.getByLabel("Time slot").selectOption("am");
  await operator.getByRole("button", { name: "Send card" }).click();
  await w.locator(".card").getByLabel("Day *").fill("2026-12-24");
  await visitor.screenshot({ path: join(out, "widget-card.png") });
  await w.locator(".card").getByRole("button", { name: "Confirm" }).click();
  await operator.locator(".log .msg.system").filter({ hasText: "Confirmed by the client" }).waitFor();
  await operator.screenshot({ path: join(out, "console-chat.png") });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
}
