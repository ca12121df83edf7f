import { clientAddress } from "../ops/client-address.js";
import type { Limiter } from "../ops/limiter.js";
import type { IncomingHttpHeaders } from "node:http";

/** Connections per client address (shared by every node when hubs share Redis). */
export class ConnectLimiter {
  constructor(
    private readonly limiter: Limiter,
    private readonly trustProxy: boolean,
  ) {}

  /** A Socket.IO handshake, or an SSE request: its headers and the connection's address. */
  async admit(headers: IncomingHttpHeaders, address: string | undefined): Promise<boolean> {
    const client = clientAddress(headers["x-forwarded-for"], address, this.trustProxy);
    return (await this.limiter.take(client)).ok;
  }
}
