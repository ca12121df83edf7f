import { issuesText, OdooPullRow } from "@odoo-live/protocol";
import { z } from "zod";
import type { Ledger, LedgerPage } from "./ledger.js";
import { OdooError } from "./odoo-error.js";
import type { OdooEndpoint } from "./odoo-http.js";
import { OdooRpc, type RpcUser } from "./odoo-rpc.js";

const FIELDS = [
  "id",
  "model",
  "record_id",
  "event",
  "timestamp",
  "payload",
  "priority",
  "category",
  "user_id",
];

/** A row as `search_read` serialises it: many2one as `[id, name]` or false, Json false if empty. */
const RpcRow = z.looseObject({
  id: z.number(),
  user_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]),
  payload: z.union([z.record(z.string(), z.unknown()), z.literal(false), z.null()]),
});

const RpcRows = z.array(RpcRow);

export type RpcCredentials = RpcUser;

/**
 * The ledger through JSON-RPC (`execute_kw` → `update.webhook.search_read`) with a user's API
 * key: it also sees rows that another consumer marked processed (the flag is global).
 */
export class RpcLedger implements Ledger {
  private readonly rpc: OdooRpc;

  constructor(
    endpoint: OdooEndpoint,
    private readonly credentials: RpcCredentials,
  ) {
    this.rpc = new OdooRpc(endpoint);
  }

  async readAfter(afterId: number, limit: number): Promise<LedgerPage> {
    const rows = await this.searchRead([["id", ">", afterId]], { order: "id asc", limit });
    return { rows, hasMore: rows.length === limit };
  }

  async newestId(atLeast = 0): Promise<number> {
    const [row] = await this.searchRead([["id", ">", atLeast]], { order: "id desc", limit: 1 });
    return row?.id ?? atLeast;
  }

  private async searchRead(domain: unknown[], options: { order: string; limit: number }) {
    const kwargs = { fields: FIELDS, ...options };
    const rpc = this.rpc.executeKw(
      this.credentials,
      "update.webhook",
      "search_read",
      [domain],
      kwargs,
    );
    const rows = RpcRows.safeParse(await rpc);
    if (rows.success) return rows.data.map(toPullRow);
    const issues = issuesText(rows.error);
    throw new OdooError("invalid_response", `/jsonrpc: unexpected answer: ${issues}`);
  }
}

function toPullRow(row: z.infer<typeof RpcRow>): OdooPullRow {
  const [userId, userName] = row.user_id === false ? [null, null] : row.user_id;
  const payload = row.payload === false ? null : row.payload;
  const parsed = OdooPullRow.safeParse({ ...row, payload, user_id: userId, user_name: userName });
  if (parsed.success) return parsed.data;
  const issues = issuesText(parsed.error);
  throw new OdooError("invalid_response", `/jsonrpc: update.webhook ${row.id}: ${issues}`);
}
