// The operator's side of the protocol, without the DOM: the queue, the
// conversations they hold or opened, their own state. Views render from it.

import type {
  CardView,
  Conversation,
  ConversationView,
  Delivery,
  OperatorView,
  QueueEntry,
  ServerEvent,
} from "../shared/protocol";
import { textOf } from "../shared/protocol";
import { Socket } from "../shared/socket";
import type { ClientPanel } from "./client";
import { Timeline, clientMessageId } from "../shared/timeline";

export interface Chat {
  conversation: Conversation;
  timeline: Timeline;
  hasMore: boolean;
  /** Sent, not yet acknowledged. */
  pending: { clientId: string; text: string; note: boolean }[];
  /** By client message id: where an operator's channel message stands. */
  deliveries: Map<string, Delivery>;
  visitorTyping: boolean;
  unread: number;
  /** Offered to me by a colleague, with their comment. */
  offer?: { from: string; comment?: string; deadline: number };
}

/** Came with my invitation code and waits for me alone (a transfer offer waits too, but is an offer). */
export function invited(chat: Chat): boolean {
  return chat.conversation.status === "waiting" && !chat.offer;
}

export interface Notice {
  kind: "info" | "error";
  text: string;
}

export class Desk {
  operator: OperatorView | null = null;
  queue = new Map<string, QueueEntry>();
  chats = new Map<string, Chat>();
  cards = new Map<string, CardView>();
  selected: string | null = null;
  /** A waiting conversation opened for a look before accepting. */
  preview: ConversationView | null = null;
  /** The client panel of the previewed conversation. */
  client: ClientPanel | null = null;
  notice: Notice | null = null;
  /** WhatsApp conversations whose 24-hour window a send found closed. */
  windowClosed = new Set<string>();
  connected = false;
  private askedGaps = new Map<string, Set<number>>();
  readonly socket: Socket;

  constructor(
    url: () => Promise<string>,
    private readonly changed: () => void,
    private readonly alert: (kind: "message" | "queue" | "card", text: string) => void,
  ) {
    this.socket = new Socket({
      url,
      onOpen: () => {
        this.socket.send("hello", {});
      },
      onState: (state) => {
        this.connected = state === "open";
        this.changed();
      },
      // 1008: the server refused the account (disabled); do not hammer it.
      reconnect: (code) => code !== 1008,
    });
    this.socket.on((e) => this.handle(e));
  }

  get selectedChat(): Chat | null {
    return this.selected ? (this.chats.get(this.selected) ?? null) : null;
  }

