import type { Handler } from "hono";
import type { Accounts } from "../accounts.js";
import { isDict, PyError, pyGet, pyRepr } from "../py.js";
import { pyLoads } from "../py-json.js";
import type { RpcUser } from "../types.js";
import { werkzeugPage } from "../werkzeug.js";
import type { RpcModel } from "./models.js";
import { errorInfo, rpcErrorResponse, rpcResultResponse } from "./reply.js";
import { searchCount, searchRead } from "./search.js";

/** One model's methods callable through `execute_kw`. */
export type ModelMethods = (
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
) => unknown;

export interface RpcDeps {
  /** When unset, any database name is accepted. */
  db: string | undefined;
  rpc: RpcUser;
  /** Users who log in besides `rpc`; `execute_kw` still runs as `rpc` only. */
  accounts: Accounts;
  models: ReadonlyMap<string, ModelMethods>;
}

const JSON_TYPES = new Set(["application/json", "application/json-rpc"]);

const VERSION = {
  server_version: "17.0",
  server_version_info: [17, 0, 0, "final", 0, ""],
  server_serie: "17.0",
  protocol_version: 1,
};

export function methodsOf<R>(model: RpcModel<R>): ModelMethods {
  return (method, args, kwargs) => {
    if (method === "search_read") return searchRead(model, args, kwargs);
    if (method === "search_count") return searchCount(model, args, kwargs);
    throw new PyError(
      "builtins.AttributeError",
      `The method '${method}' does not exist on the model '${model.name}'`,
    );
  };
}

/**
 * `POST /jsonrpc`: services `common` (version, login, authenticate) and `object` (execute_kw,
 * execute). Errors are 200s carrying Odoo's serialized exception.
 */
export function jsonRpc(deps: RpcDeps): Handler {
  return async (c) => {
    const mimeType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
    // A type='json' route refuses requests that do not declare JSON.
    if (!JSON_TYPES.has(mimeType ?? "")) return werkzeugPage(400);
    const loaded = pyLoads(await c.req.text());
    if (!loaded.ok)
      return rpcErrorResponse(null, {
        name: "werkzeug.exceptions.BadRequest",
        message: "400 Bad Request: Invalid JSON data",
      });
    const id = isDict(loaded.value) ? (loaded.value["id"] ?? null) : null;
    try {
      const params = pyGet(loaded.value, "params", {});
      const args = pyGet(params, "args", []);
      const result = dispatch(
        deps,
        pyGet(params, "service"),
        pyGet(params, "method"),
        Array.isArray(args) ? args : [],
      );
      return rpcResultResponse(id, result);
    } catch (error) {
      return rpcErrorResponse(id, errorInfo(error));
    }
  };
}

function dispatch(deps: RpcDeps, service: unknown, method: unknown, args: unknown[]): unknown {
  if (service === "common") return common(deps, method, args);
  if (service === "object" && (method === "execute_kw" || method === "execute"))
    return execute(deps, method, args);
  throw new PyError(
    "builtins.KeyError",
    pyRepr(service === "object" || service === "common" ? method : service),
  );
}

function common(deps: RpcDeps, method: unknown, [db, login, password]: unknown[]): unknown {
  if (method === "version") return VERSION;
  if (method !== "login" && method !== "authenticate")
    throw new PyError("builtins.KeyError", pyRepr(`exp_${String(method)}`));
  checkDb(deps, db);
  // A user API key works as the password for RPC.
  if (login === deps.rpc.login && password === deps.rpc.key) return deps.rpc.uid;
  return deps.accounts.authenticate(login, password) ?? false;
}

function execute(deps: RpcDeps, method: "execute_kw" | "execute", args: unknown[]): unknown {
  const [db, uid, password, model, modelMethod, ...rest] = args;
  checkDb(deps, db);
  if (uid !== deps.rpc.uid || password !== deps.rpc.key)
    throw new PyError("odoo.exceptions.AccessDenied", "Access Denied");
  const methods = typeof model === "string" ? deps.models.get(model) : undefined;
  if (methods === undefined)
    throw new PyError("odoo.exceptions.UserError", `Object ${String(model)} doesn't exist`);
  const [callArgs, kwargs] = method === "execute_kw" ? [rest[0], rest[1]] : [rest, {}];
  return methods(
    String(modelMethod),
    Array.isArray(callArgs) ? callArgs : [],
    isDict(kwargs) ? kwargs : {},
  );
}

function checkDb(deps: RpcDeps, db: unknown): void {
  if (deps.db === undefined || db === deps.db) return;
  throw new PyError(
    "psycopg2.OperationalError",
    `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist\n`,
  );
}
