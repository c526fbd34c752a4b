// Generated from docs/protocol/events.schema.json by web/gen-types.mjs; do not edit.
// The Rust types are the source: UPDATE_SCHEMA=1 scripts/test -p switchboard-tests --test protocol_schema, then npm run build.

export type ServerEvent =
  | {
      conversation?: ConversationView | null;
      /**
       * The entry form's buttons, in order, as the widget's admin chose.
       */
      entries: WidgetEntry[];
      event: "welcome";
      tenant: TenantId;
      visitorId: VisitorId;
      /**
       * Present it as `visitorToken` when reconnecting to resume.
       */
      visitorToken: string;
    }
  | {
      conversations: ConversationView[];
      event: "welcome";
      operator: OperatorView;
      queue: QueueEntry[];
      tenant: TenantId;
    }
  | {
      event: "pong";
    }
  | {
      code: string;
      event: "error";
      field?: string | null;
      message: string;
    }
  | {
      event: "conversation.started";
      /**
       * `created`, `existing` or `reopened`.
       */
      outcome: string;
      view: ConversationView;
    }
  | {
      entries: QueueEntry[];
      event: "queue.snapshot";
    }
  | {
      changes: QueueUpdated[];
      event: "queue.updated";
      /**
       * A group of operators with a waiting queue of its own ("Sales",
       * "Support DE"). Every tenant has the default group, of all operators.
       */
      groupId: string;
      queueLength: number;
    }
  | {
      conversationId: ConversationId;
      /**
       * None while nobody who could serve the queue is online.
       */
      estimatedWaitSeconds: number | null;
      event: "queue.position";
      position: number;
    }
  | {
      event: "conversation.preview";
      view: ConversationView;
    }
  | {
      event: "conversation.accepted";
      operatorId: OperatorId;
      operatorName: string;
      view: ConversationView;
    }
  | {
      closedBy: Side;
      conversationId: ConversationId;
      event: "conversation.closed";
    }
  | {
      event: "message";
      message: Message;
    }
  | {
      clientMessageId: string;
      conversationId: ConversationId;
      delivery: Delivery;
      event: "message.delivery";
      seq: number;
    }
  | {
      clientMessageId: string;
      conversationId: ConversationId;
      duplicate: boolean;
      event: "message.ack";
      seq: number;
    }
  | {
      conversationId: ConversationId;
      event: "typing";
      from: Side;
      typing: boolean;
    }
  | {
      conversationId: ConversationId;
      event: "history";
      hasMore: boolean;
      messages: Message[];
    }
  | {
      event: "operator.state";
      operator: OperatorView;
    }
  | {
      event: "tenant.settings";
      maxChats: number;
      transferTimeoutSeconds: number;
    }
  | {
      conversationId: ConversationId;
      event: "conversation.transferred";
      toGroupId?: GroupId | null;
      toOperatorId?: OperatorId | null;
    }
  | {
      conversationId: ConversationId;
      event: "conversation.redirected";
      toGroupId?: GroupId | null;
      toOperatorId?: OperatorId | null;
    }
  | {
      conversationId: ConversationId;
      event: "conversation.transferring";
    }
  | {
      comment?: string | null;
      deadline: Timestamp;
      event: "transfer.offered";
      fromOperatorId: OperatorId;
      view: ConversationView;
    }
  | {
      byOperatorId?: OperatorId | null;
      conversationId: ConversationId;
      event: "transfer.returned";
      reason?: string | null;
      toOperatorId: OperatorId;
    }
  | {
      code: string;
      event: "invitation.created";
      expiresAt: Timestamp;
    }
  | {
      event: "invitation.arrived";
      view: ConversationView;
    }
  | {
      event: "conversation.offline";
      form: OfflineFormView;
      reason: OfflineReason;
    }
  | {
      event: "offline.received";
      offlineRequestId: string;
    }
  | {
      conversations: ConversationView[];
      event: "operator.conversations";
      operatorId: OperatorId;
    }
  | {
      conversationId: ConversationId;
      event: "conversation.assigned";
      operatorId: OperatorId;
    }
  | {
      event: "group.saved";
      group: Group;
    }
  | {
      event: "group.list";
      groups: Group[];
    }
  | {
      event: "sla.saved";
      rules: SlaRule[];
    }
  | {
      event: "sla.list";
      rules: SlaRule[];
    }
  | {
      event: "widget.routed";
      widget: Widget;
    }
  | {
      event: "widget.saved";
      widget: Widget;
    }
  | {
      event: "client.tags";
      tags: string[];
      visitorId: VisitorId;
    }
  | {
      blocks: TextBlock[];
      event: "textblock.results";
      language?: string | null;
      query: string;
    }
  | {
      blockId: string;
      conversationId: ConversationId;
      event: "textblock.filled";
      text: string;
      unfilled: string[];
    }
  | {
      conversations: ConversationSummary[];
      event: "conversation.list";
      next?: string | null;
    }
  | {
      conversations: ConversationSummary[];
      event: "conversation.search";
      query: string;
    }
  | {
      conversationId: ConversationId;
      event: "conversation.tags";
      tags: string[];
    }
  | {
      by: OperatorId;
      conversationId: ConversationId;
      event: "conversation.progress";
      progress: Progress;
    }
  | (ClientPreview & {
      event: "client.preview";
    })
  | (MergePlan & {
      event: "client.merge.plan";
    })
  | (Merged & {
      event: "client.merged";
    })
  | {
      event: "client.pages";
      pageViews: PageView[];
      visitorId: VisitorId;
    }
  | {
      conversationId: ConversationId;
      event: "client.page";
      pageView: PageView;
    }
  | {
      event: "client.info";
      fields: InfoField[];
      values: {
        [k: string]: unknown | undefined;
      };
      visitorId: VisitorId;
    }
  | {
      card: CardDefinition;
      event: "card.saved";
    }
  | {
      cards: CardDefinition[];
      channel?: CardChannel | null;
      event: "card.list";
      language?: string | null;
    }
  | {
      card: CardView;
      event: "card.preview";
      payload?: unknown;
    }
  | {
      event: "template.saved";
      template: WhatsAppTemplate;
    }
  | {
      event: "template.list";
      language?: string | null;
      templates: WhatsAppTemplate[];
    }
  | {
      event: "template.synced";
      templates: WhatsAppTemplate[];
    }
  | {
      event: "template.preview";
      payload: unknown;
      text: string;
    }
  | {
      card: CardView;
      event: "card";
    }
  | {
      card: CardView;
      event: "card.expired";
    }
  | {
      by: CardSide;
      card: CardView;
      event: "card.answered";
      outcome: CardOutcome;
      sound: boolean;
    };
