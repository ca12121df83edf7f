// @ts-check
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

/** Node globals for the few plain JS files (this config, root scripts); TS files get them from @types/node. */
const nodeGlobals = {
  console: "readonly",
  process: "readonly",
  Buffer: "readonly",
  URL: "readonly",
  setTimeout: "readonly",
  clearTimeout: "readonly",
  setInterval: "readonly",
  clearInterval: "readonly",
  fetch: "readonly",
};

export default defineConfig(
  globalIgnores([
    "**/dist/**",
    "**/node_modules/**",
    "**/coverage/**",
    "**/.tsbuild/**",
    "bench/results/**",
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Every TS file must belong to a tsconfig reachable from the root solution tsconfig.json
        // (package src/ via its package tsconfig; tests, bench, scripts, vitest.config.ts via
        // test/tsconfig.json).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          args: "after-used",
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // Zod-first convention: `export const Foo = z.object(...)` and
      // `export type Foo = z.infer<typeof Foo>` share a name on purpose. TypeScript itself
      // reports real redeclarations, so neither lint rule adds anything.
      "no-redeclare": "off",
      "@typescript-eslint/no-redeclare": "off",
      // Async functions that satisfy a Promise-returning interface without awaiting are fine.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Tests poke at parsed JSON and library internals; `any` flowing through assertions is fine.
    files: ["**/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Plain JS (this file, root scripts): linted without type information.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // The admin page's script runs in browsers.
    files: ["server/src/admin/page/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        document: "readonly",
        location: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
      },
    },
  },
  {
    // CommonJS files (the packaging test's consumers) are meant to `require`.
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", exports: "writable", module: "writable" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
