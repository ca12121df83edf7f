import { digest, normalizeEnvelope, normalizeRawPush, portableHash } from "@odoo-live/protocol";
import { asEnvelope, asRawPush, saleOrderWrite } from "@odoo-live/protocol/fixtures";
import { expect, test } from "vitest";
import { dedupeKeys } from "../src/ingest/ingest.js";
import { nativeHash } from "../src/ingest/native-hash.js";

test("node's SHA-256 gives the portable hash's digests, so event ids do not depend on the runtime", () => {
  for (const text of ["", "a", "é😀", "x".repeat(100_000)]) {
    expect(nativeHash(text)).toBe(portableHash(text));
  }
  const envelope = asEnvelope(saleOrderWrite, 77);
  expect(normalizeEnvelope("default", envelope, nativeHash).id).toBe(
    normalizeEnvelope("default", envelope).id,
  );
  const raw = asRawPush(saleOrderWrite, 78);
  expect(normalizeRawPush("default", raw, nativeHash).id).toBe(normalizeRawPush("default", raw).id);
});

test("the content key reuses the record's canonical form and equals one computed afresh", () => {
  const draft = normalizeRawPush("default", asRawPush(saleOrderWrite, 79), nativeHash);
  // A deep copy has no remembered form: its key is computed from scratch.
  const copy = { ...draft, record: structuredClone(draft.record) };
  expect(dedupeKeys(draft)).toEqual(dedupeKeys(copy));
  const content = digest([draft.model, draft.recordId, draft.op, copy.record, draft.changedFields]);
  expect(dedupeKeys(draft).content?.key).toBe(`c:${content}`);
});
