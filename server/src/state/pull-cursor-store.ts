/** Each tenant's pull watermark: every ledger row up to it is in the log. */
export interface PullCursorStore {
  get(tenant: string): Promise<number | null>;
  /**
   * Moves the cursor forward only; a lower value changes nothing. With a fencing `token` (from
   * the pull `Lease`), a token lower than the highest one given before is refused: nothing
   * changes and the call resolves to false. Otherwise (also without a token) resolves to true.
   */
  advance(tenant: string, ledgerId: number, token?: number): Promise<boolean>;
  close(): Promise<void>;
}
