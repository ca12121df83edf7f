import { PyError } from "../py.js";
import { pyDumps } from "../py-json.js";

export interface RpcErrorInfo {
  /** The exception's qualified class name, e.g. `odoo.exceptions.AccessDenied`. */
  name: string;
  message: string;
}

/** Odoo's JSON-RPC answers: `json.dumps(..., ensure_ascii=False)`, always HTTP 200. */
function rpcResponse(body: unknown): Response {
  return new Response(pyDumps(body, { ensureAscii: false }), {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

export function rpcResultResponse(id: unknown, result: unknown): Response {
  return rpcResponse({ jsonrpc: "2.0", id, result });
}

/** Odoo's `serialize_exception` inside the generic "Odoo Server Error" envelope. */
export function rpcErrorResponse(id: unknown, error: RpcErrorInfo): Response {
  const shortName = error.name.replace(/^builtins\./, "");
  return rpcResponse({
    jsonrpc: "2.0",
    id,
    error: {
      code: 200,
      message: "Odoo Server Error",
      data: {
        name: error.name,
        debug: `Traceback (most recent call last):\n  File "odoo/http.py", in dispatch\n${shortName}: ${error.message}\n`,
        message: error.message,
        arguments: [error.message],
        context: {},
      },
    },
  });
}

export function errorInfo(error: unknown): RpcErrorInfo {
  if (error instanceof PyError) return { name: error.pyName, message: error.message };
  return { name: "builtins.Exception", message: (error as Error).message };
}
