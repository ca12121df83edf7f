import { z } from "zod";

/** The options `startOdooSim` validates (all but the clock). */
export const SimSettings = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default("127.0.0.1"),
  apiKey: z.string().min(1).default("sim-api-key"),
  db: z.string().min(1).optional(),
  users: z
    .array(z.number().int().positive())
    .min(1)
    .default(() => Array.from({ length: 1000 }, (_, i) => i + 1)),
  rpc: z
    .object({
      login: z.string().min(1),
      uid: z.number().int().positive(),
      key: z.string().min(1),
    })
    .default({ login: "admin", uid: 2, key: "sim-rpc-key" }),
  installRows: z.boolean().default(false),
  accounts: z
    .array(
      z.object({
        uid: z.number().int().positive(),
        login: z.string().min(1),
        password: z.string().min(1),
        apiKey: z.string().min(1).optional(),
        active: z.boolean().optional(),
        companyIds: z.array(z.number().int().positive()),
        groupIds: z.array(z.number().int().positive()),
      }),
    )
    .default([]),
  readAccess: z.record(z.string(), z.array(z.number().int().positive().nullable())).default({}),
});

/** A `webhook.subscriber`; Odoo requires an http(s) endpoint_url. */
export const SubscriberSettings = z.object({
  url: z.url({ protocol: /^https?$/ }),
  authType: z.enum(["none", "bearer", "basic", "api_key"]),
  token: z.string().optional(),
  apiKeyHeader: z.string().optional(),
  instant: z.boolean().optional(),
  cronDelayMs: z.number().int().nonnegative().nullable().optional(),
});
