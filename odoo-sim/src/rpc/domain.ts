import { PyError, pyRepr } from "../py.js";
import type { DbValue } from "./fields.js";
import type { RpcModel } from "./models.js";

type Predicate<R> = (record: R) => boolean;
type Test = (value: DbValue) => boolean;

/** Comparison operators, on the sign of `value - operand`. */
const ORDERINGS: Readonly<Record<string, (sign: number) => boolean>> = {
  "<": (sign) => sign < 0,
  "<=": (sign) => sign <= 0,
  ">": (sign) => sign > 0,
  ">=": (sign) => sign >= 0,
};

/**
 * An Odoo domain (prefix `'&'`, `'|'`, `'!'`, implicit AND between terms) as a predicate, with
 * SQL's NULL rules as the ORM writes them (`= False` is IS NULL, `!=` and `not in` keep NULLs).
 */
export function compileDomain<R>(model: RpcModel<R>, domain: unknown): Predicate<R> {
  if (domain === null || domain === undefined || domain === false) return () => true;
  if (!Array.isArray(domain)) throw invalid(`Invalid domain: ${pyRepr(domain)}`);
  const stack: Predicate<R>[] = [];
  const pop = () => {
    const predicate = stack.pop();
    if (predicate === undefined) throw invalid(`Invalid domain: ${pyRepr(domain)}`);
    return predicate;
  };
  // Evaluated from the end, each operator takes the terms that follow it.
  for (const term of [...(domain as unknown[])].reverse()) {
    if (term === "!") {
      const operand = pop();
      stack.push((r) => !operand(r));
    } else if (term === "&" || term === "|") {
      const [a, b] = [pop(), pop()];
      stack.push(term === "&" ? (r) => a(r) && b(r) : (r) => a(r) || b(r));
    } else {
      stack.push(leaf(model, term));
    }
  }
  return (record) => stack.every((predicate) => predicate(record));
}

function leaf<R>(model: RpcModel<R>, term: unknown): Predicate<R> {
  if (!Array.isArray(term) || term.length !== 3) throw invalid(`Invalid leaf ${pyRepr(term)}`);
  const [left, operator, right] = term as [unknown, unknown, unknown];
  // TRUE_LEAF and FALSE_LEAF.
  if (left === 1 && operator === "=" && right === 1) return () => true;
  if (left === 0 && operator === "=" && right === 1) return () => false;
  const field = typeof left === "string" ? model.fields[left] : undefined;
  if (field === undefined)
    throw invalid(`Invalid field ${model.name}.${String(left)} in leaf ${tupleRepr(term)}`);
  const operand = field.operand === undefined ? right : field.operand(right);
  const test = typeof operator === "string" ? comparison(operator, operand) : undefined;
  if (test === undefined) throw invalid(`Invalid leaf ${tupleRepr(term)}`);
  return (record) => test(field.value(record));
}

function comparison(operator: string, right: unknown): Test | undefined {
  const empty = right === false || right === null;
  switch (operator) {
    case "=":
      return empty ? (v) => v === null || v === false : (v) => v === right;
    case "!=":
    case "<>":
      return empty ? (v) => v !== null && v !== false : (v) => v !== right;
    case "in":
    case "not in": {
      const list: unknown[] = Array.isArray(right) ? right : [right];
      const within = (v: DbValue) => list.includes(v) || (v === null && list.includes(false));
      return operator === "in" ? within : (v) => !within(v);
    }
  }
  const ordering = ORDERINGS[operator];
  if (ordering === undefined) return undefined;
  // Values of different types never compare true (Postgres would refuse them).
  return (v) => v !== null && typeof v === typeof right && ordering(sign(v, right as typeof v));
}

/** Both of one type (string, number or boolean), so `<` means what it means in SQL. */
function sign<T>(value: T, operand: T): number {
  if (value === operand) return 0;
  return value < operand ? -1 : 1;
}

function tupleRepr(term: unknown[]): string {
  return `(${term.map(pyRepr).join(", ")})`;
}

function invalid(message: string): PyError {
  return new PyError("builtins.ValueError", message);
}
