// The open conversation: its messages (scroll back for older ones), the
// composer with delivery states, transfer with a comment, the Hero Card
// toolbar and close. Built once per conversation; `update` refreshes it.

import { textOf, type Delivery, type Message } from "../shared/protocol";
import type { SystemLine } from "../shared/generated/events";
import { KeyedList, type Item } from "../shared/keyed";
import { el } from "../shared/dom";
import { cardBar, cardSummary } from "./cardbar";
import { invited, type Chat, type Desk } from "./desk";
import { channelIcon } from "./icons";
import { templatePicker } from "./templates";
import { transferDialog } from "./transfer";

export class ChatPane {
  readonly node: HTMLElement;
  private list: KeyedList;
  private log: HTMLElement;
  private typing: HTMLElement;
  private older: HTMLButtonElement;
  private composer: HTMLFormElement;
  private offer: HTMLElement;
  private templates: HTMLElement;
  private templatesShown = false;

  constructor(
    private readonly desk: Desk,
    readonly conversationId: string,
    /** Saves the conversation's transcript as CSV, or says why not in `error`. */
    transcript: (error: HTMLElement) => void,
  ) {
    const chat = desk.chats.get(conversationId) as Chat;
    const c = chat.conversation;
    this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Messages" });
    this.list = new KeyedList(this.log);
    this.older = el("button", { type: "button", class: "secondary older" }, "Load older messages");
    this.older.addEventListener("click", () => desk.loadOlder());
    this.typing = el("p", { class: "typing", "aria-live": "polite" });
    const input = el("textarea", { id: "composer", "aria-label": "Message", placeholder: "Write a message (Enter sends)" });
    const note = el("input", { type: "checkbox", id: "as-note" });
    this.composer = el("form", { class: "composer" }, input,
      el("label", { for: "as-note", class: "inline" }, note, "Internal note"),
      el("button", { type: "submit" }, "Send"));
    this.composer.addEventListener("submit", (e) => {
      e.preventDefault();
      desk.send(input.value, note.checked);
      input.value = "";
      note.checked = false;
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        this.composer.requestSubmit();
      }
    });
    input.addEventListener("input", () => desk.typing(input.value.length > 0));

