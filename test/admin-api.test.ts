/**
 * The admin page's HTTP side (/admin with HUB_ADMIN_TOKEN), over real HTTP and sockets: off
 * without the token, the token required (bearer or the login cookie), failed logins limited,
 * the state it shows, and test notices that never become events.
 */
import type { Hub } from "@odoo-live/server";
import { describe, expect, test } from "vitest";
import { nameRange, pushNamed } from "./helpers/changes.js";
import { connectReady, mintToken, push, startTestHub } from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";

const ADMIN = "an-admin-token-0123456789";

function api(hub: Hub, path: string, init: RequestInit = {}, token: string | null = ADMIN) {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  return fetch(`${hub.url}/admin${path}`, { ...init, headers, redirect: "manual" });
}

function login(hub: Hub, token: string): Promise<Response> {
  const body = new URLSearchParams({ token });
  return fetch(`${hub.url}/admin/login`, { method: "POST", body, redirect: "manual" });
}

function sendNotice(hub: Hub, body: unknown): Promise<Response> {
  const headers = { "Content-Type": "application/json" };
  return api(hub, "/api/test-notice", { method: "POST", headers, body: JSON.stringify(body) });
}

async function state(hub: Hub) {
  const res = await api(hub, "/api/state");
  expect(res.status).toBe(200);
  return (await res.json()) as {
    tenants: {
      tenant: string;
      devices: { byAppType: Record<string, number>; listed: { deviceId: string }[] };
      events: { ingested: Record<string, number>; emitted: number };
      pull: { configured: boolean };
      recentResyncs: { deviceId: string; reason: string }[];
      recentRefusedPushes: { status: number; code: string }[];
    }[];
    refusedUnknownTenant: { tenant: string; status: number }[];
  };
}

