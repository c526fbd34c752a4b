// WhatsApp templates, for a conversation whose 24-hour window has closed:
// the approved templates in the client's language, their placeholders to
// fill, the text the client will read, and send.

import type { EventOf } from "../shared/protocol";
import { el } from "../shared/dom";
import { clientMessageId } from "../shared/timeline";
import type { Desk } from "./desk";

type Template = EventOf<"template.list">["templates"][number];

/** How many `{{n}}` placeholders a component's text has. */
function placeholders(text: string | null | undefined): number {
  let n = 0;
  for (const m of (text ?? "").matchAll(/\{\{(\d+)\}\}/g)) n = Math.max(n, Number(m[1]));
  return n;
}

export function templatePicker(desk: Desk, conversationId: string): HTMLElement {
  const select = el("select", { id: "template-select", "aria-label": "Template to send" });
  const language = el("select", { id: "template-language", "aria-label": "Template language" });
  for (const l of ["", "en", "de", "cs", "ru", "fr", "es"]) language.append(el("option", { value: l }, l || "Client's language"));
  const fields = el("div", { class: "card-fields" });
  const preview = el("p", { class: "template-preview", "aria-live": "polite" });
  const send = el("button", { type: "submit" }, "Send template");
  const box = el(
    "form",
    { class: "templates", "aria-labelledby": "templates-title" },
    el("h3", { id: "templates-title" }, "The 24-hour window is closed: only an approved template reaches the client"),
    el("div", { class: "row" }, select, language),
    fields,
    preview,
    send,
  );
  let templates: Template[] = [];
  let inputs: { part: "header" | "body"; input: HTMLInputElement }[] = [];
  const current = () => templates.find((t) => `${t.name}|${t.language}` === select.value);
  const parameters = () => ({
    header: inputs.filter((i) => i.part === "header").map((i) => i.input.value),
    body: inputs.filter((i) => i.part === "body").map((i) => i.input.value),
  });
  const refresh = async () => {
    const t = current();
    if (!t || inputs.some((i) => !i.input.value.trim())) {
      preview.textContent = "";
      return;
    }
    const answer = await desk.run(() =>
      desk.socket.request("template.preview", { conversationId, name: t.name, language: t.language, parameters: parameters() }, "template.preview"),
    );
    preview.textContent = answer ? answer.text : "";
  };
  const show = () => {
    fields.replaceChildren();
    inputs = [];
    const t = current();
    for (const c of t?.components ?? []) {
      const part = c.type === "HEADER" ? "header" : c.type === "BODY" ? "body" : null;
      if (!part) continue;
      for (let i = 1; i <= placeholders(c.text); i++) {
        const id = `tpl-${part}-${i}`;
        const input = el("input", { id, required: "" });
        input.addEventListener("change", () => void refresh());
        inputs.push({ part, input });
        fields.append(el("label", { for: id }, `${part === "body" ? "Text" : "Header"} {{${i}}}`, input));
      }
    }
    void refresh();
  };
  select.addEventListener("change", show);
  box.addEventListener("submit", (e) => {
    e.preventDefault();
    const t = current();
    if (!t) return;
    const request = { conversationId, clientMessageId: clientMessageId("tpl"), name: t.name, language: t.language, parameters: parameters() };
    void desk.run(() => desk.socket.request("template.send", request, "message.ack")).then((ack) => {
      if (!ack) return;
      desk.windowClosed.delete(conversationId);
      desk.fetchMessage(conversationId, ack.seq);
    });
  });
  const load = async () => {
    const request = language.value ? { conversationId, language: language.value } : { conversationId };
    const answer = await desk.run(() => desk.socket.request("template.list", request, "template.list"));
    templates = answer?.templates ?? [];
    select.replaceChildren(...templates.map((t) => el("option", { value: `${t.name}|${t.language}` }, `${t.name} (${t.language})`)));
    send.disabled = templates.length === 0;
    show();
    if (!templates.length) {
      preview.textContent = "No approved template in this language: try another, or an admin syncs them (Admin → Templates).";
    }
  };
  language.addEventListener("change", () => void load());
  void load();
  return box;
}
