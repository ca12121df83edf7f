import type { Logger } from "../ops/logger.js";
import { ThrottledLog, type ThrottleRate } from "../ops/throttled-log.js";
import { Ring } from "./ring.js";

/** One line the admin page lists: when, and the line's own fields (never a secret: see logs). */
export type Recorded = { at: string; tenant: string } & Record<string, unknown>;

/** How many of each kind the page can show: the most recent, whatever the tenant. */
const KEPT = 100;

/** The lines the admin page lists, by message, as they are logged. */
const KINDS = { "push refused": "refusedPushes", "resync sent": "resyncs" } as const;
export type RecordedKind = (typeof KINDS)[keyof typeof KINDS];

/**
 * Recent refused pushes and resyncs, in small rings: every one, also those the log's rate limit
 * leaves out. One ring per kind for all tenants, so a flood of pushes to made-up tenant names
 * cannot grow it.
 */
export class AdminRecorder {
  private readonly rings = new Map<RecordedKind, Ring<Recorded>>(
    Object.values(KINDS).map((kind) => [kind, new Ring<Recorded>(KEPT)]),
  );

  constructor(private readonly now: () => number = Date.now) {}

  observe(message: string, fields: object): void {
    const kind = KINDS[message as keyof typeof KINDS] as RecordedKind | undefined;
    if (kind === undefined) return;
    const { tenant } = fields as { tenant?: unknown };
    const at = new Date(this.now()).toISOString();
    this.rings
      .get(kind)
      ?.push({ ...fields, at, tenant: typeof tenant === "string" ? tenant : "?" });
  }

  recent(kind: RecordedKind): Recorded[] {
    return this.rings.get(kind)?.newestFirst() ?? [];
  }
}

/**
 * The hub's rate-limited log lines, also told to the recorder: the lines are written where they
 * happen (push route, device session), so observing them here needs no change at those sites.
 */
export class RecordingNotices extends ThrottledLog {
  constructor(
    logger: Logger,
    rate: ThrottleRate,
    onSuppressed: (message: string) => void,
    private readonly recorder: AdminRecorder,
  ) {
    super(logger, rate, onSuppressed);
  }

  override info(key: string, fields: object, message: string): void {
    this.recorder.observe(message, fields);
    super.info(key, fields, message);
  }

  override warn(key: string, fields: object, message: string): void {
    this.recorder.observe(message, fields);
    super.warn(key, fields, message);
  }
}
