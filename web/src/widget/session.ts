// The visitor's side of the protocol, without the DOM: what the widget shows
// follows from this state, and every change calls `changed`.

import type { CardView, Conversation, Message, OfflineForm, ServerEvent, WidgetEntry } from "../shared/protocol";
import { ProtocolError, Socket, type SocketState } from "../shared/socket";
import { Timeline, clientMessageId } from "../shared/timeline";

export type Phase = "entry" | "starting" | "offline" | "offline-sent" | "waiting" | "active" | "closed";

export interface WidgetConfig {
  widgetId: string;
  gatewayUrl: string;
  apiUrl: string;
}

export interface Pending {
  clientId: string;
  text: string;
}

export interface StartRequest {
  type: "chat" | "video" | "callback";
  language: string;
  name?: string;
  phone?: string;
  invitationCode?: string;
}

export class VisitorSession {
  phase: Phase = "entry";
  /** The entry form's buttons, as the widget's admin chose; null until `welcome`. */
  entries: WidgetEntry[] | null = null;
  connection: SocketState = "connecting";
  conversation: Conversation | null = null;
  timeline: Timeline | null = null;
  pending: Pending[] = [];
  position: number | null = null;
  estimateSeconds: number | null = null;
  operatorName: string | null = null;
  operatorTyping = false;
  transferring = false;
  offlineForm: OfflineForm | null = null;
  offlineEntryType: StartRequest["type"] = "chat";
  cards = new Map<string, CardView>();
  error: string | null = null;
  /** Seqs whose gap below was asked about already (a visitor cannot see notes). */
  private askedGaps = new Set<number>();
  private socket: Socket;
  private tokenKey: string;

  constructor(
    readonly config: WidgetConfig,
    private readonly storage: Storage,
    private readonly changed: () => void,
  ) {
    this.tokenKey = `switchboard:${config.widgetId}:visitorToken`;
    this.socket = new Socket({
      url: () => this.url(),
      onOpen: () => {
        this.socket.send("hello", {}, "hello");
      },
      onState: (state) => {
        this.connection = state;
        this.changed();
      },
    });
    this.socket.on((e) => this.handle(e));
  }

  get visitorToken(): string | null {
    return this.storage.getItem(this.tokenKey);
  }

  private url(): string {
    // A token past its expiry would be refused at every attempt: start
    // afresh instead. Any other failure (the network, a restart) keeps it,
    // so the visitor gets their conversation back.
    const token = this.visitorToken;
    if (token && expired(token, Date.now())) this.storage.removeItem(this.tokenKey);
    const query = new URLSearchParams({ widgetId: this.config.widgetId });
    const kept = this.visitorToken;
    if (kept) query.set("visitorToken", kept);
    return `${this.config.gatewayUrl}?${query.toString()}`;
  }

  connect(): void {
    void this.socket.connect();
  }

  /** For tests and the demo page: a network drop, after which it reconnects. */
  drop(): void {
    this.socket.drop();
  }

  async start(req: StartRequest): Promise<void> {
    this.error = null;
    this.phase = "starting";
    this.offlineEntryType = req.type;
    this.changed();
    const entry = {
      type: req.type,
      language: req.language,
      browser: browserName(navigator.userAgent),
      os: osName(navigator.userAgent),
      widget: this.config.widgetId,
      pageUrl: location.href.slice(0, 2048),
      ...(req.name ? { name: req.name } : {}),
      ...(req.phone ? { phone: req.phone } : {}),
    };
    const fields = { entry, ...(req.invitationCode ? { invitationCode: req.invitationCode } : {}) };
    try {
      await this.socket.request("conversation.start", fields, "conversation.started");
    } catch (e) {
      this.phase = "entry";
      this.error = e instanceof ProtocolError ? e.code : "failed";
      this.changed();
    }
  }

  send(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    const pending = { clientId: clientMessageId("v"), text: trimmed };
    this.pending.push(pending);
    this.typing(false);
    this.flush(pending);
    this.changed();
  }

  private flush(p: Pending): void {
    this.socket.send("message.send", { clientMessageId: p.clientId, text: p.text }, `send:${p.clientId}`);
  }

  private lastTyping = 0;
  typing(on: boolean): void {
    if (this.phase !== "active") return;
    const now = Date.now();
    if (on && now - this.lastTyping < 3000) return;
    this.lastTyping = on ? now : 0;
    this.socket.send("typing", { typing: on });
  }

  close(): void {
    this.socket.send("conversation.close", {});
  }

  newChat(): void {
    this.phase = "entry";
    this.changed();
  }

  async submitOffline(form: { name: string; email: string; phone: string; message: string }): Promise<void> {
    const fields: Record<string, unknown> = { message: form.message, entryType: this.offlineEntryType };
    if (form.name) fields.name = form.name;
    if (form.email) fields.email = form.email;
    if (form.phone) fields.phone = form.phone;
    try {
      await this.socket.request("offline.submit", fields, "offline.received");
      this.phase = "offline-sent";
      this.error = null;
    } catch (e) {
      this.error = e instanceof ProtocolError && e.field ? `field:${e.field}` : "failed";
    }
    this.changed();
  }

