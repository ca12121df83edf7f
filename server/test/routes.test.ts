import type { OdooPayload } from "@odoo-live/protocol";
import { saleOrderCreate, partnerWrite } from "@odoo-live/protocol/fixtures";
import { describe, expect, test } from "vitest";
import type { Route } from "../src/config/tenants.js";
import { roomsOfDevice, roomsOfEvent } from "../src/routing/rooms.js";
import { routedUsers, TooManyUsers } from "../src/routing/routes.js";
import { permitted, selects, type Selector } from "../src/routing/selector.js";

const byUser: Route[] = [{ field: "user_id" }];

describe("routedUsers", () => {
  test("a many2one {id, name} names its user", () => {
    expect(routedUsers(byUser, "sale.order", saleOrderCreate.payload)).toEqual([2]);
    expect(routedUsers(byUser, "res.partner", partnerWrite.payload)).toEqual([6]);
  });

  test("Odoo's empty values name nobody: false, {id: false}, null, absent", () => {
    for (const user_id of [false, { id: false, name: "" }, null, [], 0, -1, "2", 2.5]) {
      expect(routedUsers(byUser, "sale.order", { id: 1, user_id })).toEqual([]);
    }
    expect(routedUsers(byUser, "sale.order", { id: 1 })).toEqual([]);
  });

  test("a bare integer id names its user", () => {
    expect(routedUsers(byUser, "sale.order", { user_id: 9 })).toEqual([9]);
  });

  test("an x2many list names every user once", () => {
    const routes: Route[] = [{ field: "user_ids" }];
    const record: OdooPayload = {
      user_ids: [
        { id: 3, name: "A" },
        { id: 4, name: "B" },
        { id: 3, name: "A again" },
        { id: false, name: "" },
      ],
    };
    expect(routedUsers(routes, "project.task", record).sort()).toEqual([3, 4]);
  });

  test("several routes are merged without repeats", () => {
    const routes: Route[] = [{ field: "user_id" }, { field: "message_follower_ids" }];
    const record: OdooPayload = {
      user_id: { id: 2, name: "Mitchell Admin" },
      message_follower_ids: [
        { id: 2, name: "Mitchell Admin" },
        { id: 8, name: "Other" },
      ],
    };
    expect(routedUsers(routes, "sale.order", record).sort()).toEqual([2, 8]);
  });

  test("a nested path follows many2one objects", () => {
    const routes: Route[] = [{ field: "team_id.user_id" }];
    const record: OdooPayload = {
      team_id: { id: 1, name: "Sales", user_id: { id: 11, name: "Lead" } },
    };
    expect(routedUsers(routes, "crm.lead", record)).toEqual([11]);
    expect(routedUsers(routes, "crm.lead", { team_id: false })).toEqual([]);
    expect(routedUsers(routes, "crm.lead", { team_id: [{ id: 1, name: "x" }] })).toEqual([]);
  });

  test("a model-limited route applies only to its models", () => {
    const routes: Route[] = [{ field: "user_id", models: ["crm.lead"] }];
    const record: OdooPayload = { user_id: { id: 5, name: "X" } };
    expect(routedUsers(routes, "crm.lead", record)).toEqual([5]);
    expect(routedUsers(routes, "sale.order", record)).toEqual([]);
  });

  test("more users than the bound throws, naming the count, the fields and the bound", () => {
    const routes: Route[] = [{ field: "user_ids" }, { field: "user_id" }];
    const record: OdooPayload = { user_ids: [1, 2, { id: 3, name: "C" }], user_id: 4 };
    expect(routedUsers(routes, "project.task", record, 4).sort()).toEqual([1, 2, 3, 4]);
    expect(() => routedUsers(routes, "project.task", record, 3)).toThrow(
      new TooManyUsers(
        "the record names 4 users in its routes (user_ids, user_id); at most 3 (HUB_MAX_ROUTED_USERS)",
      ),
    );
  });

  test("only Odoo ids name users: own fields, one list level, integers up to 2^31 - 1", () => {
    const record = JSON.parse(
      '{"__proto__": {"user_id": 5}, "user_ids": [[6], 2147483647, 2147483648, {"id": 1e20}]}',
    ) as OdooPayload;
    expect(routedUsers(byUser, "sale.order", record)).toEqual([]);
    expect(routedUsers([{ field: "user_ids" }], "sale.order", record)).toEqual([2147483647]);
    expect(routedUsers([{ field: "constructor" }], "sale.order", { id: 1 })).toEqual([]);
  });

  test("no routes, no users", () => {
    expect(routedUsers([], "sale.order", saleOrderCreate.payload)).toEqual([]);
  });
});

describe("selectors and rooms", () => {
  const selector: Selector = {
    uid: 2,
    models: new Set(["res.partner"]),
    allowed: new Set(["res.partner", "sale.order"]),
  };

  test("a subscribed model is selected whoever it is routed to", () => {
    expect(selects(selector, "res.partner", [])).toBe(true);
    expect(selects(selector, "res.partner", [9])).toBe(true);
  });

  test("a routed event is selected only when the token allows its model", () => {
    expect(selects(selector, "sale.order", [2])).toBe(true);
    expect(selects(selector, "crm.lead", [2])).toBe(false);
    expect(selects(selector, "sale.order", [3])).toBe(false);
    expect(selects({ ...selector, allowed: "*" }, "crm.lead", [2])).toBe(true);
  });

  test("permitted keeps only the models the token allows", () => {
    expect([...permitted(["a", "b", "c"], new Set(["b", "c", "d"]))]).toEqual(["b", "c"]);
    expect([...permitted(["a"], "*")]).toEqual(["a"]);
  });

  test("an event's rooms meet a device's rooms exactly when the selector selects it", () => {
    const device = new Set(roomsOfDevice("t", selector));
    const cases: [string, number[]][] = [
      ["res.partner", []],
      ["sale.order", [2]],
      ["crm.lead", [2]],
      ["sale.order", [3]],
    ];
    for (const [model, uids] of cases) {
      const meets = roomsOfEvent("t", model, uids).some((r) => device.has(r));
      expect(meets, `${model} ${JSON.stringify(uids)}`).toBe(selects(selector, model, uids));
    }
    const otherTenant = roomsOfEvent("u", "res.partner", [2]);
    expect(otherTenant.some((r) => device.has(r))).toBe(false);
  });
});
