import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per hub, so that several hubs in one process (tests) do not share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "odoo_live_" });
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
    sockets: new Gauge({
      name: "odoo_live_sockets_connected",
      help: "Sockets connected to this node",
      registers,
    }),
    replayed: new Counter({
      name: "odoo_live_replayed_events_total",
      help: "Events replayed to resuming devices",
      labelNames: ["tenant"] as const,
      registers,
    }),
    resyncs: new Counter({
      name: "odoo_live_resyncs_total",
      help: "Resync signals sent, by reason",
      labelNames: ["tenant", "reason"] as const,
      registers,
    }),
    pullIdsSkipped: new Counter({
      name: "odoo_live_pull_ids_skipped_total",
      help: "Ledger ids the pull watermark passed as rolled back (missing for the whole late-commit window)",
      labelNames: ["tenant"] as const,
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
