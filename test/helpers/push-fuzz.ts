/**
 * Mutated push bodies for the fuzz test, from the module's real shapes (protocol fixtures):
 * types swapped, keys deleted and added, nesting, huge arrays, odd unicode, numbers at and past
 * the limits, duplicated keys, odd timestamps and model names. Deterministic for a seed.
 */
import {
  allChanges,
  asEnvelope,
  asRawPush,
  configTestBody,
  subscriberTestBody,
  type FixtureChange,
} from "@odoo-live/protocol/fixtures";

/** mulberry32: a small, good-enough PRNG whose whole state is the seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

export interface FuzzBody {
  text: string;
  /** What was done to it, to read a failure by. */
  mutations: string[];
}

const KEYS = [
  "_webhook_metadata",
  "test",
  "event",
  "event_id",
  "model",
  "record_id",
  "data",
  "timestamp",
  "__proto__",
  "constructor",
  "toString",
  "_test_event",
  "_changed_fields",
  "_metadata",
  "user_id",
  "id",
  "",
  "😀",
  "k".repeat(300),
];

const STRINGS = [
  "",
  "\ud800",
  "\udfff",
  "a\ud83d",
  "😀👨‍👩‍👧",
  "\u0000",
  "\u202eevil",
  "e\u0301",
  "'\"\\/<script>",
  "x".repeat(20_000),
  "sale.order",
  "res.partner",
  "SALE.ORDER",
  "a".repeat(129),
  "x_custom.thing",
  "2025-11-29T10:15:02",
  "2025-02-30T10:00:00",
  "9999-12-31T23:59:59.999999",
  "0001-01-01 00:00:00",
  "2025-11-29T10:15:02+14:00",
  "2025-11-29T25:61:61",
  "False",
];

/** Raw JSON number texts (JSON.stringify could not write most of them). */
const NUMBERS = [
  "0",
  "-0",
  "-1",
  "1.5",
  "2147483647",
  "2147483648",
  "9007199254740991",
  "9007199254740993",
  "123456789012345678901234567890",
  "1e308",
  "1e400",
  "-1e400",
  "5e-324",
  "1e-400",
];

const DEPTHS = [2, 10, 63, 64, 65, 100, 1000, 5000, 20_000];

/** Bodies built from `random`; `n` makes the n-th body's change distinct from the others. */
export class PushFuzzer {
  private raws: string[] = [];

  constructor(private readonly random: () => number) {}

  body(n: number): FuzzBody {
    this.raws = [];
    const mutations: string[] = [];
    let value = this.base(n, mutations);
    // About a third stay valid (many accepted events), the rest get one to three mutations.
    const count = this.chance(0.35) ? 0 : 1 + this.int(3);
    for (let i = 0; i < count; i++) value = this.mutate(value, mutations);
    let text = JSON.stringify(value);
    this.raws.forEach((raw, i) => {
      const placeholder = new RegExp(`"@@raw${i}@@ [^"]*"`);
      text = text.replace(placeholder, () => raw);
    });
    if (this.chance(0.05)) text = this.duplicateKey(text, mutations);
    if (text.includes("@@raw")) throw new Error(`a raw placeholder was left in body ${n}`);
    return { text, mutations };
  }

  private base(n: number, mutations: string[]): Json {
    if (this.chance(0.03)) {
      mutations.push("test body");
      return structuredClone(this.chance(0.5) ? subscriberTestBody : configTestBody) as Json;
    }
    const fixture = this.pick(allChanges);
    const change: FixtureChange = {
      ...fixture,
      recordId: 1 + this.int(1000),
      // A distinct stamp per body, so that valid bodies are distinct changes.
      timestamp: new Date(Date.UTC(2025, 10, 29) + n * 5000).toISOString().slice(0, 19),
      payload: { ...fixture.payload, name: `F${n}` },
    };
    const raw = this.chance(0.5);
    mutations.push(`${raw ? "raw" : "envelope"} ${change.model} ${change.op}`);
    // A deep copy: mutations must not reach the fixtures' nested objects.
    return structuredClone(raw ? asRawPush(change, n + 1) : asEnvelope(change, n + 1)) as Json;
  }

