/** What a failed zod parse reports (structurally: full zod and zod/mini alike). */
interface Failure {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/** Each issue as `{ path, message }`, the path dotted (`(body)` for the root). */
export function issuesOf(error: Failure): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path: i.path.length === 0 ? "(body)" : i.path.map(String).join("."),
    message: i.message,
  }));
}

/**
 * One line naming every bad field, e.g. `auth.deviceId: Too small…; auth.models.0: Invalid`:
 * the message of every refusal the hub builds from a schema. `root` prefixes each path.
 */
export function issuesText(error: Failure, root?: string): string {
  return error.issues
    .map((i) => {
      const path = [...(root === undefined ? [] : [root]), ...i.path.map(String)].join(".");
      return `${path === "" ? "(root)" : path}: ${i.message}`;
    })
    .join("; ");
}
