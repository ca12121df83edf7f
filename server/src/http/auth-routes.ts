import type { HttpBindings } from "@hono/node-server";
import { issuesOf, issuesText, RefreshTokenRequest, SignInRequest } from "@odoo-live/protocol";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AuthDeps } from "../auth/auth-deps.js";
import { logout, refresh } from "../auth/refresh.js";
import { signIn } from "../auth/signin.js";
import type { Tenant } from "../config/tenants.js";
import { requestAddress } from "../ops/client-address.js";
import type { Metrics } from "../ops/metrics.js";
import { HttpError } from "./http-error.js";
import { ClientGone, readBody } from "./read-body.js";

export interface AuthRouteDeps extends AuthDeps {
  tenants: ReadonlyMap<string, Tenant>;
  metrics: Metrics;
  trustProxy: boolean;
}

type Env = { Bindings: HttpBindings };

/** Credentials and tokens are short: a larger body is no sign-in. */
const MAX_BODY_BYTES = 16 * 1024;

/** Sign-in with Odoo: `/auth/odoo`, `/auth/refresh` and `/auth/logout`, each `[/:tenant]`. */
export function authRoutes(deps: AuthRouteDeps): Hono<Env> {
  const app = new Hono<Env>();
  for (const endpoint of ["odoo", "refresh", "logout"] as const) {
    for (const path of [`/auth/${endpoint}`, `/auth/${endpoint}/:tenant`]) {
      app.post(path, async (c) => {
        const tenant = c.req.param("tenant") ?? "default";
        try {
          return await answer(c, deps, endpoint, tenant);
        } catch (error) {
          // A client that hung up mid-body is counted as nginx's 499, as pushes are (no 5xx).
          const status =
            error instanceof HttpError ? error.status : error instanceof ClientGone ? 499 : 500;
          // Any path segment would do as a tenant: only known ones become label values.
          const label = deps.tenants.has(tenant) ? tenant : "(unknown)";
          deps.metrics.authRequests.inc({ tenant: label, endpoint, status: String(status) });
          // The flows log their own refusals (401, 429, 503); these are the request's faults.
          if (error instanceof HttpError && [400, 404, 413].includes(status))
            deps.logger.info(
              { tenant, endpoint, code: error.code, err: error.message },
              "auth request refused",
            );
          throw error;
        }
      });
    }
  }
  return app;
}

async function answer(
  c: Context<Env>,
  deps: AuthRouteDeps,
  endpoint: "odoo" | "refresh" | "logout",
  tenant: string,
) {
  if (!deps.tenants.has(tenant))
    throw new HttpError(404, "unknown_tenant", `unknown tenant: ${tenant}`);
  const signin = deps.signins.get(tenant);
  if (signin === undefined)
    throw new HttpError(
      404,
      "signin_disabled",
      `sign-in with Odoo is not enabled for tenant ${tenant}`,
    );
  const text = await readBody(c.env.incoming, MAX_BODY_BYTES);
  const ok = (body: unknown, status: 200 | 204 = 200) => {
    deps.metrics.authRequests.inc({ tenant, endpoint, status: String(status) });
    return status === 204 ? c.body(null, 204) : c.json(body);
  };
  if (endpoint === "odoo") {
    const address = requestAddress(c.env.incoming, deps.trustProxy);
    return ok(await signIn(deps, tenant, signin, parse(SignInRequest, text), address));
  }
  const { refreshToken } = parse(RefreshTokenRequest, text);
  if (endpoint === "refresh") return ok(await refresh(deps, tenant, signin, refreshToken));
  await logout(deps, tenant, refreshToken);
  return ok(null, 204);
}

/**
 * The body against its schema. JSON.parse's own message quotes the body, which may hold a
 * password: it is not passed on. Zod's messages never quote values.
 */
function parse<T>(schema: z.core.$ZodType<T>, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "body is not a JSON object");
  }
  const parsed = z.safeParse(schema, json);
  if (parsed.success) return parsed.data;
  throw new HttpError(400, "invalid_body", issuesText(parsed.error), issuesOf(parsed.error));
}
