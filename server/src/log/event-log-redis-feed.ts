import type { RedisClient } from "../ops/redis-scripts.js";
import type { LiveListener, LoggedEvent } from "./event-log.js";
import { decodeCursor, type Position } from "./position.js";

/** A live event as a message carries it. */
type Published = Omit<LoggedEvent, "previous"> & { previous?: number };

interface Channel {
  listeners: Set<LiveListener>;
  /** Settles once this process's SUBSCRIBE is confirmed; unset after it failed. */
  ready?: Promise<void>;
  /** The last event handed to the listeners, by Pub/Sub or from this node's own append. */
  last?: Position | undefined;
  /**
   * The events handed on from this node's appends whose message has not come yet, in seq order:
   * only those are skipped in a message. Anything else at or below `last` (a Redis that lost
   * writes and gave their seqs again) is handed on, and the dispatcher sees the gap.
   */
  own: Position[];
}

/** Most own events awaiting their message (their messages lost while the subscriber was away). */
const MAX_OWN = 10_000;

/**
 * The Redis log's live feed in this process: a tenant's channel, subscribed on a connection of
 * its own, and its listeners. An append script publishes its events after storing them; the
 * node that appended also has them in the script's answer, which it reads before the message
 * (the message waited behind the push's own answer: about 0.1 ms at the median). So its own
 * events go to its listeners from the answer (`passOwn`), and their message is then skipped.
 */
export class RedisLiveFeed {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly subscriber: RedisClient,
    private readonly onError: (error: unknown) => void,
  ) {
    subscriber.on("message", (name: string, message: string) => this.received(name, message));
    // The feed's own connection: its errors are reported here (appends and reads fail, and say
    // so, on the main connection).
    subscriber.on("error", onError);
  }

  subscribe(name: string, listener: LiveListener): () => void {
    let channel = this.channels.get(name);
    if (channel === undefined) {
      channel = { listeners: new Set(), own: [] };
      this.channels.set(name, channel);
    }
    channel.listeners.add(listener);
    // Appends and reads of this process await it; this catch only reports the failure early.
    this.live(name).catch(this.onError);
    return () => this.unsubscribe(name, listener);
  }

  /** Resolves once this process's subscription to `name` is live (at once if none is wanted). */
  live(name: string): Promise<void> {
    const channel = this.channels.get(name);
    if (channel === undefined) return Promise.resolve();
    channel.ready ??= this.subscriber.subscribe(name).then(
      () => undefined,
      (error: unknown) => {
        // The next append or read of this tenant subscribes again.
        channel.ready = undefined;
        throw error;
      },
    );
    return channel.ready;
  }

  /**
   * This node's own appended events (published ones, in seq order), handed on from the script's
   * answer, as long as they directly follow the last event handed on: an event another node
   * appended before them has not come yet otherwise, and those then come by Pub/Sub, in order.
   */
  passOwn(name: string, appended: readonly LoggedEvent[]): void {
    const channel = this.channels.get(name);
    for (const logged of appended) {
      const last = channel?.last;
      const position = decodeCursor(logged.event.cursor);
      if (channel === undefined || last === undefined || position === undefined) return;
      if (position.epoch !== last.epoch || logged.previous !== last.seq) return;
      this.pass(channel, logged, position);
      if (channel.own.push(position) > MAX_OWN) channel.own.shift();
    }
  }

  close(): void {
    this.channels.clear();
  }

  private unsubscribe(name: string, listener: LiveListener): void {
    const channel = this.channels.get(name);
    if (channel === undefined || !channel.listeners.delete(listener)) return;
    if (channel.listeners.size > 0) return;
    this.channels.delete(name);
    this.subscriber.unsubscribe(name).catch(this.onError);
  }

  private received(name: string, message: string): void {
    const channel = this.channels.get(name);
    if (channel === undefined || handedOn(channel, message)) return;
    // An append publishes its batch as one array (a node of an older version, one event, and
    // no `previous`: its seqs then follow one another).
    let parsed: Published[] | Published;
    try {
      parsed = JSON.parse(message) as Published[] | Published;
    } catch (error) {
      // Not thrown into ioredis' reply parser: reported, and the feed's seq check sees the gap.
      return this.onError(error);
    }
    for (const logged of Array.isArray(parsed) ? parsed : [parsed]) {
      const position = decodeCursor(logged.event.cursor);
      // Handed on already from this node's append (Pub/Sub itself never repeats a message).
      if (position !== undefined && settleOwn(channel, position)) continue;
      logged.previous ??= logged.event.seq - 1;
      this.pass(channel, logged as LoggedEvent, position);
    }
  }

  private pass(channel: Channel, logged: LoggedEvent, position: Position | undefined): void {
    if (position !== undefined) channel.last = position;
    for (const listener of channel.listeners) {
      try {
        listener(logged);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

const CURSOR_KEY = '"cursor":"';

/**
 * Whether every event of a message was handed on already from this node's append, read without
 * parsing it: a pulled page's message is about a megabyte. An append's events are handed on all
 * or none, so its message's last event, when handed on, says so for all of them. The last
 * `"cursor":"` of a message is its last event's own cursor, which the script writes after the
 * event's draft (a record's strings cannot hold that text unescaped, and its keys come before).
 */
function handedOn(channel: Channel, message: string): boolean {
  const at = message.lastIndexOf(CURSOR_KEY);
  const end = at < 0 ? -1 : message.indexOf('"', at + CURSOR_KEY.length);
  const position = end < 0 ? undefined : decodeCursor(message.slice(at + CURSOR_KEY.length, end));
  return position !== undefined && settleOwn(channel, position);
}

/**
 * Whether `position` is one of the node's own events handed on; it and those before it leave the
 * queue (the messages of those before were lost, or they belong to another epoch).
 */
function settleOwn(channel: Channel, position: Position): boolean {
  const { own } = channel;
  const at = own.findIndex((p) => p.epoch === position.epoch && p.seq === position.seq);
  if (at < 0) {
    while (own[0] !== undefined && (own[0].epoch !== position.epoch || own[0].seq < position.seq))
      own.shift();
    return false;
  }
  own.splice(0, at + 1);
  return true;
}