  waiting(): QueueEntry[] {
    return [...this.queue.values()].sort(
      (a, b) => a.conversation.group.localeCompare(b.conversation.group) || a.position - b.position,
    );
  }

  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      this.notice = null;
      return result;
    } catch (e) {
      this.notice = { kind: "error", text: e instanceof Error ? e.message : String(e) };
      return undefined;
    } finally {
      this.changed();
    }
  }

  async openPreview(conversationId: string): Promise<void> {
    const answer = await this.run(() =>
      this.socket.request("conversation.preview", { conversationId }, "conversation.preview"),
    );
    if (answer) this.preview = answer.view;
    this.client = null;
    this.changed();
    const panel = await this.socket
      .request("client.preview", { conversationId }, "client.preview")
      .catch(() => null);
    if (panel && this.preview?.conversation.id === conversationId) {
      this.client = panel;
      this.changed();
    }
  }

  async accept(conversationId: string): Promise<void> {
    const answer = await this.run(() =>
      this.socket.request("conversation.accept", { conversationId }, "conversation.accepted"),
    );
    if (answer) {
      this.preview = null;
      this.selected = answer.view.conversation.id;
    }
    this.changed();
  }

  send(text: string, note = false): void {
    const chat = this.selectedChat;
    const trimmed = text.trim();
    if (!chat || !trimmed) return;
    const p = { clientId: clientMessageId(note ? "n" : "o"), text: trimmed, note };
    chat.pending.push(p);
    this.flush(chat.conversation.id, p);
    this.typing(false);
    this.changed();
  }

  private flush(conversationId: string, p: Chat["pending"][number]): void {
    const fields = { conversationId, clientMessageId: p.clientId, text: p.text };
    if (p.note) this.socket.send("note.add", fields, `send:${p.clientId}`);
    else this.socket.send("message.send", fields, `send:${p.clientId}`);
  }

  private lastTyping = 0;
  typing(on: boolean): void {
    const chat = this.selectedChat;
    if (!chat || chat.conversation.status !== "active") return;
    const now = Date.now();
    if (on && now - this.lastTyping < 3000) return;
    this.lastTyping = on ? now : 0;
    this.socket.send("typing", { conversationId: chat.conversation.id, typing: on });
  }

  /** Reads one stored message: what a send answered only with its `seq`. */
  fetchMessage(conversationId: string, seq: number): void {
    this.socket.send("history", { conversationId, before: seq + 1, limit: 1 });
  }

  loadOlder(): void {
    const chat = this.selectedChat;
    if (!chat || !chat.hasMore) return;
    this.socket.send("history", { conversationId: chat.conversation.id, before: chat.timeline.oldest, limit: 100 });
  }

  setStatus(status: "online" | "away"): void {
    void this.run(() => this.socket.request("operator.status", { status }, "operator.state"));
  }

  close(conversationId: string): void {
    void this.run(() => this.socket.request("conversation.close", { conversationId }, "conversation.closed"));
  }

  transfer(conversationId: string, target: { toOperatorId: string } | { toGroupId: string }, comment: string): Promise<unknown> {
    const fields = { conversationId, ...target, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    return this.run(() => this.socket.request("conversation.transfer", fields, "conversation.transferred"));
  }

  declineTransfer(conversationId: string): void {
    void this.run(() => this.socket.request("transfer.decline", { conversationId }, "transfer.returned"));
  }

  private handle(e: ServerEvent): void {
    switch (e.event) {
      case "welcome":
        if ("operator" in e) {
          this.operator = e.operator;
          this.queue = new Map(e.queue.map((q) => [q.conversation.id, q]));
          for (const view of e.conversations) this.adopt(view);
          for (const chat of this.chats.values()) {
            for (const p of chat.pending) this.flush(chat.conversation.id, p);
          }
        }
        break;
      case "queue.snapshot":
        this.queue = new Map(e.entries.map((q) => [q.conversation.id, q]));
        break;
      case "queue.updated":
        for (const c of e.changes) {
          if (c.entry) {
            if (!this.queue.has(c.conversationId)) this.alert("queue", c.entry.conversation.entry.name ?? "");
            this.queue.set(c.conversationId, c.entry);
          } else this.queue.delete(c.conversationId);
        }
        break;
      case "operator.state":
        this.operator = e.operator;
        break;
      case "conversation.accepted":
      case "invitation.arrived":
        this.adopt(e.view);
        this.queue.delete(e.view.conversation.id);
        break;
      case "transfer.offered": {
        const chat = this.adopt(e.view);
        chat.offer = { from: e.fromOperatorId, deadline: e.deadline, ...(e.comment ? { comment: e.comment } : {}) };
        if (!this.selected && !this.preview) this.selected = e.view.conversation.id;
        this.alert("queue", e.view.conversation.entry.name ?? e.fromOperatorId);
        break;
      }
      case "conversation.transferred":
      case "transfer.returned":
        if (e.event === "conversation.transferred" || e.byOperatorId === this.operator?.id) {
          this.chats.delete(e.conversationId);
          if (this.selected === e.conversationId) this.selected = null;
        }
        break;
      case "conversation.closed": {
        const chat = this.chats.get(e.conversationId);
        if (chat) chat.conversation = { ...chat.conversation, status: "closed" };
        this.queue.delete(e.conversationId);
        break;
      }
      case "message": {
        const chat = this.chats.get(e.message.conversation);
        if (!chat) break;
        chat.timeline.add([e.message]);
        chat.pending = chat.pending.filter((p) => p.clientId !== e.message.clientId);
        if (e.message.author.kind === "visitor") {
          chat.visitorTyping = false;
          if (this.selected !== chat.conversation.id || document.hidden) {
            chat.unread += 1;
            this.alert("message", textOf(e.message) ?? "");
          }
        }
        this.fillGaps(chat);
        break;
      }
      case "error": {
        // A refused message: it stays in the composer's pending list no more.
        const id = (e as { requestId?: string }).requestId ?? "";
        if (!id.startsWith("send:")) return;
        const clientId = id.slice("send:".length);
        for (const chat of this.chats.values()) {
          const sent = chat.pending.find((p) => p.clientId === clientId);
          if (!sent) continue;
          chat.pending = chat.pending.filter((p) => p.clientId !== clientId);
          if (e.code === "window_closed") this.windowClosed.add(chat.conversation.id);
          this.notice = { kind: "error", text: `Not sent: ${e.message}` };
        }
        break;
      }
      case "message.ack": {
        const chat = this.chats.get(e.conversationId);
        const sent = chat?.pending.find((p) => p.clientId === e.clientMessageId);
        if (chat && sent && this.operator) {
          chat.timeline.add([
            {
              conversation: e.conversationId,
              seq: e.seq,
              clientId: sent.clientId,
              author: { kind: "operator", id: this.operator.id },
              type: sent.note ? "note" : "text",
              text: sent.text,
              createdAt: Date.now(),
            },
          ]);
          chat.pending = chat.pending.filter((p) => p.clientId !== e.clientMessageId);
        }
        break;
      }
      case "message.delivery": {
        const chat = this.chats.get(e.conversationId);
        if (chat) {
          chat.deliveries.set(e.clientMessageId, e.delivery);
          chat.timeline.update(e.seq, (m) => ({ ...m, delivery: e.delivery }));
        }
        break;
      }
      case "typing": {
        const chat = this.chats.get(e.conversationId);
        if (chat && e.from === "visitor") chat.visitorTyping = e.typing;
        break;
      }
      case "history": {
        const chat = this.chats.get(e.conversationId);
        if (chat) {
          chat.timeline.add(e.messages);
          const oldest = e.messages[0]?.seq;
          if (oldest === undefined || oldest <= chat.timeline.oldest) chat.hasMore = e.hasMore;
        }
        break;
      }
      case "card":
        this.cards.set(e.card.instanceId, e.card);
        break;
      case "card.answered":
        this.cards.set(e.card.instanceId, e.card);
        if (e.sound) this.alert("card", e.card.outcomeText ?? e.outcome);
        break;
      case "card.expired":
        this.cards.set(e.card.instanceId, e.card);
        break;
      default:
        return;
    }
    this.changed();
  }

  private adopt(view: ConversationView): Chat {
    const id = view.conversation.id;
    let chat = this.chats.get(id);
    if (!chat) {
      chat = {
        conversation: view.conversation,
        timeline: new Timeline(id),
        hasMore: view.hasMore,
        pending: [],
        deliveries: new Map(),
        visitorTyping: false,
        unread: 0,
      };
      this.chats.set(id, chat);
    }
    chat.conversation = view.conversation;
    delete chat.offer;
    chat.timeline.add(view.messages);
    this.fillGaps(chat);
    return chat;
  }

  private fillGaps(chat: Chat): void {
    let asked = this.askedGaps.get(chat.conversation.id);
    if (!asked) {
      asked = new Set();
      this.askedGaps.set(chat.conversation.id, asked);
    }
    const before = chat.timeline.gapBefore(asked);
    if (before === null) return;
    asked.add(before);
    this.socket.send("history", { conversationId: chat.conversation.id, before, limit: 100 });
  }
}
