import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { listHandlesOncePerScrape } from "./active-handles.js";
import { countOpenFdsOffLoop } from "./open-fds.js";

/**
 * One registry per hub, so that several hubs in one process (tests) do not share counters. Node's
 * default metrics keep prom-client's standard names (`process_*`, `nodejs_*`), which stock
 * Node.js dashboards query. The gauges read from the hub's state at scrape time are in
 * `process-gauges.ts`, `ingest/pull-gauges.ts` and `odoo/mirror-gauges.ts`; every metric is
 * listed in the README ("Metrics").
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  countOpenFdsOffLoop(registry);
  listHandlesOncePerScrape(registry);
  const registers = [registry];
  return {
    registry,
    ingested: new Counter({
      name: "odoo_live_events_ingested_total",
      help: "Changes offered to the log, by tenant, source and result (appended or duplicate)",
      labelNames: ["tenant", "source", "result"] as const,
      registers,
    }),
    pushes: new Counter({
      name: "odoo_live_push_requests_total",
      help: "Push requests answered, by tenant and HTTP status",
      labelNames: ["tenant", "status"] as const,
      registers,
    }),
    connections: new Gauge({
      name: "odoo_live_connections",
      help: "Devices connected to this node, by tenant and app type",
      labelNames: ["tenant", "app_type"] as const,
      registers,
    }),
    disconnects: new Counter({
      name: "odoo_live_disconnects_total",
      help: "Connections ended on this node, by tenant and reason (Socket.IO's, or the hub's own)",
      labelNames: ["tenant", "reason"] as const,
      registers,
    }),
    emitted: new Counter({
      name: "odoo_live_events_emitted_total",
      help: "Live events this node emitted to its devices: one per event that had a local recipient, whatever their number",
      labelNames: ["tenant"] as const,
      registers,
    }),
    emitLatency: new Histogram({
      name: "odoo_live_emit_latency_seconds",
      help: "From the event's append to the log (the hub accepted it) to its live emit on this node",
      labelNames: ["tenant"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    replayed: new Counter({
      name: "odoo_live_replayed_events_total",
      help: "Events replayed to resuming devices (one per device and event)",
      labelNames: ["tenant"] as const,
      registers,
    }),
    replaySize: new Histogram({
      name: "odoo_live_replay_events",
      help: "Events replayed per resume, by tenant and where they came from (hub, odoo, none)",
      labelNames: ["tenant", "source"] as const,
      buckets: [0, 1, 10, 100, 1000, 10_000],
      registers,
    }),
    replayDuration: new Histogram({
      name: "odoo_live_replay_duration_seconds",
      help: "From a connection to its ready (history read and sent), by tenant and source",
      labelNames: ["tenant", "source"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    resyncs: new Counter({
      name: "odoo_live_resyncs_total",
      help: "Resync signals sent, by tenant and reason",
      labelNames: ["tenant", "reason"] as const,
      registers,
    }),
    pullIdsSkipped: new Counter({
      name: "odoo_live_pull_ids_skipped_total",
      help: "Ledger ids the pull watermark passed as rolled back (missing for the whole late-commit window)",
      labelNames: ["tenant"] as const,
      registers,
    }),
    pullErrors: new Counter({
      name: "odoo_live_pull_errors_total",
      help: "Failed pull passes, by tenant and kind (an Odoo error's kind, or store)",
      labelNames: ["tenant", "kind"] as const,
      registers,
    }),
    expiredSessions: new Counter({
      name: "odoo_live_sessions_expired_total",
      help: "Sessions ended at their token's exp without a refresh",
      labelNames: ["tenant"] as const,
      registers,
    }),
    authRequests: new Counter({
      name: "odoo_live_auth_requests_total",
      help: "Sign-in requests answered (/auth/odoo, /auth/refresh, /auth/logout), by tenant, endpoint and HTTP status",
      labelNames: ["tenant", "endpoint", "status"] as const,
      registers,
    }),
    rejectedConnections: new Counter({
      name: "odoo_live_rejected_connections_total",
      help: "Socket.IO handshakes refused, by error code",
      labelNames: ["code"] as const,
      registers,
    }),
    suppressedLogs: new Counter({
      name: "odoo_live_log_lines_suppressed_total",
      help: "Log lines left out by the per-key rate limit, by kind of line",
      labelNames: ["line"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
