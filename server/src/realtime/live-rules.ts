import type { NormalizedEvent } from "@odoo-live/protocol";
import type { RuleSet } from "../routing/rules.js";

/**
 * The rule sets of a node's live sessions, per tenant, counted: each distinct one is evaluated
 * once per event, whatever the number of devices sharing it. Devices without rules share "",
 * which always passes.
 */
export class LiveRules {
  private readonly tenants = new Map<string, Map<string, { rules: RuleSet; count: number }>>();

  add(tenant: string, rules: RuleSet): void {
    let sets = this.tenants.get(tenant);
    if (sets === undefined) {
      sets = new Map();
      this.tenants.set(tenant, sets);
    }
    const held = sets.get(rules.id);
    if (held === undefined) sets.set(rules.id, { rules, count: 1 });
    else held.count += 1;
  }

  remove(tenant: string, rules: RuleSet): void {
    const sets = this.tenants.get(tenant);
    const held = sets?.get(rules.id);
    if (sets === undefined || held === undefined) return;
    held.count -= 1;
    if (held.count > 0) return;
    sets.delete(rules.id);
    if (sets.size === 0) this.tenants.delete(tenant);
  }

  /** The ids of the tenant's rule sets that let `event` through. */
  passing(tenant: string, event: NormalizedEvent): string[] {
    const passing: string[] = [];
    for (const { rules } of this.tenants.get(tenant)?.values() ?? []) {
      if (rules.passes(event)) passing.push(rules.id);
    }
    return passing;
  }
}