  private mutate(root: Json, mutations: string[]): Json {
    const path = this.pick(paths(root));
    const at = path.join(".") || "(root)";
    const kinds = ["type", "delete", "add", "nest", "unicode", "number"] as const;
    const kind = this.chance(0.02) ? "huge" : this.pick(kinds);
    if (kind === "delete") {
      mutations.push(`delete ${at}`);
      return path.length === 0 ? root : remove(root, path);
    }
    if (kind === "add") {
      const key = this.pick(KEYS);
      mutations.push(`add ${at}.${key.slice(0, 20)}`);
      return addKey(root, path, key, this.anyValue());
    }
    const value = this.valueFor(kind);
    const shown = Array.isArray(value) ? `[${value.length} items]` : JSON.stringify(value);
    mutations.push(`${kind} ${at} = ${shown.slice(0, 40)}`);
    return set(root, path, value);
  }

  private valueFor(kind: "type" | "nest" | "unicode" | "number" | "huge"): Json {
    switch (kind) {
      case "type":
        return this.anyValue();
      case "nest":
        return this.raw(this.nested(this.pick(DEPTHS)));
      case "unicode":
        return this.pick(STRINGS);
      case "number":
        return this.raw(this.pick(NUMBERS));
      case "huge":
        return this.huge();
    }
  }

  private anyValue(): Json {
    const values: (() => Json)[] = [
      () => null,
      () => this.chance(0.5),
      () => this.raw(this.pick(NUMBERS)),
      () => this.pick(STRINGS),
      () => [],
      () => ({}),
      () => [{ id: 1 + this.int(10), name: "U" }, 2],
      () => ({ id: false, name: "" }),
    ];
    return this.pick(values)();
  }

  private huge(): Json {
    const length = this.pick([1000, 10_000, 50_000]);
    return Array.from({ length }, (_, i) => (i % 2 === 0 ? i + 1 : { id: i + 1, name: "U" }));
  }

  /** `levels` of arrays or objects around a number, as raw text. */
  private nested(levels: number): string {
    return this.chance(0.5)
      ? `${"[".repeat(levels)}1${"]".repeat(levels)}`
      : `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
  }

  /** A placeholder replaced by `text` once the body is serialized (its start names it). */
  private raw(text: string): string {
    this.raws.push(text);
    return `@@raw${this.raws.length - 1}@@ ${text.slice(0, 12).replace(/["\\]/g, "'")}…${text.length}`;
  }

  /** Repeats a top-level key before or after its first occurrence (JSON.parse keeps the last). */
  private duplicateKey(text: string, mutations: string[]): string {
    if (!text.startsWith("{") || text === "{}") return text;
    const key = this.pick(KEYS.slice(0, 8));
    const value = JSON.stringify(this.pick(STRINGS));
    mutations.push(`duplicate key ${key}`);
    return this.chance(0.5)
      ? `{"${key}":${value},${text.slice(1)}`
      : `${text.slice(0, -1)},"${key}":${value}}`;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** Every path into `value`, the root included (arrays: their first items only). */
function paths(value: Json, prefix: Path = []): Path[] {
  const found: Path[] = [prefix];
  if (Array.isArray(value)) {
    value.slice(0, 3).forEach((item, i) => found.push(...paths(item, [...prefix, i])));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...prefix, key]));
  }
  return found;
}

function containerAt(root: Json, path: Path): Record<string | number, Json> | undefined {
  let node: Json = root;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, Json>)[part] ?? null;
  }
  return typeof node === "object" && node !== null
    ? (node as Record<string | number, Json>)
    : undefined;
}

function set(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const parent = containerAt(root, path.slice(0, -1));
  if (parent !== undefined) parent[path.at(-1) as string | number] = value;
  return root;
}

function remove(root: Json, path: Path): Json {
  const parent = containerAt(root, path.slice(0, -1));
  const last = path.at(-1) as string | number;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (parent !== undefined) delete parent[last];
  return root;
}

function addKey(root: Json, path: Path, key: string, value: Json): Json {
  const target = containerAt(root, path);
  if (target === undefined || Array.isArray(target)) return root;
  // defineProperty: a plain assignment to "__proto__" would set the prototype, not a key.
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return root;
}
