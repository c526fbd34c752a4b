// The admin pages: every resource of the admin API, read from its OpenAPI
// document, so a resource the API gains appears here without a new page.
// Lists page through `next`; an item is edited as the JSON the API takes;
// actions on an item (an invitation, a merge's undo) are its sub-routes.

import { el } from "../shared/dom";
import type { Auth } from "./auth";
import { downloadsPage, fileRoutes } from "./downloads";

type Json = unknown;
interface Operation {
  requestBody?: { content?: { "application/json"?: { schema?: SchemaRef } } };
  summary?: string;
  description?: string;
}
interface SchemaRef {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaRef>;
  required?: string[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, SchemaRef> };
}

/** Sign-in and session routes are the console's own business, not pages. */
const HIDDEN = /^\/admin\/(session|password-reset|invitations|me|openapi)(\/|\.|$)/;

export class AdminPages {
  readonly node: HTMLElement;
  private nav: HTMLElement;
  private page: HTMLElement;
  private doc: Document | null = null;

  constructor(private readonly auth: Auth) {
    this.nav = el("nav", { class: "admin-nav", "aria-label": "Admin" });
    this.page = el("section", { class: "admin-page", "aria-live": "polite" });
    this.node = el("div", { class: "admin" }, this.nav, this.page);
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.doc = await this.auth.call<Document>("GET", "/admin/openapi.json");
    } catch (e) {
      this.page.textContent = `The admin API's description could not be read: ${String(e)}`;
      return;
    }
    for (const path of this.collections()) this.navLink(label(path), () => void this.show(path));
    const files = fileRoutes(this.doc.paths);
    if (files.length) this.navLink("Downloads", () => this.page.replaceChildren(downloadsPage(files, this.auth)));
    this.page.append(el("p", { class: "muted" }, "Pick a resource."));
  }

  private navLink(name: string, go: () => void): void {
    const link = el("button", { type: "button", class: "link" }, name);
    link.addEventListener("click", () => {
      this.nav.querySelectorAll("button").forEach((b) => b.removeAttribute("aria-current"));
      link.setAttribute("aria-current", "page");
      go();
    });
    this.nav.append(link);
  }

  /** The resources: GET paths without parameters. */
  private collections(): string[] {
    return Object.entries(this.doc?.paths ?? {})
      .filter(([path, ops]) => ops.get && !path.includes("{") && !HIDDEN.test(path))
      .map(([path]) => path)
      .sort();
  }

  /** The item route under a collection: `/admin/widgets/{id}`. */
  private itemPath(base: string): string | null {
    const re = new RegExp(`^${base.replace(/[/.-]/g, "\\$&")}/\\{[^}/]+\\}$`);
    return Object.keys(this.doc?.paths ?? {}).find((p) => re.test(p)) ?? null;
  }

  private async show(base: string, cursor?: string): Promise<void> {
    const heading = el("h2", {}, label(base));
    this.page.replaceChildren(heading);
    const error = el("p", { class: "error", role: "alert" });
    this.page.append(error);
    let data: Json;
    try {
      data = await this.auth.api<Json>("GET", cursor ? `${base}?cursor=${encodeURIComponent(cursor)}` : base);
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    const ops = this.doc?.paths[base] ?? {};
    const item = this.itemPath(base);
    const list = isObject(data) && Array.isArray(data.items) ? (data.items as Json[]) : Array.isArray(data) ? data : null;
    if (list === null) {
      // A singleton (the tenant, its identity provider, the SLA rules).
      this.page.append(this.editor(base, data, ops.put ? "PUT" : null, base, error));
      return;
    }
    if (ops.post || item) this.page.append(this.creator(base, ops.post ? "POST" : "PUT", item, error));
    const table = el("table", { class: "admin-table" });
    const columns = columnsOf(list);
    table.append(el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c)), el("th", { scope: "col" }, "Actions"))));
    const body = el("tbody");
    for (const row of list) {
      const cells = columns.map((c) => el("td", {}, short(isObject(row) ? row[c] : row)));
      const actions = el("td", { class: "row" });
      const id = isObject(row) ? String(row.id ?? row.key ?? "") : "";
      if (item && id) {
        const path = fill(item, id, row);
        const edit = el("button", { type: "button", class: "secondary" }, "Open");
        edit.addEventListener("click", () => void this.open(path, base));
        actions.append(edit);
        for (const sub of this.actionsOf(item)) {
          const go = el("button", { type: "button", class: "secondary" }, label(sub));
          go.addEventListener("click", () => {
            void this.auth.api("POST", fill(sub, id, row)).then(
              () => void this.show(base),
              (e: unknown) => (error.textContent = String(e)),
            );
          });
          actions.append(go);
        }
      }
      if (base === "/admin/widgets" && id) actions.append(snippet(id));
      body.append(el("tr", {}, ...cells, actions));
    }
    table.append(body);
    this.page.append(list.length ? table : el("p", { class: "muted" }, "None yet."));
    if (isObject(data) && typeof data.next === "string") {
      const more = el("button", { type: "button", class: "secondary" }, "Next page");
      const next = data.next;
      more.addEventListener("click", () => void this.show(base, next));
      this.page.append(more);
    }
  }

  /** POST routes under an item: `/admin/merges/{id}/undo`. */
  private actionsOf(item: string): string[] {
    return Object.entries(this.doc?.paths ?? {})
      .filter(([p, ops]) => p.startsWith(`${item}/`) && ops.post && !p.slice(item.length + 1).includes("{"))
      .map(([p]) => p);
  }

  private async open(path: string, base: string): Promise<void> {
    const error = el("p", { class: "error", role: "alert" });
    let data: Json;
    try {
      data = await this.auth.api<Json>("GET", path);
    } catch (e) {
      error.textContent = String(e);
      this.page.replaceChildren(el("h2", {}, label(base)), error);
      return;
    }
    const ops = this.doc?.paths[this.itemPath(base) ?? ""] ?? {};
    const back = el("button", { type: "button", class: "secondary" }, `Back to ${label(base)}`);
    back.addEventListener("click", () => void this.show(base));
    this.page.replaceChildren(el("h2", {}, path.replace("/admin/", "")), back, error, this.editor(path, data, ops.put ? "PUT" : null, base, error));
    if (ops.delete) {
      const remove = el("button", { type: "button", class: "danger" }, "Delete");
      remove.addEventListener("click", () => {
        if (!confirm(`Delete ${path.replace("/admin/", "")}?`)) return;
        void this.auth.api("DELETE", path).then(() => void this.show(base), (e: unknown) => (error.textContent = String(e)));
      });
      this.page.append(remove);
    }
  }

  /** The resource as the JSON the API takes, editable where it has a PUT. */
  private editor(path: string, data: Json, method: "PUT" | null, base: string, error: HTMLElement): HTMLElement {
    const area = el("textarea", { class: "json", rows: "18", "aria-label": "JSON", spellcheck: "false" });
    area.value = JSON.stringify(data, null, 2);
    if (!method) {
      area.readOnly = true;
      return area;
    }
    const save = el("button", { type: "submit" }, "Save");
    const form = el("form", { class: "editor" }, area, save);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = parsed(area, error);
      if (body === undefined) return;
      void this.auth.api("PUT", path, body).then(
        () => void (path === base ? this.show(base) : this.open(path, base)),
        (err: unknown) => (error.textContent = String(err)),
      );
    });
    return form;
  }

  /** A new item: POST to the collection, or PUT under an id of one's choosing. */
  private creator(base: string, method: "POST" | "PUT", item: string | null, error: HTMLElement): HTMLElement {
    const schema = method === "POST" ? this.bodySchema(base, "post") : item ? this.bodySchema(item, "put") : null;
    const area = el("textarea", { class: "json", rows: "8", "aria-label": `New ${label(base)} as JSON`, spellcheck: "false" });
    area.value = JSON.stringify(skeleton(schema, this.doc), null, 2);
    const id = el("input", { "aria-label": "Id of the new item", placeholder: "id" });
    const create = el("button", { type: "submit" }, "Create");
    const form = el("form", { class: "editor" }, el("h3", {}, "New"), ...(method === "PUT" ? [id] : []), area, create);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = parsed(area, error);
      if (body === undefined) return;
      const path = method === "POST" ? base : fill(item ?? base, id.value.trim(), {});
      void this.auth.api(method, path, body).then(() => void this.show(base), (err: unknown) => (error.textContent = String(err)));
    });
    return el("details", {}, el("summary", {}, `New ${label(base).toLowerCase()}`), form);
  }

  private bodySchema(path: string, method: string): SchemaRef | null {
    return this.doc?.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema ?? null;
  }
}

