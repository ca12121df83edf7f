import * as z from "zod/mini";
import { ModelDomains } from "./domain.js";
import { ModelName, OdooId } from "./odoo-values.js";

/** Claims of the token a client presents in the handshake. `exp` is required. */
export const TokenClaims = z.looseObject({
  /** The Odoo `res.users` id: the user's room and `user.sync.state.user_id`. */
  uid: OdooId,
  tenant: z._default(z.string().check(z.minLength(1), z.maxLength(64)), "default"),
  /** Model names the token may subscribe to, or `"*"` for every model. */
  models: z.union([z.literal("*"), z.array(ModelName)]),
  /**
   * The `res.company` ids the user may see: an event whose record has a `company_id` outside
   * them is never delivered (a record without one is).
   */
  companies: z.optional(z.array(OdooId).check(z.maxLength(1000))),
  /** Per model, an Odoo domain every record of that model must match to be delivered. */
  domains: z.optional(ModelDomains),
  exp: z.number().check(z.int()),
  sub: z.optional(z.string()),
  iss: z.optional(z.string()),
  aud: z.optional(z.union([z.string(), z.array(z.string())])),
});
export type TokenClaims = z.infer<typeof TokenClaims>;
