import type { OdooSyncState, OdooSyncStateResponse } from "@odoo-live/protocol";
import { naiveIso, naiveIsoMicros } from "../odoo-time.js";
import { pyGet, pyInt, pyStrip, pyTruthy } from "../py.js";
import type { SyncStateRow } from "../types.js";
import type { RestDeps } from "./deps.js";
import type { DataHandler } from "./endpoint.js";
import { odooError, odooJson } from "./respond.js";

const REQUIRED = "user_id and device_id are required";

/** `GET|POST /api/webhooks/sync-state`: get or create the device's cursor (reference §6.2). */
export function syncState(deps: RestDeps): DataHandler {
  return (data) => {
    const [rawUser, rawDevice] = [pyGet(data, "user_id"), pyGet(data, "device_id")];
    const appType = pyGet(data, "app_type", "mobile_app");
    if (!pyTruthy(rawUser) || !pyTruthy(rawDevice)) return odooError(REQUIRED, 400, deps.now());
    const state = deps.syncStates.getOrCreate(pyInt(rawUser), pyStrip(rawDevice), appType);
    const echoed = deps.syncStates.writeDetails(state, {
      device_info: pyGet(data, "device_info"),
      app_version: pyGet(data, "app_version"),
    });
    return reply({ ...stateDict(state), ...echoed }, deps.now());
  };
}

/** `POST /api/webhooks/sync-state/update`: any non-negative cursor, backwards included. */
export function syncStateUpdate(deps: RestDeps): DataHandler {
  return (data) => {
    const [rawUser, rawDevice] = [pyGet(data, "user_id"), pyGet(data, "device_id")];
    if (!pyTruthy(rawUser) || !pyTruthy(rawDevice)) return odooError(REQUIRED, 400, deps.now());
    const userId = pyInt(rawUser);
    const lastEventId = pyInt(pyGet(data, "last_event_id", 0));
    const eventsSynced = pyInt(pyGet(data, "events_synced", 0));
    if (lastEventId < 0) return odooError("last_event_id must be non-negative", 400, deps.now());
    const state = deps.syncStates.update(userId, pyStrip(rawDevice), lastEventId, eventsSynced);
    if (state === undefined) return odooError("Sync state not found", 404, deps.now());
    const { is_active, ...rest } = stateDict(state);
    const body = { ...rest, total_events_synced: state.total_events_synced, is_active };
    return reply(body, deps.now());
  };
}

/** The dict `get_or_create_state` returns (no `total_events_synced`, unlike the docs). */
function stateDict(state: SyncStateRow): OdooSyncState {
  return {
    id: state.id,
    user_id: state.user_id,
    device_id: state.device_id,
    app_type: state.app_type,
    last_event_id: state.last_event_id,
    last_sync_time: state.last_sync_time === null ? null : naiveIso(state.last_sync_time),
    sync_count: state.sync_count,
    is_active: state.is_active,
  };
}

function reply(syncState: OdooSyncState, now: Date): Response {
  const body: OdooSyncStateResponse = {
    success: true,
    sync_state: syncState,
    timestamp: naiveIsoMicros(now),
  };
  return odooJson(body);
}
