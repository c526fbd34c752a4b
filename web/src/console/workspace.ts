// The operator's main screen: status and capacity, the waiting queue with
// preview and accept, their chats, and the open chat.

import { textOf, type ConversationView, type QueueEntry } from "../shared/protocol";
import { KeyedList } from "../shared/keyed";
import { el } from "../shared/dom";
import { AdminPages } from "./admin";
import type { Auth } from "./auth";
import { ChatPane } from "./chat";
import { saveFile } from "./downloads";
import { clientPanel, type ClientPanel } from "./client";
import { invited, type Desk } from "./desk";
import { channelIcon } from "./icons";

export class Workspace {
  readonly node: HTMLElement;
  private status: HTMLSelectElement;
  private capacity: HTMLElement;
  private connection: HTMLElement;
  private notice: HTMLElement;
  private queue: KeyedList;
  private queueTitle: HTMLElement;
  private chats: KeyedList;
  private main: HTMLElement;
  private pane: ChatPane | null = null;
  private shownPreview: ConversationView | null = null;
  private shownClient: ClientPanel | null = null;

  private admin: AdminPages | null = null;
  private adminOpen = false;

  constructor(
    private readonly desk: Desk,
    private readonly auth: Auth,
    signOut: () => void,
  ) {
    const name = auth.account?.name ?? "";
    this.status = el("select", { id: "status", "aria-label": "Status" }, el("option", { value: "online" }, "Online"), el("option", { value: "away" }, "Away"));
    this.status.addEventListener("change", () => desk.setStatus(this.status.value === "away" ? "away" : "online"));
    this.capacity = el("span", { class: "capacity", role: "status", id: "capacity" });
    this.connection = el("span", { class: "connection", role: "status" });
    const invite = el("button", { type: "button", class: "secondary" }, "Invitation code");
    invite.addEventListener("click", () => {
      void desk.run(() => desk.socket.request("invitation.create", { validMinutes: 30 }, "invitation.created")).then((answer) => {
        if (answer) desk.notice = { kind: "info", text: `Invitation code ${answer.code}, valid until ${new Date(answer.expiresAt).toLocaleTimeString()}` };
      });
    });
    const adminButton = el("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Admin");
    adminButton.hidden = !auth.account?.roles.includes("admin");
    adminButton.addEventListener("click", () => {
      this.adminOpen = !this.adminOpen;
      adminButton.setAttribute("aria-pressed", String(this.adminOpen));
      adminButton.textContent = this.adminOpen ? "Back to chats" : "Admin";
      this.update();
    });
    const out = el("button", { type: "button", class: "secondary", id: "sign-out" }, "Sign out");
    out.addEventListener("click", signOut);
    this.notice = el("div", { class: "notice", role: "status", "aria-live": "polite" });
    this.queueTitle = el("h2", { id: "queue-title" }, "Waiting");
    const queueList = el("ul", { class: "queue", "aria-labelledby": "queue-title" });
    const chatList = el("ul", { class: "chats", "aria-labelledby": "chats-title" });
    this.queue = new KeyedList(queueList);
    this.chats = new KeyedList(chatList);
    this.main = el("main", { class: "pane", id: "pane" }, el("p", { class: "muted" }, "Accept a chat from the queue, or pick one of yours."));
    this.node = el("div", { class: "workspace" },
      el("header", { class: "top" }, el("strong", {}, "Switchboard"), el("span", {}, name), this.status, this.capacity, this.connection, invite, adminButton, out),
      this.notice,
      el("nav", { class: "side", "aria-label": "Conversations" }, this.queueTitle, queueList, el("h2", { id: "chats-title" }, "My chats"), chatList),
      this.main);
  }

  update(): void {
    const d = this.desk;
    const op = d.operator;
    if (op) {
      if (document.activeElement !== this.status) this.status.value = op.status === "away" ? "away" : "online";
      this.capacity.textContent = `${op.activeChats} / ${op.maxChats} chats`;
      this.capacity.classList.toggle("full", op.activeChats >= op.maxChats);
    }
    this.connection.textContent = d.connected ? "" : "Reconnecting…";
    this.notice.textContent = d.notice?.text ?? "";
    this.notice.className = `notice ${d.notice?.kind ?? ""}`;
    const waiting = d.waiting();
    this.queueTitle.textContent = `Waiting (${waiting.length})`;
    this.queue.update(waiting.map((q) => ({ id: q.conversation.id, key: JSON.stringify([q.position, q.conversation.sla, q.conversation.entry, Math.floor(Date.now() / 60000)]), make: () => this.queueItem(q) })));
    const mine = [...d.chats.values()].filter((c) => c.conversation.status !== "closed" || c.conversation.id === d.selected);
    this.chats.update(mine.map((c) => ({
      id: c.conversation.id,
      key: JSON.stringify([c.conversation.entry.name, c.unread, c.conversation.status, d.selected === c.conversation.id, !!c.offer]),
      make: () => {
        const who = c.conversation.entry.name ?? c.conversation.entry.phone ?? "Visitor";
        const open = el("button", { type: "button", class: "link", "aria-current": String(d.selected === c.conversation.id) },
          channelIcon(c.conversation.channel), ` ${who}`, c.offer ? " (offered)" : "", invited(c) ? " (invited)" : "", c.conversation.status === "closed" ? " (closed)" : "",
          c.unread ? el("span", { class: "badge", "aria-label": `${c.unread} unread` }, String(c.unread)) : "");
        open.addEventListener("click", () => {
          d.selected = c.conversation.id;
          d.preview = null;
          c.unread = 0;
          this.update();
        });
        return el("li", {}, open);
      },
    })));
    this.renderMain();
  }