/**
 * Milliseconds since the Unix epoch. Time always comes from an injected clock,
 * never from the system inside domain code.
 */
export type Timestamp = number;
/**
 * Where the client writes from. Only the web widget exists yet; the messaging
 * channels arrive with their webhooks and already have a place here.
 */
export type Channel = "webchat" | "whatsapp" | "messenger" | "instagram" | "apple" | "vk";
/**
 * A website visitor (a contact reached through the chat widget).
 */
export type VisitorId = string;
/**
 * How the client asked to be served.
 */
export type EntryType = "chat" | "video" | "callback";
export type ConversationId = string;
/**
 * A human agent of a tenant.
 */
export type OperatorId = string;
/**
 * Who ended a session.
 */
export type ClosedBy =
  | {
      kind: "visitor";
    }
  | {
      id: OperatorId;
      kind: "operator";
    };
/**
 * How urgent a rule makes a conversation. Queues serve `urgent` first.
 */
export type Priority = "urgent" | "high" | "normal" | "low";
export type ConversationStatus = "waiting" | "active" | "closed";
/**
 * A company using Switchboard. Every other record belongs to exactly one tenant.
 */
export type TenantId = string;
/**
 * A stored message. `seq` is its place in the conversation: 1, 2, 3, ... with
 * no gaps, assigned by the store, and the one order both sides see.
 */
