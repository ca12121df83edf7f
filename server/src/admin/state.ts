import type { Poller } from "../ingest/poller.js";
import type { Metrics } from "../ops/metrics.js";
import type { SyncStateMirror } from "../odoo/sync-state-mirror.js";
import type { HubServer } from "../realtime/types.js";
import { byTenant, type Samples } from "./counters.js";
import { connectedDevices } from "./devices.js";
import type { AdminRecorder } from "./recorder.js";

export interface StateSources {
  tenants: readonly string[];
  metrics: Metrics;
  pollers: ReadonlyMap<string, Poller>;
  mirrors: ReadonlyMap<string, SyncStateMirror>;
  recorder: AdminRecorder;
  io: () => HubServer;
}

/**
 * What `/admin/api/state` answers: per tenant, this node's view (as its `/metrics`): devices,
 * event totals (the page derives rates), pull, sync-state mirror, recent resyncs and refused
 * pushes. Refused pushes to tenants that do not exist are listed apart.
 */
export async function adminState(sources: StateSources) {
  const { metrics, recorder } = sources;
  const [connections, ingested, emitted, replayed, pushes, resyncs, pullErrors] = await Promise.all(
    [
      byTenant(metrics.connections, ["app_type"]),
      byTenant(metrics.ingested, ["source", "result"]),
      byTenant(metrics.emitted, []),
      byTenant(metrics.replayed, []),
      byTenant(metrics.pushes, ["status"]),
      byTenant(metrics.resyncs, ["reason"]),
      byTenant(metrics.pullErrors, ["kind"]),
    ],
  );
  const devices = connectedDevices(sources.io());
  const known = new Set(sources.tenants);
  const refused = recorder.recent("refusedPushes");
  const resyncsSent = recorder.recent("resyncs");
  const tenants = [...known].map((tenant) => ({
    tenant,
    devices: {
      byAppType: nonZero(connections.get(tenant)),
      listed: devices.get(tenant) ?? [],
    },
    events: {
      ingested: ingested.get(tenant) ?? {},
      emitted: emitted.get(tenant)?.["total"] ?? 0,
      replayed: replayed.get(tenant)?.["total"] ?? 0,
      pushes: pushes.get(tenant) ?? {},
      resyncs: resyncs.get(tenant) ?? {},
    },
    pull: pullState(sources.pollers.get(tenant), pullErrors.get(tenant)),
    mirror: mirrorState(sources.mirrors.get(tenant)),
    recentResyncs: resyncsSent.filter((r) => r.tenant === tenant),
    recentRefusedPushes: refused.filter((r) => r.tenant === tenant),
  }));
  return {
    now: new Date().toISOString(),
    tenants,
    refusedUnknownTenant: refused.filter((r) => !known.has(r.tenant)),
  };
}

export type AdminState = Awaited<ReturnType<typeof adminState>>;

function nonZero(samples: Samples | undefined): Samples {
  return Object.fromEntries(Object.entries(samples ?? {}).filter(([, n]) => n > 0));
}

/** Only the node that holds the tenant's pull lease pulls it; the others say so. */
function pullState(poller: Poller | undefined, errors: Samples | undefined) {
  if (poller === undefined) return { configured: false as const };
  const status = poller.odoo.status;
  const progress = poller.progress;
  return {
    configured: true as const,
    leading: poller.leading,
    watermark: poller.stable ?? null,
    lagSeconds: progress?.lagSeconds() ?? null,
    idsBehind: progress?.idsBehind() ?? null,
    odoo:
      status === undefined
        ? null
        : {
            state: status.state,
            since: new Date(status.since).toISOString(),
            error: status.error ?? null,
          },
    errors: errors ?? {},
  };
}

function mirrorState(mirror: SyncStateMirror | undefined) {
  if (mirror === undefined) return { configured: false as const };
  return { configured: true as const, ...mirror.stats(), ...mirror.counts() };
}
