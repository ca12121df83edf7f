import { AppType } from "@odoo-live/protocol";
import { naiveIso, naiveIsoMicros, naiveSpaced } from "../odoo-time.js";
import { PyError, pyGet, pyInt, pyTruthy } from "../py.js";
import type { SyncStateRow } from "../types.js";
import type { RestDeps } from "./deps.js";
import type { DataHandler } from "./endpoint.js";
import { odooError, odooJson } from "./respond.js";

/** `GET /api/webhooks/sync-state/stats?user_id=[&device_id=&app_type=]` (reference §6.2). */
export function syncStats(deps: RestDeps): DataHandler {
  return (data) => {
    const rawUser = pyGet(data, "user_id");
    if (!pyTruthy(rawUser)) return odooError("user_id is required", 400, deps.now());
    const userId = pyInt(rawUser);
    const [deviceId, appType] = [pyGet(data, "device_id"), pyGet(data, "app_type")];
    const states = deps.syncStates
      .all()
      .filter((s) => s.user_id === userId)
      .filter((s) => !pyTruthy(deviceId) || s.device_id === deviceId)
      .filter((s) => !pyTruthy(appType) || s.app_type === appType)
      .sort(modelOrder);
    const stats = {
      user_id: userId,
      total_devices: states.length,
      active_devices: states.filter((s) => s.is_active).length,
      total_syncs: sum(states.map((s) => s.sync_count)),
      total_events_synced: sum(states.map((s) => s.total_events_synced)),
      last_sync_time: latestSync(states),
      devices: states.map(device),
      by_app_type: Object.fromEntries(
        AppType.options.map((type) => [type, states.filter((s) => s.app_type === type).length]),
      ),
    };
    return odooJson({ success: true, stats, timestamp: naiveIsoMicros(deps.now()) });
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** `_order = 'last_sync_time desc, user_id, device_id'`; Postgres puts NULLs first when DESC. */
function modelOrder(a: SyncStateRow, b: SyncStateRow): number {
  const [ta, tb] = [
    a.last_sync_time?.getTime() ?? Infinity,
    b.last_sync_time?.getTime() ?? Infinity,
  ];
  if (ta !== tb) return tb > ta ? 1 : -1;
  return (
    a.user_id - b.user_id || (a.device_id < b.device_id ? -1 : a.device_id > b.device_id ? 1 : 0)
  );
}

/**
 * `max(states.mapped('last_sync_time'))`, serialized by `default=str` (with a space): None
 * without states, False when no device ever synced, and a TypeError when only some did.
 */
function latestSync(states: readonly SyncStateRow[]): string | false | null {
  if (states.length === 0) return null;
  const times = states.map((s) => s.last_sync_time);
  if (times.every((t) => t === null)) return false;
  if (times.some((t) => t === null))
    throw new PyError(
      "builtins.TypeError",
      "'>' not supported between instances of 'datetime.datetime' and 'bool'",
    );
  const latest = Math.max(...times.map((t) => (t as Date).getTime()));
  return naiveSpaced(new Date(latest));
}

function device(state: SyncStateRow) {
  return {
    device_id: state.device_id,
    app_type: state.app_type,
    last_sync_time: state.last_sync_time === null ? null : naiveIso(state.last_sync_time),
    sync_count: state.sync_count,
    total_events_synced: state.total_events_synced,
    is_active: state.is_active,
  };
}
