import { z } from "zod";
import type { OdooSettings, SigninSettings } from "../config/tenants.js";
import { OdooRpc, type RpcUser } from "./odoo-rpc.js";

/** Who a user is in Odoo and what they may read: what a minted token carries. */
export interface OdooIdentity {
  uid: number;
  /** The user's `company_ids`, ascending. */
  companies: number[];
  /** The sign-in models the user may read, in the tenant's order. */
  models: string[];
}

const Uid = z.union([z.number().int().positive(), z.literal(false)]);
const Many2one = z.tuple([z.number().int(), z.string()]);
const Users = z.array(
  z.object({
    active: z.boolean(),
    company_ids: z.array(z.number().int().positive()),
    groups_id: z.array(z.number().int()),
  }),
);
const Models = z.array(z.object({ id: z.number().int(), model: z.string() }));
const Rules = z.array(
  z.object({ model_id: Many2one, group_id: z.union([Many2one, z.literal(false)]) }),
);

/**
 * Sign-in's questions to one tenant's Odoo, over external JSON-RPC. The user's own secret is used
 * once, to authenticate; everything else is asked as sign-in's account (`odoo.signin.rpc`, or
 * `odoo.rpc`), so that a refresh can ask again without the user's secret (never kept).
 */
export class OdooSignin {
  private readonly rpc: OdooRpc;
  private readonly service: RpcUser;

  constructor(
    odoo: Pick<OdooSettings, "url" | "timeoutMs"> & {
      db: string;
      rpc: { uid: number; key: string };
    },
    private readonly settings: SigninSettings,
  ) {
    this.rpc = new OdooRpc({ url: odoo.url, db: odoo.db, timeoutMs: odoo.timeoutMs });
    this.service = { db: odoo.db, ...odoo.rpc };
  }

  /**
   * `common.authenticate`: the user's id when Odoo accepts `login` with this password or API key
   * (Odoo checks both over JSON-RPC), else null; Odoo does not say which part was wrong.
   */
  async authenticate(login: string, secret: string): Promise<number | null> {
    const uid = Uid.parse(
      await this.rpc.call("common", "authenticate", [this.service.db, login, secret, {}]),
    );
    return uid === false ? null : uid;
  }

  /**
   * The user's companies and which sign-in models they may read, or null for a user that is
   * archived or gone. "May read" is Odoo's own rule (`ir.model.access.check`, what
   * `check_access_rights("read")` answers): an active read rule of the model for everyone or for
   * one of the user's groups (`groups_id` holds the implied groups too).
   */
  async identity(uid: number): Promise<OdooIdentity | null> {
    // One call at a time: a refused service account then costs Odoo's lockout counter one
    // failure per question, not one per call in flight, and the hub counts exactly that one.
    const users = await this.ask(
      "res.users",
      [["id", "=", uid]],
      ["active", "company_ids", "groups_id"],
    );
    const user = Users.parse(users)[0];
    if (user === undefined || !user.active) return null;
    const models = await this.ask("ir.model", [["model", "in", this.settings.models]], ["model"]);
    const ids = new Map(Models.parse(models).map((m) => [m.id, m.model]));
    const rules = Rules.parse(
      await this.ask(
        "ir.model.access",
        [
          ["model_id", "in", [...ids.keys()]],
          ["perm_read", "=", true],
        ],
        ["model_id", "group_id"],
      ),
    );
    const groups = new Set(user.groups_id);
    const readable = new Set(
      rules
        .filter((rule) => rule.group_id === false || groups.has(rule.group_id[0]))
        .map((rule) => ids.get(rule.model_id[0])),
    );
    return {
      uid,
      companies: [...user.company_ids].sort((a, b) => a - b),
      models: this.settings.models.filter((model) => readable.has(model)),
    };
  }

  private ask(model: string, domain: unknown[], fields: string[]): Promise<unknown> {
    // Archived users too: the hub must see them to refuse them, not mistake them for gone.
    const context = { active_test: model !== "res.users" };
    return this.rpc.executeKw(this.service, model, "search_read", [domain], { fields, context });
  }
}
