// The client panel beside a preview: who the client is across channels,
// past sessions, browsing history, tags, operators' notes and additional
// information (`client.preview`).

import type { EventOf } from "../shared/protocol";
import { textOf } from "../shared/protocol";
import { el } from "../shared/dom";
import { channelIcon } from "./icons";

export type ClientPanel = EventOf<"client.preview">;

const when = (at: number | null | undefined) => (at ? new Date(at).toLocaleString() : "");

export function clientPanel(p: ClientPanel): HTMLElement {
  const section = (title: string, ...body: (Node | string)[]) =>
    el("section", { "aria-label": title }, el("h3", {}, title), ...body);
  const tags = p.tags.length ? el("ul", { class: "tags" }, ...p.tags.map((t) => el("li", {}, t))) : el("p", { class: "muted" }, "No tags.");
  const sessions = el("ol", { class: "sessions" });
  for (const s of p.sessions) {
    sessions.append(
      el("li", {}, channelIcon(s.channel), ` ${when(s.enqueuedAt)} · ${s.outcome.replace(/_/g, " ")}`, s.operator ? ` · ${s.operator}` : ""),
    );
  }
  const pages = el("ul", { class: "pages" });
  for (const v of p.pageViews.slice(0, 10)) {
    pages.append(el("li", {}, `${when(v.at)} `, el("span", { class: "url" }, v.title ? `${v.title} — ${v.url}` : v.url)));
  }
  const notes = el("ul", { class: "notes" }, ...p.notes.map((n) => el("li", {}, textOf(n) ?? "")));
  const info = el("dl", { class: "facts" });
  for (const f of p.fields) {
    const value = p.info[f.key];
    if (value !== undefined && value !== null) info.append(el("dt", {}, f.label), el("dd", {}, String(value)));
  }
  return el(
    "aside",
    { class: "client-panel", "aria-label": "Client" },
    section("Channels", el("p", {}, ...p.channels.flatMap((c) => [channelIcon(c.channel), " "]))),
    section("Tags", tags),
    section(`Sessions (${p.sessions.length})`, sessions),
    section("Browsing history", p.pageViews.length ? pages : el("p", { class: "muted" }, "No pages seen.")),
    section("Notes", p.notes.length ? notes : el("p", { class: "muted" }, "No notes.")),
    ...(info.childElementCount ? [section("Additional information", info)] : []),
  );
}
