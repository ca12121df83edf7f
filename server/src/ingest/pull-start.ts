import type { PollerDeps } from "./poller.js";

export interface StartPoint {
  ledgerId: number;
  /** Where it came from, for the log line that says where pulling (re)starts. */
  origin: "stored watermark" | "log" | "this node" | "latest" | "earliest";
}

/**
 * Where a leader starts pulling: the stored watermark; else the highest row the log says it
 * holds (the store lost the watermark but not the log); else the watermark this node stored last
 * (the store lost both, e.g. a flushed Redis: re-reading is safe, skipping is not); else, the
 * first time ever for this store, the newest ledger row (`latest`) or the beginning. An
 * unreadable watermark rejects, so the poller backs off instead of starting over.
 */
export async function pullStart(
  deps: Pick<PollerDeps, "store" | "log" | "ledger" | "settings" | "tenant">,
  lastStored: number | undefined,
): Promise<StartPoint> {
  const { store, log, ledger, settings, tenant } = deps;
  const stored = await store.cursor(tenant);
  if (stored !== null) return { ledgerId: stored, origin: "stored watermark" };
  const logged = await log.ledgerAt(tenant, (await log.head(tenant)).seq);
  if (logged !== null) return { ledgerId: logged, origin: "log" };
  if (lastStored !== undefined) return { ledgerId: lastStored, origin: "this node" };
  if (settings.start === "earliest") return { ledgerId: 0, origin: "earliest" };
  return { ledgerId: await ledger.newestId(), origin: "latest" };
}
