// The admin API's files (reports, transcripts), found in its OpenAPI document
// as GET routes that answer `text/csv`: a form per route built from its
// parameters, and the file saved under the name the API gives it.

import { el } from "../shared/dom";
import type { Auth } from "./auth";

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  description?: string;
  required?: boolean;
  schema?: { type?: string | string[]; enum?: string[] };
}

export interface FileRoute {
  path: string;
  title: string;
  parameters: Parameter[];
}

interface Operation {
  summary?: string;
  parameters?: Parameter[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/** Every GET route whose answer is a CSV file, by path. */
export function fileRoutes(paths: Record<string, Record<string, object>>): FileRoute[] {
  return Object.entries(paths)
    .map(([path, ops]) => [path, ops.get as Operation | undefined] as const)
    .filter(([, get]) => get?.responses?.["200"]?.content?.["text/csv"])
    .map(([path, get]) => ({
      path,
      title: (get?.summary ?? path).split(/[:\n]/)[0]?.trim() ?? path,
      parameters: (get?.parameters ?? []).filter((p) => p.in === "path" || p.in === "query"),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function downloadsPage(routes: FileRoute[], auth: Auth): HTMLElement {
  return el("div", { class: "downloads" }, el("h2", {}, "Downloads"), ...routes.map((r) => downloadForm(r, auth)));
}

function downloadForm(route: FileRoute, auth: Auth): HTMLElement {
  const slug = route.path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");
  const inputs = route.parameters.map((p) => [p, input(p, `${slug}-${p.name}`)] as const);
  const error = el("p", { class: "error", role: "alert" });
  const button = el("button", { type: "submit" }, "Download");
  const heading = el("h3", { id: `${slug}-title` }, route.title);
  const form = el(
    "form",
    { class: "editor", "aria-labelledby": `${slug}-title` },
    heading,
    ...inputs.map(([p, field]) => el("label", { for: field.id }, p.description ? `${p.name}: ${p.description}` : p.name, field)),
    button,
    error,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    error.textContent = "";
    let path = route.path;
    const query = new URLSearchParams();
    for (const [p, field] of inputs) {
      // An unticked box and an empty field leave the parameter out.
      const value = isCheckbox(field) ? (field.checked ? "true" : "") : field.value.trim();
      if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(value));
      else if (value !== "") query.set(p.name, value);
    }
    const url = query.size ? `${path}?${query.toString()}` : path;
    button.disabled = true;
    void saveFile(auth, url, error).finally(() => (button.disabled = false));
  });
  return form;
}

function input(p: Parameter, id: string): HTMLInputElement | HTMLSelectElement {
  const type = Array.isArray(p.schema?.type) ? p.schema?.type[0] : p.schema?.type;
  if (p.schema?.enum) {
    const select = el("select", { id, name: p.name });
    for (const v of p.schema.enum) select.append(el("option", { value: v }, v));
    return select;
  }
  if (type === "boolean") return el("input", { id, name: p.name, type: "checkbox" });
  // Days are written `YYYY-MM-DD`, which is what a date input gives.
  const date = /YYYY-MM-DD/.test(p.description ?? "");
  const field = el("input", { id, name: p.name, type: date ? "date" : "text" });
  if (p.required) field.required = true;
  return field;
}

/** Downloads `path` and saves it; a refusal is written into `error`. */
export async function saveFile(auth: Auth, path: string, error: HTMLElement): Promise<void> {
  try {
    const { blob, fileName } = await auth.download(path);
    save(blob, fileName);
  } catch (err) {
    error.textContent = err instanceof Error ? err.message : String(err);
  }
}

function isCheckbox(field: HTMLInputElement | HTMLSelectElement): field is HTMLInputElement {
  return field instanceof HTMLInputElement && field.type === "checkbox";
}

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: fileName, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  // Let the download read it before the memory is given back.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
