import type { Accounts, ReadRule } from "../accounts.js";
import type { SimAccount } from "../types.js";
import { many2many, many2one, scalar } from "./fields.js";
import type { RpcModel } from "./models.js";

/** `res.users` as sign-in reads it (as an administrator): who is active, companies, groups. */
export function usersModel(accounts: Accounts): RpcModel<Required<SimAccount>> {
  return {
    name: "res.users",
    records: () => accounts.all(),
    order: "login",
    fields: {
      id: scalar((a) => a.uid),
      login: scalar((a) => a.login),
      active: scalar((a) => a.active),
      company_ids: many2many((a) => a.companyIds),
      groups_id: many2many((a) => a.groupIds),
    },
  };
}

/** `ir.model`: the models named in the simulator's read rules. */
export function irModelModel(accounts: Accounts): RpcModel<[string, number]> {
  return {
    name: "ir.model",
    records: () => [...accounts.modelIds],
    order: "model",
    fields: { id: scalar(([, id]) => id), model: scalar(([model]) => model) },
  };
}

/** `ir.model.access`: read rules only (every rule here has `perm_read`). */
export function accessModel(accounts: Accounts): RpcModel<ReadRule> {
  const models = new Map([...accounts.modelIds].map(([model, id]) => [id, model]));
  return {
    name: "ir.model.access",
    records: () => accounts.rules,
    order: "model_id, group_id, id",
    fields: {
      id: scalar((r) => r.id),
      model_id: many2one(
        (r) => r.modelId,
        (id) => models.get(id) ?? String(id),
      ),
      group_id: many2one(
        (r) => r.groupId,
        (id) => `Group ${id}`,
      ),
      perm_read: scalar(() => true),
      active: scalar(() => true),
    },
  };
}
