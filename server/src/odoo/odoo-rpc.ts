import { z } from "zod";
import { odooRequest, type OdooEndpoint } from "./odoo-http.js";

const RpcAnswer = z.object({ result: z.unknown() });

/** A user's credentials for `execute_kw`: a password or, better, one of the user's API keys. */
export interface RpcUser {
  db: string;
  uid: number;
  key: string;
}

/**
 * Odoo's external JSON-RPC (`POST /jsonrpc`): `common`, `db` and `object` services. A JSON-RPC
 * error (access denied, unknown database, a model's exception) becomes an OdooError naming it.
 */
export class OdooRpc {
  private calls = 0;

  constructor(private readonly endpoint: OdooEndpoint) {}

  async call(service: string, method: string, args: unknown[]): Promise<unknown> {
    const body = {
      jsonrpc: "2.0",
      method: "call",
      id: ++this.calls,
      params: { service, method, args },
    };
    const answer = await odooRequest(
      this.endpoint,
      "/jsonrpc",
      { method: "POST", body },
      RpcAnswer,
    );
    return answer.result;
  }

  /** `model.method(*args, **kwargs)` as `user`. */
  executeKw(
    user: RpcUser,
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
  ): Promise<unknown> {
    const { db, uid, key } = user;
    return this.call("object", "execute_kw", [db, uid, key, model, method, args, kwargs]);
  }
}