/** The editor's JSON, or undefined with the reason shown. */
function parsed(area: HTMLTextAreaElement, error: HTMLElement): Json | undefined {
  error.textContent = "";
  try {
    return JSON.parse(area.value) as Json;
  } catch {
    error.textContent = "That is not valid JSON.";
    return undefined;
  }
}

function snippet(id: string): HTMLElement {
  const code = `<script src="${location.origin}/widget.js" data-widget-id="${id}" async></script>`;
  const box = el("input", { readonly: "", value: code, "aria-label": `Snippet for ${id}`, class: "snippet" });
  const copy = el("button", { type: "button", class: "secondary" }, "Copy snippet");
  copy.addEventListener("click", () => {
    box.select();
    void navigator.clipboard?.writeText(code).catch(() => undefined);
  });
  return el("span", { class: "row" }, box, copy);
}

function label(path: string): string {
  const last = path.replace(/^\/admin\//, "").replace(/\/\{[^}]+\}/g, "").split("/").pop() ?? path;
  return last.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** Fills an item route's parameters: the last from `id`, others from the row. */
function fill(route: string, id: string, row: Json): string {
  const names = [...route.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "");
  return route.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = name === names[names.length - 1] ? id : isObject(row) ? String(row[name] ?? "") : "";
    return encodeURIComponent(value);
  });
}

function columnsOf(rows: Json[]): string[] {
  const seen = new Set<string>();
  for (const r of rows.slice(0, 20)) if (isObject(r)) Object.keys(r).forEach((k) => seen.add(k));
  return [...seen].filter((k) => !["tenant", "fields", "hours", "components", "before", "after"].includes(k)).slice(0, 6);
}

function short(v: Json): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "number" && v > 1e12 && v < 1e13) return new Date(v).toLocaleString();
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A starting point for a new item: its required fields, empty. */
function skeleton(schema: SchemaRef | null, doc: Document | null, depth = 0): Json {
  if (!schema || depth > 3) return {};
  if (schema.$ref) return skeleton(doc?.components?.schemas?.[schema.$ref.split("/").pop() ?? ""] ?? null, doc, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return "";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    default: {
      const out: Record<string, Json> = {};
      for (const key of schema.required ?? []) out[key] = skeleton(schema.properties?.[key] ?? null, doc, depth + 1);
      return out;
    }
  }
}