export type Message = {
  author: Author;
  clientId: ClientMessageId;
  conversation: ConversationId;
  createdAt: Timestamp;
  delivery?: Delivery | null;
  externalId?: string | null;
  seq: number;
} & Message1;
/**
 * Who wrote a message. System lines (accepted, closed, ...) are written by the platform.
 */
export type Author =
  | {
      id: VisitorId;
      kind: "visitor";
    }
  | {
      id: OperatorId;
      kind: "operator";
    }
  | {
      kind: "system";
    }
  | {
      id: string;
      kind: "business";
    };
/**
 * Chosen by the sending client so that a resent message is recognised.
 */
export type ClientMessageId = string;
/**
 * A provider's numeric error code, or one of ours where the provider gave none.
 */
export type ErrorCode = number | string;
export type DeliveryState = ("sent" | "failed" | "delivered" | "read") | "queued";
export type Message1 =
  | {
      text: MessageText;
      type: "text";
    }
  | {
      attachments: Attachment[];
      text?: MessageText | null;
      type: "attachments";
    }
  | {
      reply: Reply;
      text?: MessageText | null;
      type: "reply";
    }
  | {
      card: Card;
      type: "card";
    }
  | {
      template: Template;
      type: "template";
    }
  | {
      text: MessageText;
      type: "note";
    }
  | {
      event: SystemLine;
      type: "system";
    }
  | {
      type: "unsupported";
    };
/**
 * Message text: non-empty after trimming and at most [`MessageText::MAX_CHARS`].
 */
export type MessageText = string;
/**
 * What an attachment is. Providers add kinds over time; one we do not know
 * is kept by its name rather than lost.
 */
export type AttachmentKind =
  ("image" | "video" | "audio" | "document" | "sticker" | "file" | "location" | "contacts") | string;
/**
 * What kind of control a reply answers. Hero Cards resolve by these.
 */
export type ReplyKind =
  | (
      | "button"
      | "list"
      | "template_button"
      | "flow"
      | "quick_reply"
      | "postback"
      | "apple_interactive"
      | "apple_list_picker"
      | "apple_time_picker"
      | "apple_form"
      | "apple_quick_reply"
    )
  | "pending_interactive_data_ref"
  | string;
export type SystemLine =
  | {
      kind: "assigned";
      operator: OperatorId;
    }
  | {
      from: OperatorId;
      kind: "transferred";
      to: OperatorId;
    }
  | {
      /**
       * Who answered a card.
       */
      by: "client" | "operator";
      definition: string;
      instance: string;
      kind: "card_outcome";
      outcome: CardOutcome;
      /**
       * "Confirmed by the client" in the conversation's language.
       */
      text: string;
    }
  | {
      by: ClosedBy;
      kind: "closed";
    }
  | {
      kind: "reopened";
    };
export type CardOutcome = "confirmed" | "cancelled";
/**
 * A way in that a widget offers, as a button on its entry form. A widget
 * lists the ones it offers, in the order its buttons show.
 */
export type WidgetEntry = ("chat" | "video") | "callback" | "invitation";
export type Role = "operator" | "admin";
export type OperatorStatus = "online" | "away" | "offline";
export type QueueUpdate = "added" | "removed";
export type Side = "visitor" | "operator";
/**
 * A group of operators with a waiting queue of its own ("Sales",
 * "Support DE"). Every tenant has the default group, of all operators.
 */
export type GroupId = string;
/**
 * Why the service is offline for a start.
 */
export type OfflineReason = "closed" | "no_operator";
export type Day = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
/**
 * The public id a tenant embeds in its website's widget snippet.
 */
export type WidgetId = string;
/**
 * Where operators stand with a conversation, apart from its lifecycle
 * status: a client's new message makes it `Unread` until someone marks it
 * `Unresolved` or `Done`.
 */
export type Progress = "unread" | "unresolved" | "done";
export type InfoField = {
  /**
   * `[a-z][a-z0-9_]*`, at most 40: what placeholders (`{info.key}`) and
   * exports name it by.
   */
  key: string;
  label: string;
  required: boolean;
  tenant: TenantId;
  updatedAt: Timestamp;
} & InfoField1;
export type InfoField1 =
  | {
      /**
       * At most this many characters (default 500, at most 2,000).
       */
      maxLength?: number | null;
      type: "text";
    }
  | {
      /**
       * Whole numbers only.
       */
      integer: boolean;
      max?: number | null;
      min?: number | null;
      type: "number";
    }
  | {
      type: "date";
    }
  | {
      options: string[];
      type: "choice";
    };
