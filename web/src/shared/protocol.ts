// The subset of the WebSocket protocol (docs/protocol.md) that the widget
// and the console speak. Field names are the wire's.

export type Channel = "webchat" | "whatsapp" | "messenger" | "instagram" | "apple" | "vk";
export type EntryType = "chat" | "video" | "callback";
export type ConversationStatus = "waiting" | "active" | "closed";
export type OperatorStatus = "online" | "away" | "offline";
export type Side = "visitor" | "operator";

export interface EntryInfo {
  type: EntryType;
  language: string;
  browser: string;
  os: string;
  widget: string;
  pageUrl: string;
  name?: string;
  phone?: string;
  email?: string;
}

export interface Sla {
  priority: "urgent" | "high" | "normal" | "low";
  deadline?: number;
}

export interface Conversation {
  id: string;
  tenant: string;
  visitor: string;
  channel: Channel;
  entry: EntryInfo;
  group: string;
  status: ConversationStatus;
  operator?: string;
  createdAt: number;
  enqueuedAt: number;
  acceptedAt?: number;
  closedAt?: number;
  lastSeq: number;
  sla?: Sla;
  tags?: string[];
}

export type Author =
  | { kind: "visitor"; id: string }
  | { kind: "operator"; id: string }
  | { kind: "system" }
  | { kind: "business"; id: string };

export interface Delivery {
  state: "queued" | "sent" | "failed" | "delivered" | "read";
  updatedAt: number;
  error?: { code?: number; retryable?: boolean; action?: string; message?: string };
}

export interface Message {
  conversation: string;
  seq: number;
  clientId: string;
  author: Author;
  type: string;
  text?: string;
  event?: { kind: string; text?: string; [key: string]: unknown };
  card?: { instance: string; definition: string; title: string; fields: Record<string, unknown> };
  createdAt: number;
  delivery?: Delivery;
}

export interface ConversationView {
  conversation: Conversation;
  messages: Message[];
  hasMore: boolean;
  position?: number;
}

export interface QueueEntry {
  conversation: Conversation;
  position: number;
}

export interface OperatorView {
  id: string;
  name: string;
  status: OperatorStatus;
  activeChats: number;
  inVideoCall: boolean;
  maxChats: number;
  roles: string[];
}

export type CardFieldType = "text" | "number" | "date" | "time" | "yes_no" | "choice";

export interface CardField {
  id: string;
  label: string;
  type: CardFieldType;
  options?: { id: string; label: string }[];
  required?: boolean;
  default?: unknown;
}

export interface CardView {
  instanceId: string;
  conversationId: string;
  cardId: string;
  channel: string;
  title: string;
  text: string;
  fields: CardField[];
  values: Record<string, unknown>;
  confirmLabel: string;
  cancelLabel: string;
  state: "open" | "resolved" | "expired";
  outcome?: "confirmed" | "cancelled";
  by?: "client" | "operator";
  outcomeText?: string;
  expiresAt: number;
  submitPath: string;
}

export interface CardDefinition {
  id: string;
  name: string;
  language: string;
  channel: string;
  title: string;
  text: string;
  fields: CardField[];
}

export interface OfflineForm {
  fields: string[];
  required: string[];
  oneOf: string[];
}

export interface Group {
  id: string;
  name: string;
  members?: string[];
  policy?: string;
}

export type ServerEvent =
  | { event: "welcome"; tenant: string; visitorId: string; visitorToken: string; conversation?: ConversationView }
  | { event: "welcome"; tenant: string; operator: OperatorView; conversations: ConversationView[]; queue: QueueEntry[] }
  | { event: "pong" }
  | { event: "error"; code: string; message: string; field?: string }
  | { event: "conversation.started"; view: ConversationView; outcome: "created" | "existing" | "reopened" }
  | { event: "queue.snapshot"; entries: QueueEntry[] }
  | {
      event: "queue.updated";
      groupId: string;
      queueLength: number;
      changes: { change: "added" | "updated" | "removed"; conversationId: string; entry?: QueueEntry }[];
    }
  | { event: "queue.position"; conversationId: string; position: number; estimatedWaitSeconds: number | null }
  | { event: "conversation.preview"; view: ConversationView }
  | { event: "conversation.accepted"; view: ConversationView; operatorId: string; operatorName: string }
  | { event: "conversation.closed"; conversationId: string; closedBy: Side }
  | { event: "message"; message: Message }
  | { event: "message.delivery"; conversationId: string; seq: number; clientMessageId: string; delivery: Delivery }
  | { event: "message.ack"; conversationId: string; clientMessageId: string; seq: number; duplicate: boolean }
  | { event: "typing"; conversationId: string; from: Side; typing: boolean }
  | { event: "history"; conversationId: string; messages: Message[]; hasMore: boolean }
  | { event: "operator.state"; operator: OperatorView }
  | { event: "conversation.transferred"; conversationId: string; toOperatorId?: string; toGroupId?: string }
  | { event: "conversation.transferring"; conversationId: string }
  | { event: "transfer.offered"; view: ConversationView; fromOperatorId: string; comment?: string; deadline: number }
  | { event: "transfer.returned"; conversationId: string; toOperatorId: string; byOperatorId?: string; reason?: string }
  | { event: "invitation.created"; code: string; expiresAt: number }
  | { event: "invitation.arrived"; view: ConversationView }
  | { event: "conversation.offline"; reason: "closed" | "no_operator"; form: OfflineForm }
  | { event: "offline.received"; offlineRequestId: string }
  | { event: "group.list"; groups: Group[] }
  | { event: "card.list"; channel?: string; language?: string; cards: CardDefinition[] }
  | { event: "card.preview"; card: CardView }
  | { event: "card"; card: CardView }
  | { event: "card.answered"; card: CardView; outcome: string; by: string; sound: boolean }
  | { event: "card.expired"; card: CardView };

export type EventName = ServerEvent["event"];
export type EventOf<N extends EventName> = Extract<ServerEvent, { event: N }>;
