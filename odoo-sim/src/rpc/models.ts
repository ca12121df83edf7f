import type { Ledger } from "../ledger.js";
import { naiveSpaced } from "../odoo-time.js";
import { pyDumps } from "../py-json.js";
import type { SyncStates } from "../sync-states.js";
import type { AppTypeValue, LedgerRow, SyncStateRow } from "../types.js";
import type { Users } from "../users.js";
import { datetime, json, many2one, nullable, scalar, type RpcField } from "./fields.js";

/** A model as `execute_kw` sees it: its records, readable fields and `_order`. */
export interface RpcModel<R> {
  name: string;
  records(): readonly R[];
  fields: Readonly<Record<string, RpcField<R>>>;
  order: string;
}

/** Who writes through the REST API and the crons: the API key acts as `base.user_admin`. */
const ADMIN_UID = 2;
/** `__system__` (OdooBot), the creator when no user acted. */
const SUPERUSER_UID = 1;
const DAY_MS = 86_400_000;

/** `update.webhook`: every committed row, processed and archived ones included. */
export function updateWebhookModel(
  ledger: Ledger,
  users: Users,
  now: () => Date,
): RpcModel<LedgerRow> {
  const name = (id: number) => users.name(id);
  const lastWrite = (r: LedgerRow) => {
    const times = [r.timestamp, r.processed_at, r.archived_at].filter((t) => t !== null);
    return new Date(Math.max(...times.map((t) => t.getTime())));
  };
  return {
    name: "update.webhook",
    records: () => ledger.all(),
    order: "id desc",
    fields: {
      id: scalar((r) => r.id),
      model: scalar((r) => r.model),
      record_id: scalar((r) => r.record_id),
      event: scalar((r) => r.event),
      payload: json((r) => r.payload),
      timestamp: datetime((r) => r.timestamp),
      user_id: many2one((r) => r.user_id, name),
      is_processed: scalar((r) => r.is_processed),
      processed_at: datetime((r) => r.processed_at),
      is_archived: scalar((r) => r.is_archived),
      archived_at: datetime((r) => r.archived_at),
      config_id: nullable(() => null),
      priority: scalar((r) => r.priority),
      category: scalar((r) => r.category),
      display_name: scalar(
        (r) => `[${r.model}] ${r.event} #${r.record_id} @ ${naiveSpaced(r.timestamp)}`,
      ),
      payload_size: scalar((r) => Buffer.byteLength(pyDumps(r.payload))),
      age_days: scalar((r) => Math.floor((now().getTime() - r.timestamp.getTime()) / DAY_MS)),
      create_uid: many2one((r) => r.user_id ?? SUPERUSER_UID, name),
      create_date: datetime((r) => r.timestamp),
      write_uid: many2one(
        (r) => (lastWrite(r) > r.timestamp ? ADMIN_UID : (r.user_id ?? SUPERUSER_UID)),
        name,
      ),
      write_date: datetime(lastWrite),
    },
  };
}

const APP_LABELS: Readonly<Record<AppTypeValue, string>> = {
  sales_app: "Sales App",
  delivery_app: "Delivery App",
  warehouse_app: "Warehouse App",
  manager_app: "Manager App",
  mobile_app: "Mobile App",
};

/** `user.sync.state`, created and written through the REST API (as the admin). */
export function syncStateModel(states: SyncStates, users: Users): RpcModel<SyncStateRow> {
  const name = (id: number) => users.name(id);
  return {
    name: "user.sync.state",
    records: () => states.all(),
    order: "last_sync_time desc, user_id, device_id",
    fields: {
      id: scalar((s) => s.id),
      user_id: many2one((s) => s.user_id, name),
      device_id: scalar((s) => s.device_id),
      app_type: scalar((s) => s.app_type),
      last_event_id: scalar((s) => s.last_event_id),
      last_sync_time: datetime((s) => s.last_sync_time),
      sync_count: scalar((s) => s.sync_count),
      is_active: scalar((s) => s.is_active),
      device_info: nullable((s) => s.device_info),
      app_version: nullable((s) => s.app_version),
      display_name: scalar(
        (s) => `${name(s.user_id)} - ${s.device_id.slice(0, 8)}... (${APP_LABELS[s.app_type]})`,
      ),
      last_event_count: scalar((s) => s.last_event_count),
      total_events_synced: scalar((s) => s.total_events_synced),
      create_uid: many2one(() => ADMIN_UID, name),
      create_date: datetime((s) => s.create_date),
      write_uid: many2one(() => ADMIN_UID, name),
      write_date: datetime((s) => s.write_date),
    },
  };
}
