import { secretEquals } from "../ingest/push-auth.js";
import { ExpiringMap } from "../ops/expiring-map.js";
import type { DeviceKey } from "./device-store.js";
import type {
  AppTypeValue,
  RefreshCheck,
  RefreshStore,
  RefreshStoreOptions,
} from "./refresh-store.js";

interface Chain {
  secret: string;
  appType: AppTypeValue;
}

/**
 * Most chains a tenant keeps in memory: about 300 bytes each (30 MB at the cap). Past it the
 * device that refreshed longest ago is signed out first; with Redis only the TTL bounds them.
 */
const MAX_CHAINS = 100_000;

/** The refresh store within one process (the embedded hub). */
export class MemoryRefreshStore implements RefreshStore {
  private readonly tenants = new Map<string, ExpiringMap<string, Chain>>();

  constructor(
    private readonly options: RefreshStoreOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async start(device: DeviceKey, secret: string, appType: AppTypeValue): Promise<void> {
    this.chains(device.tenant).set(idOf(device), { secret, appType });
  }

  async check(device: DeviceKey, secret: string): Promise<RefreshCheck> {
    return this.use(device, secret, undefined);
  }

  async rotate(device: DeviceKey, secret: string, next: string): Promise<RefreshCheck> {
    return this.use(device, secret, next);
  }

  async revoke(device: DeviceKey): Promise<void> {
    this.tenants.get(device.tenant)?.delete(idOf(device));
  }

  async close(): Promise<void> {}

  /** Synchronous, as the Redis script is atomic: two uses of one secret cannot both pass. */
  private use(device: DeviceKey, secret: string, next: string | undefined): RefreshCheck {
    const chains = this.chains(device.tenant);
    const chain = chains.get(idOf(device));
    if (chain === undefined) return { status: "unknown" };
    if (!secretEquals(chain.secret, secret)) {
      chains.delete(idOf(device));
      return { status: "reused" };
    }
    if (next !== undefined) chains.set(idOf(device), { secret: next, appType: chain.appType });
    return { status: "valid", appType: chain.appType };
  }

  private chains(tenant: string): ExpiringMap<string, Chain> {
    let chains = this.tenants.get(tenant);
    if (chains === undefined) {
      const ttlMs = this.options.ttlMs(tenant);
      chains = new ExpiringMap({ ttlMs, maxEntries: MAX_CHAINS, now: this.now });
      this.tenants.set(tenant, chains);
    }
    return chains;
  }
}

function idOf(device: DeviceKey): string {
  return JSON.stringify([device.uid, device.deviceId]);
}
