/** Odoo, its database and the module, through endpoints that need no credentials. */
import { z } from "zod";
import { OdooClient } from "../odoo/odoo-client.js";
import { OdooError } from "../odoo/odoo-error.js";
import type { OdooEndpoint } from "../odoo/odoo-http.js";
import { OdooRpc } from "../odoo/odoo-rpc.js";
import type { Finding } from "./doctor-findings.js";

const Version = z.looseObject({ server_version: z.string() });

export async function odooAnswers(endpoint: OdooEndpoint): Promise<Finding> {
  const check = "reachable";
  try {
    const version = Version.parse(await new OdooRpc(endpoint).call("common", "version", []));
    return {
      check,
      status: "ok",
      message: `Odoo ${version.server_version} answers at ${endpoint.url}`,
    };
  } catch (error) {
    const kind = error instanceof OdooError ? error.kind : "invalid_response";
    const message =
      kind === "network" || kind === "timeout"
        ? `cannot reach Odoo at ${endpoint.url}: ${(error as Error).message}`
        : `${endpoint.url} answers, but not as Odoo's JSON-RPC does: ${(error as Error).message}`;
    return { check, status: "fail", message };
  }
}

export async function databaseExists(endpoint: OdooEndpoint): Promise<Finding> {
  const check = "database";
  if (endpoint.db === undefined)
    return {
      check,
      status: "skip",
      message: "no database named (--db, ODOO_DB): Odoo picks its default one",
    };
  const exists = await new OdooRpc(endpoint).call("db", "db_exist", [endpoint.db]);
  return exists === true
    ? { check, status: "ok", message: `database "${endpoint.db}" exists` }
    : {
        check,
        status: "fail",
        message: `Odoo has no database "${endpoint.db}" (or cannot open it): check --db / ODOO_DB`,
      };
}

export async function moduleInstalled(endpoint: OdooEndpoint): Promise<Finding> {
  const check = "module";
  try {
    const health = await new OdooClient(endpoint, "").health();
    const message = `auto_webhook is installed: /api/webhooks/health says "${health.status}" (version ${health.version}), ${health.pending_events} rows not marked processed`;
    return { check, status: "ok", message };
  } catch (error) {
    const notFound = error instanceof OdooError && error.status === 404;
    const message = notFound
      ? `the auto_webhook module is not installed in this database: /api/webhooks/health answers 404; install "Auto Webhook - Enterprise Grade" (auto_webhook) from Odoo's Apps`
      : `the module's health endpoint failed: ${(error as Error).message}`;
    return { check, status: "fail", message };
  }
}
