import { backoffDelay, normalizePullRow } from "@odoo-live/protocol";
import type { PullSettings } from "../config/tenants.js";
import type { EventLog } from "../log/event-log.js";
import type { Ledger } from "../odoo/ledger.js";
import type { OdooClient } from "../odoo/odoo-client.js";
import type { Logger } from "../ops/logger.js";
import { sleep } from "../ops/sleep.js";
import type { PullCursorStore } from "../state/pull-cursor-store.js";
import type { Ingestor } from "./ingest.js";
import { PullWindow } from "./pull-window.js";

export interface PollerDeps {
  tenant: string;
  settings: PullSettings;
  ledger: Ledger;
  /** Needed only when `settings.markProcessed` is on. */
  odoo: OdooClient | undefined;
  ingestor: Ingestor;
  log: EventLog;
  cursors: PullCursorStore;
  logger: Logger;
  now?: () => number;
}

/**
 * Pulls one tenant's `update.webhook` ledger into the log through the same path as pushes.
 * Reads page after page while Odoo has more, then idles; backs off (exponentially, with jitter)
 * while Odoo fails, and carries on from the stored watermark when it is back.
 */
export class Poller {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private window: PullWindow | undefined;

  constructor(private readonly deps: PollerDeps) {}

  /** The ledger id up to which every row is in the log (undefined before the first pass). */
  get stable(): number | undefined {
    return this.window?.stable;
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { settings, logger, tenant } = this.deps;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        this.window ??= await this.open();
        await this.pass(this.window);
        failures = 0;
        await sleep(settings.intervalMs, this.stopping.signal);
      } catch (error) {
        const delay = backoffDelay(
          failures++,
          { minDelayMs: 250, maxDelayMs: settings.maxBackoffMs },
          Math.random(),
        );
        logger.warn({ err: error, tenant, retryInMs: delay }, "pull from Odoo failed");
        await sleep(delay, this.stopping.signal);
      }
    }
  }

  /** Starts from the stored watermark, else from the newest row or the beginning. */
  private async open(): Promise<PullWindow> {
    const { cursors, tenant, ledger, settings, log } = this.deps;
    const stored = await cursors.get(tenant);
    const start = stored ?? (settings.start === "latest" ? await ledger.newestId() : 0);
    await log.markLedger(tenant, start);
    this.deps.logger.info({ tenant, from: start, stored: stored !== null }, "pulling from Odoo");
    return new PullWindow(start, settings.lateCommitWindowMs);
  }

  /** Reads everything above the watermark, logs it, then moves the watermark. */
  private async pass(window: PullWindow): Promise<void> {
    const { ledger, settings, tenant, cursors, log } = this.deps;
    const read: number[] = [];
    let after = window.stable;
    for (;;) {
      const page = await ledger.readAfter(after, settings.pageSize);
      for (const row of page.rows) {
        await this.deps.ingestor.ingest(normalizePullRow(tenant, row), "pull");
        read.push(row.id);
      }
      await this.markProcessed(page.rows.map((r) => r.id));
      const last = page.rows.at(-1);
      if (!page.hasMore || last === undefined || this.stopping.signal.aborted) break;
      after = last.id;
    }
    const before = window.stable;
    const stable = window.observe(read, (this.deps.now ?? Date.now)());
    if (stable > before) {
      await cursors.advance(tenant, stable);
      await log.markLedger(tenant, stable);
    }
  }

  /** Global in Odoo (hides rows from every reader); only after the rows are in the log. */
  private async markProcessed(ids: number[]): Promise<void> {
    if (!this.deps.settings.markProcessed || ids.length === 0) return;
    await this.deps.odoo?.markProcessed(ids);
  }
}
