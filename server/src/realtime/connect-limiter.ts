import { clientAddress } from "../ops/client-address.js";
import type { Limiter } from "../ops/limiter.js";
import type { HubSocket } from "./types.js";

/** Handshakes per client address (shared by every node when hubs share Redis). */
export class ConnectLimiter {
  constructor(
    private readonly limiter: Limiter,
    private readonly trustProxy: boolean,
  ) {}

  async admit(socket: HubSocket): Promise<boolean> {
    const { headers, address } = socket.handshake;
    const client = clientAddress(headers["x-forwarded-for"], address, this.trustProxy);
    return (await this.limiter.take(client)).ok;
  }
}
