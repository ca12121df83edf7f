import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";

/**
 * A request body as text, at most `maxBytes`, read from Node's own stream: on the push path this
 * skips building a web `Request` and its stream, which cost about a tenth of the hub's CPU per
 * push in the ingest benchmark.
 */
export async function readBody(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  if (Number(incoming.headers["content-length"] ?? 0) > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "payload_too_large", `body exceeds ${maxBytes} bytes`);
}
