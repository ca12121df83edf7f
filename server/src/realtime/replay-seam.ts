import type { NormalizedEvent } from "@odoo-live/protocol";

/** What a resuming device is sent before `ready`, and the cursor `ready` carries. */
export interface Seam {
  events: NormalizedEvent[];
  cursor: string;
}

/**
 * Joins a resume's history read with the live events that arrived while it ran (centrifuge's
 * recovery merge). The history covers everything up to the head it saw (`throughSeq`, whose
 * cursor is `throughCursor`); live events at or below it are in the history already, those
 * above follow it in seq order, each once. Ledger events (seq 0, a deep resume's rows from Odoo)
 * precede the hub's own and are never live.
 */
export function joinSeam(
  history: readonly NormalizedEvent[],
  throughSeq: number,
  throughCursor: string,
  live: readonly NormalizedEvent[],
): Seam {
  const sent = new Set<number>();
  const later = [...live]
    .filter((event) => event.seq > throughSeq)
    .sort((a, b) => a.seq - b.seq)
    .filter((event) => !sent.has(event.seq) && sent.add(event.seq));
  return { events: [...history, ...later], cursor: later.at(-1)?.cursor ?? throughCursor };
}
