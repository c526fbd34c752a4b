// The transfer dialog: to a colleague or a group, with an internal comment
// the client never sees.

import { el } from "../shared/dom";
import type { Desk } from "./desk";

export function transferDialog(desk: Desk, conversationId: string): void {
  const toOperator = el("input", { type: "radio", name: "target", id: "to-operator", value: "operator", checked: "" });
  const toGroup = el("input", { type: "radio", name: "target", id: "to-group", value: "group" });
  const operator = el("input", { id: "transfer-operator", autocomplete: "off", placeholder: "Operator id, e.g. bob" });
  const group = el("select", { id: "transfer-group" });
  const comment = el("textarea", { id: "transfer-comment", maxlength: "2000" });
  const error = el("p", { class: "error", role: "alert" });
  const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
  const dialog = el("dialog", { "aria-labelledby": "transfer-title" },
    el("form", { method: "dialog", class: "transfer" },
      el("h2", { id: "transfer-title" }, "Transfer chat"),
      el("fieldset", {}, el("legend", {}, "To"),
        el("label", { for: "to-operator", class: "inline" }, toOperator, "A colleague"), operator,
        el("label", { for: "to-group", class: "inline" }, toGroup, "A group"), group),
      el("label", { for: "transfer-comment" }, "Comment for the colleague (the client does not see it)", comment),
      error,
      el("div", { class: "row" }, el("button", { type: "submit", value: "go" }, "Transfer"), cancel)));
  document.body.append(dialog);
  void desk.socket.request("group.list", {}, "group.list").then((answer) => {
    group.replaceChildren(...answer.groups.map((g) => el("option", { value: g.id }, g.name || g.id)));
  }).catch(() => undefined);
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  dialog.querySelector("form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const target = toGroup.checked ? { toGroupId: group.value } : { toOperatorId: operator.value.trim() };
    void desk.transfer(conversationId, target, comment.value).then((done) => {
      if (done) dialog.close();
      else error.textContent = desk.notice?.text ?? "The transfer failed.";
    });
  });
  dialog.showModal();
  operator.focus();
}
