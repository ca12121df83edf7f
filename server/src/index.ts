export { ConfigError, loadConfig, type Config } from "./config/config.js";
export { mintToken, type MintedClaims } from "./auth/mint.js";
export { startHub, type Hub, type HubOptions } from "./hub.js";
export { encodeCursor, decodeCursor, type Position } from "./log/position.js";
export type { EventLog, LoggedEvent, ReadResult } from "./log/event-log.js";
export { MemoryEventLog } from "./log/event-log-memory.js";
export type { Selector } from "./routing/selector.js";
export type { DeviceStore, DeviceState } from "./state/device-store.js";
export { createLogger, type Logger } from "./ops/logger.js";
// The steps every push takes, for the benchmark's ceiling server (bench/src/ceiling-server.ts).
export { Ingestor } from "./ingest/ingest.js";
export { contentOf } from "./ingest/push.js";
export { checkPushAuth } from "./ingest/push-auth.js";
export { parseJsonBody } from "./http/json-body.js";
export { createMetrics } from "./ops/metrics.js";