describe("the admin page's HTTP side", () => {
  test("without HUB_ADMIN_TOKEN there is no /admin at all", async () => {
    const hub = await startTestHub();
    expect((await api(hub, "")).status).toBe(404);
    expect((await api(hub, "/api/state")).status).toBe(404);
    expect((await login(hub, ADMIN)).status).toBe(404);
  });

  test("the token is required: as a bearer header, or the login form's HttpOnly, SameSite=Strict cookie", async () => {
    const hub = await startTestHub({ HUB_ADMIN_TOKEN: ADMIN });
    const anonymous = await api(hub, "/api/state", {}, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: expect.objectContaining({ code: "unauthorized" }),
    });
    expect((await api(hub, "/api/state", {}, "not-the-admin-token")).status).toBe(401);
    expect((await api(hub, "/api/state")).status).toBe(200);
    // Without credentials the page is the login form, and neither holds the token.
    const page = await (await api(hub, "", {}, null)).text();
    expect(page).toContain('action="/admin/login"');
    expect(page).not.toContain(ADMIN);

    expect((await login(hub, "a-wrong-admin-token-000")).status).toBe(401);
    const loggedIn = await login(hub, ADMIN);
    expect(loggedIn.status).toBe(303);
    expect(loggedIn.headers.get("location")).toBe("/admin");
    const cookie = loggedIn.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^odoo_live_admin=\d+\.[\w-]{43}; /);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toContain(ADMIN);
    const session = cookie.split(";")[0]!;
    const withCookie = (value: string) =>
      api(hub, "/api/state", { headers: { Cookie: value } }, null);
    expect((await withCookie(session)).status).toBe(200);
    const html = await (await api(hub, "", { headers: { Cookie: session } }, null)).text();
    expect(html).toContain('src="/admin/admin.js"');
    expect(html).not.toContain(ADMIN);
    // A cookie whose expiry was moved, or whose signature was changed, is worth nothing.
    const [expires, signature] = session.slice("odoo_live_admin=".length).split(".");
    expect((await withCookie(`odoo_live_admin=${Number(expires) + 1}.${signature}`)).status).toBe(
      401,
    );
    expect((await withCookie(`odoo_live_admin=${expires}.${"A".repeat(43)}`)).status).toBe(401);
    // The page allows only its own script: no inline script could run.
    const headers = (await api(hub, "")).headers;
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(headers.get("cache-control")).toBe("no-store");
  });

  test("failed logins are limited per address: past 10 a minute, 429 before any check", async () => {
    const hub = await startTestHub({ HUB_ADMIN_TOKEN: ADMIN });
    for (let i = 0; i < 10; i++)
      expect((await login(hub, `wrong-token-${i}-0000000`)).status).toBe(401);
    expect((await login(hub, ADMIN)).status).toBe(429);
    expect((await api(hub, "/api/state")).status).toBe(429);
  });

  test("the state: devices by app type, event totals, recent resyncs and refused pushes", async () => {
    const hub = await startTestHub({ HUB_ADMIN_TOKEN: ADMIN });
    const device = await connectReady(hub, {
      token: mintToken({ uid: 2 }),
      deviceId: "tablet-admin",
      appType: "sales_app",
      models: ["sale.order"],
    });
    expect(await pushNamed(hub, nameRange(0, 3))).toEqual([200, 200, 200]);
    await waitFor(() => device.events.length === 3, { what: "three events" });
    // Refused pushes, one of them to a tenant that does not exist.
    expect(
      (await push(hub, {}, { headers: { Authorization: "Bearer wrong-push-token-00" } })).status,
    ).toBe(401);
    expect((await push(hub, { event_id: 1 }, { tenant: "nosuch" })).status).toBe(404);
    // A device whose cursor is of another epoch (no Odoo to catch it up from) gets resync.
    await connectReady(hub, {
      token: mintToken({ uid: 3 }),
      deviceId: "phone-old",
      cursor: "0123456789abcdef-5",
    });

    const [tenant] = (await state(hub)).tenants;
    expect(tenant).toMatchObject({
      tenant: "default",
      devices: { byAppType: { sales_app: 1, mobile_app: 1 } },
      events: { ingested: { "push/appended": 3 }, emitted: 3 },
      pull: { configured: false },
      recentResyncs: [expect.objectContaining({ deviceId: "phone-old", reason: "epoch_changed" })],
      recentRefusedPushes: [expect.objectContaining({ status: 401, code: "unauthorized" })],
    });
    expect(tenant!.devices.listed.map((d) => d.deviceId).sort()).toEqual([
      "phone-old",
      "tablet-admin",
    ]);
    expect((await state(hub)).refusedUnknownTenant).toEqual([
      expect.objectContaining({ tenant: "nosuch", status: 404 }),
    ]);
  });

  test("a test notice reaches one device as admin_test, and never becomes an event", async () => {
    const hub = await startTestHub({ HUB_ADMIN_TOKEN: ADMIN });
    const auth = { token: mintToken({ uid: 2 }), models: ["sale.order"] };
    const target = await connectReady(hub, { ...auth, deviceId: "tablet-target" });
    const other = await connectReady(hub, { ...auth, deviceId: "tablet-other" });
    target.socket.on("admin_test", (_notice: unknown, ack: (reply: object) => void) =>
      ack({ ok: true }),
    );
    const res = await sendNotice(hub, {
      tenant: "default",
      uid: 2,
      deviceId: "tablet-target",
      message: "hello",
    });
    expect(res.status).toBe(200);
    const sent = (await res.json()) as { notice: { id: string }; acknowledged: number };
    expect(sent).toMatchObject({
      ok: true,
      acknowledged: 1,
      notice: { code: "admin_test", message: "hello" },
    });
    expect(target.log).toEqual([
      ["ready", expect.anything()],
      [
        "admin_test",
        { code: "admin_test", id: sent.notice.id, message: "hello", sentAt: expect.any(String) },
      ],
    ]);
    expect(other.log.map(([name]) => name)).toEqual(["ready"]);
    // Not in the log: the next event is the tenant's first, and nothing was counted as ingested.
    await pushNamed(hub, ["S1"]);
    await waitFor(() => target.events.length === 1, { what: "the first event" });
    expect(target.events[0]!.seq).toBe(1);
    expect((await state(hub)).tenants[0]!.events.ingested).toEqual({ "push/appended": 1 });

    // Nobody there: answered at once, with no acknowledgement.
    const offline = await sendNotice(hub, {
      tenant: "default",
      uid: 2,
      deviceId: "gone-device",
      message: "",
    });
    expect(await offline.json()).toMatchObject({ ok: true, acknowledged: 0 });
    expect((await sendNotice(hub, { tenant: "default", uid: 2 })).status).toBe(400);
    expect(
      (await sendNotice(hub, { tenant: "nosuch", uid: 2, deviceId: "tablet-target" })).status,
    ).toBe(404);
    const tooLong = {
      tenant: "default",
      uid: 2,
      deviceId: "tablet-target",
      message: "x".repeat(5000),
    };
    expect((await sendNotice(hub, tooLong)).status).toBe(413);
  });
});
