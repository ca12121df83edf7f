import type { createShardedAdapter } from "@socket.io/redis-adapter";
import { isDeviceRoom } from "../routing/rooms.js";

type AdapterFactory = ReturnType<typeof createShardedAdapter>;

interface Broadcast {
  data?: { opts?: { rooms?: string[] } };
}

/** The two methods this file replaces, private in the adapter's typings (8.3). */
interface ShardedInternals {
  channel: string;
  shouldUseASeparateNamespace(room: string): boolean;
  computeChannel(message: Broadcast): string;
}

/**
 * In dynamic mode the sharded adapter gives every room a node hosts a channel of its own:
 * SSUBSCRIBE on a room's first socket, SUNSUBSCRIBE on its last. A device joins a tenant room,
 * a user room per model and a model room per subscription, and no node ever publishes to them
 * (events travel through the log's feed, dispatcher.ts), so connects and disconnects would cost
 * Redis round trips for nothing. Only device rooms are published to across nodes (replace.ts,
 * the admin page's test notice): they keep their channels; a broadcast to any other room goes
 * to the namespace's channel, which every node subscribes.
 */
export function channelsForDeviceRoomsOnly(factory: AdapterFactory): AdapterFactory {
  // Socket.IO calls it with `new`: a function (not an arrow) that returns the adapter.
  return function (nsp: unknown) {
    const adapter = factory(nsp);
    const internals = adapter as unknown as Partial<ShardedInternals>;
    const compute = internals.computeChannel?.bind(adapter);
    const main = internals.channel;
    if (
      compute === undefined ||
      typeof internals.shouldUseASeparateNamespace !== "function" ||
      typeof main !== "string"
    ) {
      throw new Error("@socket.io/redis-adapter changed its internals: review adapter-rooms.ts");
    }
    internals.shouldUseASeparateNamespace = isDeviceRoom;
    internals.computeChannel = (message) => {
      const rooms = message.data?.opts?.rooms ?? [];
      return rooms.length === 1 && isDeviceRoom(rooms[0] ?? "") ? compute(message) : main;
    };
    return adapter;
  };
}