  /** Answers a card over HTTP, as the hero-card-submit function takes it. */
  async answerCard(card: CardView, outcome: "confirmed" | "cancelled", values: Record<string, unknown>): Promise<string | null> {
    const token = this.visitorToken;
    const response = await fetch(`${this.config.apiUrl}${card.submitPath}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token ?? ""}` },
      body: JSON.stringify({ outcome, values }),
    });
    if (response.ok) return null;
    const body = (await response.json().catch(() => ({}))) as { code?: string; field?: string };
    return body.field ?? body.code ?? "failed";
  }

  private handle(e: ServerEvent): void {
    switch (e.event) {
      case "welcome":
        if ("visitorToken" in e) {
          this.storage.setItem(this.tokenKey, e.visitorToken);
          this.entries = e.entries;
          if (e.conversation) this.show(e.conversation.conversation, e.conversation.messages, e.conversation.position ?? undefined);
          for (const p of this.pending) this.flush(p);
          this.reportPage();
        }
        break;
      case "conversation.started":
        this.show(e.view.conversation, e.view.messages, e.view.position ?? undefined);
        break;
      case "conversation.offline":
        this.phase = "offline";
        this.offlineForm = e.form;
        break;
      case "queue.position":
        this.position = e.position;
        this.estimateSeconds = e.estimatedWaitSeconds;
        break;
      case "conversation.accepted":
        this.operatorName = e.operatorName;
        this.transferring = false;
        this.show(e.view.conversation, e.view.messages, undefined);
        break;
      case "conversation.transferring":
        this.transferring = true;
        this.operatorTyping = false;
        break;
      case "conversation.closed":
        if (this.conversation?.id === e.conversationId) {
          this.phase = "closed";
          this.operatorTyping = false;
        }
        break;
      case "message":
        this.timeline?.add([e.message]);
        this.pending = this.pending.filter((p) => p.clientId !== e.message.clientId);
        if (e.message.author.kind === "operator") this.operatorTyping = false;
        this.fillGaps();
        break;
      case "message.ack": {
        const sent = this.pending.find((p) => p.clientId === e.clientMessageId);
        if (sent && this.timeline && this.conversation) {
          this.timeline.add([
            {
              conversation: this.conversation.id,
              seq: e.seq,
              clientId: sent.clientId,
              author: { kind: "visitor", id: this.conversation.visitor },
              type: "text",
              text: sent.text,
              createdAt: Date.now(),
            },
          ]);
        }
        this.pending = this.pending.filter((p) => p.clientId !== e.clientMessageId);
        // A message reopens a closed conversation.
        if (this.phase === "closed") this.phase = "waiting";
        this.fillGaps();
        break;
      }
      case "history":
        this.timeline?.add(e.messages);
        this.fillGaps();
        break;
      case "typing":
        if (e.from === "operator") this.operatorTyping = e.typing;
        break;
      case "card":
        this.cards.set(e.card.instanceId, e.card);
        break;
      case "error":
        if (e.code === "no_conversation") this.phase = "entry";
        break;
      default:
        return;
    }
    this.askForCards();
    this.changed();
  }

  private show(conversation: Conversation, messages: Message[], position: number | undefined): void {
    if (!this.timeline || this.timeline.conversationId !== conversation.id) {
      this.timeline = new Timeline(conversation.id);
      this.askedGaps.clear();
    }
    this.conversation = conversation;
    this.timeline.add(messages);
    if (position !== undefined) this.position = position;
    this.phase = conversation.status === "closed" ? "closed" : conversation.status;
    if (conversation.operator === undefined) this.operatorName = null;
    this.fillGaps();
  }

  private fillGaps(): void {
    const before = this.timeline?.gapBefore(this.askedGaps);
    if (before == null || !this.conversation) return;
    this.askedGaps.add(before);
    this.socket.send("history", { conversationId: this.conversation.id, before, limit: 100 });
  }

  private askedCards = new Set<string>();
  private askForCards(): void {
    for (const m of this.timeline?.messages() ?? []) {
      const instance = m.type === "card" ? m.card?.instance : undefined;
      if (instance && !this.cards.has(instance) && !this.askedCards.has(instance)) {
        this.askedCards.add(instance);
        this.socket.send("card.get", { instanceId: instance });
      }
    }
  }

  private reportPage(): void {
    if (!/^https?:/.test(location.href)) return;
    this.socket.send("page.view", { url: location.href.slice(0, 2048), title: document.title.slice(0, 300) });
  }
}

/** Whether a JWT's `exp` has passed (an unreadable one counts as expired). */
export function expired(token: string, now: number): boolean {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp !== "number" || exp * 1000 <= now;
  } catch {
    return true;
  }
}

export function browserName(ua: string): string {
  const known: [RegExp, string][] = [
    [/Edg\/(\d+)/, "Edge"],
    [/OPR\/(\d+)/, "Opera"],
    [/Firefox\/(\d+)/, "Firefox"],
    [/Chrome\/(\d+)/, "Chrome"],
    [/Version\/(\d+).*Safari/, "Safari"],
  ];
  for (const [re, name] of known) {
    const m = re.exec(ua);
    if (m) return `${name} ${m[1] ?? ""}`.trim();
  }
  return "Unknown";
}

export function osName(ua: string): string {
  if (/Windows NT 10/.test(ua)) return "Windows 10/11";
  if (/Windows/.test(ua)) return "Windows";
  if (/iPhone|iPad/.test(ua)) return "iOS";
  if (/Mac OS X/.test(ua)) return "macOS";
  if (/Android/.test(ua)) return "Android";
  if (/Linux/.test(ua)) return "Linux";
  return "Unknown";
}
