import { describe, expect, it } from "vitest";
import { connectErrorAction } from "../src/connect-policy.js";

const fixed = { tokenIsFunction: false, cursorAlreadyReset: false };
const refreshable = { tokenIsFunction: true, cursorAlreadyReset: false };

describe("connectErrorAction", () => {
  it("retries token errors only when the token can change", () => {
    for (const code of ["token_expired", "token_invalid", "token_missing"] as const) {
      expect(connectErrorAction(code, refreshable)).toBe("retry");
      expect(connectErrorAction(code, fixed)).toBe("stop");
    }
  });

  it("drops a refused cursor once, then stops", () => {
    expect(connectErrorAction("invalid_cursor", fixed)).toBe("reset_cursor");
    expect(connectErrorAction("invalid_cursor", { ...fixed, cursorAlreadyReset: true })).toBe(
      "stop",
    );
  });

  it("stops on a handshake the hub will always refuse", () => {
    expect(connectErrorAction("invalid_handshake", refreshable)).toBe("stop");
  });

  it("retries what may pass later", () => {
    for (const code of ["unavailable", "rate_limited", "internal", "transport"] as const) {
      expect(connectErrorAction(code, fixed)).toBe("retry");
    }
  });
});
