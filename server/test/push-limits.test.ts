/**
 * Issue 11: every bad push gets a 4xx that says what is wrong, and nothing that could not be
 * delivered is accepted: no body, nesting beyond HUB_MAX_JSON_DEPTH (checked without recursion,
 * so that 20,000 levels cannot overflow the stack), more routed users than HUB_MAX_ROUTED_USERS.
 */
import type { HttpErrorResponse } from "@odoo-live/protocol";
import { asEnvelope, asRawPush, saleOrderWrite } from "@odoo-live/protocol/fixtures";
import type { Hub } from "@odoo-live/server";
import { describe, expect, test } from "vitest";
import { push, startTestHub } from "../../test/helpers/hub.js";

/** `[[[…1…]]]`, `levels` arrays deep, as text (JSON.stringify would itself recurse). */
const nested = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;

/** The sale.order envelope (depth 3: body, data, a many2one) with `field` set to raw JSON text. */
function envelopeWith(field: string, json: string, eventId = 1): string {
  const body = asEnvelope(saleOrderWrite, eventId);
  const data = { ...body.data, [field]: "PLACEHOLDER" };
  return JSON.stringify({ ...body, data }).replace('"PLACEHOLDER"', json);
}

async function refusal(response: Response) {
  expect(response.status).toBe(400);
  return ((await response.json()) as HttpErrorResponse).error;
}

const headSeq = async (hub: Hub) => (await hub.log.head("default")).seq;

describe("push limits", () => {
  test("a POST without a body is answered 400, saying the body is missing", async () => {
    const hub = await startTestHub();
    for (const body of ["", " \n"]) {
      const error = await refusal(await push(hub, body));
      expect(error).toMatchObject({
        code: "invalid_body",
        message: expect.stringMatching(/empty/),
      });
    }
    expect(await headSeq(hub)).toBe(0);
  });

  test("nesting up to HUB_MAX_JSON_DEPTH is accepted, one level more is refused with 400", async () => {
    const hub = await startTestHub({ HUB_MAX_JSON_DEPTH: "16" });
    // body (1) → data (2) → x: 14 arrays = 16 levels.
    expect((await push(hub, envelopeWith("x", nested(14), 1))).status).toBe(200);
    const error = await refusal(await push(hub, envelopeWith("x", nested(15), 2)));
    expect(error).toMatchObject({
      code: "invalid_body",
      message: "body is nested deeper than 16 levels of objects and arrays (HUB_MAX_JSON_DEPTH)",
    });
    expect(await headSeq(hub)).toBe(1);
  });

  test("pathologically deep bodies get 400, not 5xx, in both shapes and in the routed field", async () => {
    const hub = await startTestHub();
    const raw = JSON.stringify(asRawPush(saleOrderWrite, 9)).replace(
      '"state":"sale"',
      `"state":${nested(20_000)}`,
    );
    const bodies = [
      envelopeWith("x", nested(20_000)),
      envelopeWith("user_id", nested(3_000)),
      envelopeWith("note", nested(5_000)),
      envelopeWith("x", `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`),
      raw,
    ];
    for (const body of bodies) {
      const error = await refusal(await push(hub, body));
      expect(error.message).toMatch(/nested deeper than 64 levels/);
    }
    expect(await headSeq(hub)).toBe(0);
  });

  test("an event routed to more than HUB_MAX_ROUTED_USERS users is refused with 400", async () => {
    const hub = await startTestHub({ HUB_MAX_ROUTED_USERS: "20" });
    const users = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => i + 1));
    expect((await push(hub, envelopeWith("user_id", users(20), 1))).status).toBe(200);
    const error = await refusal(await push(hub, envelopeWith("user_id", users(21), 2)));
    expect(error).toMatchObject({
      code: "invalid_body",
      message:
        "the record names 21 users in its routes (user_id); at most 20 (HUB_MAX_ROUTED_USERS)",
    });
    expect(await headSeq(hub)).toBe(1);
  });

  test("150,000 routed user ids in one push are refused at the default bound", async () => {
    const hub = await startTestHub();
    const ids = JSON.stringify(Array.from({ length: 150_000 }, (_, i) => i + 1));
    const error = await refusal(await push(hub, envelopeWith("user_id", ids)));
    expect(error.message).toMatch(/names 150000 users .* at most 100 /);
    expect(await headSeq(hub)).toBe(0);
  });
});
