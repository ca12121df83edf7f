import { HttpError } from "./http-error.js";
import { nestedDeeperThan } from "./json-depth.js";

/** A request body as JSON, refused with 400 when absent, malformed or nested beyond `maxDepth`. */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.trim() === "") {
    throw new HttpError(400, "invalid_body", "empty body: expected Odoo's webhook JSON object");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "invalid_json", `body is not JSON: ${(error as Error).message}`);
  }
  if (nestedDeeperThan(body, maxDepth)) {
    throw new HttpError(
      400,
      "invalid_body",
      `body is nested deeper than ${maxDepth} levels of objects and arrays (HUB_MAX_JSON_DEPTH)`,
    );
  }
  return body;
}
