import { deviceRoom } from "../routing/rooms.js";
import { disconnectFor } from "./disconnect-reason.js";
import type { HubServer, HubSocket } from "./types.js";

const notice = {
  code: "session_replaced",
  message: "a newer connection of this device took over this session",
} as const;

/**
 * One live session per device. A new session joins its device's room and tells the room's
 * older sessions that they are replaced. With the Redis adapter in dynamic mode that room has its
 * own channel, so the notice reaches only the nodes that host a session of this device.
 */
export function replaceOlderSessions(io: HubServer, socket: HubSocket): void {
  const { tenant, uid, deviceId } = socket.data;
  const room = deviceRoom(tenant, uid, deviceId);
  closeWhenReplaced(socket);
  void socket.join(room);
  io.to(room).except(socket.id).emit("replaced", notice);
}

/**
 * The notice may come from another node, where it arrives as a plain room broadcast; watching
 * this socket's outgoing packets is how the node holding it learns to close it. The close waits
 * for the next tick because the listener runs just before the packet is written.
 */
function closeWhenReplaced(socket: HubSocket): void {
  socket.onAnyOutgoing((event: string) => {
    if (event === "replaced") process.nextTick(() => disconnectFor(socket, "session_replaced"));
  });
}
