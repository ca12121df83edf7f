import type { NormalizedEvent } from "@odoo-live/protocol";
import type { CompactedReadResult, ReadResult } from "./event-log.js";

/** A compacted read: the events kept, and how many of the selected events were left out. */
export interface Compacted {
  events: NormalizedEvent[];
  left: number;
}

/**
 * A compacted catch-up: of what a device missed, only each record's latest event (its newest
 * snapshot; an `unlink` stands for the record's end), in the order they came. Stale events (an
 * older version that reached the hub late) never stand for a record. Records are keyed by model,
 * then id, so that no key string is built per event: this runs over every missed event.
 */
export function compact(events: readonly NormalizedEvent[]): Compacted {
  const latest = new Map<string, Map<number, number>>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.stale === true) continue;
    let ofModel = latest.get(event.model);
    if (ofModel === undefined) latest.set(event.model, (ofModel = new Map<number, number>()));
    ofModel.set(event.recordId, i);
  }
  const kept: number[] = [];
  for (const ofModel of latest.values()) for (const i of ofModel.values()) kept.push(i);
  kept.sort((a, b) => a - b);
  const out = kept.map((i) => events[i]!);
  return { events: out, left: events.length - out.length };
}

/** A log read, compacted on the hub (a log that cannot compact while it reads). */
export function compactRead(read: ReadResult): CompactedReadResult {
  return read.ok ? { ...read, ...compact(read.events) } : read;
}
