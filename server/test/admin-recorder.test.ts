import { describe, expect, test } from "vitest";
import { captureLogger } from "../../test/helpers/log-capture.js";
import { AdminRecorder, RecordingNotices } from "../src/admin/recorder.js";
import { Ring } from "../src/admin/ring.js";
import { AdminSessions, SESSION_MS } from "../src/admin/session.js";

describe("the admin page's recorder", () => {
  test("a ring keeps the last items, newest first", () => {
    const ring = new Ring<number>(3);
    expect(ring.newestFirst()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.newestFirst()).toEqual([2, 1]);
    for (let i = 3; i <= 7; i++) ring.push(i);
    expect(ring.newestFirst()).toEqual([7, 6, 5]);
  });

  test("refused pushes and resyncs are recorded, also those the log rate limit leaves out", () => {
    const recorder = new AdminRecorder(() => Date.UTC(2026, 0, 1));
    const { logger, lines } = captureLogger("info");
    const rate = { perSecond: 1, burst: 2 };
    const notices = new RecordingNotices(logger, rate, () => undefined, recorder);
    for (let status = 400; status < 405; status++)
      notices.warn("acme", { tenant: "acme", status }, "push refused");
    notices.info("acme:epoch_changed", { tenant: "acme", deviceId: "d1" }, "resync sent");
    notices.warn("token_invalid", { code: "token_invalid" }, "handshake refused");
    expect(lines()).toHaveLength(4); // 2 push lines, the resync, the handshake
    expect(recorder.recent("refusedPushes").map((r) => r["status"])).toEqual([
      404, 403, 402, 401, 400,
    ]);
    expect(recorder.recent("resyncs")).toEqual([
      { tenant: "acme", deviceId: "d1", at: "2026-01-01T00:00:00.000Z" },
    ]);
  });

  test("however many are refused, it keeps the last 100 of each kind", () => {
    const recorder = new AdminRecorder();
    for (let i = 0; i < 1000; i++) recorder.observe("push refused", { tenant: `t${i}` });
    const kept = recorder.recent("refusedPushes");
    expect(kept).toHaveLength(100);
    expect(kept[0]?.tenant).toBe("t999");
  });
});

describe("admin sessions", () => {
  test("a cookie holds until it expires, only for the token that issued it", () => {
    let now = 1_000_000;
    const sessions = new AdminSessions("an-admin-token-0123456789", () => now);
    const cookie = sessions.issue();
    expect(cookie).not.toContain("an-admin-token");
    expect(sessions.valid(cookie)).toBe(true);
    expect(new AdminSessions("another-admin-token-012345", () => now).valid(cookie)).toBe(false);
    expect(sessions.valid(undefined)).toBe(false);
    expect(sessions.valid(`${cookie}x`)).toBe(false);
    now += SESSION_MS;
    expect(sessions.valid(cookie)).toBe(false);
  });

  test("the token itself matches only exactly", () => {
    const sessions = new AdminSessions("an-admin-token-0123456789");
    expect(sessions.matches("an-admin-token-0123456789")).toBe(true);
    expect(sessions.matches("an-admin-token-012345678")).toBe(false);
    expect(sessions.matches("")).toBe(false);
  });
});
