import type { HttpBindings } from "@hono/node-server";
import { HandshakeAuth, issuesOf } from "@odoo-live/protocol";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as z from "zod/mini";
import { HttpError } from "../http/http-error.js";
import { requestAddress } from "../ops/client-address.js";
import type { Limiter } from "../ops/limiter.js";
import type { ThrottledLog } from "../ops/throttled-log.js";
import { adminFiles } from "./pages.js";
import { AdminSessions, SESSION_MS } from "./session.js";
import { adminState, type StateSources } from "./state.js";
import { sendTestNotice } from "./test-notice.js";

export interface AdminDeps extends StateSources {
  /** HUB_ADMIN_TOKEN. */
  token: string;
  /** Failed logins (form or bearer) per client address: past the limit, 429 before any check. */
  loginFailures: Limiter;
  trustProxy: boolean;
  notices: ThrottledLog;
}

type Env = { Bindings: HttpBindings; Variables: { address: string } };

const COOKIE = "odoo_live_admin";

const TestNoticeRequest = z.object({
  tenant: z.string().check(z.minLength(1), z.maxLength(100)),
  uid: z.number().check(z.int(), z.positive()),
  deviceId: HandshakeAuth.shape.deviceId,
  message: z._default(z.string().check(z.maxLength(500)), ""),
});

/**
 * `/admin` (only with HUB_ADMIN_TOKEN): the page, its JSON state and the test notice. Every
 * request but the login form and the page's static script and style needs the token, as
 * `Authorization: Bearer …` or as the session cookie the login form sets (HttpOnly,
 * SameSite=Strict: another site's page can neither read it nor send it).
 */
export function adminRoutes(deps: AdminDeps): Hono<Env> {
  const sessions = new AdminSessions(deps.token);
  const files = adminFiles();
  const app = new Hono<Env>({ strict: false });
  app.use("*", async (c, next) => {
    c.set("address", requestAddress(c.env.incoming, deps.trustProxy));
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });
  app.use("*", bodyLimit({ maxSize: 4096, onError: () => tooLarge() }));
  app.get("/admin.js", (c) => c.body(files.script, 200, { "Content-Type": TYPES.js }));
  app.get("/admin.css", (c) => c.body(files.style, 200, { "Content-Type": TYPES.css }));
  app.get("/", async (c) =>
    (await authorized(c, deps, sessions)) ? c.html(files.page) : c.html(files.login()),
  );
  app.post("/login", async (c) => {
    const blocked = await deps.loginFailures.check(c.get("address"));
    if (!blocked.ok) return c.html(files.login(retryText(blocked.retryAfterMs)), 429);
    const { token } = await c.req.parseBody();
    if (typeof token !== "string" || !sessions.matches(token)) {
      await refuse(c, deps, "login form");
      return c.html(files.login("That is not the admin token."), 401);
    }
    const secure = isHttps(c, deps.trustProxy);
    const options = { path: "/admin", maxAge: SESSION_MS / 1000, secure };
    setCookie(c, COOKIE, sessions.issue(), { ...options, httpOnly: true, sameSite: "Strict" });
    return c.redirect("/admin", 303);
  });
  app.post("/logout", (c) => {
    deleteCookie(c, COOKIE, { path: "/admin" });
    return c.redirect("/admin", 303);
  });
  const guard = async (c: Context<Env>) => {
    if (!(await authorized(c, deps, sessions)))
      throw new HttpError(401, "unauthorized", "log in at /admin, or send Authorization: Bearer");
  };
  app.get("/api/state", async (c) => {
    await guard(c);
    return c.json(await adminState(deps));
  });
  app.post("/api/test-notice", async (c) => {
    await guard(c);
    const request = TestNoticeRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!request.success)
      throw new HttpError(
        400,
        "invalid_body",
        "a test notice needs tenant, uid, deviceId and message",
        issuesOf(request.error),
      );
    const { tenant, uid, deviceId, message } = request.data;
    if (!deps.tenants.includes(tenant))
      throw new HttpError(404, "unknown_tenant", `unknown tenant: ${tenant.slice(0, 100)}`);
    const sent = await sendTestNotice(deps.io(), { tenant, uid, deviceId }, message);
    return c.json({ ok: true, ...sent });
  });
  return app;
}

/**
 * The bearer header when one is sent (a wrong one counts as a failed login), else the cookie.
 * An address past its failed-login limit is refused before any check.
 */
async function authorized(
  c: Context<Env>,
  deps: AdminDeps,
  sessions: AdminSessions,
): Promise<boolean> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (bearer === undefined) return sessions.valid(getCookie(c, COOKIE));
  const blocked = await deps.loginFailures.check(c.get("address"));
  if (!blocked.ok) {
    c.header("Retry-After", String(Math.ceil(blocked.retryAfterMs / 1000)));
    throw new HttpError(429, "rate_limited", "too many failed admin logins from this address");
  }
  if (sessions.matches(bearer)) return true;
  await refuse(c, deps, "bearer");
  return false;
}

async function refuse(c: Context<Env>, deps: AdminDeps, via: string): Promise<void> {
  const address = c.get("address");
  await deps.loginFailures.take(address);
  deps.notices.warn(via, { address, via }, "admin login refused");
}

function isHttps(c: Context<Env>, trustProxy: boolean): boolean {
  const forwarded = trustProxy ? c.req.header("x-forwarded-proto") : undefined;
  return (forwarded ?? new URL(c.req.url).protocol.replace(":", "")) === "https";
}

function retryText(ms: number): string {
  return `Too many wrong tokens from this address: try again in ${Math.ceil(ms / 1000)} s.`;
}

function tooLarge(): never {
  throw new HttpError(413, "payload_too_large", "admin requests are at most 4096 bytes");
}

const TYPES = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** The page loads only its own script and style, talks only to its own origin, is never framed. */
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};
