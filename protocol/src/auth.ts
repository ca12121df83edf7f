import * as z from "zod/mini";
import { AppType, DeviceId, ModelName, OdooId } from "./odoo-values.js";

/** Secrets are bounded so that a body cannot make the hub hash (or send Odoo) megabytes. */
const Secret = z.string().check(z.minLength(1), z.maxLength(1024));

/**
 * `POST /auth/odoo[/:tenant]`: sign in with the user's Odoo login and either the password or one
 * of the user's Odoo API keys (Odoo checks either the same way over JSON-RPC).
 */
export const SignInRequest = z
  .object({
    login: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
    password: z.optional(Secret),
    apiKey: z.optional(Secret),
    /** The same id the device then sends in the Socket.IO handshake. */
    deviceId: DeviceId,
    appType: z._default(AppType, "mobile_app"),
  })
  .check(
    z.refine((body) => (body.password === undefined) !== (body.apiKey === undefined), {
      message: "send exactly one of password and apiKey",
      path: ["password"],
    }),
  );
export type SignInRequest = z.input<typeof SignInRequest>;

/** `POST /auth/refresh[/:tenant]` and `POST /auth/logout[/:tenant]`. */
export const RefreshTokenRequest = z.object({
  refreshToken: z.string().check(z.minLength(1), z.maxLength(1024)),
});
export type RefreshTokenRequest = z.infer<typeof RefreshTokenRequest>;

const PositiveInt = z.number().check(z.int(), z.positive());

/** The answer to a sign-in or a refresh: a hub access token and the next refresh token. */
export const TokenPair = z.object({
  /** A hub JWT for the Socket.IO handshake and the in-band `refresh`. */
  accessToken: z.string(),
  /** Opaque; single use: each refresh answers a new one and retires it. */
  refreshToken: z.string(),
  /** Seconds until `accessToken` expires. */
  expiresIn: PositiveInt,
  /** Seconds until `refreshToken` expires unless used. */
  refreshExpiresIn: PositiveInt,
  /** What the access token carries, so that an app need not decode it. */
  uid: OdooId,
  models: z.array(ModelName),
  companies: z.array(OdooId),
});
export type TokenPair = z.infer<typeof TokenPair>;
