import { asEnvelope, saleOrderWrite, type FixtureChange } from "@odoo-live/protocol/fixtures";
import type { Hub } from "@odoo-live/server";
import { push } from "./hub.js";

let counter = 0;

/** A write of sale.order 42 named `name`, stamped 5 s after the previous one: a change of its own. */
export function namedWrite(name: string): FixtureChange {
  const at = new Date(Date.UTC(2025, 10, 30, 8) + ++counter * 5000).toISOString().slice(0, 19);
  return {
    ...saleOrderWrite,
    timestamp: at,
    payload: { ...saleOrderWrite.payload, write_date: at, name },
  };
}

/** Pushes one such write per name, in order, as the cron envelope; resolves to the statuses. */
export async function pushNamed(hub: Hub, names: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const name of names) {
    statuses.push((await push(hub, asEnvelope(namedWrite(name), ++counter))).status);
  }
  return statuses;
}

/** Like pushNamed, but every push sent at once (stamped in the names' order). */
export async function pushNamedTogether(hub: Hub, names: string[]): Promise<number[]> {
  const envelopes = names.map((name) => asEnvelope(namedWrite(name), ++counter));
  return (await Promise.all(envelopes.map((envelope) => push(hub, envelope)))).map((r) => r.status);
}

/** `S<from>` … `S<to - 1>`. */
export function nameRange(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `S${from + i}`);
}
