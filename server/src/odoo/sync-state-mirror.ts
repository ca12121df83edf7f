import { backoffDelay } from "@odoo-live/protocol";
import type { SyncStateSettings } from "../config/tenants.js";
import type { Logger } from "../ops/logger.js";
import { sleep } from "../ops/sleep.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import type { DeviceState } from "../state/device-store.js";
import type { OdooClient } from "./odoo-client.js";

export interface MirroredDevice {
  uid: number;
  deviceId: string;
  appType: DeviceState["appType"];
}

interface Pending extends MirroredDevice {
  ledgerId: number;
  events: number;
}

/**
 * Writes acknowledged ledger positions to Odoo's `user.sync.state` (the deep-resume cursor).
 * Acks are coalesced per device and flushed in batches, at most `maxRequestsPerSecond`; a
 * failed write stays pending and is retried with backoff. Odoo's update does not refuse moving
 * backwards, so the mirror never sends a position at or below what Odoo already has.
 */
export class SyncStateMirror {
  private readonly pending = new Map<string, Pending>();
  /** What Odoo holds per device, as far as this hub knows (read on first write). */
  private readonly known = new Map<string, number>();
  private readonly stopping = new AbortController();
  private readonly budget: TokenBuckets;
  private running: Promise<void> | undefined;

  constructor(
    private readonly tenant: string,
    private readonly client: OdooClient,
    private readonly settings: SyncStateSettings,
    private readonly logger: Logger,
  ) {
    const perSecond = settings.maxRequestsPerSecond;
    this.budget = new TokenBuckets({ perSecond, burst: Math.max(1, Math.ceil(perSecond)) });
  }

  /** A device acked everything up to ledger row `ledgerId`, `events` of them since last time. */
  record(device: MirroredDevice, ledgerId: number, events: number): void {
    const key = keyOf(device);
    const earlier = this.pending.get(key);
    if (earlier !== undefined && earlier.ledgerId >= ledgerId) return;
    this.pending.set(key, { ...device, ledgerId, events: events + (earlier?.events ?? 0) });
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after one last flush attempt. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await this.flush().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let delay = this.settings.flushIntervalMs;
      try {
        await this.flush();
        failures = 0;
      } catch (error) {
        delay = backoffDelay(failures++, { minDelayMs: 500, maxDelayMs: 30_000 }, Math.random());
        this.logger.warn(
          { err: error, tenant: this.tenant, retryInMs: delay },
          "sync-state mirror failed",
        );
      }
      await sleep(delay, this.stopping.signal);
    }
  }

  private async flush(): Promise<void> {
    for (const [key, entry] of [...this.pending]) {
      if (!this.budget.take("odoo")) return;
      await this.write(key, entry);
      if (this.pending.get(key) === entry) this.pending.delete(key);
    }
  }

  private async write(key: string, entry: Pending): Promise<void> {
    const device = { user_id: entry.uid, device_id: entry.deviceId };
    let known = this.known.get(key);
    if (known === undefined) {
      const state = await this.client.syncState({ ...device, app_type: entry.appType });
      known = state.last_event_id;
      this.known.set(key, known);
    }
    if (entry.ledgerId <= known) return;
    await this.client.updateSyncState({
      ...device,
      last_event_id: entry.ledgerId,
      events_synced: entry.events,
    });
    this.known.set(key, entry.ledgerId);
  }
}

function keyOf(device: MirroredDevice): string {
  return JSON.stringify([device.uid, device.deviceId]);
}
