/** Devices spread over load-generator processes (device-process.ts), driven as one fleet. */
import jwt from "jsonwebtoken";
import type { DeviceSpec } from "./device-process.js";
import { JWT_SECRET, Worker } from "./processes.js";

export interface FleetStats {
  received: number;
  /** When the last event arrived (nowMs clock). */
  lastAt: number;
  outOfOrder: number;
  /** When the last device got `ready`. */
  readyAt: number;
  /** Fewest and most events one device got since the last reset. */
  min: number;
  max: number;
  /** Acks the devices sent. */
  acks: number;
  latencies: number[];
}

/**
 * `count` devices, user `firstUid + i` each, subscribed to `models`; ids unique per `label`;
 * `claims(i)` adds to device i's token (record rules).
 */
export function deviceSpecs(
  label: string,
  count: number,
  firstUid: number,
  models: string[],
  claims: (i: number) => object = () => ({}),
): DeviceSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    token: jwt.sign({ uid: firstUid + i, models: "*", ...claims(i) }, JWT_SECRET, {
      algorithm: "HS256",
      expiresIn: 3600,
    }),
    deviceId: `${label}-${i}`,
    models,
  }));
}

export class Fleet {
  readonly #workers: Worker[];

  constructor(processes: number) {
    this.#workers = Array.from({ length: processes }, () => new Worker("device-process.js"));
  }

  /** Connects the devices (spread evenly), each until its `ready`. */
  async connect(url: string, specs: DeviceSpec[], ackIntervalMs?: number): Promise<void> {
    const n = this.#workers.length;
    await Promise.all(
      this.#workers.map((worker, w) =>
        worker.request({
          cmd: "connect",
          url,
          devices: specs.filter((_, i) => i % n === w),
          ackIntervalMs,
        }),
      ),
    );
  }

  async #all<T>(cmd: string, extra: object = {}): Promise<T[]> {
    return Promise.all(this.#workers.map((w) => w.request<T>({ cmd, ...extra })));
  }

  async reset(): Promise<void> {
    await this.#all("reset");
  }

  async stats(withLatencies = false): Promise<FleetStats> {
    const parts = await this.#all<Omit<FleetStats, "latencies"> & { latencies?: number[] }>(
      "stats",
      {
        latencies: withLatencies,
      },
    );
    return {
      received: parts.reduce((s, p) => s + p.received, 0),
      lastAt: Math.max(...parts.map((p) => p.lastAt)),
      outOfOrder: parts.reduce((s, p) => s + p.outOfOrder, 0),
      readyAt: Math.max(...parts.map((p) => p.readyAt)),
      min: Math.min(...parts.map((p) => p.min)),
      max: Math.max(...parts.map((p) => p.max)),
      acks: parts.reduce((s, p) => s + p.acks, 0),
      latencies: parts.flatMap((p) => p.latencies ?? []),
    };
  }

  /**
   * Every device acks what it got since its last ack (for fleets connected without acks): now,
   * or each device of the fleet at a phase of its own over `overMs`.
   */
  async ack(overMs = 0): Promise<void> {
    // Each process's devices at phases of their own, between the other processes' ones.
    const n = this.#workers.length;
    await Promise.all(
      this.#workers.map((w, i) => w.request({ cmd: "ack", overMs, offset: i / n })),
    );
  }

  async disconnect(): Promise<void> {
    await this.#all("disconnect");
  }

  /** Reconnects every device at once, each from the cursor it last saw. */
  async reconnect(): Promise<void> {
    await this.#all("reconnect");
  }

  async close(): Promise<void> {
    await this.#all("close");
    await Promise.all(this.#workers.map((w) => w.stop()));
  }
}
