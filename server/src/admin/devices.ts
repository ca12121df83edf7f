import type { HubServer } from "../realtime/types.js";

export interface ConnectedDevice {
  uid: number;
  deviceId: string;
  appType: string;
  connectedAt: string;
}

/** Listed per tenant: enough to pick one for a test notice, bounded whatever the connections. */
export const MAX_LISTED = 200;

/**
 * The devices connected to this node, per tenant (the first MAX_LISTED of each). Nothing of the
 * handshake's token: only who the socket is and the app type it declared.
 */
export function connectedDevices(io: HubServer): Map<string, ConnectedDevice[]> {
  const byTenant = new Map<string, ConnectedDevice[]>();
  for (const socket of io.of("/").sockets.values()) {
    const { tenant, uid, deviceId } = socket.data;
    const list = byTenant.get(tenant) ?? [];
    if (list.length >= MAX_LISTED) continue;
    const { appType } = socket.handshake.auth as { appType?: unknown };
    list.push({
      uid,
      deviceId,
      appType: typeof appType === "string" ? appType : "mobile_app",
      connectedAt: new Date(socket.handshake.issued).toISOString(),
    });
    byTenant.set(tenant, list);
  }
  return byTenant;
}
