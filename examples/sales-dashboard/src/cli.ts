import { parseArgs } from "node:util";
import { loadConfig, mintToken } from "@odoo-live/server";
import { serveDashboard } from "./serve.js";

const USAGE = `usage: npm run dashboard -- [--hub http://127.0.0.1:8080] [--port 8090] [--uid 2]
Serves the live sales dashboard (examples/sales-dashboard) for development. Its page gets
tokens from this server, signed like \`npm run token\` does: with the hub's JWT_SECRET, or the
development default while it is unset (as \`npm start\` and \`npm run demo\` use it).
  --hub    the hub's URL, as the browser reaches it (npm run demo prints it)
  --port   where to serve the page, on 127.0.0.1 (default 8090; 0 for any free port)
  --uid    the Odoo res.users id the page's tokens are for (default 2)
  --help   this text`;

function fail(message: string): never {
  process.stderr.write(`dashboard: ${message}\n(npm run dashboard -- --help)\n`);
  process.exit(2);
}

function args() {
  try {
    const { values } = parseArgs({
      options: {
        hub: { type: "string", default: "http://127.0.0.1:8080" },
        port: { type: "string", default: "8090" },
        uid: { type: "string", default: "2" },
        help: { type: "boolean", default: false },
      },
    });
    return values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const options = args();
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (process.env["NODE_ENV"] === "production")
  fail("a development server: not for NODE_ENV=production");
if (!/^https?:\/\/[^/]+\/?$/.test(options.hub))
  fail(`--hub must be an http(s) origin, not ${options.hub}`);
const port = Number(options.port);
const uid = Number(options.uid);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail("--port must be 0-65535");
if (!Number.isInteger(uid) || uid < 1) fail("--uid must be a positive integer");
let token: () => string;
try {
  const config = loadConfig(process.env);
  token = () => mintToken(config.jwt, { uid, tenant: "default", models: ["sale.order"] }, 3600);
  token(); // a configuration that cannot sign (RS256 without JWT_PRIVATE_KEY) fails now
} catch (error) {
  fail((error as Error).message);
}
const dashboard = await serveDashboard({ hubUrl: options.hub.replace(/\/$/, ""), token, port });
process.stdout.write(`sales dashboard on ${dashboard.url} (hub ${options.hub}); Ctrl-C stops\n`);
