import { networkReason } from "../odoo/odoo-http.js";
import type { Finding } from "./doctor-findings.js";

/** The hub's liveness endpoint beside the push endpoint, seen from where the doctor runs. */
export async function hubAnswers(pushUrl: string): Promise<Finding> {
  const check = "hub";
  const url = new URL(pushUrl.replace(/\/webhooks\/odoo(\/[^/]*)?$/, "/healthz"));
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return response.ok
      ? { check, status: "ok", message: `the hub answers at ${url.origin}` }
      : {
          check,
          status: "fail",
          message: `${url.href} answers ${response.status}: is it the hub?`,
        };
  } catch (error) {
    const reason = networkReason(error as Error);
    return { check, status: "fail", message: `cannot reach the hub at ${url.origin}: ${reason}` };
  }
}
