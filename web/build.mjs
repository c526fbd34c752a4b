// Builds the widget and the console into dist/, which is committed so that
// `cargo run -p switchboard-local` serves them with nothing but cargo.
// `node build.mjs --verify` builds in memory and fails if dist/ differs:
// the test that keeps the committed assets true to their sources.
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";

const here = dirname(fileURLToPath(import.meta.url));
const verify = process.argv.includes("--verify");
const out = join(here, "dist");

// The protocol's types first: the bundles are built from them.
{
  const { status } = spawnSync(process.execPath, [join(here, "gen-types.mjs"), ...(verify ? ["--verify"] : [])], { stdio: "inherit" });
  if (status !== 0) process.exit(status ?? 1);
}

const bundles = [
  { entry: "src/widget/main.ts", file: "widget.js" },
  { entry: "src/console/main.ts", file: "console/app.js" },
];

const files = new Map();
for (const { entry, file } of bundles) {
  const result = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    charset: "utf8",
    legalComments: "none",
    write: false,
  });
  const [output] = result.outputFiles;
  files.set(file, Buffer.from(output.contents));
}
for (const dir of ["console", "demo"]) {
  for (const name of readdirSync(join(here, "public", dir))) {
    files.set(`${dir}/${name}`, readFileSync(join(here, "public", dir, name)));
  }
}

if (verify) {
  const stale = [];
  for (const [file, bytes] of files) {
    let committed;
    try {
      committed = readFileSync(join(out, file));
    } catch {
      committed = undefined;
    }
    if (!committed || !committed.equals(bytes)) stale.push(file);
  }
  if (stale.length > 0) {
    console.error(`web/dist is stale (${stale.join(", ")}): run \`npm run build\` in web/ and commit dist/`);
    process.exit(1);
  }
  console.log("web/dist matches its sources");
} else {
  for (const [file, bytes] of files) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), bytes);
  }
  for (const [file, bytes] of files) {
    if (file.endsWith(".js")) {
      console.log(`${file}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
    }
  }
}
