import type { Selector } from "./selector.js";

/**
 * Socket.IO rooms. A user's sockets join one user room per model their token allows (or the
 * `*` room), so that an event routed to a user reaches only sockets allowed to see its model;
 * a device subscribed to a model joins that model's room. Devices under record rules (a rule
 * set, `rules.ts`) join the rooms of their rule set instead: the dispatcher evaluates each rule
 * set once per event and emits to the rooms of those that pass.
 */
export function userRoom(tenant: string, uid: number, model: string, rules = ""): string {
  return `u:${tenant}:${uid}:${model}${suffix(rules)}`;
}

export function modelRoom(tenant: string, model: string, rules = ""): string {
  return `m:${tenant}:${model}${suffix(rules)}`;
}

/** Every socket of a tenant on a node, to act on them all at once. */
export function tenantRoom(tenant: string): string {
  return `t:${tenant}`;
}

/** The sessions of one device, on every node: a newer one replaces the older (see replace.ts). */
export function deviceRoom(tenant: string, uid: number, deviceId: string): string {
  return `d:${tenant}:${uid}:${deviceId}`;
}

export function isDeviceRoom(room: string): boolean {
  return room.startsWith("d:");
}

export function roomsOfDevice(tenant: string, selector: Selector, rules = ""): string[] {
  const allowed = selector.allowed === "*" ? ["*"] : [...selector.allowed];
  return [
    tenantRoom(tenant),
    ...allowed.map((m) => userRoom(tenant, selector.uid, m, rules)),
    ...[...selector.models].map((m) => modelRoom(tenant, m, rules)),
  ];
}

/** The rooms an event goes to, for the rule sets it passes ("" for devices without rules). */
export function roomsOfEvent(
  tenant: string,
  model: string,
  uids: readonly number[],
  passing: readonly string[] = [""],
): string[] {
  return passing.flatMap((rules) => [
    modelRoom(tenant, model, rules),
    ...uids.flatMap((uid) => [
      userRoom(tenant, uid, "*", rules),
      userRoom(tenant, uid, model, rules),
    ]),
  ]);
}

function suffix(rules: string): string {
  return rules === "" ? "" : `:r${rules}`;
}
