import type { NormalizedEvent } from "@odoo-live/protocol";

/**
 * A compacted catch-up: of what a device missed, only each record's latest event (its newest
 * snapshot; an `unlink` stands for the record's end), in the order they came. Stale events (an
 * older version that reached the hub late) never stand for a record. Returns the events kept
 * and how many were left out.
 */
export function compact(events: readonly NormalizedEvent[]): {
  events: NormalizedEvent[];
  left: number;
} {
  const latest = new Map<string, number>();
  events.forEach((event, i) => {
    if (event.stale !== true) latest.set(`${event.model}:${event.recordId}`, i);
  });
  const kept = new Set(latest.values());
  const out = events.filter((_, i) => kept.has(i));
  return { events: out, left: events.length - out.length };
}
