import { describe, expect, test } from "vitest";
import { PushSettings } from "../src/config/tenants.js";
import { checkPushAuth, secretEquals } from "../src/ingest/push-auth.js";

const TOKEN = "the-push-token-0123456789";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

function headers(h: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  return (name: string) => lower[name.toLowerCase()];
}

describe("secretEquals", () => {
  test("equal strings only", () => {
    expect(secretEquals(TOKEN, TOKEN)).toBe(true);
    expect(secretEquals(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(secretEquals(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(secretEquals(TOKEN, TOKEN.toUpperCase())).toBe(false);
    expect(secretEquals("", "")).toBe(true);
    expect(secretEquals("", "a")).toBe(false);
    expect(secretEquals("é", "e\u0301")).toBe(false);
  });
});

describe("checkPushAuth", () => {
  const withToken = PushSettings.parse({ token: TOKEN });
  const customHeader = PushSettings.parse({ token: TOKEN, header: "X-Odoo-Secret" });
  const open = PushSettings.parse({ allowUnauthenticated: true });
  const openWithToken = PushSettings.parse({ token: TOKEN, allowUnauthenticated: true });

  type Expect = "ok" | "missing" | "rejected";
  const matrix: [string, Record<string, string>, PushSettings, Expect][] = [
    ["Bearer token", { Authorization: `Bearer ${TOKEN}` }, withToken, "ok"],
    ["bearer (lower-case scheme)", { Authorization: `bearer ${TOKEN}` }, withToken, "ok"],
    ["Bearer with surrounding spaces", { Authorization: `  Bearer   ${TOKEN}  ` }, withToken, "ok"],
    ["Bearer wrong", { Authorization: "Bearer nope-nope-nope-nope" }, withToken, "rejected"],
    ["Bearer False", { Authorization: "Bearer False" }, withToken, "missing"],
    ["Bearer (empty)", { Authorization: "Bearer" }, withToken, "missing"],
    ["Basic raw token", { Authorization: `Basic ${TOKEN}` }, withToken, "ok"],
    [
      "Basic base64(user:token)",
      { Authorization: `Basic ${b64(`odoo:${TOKEN}`)}` },
      withToken,
      "ok",
    ],
    ["Basic base64(:token)", { Authorization: `Basic ${b64(`:${TOKEN}`)}` }, withToken, "ok"],
    [
      "Basic base64(user:wrong)",
      { Authorization: `Basic ${b64("odoo:wrong")}` },
      withToken,
      "rejected",
    ],
    ["X-API-Key", { "X-API-Key": TOKEN }, withToken, "ok"],
    ["X-API-Key wrong", { "X-API-Key": "wrong" }, withToken, "rejected"],
    ["X-API-Key False", { "X-API-Key": "False" }, withToken, "missing"],
    [
      "Bearer False + X-API-Key",
      { Authorization: "Bearer False", "X-API-Key": TOKEN },
      withToken,
      "ok",
    ],
    [
      "wrong Bearer + right X-API-Key",
      { Authorization: "Bearer wrong", "X-API-Key": TOKEN },
      withToken,
      "ok",
    ],
    ["custom header", { "X-Odoo-Secret": TOKEN }, customHeader, "ok"],
    ["X-API-Key with a custom header configured", { "X-API-Key": TOKEN }, customHeader, "missing"],
    ["other scheme", { Authorization: `Token ${TOKEN}` }, withToken, "missing"],
    ["nothing", {}, withToken, "missing"],
    ["open: nothing", {}, open, "ok"],
    ["open: Bearer False", { Authorization: "Bearer False" }, open, "ok"],
    ["open: any token", { Authorization: "Bearer whatever" }, open, "ok"],
    ["open with token: Bearer False", { Authorization: "Bearer False" }, openWithToken, "ok"],
    ["open with token: right token", { Authorization: `Bearer ${TOKEN}` }, openWithToken, "ok"],
    ["open with token: wrong token", { Authorization: "Bearer wrong" }, openWithToken, "rejected"],
  ];

  test.each(matrix)("%s", (_name, h, settings, expected) => {
    const result = checkPushAuth(headers(h), settings);
    if (expected === "ok") {
      expect(result).toEqual({ ok: true });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(expected === "missing" ? /missing/ : /rejected/);
    expect(result.message).not.toContain(TOKEN);
  });

  test("the missing-credentials message names the configured header", () => {
    const result = checkPushAuth(headers({}), customHeader);
    expect(result).toEqual({ ok: false, message: expect.stringContaining("x-odoo-secret") });
  });
});
