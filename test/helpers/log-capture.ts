import { Writable } from "node:stream";
import { createLogger, type Logger } from "@odoo-live/server";

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A hub logger (the hub's own redaction) whose JSON lines the test can read back. */
export function captureLogger(level = "debug"): { logger: Logger; lines: () => LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean))
        lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createLogger(level, stream), lines: () => [...lines] };
}

/** Lines of a process's output (pino JSON lines among other text). */
export function parseLogLines(output: string): LogLine[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}
