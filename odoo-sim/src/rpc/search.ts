import { PyError, pyInt, pyRepr, pyTruthy } from "../py.js";
import { compileDomain } from "./domain.js";
import type { DbValue } from "./fields.js";
import type { RpcModel } from "./models.js";

const PARAMS = ["domain", "fields", "offset", "limit", "order"] as const;
type Params = Record<(typeof PARAMS)[number], unknown>;

/** `search_read(domain, fields, offset, limit, order)`, positional or keyword. */
export function searchRead<R>(
  model: RpcModel<R>,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] {
  const params = Object.fromEntries(
    PARAMS.map((name, i) => [name, Object.hasOwn(kwargs, name) ? kwargs[name] : args[i]]),
  ) as Params;
  const names = fieldNames(model, params.fields);
  return search(model, params).map((record) =>
    Object.fromEntries(names.map((name) => [name, model.fields[name]?.read(record)])),
  );
}

/** `search_count(domain)`. */
export function searchCount<R>(
  model: RpcModel<R>,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): number {
  const domain = Object.hasOwn(kwargs, "domain") ? kwargs["domain"] : args[0];
  return model.records().filter(compileDomain(model, domain)).length;
}

function search<R>(model: RpcModel<R>, params: Params): R[] {
  const offset = pyTruthy(params.offset) ? pyInt(params.offset) : 0;
  // `limit` 0, None or False: no LIMIT clause.
  const limit = pyTruthy(params.limit) ? pyInt(params.limit) : undefined;
  const found = model.records().filter(compileDomain(model, params.domain));
  // A stable sort over records kept in id order: ties stay by id, as Postgres tends to give.
  found.sort(comparator(model, params.order));
  return found.slice(offset, limit === undefined ? undefined : offset + limit);
}

/** Empty means every field; `id` always comes first; an unknown name fails the whole call. */
function fieldNames<R>(model: RpcModel<R>, fields: unknown): string[] {
  if (!pyTruthy(fields)) return Object.keys(model.fields);
  const names: unknown[] = Array.isArray(fields) ? fields : [fields];
  for (const name of names)
    if (typeof name !== "string" || !Object.hasOwn(model.fields, name))
      throw invalidField(name, model);
  return ["id", ...(names as string[]).filter((name) => name !== "id")];
}

interface SortKey<R> {
  value: (record: R) => DbValue;
  desc: boolean;
  nullsFirst: boolean;
}

const ORDER_TERM = /^\s*(\w+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;

/** An `order` spec (default `_order`) as a comparator; NULLs sort as Postgres sorts them. */
function comparator<R>(model: RpcModel<R>, order: unknown): (a: R, b: R) => number {
  const spec = typeof order === "string" && order.trim() !== "" ? order : model.order;
  const keys = spec.split(",").map((term): SortKey<R> => {
    const match = ORDER_TERM.exec(term);
    if (match === null)
      throw new PyError(
        "builtins.ValueError",
        `Invalid "order" specified (${spec}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
      );
    const [, name = "", direction, nulls] = match;
    const field = model.fields[name];
    if (field === undefined) throw invalidField(name, model);
    const desc = direction?.toLowerCase() === "desc";
    const nullsFirst = nulls === undefined ? desc : nulls.toLowerCase() === "first";
    return { value: (record) => field.value(record), desc, nullsFirst };
  });
  return (a, b) => {
    for (const key of keys) {
      const [va, vb] = [key.value(a), key.value(b)];
      if (va === vb) continue;
      if (va === null || vb === null) return (va === null) === key.nullsFirst ? -1 : 1;
      return va < vb !== key.desc ? -1 : 1;
    }
    return 0;
  };
}

function invalidField<R>(name: unknown, model: RpcModel<R>): PyError {
  return new PyError(
    "builtins.ValueError",
    `Invalid field ${pyRepr(name)} on model ${pyRepr(model.name)}`,
  );
}
