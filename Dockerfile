# syntax=docker/dockerfile:1

# Node 24: the active LTS line (Node 20 left support in April 2026); the suite also passes on 22.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: every workspace's dependencies, then the TypeScript the images run ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused while only sources change. npm ci checks
# the lockfile against every workspace's manifest, so all of them are copied.
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY server/package.json server/
COPY client-lib/package.json client-lib/
COPY odoo-sim/package.json odoo-sim/
COPY bench/package.json bench/
COPY examples/sales-dashboard/package.json examples/sales-dashboard/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -b protocol server odoo-sim

# ---- runtime: the server's production dependencies and compiled output only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY server/package.json server/
COPY client-lib/package.json client-lib/
COPY odoo-sim/package.json odoo-sim/
COPY bench/package.json bench/
COPY examples/sales-dashboard/package.json examples/sales-dashboard/
# Only the server workspace's runtime dependencies (its own and @odoo-live/protocol's, which
# it links to protocol/): no client, simulator, bench or dev tooling. Without the `source`
# condition, Node resolves @odoo-live/protocol to its dist/ output.
RUN npm ci --omit=dev --workspace server --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/protocol/dist protocol/dist
COPY --from=build /app/server/dist server/dist
# The Redis stores read their Lua scripts from src/ (tsc does not copy them into dist/).
COPY --from=build /app/server/src/log/*.lua server/src/log/
COPY --from=build /app/server/src/state/*.lua server/src/state/
# So does the admin page (/admin, with HUB_ADMIN_TOKEN) its HTML, script and style.
COPY --from=build /app/server/src/admin/page server/src/admin/page
USER node
EXPOSE 8080
# Liveness, with Node's fetch: the slim image has no curl. Compose and load balancers should
# route on /readyz, which also fails while draining or while Redis does not answer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server/dist/main.js"]

# ---- odoo-sim: the Odoo simulator, for `docker compose --profile demo up` ----
# The server's dependencies cover the simulator's (hono, @hono/node-server, zod, the protocol).
FROM runtime AS odoo-sim
COPY --from=build /app/odoo-sim/dist odoo-sim/dist
EXPOSE 8069
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8069/api/webhooks/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "odoo-sim/dist/cli.js", "--host", "0.0.0.0", "--port", "8069"]

# The default target: the hub.
FROM runtime