/**
 * The channel types a card is written for: the three that render a form.
 */
export type CardChannel = "webchat" | "apple" | "whatsapp";
export type CardField = {
  default?: unknown;
  id: string;
  label: string;
  required: boolean;
} & CardField1;
export type CardField1 =
  | {
      type: "text";
    }
  | {
      type: "number";
    }
  | {
      type: "date";
    }
  | {
      type: "time";
    }
  | {
      type: "yes_no";
    }
  | {
      options: ChoiceOption[];
      type: "choice";
    };
/**
 * Who answered a card.
 */
export type CardSide = "client" | "operator";

export interface ConversationView {
  conversation: Conversation;
  hasMore: boolean;
  messages: Message[];
  /**
   * Place in the waiting queue, 1 = next; only while waiting.
   */
  position?: number | null;
}
export interface Conversation {
  /**
   * How many contacts are merged into this conversation's client; one
   * with any cannot itself be merged away until those are undone.
   */
  absorbed?: number;
  acceptedAt?: Timestamp | null;
  channel: Channel;
  /**
   * The contact this conversation's client was merged into (Unite):
   * their tags, information and name are that contact's now. None: the
   * conversation's own visitor.
   */
  client?: VisitorId | null;
  closedAt?: Timestamp | null;
  /**
   * Milliseconds since the Unix epoch. Time always comes from an injected clock,
   * never from the system inside domain code.
   */
  createdAt: number;
  /**
   * Milliseconds since the Unix epoch. Time always comes from an injected clock,
   * never from the system inside domain code.
   */
  enqueuedAt: number;
  entry: EntryInfo;
  /**
   * The group whose queue it waits in (conversations from before groups
   * are the default group's).
   */
  group: string;
  id: ConversationId;
  /**
   * Milliseconds since the Unix epoch. Time always comes from an injected clock,
   * never from the system inside domain code.
   */
  lastActivityAt: number;
  /**
   * Number of the newest timeline event (0 = none yet).
   */
  lastEvent: number;
  /**
   * Sequence number of the newest stored message (0 = none yet).
   */
  lastSeq: number;
  operator?: OperatorId | null;
  /**
   * While waiting for one operator's answer to a transfer.
   */
  pendingTransfer?: PendingTransfer | null;
  /**
   * Where operators stand with it: a client's new message makes it
   * unread again.
   */
  progress: "unread" | "unresolved" | "done";
  /**
   * Every session, oldest first; the last is the current one. Only ever
   * appended to, or the current one filled in.
   */
  sessions: Session[];
  /**
   * What the SLA rules gave it on entering the queue (None: normal
   * priority, no deadline, or not yet looked at). Kept once it is
   * accepted, so the deadline can be checked; entering a queue again
   * starts it afresh.
   */
  sla?: Sla | null;
  status: ConversationStatus;
  /**
   * Operators' tags on this conversation (normalized, sorted); the
   * client's own are on their contact.
   */
  tags?: string[];
  tenant: TenantId;
  visitor: VisitorId;
}
/**
 * What the widget knows when a conversation starts, shown to operators in the queue.
 */
export interface EntryInfo {
  browser: string;
  /**
   * From the entry form, or chosen when contacts are merged.
   */
  email?: string | null;
  language: string;
  name?: string | null;
  os: string;
  pageUrl: string;
  phone?: string | null;
  type: EntryType;
  widget: string;
}
/**
 * A transfer to one operator awaiting their answer.
 */
export interface PendingTransfer {
  /**
   * Milliseconds since the Unix epoch. Time always comes from an injected clock,
   * never from the system inside domain code.
   */
  deadline: number;
  from: OperatorId;
  to: OperatorId;
}
/**
 * One stretch of a conversation: waiting from `enqueued_at`, handled by
 * `operator` from `accepted_at`, until `closed_at`. A reopen starts the next.
 */
