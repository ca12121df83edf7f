import type { Timers } from "../timers.js";
import type { EntryPath, LedgerRow, PushRecord, SubscriberConfig } from "../types.js";
import { envelopeBody, rawBody } from "./bodies.js";
import { cronHeaders, instantHeaders } from "./headers.js";
import { Poster } from "./post.js";

/** The `webhook.subscriber` record; events keep pointing at it after it is deleted. */
interface Subscriber {
  config: SubscriberConfig;
  deleted: boolean;
}

/** A `webhook.event` row: created with the business change, sent after its commit. */
export interface WebhookEvent {
  id: number;
  subscriber: Subscriber;
}

const DEFAULT_CRON_DELAY_MS = 60_000;

/**
 * The push side of the module. After commit the instant path POSTs the raw shape, then fails
 * its own audit (§4.2). What follows depends on how the change came in: from external
 * JSON-RPC that failure is committed and the event is never sent again; from the web client
 * it is rolled back, the event stays pending and the cron sends it again as the envelope.
 * Events of models without instant sending wait for the cron. Neither path retries a failed
 * POST. One queue keeps every POST in order.
 */
export class Pusher {
  private subscriber: Subscriber | undefined;
  private lastEventId = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly sent: PushRecord[] = [];
  private readonly poster = new Poster();
  private readonly closing = new AbortController();
  /** Events the cron has still to send (webhook.event rows left `pending`). */
  private readonly cronPending = new Set<{ event: WebhookEvent; row: LedgerRow }>();

  constructor(private readonly timers: Timers) {}

  /** Creates the subscriber, or edits it when there is one. */
  subscribe(config: SubscriberConfig): void {
    if (this.subscriber === undefined) this.subscriber = { config, deleted: false };
    else this.subscriber.config = config;
  }

  unsubscribe(): void {
    if (this.subscriber !== undefined) this.subscriber.deleted = true;
    this.subscriber = undefined;
  }

  /** Inserts the `webhook.event` row (its own sequence) when there is a subscriber. */
  createEvent(): WebhookEvent | undefined {
    if (this.subscriber === undefined) return undefined;
    this.lastEventId += 1;
    return { id: this.lastEventId, subscriber: this.subscriber };
  }

  afterCommit(event: WebhookEvent, row: LedgerRow, path: "instant" | "cron", via: EntryPath) {
    const { instant = true, cronDelayMs = DEFAULT_CRON_DELAY_MS } = event.subscriber.config;
    const sentAtOnce = instant && path === "instant";
    if (sentAtOnce) this.enqueue(event, row, "raw");
    if (sentAtOnce && via === "jsonrpc") return;
    if (cronDelayMs === null) return;
    const pending = { event, row };
    this.cronPending.add(pending);
    this.timers.after(cronDelayMs, () => this.sendByCron(pending));
  }

  /** The cron run at once (Odoo's `method_direct_trigger`): every pending event is sent now. */
  runCron(): void {
    for (const pending of [...this.cronPending]) this.sendByCron(pending);
  }

  private sendByCron(pending: { event: WebhookEvent; row: LedgerRow }): void {
    if (this.cronPending.delete(pending)) this.enqueue(pending.event, pending.row, "envelope");
  }

  records(): readonly PushRecord[] {
    return this.sent;
  }

  /** Aborts what is in flight and drops what is queued. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.queue;
    this.poster.close();
  }

  private enqueue(event: WebhookEvent, row: LedgerRow, shape: PushRecord["shape"]): void {
    this.queue = this.queue.then(() => this.send(event, row, shape));
  }

  private async send(event: WebhookEvent, row: LedgerRow, shape: PushRecord["shape"]) {
    // A deleted subscriber leaves its events without one: the cron fails them without a POST.
    if (event.subscriber.deleted || this.closing.signal.aborted) return;
    const config = event.subscriber.config;
    const headers = shape === "raw" ? instantHeaders(config) : cronHeaders(config);
    const body = shape === "raw" ? rawBody(event.id, row) : envelopeBody(event.id, row);
    const status = headers.ok
      ? await this.poster.post(config.url, headers.headers, body, this.closing.signal)
      : "error";
    this.sent.push({ shape, webhookEventId: event.id, status });
  }
}
