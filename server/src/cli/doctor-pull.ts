/** The checks through the module's REST API with its key: pull, then user.sync.state. */
import { OdooClient } from "../odoo/odoo-client.js";
import { OdooError } from "../odoo/odoo-error.js";
import type { OdooEndpoint } from "../odoo/odoo-http.js";
import type { Finding } from "./doctor-findings.js";

/** The device whose `user.sync.state` the doctor writes (it never moves its position). */
export const DOCTOR_DEVICE = "odoo-live-doctor";

/** The API key (one pull request), then what the pull answered. */
export async function pullAnswers(endpoint: OdooEndpoint, apiKey: string | undefined) {
  if (apiKey === undefined) {
    const message =
      "no API key (--api-key, ODOO_API_KEY): the hub can neither pull nor keep user.sync.state; use the value of Odoo's system parameter webhook.api_key";
    return [{ check: "api-key", status: "fail", message }] satisfies Finding[];
  }
  try {
    const page = await new OdooClient(endpoint, apiKey).pull({ last_event_id: 0, limit: 1 });
    const oldest = page.events[0];
    return [
      { check: "api-key", status: "ok", message: "Odoo accepts the API key" },
      {
        check: "pull",
        status: "ok",
        message: `pull answers: ${oldest === undefined ? "no row waiting" : `the oldest row not marked processed is ${oldest.id} (${oldest.model})`}`,
      },
    ] satisfies Finding[];
  } catch (error) {
    if (error instanceof OdooError && error.kind === "auth")
      return [
        {
          check: "api-key",
          status: "fail",
          message: `Odoo refused the API key (${error.status ?? "?"}): it must equal the system parameter webhook.api_key (Settings → Technical → System Parameters)`,
        },
      ] satisfies Finding[];
    return [
      { check: "api-key", status: "ok", message: "Odoo accepts the API key" },
      { check: "pull", status: "fail", message: `pull failed: ${(error as Error).message}` },
    ] satisfies Finding[];
  }
}

/** Creates (or reads) the doctor's own state, then writes it back unchanged. */
export async function syncStateWritable(
  endpoint: OdooEndpoint,
  apiKey: string,
  uid: number,
): Promise<Finding> {
  const check = "sync-state";
  const client = new OdooClient(endpoint, apiKey);
  const device = { user_id: uid, device_id: DOCTOR_DEVICE };
  try {
    const state = await client.syncState({ ...device, app_type: "mobile_app" });
    await client.updateSyncState({
      ...device,
      last_event_id: state.last_event_id,
      events_synced: 0,
    });
    return {
      check,
      status: "ok",
      message: `user.sync.state is writable (user ${uid}, device ${DOCTOR_DEVICE})`,
    };
  } catch (error) {
    return {
      check,
      status: "fail",
      message: `cannot write user.sync.state for user ${uid} (must be an existing res.users id: --sync-uid): ${(error as Error).message}`,
    };
  }
}
