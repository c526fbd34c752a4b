// Generated from docs/protocol/actions.schema.json by web/gen-types.mjs; do not edit.
// The Rust types are the source: UPDATE_SCHEMA=1 scripts/test -p switchboard-tests --test protocol_schema, then npm run build.

/**
 * A client frame: an action and its fields.
 */
export type ClientAction =
  | {
      action: "hello";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    }
  | {
      action: "ping";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    }
  | ({
      action: "conversation.start";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & StartConversation)
  | ({
      action: "message.send";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SendMessage)
  | ({
      action: "note.add";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & AddNote)
  | ({
      action: "typing";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & Typing)
  | ({
      action: "history";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & History)
  | {
      action: "queue.list";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    }
  | ({
      action: "conversation.preview";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ConversationRef)
  | ({
      action: "conversation.accept";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ConversationRef)
  | ({
      action: "conversation.close";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & OptionalConversationRef)
  | ({
      action: "operator.status";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SetStatus)
  | ({
      action: "tenant.settings";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & UpdateSettings)
  | ({
      action: "group.put";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & PutGroup)
  | {
      action: "group.list";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    }
  | ({
      action: "sla.put";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & PutSlaRules)
  | {
      action: "sla.list";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    }
  | ({
      action: "conversation.transfer";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & Transfer)
  | ({
      action: "conversation.redirect";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & Transfer)
  | ({
      action: "transfer.decline";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & DeclineTransfer)
  | ({
      action: "conversation.assign";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & AdminAssign)
  | ({
      action: "invitation.create";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & CreateInvitation)
  | ({
      action: "offline.submit";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SubmitOffline)
  | ({
      action: "operator.conversations";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & OperatorRef)
  | ({
      action: "widget.route";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & RouteWidget)
  | ({
      action: "widget.origins";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SetWidgetOrigins)
  | ({
      action: "client.tags";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & TagClient)
  | ({
      action: "card.put";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & PutCard)
  | ({
      action: "card.list";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ListCards)
  | ({
      action: "card.preview";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & PreviewCard)
  | ({
      action: "card.send";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SendCard)
  | ({
      action: "card.resolve";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ResolveCard)
  | ({
      action: "card.get";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & CardRef)
  | ({
      action: "template.put";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & PutTemplate)
  | ({
      action: "template.list";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ListTemplates)
  | ({
      action: "template.preview";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & UseTemplate)
  | ({
      action: "template.send";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & UseTemplate)
  | {
      action: "template.sync";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    }
  | ({
      action: "textblock.search";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SearchTextBlocks)
  | ({
      action: "textblock.insert";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & InsertTextBlock)
  | ({
      action: "client.info";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ClientInfo)
  | ({
      action: "page.view";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ViewPage)
  | ({
      action: "client.pages";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ConversationRef)
  | ({
      action: "conversation.progress";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SetProgress)
  | ({
      action: "conversation.list";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ListConversations)
  | ({
      action: "conversation.search";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & SearchConversations)
  | ({
      action: "conversation.tags";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & TagClient)
  | ({
      action: "client.preview";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & ConversationRef)
  | ({
      action: "client.merge.plan";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & MergeClients)
  | ({
      action: "client.merge";
      /**
       * Echoed on the events that answer this frame.
       */
      requestId?: string;
    } & MergeClients);
/**
 * How the client asked to be served.
 */
export type EntryType = "chat" | "video" | "callback";
/**
 * Chosen by the sending client so that a resent message is recognised.
 */
export type ClientMessageId = string;
export type ConversationId = string;
/**
 * Message text: non-empty after trimming and at most [`MessageText::MAX_CHARS`].
 */
export type MessageText = string;
/**
 * How many messages one `history` page may ask for: 1 to [`MAX_HISTORY_PAGE`].
 * Out of range is refused, not clamped, so a client learns its mistake.
 */
export type HistoryLimit = number;
/**
 * Offline is what disconnecting means; it cannot be chosen while connected.
 */
export type SettableStatus = "online" | "away";
/**
 * A group of operators with a waiting queue of its own ("Sales",
 * "Support DE"). Every tenant has the default group, of all operators.
 */
export type GroupId = string;
export type Day = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
/**
 * A human agent of a tenant.
 */
export type OperatorId = string;
/**
 * Where the client writes from. Only the web widget exists yet; the messaging
 * channels arrive with their webhooks and already have a place here.
 */
export type Channel = "webchat" | "whatsapp" | "messenger" | "instagram" | "apple" | "vk";
/**
 * The public id a tenant embeds in its website's widget snippet.
 */
export type WidgetId = string;
/**
 * The channel types a card is written for: the three that render a form.
 */
export type CardChannel = "webchat" | "apple" | "whatsapp";
export type CardField = {
  default?: unknown;
  id: string;
  label: string;
  required?: boolean;
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
export type CardOutcome = "confirmed" | "cancelled";
/**
 * Where operators stand with a conversation, apart from its lifecycle
 * status: a client's new message makes it `Unread` until someone marks it
 * `Unresolved` or `Done`.
 */
export type Progress = "unread" | "unresolved" | "done";
export type ProgressFilter = "unread" | "unresolved" | "done" | "all";
export type ListScope = ("mine" | "unassigned") | "operator";
export type ListSort = "newest" | "sla";
export type ListState = "open" | "closed";
/**
 * Whose value wins a conflict.
 */
export type Side = ("into" | "from") | undefined;

export interface StartConversation {
  entry: EntryInfo;
  /**
   * A six-digit code from an operator: the conversation goes to them.
   */
  invitationCode?: string | null;
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
export interface SendMessage {
  clientMessageId: ClientMessageId;
  /**
   * Visitors may leave it out: they have one current conversation.
   */
  conversationId?: ConversationId | null;
  text: MessageText;
}
/**
 * An internal note: stored in the conversation's order, seen by operators only.
 */
export interface AddNote {
  clientMessageId: ClientMessageId;
  conversationId: ConversationId;
  text: MessageText;
}
export interface Typing {
  conversationId?: ConversationId | null;
  typing: boolean;
}
export interface History {
  before?: number | null;
  conversationId?: ConversationId | null;
  limit?: HistoryLimit | null;
}
export interface ConversationRef {
  conversationId: ConversationId;
}
export interface OptionalConversationRef {
  conversationId?: ConversationId | null;
}
export interface SetStatus {
  status: SettableStatus;
}
export interface UpdateSettings {
  maxChats: number;
  /**
   * Unchanged if absent.
   */
  transferTimeoutSeconds?: number | null;
}
/**
 * An admin defines a group (or the default group's policy).
 */
export interface PutGroup {
  groupId: GroupId;
  /**
   * None: always open.
   */
  hours?: BusinessHours | null;
  members?: OperatorId[];
  name: string;
  policy?: "manual" | "auto";
}
export interface BusinessHours {
  /**
   * Whole days closed (holidays), as "YYYY-MM-DD" in the group's zone.
   */
  closedDates?: string[];
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
/**
 * An admin replaces the tenant's SLA rules, in the order they are tried.
 */
export interface PutSlaRules {
  rules: SlaRule[];
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
  priority?: "urgent" | "high" | "normal" | "low";
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
 * Hands an active conversation to another operator or a group. Exactly one
 * of `toOperatorId` and `toGroupId`.
 */
export interface Transfer {
  /**
   * Internal: operators only, never shown to the client.
   */
  comment?: string | null;
  conversationId: ConversationId;
  toGroupId?: GroupId | null;
  toOperatorId?: OperatorId | null;
}
/**
 * The addressed operator turns a transfer down; it returns to its group.
 */
export interface DeclineTransfer {
  conversationId: ConversationId;
  reason?: string | null;
}
/**
 * An admin gives a waiting conversation to an operator.
 */
export interface AdminAssign {
  conversationId: ConversationId;
  operatorId: OperatorId;
}
/**
 * An operator asks for an invitation code for a client.
 */
export interface CreateInvitation {
  /**
   * How long the code is valid: 1 to 1,440 minutes, 30 by default.
   */
  validMinutes?: number | null;
}
/**
 * A client's offline form, when the service was offline.
 */
export interface SubmitOffline {
  email?: string | null;
  /**
   * What the client was starting when told the service is offline.
   */
  entryType?: EntryType | null;
  message?: string | null;
  name?: string | null;
  phone?: string | null;
}
/**
 * Names an operator (the admin's "Others" view).
 */
export interface OperatorRef {
  operatorId: OperatorId;
}
export interface RouteWidget {
  groupId: GroupId;
  /**
   * Where the widget's offline forms are e-mailed; absent: stored only.
   */
  offlineEmail?: string | null;
  widgetId: WidgetId;
}
/**
 * An admin names the sites that may open a widget's visitor sockets
 * (empty: any).
 */
export interface SetWidgetOrigins {
  allowedOrigins: string[];
  widgetId: WidgetId;
}
/**
 * An operator tags the client of a conversation they may open.
 */
export interface TagClient {
  add?: string[];
  conversationId: ConversationId;
  remove?: string[];
}
/**
 * `card.put`: an admin saves a card (also during a conversation).
 */
export interface PutCard {
  card: CardDraft;
}
/**
 * A card as an admin writes it; the id is new when absent.
 */
export interface CardDraft {
  cancelLabel?: string | null;
  channel: CardChannel;
  confirmLabel?: string | null;
  expiresAfterSeconds?: number | null;
  fields?: CardField[];
  id?: string | null;
  imageUrl?: string | null;
  language: string;
  name: string;
  text: string;
  title: string;
  whatsappFlowId?: string | null;
}
export interface ChoiceOption {
  id: string;
  label: string;
}
/**
 * `card.list`: the cards for a conversation (its channel type and the
 * client's language), or for the channel type and language named.
 */
export interface ListCards {
  channel?: CardChannel | null;
  conversationId?: ConversationId | null;
  /**
   * Another language than the client's; all of its cards.
   */
  language?: string | null;
}
/**
 * `card.preview`: how a card with these prefills would look to the client.
 */
export interface PreviewCard {
  cardId: string;
  conversationId?: ConversationId | null;
  values?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * `card.send`: the card, prefilled, into the operator's conversation.
 */
export interface SendCard {
  cardId: string;
  /**
   * Chosen by the sending client so that a resent message is recognised.
   */
  clientMessageId: string;
  conversationId: ConversationId;
  values?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * `card.resolve`: the operator confirms or cancels from their side.
 */
export interface ResolveCard {
  instanceId: string;
  outcome: CardOutcome;
}
/**
 * `card.get`: a sent card as it stands (a client reloading its chat).
 */
export interface CardRef {
  instanceId: string;
}
/**
 * `template.put`: an admin defines a WhatsApp template as Meta approved it.
 */
export interface PutTemplate {
  category: string;
  components: TemplateComponent[];
  language: string;
  name: string;
  status?: string | null;
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
/**
 * `template.list`: the approved templates in the conversation's client
 * language, or in `language`.
 */
export interface ListTemplates {
  conversationId?: ConversationId | null;
  language?: string | null;
}
/**
 * `template.preview` and `template.send`: a template with its placeholders
 * filled; a send names its conversation and client message id.
 */
export interface UseTemplate {
  clientMessageId?: ClientMessageId | null;
  conversationId?: ConversationId | null;
  language: string;
  name: string;
  parameters?: TemplateParameters;
}
/**
 * What the operator fills in: the header's and the body's placeholders.
 */
export interface TemplateParameters {
  body?: string[];
  header?: string[];
}
/**
 * `#` and what follows it: blocks in the conversation's language (or
 * `language`), best first.
 */
export interface SearchTextBlocks {
  /**
   * Whose language to search in.
   */
  conversationId?: ConversationId | null;
  /**
   * A language tag instead of the conversation's; neither: every language.
   */
  language?: string | null;
  /**
   * 1 to 20; 10 by default.
   */
  limit?: number | null;
  /**
   * What was typed after `#`; empty lists blocks by name.
   */
  query?: string;
}
/**
 * A block chosen: its text with the placeholders of this conversation
 * filled, for the operator to edit and send.
 */
export interface InsertTextBlock {
  blockId: string;
  conversationId: ConversationId;
}
/**
 * The client of a conversation: their additional information, and with
 * `values` a change to it (a null value clears a field).
 */
export interface ClientInfo {
  conversationId: ConversationId;
  values?: {
    [k: string]: unknown | undefined;
  } | null;
}
/**
 * A visitor's widget reports the page they are on.
 */
export interface ViewPage {
  title?: string | null;
  url: string;
}
/**
 * An operator marks where they stand with a conversation.
 */
export interface SetProgress {
  conversationId: ConversationId;
  progress: Progress;
}
/**
 * The console's conversation lists.
 */
export interface ListConversations {
  channel?: Channel | null;
  cursor?: string | null;
  /**
   * 1 to 50; 20 by default.
   */
  limit?: number | null;
  operatorId?: OperatorId | null;
  progress?: ProgressFilter;
  scope?: ListScope;
  sort?: ListSort;
  state?: ListState;
}
/**
 * Conversations found by a client's name or phone.
 */
export interface SearchConversations {
  /**
   * 1 to 50; 20 by default.
   */
  limit?: number | null;
  query: string;
}
/**
 * Unite: the client of `fromConversationId` (B) merged into the client of
 * `conversationId` (A). `choose` settles each field they disagree on
 * (`name`, `phone`, `email`, `info.<key>`) with `"into"` (A's) or
 * `"from"` (B's); `client.merge.plan` shows those fields first.
 */
export interface MergeClients {
  choose?: {
    [k: string]: Side | undefined;
  };
  conversationId: ConversationId;
  fromConversationId: ConversationId;
}
