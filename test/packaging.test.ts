import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { asEnvelope, saleOrderWrite } from "@odoo-live/protocol/fixtures";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mintToken, push, startTestHub } from "./helpers/hub.js";
import { startNode, type NodeProcess } from "./helpers/node-process.js";
import { installConsumer, packPackages, ROOT, run, type Packed } from "./helpers/pack.js";
import { waitFor } from "./helpers/wait.js";

const work = mkdtempSync(join(tmpdir(), "odoo-live-packaging-"));
const consumer = join(work, "consumer");
let packed: Record<"protocol" | "client", Packed>;

beforeAll(async () => {
  packed = await packPackages(join(work, "packs"));
  await installConsumer(consumer, [packed.protocol.tarball, packed.client.tarball]);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each([
  ["protocol", "@odoo-live/protocol"],
  ["client", "@odoo-live/client"],
] as const)("the %s tarball", (key, name) => {
  test("holds ESM and CommonJS code with types, a README and the licence, and nothing else", () => {
    const { files } = packed[key];
    for (const file of ["package.json", "README.md", "LICENSE", "dist/cjs/package.json"]) {
      expect(files).toContain(file);
    }
    for (const entry of ["dist/index", "dist/cjs/index"]) {
      expect(files).toEqual(expect.arrayContaining([`${entry}.js`, `${entry}.d.ts`]));
    }
    const strays = files.filter((f) => /(^|\/)(test|cli)\/|\.test\.|tsbuildinfo/.test(f));
    expect(strays).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(join(consumer, "node_modules", name, "package.json"), "utf8"),
    );
    expect(manifest).toMatchObject({ license: "MIT" });
    expect(manifest).not.toHaveProperty("private");
  });

  test("has no source map pointing at a file it lacks", () => {
    const installed = join(consumer, "node_modules", name);
    const missing: string[] = [];
    for (const file of packed[key].files) {
      const path = join(installed, file);
      if (file.endsWith(".map")) {
        const map = JSON.parse(readFileSync(path, "utf8")) as { sources: string[] };
        const sources = map.sources.map((source) => resolve(dirname(path), source));
        missing.push(...sources.filter((source) => !existsSync(source)));
      } else if (/\.(js|ts)$/.test(file)) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(path, "utf8"))?.[1];
        if (url !== undefined && !existsSync(resolve(dirname(path), url))) missing.push(url);
      }
    }
    expect(missing).toEqual([]);
  });
});

test("installed from the tarballs, import and require each receive an event from a real hub", async () => {
  const hub = await startTestHub();
  const env = { HUB_URL: hub.url, HUB_TOKEN: mintToken({ models: ["sale.order"] }) };
  const consumers = [
    // No require(esm) for the CommonJS consumer: as on runtimes and runners without it.
    startNode(["--no-experimental-require-module", "consumer.cjs"], { cwd: consumer, env }),
    startNode(["consumer.mjs"], { cwd: consumer, env }),
  ];
  const lines = (node: NodeProcess) => node.stdout.split("\n");
  for (const node of consumers) {
    await waitFor(() => lines(node).includes("ready"), { timeoutMs: 10_000, what: "ready" });
  }
  expect((await push(hub, asEnvelope(saleOrderWrite, 9001))).status).toBe(200);
  for (const node of consumers) {
    expect(await node.exited, node.stderr).toBe(0);
    expect(lines(node)).toContain("event sale.order 42");
  }
  expect(lines(consumers[0]!)).toContain("zod or @noble loaded: 0");
});

/** tsc of typed.ts (and its .mts copy) in the scratch project; throws with tsc's errors. */
async function typecheck(moduleResolution: string, module: string, skipLibCheck: boolean) {
  const compilerOptions = {
    module,
    moduleResolution,
    // TypeScript 6 deprecates node10; it still resolves, and some consumers still use it.
    ignoreDeprecations: "6.0",
    target: "ES2022",
    lib: ["ES2022", "DOM"],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck,
  };
  const config = `tsconfig.${moduleResolution}.json`;
  const files = ["typed.ts", "typed.mts"];
  writeFileSync(join(consumer, config), JSON.stringify({ compilerOptions, files }));
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  await run(process.execPath, [tsc, "-p", config], consumer);
}

test("types resolve under moduleResolution bundler, nodenext, node16 and node10", async () => {
  copyFileSync(join(consumer, "typed.ts"), join(consumer, "typed.mts"));
  await Promise.all([
    typecheck("bundler", "preserve", true),
    // Also checks the packages' declarations, as ESM (.mts) and as CommonJS (.ts), which are
    // node16's two cases as well; checking every library's costs 3x the time, so only here.
    typecheck("nodenext", "nodenext", false),
    typecheck("node16", "node16", true),
    typecheck("node10", "commonjs", true),
  ]);
}, 120_000);
