/**
 * The pull baseline: reads the whole backlog from `/api/webhooks/pull` page by page and parses
 * it, doing nothing else; the hub's figure above it is the price of normalizing and logging.
 */
import { serveParent } from "./processes.js";
import { nowMs } from "./stats.js";

interface Page {
  events?: { id: number }[];
  has_more?: boolean;
}

serveParent(async (message) => {
  const { url, apiKey, pageSize } = message as unknown as {
    url: string;
    apiKey: string;
    pageSize: number;
  };
  const start = nowMs();
  let after = 0;
  let rows = 0;
  for (;;) {
    const response = await fetch(`${url}/api/webhooks/pull`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ last_event_id: after, limit: pageSize }),
    });
    const page = (await response.json()) as Page;
    const events = page.events ?? [];
    rows += events.length;
    after = events.at(-1)?.id ?? after;
    if (page.has_more !== true || events.length === 0) break;
  }
  return { rows, ms: nowMs() - start };
});
