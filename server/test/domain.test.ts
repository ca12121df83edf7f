import { Domain } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { compileDomain, DomainError } from "../src/routing/domain.js";

const order = {
  id: 7,
  name: "S00007",
  state: "sale",
  amount_total: 1250.5,
  user_id: { id: 2, name: "Mitchell Admin" },
  team_id: false,
  tag_ids: [
    { id: 4, name: "VIP" },
    { id: 9, name: "Export" },
  ],
  note: false,
};

const holds = (domain: unknown) => compileDomain(z.parse(Domain, domain))(order);

describe("compileDomain", () => {
  test.each([
    [[["state", "=", "sale"]], true],
    [[["state", "!=", "sale"]], false],
    [[["user_id", "=", 2]], true],
    [[["user_id", "in", [3, 4]]], false],
    [[["user_id", "not in", [3, 4]]], true],
    [[["team_id", "=", false]], true],
    [[["team_id", "=", null]], true],
    [[["missing_field", "=", false]], true],
    [[["tag_ids", "=", 9]], true],
    [[["tag_ids", "in", [1, 2]]], false],
    [[["tag_ids", "not in", [1, 2]]], true],
    [[["amount_total", ">", 1000]], true],
    [[["amount_total", "<=", 1000]], false],
    [[["name", ">=", "S00007"]], true],
    [[["name", "like", "0007"]], true],
    [[["name", "like", "s0"]], false],
    [[["name", "ilike", "s0"]], true],
    [[["name", "=like", "S%7"]], true],
    [[["name", "=like", "S_7"]], false],
    [[["name", "=like", "S.*"]], false],
    [[["amount_total", ">", "1000"]], false],
  ])("%j → %s", (domain, expected) => {
    expect(holds(domain)).toBe(expected);
  });

  test("prefix operators, and top-level terms and-ed", () => {
    expect(holds(["|", ["state", "=", "draft"], ["user_id", "=", 2]])).toBe(true);
    expect(holds(["&", ["state", "=", "draft"], ["user_id", "=", 2]])).toBe(false);
    expect(holds(["!", ["state", "=", "draft"]])).toBe(true);
    expect(
      holds([
        ["state", "=", "sale"],
        ["user_id", "=", 3],
      ]),
    ).toBe(false);
    expect(
      holds(["|", "!", ["state", "=", "sale"], "&", ["user_id", "=", 2], ["team_id", "=", false]]),
    ).toBe(true);
    expect(holds([])).toBe(true);
  });

  test("the protocol refuses malformed domains, naming what is wrong", () => {
    const issues = (domain: unknown) => z.safeParse(Domain, domain).error?.issues ?? [];
    expect(issues(["&", ["state", "=", "sale"]])[0]?.message).toMatch(/need two terms/);
    expect(issues(["!"])[0]?.message).toMatch(/one/);
    expect(issues([["state", "contains", "s"]])).not.toEqual([]);
    expect(issues([["partner_id.name", "=", "x"]])[0]?.message).toMatch(/field name/);
    expect(issues("state = sale")).not.toEqual([]);
  });

  test("values an operator cannot take are refused when compiled", () => {
    const compile = (domain: unknown) => () => compileDomain(z.parse(Domain, domain));
    expect(compile([["user_id", "in", 2]])).toThrow(DomainError);
    expect(compile([["user_id", "in", 2]])).toThrow(/must be a list/);
    expect(compile([["amount_total", "<", { x: 1 }]])).toThrow(/number or a string/);
    expect(compile([["name", "ilike", 3]])).toThrow(/must be a string/);
  });
});
