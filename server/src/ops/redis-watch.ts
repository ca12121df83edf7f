import type { Logger } from "./logger.js";
import type { RedisClient } from "./redis-scripts.js";

/**
 * One Redis connection's state, logged once per change: `redis connection lost` (with the error
 * that ended it), `redis reconnecting` (once per outage, however many attempts ioredis
 * makes; it repeats `error`, `close` and `reconnecting` on each), `redis connection ready` (with
 * the attempts and how long it was away). `up` feeds `odoo_live_redis_up`.
 */
export class RedisWatch {
  private ready: boolean;
  private outage: { since: number; attempts: number } | undefined;
  /** The last connection error: ioredis emits it just before `close`. */
  private lastError: string | undefined;

  constructor(
    client: RedisClient,
    readonly connection: string,
    private readonly logger: Logger,
  ) {
    this.ready = client.status === "ready";
    client.on("error", (error: Error) => this.failed(error));
    client.on("close", () => this.lost());
    client.on("end", () => this.lost());
    client.on("reconnecting", () => this.reconnecting());
    client.on("connect", () => logger.debug({ connection }, "redis connected"));
    client.on("ready", () => this.back());
  }

  get up(): boolean {
    return this.ready;
  }

  private failed(error: Error): void {
    this.lastError = error.message;
  }

  private lost(): void {
    if (!this.ready) return;
    this.ready = false;
    this.outage = { since: Date.now(), attempts: 0 };
    const { connection, lastError } = this;
    this.logger.warn({ connection, error: lastError }, "redis connection lost");
  }

  private reconnecting(): void {
    if (this.outage === undefined || this.outage.attempts++ > 0) return;
    const { connection, lastError } = this;
    this.logger.warn({ connection, error: lastError }, "redis reconnecting");
  }

  private back(): void {
    const outage = this.outage;
    this.ready = true;
    this.outage = undefined;
    this.lastError = undefined;
    if (outage === undefined) return;
    const { attempts, since } = outage;
    const downMs = Date.now() - since;
    this.logger.info({ connection: this.connection, attempts, downMs }, "redis connection ready");
  }
}
