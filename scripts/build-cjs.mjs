// `npm run build:cjs` of protocol/ and client-lib/ (run by their prepack, after tsc): the
// CommonJS build in dist/cjs for `require` consumers, beside the ESM one tsc wrote to dist/.
//   node ../scripts/build-cjs.mjs                  each src/ module on its own, as CommonJS
//   node ../scripts/build-cjs.mjs --bundle <entry> one bundle of <entry> and of what it uses from
//                                                  the workspace's packages (tree-shaken sources)
// Declarations are tsc's, copied: they read the same in a CommonJS folder. dist/cjs/package.json
// says "commonjs", so Node and TypeScript take the folder as CommonJS.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const { values } = parseArgs({ options: { bundle: { type: "string" } } });
// From scratch, so that nothing of an earlier build (a removed module) gets packed.
rmSync("dist/cjs", { recursive: true, force: true });
const { dependencies = {} } = JSON.parse(readFileSync("package.json", "utf8"));
const common = { format: "cjs", platform: "node", target: "node20", logLevel: "warning" };
if (values.bundle === undefined) {
  const modules = readdirSync("src").filter((name) => name.endsWith(".ts"));
  await build({
    ...common,
    entryPoints: modules.map((name) => `src/${name}`),
    outdir: "dist/cjs",
    sourcemap: true,
  });
} else {
  await build({
    ...common,
    entryPoints: [values.bundle],
    outfile: "dist/cjs/index.js",
    bundle: true,
    // The workspace's packages from their sources, so that only what is used gets in (the
    // client takes its checks from the protocol, not zod); npm dependencies stay requires.
    conditions: ["source"],
    external: Object.keys(dependencies).filter((name) => !name.startsWith("@odoo-live/")),
  });
}
for (const name of readdirSync("dist").filter((n) => /\.d\.ts(\.map)?$/.test(n))) {
  cpSync(`dist/${name}`, `dist/cjs/${name}`);
}
// The declaration maps point at ../src from dist/; from dist/cjs that is ../../src.
for (const name of readdirSync("dist/cjs").filter((n) => n.endsWith(".d.ts.map"))) {
  const map = JSON.parse(readFileSync(`dist/cjs/${name}`, "utf8"));
  map.sources = map.sources.map((source) => `../${source}`);
  writeFileSync(`dist/cjs/${name}`, JSON.stringify(map));
}
writeFileSync("dist/cjs/package.json", `${JSON.stringify({ type: "commonjs" })}\n`);
