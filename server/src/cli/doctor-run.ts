import type { OdooEndpoint } from "../odoo/odoo-http.js";
import { OdooRpc } from "../odoo/odoo-rpc.js";
import type { Finding, Report } from "./doctor-findings.js";
import { hubAnswers } from "./doctor-hub.js";
import { logIn } from "./doctor-login.js";
import { modelsRouted } from "./doctor-models.js";
import { databaseExists, moduleInstalled, odooAnswers } from "./doctor-odoo.js";
import { pullAnswers, syncStateWritable } from "./doctor-pull.js";
import { findSubscriber, odooReachesHub } from "./doctor-subscriber.js";
import type { DoctorTarget } from "./doctor-targets.js";

/** Runs one step: an unexpected error is a failure of that step, named as such. */
async function step(check: string, run: () => Promise<Finding | Finding[]>): Promise<Finding[]> {
  try {
    const found = await run();
    return Array.isArray(found) ? found : [found];
  } catch (error) {
    return [{ check, status: "fail", message: `${check}: ${(error as Error).message}` }];
  }
}

/**
 * Checks one deployment in the order a request travels, reporting each finding as it comes.
 * It stops at a failure the later steps depend on (Odoo, its database, the module, the login,
 * the subscriber).
 */
export async function diagnose(target: DoctorTarget, report: Report): Promise<Finding[]> {
  const findings: Finding[] = [];
  const note = (found: Finding[]) => {
    for (const finding of found) {
      findings.push(finding);
      report(finding);
    }
    return found.every((f) => f.status !== "fail");
  };
  const endpoint: OdooEndpoint = target.odoo;
  const rpc = new OdooRpc(endpoint);
  if (!note(await step("reachable", () => odooAnswers(endpoint)))) return findings;
  if (!note(await step("database", () => databaseExists(endpoint)))) return findings;
  if (!note(await step("module", () => moduleInstalled(endpoint)))) return findings;
  const { apiKey } = target.odoo;
  const pulled = note(await step("api-key", () => pullAnswers(endpoint, apiKey)));
  const login = await logIn(rpc, target);
  if (pulled && apiKey !== undefined) {
    const uid = target.syncUid ?? login.user?.uid ?? 2;
    note(await step("sync-state", () => syncStateWritable(endpoint, apiKey, uid)));
  }
  if (target.pushUrl !== undefined) note(await step("hub", () => hubAnswers(target.pushUrl!)));
  const user = login.user;
  if (!note([login.finding]) || user === undefined) return findings;
  const { finding, subscriber } = await findSubscriber(rpc, user, target);
  note([finding]);
  if (subscriber === undefined) return findings;
  if (target.models.length === 0)
    note([
      {
        check: "models",
        status: "skip",
        message: "no --models given: the rules of the models devices subscribe to were not checked",
      },
    ]);
  else note(await step("models", () => modelsRouted(rpc, user, subscriber, target.models)));
  if (subscriber.enabled && subscriber.active)
    note(await step("odoo-to-hub", () => odooReachesHub(rpc, user, subscriber)));
  return findings;
}
