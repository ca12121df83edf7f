/**
 * The push scenario's ceiling: the bare server's HTTP and emit, plus the steps the hub's
 * guarantees take on every push, run from the hub's own code in the same order: the push
 * token's check, the body's depth check, validation, normalization (the event's id and content
 * key), the dedupe keys, routing, and the append to the in-memory log (dedupe window, record
 * versions, indexes, retention) with its live feed. It leaves out only what is the hub's own
 * overhead beyond them: hono, the failed-authentication limiter, the tenant's rate limit, metrics
 * per push, refusal logs. The hub cannot push faster than this while it keeps its guarantees.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { parseOdooPush } from "@odoo-live/protocol";
import {
  checkPushAuth,
  contentOf,
  createLogger,
  createMetrics,
  Ingestor,
  loadConfig,
  MemoryEventLog,
  parseJsonBody,
} from "@odoo-live/server";
import { JWT_SECRET, serveParent, tenantsFile } from "./processes.js";
import { roomsOfRecord } from "./push-bodies.js";
import { readBody } from "./read-body.js";

// The hub's defaults (retention, dedupe window, depth and routing limits), as the bench runs it.
const config = loadConfig({ JWT_SECRET, HUB_TENANTS_FILE: tenantsFile(undefined, ["default"]) });
const tenant = config.tenants.get("default")!;
const log = new MemoryEventLog({
  retention: config.retention,
  dedupeMs: config.dedupeMs,
  dedupeMaxKeys: config.dedupeMaxKeys,
});
const limits = { maxRoutedUsers: config.maxRoutedUsers };
const ingestor = new Ingestor(log, config.tenants, createMetrics(), limits, createLogger("silent"));

const http = createServer((req, res) => {
  void readBody(req)
    .then(async (text) => {
      const header = (name: string) => req.headers[name] as string | undefined;
      if (!checkPushAuth(header, tenant.push).ok) throw new Error("the bench's push token refused");
      const parsed = parseOdooPush(parseJsonBody(text, config.maxJsonDepth));
      if (!parsed.ok) throw new Error(parsed.message);
      const content = contentOf("default", parsed.push);
      if (content.kind !== "change") throw new Error("the bench pushes changes only");
      const result = await ingestor.ingest(content.draft, "push");
      const reply =
        result.status === "appended"
          ? { ok: true, id: result.event.id, seq: result.event.seq, duplicate: false }
          : { ok: true, id: content.draft.id, duplicate: true };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    })
    .catch((error: unknown) => {
      // The driver fails the run on any non-2xx, naming the status; the reason goes to stderr.
      process.stderr.write(`ceiling server: ${String(error)}\n`);
      res.writeHead(500).end();
    });
});
const io = new Server(http, { serveClient: false });
// As the bare server emits each push, to the same rooms (no device connects in this scenario).
log.subscribe("default", ({ event }) => {
  io.to(roomsOfRecord(event.model, event.record)).emit("event", event);
});

http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  serveParent(() =>
    Promise.resolve(typeof address === "object" && address !== null ? address.port : 0),
  );
});