export interface Session {
  acceptedAt?: Timestamp | null;
  closedAt?: Timestamp | null;
  closedBy?: ClosedBy | null;
  enqueuedAt: Timestamp;
  /**
   * An operator's first message in it.
   */
  firstResponseAt?: Timestamp | null;
  /**
   * The sequence number of the first message that can be in it (the
   * conversation's `lastSeq + 1` when it began; 0: from before this was
   * kept).
   */
  firstSeq?: number;
  /**
   * 1 for the first, counting up.
   */
  number: number;
  operator?: OperatorId | null;
}
/**
 * What a conversation in a queue was given: its priority and deadline, and
 * the rule that gave them (for operators to see why).
 */
export interface Sla {
  deadline?: Timestamp | null;
  priority: Priority;
  rule: string;
}
/**
 * Where an outbound message stands with its channel.
 */
export interface Delivery {
  error?: DeliveryError | null;
  state: DeliveryState;
  updatedAt: Timestamp;
}
/**
 * Why a send failed, in terms an operator can act on.
 */
export interface DeliveryError {
  /**
   * What to do next, e.g. `send_approved_template_to_reengage`.
   */
  action: string;
  code: ErrorCode;
  message?: string | null;
  retryable: boolean;
}
/**
 * A file the client sent, kept as the provider's reference; downloading it to
 * our own storage is a later step.
 */
export interface Attachment {
  caption?: string | null;
  kind: AttachmentKind;
  mime_type?: string | null;
  name?: string | null;
  provider_media_id?: string | null;
  sha256?: string | null;
  size?: number | null;
  url?: string | null;
}
/**
 * A tap or selection answering something we sent: a button, list row,
 * quick reply, postback, Apple picker. The ids are what a Hero Card resolves by.
 */
export interface Reply {
  data?: unknown;
  description?: string | null;
  kind: ReplyKind;
  reply_id?: string | null;
  /**
   * Apple's `requestIdentifier`, echoed from what we sent.
   */
  request_id?: string | null;
  selected_ids?: string[];
  title?: string | null;
}
export interface Card {
  /**
   * The tenant's card definition it was made from.
   */
  definition: string;
  /**
   * The values it was sent with (the operator's prefills).
   */
  fields: {
    [k: string]: unknown | undefined;
  };
  /**
   * The sent card ([`crate::cards::CardInstance`]) this item shows.
   */
  instance: string;
  title: string;
}
export interface Template {
  headerParameters?: string[];
  language: string;
  name: string;
  /**
   * The body's parameters, in order.
   */
  parameters?: string[];
  /**
   * The text as the client reads it, filled in.
   */
  text?: string;
}
export interface OperatorView {
  activeChats: number;
  id: OperatorId;
  inVideoCall: boolean;
  maxChats: number;
  name: string;
  roles: Role[];
  status: OperatorStatus;
}
export interface QueueEntry {
  conversation: Conversation;
  position: number;
}
/**
 * One conversation's change in a `queue.updated`.
 */
export interface QueueUpdated {
  change: QueueUpdate;
  conversationId: ConversationId;
  /**
   * Its place and details while it waits.
   */
  entry?: QueueEntry | null;
}
/**
 * The offline form's fields, as a widget renders it.
 */
export interface OfflineFormView {
  fields: string[];
  /**
   * At least one of these.
   */
  oneOf: string[];
  required: string[];
}
export interface Group {
  /**
   * None: always open (as far as hours go).
   */
  hours?: BusinessHours | null;
  id: GroupId;
  /**
   * Empty for the default group, whose members are all the tenant's operators.
   */
  members: OperatorId[];
  name: string;
  policy: "manual" | "auto";
  tenant: TenantId;
}
export interface BusinessHours {
  /**
   * Whole days closed (holidays), as "YYYY-MM-DD" in the group's zone.
   */
  closedDates: string[];
  openings: Opening[];
  /**
   * An IANA time zone ("Europe/Berlin").
   */
  timezone: string;
}
/**
 * One opening interval, `open` included, `close` excluded ("09:00"–"17:30").
 */
