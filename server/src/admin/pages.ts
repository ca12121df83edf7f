import { readFileSync } from "node:fs";

/**
 * The admin page's files stay in `src/admin/page/` (tsc copies no HTML, CSS or plain JS; the
 * Dockerfile copies the folder), read once when the admin routes are built. None holds a secret:
 * the page gets everything through `/admin/api/state` once logged in.
 */
function read(file: string): string {
  return readFileSync(new URL(`../../src/admin/page/${file}`, import.meta.url), "utf8");
}

export function adminFiles() {
  const login = read("login.html");
  return {
    page: read("admin.html"),
    script: read("admin.js"),
    style: read("admin.css"),
    /** The login form, with a message (escaped) when the last try failed. */
    login: (message = "") => login.replace("{{message}}", escapeHtml(message)),
  };
}

function escapeHtml(text: string): string {
  const entities: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
  };
  return text.replace(/[&<>"]/g, (c) => entities[c] ?? c);
}
