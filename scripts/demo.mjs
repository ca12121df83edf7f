// `npm run demo`: a simulated Odoo, the hub (push + pull from it) and a console client, in one
// command. Ctrl-C stops all three. Runs the built output (`npm run demo` builds first).
import { spawn } from "node:child_process";
import { createServer } from "node:net";

const DEV_PUSH_TOKEN = "dev-only-push-token";
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function start(name, args, env = {}, output = "prefix") {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", output === "inherit" ? "inherit" : "pipe", "pipe"],
  });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => `[${name}] ${line}\n`)
      .join("");
  if (output !== "inherit")
    child.stdout.on("data", (c) => output === "prefix" && process.stdout.write(prefix(c)));
  child.stderr.on("data", (c) => process.stderr.write(prefix(c)));
  child.on("exit", (code, signal) => {
    if (!stopping) {
      process.stderr.write(`[demo] ${name} exited (${signal ?? code}); stopping\n`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHttp(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within 10 s`);
}

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  process.exitCode = code;
}

/** A client token from the hub's own CLI (dev secret). */
function mintToken(env) {
  return new Promise((resolve, reject) => {
    const args = ["server/dist/cli/token.js", "--uid", "2", "--models", "*"];
    const minting = spawn(process.execPath, args, { env: { ...process.env, ...env } });
    let out = "";
    minting.stdout.on("data", (chunk) => (out += chunk));
    minting.on("exit", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error("token minting failed")),
    );
  });
}

async function main() {
  const [odooPort, hubPort] = [await freePort(), await freePort()];
  const odoo = `http://127.0.0.1:${odooPort}`;
  const hub = `http://127.0.0.1:${hubPort}`;
  const models = "sale.order,res.partner";
  // Odoo first: the hub pulls from it as soon as it starts; the pushes then find the hub.
  start(
    "odoo",
    [
      "odoo-sim/dist/cli.js",
      ...["--port", String(odooPort), "--rate", "1", "--models", models, "--users", "2,6"],
      ...["--late-commit-ratio", "0.1", "--push-url", `${hub}/webhooks/odoo`],
      ...["--push-auth", "bearer", "--push-token", DEV_PUSH_TOKEN, "--cron-delay-ms", "5000"],
    ],
    {},
    "quiet",
  );
  await waitForHttp(`${odoo}/api/webhooks/health`);
  const hubEnv = {
    PORT: String(hubPort),
    LOG_LEVEL: "warn",
    ODOO_URL: odoo,
    ODOO_API_KEY: "sim-api-key",
  };
  start("hub", ["server/dist/main.js"], hubEnv);
  await waitForHttp(`${hub}/healthz`);
  const token = await mintToken(hubEnv);
  const client = ["client-lib/dist/cli/listen.js", "--url", hub, "--token", token];
  start("client", [...client, "--device", "demo-console", "--models", models], {}, "inherit");
  process.stdout.write(
    `[demo] Odoo simulator ${odoo} → hub ${hub} (push + pull) → console client. Ctrl-C stops.\n` +
      `[demo] live dashboard, in another terminal: npm run dashboard -- --hub ${hub}\n`,
  );
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
main().catch((error) => {
  process.stderr.write(`[demo] ${error.message}\n`);
  stop(1);
});