export interface Opening {
  close: string;
  day: Day;
  open: string;
}
export interface SlaRule {
  /**
   * The target for the first response, from entering the queue; None:
   * the rule only sets a priority.
   */
  firstResponseSeconds?: number | null;
  name: string;
  /**
   * How urgent a rule makes a conversation. Queues serve `urgent` first.
   */
  priority: "urgent" | "high" | "normal" | "low";
  when?: SlaCondition;
}
/**
 * Absent: every conversation (a catch-all, which must come last).
 */
export interface SlaCondition {
  channel?: Channel | null;
  /**
   * A tag the contact carries. Case does not matter.
   */
  contactTag?: string | null;
  entryType?: EntryType | null;
  group?: GroupId | null;
  /**
   * A language tag; `de` also matches `de-AT`. Case does not matter.
   */
  language?: string | null;
}
/**
 * A chat widget embedded on one of the tenant's websites.
 */
export interface Widget {
  /**
   * The sites that may open this widget's visitor sockets
   * (`https://shop.example.com`); empty: any.
   */
  allowedOrigins?: string[];
  /**
   * What its entry form offers, in the order of its buttons. Widgets
   * stored before entries could be chosen offer all of them.
   */
  entries: WidgetEntry[];
  /**
   * Where its conversations wait; None: the tenant's default group.
   */
  group?: GroupId | null;
  id: WidgetId;
  name: string;
  /**
   * Where offline forms from this widget are e-mailed; None: they are
   * stored only.
   */
  offlineEmail?: string | null;
  tenant: TenantId;
}
export interface TextBlock {
  id: string;
  /**
   * A language tag; a block in `de` serves conversations in `de-AT` too.
   */
  language: string;
  name: string;
  tenant: TenantId;
  text: string;
  updatedAt: Timestamp;
}
export interface ConversationSummary {
  channel: Channel;
  createdAt: Timestamp;
  group: GroupId;
  id: ConversationId;
  language: string;
  lastActivityAt: Timestamp;
  name?: string | null;
  operator?: OperatorId | null;
  phone?: string | null;
  progress: Progress;
  sla?: Sla | null;
  status: ConversationStatus;
  tags?: string[];
}
/**
 * Everything the contact panel shows of a conversation's client.
 */
export interface ClientPreview {
  callParameters: EntryInfo1;
  channels: ClientChannel[];
  conversationId: ConversationId;
  email?: string | null;
  fields: InfoField[];
  hasMore: boolean;
  info: {
    [k: string]: unknown | undefined;
  };
  /**
   * The chat so far (the newest page), notes included, oldest first.
   */
  messages: Message[];
  name?: string | null;
  /**
   * The operators' notes in this conversation, oldest first.
   */
  notes: Message[];
  /**
   * Newest first, across the client's web visits.
   */
  pageViews: PageView[];
  phone?: string | null;
  /**
   * Newest first, across every channel.
   */
  sessions: PastSession[];
  /**
   * Other contacts of the tenant with the same phone or e-mail.
   */
  suggestions: Suggestion[];
  tags: string[];
  /**
   * A website visitor (a contact reached through the chat widget).
   */
  visitorId: string;
}
/**
 * How this conversation came in: entry type, language, browser, OS,
 * widget and page.
 */
export interface EntryInfo1 {
  browser: string;
  /**
   * From the entry form, or chosen when contacts are merged.
   */
  email?: string | null;
  language: string;
  name?: string | null;
  os: string;
  pageUrl: string;
  phone?: string | null;
  type: EntryType;
  widget: string;
}
/**
 * One channel the client wrote from: each is a conversation of theirs.
 */
export interface ClientChannel {
  channel: Channel;
  conversationId: ConversationId;
  visitorId: VisitorId;
}
export interface PageView {
  at: Timestamp;
  title?: string | null;
  url: string;
}
/**
 * One past or current session of the client, on any of their channels.
 */
