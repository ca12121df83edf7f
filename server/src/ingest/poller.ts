import { backoffDelay, normalizePullRow, type OdooPullRow } from "@odoo-live/protocol";
import type { PullSettings } from "../config/tenants.js";
import type { EventLog } from "../log/event-log.js";
import type { Ledger } from "../odoo/ledger.js";
import type { OdooClient } from "../odoo/odoo-client.js";
import { OdooError } from "../odoo/odoo-error.js";
import { OdooHealth } from "../odoo/odoo-health.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { sleep } from "../ops/sleep.js";
import type { PullStore } from "../state/pull-store.js";
import type { Change, Ingestor } from "./ingest.js";
import { PullLeadership } from "./pull-leadership.js";
import { nativeHash } from "./native-hash.js";
import { pagesAhead } from "./pull-pages.js";
import { PullProgress } from "./pull-progress.js";
import { PullWindow } from "./pull-window.js";
import { pullStart } from "./pull-start.js";

export interface PollerDeps {
  tenant: string;
  settings: PullSettings;
  ledger: Ledger;
  /** Needed only when `settings.markProcessed` is on. */
  odoo: OdooClient | undefined;
  ingestor: Ingestor;
  log: EventLog;
  /** The lease (who pulls) and the watermark (how far the log holds the ledger). */
  store: PullStore;
  logger: Logger;
  metrics: Metrics;
  /** This node's holder id for the lease. */
  holder: string;
  leaseTtlMs?: number | undefined;
  now?: () => number;
}

/**
 * Pulls one tenant's `update.webhook` ledger into the log through the same path as pushes.
 * Reads page after page while Odoo has more, then idles; backs off (exponentially, with jitter)
 * while Odoo fails, and carries on from the stored watermark when it is back. Refused credentials
 * are retried every `authRetryMs` only; Odoo's state (`odoo`) is logged when it changes.
 *
 * Across hub nodes only the holder of the tenant's lease pulls; the others ask for it every
 * second and take over when the leader stops (it releases) or dies (the lease expires). A node
 * that loses the lease forgets its window and re-opens from the stored watermark when it leads
 * again. The watermark is stored under the lease's fencing token before the first row is logged
 * and moved only past rows that are in the log, so a successor never starts over and a deposed
 * leader cannot move it.
 */
export class Poller {
  private readonly stopping = new AbortController();
  private readonly leadership: PullLeadership;
  private running: Promise<void> | undefined;
  /** Open while this node leads, under the lease token it was opened with. */
  private window: OpenWindow | undefined;
  /** The last watermark this node stored: a start point if the store ever loses its own. */
  private lastStored: number | undefined;

  /** The tenant's Odoo as this node sees it while it pulls. */
  readonly odoo: OdooHealth;

  constructor(private readonly deps: PollerDeps) {
    this.leadership = new PullLeadership({ ...deps, ttlMs: deps.leaseTtlMs });
    this.odoo = new OdooHealth(deps.tenant, deps.logger);
  }

  /** How far behind Odoo the pull is (undefined while this node does not pull). */
  get progress(): PullProgress | undefined {
    return this.window?.progress;
  }

  /** The ledger id up to which every row is in the log (undefined while this node does not pull). */
  get stable(): number | undefined {
    return this.window?.pulling.stable;
  }

  /** Whether this node holds the tenant's pull lease. */
  get leading(): boolean {
    return this.leadership.token !== undefined;
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { settings } = this.deps;
    const { signal } = this.stopping;
    let failures = 0;
    let nextPassAt = 0;
    while (!signal.aborted) {
      try {
        const token = await this.leadership.renew();
        if (token !== this.window?.token) this.window = undefined;
        if (token === undefined) {
          this.odoo.forget();
          await sleep(this.leadership.retryEveryMs, signal);
          continue;
        }
        if (Date.now() >= nextPassAt) {
          this.window ??= await this.open(token);
          if (this.window !== undefined) {
            await this.pass(this.window, token);
            this.odoo.up();
          }
          failures = 0;
          nextPassAt = Date.now() + settings.intervalMs;
        }
        await sleep(Math.min(nextPassAt - Date.now(), this.leadership.renewEveryMs), signal);
      } catch (error) {
        const wait = this.failed(error, failures++);
        // Odoo failing: the next pass waits, and the lease is renewed meanwhile, so that one
        // node keeps the tenant (and its Odoo state) instead of each node trying in turn.
        if (error instanceof OdooError) nextPassAt = Date.now() + wait;
        // The store failing: the lease cannot be renewed either.
        else await sleep(wait, signal);
      }
    }
    this.window = undefined;
    await this.leadership.release();
  }

