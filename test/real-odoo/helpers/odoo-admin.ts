/** What the tests read and set in Odoo as its admin, over JSON-RPC: the module's own records. */
import { waitFor } from "../../helpers/wait.js";
import type { OdooCall } from "./odoo-calls.js";
import type { RealOdooFacts } from "./real-odoo.js";

/** An `update.webhook` row: the ledger every change is written to. */
export interface LedgerRow {
  id: number;
  model: string;
  record_id: number;
  event: "create" | "write" | "unlink";
  payload: Record<string, unknown>;
}

/** A `webhook.event`: one push to the subscriber, and what the hub answered (cron path). */
export interface WebhookEvent {
  id: number;
  model: string;
  record_id: number;
  event: string;
  status: string;
  response_code: number;
  response_body: string | false;
  error_message: string | false;
}

const EVENT_FIELDS = ["model", "record_id", "event", "status", "response_code", "response_body"];

export class OdooAdmin {
  constructor(
    readonly call: OdooCall,
    private readonly facts: RealOdooFacts,
  ) {}

  async ledger(afterId: number, models: readonly string[]): Promise<LedgerRow[]> {
    const domain = [
      ["id", ">", afterId],
      ["model", "in", models],
    ];
    const fields = ["id", "model", "record_id", "event", "payload"];
    return (await this.call("update.webhook", "search_read", [domain], {
      fields,
      order: "id asc",
    })) as LedgerRow[];
  }

  async newestLedgerId(): Promise<number> {
    return this.newestId("update.webhook");
  }

  async webhookEvents(afterId: number): Promise<WebhookEvent[]> {
    return (await this.call("webhook.event", "search_read", [[["id", ">", afterId]]], {
      fields: [...EVENT_FIELDS, "error_message"],
      order: "id asc",
    })) as WebhookEvent[];
  }

  async newestWebhookEventId(): Promise<number> {
    return this.newestId("webhook.event");
  }

  /**
   * Runs the module's one-minute cron sender now (it sends inside the call). Odoo refuses while
   * its scheduler runs the same cron; that is retried.
   */
  async runCron(): Promise<void> {
    let done = false;
    await waitFor(
      async () => {
        try {
          await this.call("ir.cron", "method_direct_trigger", [[this.facts.cronPendingId]]);
          done = true;
        } catch (error) {
          if (!/currently being executed/.test(String(error))) throw error;
        }
        return done;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: "the cron sender" },
    );
  }

  /** The hub subscriber's bearer token; `false` is an empty token (what Odoo sends then varies). */
  async setPushToken(token: string | false): Promise<void> {
    await this.call("webhook.subscriber", "write", [
      [this.facts.subscriberId],
      { auth_token: token },
    ]);
  }

  /** The device's `user.sync.state.last_event_id`, undefined before the hub created it. */
  async syncedLedgerId(uid: number, deviceId: string): Promise<number | undefined> {
    const domain = [
      ["user_id", "=", uid],
      ["device_id", "=", deviceId],
    ];
    const [state] = (await this.call("user.sync.state", "search_read", [domain], {
      fields: ["last_event_id"],
    })) as { last_event_id: number }[];
    return state?.last_event_id;
  }

  private async newestId(model: string): Promise<number> {
    const [row] = (await this.call(model, "search_read", [[]], {
      fields: ["id"],
      order: "id desc",
      limit: 1,
    })) as { id: number }[];
    return row?.id ?? 0;
  }
}