    const transfer = el("button", { type: "button", class: "secondary" }, "Transfer");
    transfer.addEventListener("click", () => transferDialog(desk, conversationId));
    const close = el("button", { type: "button", class: "secondary" }, "Close chat");
    close.addEventListener("click", () => desk.close(conversationId));
    const save = el("button", { type: "button", class: "secondary" }, "Transcript");
    const saveError = el("p", { class: "error", role: "alert" });
    save.addEventListener("click", () => transcript(saveError));
    const entry = c.entry;
    const who = entry.name ?? entry.phone ?? "Visitor";
    const details = [entry.language, entry.browser, entry.os, entry.widget, entry.phone, entry.email].filter(Boolean).join(" · ");
    this.offer = el("div", { class: "offer", role: "status" });
    this.templates = el("div", { class: "template-slot" });
    const cards = el("details", { class: "cards" }, el("summary", {}, "Hero Cards"));
    cards.addEventListener("toggle", () => {
      if (cards.open && cards.children.length === 1) cards.append(cardBar(desk, conversationId));
    }, { once: false });
    this.node = el("section", { class: "chat", "aria-labelledby": "chat-title" },
      el("header", {}, channelIcon(c.channel), el("h2", { id: "chat-title" }, who), el("span", { class: "muted" }, details),
        el("span", { class: "actions" }, transfer, save, close)),
      saveError, this.offer, this.older, this.log, this.typing, cards, this.templates, this.composer);
    this.update();
  }

  update(): void {
    const chat = this.desk.chats.get(this.conversationId);
    if (!chat) return;
    const closed = chat.conversation.status === "closed";
    const items: Item[] = chat.timeline.messages().map((m) => this.item(m, chat));
    for (const p of chat.pending) {
      items.push({ id: `pending:${p.clientId}`, key: p.text, make: () => el("div", { class: "msg operator pending" }, p.text, el("small", {}, " · sending")) });
    }
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    this.list.update(items);
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
    this.older.hidden = !chat.hasMore;
    this.typing.textContent = chat.visitorTyping ? "The client is typing…" : "";
    this.composer.querySelectorAll("textarea, button, input").forEach((n) => ((n as HTMLInputElement).disabled = closed || invited(chat)));
    const closedWindow = this.desk.windowClosed.has(this.conversationId);
    if (closedWindow && !this.templatesShown) this.templates.replaceChildren(templatePicker(this.desk, this.conversationId));
    if (!closedWindow && this.templatesShown) this.templates.replaceChildren();
    this.templatesShown = closedWindow;
    this.offer.replaceChildren();
    if (chat.offer) {
      const accept = el("button", { type: "button" }, "Accept transfer");
      const decline = el("button", { type: "button", class: "secondary" }, "Decline");
      accept.addEventListener("click", () => void this.desk.accept(this.conversationId));
      decline.addEventListener("click", () => this.desk.declineTransfer(this.conversationId));
      this.offer.append(el("p", {}, `Transferred to you by ${chat.offer.from}` + (chat.offer.comment ? `: “${chat.offer.comment}”` : "")), accept, decline);
    } else if (invited(chat)) {
      const accept = el("button", { type: "button" }, "Accept");
      accept.addEventListener("click", () => void this.desk.accept(this.conversationId));
      this.offer.append(el("p", {}, "The client used your invitation code and waits for you."), accept);
    }
    if (closed) this.offer.append(el("p", {}, "This chat is closed."));
  }

  private item(m: Message, chat: Chat): Item {
    const id = `seq:${m.seq}`;
    if (m.type === "card" && m.card) {
      const card = this.desk.cards.get(m.card.instance);
      return {
        id,
        key: `card:${card?.state}:${card?.outcome}`,
        make: () =>
          card
            ? cardSummary(card, (outcome) => void this.desk.run(() => this.desk.socket.request("card.resolve", { instanceId: card.instanceId, outcome }, "card")))
            : el("div", { class: "card" }, m.card?.title ?? ""),
      };
    }
    if (m.type === "system") {
      const e = m.event;
      const text = e.kind === "card_outcome" ? e.text : systemLine(e);
      return { id, key: text, make: () => el("div", { class: "msg system" }, text) };
    }
    const side = m.author.kind === "visitor" ? "visitor" : m.type === "note" ? "note" : "operator";
    const delivery = latest(m.delivery, chat.deliveries.get(m.clientId));
    const state = delivery ? deliveryText(delivery) : "";
    const text = textOf(m) ?? (m.type === "template" ? m.template.text || `[template ${m.template.name}]` : `[${m.type}]`);
    return {
      id,
      key: `${text}|${state}`,
      make: () => el("div", { class: `msg ${side}` }, text, state ? el("small", { class: "delivery" }, ` · ${state}`) : ""),
    };
  }
}

function systemLine(e: SystemLine): string {
  switch (e.kind) {
    case "assigned":
      return `Assigned to ${e.operator}`;
    case "transferred":
      return `Transferred from ${e.from} to ${e.to}`;
    case "closed":
      return "Chat closed";
    case "reopened":
      return "Chat reopened";
    default:
      return "";
  }
}

const RANK = { queued: 0, sent: 1, failed: 2, delivered: 3, read: 4 } as const;

/** The further along of a stored state and a pushed one (states only move forward). */
function latest(a: Delivery | null | undefined, b: Delivery | undefined): Delivery | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[b.state] >= RANK[a.state] ? b : a;
}

function deliveryText(d: NonNullable<Message["delivery"]>): string {
  if (d.state !== "failed") return d.state;
  const why = d.error?.message ?? "unknown reason";
  const what = d.error?.action === "send_approved_template_to_reengage" ? " — send an approved template" : d.error?.retryable ? " — retry later" : "";
  return `failed: ${why}${what}`;
}
