/**
 * Sale orders and partners changed through one of Odoo's entry paths. The module drops a
 * record's create or write that comes less than 3 s after the previous one (a per-process
 * debounce, reference §3.2), so a change waits until its record is past that window.
 */
import { waitFor } from "../../helpers/wait.js";
import type { ChangePath, OdooCall } from "./odoo-calls.js";

const DEBOUNCE_MS = 3_000;
/** Odoo stamps the debounce with its own clock; a margin covers the request's own latency. */
const MARGIN_MS = 300;

/** When each record was last created or written, shared by every path (one Odoo process). */
export class Debounce {
  private readonly last = new Map<string, number>();

  touched(model: string, id: number): void {
    this.last.set(`${model}:${id}`, Date.now());
  }

  async settled(model: string, id: number): Promise<void> {
    const last = this.last.get(`${model}:${id}`) ?? 0;
    await waitFor(() => Date.now() >= last + DEBOUNCE_MS + MARGIN_MS, {
      timeoutMs: DEBOUNCE_MS + 2 * MARGIN_MS,
      intervalMs: 50,
      what: `Odoo's debounce window of ${model} ${id}`,
    });
  }
}

/** A change the test made, as the ledger names it. */
export interface MadeChange {
  model: string;
  recordId: number;
  op: "create" | "write" | "unlink";
  path: ChangePath;
}

export class Records {
  readonly made: MadeChange[] = [];

  constructor(
    readonly path: ChangePath,
    private readonly call: OdooCall,
    private readonly debounce: Debounce,
  ) {}

  async create(model: string, values: Record<string, unknown>): Promise<number> {
    const id = (await this.call(model, "create", [values])) as number;
    this.debounce.touched(model, id);
    this.made.push({ model, recordId: id, op: "create", path: this.path });
    return id;
  }

  async write(model: string, id: number, values: Record<string, unknown>): Promise<void> {
    await this.debounce.settled(model, id);
    await this.call(model, "write", [[id], values]);
    this.debounce.touched(model, id);
    this.made.push({ model, recordId: id, op: "write", path: this.path });
  }

  /** `sale.order.action_confirm`: one write of the order (`state`, `date_order`). */
  async confirm(orderId: number): Promise<void> {
    await this.debounce.settled("sale.order", orderId);
    await this.call("sale.order", "action_confirm", [[orderId]]);
    this.debounce.touched("sale.order", orderId);
    this.made.push({ model: "sale.order", recordId: orderId, op: "write", path: this.path });
  }

  /** Unlinks are not debounced. */
  async unlink(model: string, id: number): Promise<void> {
    await this.call(model, "unlink", [[id]]);
    this.made.push({ model, recordId: id, op: "unlink", path: this.path });
  }
}
