import { describe, expect, test } from "vitest";
import { captureLogger } from "../../test/helpers/log-capture.js";
import { ThrottledLog } from "../src/ops/throttled-log.js";

function setup() {
  let now = 1_000_000;
  const { logger, lines } = captureLogger("info");
  const suppressed: string[] = [];
  const log = new ThrottledLog(
    logger,
    { perSecond: 1, burst: 3 },
    (line) => suppressed.push(line),
    () => now,
  );
  return { log, lines, suppressed, advance: (ms: number) => (now += ms) };
}

describe("ThrottledLog", () => {
  test("a burst per key, then lines are counted, and the next line says how many", () => {
    const { log, lines, suppressed, advance } = setup();
    for (let i = 0; i < 10; i++) log.warn("acme:401", { i }, "push refused");
    expect(lines().map((l) => l["i"])).toEqual([0, 1, 2]);
    expect(suppressed).toEqual(Array(7).fill("push refused"));
    advance(999);
    log.warn("acme:401", { i: 10 }, "push refused");
    expect(lines()).toHaveLength(3);
    advance(1);
    log.warn("acme:401", { i: 11 }, "push refused");
    expect(lines().at(-1)).toMatchObject({ i: 11, suppressed: 8, level: 40 });
    advance(1000);
    log.warn("acme:401", { i: 12 }, "push refused");
    expect(lines().at(-1)).not.toHaveProperty("suppressed");
  });

  test("keys and messages have buckets of their own", () => {
    const { log, lines } = setup();
    for (let i = 0; i < 5; i++) {
      log.warn("acme:401", {}, "push refused");
      log.warn("beta:401", {}, "push refused");
      log.info("acme:401", {}, "resync sent");
      log.error("acme", {}, "request failed");
    }
    const count = (msg: string, level: number) =>
      lines().filter((l) => l.msg === msg && l.level === level).length;
    expect(count("push refused", 40)).toBe(6);
    expect(count("resync sent", 30)).toBe(3);
    expect(count("request failed", 50)).toBe(3);
  });
});
