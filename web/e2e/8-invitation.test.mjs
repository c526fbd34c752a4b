// An admin invites an operator; the link in the mail opens the console,
// which sets the password and signs the new operator in.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE, PASSWORD, withPages } from "./lib.mjs";

const DATA = process.env.SWITCHBOARD_DATA_DIR ?? "";

/** The console link in the newest mail to `to` (quoted-printable undone). */
function linkIn(to) {
  const outbox = join(DATA, "outbox");
  for (const name of readdirSync(outbox).sort().reverse()) {
    const raw = readFileSync(join(outbox, name), "utf8");
    if (!raw.includes(to)) continue;
    const text = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    const link = /https?:\/\/\S+#\/accept-invitation\?token=[A-Za-z0-9_-]+/.exec(text);
    if (link) return link[0];
  }
  return null;
}

test("an invited operator sets a password from the mailed link and is signed in", { skip: !DATA && "SWITCHBOARD_DATA_DIR not set" }, async (t) => {
  const session = await (await fetch(`${BASE}/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "alice@demo.test", password: PASSWORD }),
  })).json();
  const invited = await fetch(`${BASE}/admin/operators`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session.accessToken}` },
    body: JSON.stringify({ email: "carol@demo.test", name: "Carol", roles: ["operator"] }),
  });
  assert.equal(invited.status, 201, await invited.text());
  const link = linkIn("carol@demo.test");
  assert.ok(link, "no invitation mail in the outbox");
  assert.ok(link.startsWith(`${BASE}/console#/accept-invitation?token=`), link);

  await withPages(t, async (open) => {
    const page = await open("console");
    await page.goto(link);
    await page.getByRole("heading", { name: "Welcome to Switchboard" }).waitFor();
    await page.getByLabel(/New password/).fill("a long and quite unguessable passphrase 42");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.getByRole("status").filter({ hasText: "chats" }).waitFor();
    await page.getByText("Carol", { exact: true }).waitFor();
    assert.equal(new URL(page.url()).hash, "", "the token is not left in the address bar");
  });
});
