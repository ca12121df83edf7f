/**
 * The bare HTML pages Odoo answers with when a request never reaches a controller (werkzeug's
 * defaults: no database selected, unknown route, wrong method, service down).
 */
const PAGES = {
  400: [
    "Bad Request",
    "The browser (or proxy) sent a request that this server could not understand.",
  ],
  404: [
    "Not Found",
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
  ],
  405: ["Method Not Allowed", "The method is not allowed for the requested URL."],
  500: [
    "Internal Server Error",
    "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.",
  ],
  503: [
    "Service Unavailable",
    "The server is temporarily unable to service your request due to maintenance downtime or capacity problems.  Please try again later.",
  ],
} as const;

export function werkzeugPage(
  status: keyof typeof PAGES,
  extraHeaders: Record<string, string> = {},
): Response {
  const [title, description] = PAGES[status];
  const html = `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${description}</p>\n`;
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", ...extraHeaders },
  });
}
