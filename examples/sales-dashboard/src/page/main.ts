import { connect, localStorageStorage, type ClientErrorInfo } from "@odoo-live/client";
import { applyEvent } from "./board.js";
import { deviceId, loadBoard, saveBoard } from "./saved.js";
import { renderBoard, renderSummary } from "./view.js";

/** What the dashboard's server tells the page: where the hub is. */
interface PageConfig {
  hubUrl: string;
}

type Status = "connecting" | "live" | "offline" | "stopped";

const $ = (id: string) => document.getElementById(id) as HTMLElement;

async function main(): Promise<void> {
  const { hubUrl } = (await (await fetch("config.json")).json()) as PageConfig;
  const device = deviceId();
  const boardKey = `sales-dashboard:board:${hubUrl}:${device}`;
  const board = loadBoard(boardKey);
  const fresh = new Set<number>();
  let frame = 0;
  const render = () => {
    frame = 0;
    renderSummary($("summary"), board);
    renderBoard($("board"), board, fresh);
    fresh.clear();
  };
  const scheduleRender = () => (frame ||= requestAnimationFrame(render));
  render();
  $("device").textContent = `device ${device} · hub ${hubUrl}`;

  const live = connect({
    url: hubUrl,
    // Called on every (re)connect and before the token expires: the server mints a fresh one.
    token: async () => {
      const res = await fetch("token", { method: "POST" });
      if (!res.ok) throw new Error(`the dashboard's server gave no token (HTTP ${res.status})`);
      return res.text();
    },
    deviceId: device,
    appType: "manager_app",
    models: ["sale.order"],
    storage: localStorageStorage(),
  });
  live.on("event", (event) => {
    if (!applyEvent(board, event)) return;
    // Saved before the listener returns, so before the client stores the event's cursor.
    saveBoard(boardKey, board);
    fresh.add(event.recordId);
    scheduleRender();
  });
  live.on("ready", (ready) => {
    setStatus("live", ready.replayed > 0 ? `caught up: ${ready.replayed} missed` : "live");
  });
  live.on("resync", ({ reason }) => {
    // The hub cannot prove that nothing was missed (e.g. a cursor older than its retention);
    // an app would reload its orders from Odoo here. This one keeps what it has, and says so.
    showNotice(`The hub could not prove continuity (${reason}): orders may be missing.`);
  });
  live.on("disconnect", () => setStatus("offline", "reconnecting…"));
  // An operator's test notice from the hub's admin page: shown, and nothing else.
  live.on("admin_test", ({ message }) =>
    showNotice(`Test notice from the hub's admin: ${message}`),
  );
  live.on("error", (error: ClientErrorInfo) => {
    if (error.fatal) {
      setStatus("stopped", "stopped");
      showNotice(`${error.code}: ${error.message}`);
    } else if (!live.connected) setStatus("offline", "hub unreachable, retrying…");
  });
}

function setStatus(status: Status, text: string): void {
  const pill = $("status");
  pill.dataset["status"] = status;
  pill.textContent = text;
}

function showNotice(text: string): void {
  const notice = $("notice");
  notice.textContent = text;
  notice.hidden = false;
}

main().catch((error: unknown) => {
  setStatus("stopped", "failed to start");
  showNotice(`The dashboard could not start: ${String(error)}`);
});
