import { z } from "zod";
import { ModelName } from "./odoo-values.js";

/** Claims of the token a client presents in the handshake. `exp` is required. */
export const TokenClaims = z.looseObject({
  /** The Odoo `res.users` id: the user's room and `user.sync.state.user_id`. */
  uid: z.number().int().positive(),
  tenant: z.string().min(1).max(64).default("default"),
  /** Model names the token may subscribe to, or `"*"` for every model. */
  models: z.union([z.literal("*"), z.array(ModelName)]),
  /**
   * The user's `res.company` ids (Odoo's `company_ids`). Carried; enforced by record rules
   * (issue 13): an event whose record has a `company_id` outside them will never be delivered.
   */
  companies: z.array(z.number().int().positive()).optional(),
  exp: z.number().int(),
  sub: z.string().optional(),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;
