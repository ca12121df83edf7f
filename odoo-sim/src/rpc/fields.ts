import { naiveSpaced } from "../odoo-time.js";

/** SQL-side value of a field: what domains compare and ORDER BY sorts (null is NULL). */
export type DbValue = string | number | boolean | null;

/** How one field reads over RPC and compares in a domain. */
export interface RpcField<R> {
  /** The value `read()` returns (Odoo's RPC conventions: false for empty, m2o as a pair). */
  read(record: R): unknown;
  value(record: R): DbValue;
  /** A domain operand, brought to the field's comparison form. */
  operand?(right: unknown): unknown;
}

export function scalar<R>(get: (record: R) => string | number | boolean): RpcField<R> {
  return { read: get, value: get };
}

/** Char/Text/Integer columns that may be NULL: read as false. */
export function nullable<R>(get: (record: R) => string | number | null): RpcField<R> {
  return { read: (r) => get(r) ?? false, value: get };
}

/** Datetime: `"YYYY-MM-DD HH:MM:SS"` (a space, no zone) or false. */
export function datetime<R>(get: (record: R) => Date | null): RpcField<R> {
  const text = (r: R) => {
    const date = get(r);
    return date === null ? null : naiveSpaced(date);
  };
  return {
    read: (r) => text(r) ?? false,
    value: text,
    operand: (right) => (typeof right === "string" ? right.replace("T", " ") : right),
  };
}

/** Many2one: `[id, display_name]` or false; domains compare the id. */
export function many2one<R>(
  get: (record: R) => number | null,
  name: (id: number) => string,
): RpcField<R> {
  return {
    read: (r) => {
      const id = get(r);
      return id === null ? false : [id, name(id)];
    },
    value: get,
  };
}

/** Many2many: a list of ids; not comparable in a domain here. */
export function many2many<R>(get: (record: R) => readonly number[]): RpcField<R> {
  return { read: (r) => [...get(r)], value: () => null };
}

/** A Json column: not comparable in a domain here. */
export function json<R>(get: (record: R) => unknown): RpcField<R> {
  return { read: (r) => get(r) ?? false, value: () => null };
}
