// The WebSocket protocol's types, generated from the Rust types (see
// generated/); this module adds the names the clients use to pick them apart.

import type { ClientAction } from "./generated/actions";
import type { Message, OfflineFormView, ServerEvent } from "./generated/events";

export type {
  Author,
  CardDefinition,
  CardField,
  CardView,
  Channel,
  Conversation,
  ConversationView,
  Delivery,
  EntryInfo,
  Group,
  Message,
  OperatorView,
  QueueEntry,
  ServerEvent,
  WidgetEntry,
} from "./generated/events";
export type { ClientAction } from "./generated/actions";

export type OfflineForm = OfflineFormView;
export type EventName = ServerEvent["event"];
export type EventOf<N extends EventName> = Extract<ServerEvent, { event: N }>;
export type ActionName = ClientAction["action"];
/** The fields of an action, without `action` and `requestId`. */
export type FieldsOf<A extends ActionName> = Omit<Extract<ClientAction, { action: A }>, "action" | "requestId">;

/** A message's text, for the types that carry one. */
export function textOf(m: Message): string | undefined {
  return "text" in m && typeof m.text === "string" ? m.text : undefined;
}
