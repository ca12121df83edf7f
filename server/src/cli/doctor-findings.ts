/** What one step of the doctor found. */
export interface Finding {
  /** A stable name tests and scripts can rely on, e.g. `api-key`. */
  check: string;
  status: "ok" | "warn" | "fail" | "skip";
  /** Plain words: what was seen and, when something is wrong, what to do about it. */
  message: string;
}

export type Report = (finding: Finding) => void;

const LABEL: Record<Finding["status"], string> = {
  ok: "ok  ",
  warn: "WARN",
  fail: "FAIL",
  skip: "skip",
};

export function formatFinding(finding: Finding): string {
  return `  ${LABEL[finding.status]}  ${finding.message}`;
}
