import type { OdooRpc, RpcUser } from "../odoo/odoo-rpc.js";
import type { Finding } from "./doctor-findings.js";

interface Rule {
  model_name: string;
  operation: "create" | "write" | "unlink";
  subscriber_ids: number[];
  instant_send: boolean;
  test_mode: boolean;
}

interface Config {
  model_name: string;
  events: string;
  subscribers: number[];
  instant_send: boolean;
  enabled: boolean;
  priority: string;
}

/** How one operation of a model reaches the hub (reference §3.3, the module's decision). */
type Route = "at once" | "by the cron" | "by pull only" | "not recorded";

function routeOf(
  op: Rule["operation"],
  rules: Rule[],
  configs: Config[],
  subscriber: number,
): Route {
  const rule = rules.find((r) => r.operation === op);
  if (rule !== undefined && !rule.test_mode && rule.subscriber_ids.includes(subscriber))
    return rule.instant_send ? "at once" : "by the cron";
  // With no rule (unlink never has one by default) the model's config decides.
  const config = configs.find((c) => c.enabled && c.events.split(",").includes(op));
  if (
    rule === undefined &&
    config !== undefined &&
    config.instant_send &&
    config.subscribers.includes(subscriber)
  )
    return config.priority === "high" ? "at once" : "by the cron";
  return rule !== undefined || config !== undefined ? "by pull only" : "not recorded";
}

/** Whether Odoo records and pushes each model the devices ask for. */
export async function modelsRouted(
  rpc: OdooRpc,
  user: RpcUser,
  subscriber: { id: number; name: string },
  models: string[],
): Promise<Finding[]> {
  const domain = [["model_name", "in", models]];
  const [known, rules, configs] = (await Promise.all([
    rpc.executeKw(user, "ir.model", "search_read", [[["model", "in", models]]], {
      fields: ["model"],
    }),
    rpc.executeKw(user, "webhook.rule", "search_read", [domain], {
      fields: ["model_name", "operation", "subscriber_ids", "instant_send", "test_mode"],
    }),
    rpc.executeKw(user, "webhook.config", "search_read", [domain], {
      fields: ["model_name", "events", "subscribers", "instant_send", "enabled", "priority"],
    }),
  ])) as [{ model: string }[], Rule[], Config[]];
  return models.map((model): Finding => {
    const check = `model ${model}`;
    if (!known.some((k) => k.model === model))
      return {
        check,
        status: "fail",
        message: `${model}: Odoo has no such model (is its app installed?)`,
      };
    const own = (r: { model_name: string }) => r.model_name === model;
    const route = (op: Rule["operation"]) =>
      routeOf(op, rules.filter(own), configs.filter(own), subscriber.id);
    const [create, write, unlink] = [route("create"), route("write"), route("unlink")];
    const said = `create ${create}, write ${write}, unlink ${unlink}`;
    if (create === "not recorded" && write === "not recorded")
      return {
        check,
        status: "fail",
        message: `${model}: no webhook.rule or webhook.config tracks it, so Odoo records none of its changes and devices get nothing; add rules for create and write sending to subscriber "${subscriber.name}"`,
      };
    if (
      create === "by pull only" ||
      write === "by pull only" ||
      create === "not recorded" ||
      write === "not recorded"
    )
      return {
        check,
        status: "warn",
        message: `${model}: ${said}: no rule sends it to subscriber "${subscriber.name}", so devices get those changes only as fast as the hub pulls`,
      };
    return { check, status: "ok", message: `${model}: ${said}` };
  });
}
