import type { Logger } from "../ops/logger.js";
import type { OdooError, OdooFault } from "./odoo-error.js";

export type OdooState = "up" | OdooFault;

/** Every state, in the order the `odoo_live_odoo_state` gauge lists them. */
export const ODOO_STATES: readonly OdooState[] = [
  "up",
  "unauthorized",
  "not_found",
  "unreachable",
  "failing",
];

export interface OdooStatus {
  state: OdooState;
  /** When it entered this state (ms since the epoch). */
  since: number;
  /** What Odoo answered, while it is not up. */
  error?: string;
}

const SAYS: Record<OdooFault, string> = {
  unauthorized: "Odoo refuses the hub's credentials (API key)",
  not_found: "Odoo has no auto_webhook API at this URL (module not installed, or wrong database)",
  unreachable: "Odoo cannot be reached",
  failing: "Odoo answers with errors",
};

/**
 * One tenant's Odoo as this node's poller sees it: unknown until the first call, then up or one
 * of the faults. A change is logged once (an error, naming the state), and so is the recovery;
 * the failures in between are counted (`odoo_live_pull_errors_total`), not logged.
 */
export class OdooHealth {
  private current: OdooStatus | undefined;

  constructor(
    private readonly tenant: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined while this node does not pull the tenant (or has not called Odoo yet). */
  get status(): OdooStatus | undefined {
    return this.current;
  }

  up(): void {
    const was = this.current;
    if (was?.state === "up") return;
    this.current = { state: "up", since: this.now() };
    if (was === undefined) return;
    const downMs = this.current.since - was.since;
    this.logger.info(
      { tenant: this.tenant, odoo: "up", was: was.state, downMs },
      "Odoo is up again",
    );
  }

  failed(error: OdooError): void {
    const state = error.fault;
    if (this.current?.state === state) return;
    this.current = { state, since: this.now(), error: error.message };
    const { kind, status, message } = error;
    this.logger.error(
      { tenant: this.tenant, odoo: state, kind, status, error: message },
      SAYS[state],
    );
  }

  /** This node stopped pulling the tenant: what it knew goes stale. */
  forget(): void {
    this.current = undefined;
  }
}
