// A Hero Card in the chat: its fields to edit, and Confirm or Cancel. The
// answer goes over HTTP; the outcome comes back as a `card` event and a line.

import type { CardField, CardView } from "../shared/protocol";
import { el } from "../shared/dom";
import type { Words } from "./i18n";

export type Answer = (outcome: "confirmed" | "cancelled", values: Record<string, unknown>) => Promise<string | null>;

export function renderCard(card: CardView, w: Words, answer: Answer): HTMLElement {
  const box = el("section", { class: "card", "aria-label": card.title, "data-card": card.instanceId });
  box.append(el("h3", {}, card.title));
  if (card.text) box.append(el("p", {}, card.text));
  const open = card.state === "open";
  const form = el("form", { novalidate: "" });
  const inputs = new Map<string, () => unknown>();
  card.fields.forEach((field, i) => {
    const id = `card-${card.instanceId}-${i}`;
    const value = card.values[field.id] ?? field.default;
    const [input, read] = fieldInput(field, value, id, w);
    if (!open) input.setAttribute("disabled", "");
    inputs.set(field.id, read);
    form.append(el("label", { for: id }, field.label + (field.required ? " *" : ""), input));
  });
  const error = el("p", { class: "error", role: "alert" });
  form.append(error);
  if (open) {
    const confirm = el("button", { type: "submit" }, card.confirmLabel || w.confirm);
    const cancel = el("button", { type: "button", class: "secondary" }, card.cancelLabel || w.cancel);
    const go = async (outcome: "confirmed" | "cancelled") => {
      const values: Record<string, unknown> = {};
      if (outcome === "confirmed") {
        for (const [key, read] of inputs) {
          const v = read();
          // Only what the client changed is sent; prefills stand otherwise.
          if (v !== undefined && JSON.stringify(v) !== JSON.stringify(card.values[key])) values[key] = v;
        }
      }
      confirm.disabled = true;
      cancel.disabled = true;
      const failed = await answer(outcome, values).catch(() => "failed");
      if (failed) {
        error.textContent = failed.startsWith("values.") ? `${w.failed} (${failed})` : w.failed;
        confirm.disabled = false;
        cancel.disabled = false;
      }
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void go("confirmed");
    });
    cancel.addEventListener("click", () => void go("cancelled"));
    form.append(el("div", { class: "buttons" }, confirm, cancel));
  } else if (card.outcomeText) {
    form.append(el("p", {}, card.outcomeText));
  }
  box.append(form);
  return box;
}

function fieldInput(field: CardField, value: unknown, id: string, w: Words): [HTMLElement, () => unknown] {
  switch (field.type) {
    case "choice": {
      const select = el("select", { id });
      select.append(el("option", { value: "" }, "—"));
      for (const o of field.options ?? []) {
        const option = el("option", { value: o.id }, o.label);
        if (o.id === value) option.selected = true;
        select.append(option);
      }
      return [select, () => (select.value === "" ? undefined : select.value)];
    }
    case "yes_no": {
      const select = el("select", { id });
      select.append(el("option", { value: "" }, "—"), el("option", { value: "yes" }, w.yes), el("option", { value: "no" }, w.no));
      if (value === true) select.value = "yes";
      if (value === false) select.value = "no";
      return [select, () => (select.value === "" ? undefined : select.value === "yes")];
    }
    case "number": {
      const input = el("input", { id, type: "number", inputmode: "decimal" });
      if (typeof value === "number") input.value = String(value);
      return [input, () => (input.value === "" ? undefined : Number(input.value))];
    }
    default: {
      const type = field.type === "date" ? "date" : field.type === "time" ? "time" : "text";
      const input = el("input", { id, type });
      if (typeof value === "string") input.value = value;
      return [input, () => (input.value === "" ? undefined : input.value)];
    }
  }
}
