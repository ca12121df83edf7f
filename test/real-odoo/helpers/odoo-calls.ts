/**
 * The two ways a change enters Odoo, which the module treats differently (its README's table):
 * external JSON-RPC (`/jsonrpc`, `execute_kw`) and the web client (`/web/dataset/call_kw`).
 */
import type { RealOdooFacts } from "./real-odoo.js";

/** `model.method(*args, **kwargs)` as the admin user. */
export type OdooCall = (
  model: string,
  method: string,
  args: unknown[],
  kwargs?: Record<string, unknown>,
) => Promise<unknown>;

export type ChangePath = "jsonrpc" | "web";

async function rpcResult(response: Response, what: string): Promise<unknown> {
  const answer = (await response.json()) as {
    result?: unknown;
    error?: { data?: { message?: string }; message?: string };
  };
  if (answer.error !== undefined)
    throw new Error(`${what}: ${answer.error.data?.message ?? answer.error.message}`);
  return answer.result;
}

function post(url: string, params: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params }),
  });
}

/** External JSON-RPC with the admin's password (uid 2, as `common.login` gives it). */
export function jsonRpc(facts: RealOdooFacts): OdooCall {
  let uid: Promise<unknown> | undefined;
  return async (model, method, args, kwargs = {}) => {
    uid ??= post(`${facts.url}/jsonrpc`, {
      service: "common",
      method: "login",
      args: [facts.db, facts.login, facts.password],
    }).then((r) => rpcResult(r, "common.login"));
    const params = {
      service: "object",
      method: "execute_kw",
      args: [facts.db, await uid, facts.password, model, method, args, kwargs],
    };
    return rpcResult(await post(`${facts.url}/jsonrpc`, params), `${model}.${method}`);
  };
}

/** The web client's session: `/web/session/authenticate`, then `call_kw` with its cookie. */
export async function webClient(facts: RealOdooFacts): Promise<OdooCall> {
  const login = await post(`${facts.url}/web/session/authenticate`, {
    db: facts.db,
    login: facts.login,
    password: facts.password,
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  await rpcResult(login, "web login");
  return async (model, method, args, kwargs = {}) => {
    const url = `${facts.url}/web/dataset/call_kw/${model}/${method}`;
    const response = await post(url, { model, method, args, kwargs }, { Cookie: cookie });
    return rpcResult(response, `${model}.${method} (web)`);
  };
}
