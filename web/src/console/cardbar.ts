// The Hero Card toolbar of an open chat: the cards of the conversation's
// channel type in the client's language (or another, by the switch), a
// prefill form, a preview as the client will see it, and send.

import type { CardDefinition, CardView } from "../shared/protocol";
import { el } from "../shared/dom";
import { clientMessageId } from "../shared/timeline";
import type { Desk } from "./desk";

const LANGUAGES = ["", "en", "cs", "de", "ru"];

export function cardBar(desk: Desk, conversationId: string): HTMLElement {
  const cardSelect = el("select", { id: "card-select", "aria-label": "Card to send" });
  const language = el("select", { id: "card-language", "aria-label": "Card language" });
  for (const l of LANGUAGES) language.append(el("option", { value: l }, l === "" ? "Client's language" : l));
  const fields = el("div", { class: "card-fields" });
  const preview = el("div", { class: "card-preview", "aria-live": "polite" });
  const previewButton = el("button", { type: "button", class: "secondary" }, "Preview");
  const send = el("button", { type: "submit" }, "Send card");
  const form = el("form", { class: "cardbar", "aria-label": "Hero Cards" },
    el("div", { class: "row" }, cardSelect, language), fields, el("div", { class: "row" }, previewButton, send), preview);
  let cards: CardDefinition[] = [];
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();

  const current = () => cards.find((c) => c.id === cardSelect.value);
  const values = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const card = current();
    for (const f of card?.fields ?? []) {
      const input = inputs.get(f.id);
      if (!input || input.value === "") continue;
      if (f.type === "number") out[f.id] = Number(input.value);
      else if (f.type === "yes_no") out[f.id] = input.value === "yes";
      else out[f.id] = input.value;
    }
    return out;
  };
  const showFields = () => {
    fields.replaceChildren();
    inputs.clear();
    const card = current();
    card?.fields.forEach((f, i) => {
      const id = `prefill-${i}`;
      let input: HTMLInputElement | HTMLSelectElement;
      if (f.type === "choice" || f.type === "yes_no") {
        input = el("select", { id });
        input.append(el("option", { value: "" }, "—"));
        const options = f.type === "yes_no" ? [{ id: "yes", label: "Yes" }, { id: "no", label: "No" }] : (f.options ?? []);
        for (const o of options) input.append(el("option", { value: o.id }, o.label));
      } else {
        input = el("input", { id, type: f.type === "number" ? "number" : f.type === "date" ? "date" : f.type === "time" ? "time" : "text" });
      }
      inputs.set(f.id, input);
      fields.append(el("label", { for: id }, f.label, input));
    });
    preview.replaceChildren();
  };
  const load = async () => {
    const request: Record<string, unknown> = { conversationId };
    if (language.value) request.language = language.value;
    const answer = await desk.run(() => desk.socket.request("card.list", request, "card.list"));
    cards = answer?.cards ?? [];
    cardSelect.replaceChildren(...cards.map((c) => el("option", { value: c.id }, `${c.name} (${c.language})`)));
    send.disabled = cards.length === 0;
    previewButton.disabled = cards.length === 0;
    showFields();
  };
  cardSelect.addEventListener("change", showFields);
  language.addEventListener("change", () => void load());
  previewButton.addEventListener("click", () => {
    const card = current();
    if (!card) return;
    void desk
      .run(() => desk.socket.request("card.preview", { cardId: card.id, conversationId, values: values() }, "card.preview"))
      .then((answer) => {
        if (answer) preview.replaceChildren(cardSummary(answer.card));
      });
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const card = current();
    if (!card) return;
    const request = { conversationId, cardId: card.id, clientMessageId: clientMessageId("card"), values: values() };
    void desk.run(() => desk.socket.request("card.send", request, "message.ack")).then((ack) => {
      if (ack) preview.replaceChildren();
    });
  });
  void load();
  return form;
}

/** A sent card as operators see it in the chat: its values and state. */
export function cardSummary(card: CardView, resolve?: (outcome: "confirmed" | "cancelled") => void): HTMLElement {
  const list = el("dl", {});
  for (const f of card.fields) {
    const v = card.values[f.id];
    const shown = v === undefined ? "—" : f.type === "choice" ? (f.options?.find((o) => o.id === v)?.label ?? String(v)) : String(v);
    list.append(el("dt", {}, f.label), el("dd", {}, shown));
  }
  const state = card.state === "resolved" ? (card.outcomeText ?? card.outcome ?? "") : card.state === "expired" ? "Expired" : "Waiting for the client";
  const box = el("section", { class: "card", "data-card": card.instanceId, "aria-label": card.title },
    el("h4", {}, card.title), el("p", {}, card.text), list, el("p", { class: "card-state" }, state));
  if (resolve && card.state === "open") {
    const confirm = el("button", { type: "button", class: "secondary" }, "Confirm for the client");
    const cancel = el("button", { type: "button", class: "secondary" }, "Cancel card");
    confirm.addEventListener("click", () => resolve("confirmed"));
    cancel.addEventListener("click", () => resolve("cancelled"));
    box.append(el("div", { class: "row" }, confirm, cancel));
  }
  return box;
}
