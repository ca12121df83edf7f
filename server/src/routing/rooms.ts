import type { Selector } from "./selector.js";

/**
 * Socket.IO rooms. A user's sockets join one user room per model their token allows (or the
 * `*` room), so that an event routed to a user reaches only sockets allowed to see its model;
 * a device subscribed to a model joins that model's room.
 */
export function userRoom(tenant: string, uid: number, model: string): string {
  return `u:${tenant}:${uid}:${model}`;
}

export function modelRoom(tenant: string, model: string): string {
  return `m:${tenant}:${model}`;
}

/** Every socket of a tenant on a node, to act on them all at once. */
export function tenantRoom(tenant: string): string {
  return `t:${tenant}`;
}

/** The sessions of one device, on every node: a newer one replaces the older (see replace.ts). */
export function deviceRoom(tenant: string, uid: number, deviceId: string): string {
  return `d:${tenant}:${uid}:${deviceId}`;
}

export function roomsOfDevice(tenant: string, selector: Selector): string[] {
  const allowed = selector.allowed === "*" ? ["*"] : [...selector.allowed];
  return [
    tenantRoom(tenant),
    ...allowed.map((m) => userRoom(tenant, selector.uid, m)),
    ...[...selector.models].map((m) => modelRoom(tenant, m)),
  ];
}

export function roomsOfEvent(tenant: string, model: string, uids: readonly number[]): string[] {
  return [
    modelRoom(tenant, model),
    ...uids.flatMap((uid) => [userRoom(tenant, uid, "*"), userRoom(tenant, uid, model)]),
  ];
}