  /**
   * How long to wait after a failure: refused credentials `authRetryMs`, the rest back off. An
   * Odoo failure is counted, and logged only when Odoo's state changes; another (the store) is
   * logged each time, as the backoff spaces them.
   */
  private failed(error: unknown, failures: number): number {
    const { settings, logger, tenant, metrics } = this.deps;
    const backoff = { minDelayMs: 250, maxDelayMs: settings.maxBackoffMs };
    const delay = backoffDelay(failures, backoff, Math.random());
    if (!(error instanceof OdooError)) {
      metrics.pullErrors.inc({ tenant, kind: "store" });
      logger.warn({ err: error, tenant, retryInMs: delay }, "pull failed");
      return delay;
    }
    metrics.pullErrors.inc({ tenant, kind: error.kind });
    this.odoo.failed(error);
    const wait = error.retryable ? delay : settings.authRetryMs;
    logger.debug({ tenant, error: error.message, retryInMs: wait }, "pull from Odoo failed");
    return wait;
  }

  /** Stores the start point under `token` (or finds the stored one), before any row is logged. */
  private async open(token: number): Promise<OpenWindow | undefined> {
    const { store, tenant, log, settings, logger } = this.deps;
    const start = await pullStart(this.deps, this.lastStored);
    const stored = await store.start(tenant, start.ledgerId, token);
    if (stored === null) {
      this.leadership.drop();
      return undefined;
    }
    this.lastStored = stored.ledgerId;
    await log.markLedger(tenant, stored.ledgerId);
    logger.info(
      {
        tenant,
        fence: token,
        from: stored.ledgerId,
        origin: stored.created ? start.origin : "stored watermark",
      },
      "pulling from Odoo",
    );
    const pulling = new PullWindow(stored.ledgerId, settings.lateCommitWindowMs, {
      openAtFirstRow: stored.ledgerId === 0,
    });
    return { token, pulling, progress: new PullProgress(this.deps.ledger, stored.ledgerId) };
  }

  /** Reads everything above the watermark, logs it, then moves the watermark. */
  private async pass({ pulling: window, progress }: OpenWindow, token: number): Promise<void> {
    const { ledger, settings, tenant, store, log, logger, metrics } = this.deps;
    const read: number[] = [];
    // The rows read so far without a gap below them: each is a mark made with its append.
    let covered = window.stable;
    // Rows above an open id gap come back on every pass until it closes; log them once.
    const prepare = (row: OdooPullRow) =>
      window.logged(row.id) ? undefined : normalizePullRow(tenant, row, nativeHash);
    const pages = pagesAhead(
      ledger,
      window.stable,
      settings.pageSize,
      this.stopping.signal,
      prepare,
    );
    for await (const { page, prepared } of pages) {
      const changes: Change[] = [];
      page.rows.forEach((row, i) => {
        if (row.id === covered + 1) covered = row.id;
        const draft = prepared[i];
        if (draft !== undefined) {
          changes.push({ draft, coverage: covered === row.id ? covered : undefined });
        }
        read.push(row.id);
      });
      // The page in one log call, in ledger order: each row with its own coverage, as if alone.
      await this.deps.ingestor.ingestMany(tenant, changes, "pull");
      await this.markProcessed(page.rows.map((r) => r.id));
      progress.page(page.rows.at(-1)?.id, page.hasMore);
    }
    const before = window.stable;
    const { stable, skipped } = window.observe(read, (this.deps.now ?? Date.now)());
    for (const gap of skipped) {
      metrics.pullIdsSkipped.inc({ tenant }, gap.to - gap.from + 1);
      logger.info({ tenant, ...gap }, "pull watermark passed missing ledger ids as rolled back");
    }
    if (stable <= before) return;
    if (!(await store.advance(tenant, stable, token))) {
      // Another node acquired the lease since (ours expired): it pulls from the stored watermark.
      this.leadership.drop();
      this.window = undefined;
      return;
    }
    this.lastStored = stable;
    logger.debug({ tenant, from: before, to: stable, rows: read.length }, "pull watermark moved");
    await log.markLedger(tenant, stable);
  }

  /** Global in Odoo (hides rows from every reader); only after the rows are in the log. */
  private async markProcessed(ids: number[]): Promise<void> {
    if (!this.deps.settings.markProcessed || ids.length === 0) return;
    await this.deps.odoo?.markProcessed(ids);
  }
}

interface OpenWindow {
  token: number;
  pulling: PullWindow;
  progress: PullProgress;
}
