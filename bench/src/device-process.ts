/**
 * A load generator: many devices, each a Socket.IO client connection of its own, in one process
 * apart from the server under test. The parent drives it over IPC (see devices.ts).
 */
import { io as connectSocket, type Socket } from "socket.io-client";
import { serveParent } from "./processes.js";
import { nowMs } from "./stats.js";

export interface DeviceSpec {
  token: string;
  deviceId: string;
  models: string[];
}

interface Received {
  seq: number;
  cursor: string;
  record?: { x_sent_at?: number };
  data?: { x_sent_at?: number };
}

class Device {
  socket: Socket | undefined;
  cursor: string | undefined;
  lastSeq = 0;
  count = 0;
  outOfOrder = 0;
  unacked = 0;
  readyAt = 0;

  constructor(readonly spec: DeviceSpec) {}
}

const devices: Device[] = [];
let url = "";
let received = 0;
let lastAt = 0;
let latencies: number[] = [];
let ackTimer: NodeJS.Timeout | undefined;
/** Acks sent since the last reset. */
let acks = 0;

function open(device: Device, withCursor: boolean): Promise<void> {
  device.readyAt = 0;
  const auth = {
    ...device.spec,
    ...(withCursor && device.cursor ? { cursor: device.cursor } : {}),
  };
  const socket = connectSocket(url, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    // A storm of reconnects on a loaded machine can take longer than socket.io's 20 s default.
    timeout: 120_000,
  });
  device.socket = socket;
  socket.on("event", (event: Received) => {
    received++;
    device.count++;
    device.unacked++;
    if (event.seq <= device.lastSeq) device.outOfOrder++;
    device.lastSeq = event.seq;
    device.cursor = event.cursor;
    const at = nowMs();
    lastAt = at;
    const sentAt = event.record?.x_sent_at ?? event.data?.x_sent_at ?? 0;
    if (sentAt > 0) latencies.push(at - sentAt);
  });
  return new Promise((resolve, reject) => {
    socket.once("ready", (ready: { cursor: string }) => {
      device.cursor = ready.cursor;
      device.readyAt = nowMs();
      resolve();
    });
    // A transport error (a connection reset while the hub takes thousands of handshakes at once)
    // is retried as a client would; a refusal by the hub (it sends a message) is not.
    let attempts = 0;
    socket.on("connect_error", (error: Error & { type?: string }) => {
      if (error.type === "TransportError" && ++attempts <= 5) {
        setTimeout(() => socket.connect(), 100 * attempts);
      } else reject(error);
    });
  });
}

/** Opens every device, `concurrency` handshakes at a time. */
async function openAll(withCursor: boolean, concurrency = 100): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < devices.length) await open(devices[next++]!, withCursor);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/**
 * Each device acks at most once per interval, like the client library, but at its own phase:
 * devices of one process spread over ten slices instead of acking all in the same tick.
 */
function startAcks(intervalMs: number): void {
  let tick = 0;
  ackTimer = setInterval(() => {
    const slice = tick++ % 10;
    devices.forEach((device, i) => {
      if (i % 10 === slice) sendAck(device, () => undefined);
    });
  }, intervalMs / 10);
}

/** Acks what the device got since its last ack, if anything; false when there was nothing. */
function sendAck(device: Device, answered: () => void): boolean {
  if (device.unacked === 0 || device.cursor === undefined || device.socket === undefined)
    return false;
  device.socket.emit("ack", { cursor: device.cursor, events: device.unacked }, answered);
  device.unacked = 0;
  acks++;
  return true;
}

function resetCounters(): void {
  received = 0;
  acks = 0;
  lastAt = 0;
  latencies = [];
  for (const device of devices) {
    device.count = 0;
    device.outOfOrder = 0;
  }
}

serveParent(async (message) => {
  switch (message.cmd) {
    case "connect": {
      url = message["url"] as string;
      devices.push(...(message["devices"] as DeviceSpec[]).map((spec) => new Device(spec)));
      await openAll(false);
      const ackMs = message["ackIntervalMs"] as number | undefined;
      if (ackMs !== undefined) startAcks(ackMs);
      return { connected: devices.length };
    }
    case "reset":
      resetCounters();
      return {};
    case "stats": {
      const counts = devices.map((d) => d.count);
      const outOfOrder = devices.reduce((sum, d) => sum + d.outOfOrder, 0);
      const readyAt = Math.max(...devices.map((d) => d.readyAt));
      const reply = {
        received,
        lastAt,
        outOfOrder,
        readyAt,
        min: Math.min(...counts),
        max: Math.max(...counts),
        acks,
      };
      return message["latencies"] === true ? { ...reply, latencies } : reply;
    }
    // Every device with something unacked acks it: all now, or spread evenly over `overMs`, each
    // at its own phase (as a deployment's devices ack); resolves once the server answered all.
    case "ack": {
      const overMs = (message["overMs"] as number | undefined) ?? 0;
      // This process's place among the fleet's (0 ≤ offset < 1 of one device's slot).
      const offset = (message["offset"] as number | undefined) ?? 0;
      const answers = devices.map(
        (device, i) =>
          new Promise<void>((resolve) => {
            const send = () => {
              if (!sendAck(device, () => resolve())) resolve();
            };
            if (overMs === 0) send();
            else setTimeout(send, ((i + offset) * overMs) / devices.length);
          }),
      );
      await Promise.all(answers);
      return {};
    }
    case "disconnect":
      for (const device of devices) device.socket?.disconnect();
      return {};
    case "reconnect":
      resetCounters();
      await openAll(true, devices.length);
      return {};
    case "close":
      clearInterval(ackTimer);
      for (const device of devices) device.socket?.disconnect();
      devices.length = 0;
      return {};
    default:
      throw new Error(`unknown command ${message.cmd}`);
  }
});
