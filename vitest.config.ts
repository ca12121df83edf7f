import { configDefaults, defineConfig } from "vitest/config";

/**
 * Workspace packages export a `source` condition pointing at their TypeScript sources, so tests
 * run against `src/*.ts` without a build. Vite 6+ resolves test files (the SSR environment) with
 * `ssr.resolve.conditions`, and Vitest passes that same list to the forked workers as
 * `--conditions`; `resolve.conditions` covers the client environment. Vitest merges both lists
 * with its own defaults (`node`, `development|production`), so only `source` is added here.
 */
const conditions = ["source"];

/** The suites against the real Odoo of `../shared/real-odoo` (test/real-odoo/helpers/real-odoo.ts). */
const REAL_ODOO = "test/real-odoo/**/*.test.ts";

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "hub",
          include: [
            "protocol/test/**/*.test.ts",
            "server/test/**/*.test.ts",
            "client-lib/test/**/*.test.ts",
            "odoo-sim/test/**/*.test.ts",
            "examples/*/test/**/*.test.ts",
            "test/**/*.test.ts",
          ],
          exclude: [...configDefaults.exclude, "**/dist/**", REAL_ODOO],
        },
      },
      {
        // One Odoo, one subscriber: each file points it at its own hub, so they take turns.
        extends: true,
        test: { name: "real-odoo", include: [REAL_ODOO], fileParallelism: false },
      },
    ],
    environment: "node",
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    restoreMocks: true,
    unstubEnvs: true,
    unstubGlobals: true,
  },
});
