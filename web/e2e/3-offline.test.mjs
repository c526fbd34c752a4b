// With no operator online the widget offers the offline form, which is
// stored and mailed.

import { test } from "node:test";
import { BASE, widget, withPages } from "./lib.mjs";

test("the offline form when no operator is online", async (t) => {
  await withPages(t, async (open) => {
    const visitor = await open("widget", { locale: "de-DE" });
    await visitor.goto(`${BASE}/demo/`);
    const w = widget(visitor);
    await w.getByRole("button", { name: "Chatten Sie mit uns" }).click();
    await w.getByRole("button", { name: "Chat starten" }).click();
    await w.getByRole("heading", { name: "Wir sind gerade nicht erreichbar" }).waitFor();
    await w.getByLabel("Nachricht", { exact: true }).fill("Bitte rufen Sie mich zurück.");
    await w.getByRole("button", { name: "Nachricht senden" }).click();
    await w.getByText("Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer an.").waitFor();
    await w.getByLabel("E-Mail", { exact: true }).fill("ada@example.com");
    await w.getByRole("button", { name: "Nachricht senden" }).click();
    await w.getByText("Danke, wir melden uns bei Ihnen.").waitFor();
  });
});
