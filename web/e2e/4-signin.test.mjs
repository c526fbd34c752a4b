// Sign-in, a wrong password, and sign-out.

import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, PASSWORD, signIn, withPages } from "./lib.mjs";

test("sign-in, a wrong password and sign-out", async (t) => {
  await withPages(t, async (open) => {
    const page = await open("console");
    page.allowed.push(/admin\/session\b.*401|401 \(Unauthorized\).*admin\/session\)/);
    await page.goto(`${BASE}/console/`);
    await page.getByLabel("E-mail").fill("bob@demo.test");
    await page.getByLabel("Password").fill(`${PASSWORD}-wrong`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong e-mail or password." }).waitFor();
    assert.equal(await page.getByLabel("Password").inputValue(), "");

    await signIn(page, "bob@demo.test");
    await page.getByText("Bob").first().waitFor();
    // A reload keeps the tab signed in.
    await page.reload();
    await page.getByRole("status").filter({ hasText: "chats" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    // Signed out for good: a reload does not bring the session back.
    await page.reload();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });
});
