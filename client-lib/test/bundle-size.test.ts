import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, test } from "vitest";

/** README promises a browser bundle of at most 60 KiB minified, everything included. */
const LIMIT_BYTES = 60 * 1024;

test("the browser bundle (client, protocol checks, socket.io-client) stays under 60 KiB", async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("../src/index.ts", import.meta.url))],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    // The sources, as in the repo's other tests; the packed dist/ is the same code compiled.
    conditions: ["source"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  // What ended up in the bundle (the metafile's inputs also list modules tree-shaken away).
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
  const size = { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
  // zod stays on the hub: the client checks messages with schemas derived from it.
  expect(inputs.filter((path) => path.includes("node_modules/zod/"))).toEqual([]);
  expect(inputs.some((path) => path.includes("node_modules/socket.io-client/"))).toBe(true);
  expect(size.minified, `bundle: ${JSON.stringify(size)}`).toBeLessThanOrEqual(LIMIT_BYTES);
});
