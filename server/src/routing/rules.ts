import type { ModelDomains, NormalizedEvent } from "@odoo-live/protocol";
import { createHash } from "node:crypto";
import { compileDomain, type RecordTest } from "./domain.js";

/**
 * Record rules: what of its models a device may receive, from its token (`companies`,
 * `domains`) and its own subscription (`where`, which only narrows). One rule set per distinct
 * combination: devices that share one share its evaluation, once per event (see dispatcher.ts).
 */
export interface RuleSet {
  /** "" for no rules at all (every event of an allowed model passes); else a short hash. */
  id: string;
  passes(event: Pick<NormalizedEvent, "model" | "record">): boolean;
}

export interface Rules {
  companies?: readonly number[] | undefined;
  domains?: ModelDomains | undefined;
  where?: ModelDomains | undefined;
}

export const NO_RULES: RuleSet = { id: "", passes: () => true };

/** Compiles the rules (throws DomainError naming a bad term); the same rules, the same id. */
export function ruleSet(rules: Rules): RuleSet {
  const companies = rules.companies === undefined ? undefined : new Set(rules.companies);
  const tests = new Map<string, RecordTest[]>();
  for (const domains of [rules.domains, rules.where]) {
    for (const [model, domain] of Object.entries(domains ?? {})) {
      tests.set(model, [...(tests.get(model) ?? []), compileDomain(domain)]);
    }
  }
  if (companies === undefined && tests.size === 0) return NO_RULES;
  const id = createHash("sha256")
    .update(JSON.stringify([rules.companies ?? null, rules.domains ?? {}, rules.where ?? {}]))
    .digest("base64url")
    .slice(0, 12);
  return {
    id,
    passes: ({ model, record }) =>
      inCompanies(companies, record["company_id"]) &&
      (tests.get(model) ?? []).every((test) => test(record)),
  };
}

/** A record without a company (no field, or `false`) is every company's. */
function inCompanies(companies: ReadonlySet<number> | undefined, company: unknown): boolean {
  if (companies === undefined) return true;
  const id =
    typeof company === "object" && company !== null && "id" in company ? company.id : company;
  return typeof id !== "number" || companies.has(id);
}
