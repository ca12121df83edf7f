import type { SimAccount } from "./types.js";

/** One `ir.model.access` read rule: a model readable by a group, or by everyone (`null`). */
export interface ReadRule {
  id: number;
  modelId: number;
  groupId: number | null;
}

/**
 * Users who log in (`common.authenticate`) and what Odoo's ACL lets them read: the part of
 * `res.users`, `ir.model` and `ir.model.access` that sign-in asks about. A user's `groupIds`
 * stand for `groups_id`, implied groups included, as Odoo stores them.
 */
export class Accounts {
  private readonly byUid = new Map<number, Required<SimAccount>>();
  /** `ir.model` ids, in the order models were named. */
  readonly modelIds = new Map<string, number>();
  readonly rules: ReadRule[] = [];

  constructor(accounts: readonly SimAccount[], readAccess: Record<string, (number | null)[]>) {
    for (const account of accounts)
      this.byUid.set(account.uid, { apiKey: "", active: true, ...account });
    for (const [model, groups] of Object.entries(readAccess)) {
      const modelId = this.modelIds.size + 1;
      this.modelIds.set(model, modelId);
      for (const groupId of groups)
        this.rules.push({ id: this.rules.length + 1, modelId, groupId });
    }
  }

  /** As Odoo over JSON-RPC: an active user's password or API key gives its uid. */
  authenticate(login: unknown, secret: unknown): number | undefined {
    if (typeof secret !== "string" || secret === "") return undefined;
    const account = [...this.byUid.values()].find((a) => a.active && a.login === login);
    if (account === undefined) return undefined;
    return secret === account.password || secret === account.apiKey ? account.uid : undefined;
  }

  all(): Required<SimAccount>[] {
    return [...this.byUid.values()];
  }

  /** An admin's change of a user: archive, groups, companies. */
  update(
    uid: number,
    patch: Partial<Pick<SimAccount, "active" | "groupIds" | "companyIds">>,
  ): void {
    const account = this.byUid.get(uid);
    if (account === undefined) throw new Error(`odoo-sim: no account with uid ${uid}`);
    Object.assign(account, patch);
  }
}
