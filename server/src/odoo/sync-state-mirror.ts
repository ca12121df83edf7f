import { setTimeout as delay } from "node:timers/promises";
import type { SyncStateSettings } from "../config/tenants.js";
import { ExpiringMap } from "../ops/expiring-map.js";
import type { Logger } from "../ops/logger.js";
import { sleep } from "../ops/sleep.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import type { OdooClient } from "./odoo-client.js";
import { SyncStateQueue, type MirroredDevice, type PendingWrite } from "./sync-state-queue.js";

export type { MirroredDevice };

/** Devices named in one log line, at most. */
const SAMPLE = 10;

/**
 * Writes acknowledged ledger positions to Odoo's `user.sync.state` (the deep-resume cursor).
 * Acks are coalesced per device and flushed in batches, at most `maxRequestsPerSecond`; each
 * device retries on its own backoff (see SyncStateQueue). Odoo's update does not refuse moving
 * backwards, so the mirror never sends a position at or below what Odoo already has. Both maps
 * hold at most `maxDevices` devices; what Odoo has is forgotten `forgetAfterMs` after a device's
 * last write (the next write reads it again).
 */
export class SyncStateMirror {
  private readonly queue: SyncStateQueue;
  /** What Odoo holds per device, as far as this hub knows (read on first write). */
  private readonly known: ExpiringMap<string, number>;
  private readonly stopping = new AbortController();
  private readonly budget: TokenBuckets;
  private running: Promise<void> | undefined;
  /** The queue's drop counts already logged. */
  private reported = { full: 0, gaveUp: 0 };
  /** Writes to Odoo since start: done (or not needed), and failed tries. */
  private readonly writes = { written: 0, failed: 0 };

  constructor(
    private readonly tenant: string,
    private readonly client: OdooClient,
    private readonly settings: SyncStateSettings,
    private readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    const perSecond = settings.maxRequestsPerSecond;
    this.budget = new TokenBuckets({ perSecond, burst: Math.max(1, Math.ceil(perSecond)) });
    const { maxDevices, forgetAfterMs } = settings;
    this.queue = new SyncStateQueue({ maxDevices, giveUpAfterMs: forgetAfterMs, now });
    this.known = new ExpiringMap({ ttlMs: forgetAfterMs, maxEntries: maxDevices, now });
  }

  /** A device acked everything up to ledger row `ledgerId`, `events` of them since last time. */
  record(device: MirroredDevice, ledgerId: number, events: number): void {
    this.queue.record(device, ledgerId, events);
  }

  /** Devices waiting for a write, and devices whose Odoo position this hub remembers. */
  stats(): { pending: number; known: number } {
    return { pending: this.queue.size, known: this.known.size };
  }

  /** Since start: positions written, failed tries, positions dropped (queue full, failing). */
  counts(): { written: number; failed: number; droppedFull: number; droppedFailing: number } {
    const { full, gaveUp } = this.queue.dropped;
    return { ...this.writes, droppedFull: full, droppedFailing: gaveUp };
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after a last flush of every waiting device, for at most `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping.abort();
    const deadline = Date.now() + timeoutMs;
    const last = (async () => {
      await this.running;
      await this.flush(deadline);
    })();
    const timer = new AbortController();
    await Promise.race([last, sleep(timeoutMs, timer.signal)]);
    timer.abort();
    const left = this.queue.due(Infinity);
    if (left.length === 0) return;
    this.logger.warn(
      { tenant: this.tenant, unwritten: left.length, devices: left.slice(0, SAMPLE).map(named) },
      "sync-state mirror stopped with unwritten devices",
    );
  }

  private async loop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.flush();
      this.known.purge();
      await sleep(this.settings.flushIntervalMs, this.stopping.signal);
    }
  }

  /**
   * Writes the devices that are due, while the request budget lasts. The last flush (with a
   * deadline) tries every waiting device, waiting for budget until the deadline.
   */
  private async flush(deadline?: number): Promise<void> {
    const failed: { entry: PendingWrite; error: unknown }[] = [];
    for (const entry of this.queue.due(deadline === undefined ? Date.now() : Infinity)) {
      if (deadline === undefined ? this.stopping.signal.aborted : Date.now() >= deadline) break;
      if (!(await this.spend(deadline))) break;
      const { ledgerId, events } = entry;
      try {
        await this.write(entry, ledgerId, events);
        this.queue.written(entry, ledgerId, events);
        this.writes.written++;
      } catch (error) {
        this.writes.failed++;
        failed.push({ entry, error });
        this.queue.failed(entry);
      }
    }
    this.report(failed);
  }

  /** Takes a request from the budget; the last flush waits for one until its deadline. */
  private async spend(deadline: number | undefined): Promise<boolean> {
    const refillMs = Math.ceil(1000 / this.settings.maxRequestsPerSecond);
    while (!this.budget.take("odoo")) {
      if (deadline === undefined || Date.now() + refillMs >= deadline) return false;
      await delay(refillMs);
    }
    return true;
  }

  private async write(entry: PendingWrite, ledgerId: number, events: number): Promise<void> {
    const device = { user_id: entry.uid, device_id: entry.deviceId };
    let known = this.known.get(entry.key);
    if (known === undefined) {
      const state = await this.client.syncState({ ...device, app_type: entry.appType });
      known = state.last_event_id;
    }
    if (ledgerId > known) {
      await this.client.updateSyncState({
        ...device,
        last_event_id: ledgerId,
        events_synced: events,
      });
      known = ledgerId;
    }
    this.known.set(entry.key, known);
  }

  /** One line per flush for the failures, and one when devices were dropped since the last. */
  private report(failed: { entry: PendingWrite; error: unknown }[]): void {
    const tenant = this.tenant;
    if (failed.length > 0) {
      const devices = failed.slice(0, SAMPLE).map(({ entry }) => named(entry));
      this.logger.warn(
        { tenant, failed: failed.length, devices, err: failed[0]?.error },
        "sync-state writes failed; each device retries on its own backoff",
      );
    }
    const { full, gaveUp } = this.queue.dropped;
    if (full === this.reported.full && gaveUp === this.reported.gaveUp) return;
    this.logger.warn(
      {
        tenant,
        droppedFull: full - this.reported.full,
        droppedFailing: gaveUp - this.reported.gaveUp,
      },
      "sync-state mirror dropped positions (queue full, or failing too long); Odoo's cursor lags for those devices",
    );
    this.reported = { full, gaveUp };
  }
}

function named(entry: PendingWrite) {
  return {
    uid: entry.uid,
    deviceId: entry.deviceId,
    ledgerId: entry.ledgerId,
    failures: entry.failures,
  };
}
