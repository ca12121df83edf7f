import { pino, type Logger } from "pino";

export type { Logger };

/** JSON lines on stdout; credentials are redacted wherever they could appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "odoo-live" },
    redact: {
      paths: ["token", "*.token", "headers.authorization", "headers['x-api-key']", "auth.token"],
      censor: "[redacted]",
    },
  });
}
