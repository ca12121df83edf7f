import type { OdooRpc, RpcUser } from "../odoo/odoo-rpc.js";
import { credentialProblem, type SubscriberAuth } from "./doctor-credentials.js";
import type { Finding } from "./doctor-findings.js";
import type { DoctorTarget } from "./doctor-targets.js";

export interface Subscriber extends SubscriberAuth {
  id: number;
  name: string;
  endpoint_url: string;
  enabled: boolean;
  active: boolean;
}

const FIELDS = ["name", "endpoint_url", "auth_type", "auth_token", "api_key", "api_key_header"];

const normal = (url: string) => url.trim().replace(/\/+$/, "");

/**
 * The `webhook.subscriber` that points at this hub (its endpoint, or without `--hub-url` one
 * ending in the tenant's push path), enabled, with credentials the hub accepts.
 */
export async function findSubscriber(
  rpc: OdooRpc,
  user: RpcUser,
  target: DoctorTarget,
): Promise<{ finding: Finding; subscriber?: Subscriber }> {
  const check = "subscriber";
  let all: Subscriber[];
  try {
    all = (await rpc.executeKw(user, "webhook.subscriber", "search_read", [[]], {
      fields: [...FIELDS, "enabled", "active"],
      context: { active_test: false },
    })) as Subscriber[];
  } catch (error) {
    const message = `cannot read Odoo's webhook.subscriber records: ${(error as Error).message}`;
    return { finding: { check, status: "fail", message } };
  }
  const path = target.tenant === "default" ? "/webhooks/odoo" : `/webhooks/odoo/${target.tenant}`;
  const expected = target.pushUrl;
  const points = (s: Subscriber) =>
    expected === undefined
      ? new URL(normal(s.endpoint_url), "http://x").pathname === path
      : normal(s.endpoint_url) === normal(expected);
  const candidates = all.filter(points);
  const subscriber = candidates.find((s) => s.enabled && s.active) ?? candidates[0];
  const where = expected ?? `…${path}`;
  if (subscriber === undefined) {
    const others = all.map(
      (s) => `"${s.name}" → ${s.endpoint_url}${s.enabled && s.active ? "" : " (disabled)"}`,
    );
    const message = `no webhook.subscriber points at ${where}: Odoo pushes nothing to this hub (its subscribers: ${others.join(", ") || "none"}); create one (Webhooks → Subscribers)`;
    return { finding: { check, status: "fail", message } };
  }
  const named = `subscriber "${subscriber.name}" (id ${subscriber.id}, ${subscriber.endpoint_url}${expected === undefined ? ", matched by its path: give --hub-url to compare the address" : ""})`;
  if (!subscriber.enabled || !subscriber.active)
    return {
      finding: {
        check,
        status: "fail",
        message: `${named} points at this hub but is disabled or archived: enable it`,
      },
      subscriber,
    };
  if (target.push === undefined)
    return {
      finding: {
        check,
        status: "warn",
        message: `${named} points at this hub; its credentials were not compared (give --push-token)`,
      },
      subscriber,
    };
  const problem = credentialProblem(subscriber, target.push);
  const finding: Finding =
    problem === undefined
      ? {
          check,
          status: "ok",
          message: `${named} points at this hub with credentials it accepts (${subscriber.auth_type})`,
        }
      : { check, status: "fail", message: `${named} points at this hub, but ${problem}` };
  return { finding, subscriber };
}

/** The subscriber's *Test connection* button, pressed over JSON-RPC: Odoo POSTs to the hub. */
export async function odooReachesHub(
  rpc: OdooRpc,
  user: RpcUser,
  subscriber: Subscriber,
): Promise<Finding> {
  const check = "odoo-to-hub";
  const result = (await rpc.executeKw(user, "webhook.subscriber", "test_connection", [
    [subscriber.id],
  ])) as {
    status?: string;
    message?: string;
  };
  return result.status === "success"
    ? {
        check,
        status: "ok",
        message: `Odoo reaches the hub: ${result.message ?? "Test connection succeeded"}`,
      }
    : {
        check,
        status: "fail",
        message: `Odoo cannot deliver to ${subscriber.endpoint_url}: ${result.message ?? JSON.stringify(result)}`,
      };
}
