// Channel marks for the queue and the chat list: a letter badge in the
// channel's colour with its name for screen readers, so no image is fetched.

import type { Channel } from "../shared/protocol";
import { el } from "../shared/dom";

const CHANNELS: Record<Channel, { label: string; mark: string }> = {
  webchat: { label: "WebChat", mark: "W" },
  whatsapp: { label: "WhatsApp", mark: "WA" },
  messenger: { label: "Messenger", mark: "M" },
  instagram: { label: "Instagram", mark: "IG" },
  apple: { label: "Apple Messages", mark: "A" },
  vk: { label: "VK", mark: "VK" },
};

export function channelIcon(channel: Channel): HTMLElement {
  const c = CHANNELS[channel] ?? { label: channel, mark: "?" };
  return el("span", { class: `channel channel-${channel}`, role: "img", "aria-label": c.label, title: c.label }, c.mark);
}

export function channelLabel(channel: Channel): string {
  return CHANNELS[channel]?.label ?? channel;
}
