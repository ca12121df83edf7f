import type { PushSettings } from "../config/tenants.js";
import { checkPushAuth } from "../ingest/push-auth.js";

/** The fields of a `webhook.subscriber` that decide what its pushes carry. */
export interface SubscriberAuth {
  auth_type: string;
  auth_token: string | false;
  api_key: string | false;
  api_key_header: string | false;
}

type Headers = Record<string, string>;

/**
 * The credential headers the module puts on its two push paths (reference §4.1-4.2): the
 * instant sender always sets one, printing an empty token as `False`; the cron sender only
 * when the credential is set.
 */
function pushHeaders(sub: SubscriberAuth): { instant: Headers; cron: Headers } {
  const header = (sub.api_key_header || "X-API-Key").toLowerCase();
  const credential = sub.auth_type === "api_key" ? sub.api_key : sub.auth_token;
  const value = (text: string) =>
    sub.auth_type === "api_key"
      ? { [header]: text }
      : sub.auth_type === "bearer"
        ? { authorization: `Bearer ${text}` }
        : sub.auth_type === "basic"
          ? { authorization: `Basic ${text}` }
          : {};
  return {
    instant: value(credential || "False"),
    cron: credential === false || credential === "" ? {} : value(credential),
  };
}

/**
 * What the hub would answer this subscriber's pushes, judged by the hub's own check; undefined
 * when both paths get through, else why they do not, in words for the integrator.
 */
export function credentialProblem(sub: SubscriberAuth, push: PushSettings): string | undefined {
  const headers = pushHeaders(sub);
  const passes = (h: Headers) => checkPushAuth((name) => h[name.toLowerCase()], push).ok;
  if (passes(headers.instant) && passes(headers.cron)) return undefined;
  const credential = sub.auth_type === "api_key" ? sub.api_key : sub.auth_token;
  if (sub.auth_type === "none")
    return `it sends no credentials (auth type "none") and the hub requires its push token: use auth type bearer with the token`;
  if (credential === false || credential === "")
    return `it has no ${sub.auth_type === "api_key" ? "API key" : "auth token"}: Odoo sends "Bearer False" or nothing, which the hub refuses (401); set it to the hub's push token`;
  const sentIn = (sub.api_key_header || "X-API-Key").toLowerCase();
  if (sub.auth_type === "api_key" && sentIn !== push.header)
    return `it sends its API key in the header ${sentIn}, the hub reads ${push.header} (PUSH_HEADER / push.header)`;
  return `its ${sub.auth_type === "api_key" ? "API key" : `${sub.auth_type} token`} is not the hub's push token (PUSH_TOKEN / push.token): every push gets 401`;
}
