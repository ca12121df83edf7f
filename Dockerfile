# syntax=docker/dockerfile:1

# ---- build: install everything, compile the TypeScript project references ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY server/package.json server/
COPY client-lib/package.json client-lib/
COPY odoo-sim/package.json odoo-sim/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies and compiled output only ----
FROM node:20-bookworm-slim AS runtime
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
# Installs the workspaces' runtime dependencies and links @odoo-live/* to the folders above;
# without the `source` condition, Node resolves them to their dist/ output.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/protocol/dist protocol/dist
COPY --from=build /app/server/dist server/dist
# The Redis stores read their Lua scripts from src/ (tsc does not copy them into dist/).
COPY --from=build /app/server/src/log/*.lua server/src/log/
COPY --from=build /app/server/src/state/*.lua server/src/state/
USER node
EXPOSE 8080
CMD ["node", "server/dist/main.js"]

# ---- odoo-sim: the Odoo simulator, for `docker compose --profile demo up` ----
FROM runtime AS odoo-sim
COPY --from=build /app/odoo-sim/dist odoo-sim/dist
EXPOSE 8069
CMD ["node", "odoo-sim/dist/cli.js", "--host", "0.0.0.0", "--port", "8069"]

# The default target: the hub.
FROM runtime
