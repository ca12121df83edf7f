import * as z from "zod/mini";
import { EventDraft } from "./event.js";

/**
 * Why a push was not appended: the log already holds a change under the same `webhook.event` id
 * (Odoo's cron resends each instant push), the same `update.webhook` row, or the same content
 * stamped within seconds (the change arrived by pull first, or under another `webhook.event`).
 */
export const DuplicateReason = z.enum(["same_webhook_event", "same_ledger_row", "same_content"]);
export type DuplicateReason = z.infer<typeof DuplicateReason>;

/** The push receiver's 200 answer: the event is in the log (or was already), or a test body. */
export const PushReply = z.union([
  z.object({
    ok: z.literal(true),
    id: EventDraft.shape.id,
    seq: z.number().check(z.int(), z.positive()),
    duplicate: z.literal(false),
  }),
  z.object({
    ok: z.literal(true),
    id: EventDraft.shape.id,
    duplicate: z.literal(true),
    reason: DuplicateReason,
    /** The reason in words, naming the id that matched. */
    message: z.string(),
  }),
  z.object({ ok: z.literal(true), test: z.enum(["subscriber", "config"]) }),
]);
export type PushReply = z.infer<typeof PushReply>;