export interface PastSession {
  acceptedAt?: Timestamp | null;
  channel: Channel;
  closedAt?: Timestamp | null;
  conversationId: ConversationId;
  enqueuedAt: Timestamp;
  number: number;
  operator?: OperatorId | null;
  /**
   * `open`, `missed` (closed before anyone took it), `closed_by_operator`
   * or `closed_by_client`.
   */
  outcome: string;
}
/**
 * Two contacts of a tenant share a phone number or an e-mail address:
 * operators are offered to merge them.
 */
export interface Suggestion {
  channel: Channel;
  conversationId: ConversationId;
  /**
   * `phone` or `email`.
   */
  matched: string;
  name?: string | null;
  visitorId: VisitorId;
}
/**
 * What a merge would do: both contacts and where they disagree.
 */
export interface MergePlan {
  conflicts: Conflict[];
  from: ClientCard;
  into: ClientCard;
}
/**
 * A field both contacts have, with different values: the operator
 * chooses. `field` is `name`, `phone`, `email` or `info.<key>`.
 */
export interface Conflict {
  field: string;
  from: unknown;
  into: unknown;
}
/**
 * What a merge moves and an undo gives back: one contact as operators
 * know them.
 */
export interface ClientCard {
  channel: Channel;
  conversation: ConversationId;
  email?: string | null;
  info: {
    [k: string]: unknown | undefined;
  };
  name?: string | null;
  phone?: string | null;
  tags: string[];
  visitor: VisitorId;
}
/**
 * A merge done: the client as it now stands.
 */
export interface Merged {
  client: ClientCard;
  conversationId: ConversationId;
  fromConversationId: ConversationId;
  fromVisitorId: VisitorId;
  mergeId: string;
  visitorId: VisitorId;
}
export interface CardDefinition {
  cancelLabel?: string | null;
  channel: CardChannel;
  /**
   * Button titles; the conversation language's words when absent.
   */
  confirmLabel?: string | null;
  /**
   * How long a sent card waits for an answer before it expires.
   */
  expiresAfterSeconds: number;
  fields: CardField[];
  id: string;
  imageUrl?: string | null;
  /**
   * A language tag: `de`, `pt-BR`.
   */
  language: string;
  name: string;
  tenant: TenantId;
  text: string;
  title: string;
  updatedAt: Timestamp;
  /**
   * WhatsApp: a published Flow that shows the fields natively.
   */
  whatsappFlowId?: string | null;
}
export interface ChoiceOption {
  id: string;
  label: string;
}
export interface CardView {
  by?: CardSide | null;
  cancelLabel: string;
  cardId: string;
  channel: CardChannel;
  confirmLabel: string;
  conversationId: ConversationId;
  expiresAt: Timestamp;
  fields: CardField[];
  imageUrl?: string | null;
  instanceId: string;
  outcome?: CardOutcome | null;
  /**
   * The outcome's chat line, in the conversation's language.
   */
  outcomeText?: string | null;
  /**
   * `open` until answered or past `expiresAt`.
   */
  state: string;
  /**
   * Where the client posts its answer (with its visitor token).
   */
  submitPath: string;
  text: string;
  title: string;
  /**
   * The prefills until answered; then the values the outcome left.
   */
  values: {
    [k: string]: unknown | undefined;
  };
}
export interface WhatsAppTemplate {
  /**
   * `MARKETING`, `UTILITY` or `AUTHENTICATION`.
   */
  category: string;
  components: TemplateComponent[];
  /**
   * WhatsApp's language code: `en_US`, `de`.
   */
  language: string;
  name: string;
  /**
   * As Meta reports it; only `APPROVED` templates are offered.
   */
  status: string;
  tenant: TenantId;
  updatedAt: Timestamp;
}
/**
 * A header, body, footer or the buttons, as the Graph API describes them.
 */
export interface TemplateComponent {
  buttons?: TemplateButton[];
  format?: string | null;
  text?: string | null;
  /**
   * `HEADER`, `BODY`, `FOOTER` or `BUTTONS`.
   */
  type: string;
}
export interface TemplateButton {
  text: string;
  /**
   * `QUICK_REPLY`, `URL`, `PHONE_NUMBER`, `FLOW`...
   */
  type: string;
}
