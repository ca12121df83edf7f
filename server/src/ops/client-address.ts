import type { IncomingMessage } from "node:http";

/**
 * The client's address for per-address limits. Behind a load balancer every connection comes
 * from it, and the client is the first X-Forwarded-For entry; trust that header only when told to.
 */
export function clientAddress(
  forwardedFor: string | string[] | undefined,
  remote: string | undefined,
  trustProxy: boolean,
): string {
  const first = (Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor)
    ?.split(",")[0]
    ?.trim();
  if (trustProxy && first !== undefined && first !== "") return first;
  return remote ?? "unknown";
}

/** The client address of an HTTP request (clientAddress of its headers and socket). */
export function requestAddress(req: IncomingMessage, trustProxy: boolean): string {
  return clientAddress(req.headers["x-forwarded-for"], req.socket.remoteAddress, trustProxy);
}
