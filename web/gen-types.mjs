// The protocol's TypeScript types, generated from the JSON Schema that the
// Rust types produce (docs/protocol/*.schema.json). `--verify` fails when
// the committed src/shared/generated/ is stale; build.mjs runs it.
import { compile } from "json-schema-to-typescript";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const verify = process.argv.includes("--verify");
const outDir = join(here, "src/shared/generated");
const banner = "// Generated from docs/protocol/{file} by web/gen-types.mjs; do not edit.\n// The Rust types are the source: UPDATE_SCHEMA=1 scripts/test -p switchboard-tests --test protocol_schema, then npm run build.";

const stale = [];
for (const [file, name] of [["actions.schema.json", "actions.ts"], ["events.schema.json", "events.ts"]]) {
  const schema = JSON.parse(readFileSync(join(here, "../docs/protocol", file), "utf8"));
  const ts = await compile(schema, schema.title, {
    bannerComment: banner.replace("{file}", file),
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    format: true,
    style: { printWidth: 110 },
  });
  const path = join(outDir, name);
  if (verify) {
    let committed = "";
    try {
      committed = readFileSync(path, "utf8");
    } catch {}
    if (committed !== ts) stale.push(name);
  } else {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path, ts);
  }
}
if (stale.length) {
  console.error(`src/shared/generated is stale (${stale.join(", ")}): run \`npm run build\` in web/`);
  process.exit(1);
}
