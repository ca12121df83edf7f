import { z } from "zod";
import { AppType, ModelName } from "./odoo-values.js";

/** Secrets are bounded so that a body cannot make the hub hash (or send Odoo) megabytes. */
const Secret = z.string().min(1).max(1024);

/**
 * `POST /auth/odoo[/:tenant]`: sign in with the user's Odoo login and either the password or one
 * of the user's Odoo API keys (Odoo checks either the same way over JSON-RPC).
 */
export const SignInRequest = z
  .object({
    login: z.string().trim().min(1).max(255),
    password: Secret.optional(),
    apiKey: Secret.optional(),
    /** The same id the device then sends in the Socket.IO handshake. */
    deviceId: z.string().trim().min(3).max(255),
    appType: AppType.default("mobile_app"),
  })
  .refine((body) => (body.password === undefined) !== (body.apiKey === undefined), {
    message: "send exactly one of password and apiKey",
    path: ["password"],
  });
export type SignInRequest = z.input<typeof SignInRequest>;

/** `POST /auth/refresh[/:tenant]` and `POST /auth/logout[/:tenant]`. */
export const RefreshTokenRequest = z.object({ refreshToken: z.string().min(1).max(1024) });
export type RefreshTokenRequest = z.infer<typeof RefreshTokenRequest>;

/** The answer to a sign-in or a refresh: a hub access token and the next refresh token. */
export const TokenPair = z.object({
  /** A hub JWT for the Socket.IO handshake and the in-band `refresh`. */
  accessToken: z.string(),
  /** Opaque; single use: each refresh answers a new one and retires it. */
  refreshToken: z.string(),
  /** Seconds until `accessToken` expires. */
  expiresIn: z.number().int().positive(),
  /** Seconds until `refreshToken` expires unless used. */
  refreshExpiresIn: z.number().int().positive(),
  /** What the access token carries, so that an app need not decode it. */
  uid: z.number().int().positive(),
  models: z.array(ModelName),
  companies: z.array(z.number().int().positive()),
});
export type TokenPair = z.infer<typeof TokenPair>;
