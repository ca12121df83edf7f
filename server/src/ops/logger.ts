import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * JSON lines on stdout (or `destination`); credentials are redacted wherever they could appear.
 * A lease's fencing token is logged as `fence`: it is no secret.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "odoo-live" },
    redact: {
      paths: [
        "token",
        "*.token",
        "headers.authorization",
        "headers['x-api-key']",
        "auth.token",
        // Sign-in never logs these; a mistake that would is caught here.
        ...["password", "apiKey", "accessToken", "refreshToken"].flatMap((k) => [k, `*.${k}`]),
      ],
      censor: "[redacted]",
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
