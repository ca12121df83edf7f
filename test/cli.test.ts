import { join } from "node:path";
import jsonwebtoken from "jsonwebtoken";
import { beforeAll, describe, expect, test } from "vitest";
import { JWT_SECRET, mintToken, startTestHub } from "./helpers/hub.js";
import { buildHub } from "./helpers/hub-process.js";
import { runNode, startNode } from "./helpers/node-process.js";
import { ROOT } from "./helpers/pack.js";
import { freePort } from "./helpers/ports.js";
import { waitFor } from "./helpers/wait.js";

/** What `npm run token|listen|sim` run once built. */
const CLI = {
  token: join(ROOT, "server", "dist", "cli", "token.js"),
  listen: join(ROOT, "client-lib", "dist", "cli", "listen.js"),
  sim: join(ROOT, "odoo-sim", "dist", "cli.js"),
};
const env = { JWT_SECRET, LOG_LEVEL: "silent" };

beforeAll(() => buildHub(), 120_000);

describe.each(Object.entries(CLI))("%s", (_name, script) => {
  test("--help prints the usage and exits 0", async () => {
    const { code, stdout } = await runNode([script, "--help"], { env });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run \w+ -- /);
    expect(stdout).toMatch(/--help/);
  });

  test("an unknown option is refused with exit code 2", async () => {
    const { code, stderr } = await runNode([script, "--no-such-option", "x"], { env });
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--no-such-option'/);
  });
});

describe("token", () => {
  test.each([
    [["--uid", "abc"], "--uid: must be a res.users id (a positive integer)"],
    [["--uid", "0"], "--uid: must be a res.users id"],
    [["--ttl", "soon"], "--ttl: must be a number of seconds"],
    [["--models", "Sale.Order"], "--models.0: must be an Odoo model name"],
    [["--models", ","], "--models: name at least one model"],
    [["--tenant", ""], "--tenant: Too small"],
  ])("%j is refused, naming the option", async (args, message) => {
    const { code, stdout, stderr } = await runNode([CLI.token, ...args], { env });
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain(message);
  });

  test("mints the claims asked for, signed with JWT_SECRET", async () => {
    const args = ["--uid", "7", "--models", "sale.order, res.partner", "--ttl", "60"];
    const { code, stdout } = await runNode([CLI.token, ...args], { env });
    expect(code).toBe(0);
    const claims = jsonwebtoken.verify(stdout.trim(), JWT_SECRET) as Record<string, unknown>;
    expect(claims).toMatchObject({
      uid: 7,
      tenant: "default",
      models: ["sale.order", "res.partner"],
    });
    expect((claims["exp"] as number) - (claims["iat"] as number)).toBe(60);
  });
});

describe("listen", () => {
  test("missing and malformed options are each named", async () => {
    const args = ["--url", "ftp://hub", "--models", "Sale.Order", "--app-type", "tv_app"];
    const { code, stderr } = await runNode([CLI.listen, ...args], { env });
    expect(code).toBe(2);
    for (const message of [
      "--url: must be the hub's http:// or https:// URL",
      "--token: missing",
      "--device: missing",
      "--models.0: must be an Odoo model name",
      "--app-type: Invalid option",
    ]) {
      expect(stderr).toContain(message);
    }
  });

  test("warns about the models the token does not allow", async () => {
    const hub = await startTestHub();
    const token = mintToken({ models: ["sale.order"] });
    const args = ["--url", hub.url, "--token", token, "--device", "cli-1"];
    const listen = startNode([CLI.listen, ...args, "--models", "sale.order,res.partner"], { env });
    const warned = () => listen.stderr.includes("\n") && listen.stdout.includes("ready ");
    await waitFor(warned, { timeoutMs: 10_000, what: "ready and a warning" });
    expect(listen.stderr).toBe(
      "warning: the token does not allow res.partner: not subscribed (subscribed: sale.order)\n",
    );
    expect(listen.stdout).toMatch(/^connected\nready \{.*"models":\["sale.order"\]/);
  });

  test("says which URL it cannot reach, and why", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const args = ["--url", url, "--token", mintToken(), "--device", "cli-1"];
    const listen = startNode([CLI.listen, ...args], { env });
    await waitFor(() => listen.stderr.includes("\n"), { timeoutMs: 10_000, what: "an error" });
    expect(listen.stderr.split("\n")[0]).toBe(
      `error transport: cannot reach ${url}: websocket error (connect ECONNREFUSED ${url.slice(7)})`,
    );
  });
});

test("sim refuses a malformed option, naming it", async () => {
  const { code, stderr } = await runNode([CLI.sim, "--rate", "fast"], { env });
  expect(code).toBe(2);
  expect(stderr).toMatch(/at rate/);
});
