/**
 * Whether parsed JSON nests objects and arrays deeper than `max` levels (an object or array is
 * level 1, its object and array members level 2, …). JSON.parse itself takes any depth, but the
 * recursive walks after it (validation, canonical JSON, digest, Socket.IO's encoder) overflow the
 * stack at a few thousand levels; this walk keeps its own stack, so any depth is safe to check.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: { node: object; depth: number }[] = [];
  if (isContainer(value)) pending.push({ node: value, depth: 1 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > max) return true;
    const members: unknown[] = Array.isArray(next.node) ? next.node : Object.values(next.node);
    for (const member of members) {
      if (isContainer(member)) pending.push({ node: member, depth: next.depth + 1 });
    }
  }
  return false;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}
