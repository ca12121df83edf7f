/**
 * Secrets used only when NODE_ENV is not `production` and the setting is absent; the hub prints
 * them at start so the README's try-it works by copy-paste. Production refuses to start without
 * real values.
 */
export const DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789";
export const DEV_PUSH_TOKEN = "dev-only-push-token";
