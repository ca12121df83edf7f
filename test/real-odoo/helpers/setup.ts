/**
 * One real Odoo per test file, its subscriber pointed at a port the file's hubs listen on (each
 * test starts its own hub there), and the helpers every real-Odoo test uses.
 */
import type { NormalizedEvent } from "@odoo-live/protocol";
import type { Hub, HubOptions } from "@odoo-live/server";
import { beforeAll } from "vitest";
import { startTestHub } from "../../helpers/hub.js";
import { freePort } from "../../helpers/ports.js";
import { waitFor } from "../../helpers/wait.js";
import { OdooAdmin, type LedgerRow } from "./odoo-admin.js";
import { jsonRpc, webClient, type ChangePath } from "./odoo-calls.js";
import { startRealOdoo, type RealOdooFacts } from "./real-odoo.js";
import { Debounce, Records } from "./records.js";

/** The models the module is configured to send to the hub (start.sh), which devices subscribe. */
export const MODELS = ["sale.order", "res.partner"];

export interface OdooUnderTest {
  facts: RealOdooFacts;
  admin: OdooAdmin;
  /** The port every hub of the file listens on: the subscriber's endpoint. */
  hubPort: number;
  records: Record<ChangePath, Records>;
}

/** Starts Odoo in the file's `beforeAll`; the returned object is filled in there. */
export function useRealOdoo(): OdooUnderTest {
  const odoo = {} as OdooUnderTest;
  beforeAll(async () => {
    odoo.hubPort = await freePort();
    odoo.facts = await startRealOdoo(`http://127.0.0.1:${odoo.hubPort}/webhooks/odoo`);
    odoo.admin = new OdooAdmin(jsonRpc(odoo.facts), odoo.facts);
    const debounce = new Debounce();
    odoo.records = {
      jsonrpc: new Records("jsonrpc", odoo.admin.call, debounce),
      web: new Records("web", await webClient(odoo.facts), debounce),
    };
  }, 600_000);
  return odoo;
}

/** A hub that takes the real Odoo's pushes and pulls its ledger from the newest row on. */
export async function startOdooHub(
  odoo: OdooUnderTest,
  env: Record<string, string> = {},
  options: HubOptions = {},
): Promise<Hub> {
  const hub = await startTestHub(
    {
      PORT: String(odoo.hubPort),
      PUSH_TOKEN: odoo.facts.pushToken,
      ODOO_URL: odoo.facts.url,
      ODOO_DB: odoo.facts.db,
      ODOO_API_KEY: odoo.facts.apiKey,
      ODOO_PULL_INTERVAL_MS: "100",
      ODOO_PULL_START: "latest",
      ...env,
    },
    options,
  );
  // Pulling starts after the newest row Odoo has when the puller opens: wait for that point.
  await waitFor(() => hub.pollers.get("default")?.stable !== undefined, {
    timeoutMs: 10_000,
    what: "the hub's puller to open",
  });
  return hub;
}

/** One change as both sides name it: the record's `write_date` (microseconds) tells changes apart. */
function changeKey(model: string, recordId: number, op: string, record: Record<string, unknown>) {
  return `${model} ${recordId} ${op} ${String(record["write_date"])}`;
}

export const rowKey = (row: LedgerRow) =>
  changeKey(row.model, row.record_id, row.event, row.payload);

export const eventKey = (event: NormalizedEvent) =>
  changeKey(event.model, event.recordId, event.op, event.record);

/** Waits until the hub's puller has logged every ledger row up to `ledgerId`. */
export async function pulledThrough(hub: Hub, ledgerId: number): Promise<void> {
  await waitFor(() => (hub.pollers.get("default")?.stable ?? 0) >= ledgerId, {
    timeoutMs: 20_000,
    what: `the hub's pull through ledger row ${ledgerId}`,
  });
}
