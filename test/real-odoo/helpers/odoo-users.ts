/**
 * Users the sign-in tests create in the real Odoo (as its admin, over JSON-RPC), each with a
 * login of its own run, so that failed logins never count against the admin the other suites
 * use and reruns never collide. `archiveAll` retires them.
 */
import { randomBytes } from "node:crypto";
import { jsonRpc, webClient, type OdooCall } from "./odoo-calls.js";
import type { RealOdooFacts } from "./real-odoo.js";

export interface TestUser {
  uid: number;
  login: string;
  password: string;
}

const RUN = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;

export class OdooUsers {
  private readonly created: number[] = [];
  /** One JSON-RPC client per user: each logs in once (Odoo hashes a password per login). */
  private readonly calls = new Map<number, OdooCall>();

  constructor(
    private readonly facts: RealOdooFacts,
    private readonly admin: OdooCall,
  ) {}

  /** A `res.groups` id by xmlid (`sales_team.group_sale_salesman`). */
  async group(xmlid: string): Promise<number> {
    const [module, name] = xmlid.split(".");
    const domain = [
      ["module", "=", module],
      ["name", "=", name],
      ["model", "=", "res.groups"],
    ];
    const [row] = (await this.admin("ir.model.data", "search_read", [domain], {
      fields: ["res_id"],
    })) as { res_id: number }[];
    if (row === undefined) throw new Error(`no group ${xmlid}`);
    return row.res_id;
  }

  /** The company named `name`, created the first time (companies are never removed). */
  async company(name: string): Promise<number> {
    const [found] = (await this.admin("res.company", "search_read", [[["name", "=", name]]], {
      fields: ["id"],
    })) as { id: number }[];
    return found?.id ?? ((await this.admin("res.company", "create", [{ name }])) as number);
  }

  async create(role: string, groups: number[], companies: number[]): Promise<TestUser> {
    const login = `signin-${RUN}-${role}`;
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const uid = (await this.admin("res.users", "create", [
      {
        name: `odoo-live sign-in ${role} ${RUN}`,
        login,
        password,
        groups_id: [[6, 0, groups]],
        company_ids: [[6, 0, companies]],
        company_id: companies[0],
      },
    ])) as number;
    this.created.push(uid);
    return { uid, login, password };
  }

  async setGroups(user: TestUser, groups: number[]): Promise<void> {
    await this.admin("res.users", "write", [[user.uid], { groups_id: [[6, 0, groups]] }]);
  }

  async setActive(user: TestUser, active: boolean): Promise<void> {
    await this.admin("res.users", "write", [[user.uid], { active }]);
  }

  /** Calls made as `user` (external JSON-RPC with the user's password). */
  as(user: TestUser): OdooCall {
    let call = this.calls.get(user.uid);
    if (call === undefined) {
      call = jsonRpc({ ...this.facts, login: user.login, password: user.password });
      this.calls.set(user.uid, call);
    }
    return call;
  }

  /**
   * `common.authenticate` for `user`: its uid, or false when Odoo refuses, as it refuses every
   * login from an address it put on cooldown. (Calls of a logged-in client are cached and skip
   * that check.)
   */
  async authenticate(user: TestUser): Promise<number | false> {
    const response = await fetch(`${this.facts.url}/jsonrpc`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        method: "call",
        id: 1,
        params: {
          service: "common",
          method: "authenticate",
          args: [this.facts.db, user.login, user.password, {}],
        },
      }),
    });
    return ((await response.json()) as { result: number | false }).result;
  }

  /**
   * A user API key made the way the user makes one in Odoo 18: the key wizard's `make_key`
   * first asks for the password (an identity check in the web session), then answers the key.
   */
  async apiKey(user: TestUser): Promise<string> {
    const web = await webClient({ ...this.facts, login: user.login, password: user.password });
    const wizard = (await web("res.users.apikeys.description", "create", [
      { name: "odoo-live sign-in test" },
    ])) as number;
    const check = (await web("res.users.apikeys.description", "make_key", [[wizard]])) as {
      res_id: number;
    };
    await web("res.users.identitycheck", "write", [[check.res_id], { password: user.password }]);
    const shown = (await web("res.users.identitycheck", "run_check", [[check.res_id]])) as {
      context: { default_key: string };
    };
    return shown.context.default_key;
  }

  /** Archives every user this run created (their API keys stop working with them). */
  async archiveAll(): Promise<void> {
    if (this.created.length > 0)
      await this.admin("res.users", "write", [this.created, { active: false }]);
  }
}
