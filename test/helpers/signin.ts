/** Sign-in with Odoo against the simulator: its accounts, read rules, and the hub's /auth calls. */
import type { OdooSim, SimAccount } from "@odoo-live/odoo-sim";
import type { TokenClaims } from "@odoo-live/protocol";
import type { Hub } from "@odoo-live/server";
import jsonwebtoken from "jsonwebtoken";
import { pullFrom, startSim } from "./sim.js";

export const GROUP_USER = 1;
export const GROUP_SALES = 10;

/** May read sale orders and partners; in companies 1 and 2. */
export const SALES: SimAccount = {
  uid: 7,
  login: "sales@example.com",
  password: "sales-password-0123456789",
  apiKey: "sales-api-key-abcdef0123456789",
  companyIds: [2, 1],
  groupIds: [GROUP_USER, GROUP_SALES],
};

/** May read partners only; in company 2. */
export const CLERK: SimAccount = {
  uid: 8,
  login: "clerk@example.com",
  password: "clerk-password-0123456789",
  companyIds: [2],
  groupIds: [GROUP_USER],
};

/** May read none of the sign-in models. */
export const GUEST: SimAccount = {
  uid: 9,
  login: "guest@example.com",
  password: "guest-password-0123456789",
  companyIds: [1],
  groupIds: [],
};

export function signinSim(): Promise<OdooSim> {
  return startSim({
    db: "odoo",
    accounts: [SALES, CLERK, GUEST].map((a) => ({ ...a })),
    readAccess: {
      "sale.order": [GROUP_SALES],
      "res.partner": [GROUP_USER],
      "stock.picking": [null],
    },
  });
}

/** A hub that pulls from `sim` (REST) and signs its users in with the simulator's RPC user. */
export function signinEnv(sim: OdooSim, env: Record<string, string> = {}): Record<string, string> {
  return pullFrom(sim, {
    ODOO_DB: "odoo",
    ODOO_SIGNIN_RPC_UID: "2",
    ODOO_SIGNIN_RPC_KEY: "sim-rpc-key",
    ODOO_SIGNIN_MODELS: "sale.order,res.partner",
    ...env,
  });
}

/** The same with one account for ledger reads and sign-in (`ODOO_RPC_*`: JSON-RPC ledger). */
export const SHARED_RPC_ACCOUNT = {
  ODOO_SIGNIN_RPC_UID: "",
  ODOO_SIGNIN_RPC_KEY: "",
  ODOO_RPC_UID: "2",
  ODOO_RPC_KEY: "sim-rpc-key",
};

export interface AuthAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  headers: Headers;
}

/** `POST {hub}/auth/{path}` with a JSON body. */
export async function postAuth(
  hub: Pick<Hub, "url">,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<AuthAnswer> {
  const response = await fetch(`${hub.url}/auth/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as AuthAnswer["body"]),
    headers: response.headers,
  };
}

/** Signs `account` in on `deviceId` with its password and expects 200. */
export async function signInAs(
  hub: Pick<Hub, "url">,
  account: SimAccount,
  deviceId: string,
): Promise<{ accessToken: string; refreshToken: string; claims: TokenClaims }> {
  const answer = await postAuth(hub, "odoo", {
    login: account.login,
    password: account.password,
    deviceId,
  });
  if (answer.status !== 200)
    throw new Error(`sign-in: ${answer.status} ${JSON.stringify(answer.body)}`);
  const { accessToken, refreshToken } = answer.body as {
    accessToken: string;
    refreshToken: string;
  };
  return { accessToken, refreshToken, claims: claimsOf(accessToken) };
}

/** A token's claims, unverified (the hub's handshake is what verifies it). */
export function claimsOf(token: string): TokenClaims {
  return jsonwebtoken.decode(token) as TokenClaims;
}
