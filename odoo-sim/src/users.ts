/** Names of the usual demo-database users; any other id gets a generated name. */
const KNOWN_NAMES: Readonly<Record<number, string>> = {
  1: "OdooBot",
  2: "Mitchell Admin",
  6: "Marc Demo",
  7: "Joel Willis",
};

export function userName(id: number): string {
  return KNOWN_NAMES[id] ?? `User ${id}`;
}

/** The `res.users` table: which ids exist (foreign keys point at them) and their names. */
export class Users {
  private readonly ids: ReadonlySet<number>;

  constructor(ids: Iterable<number>) {
    this.ids = new Set(ids);
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  name(id: number): string {
    return userName(id);
  }
}
