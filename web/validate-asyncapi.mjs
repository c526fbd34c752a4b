// Validates docs/asyncapi.json with the AsyncAPI parser (what
// `asyncapi validate` runs): exits non-zero on any error-level diagnostic.
import { Parser } from "@asyncapi/parser";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, "../docs/asyncapi.json"), "utf8");
const { document, diagnostics } = await new Parser().parse(source);
const errors = diagnostics.filter((d) => d.severity === 0);
for (const d of errors) console.error(`${d.path.join(".")}: ${d.message}`);
if (!document || errors.length) {
  console.error(`docs/asyncapi.json: ${errors.length} error(s)`);
  process.exit(1);
}
const warnings = diagnostics.filter((d) => d.severity === 1).length;
console.log(`docs/asyncapi.json is valid AsyncAPI ${document.version()}: ${document.messages().length} messages, ${warnings} warnings`);
