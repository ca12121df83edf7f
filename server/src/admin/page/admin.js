// The admin page: polls /admin/api/state every second and renders it. Only DOM methods and
// textContent: tenant names, device ids and refusal reasons come from clients.
"use strict";

const POLL_MS = 1000;
/** The previous state and when it came: rates are the change of the totals between polls. */
let previous;
/** Per tenant, the test-notice form: kept across renders, so typing is not lost every second. */
const forms = new Map();

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "data") Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

const sum = (samples, test = () => true) =>
  Object.entries(samples).reduce((total, [key, n]) => total + (test(key) ? n : 0), 0);

function perSecond(now, before, seconds) {
  if (before === undefined || seconds <= 0) return "–";
  return `${(Math.max(0, now - before) / seconds).toFixed(1)}/s`;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString("en-GB");
}

function figure(label, value, field) {
  return el(
    "div",
    { className: "figure" },
    el("span", { className: "value", data: field ? { field } : {} }, String(value)),
    el("span", { className: "label" }, label),
  );
}

function table(headers, rows, empty) {
  if (rows.length === 0) return el("p", { className: "muted" }, empty);
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))),
    el(
      "tbody",
      {},
      ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, String(c))))),
    ),
  );
}

function eventTotals(events) {
  return {
    appended: sum(events.ingested, (k) => k.endsWith("/appended")),
    duplicate: sum(events.ingested, (k) => k.endsWith("/duplicate")),
    emitted: events.emitted,
    replayed: events.replayed,
  };
}

function devicesCard(t) {
  const total = sum(t.devices.byAppType);
  const chips = Object.entries(t.devices.byAppType).map(([type, n]) =>
    el("span", { className: "chip" }, `${type} ${n}`),
  );
  const rows = t.devices.listed.map((d) => [d.uid, d.deviceId, d.appType, time(d.connectedAt)]);
  return el(
    "section",
    { className: "card" },
    el("h3", {}, "Connected devices"),
    el("div", { className: "figures" }, figure("devices", total, "devices-total")),
    el("div", { className: "chips" }, ...chips),
    table(["uid", "device", "app", "since"], rows, "No device is connected to this node."),
  );
}

function eventsCard(t, before, seconds) {
  const now = eventTotals(t.events);
  const was = before && eventTotals(before.events);
  const pushes = Object.entries(t.events.pushes).map(([status, n]) => `${status}: ${n}`);
  const resyncs = sum(t.events.resyncs);
  return el(
    "section",
    { className: "card" },
    el("h3", {}, "Events"),
    el(
      "div",
      { className: "figures" },
      figure("in (logged)", perSecond(now.appended, was?.appended, seconds)),
      figure("out (emitted)", perSecond(now.emitted, was?.emitted, seconds)),
      figure("duplicates", perSecond(now.duplicate, was?.duplicate, seconds)),
    ),
    el(
      "dl",
      {},
      el("dt", {}, "logged"),
      el("dd", { data: { field: "ingested-total" } }, String(now.appended)),
      el("dt", {}, "emitted"),
      el("dd", { data: { field: "emitted-total" } }, String(now.emitted)),
      el("dt", {}, "replayed"),
      el("dd", {}, String(now.replayed)),
      el("dt", {}, "duplicates"),
      el("dd", {}, String(now.duplicate)),
      el("dt", {}, "resyncs sent"),
      el("dd", {}, String(resyncs)),
      el("dt", {}, "push answers"),
      el("dd", {}, pushes.join(", ") || "none yet"),
    ),
  );
}

function pullCard(pull) {
  const card = el("section", { className: "card" }, el("h3", {}, "Pull from Odoo"));
  if (!pull.configured) {
    card.append(
      el("p", { className: "muted" }, "Not configured (no ODOO_URL and API key, or pull off)."),
    );
    return card;
  }
  const odoo = pull.odoo;
  const state = odoo ? odoo.state : "unknown";
  const errors = Object.entries(pull.errors).map(([kind, n]) => `${kind}: ${n}`);
  card.append(
    el(
      "div",
      { className: "figures" },
      el("span", { className: `badge ${state}`, data: { field: "odoo-state" } }, `Odoo ${state}`),
      el("span", { className: "chip" }, pull.leading ? "this node pulls" : "another node pulls"),
    ),
    el(
      "dl",
      {},
      el("dt", {}, "watermark"),
      el("dd", {}, pull.watermark === null ? "–" : String(pull.watermark)),
      el("dt", {}, "lag"),
      el("dd", {}, pull.lagSeconds === null ? "–" : `${pull.lagSeconds.toFixed(1)} s`),
      el("dt", {}, "ids behind"),
      el("dd", {}, pull.idsBehind === null ? "–" : String(pull.idsBehind)),
      el("dt", {}, "since"),
      el("dd", {}, odoo ? time(odoo.since) : "–"),
      el("dt", {}, "last error"),
      el("dd", {}, odoo?.error ?? "none"),
      el("dt", {}, "failed passes"),
      el("dd", {}, errors.join(", ") || "none"),
    ),
  );
  return card;
}

