import { modelInfo } from "./catalog.js";
import { naiveIso } from "./odoo-time.js";
import { many2one, recordPayload, type Ref } from "./payload.js";
import type { ChangeInput } from "./types.js";

type Fields = Record<string, unknown>;

/** Random choices, injectable for reproducible runs. */
class Dice {
  constructor(readonly random: () => number) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  amount(): number {
    return Math.round(this.random() * 500_000) / 100;
  }
}

const PARTNERS: readonly Ref[] = [
  { id: 7, name: "Azure Interior" },
  { id: 9, name: "Deco Addict" },
  { id: 10, name: "Gemini Furniture" },
  { id: 11, name: "Lumber Inc" },
  { id: 14, name: "Ready Mat" },
];
const SALE_STATES = ["draft", "sent", "sale", "cancel"] as const;

/** How a model's records start and how they are edited (returns the written field names). */
interface Behaviour {
  create(dice: Dice, at: Date): Fields;
  write(fields: Fields, dice: Dice): string[];
}

const BEHAVIOURS: Readonly<Record<string, Behaviour>> = {
  "sale.order": {
    create: (dice, at) => ({
      state: "draft",
      date_order: naiveIso(at),
      partner_id: many2one(dice.pick(PARTNERS)),
      amount_total: dice.amount(),
      note: false,
      client_order_ref: false,
    }),
    write: (fields, dice) => {
      if (dice.random() < 0.5) {
        fields["state"] = dice.pick(SALE_STATES);
        return ["state"];
      }
      fields["amount_total"] = dice.amount();
      return ["order_line", "amount_total"];
    },
  },
  "res.partner": {
    create: (dice) => ({
      email: `contact${Math.floor(dice.random() * 1000)}@example.com`,
      phone: false,
      is_company: dice.random() < 0.5,
      city: dice.pick(["Brussels", "Tokyo", "Lima", "Oslo"]),
    }),
    write: (fields, dice) => {
      fields["phone"] = `+32 4${Math.floor(dice.random() * 1e8)}`;
      return ["phone"];
    },
  },
};

const GENERIC: Behaviour = {
  create: () => ({ state: "draft", active: true }),
  write: (fields, dice) => {
    fields["state"] = dice.pick(["draft", "confirmed", "done"]);
    return ["state"];
  },
};

interface LiveRecord {
  id: number;
  createdAt: Date;
  owner: Ref;
  fields: Fields;
}

export interface GeneratorSettings {
  models: readonly string[];
  /** Candidates for the records' `user_id` (the salesperson, also the acting user). */
  users: readonly Ref[];
  /** Fraction of changes whose commit comes 0.5-5 s late. */
  lateCommitRatio: number;
  random?: () => number;
}

/**
 * Business activity for the CLI: records are created, then mostly written, now and then
 * deleted, each change a full snapshot of the record as it is after the change.
 */
export class ChangeGenerator {
  private readonly dice: Dice;
  private readonly live = new Map<string, LiveRecord[]>();
  private readonly lastIds = new Map<string, number>();

  constructor(private readonly settings: GeneratorSettings) {
    this.dice = new Dice(settings.random ?? Math.random);
  }

  next(at: Date): ChangeInput {
    const model = this.dice.pick(this.settings.models);
    const records = this.live.get(model) ?? [];
    this.live.set(model, records);
    const roll = this.dice.random();
    if (records.length === 0 || roll < 0.2) return this.late(this.create(model, records, at));
    const record = this.dice.pick(records);
    if (roll < 0.25) {
      records.splice(records.indexOf(record), 1);
      return this.late(this.snapshot(model, record, "unlink", at, []));
    }
    const written = (BEHAVIOURS[model] ?? GENERIC).write(record.fields, this.dice);
    return this.late(this.snapshot(model, record, "write", at, written));
  }

  private create(model: string, records: LiveRecord[], at: Date): ChangeInput {
    const id = (this.lastIds.get(model) ?? 0) + 1;
    this.lastIds.set(model, id);
    const owner = this.dice.pick(this.settings.users);
    const record = {
      id,
      createdAt: at,
      owner,
      fields: (BEHAVIOURS[model] ?? GENERIC).create(this.dice, at),
    };
    records.push(record);
    return this.snapshot(model, record, "create", at, []);
  }

  private snapshot(
    model: string,
    record: LiveRecord,
    op: ChangeInput["op"],
    at: Date,
    changedFields: string[],
  ): ChangeInput {
    const payload = recordPayload({
      model,
      recordId: record.id,
      op,
      at,
      createdAt: record.createdAt,
      name: modelInfo(model).name(record.id, record.createdAt),
      fields: { ...record.fields, user_id: many2one(record.owner) },
      changedFields,
    });
    return { model, recordId: record.id, op, payload, userId: record.owner.id };
  }

  private late(change: ChangeInput): ChangeInput {
    if (this.dice.random() >= this.settings.lateCommitRatio) return change;
    return { ...change, commitDelayMs: 500 + Math.round(this.dice.random() * 4500) };
  }
}
