import { ConfigError } from "../config/config.js";
import { parseDoctorArgs, USAGE } from "./doctor-args.js";
import { formatFinding } from "./doctor-findings.js";
import { diagnose } from "./doctor-run.js";
import { doctorTargets } from "./doctor-targets.js";

/**
 * Checks a deployment step by step and says what is wrong in plain words:
 *   npm run doctor -- --odoo-url https://odoo.example --db prod --api-key K [--hub-url …]
 * Exit status 0 when nothing failed, 1 when a check failed, 2 on bad arguments.
 */
async function main(): Promise<number> {
  let targets;
  try {
    const args = parseDoctorArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    targets = doctorTargets(args, process.env);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : (error as Error).message;
    process.stderr.write(`odoo-live doctor: ${message}\n\n${USAGE}\n`);
    return 2;
  }
  let failed = 0;
  for (const target of targets) {
    const db = target.odoo.db === undefined ? "" : `, database ${target.odoo.db}`;
    process.stdout.write(`tenant ${target.tenant}: Odoo ${target.odoo.url}${db}\n`);
    const findings = await diagnose(target, (f) => process.stdout.write(`${formatFinding(f)}\n`));
    failed += findings.filter((f) => f.status === "fail").length;
  }
  process.stdout.write(
    failed === 0 ? "nothing wrong found\n" : `${failed} problem${failed === 1 ? "" : "s"} found\n`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
