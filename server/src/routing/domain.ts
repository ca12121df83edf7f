import type { Domain, DomainLeaf } from "@odoo-live/protocol";

/** A compiled domain: a predicate over a record snapshot. */
export type RecordTest = (record: Record<string, unknown>) => boolean;

/** A domain that cannot be evaluated; the message names the term. */
export class DomainError extends Error {}

/**
 * Compiles an Odoo domain (prefix notation, top-level terms and-ed; shape checked by the
 * protocol's schema) into a predicate over a record snapshot. Values are checked here: `in` and
 * `not in` need a list, the ordering operators a number or a string, the `like` ones a string.
 */
export function compileDomain(domain: Domain): RecordTest {
  let next = 0;
  const term = (): RecordTest => {
    const item = domain[next++];
    if (item === undefined) throw new DomainError("a domain operator misses its terms");
    if (item === "!") {
      const operand = term();
      return (record) => !operand(record);
    }
    if (item === "&" || item === "|") {
      const [left, right] = [term(), term()];
      return item === "&"
        ? (record) => left(record) && right(record)
        : (record) => left(record) || right(record);
    }
    return leaf(item);
  };
  const terms: RecordTest[] = [];
  while (next < domain.length) terms.push(term());
  return (record) => terms.every((test) => test(record));
}

function leaf([field, operator, value]: DomainLeaf): RecordTest {
  const read = (record: Record<string, unknown>) => valuesOf(record[field]);
  const where = `[${JSON.stringify(field)}, ${JSON.stringify(operator)}, …]`;
  switch (operator) {
    case "=":
      return (record) => equals(read(record), value);
    case "!=":
      return (record) => !equals(read(record), value);
    case "in":
    case "not in": {
      if (!Array.isArray(value)) throw new DomainError(`${where}: the value must be a list`);
      const wanted = value as unknown[];
      const test: RecordTest = (record) => wanted.some((v) => equals(read(record), v));
      return operator === "in" ? test : (record) => !test(record);
    }
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (typeof value !== "number" && typeof value !== "string")
        throw new DomainError(`${where}: the value must be a number or a string`);
      return (record) => read(record).some((v) => ordered(v, operator, value));
    default: {
      if (typeof value !== "string") throw new DomainError(`${where}: the value must be a string`);
      const pattern = likePattern(
        operator === "=like" ? value : `%${value}%`,
        operator === "ilike",
      );
      return (record) => read(record).some((v) => typeof v === "string" && pattern.test(v));
    }
  }
}

/**
 * A field's value as a list of comparable values: a many2one `{id, name}` is its id, an x2many
 * list of them its ids (a leaf holds when one of them does), `false` / absent is `false`.
 */
function valuesOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.map(idOf);
  return [value === undefined || value === null ? false : idOf(value)];
}

function idOf(value: unknown): unknown {
  if (typeof value === "object" && value !== null && "id" in value) return value.id;
  return value;
}

function equals(values: unknown[], wanted: unknown): boolean {
  const target = wanted === null ? false : wanted;
  if (values.length === 0) return target === false;
  return values.some((v) => v === target);
}

function ordered(
  value: unknown,
  operator: "<" | "<=" | ">" | ">=",
  bound: number | string,
): boolean {
  if (typeof value !== typeof bound) return false;
  const [a, b] = [value as number | string, bound];
  if (operator === "<") return a < b;
  if (operator === "<=") return a <= b;
  if (operator === ">") return a > b;
  return a >= b;
}

/** SQL LIKE: `%` any run, `_` one character, the rest literal. */
function likePattern(pattern: string, caseless: boolean): RegExp {
  const body = pattern
    .split("")
    .map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, caseless ? "is" : "s");
}
