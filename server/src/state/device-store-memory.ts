import type {
  AckInput,
  AckResult,
  ConnectInput,
  DeviceKey,
  DeviceState,
  DeviceStore,
} from "./device-store.js";
import { isAhead } from "./device-store.js";
import type { ModelDomains } from "@odoo-live/protocol";

export class MemoryDeviceStore implements DeviceStore {
  private readonly devices = new Map<string, DeviceState>();

  get(key: DeviceKey): Promise<DeviceState | null> {
    const state = this.devices.get(idOf(key));
    return Promise.resolve(state === undefined ? null : structuredClone(state));
  }

  connect(key: DeviceKey, input: ConnectInput): Promise<DeviceState> {
    const state = this.devices.get(idOf(key)) ?? fresh(key, input);
    state.appType = input.appType;
    if (input.models !== undefined) {
      state.models = [...new Set(input.models)];
      state.where = narrowing(state.models, input.where);
    }
    return this.save(state);
  }

  addModels(key: DeviceKey, models: readonly string[], where?: ModelDomains): Promise<DeviceState> {
    const state = this.devices.get(idOf(key)) ?? fresh(key, { appType: "mobile_app" });
    state.models = [...new Set([...state.models, ...models])];
    state.where = { ...without(state.where, models), ...narrowing(models, where) };
    return this.save(state);
  }

  removeModels(key: DeviceKey, models: readonly string[]): Promise<DeviceState> {
    const state = this.devices.get(idOf(key)) ?? fresh(key, { appType: "mobile_app" });
    state.models = state.models.filter((m) => !models.includes(m));
    state.where = without(state.where, models);
    return this.save(state);
  }

  ack(key: DeviceKey, input: AckInput): Promise<AckResult> {
    const state = this.devices.get(idOf(key)) ?? fresh(key, { appType: "mobile_app" });
    this.devices.set(idOf(state), state);
    const stored = state.acked;
    if (stored !== null && !isAhead(input.position, stored))
      return Promise.resolve({ moved: false, acked: { ...stored }, syncCount: state.syncCount });
    state.acked = { ...input.position };
    state.lastSyncTime = input.at.toISOString();
    state.syncCount += 1;
    state.lastEventCount = input.events;
    state.totalEventsSynced += input.events;
    return Promise.resolve({
      moved: true,
      acked: { ...input.position },
      syncCount: state.syncCount,
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private save(state: DeviceState): Promise<DeviceState> {
    this.devices.set(idOf(state), state);
    return Promise.resolve(structuredClone(state));
  }
}

function idOf(key: DeviceKey): string {
  return JSON.stringify([key.tenant, key.uid, key.deviceId]);
}

function fresh(key: DeviceKey, input: ConnectInput): DeviceState {
  return {
    tenant: key.tenant,
    uid: key.uid,
    deviceId: key.deviceId,
    appType: input.appType,
    models: [...new Set(input.models ?? [])],
    where: narrowing(input.models ?? [], input.where),
    acked: null,
    lastSyncTime: null,
    syncCount: 0,
    lastEventCount: 0,
    totalEventsSynced: 0,
  };
}

/** The domains of `where` for `models` only. */
function narrowing(models: readonly string[], where: ModelDomains | undefined): ModelDomains {
  return Object.fromEntries(Object.entries(where ?? {}).filter(([m]) => models.includes(m)));
}

function without(where: ModelDomains, models: readonly string[]): ModelDomains {
  return Object.fromEntries(Object.entries(where).filter(([m]) => !models.includes(m)));
}
