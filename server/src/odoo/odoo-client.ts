import {
  OdooHealthResponse,
  OdooMarkProcessedResponse,
  OdooPullResponse,
  OdooSyncStateResponse,
  type OdooPullRequest,
  type OdooSyncState,
  type OdooSyncStateRequest,
  type OdooSyncStateUpdateRequest,
} from "@odoo-live/protocol";
import { odooRequest, type OdooEndpoint } from "./odoo-http.js";

/** The module's REST API (`/api/webhooks/*`), authenticated with its `webhook.api_key`. */
export class OdooClient {
  constructor(
    private readonly endpoint: OdooEndpoint,
    private readonly apiKey: string,
  ) {}

  /** Rows after `last_event_id`; an answer with `error` (even `success: true`) is a failure. */
  pull(request: OdooPullRequest): Promise<OdooPullResponse> {
    return this.post("/api/webhooks/pull", request, OdooPullResponse);
  }

  async markProcessed(eventIds: number[]): Promise<void> {
    await this.post(
      "/api/webhooks/mark-processed",
      { event_ids: eventIds },
      OdooMarkProcessedResponse,
    );
  }

  /** Gets, or creates with `last_event_id` 0, the device's `user.sync.state`. */
  async syncState(request: OdooSyncStateRequest): Promise<OdooSyncState> {
    return (await this.post("/api/webhooks/sync-state", request, OdooSyncStateResponse)).sync_state;
  }

  /** Odoo answers 404 unless the state exists; it does not refuse moving backwards. */
  async updateSyncState(request: OdooSyncStateUpdateRequest): Promise<OdooSyncState> {
    return (await this.post("/api/webhooks/sync-state/update", request, OdooSyncStateResponse))
      .sync_state;
  }

  health(): Promise<OdooHealthResponse> {
    return odooRequest(
      this.endpoint,
      "/api/webhooks/health",
      { method: "GET" },
      OdooHealthResponse,
    );
  }

  private post<T>(path: string, body: unknown, schema: Parameters<typeof odooRequest<T>>[3]) {
    return odooRequest(
      this.endpoint,
      path,
      { method: "POST", headers: { "X-API-Key": this.apiKey }, body },
      schema,
    );
  }
}
