/**
 * `npm run doctor` against Odoo 18.0-20250702 with auto_webhook 3.1.0: a sound deployment
 * passes every check, and each mistake it knows is named in plain words.
 */
import { describe, expect, it, beforeAll } from "vitest";
import { buildHub } from "../helpers/hub-process.js";
import { freePort } from "../helpers/ports.js";
import { runDoctor, type DoctorRun } from "./helpers/doctor.js";
import { realOdooSkipReason } from "./helpers/real-odoo.js";
import { startOdooHub, useRealOdoo } from "./helpers/setup.js";

const skip = realOdooSkipReason();

const failures = (run: DoctorRun) =>
  run.lines.filter(([status]) => status === "FAIL").map(([, m]) => m);

describe.skipIf(skip !== undefined)("npm run doctor", () => {
  const odoo = useRealOdoo();
  beforeAll(() => buildHub(), 300_000);

  /** The flags describing the real Odoo and this file's hub, as an integrator would give them. */
  function flags(overrides: Record<string, string> = {}): string[] {
    const values: Record<string, string> = {
      "odoo-url": odoo.facts.url,
      db: odoo.facts.db,
      "api-key": odoo.facts.apiKey,
      "hub-url": `http://127.0.0.1:${odoo.hubPort}`,
      "push-token": odoo.facts.pushToken,
      "rpc-login": odoo.facts.login,
      "rpc-password": odoo.facts.password,
      models: "sale.order,res.partner",
      ...overrides,
    };
    return Object.entries(values).flatMap(([name, value]) => [`--${name}`, value]);
  }

  it("passes a sound deployment, every step, from the command line", async () => {
    await startOdooHub(odoo);
    const run = await runDoctor(flags());
    expect(run.lines.map(([status]) => status)).toEqual(Array(12).fill("ok"));
    expect(run.stdout).toMatch(/Odoo 18\.0-20250702 answers/);
    expect(run.stdout).toMatch(/sale\.order: create at once, write at once, unlink at once/);
    expect(run.stdout).toMatch(/res\.partner: create by the cron, write by the cron/);
    expect(run.stdout).toMatch(/Odoo reaches the hub: Connection test successful \(Status: 200\)/);
    expect(run.code).toBe(0);
  });

  it("reads the hub's own configuration when no Odoo is named", async () => {
    await startOdooHub(odoo);
    const run = await runDoctor(["--hub-url", `http://127.0.0.1:${odoo.hubPort}`], {
      ODOO_URL: odoo.facts.url,
      ODOO_DB: odoo.facts.db,
      ODOO_API_KEY: odoo.facts.apiKey,
      ODOO_RPC_UID: "2",
      ODOO_RPC_KEY: odoo.facts.password,
      PUSH_TOKEN: odoo.facts.pushToken,
    });
    expect(failures(run)).toEqual([]);
    expect(run.stdout).toMatch(/^tenant default: Odoo http/m);
    expect(run.stdout).toMatch(/logged in to Odoo as "admin" \(uid 2\)/);
    expect(run.code).toBe(0);
  });

  it("names a wrong API key", async () => {
    const run = await runDoctor(flags({ "api-key": "not-the-key" }));
    expect(failures(run)).toEqual([
      expect.stringMatching(
        /^Odoo refused the API key \(401\): it must equal the system parameter webhook\.api_key/,
      ),
      // The hub on the subscriber's address is not running in this test.
      expect.stringMatching(/^cannot reach the hub at/),
      expect.stringMatching(/^Odoo cannot deliver to http/),
    ]);
    expect(run.code).toBe(1);
  });

  it("names an unknown database and an unreachable or foreign URL", async () => {
    const unknown = await runDoctor(flags({ db: "no_such_db" }));
    expect(failures(unknown)).toEqual([
      'Odoo has no database "no_such_db" (or cannot open it): check --db / ODOO_DB',
    ]);
    const port = await freePort();
    const down = await runDoctor(flags({ "odoo-url": `http://127.0.0.1:${port}` }));
    expect(failures(down)).toEqual([
      `cannot reach Odoo at http://127.0.0.1:${port}: /jsonrpc: fetch failed (ECONNREFUSED)`,
    ]);
    const hub = await startOdooHub(odoo);
    const foreign = await runDoctor(flags({ "odoo-url": hub.url }));
    expect(failures(foreign)).toEqual([
      expect.stringMatching(new RegExp(`^${hub.url} answers, but not as Odoo's JSON-RPC does`)),
    ]);
    expect([unknown.code, down.code, foreign.code]).toEqual([1, 1, 1]);
  });

  it("names a subscriber that points elsewhere, or sends another token", async () => {
    const elsewhere = await runDoctor(flags({ "hub-url": "http://hub.example:8080" }));
    expect(failures(elsewhere)).toContainEqual(
      expect.stringMatching(
        /^no webhook\.subscriber points at http:\/\/hub\.example:8080\/webhooks\/odoo: Odoo pushes nothing to this hub \(its subscribers: .*"odoo-live hub" → http:\/\/127\.0\.0\.1:\d+\/webhooks\/odoo/,
      ),
    );
    // A hub whose token is not the one Odoo sends: the doctor says so, and so does Odoo.
    await startOdooHub(odoo, { PUSH_TOKEN: "another-push-token-0123456789" });
    const token = await runDoctor(flags({ "push-token": "another-push-token-0123456789" }));
    expect(failures(token)).toEqual([
      expect.stringMatching(/points at this hub, but its bearer token is not the hub's push token/),
      expect.stringMatching(/^Odoo cannot deliver to .*Authentication failed \(401\)/),
    ]);
  });

  it("names models that Odoo does not send to the hub", async () => {
    await startOdooHub(odoo);
    const run = await runDoctor(flags({ models: "sale.order,res.company,stock.picking,crm.lead" }));
    expect(failures(run)).toEqual([
      expect.stringMatching(/^res\.company: no webhook\.rule or webhook\.config tracks it/),
      "crm.lead: Odoo has no such model (is its app installed?)",
    ]);
    expect(run.lines).toContainEqual([
      "WARN",
      expect.stringMatching(
        /^stock\.picking: create by pull only, write by pull only, unlink not recorded: no rule sends it to subscriber "odoo-live hub"/,
      ),
    ]);
  });

  it("names a login Odoo refuses", async () => {
    const run = await runDoctor(flags({ "rpc-password": "wrong" }));
    expect(failures(run)).toContainEqual(
      'Odoo refused the login "admin" and its password or API key',
    );
  });

  it("prints its usage with --help and refuses bad arguments with a message", async () => {
    const help = await runDoctor(["--help"]);
    expect([help.code, help.stdout]).toEqual([
      0,
      expect.stringMatching(/^Checks an Odoo deployment/),
    ]);
    for (const [args, message] of [
      [["--bogus"], /Unknown option '--bogus'/],
      [["--odoo-url", "not a url"], /--odoo-url: /],
      [
        ["--odoo-url", "http://x", "--rpc-login", "admin"],
        /--rpc-login and --rpc-password go together/,
      ],
      [
        ["--api-key", "k"],
        /--db, --api-key and --push-token describe an Odoo given with --odoo-url/,
      ],
      [[], /the hub's configuration names no Odoo/],
    ] as const) {
      const run = await runDoctor([...args]);
      expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
  });
});
