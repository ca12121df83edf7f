import { z } from "zod";

/**
 * The protocol's schemas are written with `zod/mini`, which loads no locale (that keeps the
 * browser client small); without one, every issue would read "Invalid input". The hub's 400
 * answers, refused handshakes and logs name what is wrong, in English.
 */
export function useEnglishMessages(): void {
  z.config(z.locales.en());
}
