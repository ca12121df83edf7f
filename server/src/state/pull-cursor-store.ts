/** Each tenant's pull watermark: every ledger row up to it is in the log. */
export interface PullCursorStore {
  get(tenant: string): Promise<number | null>;
  /** Moves the cursor forward only; a lower value changes nothing. */
  advance(tenant: string, ledgerId: number): Promise<void>;
  close(): Promise<void>;
}
