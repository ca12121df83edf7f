import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { pyDumps } from "../py-json.js";
import { REQUESTS_DEFAULTS } from "./headers.js";

/** Both senders give up after 30 s (the instant path's fixed timeout, the subscriber default). */
const TIMEOUT_MS = 30_000;

/**
 * `requests.post(url, json=body, headers=headers)`: the body as Python serializes it, the
 * session's default headers under the given ones. Resolves to the status, or "error" when no
 * answer came.
 */
export class Poster {
  private readonly agents = {
    "http:": new HttpAgent({ keepAlive: true }),
    "https:": new HttpsAgent({ keepAlive: true }),
  };

  post(
    url: string,
    headers: Record<string, string>,
    body: unknown,
    signal: AbortSignal,
  ): Promise<number | "error"> {
    const text = pyDumps(body);
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const request = send(
        target,
        {
          method: "POST",
          agent: target.protocol === "https:" ? this.agents["https:"] : this.agents["http:"],
          headers: {
            ...REQUESTS_DEFAULTS,
            ...headers,
            "Content-Length": String(Buffer.byteLength(text)),
          },
          signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
        },
        (response) => {
          response.on("error", () => resolve("error"));
          response.on("end", () => resolve(response.statusCode ?? "error"));
          // requests reads the whole answer before it returns.
          response.resume();
        },
      );
      request.on("error", () => resolve("error"));
      request.end(text);
    });
  }

  close(): void {
    this.agents["http:"].destroy();
    this.agents["https:"].destroy();
  }
}