  private queueItem(q: QueueEntry): HTMLElement {
    const c = q.conversation;
    const e = c.entry;
    const who = e.name ?? e.phone ?? "Visitor";
    const waited = Math.max(0, Math.floor((Date.now() - c.enqueuedAt) / 60000));
    const sla = c.sla?.deadline ? el("span", { class: Date.now() > c.sla.deadline ? "sla late" : "sla" }, `answer by ${new Date(c.sla.deadline).toLocaleTimeString()}`) : "";
    const preview = el("button", { type: "button", class: "secondary", "aria-label": `Preview ${who}` }, "Preview");
    const accept = el("button", { type: "button", "aria-label": `Accept ${who}` }, "Accept");
    preview.addEventListener("click", () => void this.desk.openPreview(c.id));
    accept.addEventListener("click", () => void this.desk.accept(c.id));
    return el("li", { class: `entry priority-${c.sla?.priority ?? "normal"}` },
      el("div", {}, channelIcon(c.channel), el("strong", {}, ` ${who}`), ` #${q.position}`),
      el("div", { class: "muted" }, [e.type, e.language, e.browser, e.os, e.widget].filter(Boolean).join(" · ")),
      el("div", { class: "muted" }, `waiting ${waited} min `, sla),
      el("div", { class: "row" }, preview, accept));
  }

  private renderMain(): void {
    const d = this.desk;
    if (this.adminOpen) {
      this.admin ??= new AdminPages(this.auth);
      if (this.main.firstChild !== this.admin.node) {
        this.pane = null;
        this.shownPreview = null;
        this.main.replaceChildren(this.admin.node);
      }
      return;
    }
    if (this.admin && this.main.firstChild === this.admin.node) this.main.replaceChildren();
    if (d.preview) {
      if (this.shownPreview !== d.preview || this.shownClient !== d.client) {
        this.shownPreview = d.preview;
        this.shownClient = d.client;
        this.pane = null;
        this.main.replaceChildren(
          el("div", { class: "preview-with-client" }, this.previewPane(d.preview), ...(d.client ? [clientPanel(d.client)] : [])),
        );
      }
      return;
    }
    this.shownPreview = null;
    const id = d.selected;
    if (!id || !d.chats.has(id)) {
      if (this.pane || this.main.childElementCount === 0) {
        this.pane = null;
        this.main.replaceChildren(el("p", { class: "muted" }, "Accept a chat from the queue, or pick one of yours."));
      }
      return;
    }
    if (this.pane?.conversationId !== id) {
      this.pane = new ChatPane(d, id, (error) => {
        // Times in the operator's own zone, as the chat shows them.
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        const path = `/admin/conversations/${encodeURIComponent(id)}/transcript?notes=true&timezone=${encodeURIComponent(zone)}`;
        void saveFile(this.auth, path, error);
      });
      this.main.replaceChildren(this.pane.node);
    } else this.pane.update();
  }

  private previewPane(view: ConversationView): HTMLElement {
    const c = view.conversation;
    const e = c.entry;
    const facts = el("dl", { class: "facts" });
    const add = (k: string, v: string | null | undefined) => {
      if (v) facts.append(el("dt", {}, k), el("dd", {}, v));
    };
    add("Name", e.name);
    add("Phone", e.phone);
    add("E-mail", e.email);
    add("Language", e.language);
    add("Browser", e.browser);
    add("OS", e.os);
    add("Widget", e.widget);
    add("Page", e.pageUrl);
    add("Past sessions", String(Math.max(0, ((c as unknown as { sessions?: unknown[] }).sessions?.length ?? 1) - 1)));
    const log = el("div", { class: "log" }, ...view.messages.flatMap((m) => {
      const text = textOf(m);
      return text ? [el("div", { class: `msg ${m.author.kind}` }, text)] : [];
    }));
    const accept = el("button", { type: "button" }, "Accept");
    const back = el("button", { type: "button", class: "secondary" }, "Back");
    accept.addEventListener("click", () => void this.desk.accept(c.id));
    back.addEventListener("click", () => {
      this.desk.preview = null;
      this.update();
    });
    return el("section", { class: "preview", "aria-labelledby": "preview-title" },
      el("header", {}, channelIcon(c.channel), el("h2", { id: "preview-title" }, `Preview: ${e.name ?? e.phone ?? "Visitor"}`)),
      facts, log, el("div", { class: "row" }, accept, back));
  }
}
