import { describe, expect, test } from "vitest";
import { ChangeGenerator } from "../src/generator.js";

describe("the CLI's change generator", () => {
  test("creates a record first, then writes it with the written fields listed", () => {
    // A constant 0.3: no create once a record exists, no unlink, a state change to SALE_STATES[1].
    const generator = new ChangeGenerator({
      models: ["sale.order"],
      users: [{ id: 7, name: "Joel Willis" }],
      lateCommitRatio: 0,
      random: () => 0.3,
    });
    const at = new Date(Date.UTC(2025, 10, 29, 10, 15, 2));
    const create = generator.next(at);
    expect(create).toMatchObject({ model: "sale.order", recordId: 1, op: "create", userId: 7 });
    expect(create.payload).toMatchObject({
      id: 1,
      name: "S00001",
      state: "draft",
      user_id: { id: 7, name: "Joel Willis" },
      date_order: "2025-11-29T10:15:02",
      _metadata: { rule_id: 1, rule_name: "Sale Orders - Create" },
    });
    const write = generator.next(new Date(at.getTime() + 5000));
    expect(write).toMatchObject({ recordId: 1, op: "write" });
    expect(write.payload).toMatchObject({
      state: "sent",
      write_date: "2025-11-29T10:15:07",
      create_date: "2025-11-29T10:15:02",
      _changed_fields: ["state"],
    });
  });

  test("a share of the changes commit late, by 0.5 to 5 s", () => {
    const generator = new ChangeGenerator({
      models: ["res.partner"],
      users: [{ id: 2, name: "Mitchell Admin" }],
      lateCommitRatio: 1,
    });
    for (let i = 0; i < 20; i++) {
      const { commitDelayMs } = generator.next(new Date());
      expect(commitDelayMs).toBeGreaterThanOrEqual(500);
      expect(commitDelayMs).toBeLessThanOrEqual(5000);
    }
  });
});
