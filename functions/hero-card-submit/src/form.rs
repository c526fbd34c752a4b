//! The card's form page, for clients whose channel shows no form (WhatsApp
//! without a Flow: its Edit button answers with a link here). The page
//! reads the visitor token from the link's fragment, loads the card with
//! it, and posts the answer to the same route as the widget.

/// Whether `id` can be a card id: what the page may embed.
pub fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The page for card `id` (a [`plausible_id`]).
pub fn page(id: &str) -> String {
    PAGE.replace("{{ID}}", id)
}

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Your form</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; }
  label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  input, select { width: 100%; padding: .5rem; font: inherit; box-sizing: border-box; }
  input[type=checkbox] { width: auto; }
  .actions { display: flex; gap: .5rem; margin-top: 1.5rem; }
  button { flex: 1; padding: .75rem; font: inherit; }
  #status { margin-top: 1rem; }
</style>
</head>
<body>
<main>
  <h1 id="title">…</h1>
  <p id="text"></p>
  <form id="card" hidden></form>
  <div class="actions" id="actions" hidden>
    <button type="button" id="confirm"></button>
    <button type="button" id="cancel"></button>
  </div>
  <p id="status" role="status"></p>
</main>
<script>
"use strict";
const id = "{{ID}}";
const token = new URLSearchParams(location.hash.slice(1)).get("t") || "";
const status = (text) => { document.getElementById("status").textContent = text; };
const headers = { "authorization": "Bearer " + token, "content-type": "application/json" };

function input(field, value) {
  const kind = field.type;
  if (kind === "choice") {
    const select = document.createElement("select");
    for (const option of field.options) {
      const o = document.createElement("option");
      o.value = option.id; o.textContent = option.label;
      if (option.id === value) o.selected = true;
      select.append(o);
    }
    return select;
  }
  const el = document.createElement("input");
  if (kind === "yes_no") { el.type = "checkbox"; el.checked = value === true; return el; }
  el.type = { number: "number", date: "date", time: "time" }[kind] || "text";
  if (value !== undefined && value !== null) el.value = String(value);
  if (field.required) el.required = true;
  return el;
}

async function answer(outcome, card, inputs) {
  const values = {};
  for (const [field, el] of inputs) {
    values[field.id] = field.type === "yes_no" ? el.checked : el.value;
  }
  const body = JSON.stringify(outcome === "confirmed" ? { outcome, values } : { outcome });
  const reply = await fetch(card.submitPath, { method: "POST", headers, body });
  const result = await reply.json().catch(() => ({}));
  status(reply.ok ? (outcome === "confirmed" ? "✓ " + card.confirmLabel : "✗ " + card.cancelLabel)
                  : (result.message || "The answer was not accepted."));
  if (reply.ok) document.getElementById("actions").hidden = true;
}

async function load() {
  const reply = await fetch("/cards/" + id, { headers });
  if (!reply.ok) { status("This link is no longer valid."); return; }
  const card = await reply.json();
  document.getElementById("title").textContent = card.title;
  document.getElementById("text").textContent = card.text;
  const form = document.getElementById("card");
  const inputs = [];
  for (const field of card.fields) {
    const label = document.createElement("label");
    label.textContent = field.label + (field.required ? " *" : "");
    const el = input(field, card.values[field.id]);
    el.name = field.id;
    label.append(el);
    form.append(label);
    inputs.push([field, el]);
  }
  form.hidden = false;
  if (card.state !== "open") { status(card.outcomeText || "This form can no longer be answered."); return; }
  const confirm = document.getElementById("confirm");
  const cancel = document.getElementById("cancel");
  confirm.textContent = card.confirmLabel;
  cancel.textContent = card.cancelLabel;
  confirm.onclick = () => answer("confirmed", card, inputs);
  cancel.onclick = () => answer("cancelled", card, inputs);
  document.getElementById("actions").hidden = false;
}
load();
</script>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn only_card_ids_are_embedded() {
        assert!(super::plausible_id("ci_0123abcd"));
        assert!(!super::plausible_id("ci\"><script>"));
        assert!(!super::plausible_id(""));
        assert!(super::page("ci_1").contains(r#"const id = "ci_1";"#));
    }
}