function mirrorCard(mirror) {
  const card = el("section", { className: "card" }, el("h3", {}, "user.sync.state mirror"));
  if (!mirror.configured) {
    card.append(el("p", { className: "muted" }, "Not configured."));
    return card;
  }
  card.append(
    el(
      "dl",
      {},
      ...[
        ["waiting to be written", mirror.pending],
        ["devices known", mirror.known],
        ["written", mirror.written],
        ["failed tries", mirror.failed],
        ["dropped (full)", mirror.droppedFull],
        ["dropped (failing)", mirror.droppedFailing],
      ].flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, String(value))]),
    ),
  );
  return card;
}

function refusedRows(list) {
  return list.slice(0, 10).map((r) => [time(r.at), r.status, r.code, r.reason, r.address]);
}

function recentCard(t) {
  const resyncs = t.recentResyncs
    .slice(0, 10)
    .map((r) => [time(r.at), r.uid, r.deviceId, r.reason]);
  return el(
    "section",
    { className: "card wide" },
    el("h3", {}, "Recent resyncs"),
    table(["at", "uid", "device", "reason"], resyncs, "None since this node started."),
    el("h3", {}, "Recent refused pushes"),
    table(
      ["at", "status", "code", "reason", "from"],
      refusedRows(t.recentRefusedPushes),
      "None since this node started.",
    ),
  );
}

/** The test notice: an `admin_test` message to one device, never an event (see PROTOCOL.md). */
function noticeForm(tenant) {
  if (forms.has(tenant)) return forms.get(tenant);
  const device = el("select", { name: "device", required: true });
  const message = el("input", {
    name: "message",
    maxLength: 500,
    placeholder: "Hello from the admin page",
    value: "",
  });
  const result = el("p", { className: "muted", data: { field: "notice-result" } });
  const button = el("button", { type: "submit" }, "Send test notice");
  const form = el(
    "form",
    { className: "card wide notice" },
    el("h3", {}, "Send a test notice to one device"),
    el(
      "p",
      { className: "muted" },
      "An admin_test message to the device's live session: not an event, so it never enters the log, moves no cursor and is never replayed. The client library hands it to its admin_test listeners and answers.",
    ),
    el("div", { className: "row" }, device, message, button),
    result,
  );
  form.addEventListener("submit", (submit) => {
    submit.preventDefault();
    const [uid, deviceId] = JSON.parse(device.value || '[0,""]');
    button.disabled = true;
    result.textContent = "Sent; waiting up to 3 s for the device to answer…";
    fetch("/admin/api/test-notice", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ tenant, uid, deviceId, message: message.value }),
    })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
        result.textContent =
          body.acknowledged > 0
            ? `Delivered: ${deviceId} answered (${body.notice.id}).`
            : `No answer from ${deviceId} within 3 s (offline, or a client that does not answer admin_test).`;
      })
      .catch((error) => (result.textContent = `Not sent: ${error.message}`))
      .finally(() => (button.disabled = false));
  });
  forms.set(tenant, { form, device });
  return forms.get(tenant);
}

function updateDevices(select, listed) {
  const wanted = listed.map((d) => JSON.stringify([d.uid, d.deviceId]));
  const current = [...select.options].map((o) => o.value);
  if (JSON.stringify(wanted) === JSON.stringify(current)) return;
  const chosen = select.value;
  select.replaceChildren(
    ...listed.map((d, i) =>
      el("option", { value: wanted[i] }, `${d.deviceId} (uid ${d.uid}, ${d.appType})`),
    ),
  );
  if (wanted.includes(chosen)) select.value = chosen;
}

function render(state) {
  const came = Date.now();
  const seconds = previous ? (came - previous.came) / 1000 : 0;
  const before = new Map((previous?.state.tenants ?? []).map((t) => [t.tenant, t]));
  const sections = state.tenants.map((t) => {
    const { form, device } = noticeForm(t.tenant);
    updateDevices(device, t.devices.listed);
    return el(
      "section",
      { className: "tenant", data: { tenant: t.tenant } },
      el("h2", {}, `Tenant ${t.tenant}`),
      el(
        "div",
        { className: "grid" },
        devicesCard(t),
        eventsCard(t, before.get(t.tenant), seconds),
        pullCard(t.pull),
        mirrorCard(t.mirror),
        recentCard(t),
        form,
      ),
    );
  });
  document.getElementById("tenants").replaceChildren(...sections);
  const unknown = document.getElementById("unknown");
  unknown.hidden = state.refusedUnknownTenant.length === 0;
  document
    .getElementById("unknown-rows")
    .replaceChildren(
      table(
        ["at", "status", "code", "reason", "from"],
        refusedRows(state.refusedUnknownTenant),
        "",
      ),
    );
  document.getElementById("updated").textContent = `Last update ${time(state.now)}.`;
  previous = { state, came };
}

function problem(text) {
  const node = document.getElementById("problem");
  node.hidden = text === undefined;
  node.textContent = text ?? "";
}

async function poll() {
  try {
    const res = await fetch("/admin/api/state", { cache: "no-store" });
    // The session ended (expired, or the token changed): the page shows the login form.
    if (res.status === 401) return location.reload();
    if (!res.ok) throw new Error(`the hub answered ${res.status}`);
    render(await res.json());
    problem(undefined);
  } catch (error) {
    problem(`Cannot reach the hub: ${error.message}`);
  }
  setTimeout(() => void poll(), POLL_MS);
}

void poll();
