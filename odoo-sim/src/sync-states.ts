import { AppType } from "@odoo-live/protocol";
import { PyError, pyRepr, pyTruthy } from "./py.js";
import type { AppTypeValue, SyncStateRow } from "./types.js";
import type { Users } from "./users.js";

export interface DeviceDetails {
  device_info: unknown;
  app_version: unknown;
}

/** Odoo `Char(size=N)` silently truncates (by code point) on write. */
function truncate(value: string, size: number): string {
  return Array.from(value).slice(0, size).join("");
}

/** What a `Text`/`Char` field stores for a non-string value: `str(value)`. */
function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/**
 * The `user.sync.state` table with the module's `get_or_create_state` and `update_sync_state`.
 * Failures carry the exception the ORM or Postgres would raise, in the order they would raise it.
 */
export class SyncStates {
  private lastId = 0;
  private readonly states: SyncStateRow[] = [];
  private readonly histories = new Map<SyncStateRow, number[]>();

  constructor(
    private readonly users: Users,
    private readonly now: () => Date,
  ) {}

  all(): readonly SyncStateRow[] {
    return this.states;
  }

  find(userId: number, deviceId: string): SyncStateRow | undefined {
    return this.states.find((s) => s.user_id === userId && s.device_id === deviceId);
  }

  history(userId: number, deviceId: string): number[] {
    const state = this.find(userId, deviceId);
    return state === undefined ? [] : [...(this.histories.get(state) ?? [])];
  }

  /** Looks the device up; an existing state gets `app_type` rewritten when it differs. */
  getOrCreate(userId: number, deviceId: string, appType: unknown): SyncStateRow {
    const found = this.find(userId, deviceId);
    if (found === undefined) return this.create(userId, deviceId, appType);
    if (appType !== found.app_type) {
      found.app_type = appTypeValue(appType);
      found.write_date = this.now();
    }
    return found;
  }

  /**
   * Writes `device_info` / `app_version` when given (truthy) and returns the given ones, which the
   * controller echoes as they came.
   */
  writeDetails(state: SyncStateRow, details: DeviceDetails): Partial<DeviceDetails> {
    const given = Object.entries(details).filter(([, value]) => pyTruthy(value));
    for (const [key, value] of given) {
      if (key === "device_info") state.device_info = pyStr(value);
      else state.app_version = truncate(pyStr(value), 50);
      state.write_date = this.now();
    }
    return Object.fromEntries(given);
  }

  /** No monotonic check: the cursor may move backwards (reference §6.1). */
  update(
    userId: number,
    deviceId: string,
    lastEventId: number,
    eventsSynced: number,
  ): SyncStateRow | undefined {
    const state = this.find(userId, deviceId);
    if (state === undefined) return undefined;
    const now = this.now();
    Object.assign(state, {
      last_event_id: lastEventId,
      last_sync_time: now,
      sync_count: state.sync_count + 1,
      last_event_count: eventsSynced,
      total_events_synced: state.total_events_synced + eventsSynced,
      write_date: now,
    });
    this.histories.get(state)?.push(lastEventId);
    return state;
  }

  private create(userId: number, deviceId: string, rawAppType: unknown): SyncStateRow {
    // Field conversion first, then the INSERT's own checks, then the Python constraint.
    const appType = appTypeValue(rawAppType);
    const stored = truncate(deviceId, 255);
    if (this.find(userId, stored) !== undefined)
      throw new PyError(
        "psycopg2.errors.UniqueViolation",
        'duplicate key value violates unique constraint "user_sync_state_unique_user_device"\n' +
          `DETAIL:  Key (user_id, device_id)=(${userId}, ${stored}) already exists.\n`,
      );
    if (!this.users.has(userId))
      throw new PyError(
        "psycopg2.errors.ForeignKeyViolation",
        'insert or update on table "user_sync_state" violates foreign key constraint "user_sync_state_user_id_fkey"\n' +
          `DETAIL:  Key (user_id)=(${userId}) is not present in table "res_users".\n`,
      );
    if (Array.from(stored).length < 3)
      throw new PyError(
        "odoo.exceptions.ValidationError",
        "Device ID must be at least 3 characters long",
      );
    const now = this.now();
    this.lastId += 1;
    const state: SyncStateRow = {
      id: this.lastId,
      user_id: userId,
      device_id: stored,
      app_type: appType,
      last_event_id: 0,
      last_sync_time: null,
      sync_count: 0,
      is_active: true,
      device_info: null,
      app_version: null,
      last_event_count: 0,
      total_events_synced: 0,
      create_date: now,
      write_date: now,
    };
    this.states.push(state);
    this.histories.set(state, [0]);
    return state;
  }
}

/** The Selection field's conversion: unknown values raise ValueError, empty ones hit NOT NULL. */
function appTypeValue(value: unknown): AppTypeValue {
  const parsed = AppType.safeParse(value);
  if (parsed.success) return parsed.data;
  if (value === null || value === false || value === "" || value === 0)
    throw new PyError(
      "psycopg2.errors.NotNullViolation",
      'null value in column "app_type" of relation "user_sync_state" violates not-null constraint\n',
    );
  throw new PyError(
    "builtins.ValueError",
    `Wrong value for user.sync.state.app_type: ${pyRepr(value)}`,
  );
}
