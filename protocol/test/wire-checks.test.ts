import { isWireMessage, type WireMessages } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { assertSupported } from "../src/json-schema-subset.js";
import { wireSchemas } from "../src/wire-schemas.js";
import { deriveWireSchemas, wireSources as schemas } from "../src/wire-schemas-derive.js";

const samples: { [K in keyof WireMessages]: WireMessages[K][] } = {
  Ready: [
    {
      tenant: "default",
      uid: 2,
      deviceId: "laptop-1",
      cursor: "e1.7",
      recovered: true,
      replayed: 3,
      source: "hub",
      models: ["sale.order", "x_custom.thing"],
    },
  ],
  Resync: [{ reason: "epoch_changed", cursor: "e2.0" }],
  Replaced: [{ code: "session_replaced", message: "replaced by a newer connection" }],
  ConnectErrorData: [{ code: "token_expired" }],
  SubscribeReply: [
    { ok: true, models: ["sale.order", "res.partner"] },
    {
      ok: false,
      error: {
        code: "model_forbidden",
        message: "no",
        issues: [{ path: "models.0", message: "x" }],
      },
    },
  ],
  AckReply: [
    { ok: true, cursor: "e1.9" },
    { ok: false, error: { code: "invalid_cursor", message: "cursor is ahead of the log" } },
  ],
  TokenExpiring: [
    { code: "token_expiring", expiresAt: "2026-11-30T01:00:00.000Z", message: "refresh it" },
  ],
  Expired: [{ code: "token_expired", message: "the token expired" }],
  RefreshReply: [
    { ok: true, models: ["sale.order"], expiresAt: "2026-11-30T01:15:00Z" },
    { ok: false, error: { code: "token_invalid", message: "another user" } },
  ],
  TokenPair: [
    {
      accessToken: "eyJ.x.y",
      refreshToken: "default.7.abc",
      expiresIn: 900,
      refreshExpiresIn: 604800,
      uid: 7,
      models: ["sale.order"],
      companies: [1, 2],
    },
  ],
  HttpErrorResponse: [
    { error: { code: "refresh_invalid", message: "sign in again" } },
    { error: { code: "invalid_body", message: "x", issues: [{ path: "login", message: "m" }] } },
  ],
  AdminTest: [
    { code: "admin_test", id: "t-1", message: "hello", sentAt: "2026-11-30T01:00:00.000Z" },
  ],
};

/** Values that probe every keyword: types, lengths, patterns, bounds, enums, constants. */
const probes: unknown[] = [
  ...[null, undefined, true, false, 0, -1, 1.5, 2 ** 53, Number.NaN],
  ...["", "x", "sale.order", "Sale.Order", "a".repeat(129), "hub", "session_replaced"],
  ...["2026-11-30T01:00:00Z", "2026-11-30 01:00:00", "2026-13-30T01:00:00Z", "token_expired"],
  ...[[], {}, ["sale.order"], ["BAD"], [1], [{ path: "p", message: "m" }], [{ path: 1 }]],
];

/** Each sample with one value anywhere in it replaced by a probe, or removed. */
function* mutations(value: unknown): Generator<unknown> {
  yield* probes;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    for (const [index, item] of items.entries()) {
      yield items.filter((_, i) => i !== index);
      for (const mutated of mutations(item)) yield items.map((v, i) => (i === index ? mutated : v));
    }
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(record)) {
      const { [key]: _removed, ...rest } = record;
      yield rest;
      for (const mutated of mutations(inner)) yield { ...record, [key]: mutated };
    }
    yield { ...record, extra: "a key the schema does not know" };
  }
}

describe("the client's wire checks are the zod schemas, derived", () => {
  test("wire-schemas.ts is what the zod schemas give today (else: npm run generate)", () => {
    expect(wireSchemas).toEqual(deriveWireSchemas());
  });

  for (const name of Object.keys(samples) as (keyof WireMessages)[]) {
    test(`${name}: the check agrees with zod's safeParse on every mutation of the samples`, () => {
      const verdicts = { accepted: 0, rejected: 0 };
      for (const sample of samples[name]) {
        for (const value of [sample, ...mutations(sample)]) {
          const expected = schemas[name].safeParse(value).success;
          expect({ value, verdict: isWireMessage(name, value) }).toEqual({
            value,
            verdict: expected,
          });
          verdicts[expected ? "accepted" : "rejected"] += 1;
        }
      }
      // Both outcomes occur, so agreement is not trivially "always true" or "always false".
      expect(verdicts.accepted).toBeGreaterThan(1);
      expect(verdicts.rejected).toBeGreaterThan(10);
    });
  }

  test("a keyword the interpreter does not implement stops the derivation", () => {
    expect(() => assertSupported({ type: "string", uniqueItems: true }, "Unique")).toThrow(
      "Unique: unsupported JSON Schema keyword uniqueItems",
    );
    // A format is only an annotation: without the pattern that checks it, it would go unchecked.
    expect(() => assertSupported({ type: "string", format: "email" }, "Email")).toThrow(
      "Email: format email without a pattern",
    );
    const nested = { type: "object", properties: { at: { type: "string", format: "date-time" } } };
    expect(() => assertSupported(nested, "Event")).toThrow("Event/properties/at");
  });
});
