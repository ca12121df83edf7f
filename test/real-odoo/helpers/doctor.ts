/** `npm run doctor` as an integrator runs it: the compiled CLI in a process of its own. */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const DOCTOR = join(ROOT, "server", "dist", "cli", "doctor.js");

export interface DoctorRun {
  code: number;
  stdout: string;
  stderr: string;
  /** `[status, message]` of each finding line, e.g. `["FAIL", "Odoo refused the API key …"]`. */
  lines: [string, string][];
}

/** Runs the doctor with `args` and only `env` (plus PATH) in its environment. */
export function runDoctor(args: string[], env: Record<string, string> = {}): Promise<DoctorRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [DOCTOR, ...args],
      { cwd: ROOT, env: { PATH: process.env["PATH"] ?? "", ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const lines = stdout
          .split("\n")
          .map((line) => /^ {2}(ok|WARN|FAIL|skip) {2,}(.*)$/.exec(line))
          .filter((match) => match !== null)
          .map((match): [string, string] => [match[1]!, match[2]!]);
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr, lines });
      },
    );
  });
}
