import * as z from "zod/mini";
import { ModelName } from "./odoo-values.js";

/** The comparison operators a record rule may use (Odoo's, the subset a snapshot can answer). */
export const DomainOperator = z.enum([
  "=",
  "!=",
  "in",
  "not in",
  "<",
  "<=",
  ">",
  ">=",
  "=like",
  "like",
  "ilike",
]);
export type DomainOperator = z.infer<typeof DomainOperator>;

/** A field of the record snapshot (no dotted paths: a snapshot holds only the record's own). */
const FieldName = z.string().check(z.regex(/^[a-z_][a-z0-9_]*$/, "must be a field name"));

/** `[field, operator, value]`; many2one fields compare by id. */
export const DomainLeaf = z.tuple([FieldName, DomainOperator, z.unknown()]);
export type DomainLeaf = z.infer<typeof DomainLeaf>;

/**
 * An Odoo domain over a record snapshot, in prefix notation: `&` and `|` take the next two
 * terms, `!` the next one, and the top-level terms are and-ed (`[["state", "=", "sale"],
 * "|", ["user_id", "=", 7], ["team_id", "in", [1, 2]]]`).
 */
export const Domain = z
  .array(z.union([z.enum(["&", "|", "!"]), DomainLeaf]))
  .check(
    z.maxLength(200),
    z.refine(wellFormed, "a domain's & and | need two terms after them, and ! one"),
  );
export type Domain = z.infer<typeof Domain>;

/** Per model, the domain its records must match. */
export const ModelDomains = z.record(ModelName, Domain);
export type ModelDomains = z.infer<typeof ModelDomains>;

/** Every operator has its operands, and nothing is left over but top-level terms. */
function wellFormed(domain: readonly unknown[]): boolean {
  // Read from the end: a leaf pushes one term, `!` keeps one, `&`/`|` turn two into one.
  let terms = 0;
  for (let i = domain.length - 1; i >= 0; i--) {
    const item = domain[i];
    if (item === "&" || item === "|") {
      if (terms < 2) return false;
      terms -= 1;
    } else if (item === "!") {
      if (terms < 1) return false;
    } else terms += 1;
  }
  return true;
}
