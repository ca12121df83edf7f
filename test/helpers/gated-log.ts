import type { EventLog, ReadResult, Selector } from "@odoo-live/server";
import type { Position } from "@odoo-live/server";

type Held = { mode: "before" | "after"; reached: () => void; release: Promise<void> };

/**
 * The real log with a gate on history reads, so a test can push events while a device's replay
 * is in flight: `before` holds the read before it looks at the log, `after` once it has.
 */
export class GatedLog implements EventLog {
  private held: Held | undefined;

  constructor(private readonly inner: EventLog) {}

  holdNextRead(mode: Held["mode"]) {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.held = { mode, reached, release: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: reachedPromise, release };
  }

  append: EventLog["append"] = (tenant, input) => this.inner.append(tenant, input);
  appendMany: EventLog["appendMany"] = (tenant, inputs) => this.inner.appendMany(tenant, inputs);
  head: EventLog["head"] = (tenant) => this.inner.head(tenant);
  subscribe: EventLog["subscribe"] = (tenant, listener) => this.inner.subscribe(tenant, listener);
  close: EventLog["close"] = () => this.inner.close();
  oldest: EventLog["oldest"] = (tenant) => this.inner.oldest(tenant);
  markLedger: EventLog["markLedger"] = (tenant, id) => this.inner.markLedger(tenant, id);
  ledgerAt: EventLog["ledgerAt"] = (tenant, seq) => this.inner.ledgerAt(tenant, seq);
  ledgerFloor: EventLog["ledgerFloor"] = (tenant) => this.inner.ledgerFloor(tenant);
  markHistory: EventLog["markHistory"] = (tenant, id) => this.inner.markHistory(tenant, id);
  readHistory: EventLog["readHistory"] = (tenant, after, through, selector) =>
    this.inner.readHistory(tenant, after, through, selector);
  readLatestSince: EventLog["readLatestSince"] = (tenant, from, selector) =>
    this.inner.readLatestSince(tenant, from, selector);

  async readSince(tenant: string, from: Position, selector: Selector): Promise<ReadResult> {
    const held = this.held;
    this.held = undefined;
    if (held === undefined) return this.inner.readSince(tenant, from, selector);
    if (held.mode === "before") {
      held.reached();
      await held.release;
      return this.inner.readSince(tenant, from, selector);
    }
    const result = await this.inner.readSince(tenant, from, selector);
    held.reached();
    await held.release;
    return result;
  }
}
