/** What one device receives: the models it subscribed to, and events routed to its user. */
export interface Selector {
  uid: number;
  /** Subscribed models that the token allows. */
  models: ReadonlySet<string>;
  /** Models the token allows (`*`: all); routed events of other models are withheld. */
  allowed: "*" | ReadonlySet<string>;
}

export function allows(allowed: Selector["allowed"], model: string): boolean {
  return allowed === "*" || allowed.has(model);
}

export function selects(selector: Selector, model: string, uids: readonly number[]): boolean {
  if (selector.models.has(model)) return true;
  return uids.includes(selector.uid) && allows(selector.allowed, model);
}

/** The subscribed models a token allows. */
export function permitted(models: Iterable<string>, allowed: Selector["allowed"]): Set<string> {
  return new Set([...models].filter((m) => allows(allowed, m)));
}
