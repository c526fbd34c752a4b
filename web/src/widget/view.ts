// The widget's DOM inside its shadow root. Parts that hold what the visitor
// types (forms, the composer, a card being filled in) are built once per
// phase or card state, so a re-render never loses input or focus.

import { textOf, type Message, type WidgetEntry } from "../shared/protocol";
import { KeyedList, type Item } from "../shared/keyed";
import { el } from "../shared/dom";
import { renderCard } from "./cards";
import { LANGUAGES, words, type Words } from "./i18n";
import type { Phase, StartRequest, VisitorSession } from "./session";
import { CSS } from "./styles";

export class WidgetView {
  private root: ShadowRoot;
  private launcher: HTMLButtonElement;
  private panel: HTMLElement;
  private title: HTMLElement;
  private status: HTMLElement;
  private body: HTMLElement;
  private typing: HTMLElement;
  private composer: HTMLFormElement;
  private input: HTMLTextAreaElement;
  private log: KeyedList | null = null;
  private shownPhase: Phase | null = null;
  /** Lays the entry form's buttons out; set while the entry form is shown. */
  private fillEntries: ((entries: WidgetEntry[]) => void) | null = null;
  private shownEntries: string | null = null;
  private w: Words;

  constructor(
    host: HTMLElement,
    private readonly session: VisitorSession,
    private language: string,
  ) {
    this.w = words(language);
    this.root = host.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    this.root.adoptedStyleSheets = [sheet];
    this.launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false" });
    this.title = el("h2", { id: "sb-title" });
    const minimize = el("button", { type: "button", class: "minimize" });
    this.status = el("div", { class: "status", role: "status", "aria-live": "polite" });
    this.body = el("div", { class: "body" });
    this.typing = el("div", { class: "typing", "aria-live": "polite" });
    this.input = el("textarea", { rows: "1", "aria-label": "" });
    this.composer = el("form", { class: "composer" }, this.input, el("button", { type: "submit" }));
    this.panel = el(
      "div",
      { class: "panel", role: "dialog", "aria-labelledby": "sb-title", hidden: "" },
      el("header", {}, this.title, minimize),
      this.status,
      this.body,
      this.typing,
      this.composer,
    );
    this.root.append(this.launcher, this.panel);
    this.launcher.addEventListener("click", () => this.open(true));
    minimize.addEventListener("click", () => this.open(false));
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.open(false);
    });
    this.composer.addEventListener("submit", (e) => {
      e.preventDefault();
      this.session.send(this.input.value);
      this.input.value = "";
      this.input.focus();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        this.composer.requestSubmit();
      }
    });
    this.input.addEventListener("input", () => this.session.typing(this.input.value.length > 0));
    this.render();
  }

  open(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (open) (this.panel.querySelector("input, textarea:not([disabled]), button") as HTMLElement | null)?.focus();
    else this.launcher.focus();
  }

  render(): void {
    const s = this.session;
    const w = this.w;
    this.launcher.textContent = w.launcher;
    this.title.textContent = s.operatorName && s.phase === "active" ? s.operatorName : w.title;
    (this.panel.querySelector(".minimize") as HTMLElement).textContent = "–";
    (this.panel.querySelector(".minimize") as HTMLElement).setAttribute("aria-label", w.minimize);
    this.input.placeholder = w.placeholder;
    this.input.setAttribute("aria-label", w.placeholder);
    (this.composer.querySelector("button") as HTMLElement).textContent = w.send;

    const phase = s.phase === "starting" ? "entry" : s.phase;
    if (phase !== this.shownPhase) {
      this.shownPhase = phase;
      this.fillEntries = null;
      this.body.replaceChildren(this.build(phase));
    }
    if (this.fillEntries && s.entries && s.entries.join() !== this.shownEntries) {
      this.shownEntries = s.entries.join();
      this.fillEntries(s.entries);
    }
    const chatting = phase === "waiting" || phase === "active" || phase === "closed";
    this.composer.hidden = !chatting;
    if (chatting) this.renderMessages();
    this.status.textContent = this.statusText();
    this.status.hidden = this.status.textContent === "";
    this.typing.textContent = s.operatorTyping && phase === "active" ? w.typing : "";
    const error = this.body.querySelector(".form-error");
    if (error) error.textContent = this.errorText();
    const starting = this.body.querySelectorAll<HTMLButtonElement>("[data-entry]");
    starting.forEach((b) => (b.disabled = s.phase === "starting"));
  }

  private statusText(): string {
    const s = this.session;
    const w = this.w;
    if (s.connection !== "open" && s.phase !== "entry") return w.reconnecting;
    if (s.transferring && (s.phase === "waiting" || s.phase === "active")) return w.transferring;
    if (s.phase === "waiting") {
      const place = s.position === 1 ? w.next : s.position ? w.position(s.position) : "";
      const wait = s.estimateSeconds == null ? w.noEstimate : w.estimate(Math.round(s.estimateSeconds / 60));
      return `${place} ${wait}`.trim();
    }
    if (s.phase === "closed") return w.closed;
    return "";
  }

  private errorText(): string {
    const e = this.session.error;
    if (!e) return "";
    if (e === "invalid_invitation") return this.w.invalidCode;
    if (e === "too_many_attempts") return this.w.tooManyAttempts;
    if (e === "field:email" || e === "field:phone") return this.w.needContact;
    if (e === "need_phone") return this.w.needPhone;
    return this.w.failed;
  }

  private build(phase: Phase): HTMLElement {
    switch (phase) {
      case "offline":
        return this.offlineForm();
      case "offline-sent":
        return el("p", { role: "status" }, this.w.offlineThanks);
      case "waiting":
      case "active":
      case "closed":
        {
          const log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": this.w.newMessages });
          this.log = new KeyedList(log);
          return el("div", { class: "chat" }, log);
        }
      default:
        return this.entryForm();
    }
  }

  private entryForm(): HTMLElement {
    const w = this.w;
    const name = el("input", { id: "sb-name", autocomplete: "name", maxlength: "120" });
    const phone = el("input", { id: "sb-phone", type: "tel", autocomplete: "tel" });
    const language = el("select", { id: "sb-language" });
    for (const [code, { label }] of Object.entries(LANGUAGES)) {
      const option = el("option", { value: code, lang: code }, label);
      option.selected = code === this.language;
      language.append(option);
    }
    language.addEventListener("change", () => {
      this.language = language.value;
      this.w = words(this.language);
      this.shownPhase = null;
      this.render();
    });
    const code = el("input", { id: "sb-code", inputmode: "numeric", autocomplete: "off", maxlength: "9" });
    const start = (type: StartRequest["type"], invitationCode?: string) => {
      const req = { type, language: this.language, name: name.value.trim(), phone: phone.value.trim() };
      if (type === "callback" && !req.phone) {
        // Nobody can call back without a number; ask before the queue does.
        this.session.error = "need_phone";
        this.render();
        phone.focus();
        return;
      }
      void this.session.start(invitationCode ? { ...req, invitationCode } : req);
    };
    const useCode = () => start("chat", code.value.trim());
    const labels = { chat: w.startChat, video: w.startVideo, callback: w.startCallback };
    const buttons = el("div", { class: "entries" });
    const codeRow = el("div", { class: "row" });
    this.fillEntries = (entries) => {
      const types = entries.filter((e): e is StartRequest["type"] => e !== "invitation");
      buttons.replaceChildren(
        ...types.map((type) => {
          const b = el("button", { type: "button", "data-entry": type }, labels[type]);
          b.addEventListener("click", () => start(type));
          return b;
        }),
      );
      buttons.hidden = types.length === 0;
      codeRow.replaceChildren();
      if (entries.includes("invitation")) {
        const use = el("button", { type: "button", class: types.length ? "secondary" : "", "data-entry": "code" }, w.useCode);
        use.addEventListener("click", useCode);
        codeRow.append(el("label", { for: "sb-code" }, w.invitationCode, code), use);
      }
      codeRow.hidden = !entries.includes("invitation");
    };
    this.shownEntries = null;
    const form = el(
      "form",
      { class: "entry", "aria-label": w.title },
      el("label", { for: "sb-name" }, w.name, name),
      el("label", { for: "sb-phone" }, w.phoneOptional, phone),
      el("label", { for: "sb-language" }, w.language, language),
      buttons,
      codeRow,
      el("p", { class: "error form-error", role: "alert" }),
    );
    // Enter does what the first button does.
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const first = this.session.entries?.[0];
      if (first === "invitation") useCode();
      else if (first) start(first);
    });
    return form;
  }

  private offlineForm(): HTMLElement {
    const w = this.w;
    const name = el("input", { id: "sb-off-name", autocomplete: "name", maxlength: "200" });
    const email = el("input", { id: "sb-off-email", type: "email", autocomplete: "email" });
    const phone = el("input", { id: "sb-off-phone", type: "tel", autocomplete: "tel" });
    const message = el("textarea", { id: "sb-off-message", required: "", maxlength: "4000" });
    const form = el(
      "form",
      { class: "offline", "aria-labelledby": "sb-off-title" },
      el("h3", { id: "sb-off-title" }, w.offlineTitle),
      el("p", {}, w.offlineIntro),
      el("label", { for: "sb-off-name" }, w.name, name),
      el("label", { for: "sb-off-email" }, w.email, email),
      el("label", { for: "sb-off-phone" }, w.phone, phone),
      el("label", { for: "sb-off-message" }, w.message, message),
      el("p", { class: "error form-error", role: "alert" }),
      el("button", { type: "submit" }, w.submit),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!email.value.trim() && !phone.value.trim()) {
        this.session.error = "field:email";
        this.render();
        return;
      }
      if (!message.value.trim()) {
        message.focus();
        return;
      }
      void this.session.submitOffline({
        name: name.value.trim(),
        email: email.value.trim(),
        phone: phone.value.trim(),
        message: message.value.trim(),
      });
    });
    return form;
  }

  private renderMessages(): void {
    const s = this.session;
    if (!this.log) return;
    const items: Item[] = (s.timeline?.messages() ?? []).map((m) => this.item(m));
    for (const p of s.pending) {
      items.push({
        id: `pending:${p.clientId}`,
        key: p.text,
        make: () => el("div", { class: "msg visitor pending", "aria-label": this.w.sending }, p.text),
      });
    }
    const atBottom = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 40;
    this.log.update(items);
    if (atBottom) this.body.scrollTop = this.body.scrollHeight;
  }

  private item(m: Message): Item {
    const id = `seq:${m.seq}`;
    if (m.type === "card" && m.card) {
      const card = this.session.cards.get(m.card.instance);
      const key = `card:${card?.state ?? "loading"}`;
      return {
        id,
        key,
        make: () =>
          card
            ? renderCard(card, this.w, (outcome, values) => this.session.answerCard(card, outcome, values))
            : el("div", { class: "card" }, m.card?.title ?? ""),
      };
    }
    if (m.type === "system") {
      const text = this.systemText(m);
      return { id, key: text, make: () => el("div", { class: "msg system" }, text) };
    }
    const side = m.author.kind === "visitor" ? "visitor" : "operator";
    const text = textOf(m) ?? "";
    return { id, key: text, make: () => el("div", { class: `msg ${side}` }, text) };
  }

  private systemText(m: Message): string {
    if (m.type !== "system") return "";
    const e = m.event;
    if (e.kind === "card_outcome") return e.text;
    if (e.kind === "closed") return this.w.closed;
    if (e.kind === "assigned" && this.session.operatorName) return this.w.accepted(this.session.operatorName);
    return "";
  }
}
